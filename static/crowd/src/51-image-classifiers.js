/*
 * crowd-image-classifier and crowd-image-classifier-multi-select (CROWD-ELEMENTS §3.4).
 * Answers: {label: "<category>", workerComment?} and {labels: ["<category>", …], workerComment?};
 * choosing the exclusion category answers {labels: ["<its text>"]} (§5, open question 3).
 * `overlay` draws a previous job's result (bounding boxes or a segmentation mask) over the image.
 */
(function () {
  "use strict";

  const Crowd = window.Crowd;
  const h = Crowd.h;
  const { svg, icon, toolButton, labelTag, routeKeys, toLabels, typingIn, takeInstructions, takeRest, addStyles, ImageView, PALETTE } = Crowd.Image;

  class ImageClassifier extends Crowd.CrowdElement {
    static get observedAttributes() {
      return ["src", "categories", "header", "overlay", "exclusion-category", "exclusioncategory", "initial-value", "initialvalue"];
    }

    constructor() {
      super();
      this._categoriesProp = null;
      this._exclusionProp = undefined;
      this._overlayProp = undefined;
      this.chosen = new Set();
      this.excluded = false;
      this.comment = "";
      this.showOverlay = true;
      this._built = false;
    }

    get multiple() { return false; }

    connectedCallback() {
      Crowd.upgradeProperties(this, ["categories", "src", "header", "overlay", "exclusionCategory", "value"]);
      super.connectedCallback();
    }

    get categories() { return this._categoriesProp ? [...this._categoriesProp] : toLabels(Crowd.attr(this, "categories")); }
    set categories(value) {
      this._categoriesProp = toLabels(value);
      this.categoriesChanged();
    }
    get src() { return Crowd.attr(this, "src") || ""; }
    set src(value) { this.setAttribute("src", value); }
    get header() { return Crowd.attr(this, "header") || ""; }
    set header(value) { this.setAttribute("header", value); }
    get overlay() {
      const value = this._overlayProp !== undefined ? this._overlayProp : Crowd.jsonAttr(this, "overlay", null);
      return value && typeof value === "object" ? value : null;
    }
    set overlay(value) {
      this._overlayProp = typeof value === "string" ? Crowd.parseRelaxed(value, null) : value;
      this.overlayChanged();
    }
    get exclusionCategory() {
      return this._exclusionProp !== undefined ? this._exclusionProp : Crowd.jsonAttr(this, "exclusion-category", null);
    }
    set exclusionCategory(value) {
      this._exclusionProp = typeof value === "string" ? Crowd.parseRelaxed(value, value) : value;
      this.categoriesChanged();
    }
    /** The exclusion option's text; '' when there is none (multi-select only). */
    get exclusionText() {
      if (!this.multiple) return "";
      const value = this.exclusionCategory;
      if (!value) return "";
      if (typeof value === "string") return value;
      return String(value.text ?? value.label ?? "");
    }

    /** The chosen category (single choice) or categories (multi-select), as crowd-classifier. */
    get value() {
      if (this.multiple) return this.answerLabels();
      return [...this.chosen][0] || "";
    }
    set value(value) {
      this.chosen = new Set(Array.isArray(value) ? value.map(String) : value ? [String(value)] : []);
      this.excluded = false;
      if (this._built) this.renderChoices();
    }

    attributeChangedCallback(name, previous, value) {
      if (!this._built || previous === value) return;
      if (name === "src") this.loadImage();
      else if (name === "categories") { this._categoriesProp = null; this.categoriesChanged(); }
      else if (name === "header") this.renderHeader();
      else if (name === "overlay") { this._overlayProp = undefined; this.overlayChanged(); }
      else if (name.startsWith("exclusion")) { this._exclusionProp = undefined; this.categoriesChanged(); }
    }

    crowdSetup() {
      addStyles();
      const instructions = takeInstructions(this);
      const commentRegion = [...this.children].find((c) => c.localName === "worker-comment") || null;
      if (commentRegion) commentRegion.remove();
      const rest = takeRest(this);
      this.view = new ImageView({
        label: this.header || "Image to classify", dragPans: true,
        onScale: () => { this.updateZoom(); this.drawOverlay(); },
      });

      this.headerEl = h("div", { class: "crowd-img-header", role: "heading", "aria-level": "2" });
      this.zoomText = h("span", { class: "crowd-img-zoom", "aria-live": "polite" });
      this.overlayButton = toolButton("eye", "Show the overlay", "O", () => this.toggleOverlay(), "Overlay");
      this.toolbar = h("div", { class: "crowd-img-toolbar", role: "toolbar", "aria-label": "Image tools" },
        h("span", { class: "crowd-img-group" },
          toolButton("zoomOut", "Zoom out", "-", () => this.view.zoomBy(1 / 1.25)),
          this.zoomText,
          toolButton("zoomIn", "Zoom in", "+", () => this.view.zoomBy(1.25)),
          toolButton("fit", "Fit image to view", "0", () => this.view.fit())),
        this.overlaySep = h("span", { class: "crowd-img-sep" }),
        this.overlayButton);

      this.choiceGroup = h("div", {
        class: "crowd-img-choices", role: this.multiple ? "group" : "radiogroup", "aria-label": "Categories",
      });
      this.choiceGroup.addEventListener("keydown", (e) => this.onChoiceKey(e));
      this.errorEl = h("div", { class: "crowd-img-error", role: "alert" });
      this.legendSection = h("div", { class: "crowd-img-section" });
      this.panel = h("aside", { class: "crowd-img-panel", "aria-label": "Categories" },
        h("h3", { class: "crowd-img-panel-title", text: this.multiple ? "Choose all that apply" : "Choose one" }),
        this.choiceGroup, this.errorEl, this.legendSection,
        commentRegion ? this.commentSection(commentRegion) : null);

      this.ui = h("div", { class: "crowd-img-tool", tabindex: "-1" },
        this.headerEl,
        h("div", { class: "crowd-img-body" },
          instructions,
          h("div", { class: "crowd-img-main" }, this.toolbar, this.view.root,
            h("p", { class: "crowd-img-hint", text: this.hintText() })),
          this.panel),
        rest);
      this.append(this.ui);
      this._built = true;
      routeKeys(this, (e) => this.onKey(e));
      this.applyInitial();
      this.renderHeader();
      this.renderChoices();
      this.overlayChanged();
      this.updateZoom();
      this.loadImage();
    }

    hintText() {
      const keys = this.multiple ? "Number keys toggle the categories" : "Number keys choose a category";
      return `${keys}; + and - zoom (or Ctrl + mouse wheel), and a drag moves a zoomed image.`;
    }

    applyInitial() {
      const text = Crowd.attr(this, "initial-value") || "";
      const initial = /^\s*[[{"']/.test(text) ? Crowd.parseRelaxed(text, null) : text.trim();
      this.chosen = new Set();
      this.excluded = false;
      if (Array.isArray(initial)) initial.forEach((c) => this.chosen.add(String(c)));
      else if (typeof initial === "string" && initial) this.chosen.add(initial);
      if (!this.multiple && this.chosen.size > 1) this.chosen = new Set([[...this.chosen][0]]);
    }

    renderHeader() {
      this.headerEl.textContent = this.header;
      this.headerEl.hidden = !this.header;
      this.view.root.setAttribute("aria-label", this.header || "Image to classify");
    }

    async loadImage() {
      await this.view.load(this.src);
      this.updateZoom();
      this.drawOverlay();
    }

    updateZoom() {
      this.zoomText.textContent = this.view.loaded ? `${Math.round(this.view.scale * 100)}%` : "";
    }

    /* -- choices -- */

    categoriesChanged() {
      if (!this._built) return;
      const categories = this.categories;
      for (const c of [...this.chosen]) if (!categories.includes(c)) this.chosen.delete(c);
      if (!this.exclusionText) this.excluded = false;
      this.renderChoices();
    }

    renderChoices() {
      if (!this._built) return;
      const categories = this.categories;
      const role = this.multiple ? "checkbox" : "radio";
      const focusable = this.multiple ? null : Math.max(0, categories.findIndex((c) => this.chosen.has(c)));
      const buttons = categories.map((category, i) => h("button", {
        type: "button", role, class: "crowd-img-choice", "aria-checked": String(this.chosen.has(category)),
        tabindex: focusable === null || focusable === i ? "0" : "-1", "data-index": i,
        onclick: () => this.pick(i),
      }, h("span", { class: `crowd-img-mark ${this.multiple ? "crowd-img-box" : "crowd-img-radio"}` }),
      h("span", { class: "crowd-img-choice-text", text: category }),
      i < 9 ? h("kbd", { text: String(i + 1) }) : null));
      const exclusion = this.exclusionText;
      if (exclusion) {
        const key = categories.length + 1;
        buttons.push(h("div", { class: "crowd-img-sep", style: "width:100%;height:1px;margin:4px 0" }));
        buttons.push(h("button", {
          type: "button", role: "checkbox", class: "crowd-img-choice crowd-img-exclusion",
          "aria-checked": String(this.excluded), onclick: () => this.pickExclusion(),
        }, h("span", { class: "crowd-img-mark crowd-img-box" }),
        h("span", { class: "crowd-img-choice-text", text: exclusion }),
        key <= 9 ? h("kbd", { text: String(key) }) : null));
      }
      const focused = this.choiceGroup.contains(document.activeElement) ? document.activeElement.dataset.index : undefined;
      this.choiceGroup.replaceChildren(...buttons);
      if (focused !== undefined) this.choiceGroup.querySelector(`[data-index="${focused}"]`)?.focus();
      else if (this.excluded && this.choiceGroup.contains(document.activeElement)) this.choiceGroup.querySelector(".crowd-img-exclusion")?.focus();
    }

    pick(index) {
      const category = this.categories[index];
      if (category === undefined) return;
      if (this.multiple) {
        if (this.chosen.has(category)) this.chosen.delete(category);
        else this.chosen.add(category);
        this.excluded = false;
      } else {
        this.chosen = new Set([category]);
      }
      this.changed();
    }

    pickExclusion() {
      this.excluded = !this.excluded;
      if (this.excluded) this.chosen.clear();
      this.changed();
    }

    changed() {
      this.renderChoices();
      this.showError(null);
      this.dispatchEvent(new Event("change", { bubbles: true }));
    }

    /** Arrow keys move the choice in the radio group (WAI-ARIA radio group pattern). */
    onChoiceKey(event) {
      if (this.multiple) return;
      const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      event.preventDefault();
      event.stopPropagation();
      const count = this.categories.length;
      if (!count) return;
      const current = this.categories.findIndex((c) => this.chosen.has(c));
      const next = current < 0 ? 0 : (current + step + count) % count;
      this.pick(next);
      this.choiceGroup.querySelector(`[data-index="${next}"]`)?.focus();
    }

    onKey(event) {
      if (typingIn(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      const key = event.key;
      if (/^[1-9]$/.test(key)) {
        const n = Number(key) - 1;
        const count = this.categories.length;
        if (n < count) this.pick(n);
        else if (n === count && this.exclusionText) this.pickExclusion();
        else return;
      } else if (key === "+" || key === "=") this.view.zoomBy(1.25);
      else if (key === "-" || key === "_") this.view.zoomBy(1 / 1.25);
      else if (key === "0") this.view.fit();
      else if (key.toLowerCase() === "o" && this.overlay) this.toggleOverlay();
      else return;
      event.preventDefault();
    }

    /* -- worker comment -- */

    commentSection(region) {
      const title = region.getAttribute("header") || "Add a comment";
      const linkText = Crowd.attr(region, "link-text") || "Add a comment";
      this.commentInput = h("textarea", {
        class: "crowd-img-textarea", placeholder: region.getAttribute("placeholder") || "",
        "aria-label": title, "data-crowd-internal": "",
      });
      const section = h("div", { class: "crowd-img-comment" });
      const save = h("button", { type: "button", class: "crowd-btn crowd-btn-primary", text: "Save comment" });
      const cancel = h("button", { type: "button", class: "crowd-btn", text: "Cancel" });
      const guidance = region.textContent.trim() ? region : null;
      this.commentDialog = Crowd.dialog(section, {
        title, content: [guidance, this.commentInput, h("div", { class: "crowd-img-dialog-foot" }, cancel, save)],
        className: "crowd-img-comment-dialog",
      });
      save.addEventListener("click", () => {
        this.comment = this.commentInput.value.trim();
        this.commentDialog.close();
        this.renderComment();
        this.dispatchEvent(new Event("change", { bubbles: true }));
      });
      cancel.addEventListener("click", () => this.commentDialog.close());
      this.commentButton = h("button", {
        type: "button", class: "crowd-img-link", "aria-haspopup": "dialog",
        onclick: () => {
          this.commentInput.value = this.comment;
          this.commentDialog.open();
          this.commentInput.focus();
        },
      }, icon("comment"), h("span", { text: linkText }));
      this.commentText = h("p", { class: "crowd-img-comment-text", hidden: true });
      section.prepend(this.commentButton, this.commentText);
      return section;
    }

    renderComment() {
      if (!this.commentText) return;
      this.commentText.textContent = this.comment ? `Your comment: ${this.comment}` : "";
      this.commentText.hidden = !this.comment;
    }

    /* -- overlay of a previous result -- */

    overlayChanged() {
      if (!this._built) return;
      const overlay = this.overlay;
      this.overlayButton.hidden = !overlay;
      this.overlaySep.hidden = !overlay;
      this.overlayButton.setAttribute("aria-pressed", String(this.showOverlay));
      this.renderLegend();
      this.drawOverlay();
    }

    toggleOverlay() {
      this.showOverlay = !this.showOverlay;
      this.overlayButton.setAttribute("aria-pressed", String(this.showOverlay));
      this.drawOverlay();
    }

    /** [{label, color}] of the overlay, for the legend and the boxes. */
    overlayEntries() {
      const overlay = this.overlay;
      if (!overlay) return [];
      if (overlay.boundingBox) {
        const box = overlay.boundingBox;
        const labels = toLabels(box.labels || []);
        for (const b of Array.isArray(box.value) ? box.value : []) {
          if (b && b.label !== undefined && !labels.includes(String(b.label))) labels.push(String(b.label));
        }
        return labels.map((label, i) => ({ label, color: PALETTE[i % PALETTE.length] }));
      }
      if (overlay.semanticSegmentation) {
        const mappings = overlay.semanticSegmentation.labelMappings || {};
        return Object.entries(mappings).map(([label, m]) => ({ label, color: (m && m.color) || "#000" }));
      }
      if (overlay.instanceSegmentation) {
        const counts = {};
        return (overlay.instanceSegmentation.instances || []).filter(Boolean).map((i) => {
          const label = String(i.label ?? "");
          counts[label] = (counts[label] || 0) + 1;
          return { label: `${label} ${counts[label]}`, color: i.color || "#000" };
        });
      }
      return [];
    }

    renderLegend() {
      const entries = this.overlayEntries();
      if (!entries.length) { this.legendSection.replaceChildren(); return; }
      this.legendSection.replaceChildren(
        h("h3", { class: "crowd-img-panel-title", text: "Overlay" }),
        h("div", { class: "crowd-img-legend" }, entries.map((e) => h("span", {},
          h("span", { class: "crowd-img-swatch", style: `background:${e.color}` }), e.label))));
    }

    drawOverlay() {
      if (!this._built) return;
      const layer = this.view.overlay;
      layer.replaceChildren();
      const overlay = this.overlay;
      const mask = overlay && (overlay.semanticSegmentation || overlay.instanceSegmentation);
      const maskSrc = mask && mask.src ? String(mask.src) : "";
      if (!maskSrc && this.maskImage) { this.maskImage.remove(); this.maskImage = null; }
      if (maskSrc && (!this.maskImage || this.maskImage.dataset.src !== maskSrc)) {
        this.maskImage?.remove();
        this.maskImage = h("img", { alt: "", src: maskSrc, "data-src": maskSrc, style: "opacity:.55;image-rendering:pixelated" });
        this.view.layers.append(this.maskImage);
      }
      if (this.maskImage) this.maskImage.hidden = !this.showOverlay;
      if (!overlay || !this.showOverlay || !this.view.loaded || !overlay.boundingBox) return;
      const colors = new Map(this.overlayEntries().map((e) => [e.label, e.color]));
      const u = this.view.unit;
      for (const b of Array.isArray(overlay.boundingBox.value) ? overlay.boundingBox.value : []) {
        if (!b || typeof b !== "object") continue;
        const color = colors.get(String(b.label)) || "#64748b";
        const left = Number(b.left) || 0;
        const top = Number(b.top) || 0;
        layer.append(svg("rect", {
          x: left, y: top, width: Math.max(0, Number(b.width) || 0), height: Math.max(0, Number(b.height) || 0),
          fill: color, "fill-opacity": 0.12, stroke: color, "stroke-width": 2, "vector-effect": "non-scaling-stroke",
          "pointer-events": "none",
        }));
        const inside = top < 18 * u;
        layer.append(labelTag(u, left, top, String(b.label ?? ""), color, inside));
      }
    }

    /* -- answer -- */

    answerLabels() {
      if (this.excluded && this.exclusionText) return [this.exclusionText];
      return this.categories.filter((c) => this.chosen.has(c));
    }

    crowdAnswer() {
      let answer;
      if (this.multiple) answer = { labels: this.answerLabels() };
      else {
        const label = this.value;
        if (!label) return undefined;
        answer = { label };
      }
      if (this.comment) answer.workerComment = this.comment;
      return answer;
    }

    crowdValidate() {
      let message = null;
      if (this.multiple && !this.answerLabels().length) message = "Choose at least one category for the image.";
      else if (!this.multiple && !this.value) message = "Choose a category for the image.";
      this.showError(message);
      return message;
    }

    crowdFocus() {
      const target = this.choiceGroup?.querySelector('[tabindex="0"]');
      target?.focus({ preventScroll: true });
    }

    crowdReset() {
      if (!this._built) return;
      this.applyInitial();
      this.comment = "";
      this.renderComment();
      this.renderChoices();
      this.showError(null);
    }

    showError(message) {
      if (!this._built) return;
      this.errorEl.textContent = message || "";
      this.ui.toggleAttribute("data-invalid", Boolean(message));
    }
  }

  class ImageClassifierMultiSelect extends ImageClassifier {
    get multiple() { return true; }
  }

  Crowd.define("crowd-image-classifier", ImageClassifier);
  Crowd.define("crowd-image-classifier-multi-select", ImageClassifierMultiSelect);
})();
