/*
 * A2I's built-in review widgets (CROWD-ELEMENTS §3.7): crowd-textract-analyze-document and
 * crowd-rekognition-detect-moderation-labels. They answer under the integration's AWS key
 * (`crowdAnswerKey`), not under a `name`.
 */
(function () {
  "use strict";

  const { h } = Crowd;
  const TEXTRACT_KEY = "AWS/Textract/AnalyzeDocument/Forms/V1";
  const REKOGNITION_KEY = "AWS/Rekognition/DetectModerationLabels/Image/V3";

  Crowd.addStyle("crowd-builtins", `
crowd-textract-analyze-document, crowd-rekognition-detect-moderation-labels { display: block;
  margin: 8px 0 16px; font-family: var(--crowd-font); color: var(--crowd-text); }
.crowd-review { display: grid; grid-template-columns: minmax(0, 1fr) minmax(300px, 420px); gap: 20px;
  align-items: start; }
.crowd-review.crowd-has-panel { grid-template-columns: minmax(200px, 260px) minmax(0, 1fr) minmax(300px, 420px); }
@media (max-width: 1000px) {
  .crowd-review, .crowd-review.crowd-has-panel { grid-template-columns: minmax(0, 1fr); }
}
@media (min-width: 1001px) {
  /* The image stays in view while the reviewer works down a long list beside it. */
  .crowd-review-figure { position: sticky; top: 8px; max-height: calc(100vh - 16px); overflow: auto; }
}
crowd-textract-analyze-document [hidden], crowd-rekognition-detect-moderation-labels [hidden] {
  display: none !important; }
.crowd-review-header { grid-column: 1 / -1; margin: 0; font-size: 18px; font-weight: 600; }
.crowd-review-figure { box-sizing: border-box; margin: 0; border: 1px solid var(--crowd-border);
  border-radius: 8px; background: var(--crowd-subtle); }
.crowd-review-sheet { position: relative; line-height: 0; }
.crowd-review-sheet img { display: block; width: 100%; height: auto; border-radius: 7px; }
.crowd-review-sheet.crowd-review-blank { background: #fff; }
.crowd-review-sheet svg { position: absolute; inset: 0; width: 100%; height: 100%; pointer-events: none;
  overflow: visible; }
.crowd-review-status { display: block; padding: 40px 16px; line-height: 1.4;
  text-align: center; color: var(--crowd-muted); font-size: 14px; }
.crowd-review-blank .crowd-review-status { position: absolute; inset: auto 0 0; padding: 12px; }
.crowd-review-pages { position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap; align-items: center;
  gap: 6px; padding: 8px 10px; border-bottom: 1px solid var(--crowd-border); background: var(--crowd-surface);
  border-radius: 8px 8px 0 0; font-size: 13px; color: var(--crowd-muted); }
.crowd-review-pages button { min-width: 32px; padding: 3px 8px; border: 1px solid var(--crowd-border);
  border-radius: var(--crowd-radius); background: #fff; color: var(--crowd-text); font: 13px/1.3 var(--crowd-font);
  cursor: pointer; }
.crowd-review-pages button[aria-pressed="true"] { border-color: var(--crowd-primary); background: var(--crowd-primary);
  color: #fff; }
.crowd-review-pages button:focus-visible { outline: none; box-shadow: var(--crowd-focus-ring); }
.crowd-review-side { box-sizing: border-box; padding: 14px; border: 1px solid var(--crowd-border);
  border-radius: 8px; background: var(--crowd-surface); }
.crowd-review-side h3 { display: flex; align-items: center; gap: 8px; margin: 0 0 10px; font-size: 13px;
  font-weight: 600; color: var(--crowd-muted); text-transform: uppercase; letter-spacing: .04em; }
.crowd-review-side h3:not(:first-child) { margin-top: 18px; }
.crowd-kv-swatch { flex: none; width: 12px; height: 12px; border-radius: 3px; border: 2px solid #0a66c2;
  background: rgba(10, 102, 194, .12); }
.crowd-kv-swatch.crowd-kv-swatch-flagged { border-color: #d9480f; background: rgba(253, 126, 20, .3); }
.crowd-kv-box { fill: rgba(10, 102, 194, .08); stroke: #0a66c2; stroke-width: 1.5; pointer-events: auto;
  cursor: pointer; }
.crowd-kv-box.crowd-kv-value-box { fill: rgba(16, 124, 16, .08); stroke: #107c10; }
.crowd-kv-box.crowd-kv-flagged { fill: rgba(253, 126, 20, .14); stroke: #d9480f; stroke-width: 2.5; }
.crowd-kv-box.crowd-kv-active { stroke-width: 3; fill: rgba(255, 196, 0, .3); }
.crowd-kv-box.crowd-kv-dropped { stroke-dasharray: 4 3; opacity: .5; }
.crowd-kv-list { margin: 0; padding: 0; list-style: none; display: grid; gap: 10px; }
.crowd-kv { padding: 10px; border: 1px solid var(--crowd-border); border-radius: var(--crowd-radius);
  background: #fff; scroll-margin: 12px; }
.crowd-kv.crowd-kv-flagged { border-left: 5px solid #d9480f; background: #fff8f1; }
.crowd-kv:focus-within, .crowd-kv.crowd-kv-active { border-color: var(--crowd-primary);
  box-shadow: inset 0 0 0 1px var(--crowd-primary); }
.crowd-kv.crowd-kv-flagged:focus-within, .crowd-kv.crowd-kv-flagged.crowd-kv-active { border-left-color: #d9480f; }
.crowd-kv[data-decision="not-a-pair"] .crowd-kv-fields { opacity: .5; }
.crowd-kv-fields { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 6px 8px;
  align-items: center; }
.crowd-kv-fields .crowd-field-label { margin: 0; }
.crowd-kv .crowd-field-input { padding: 5px 8px; font-size: 14px; }
.crowd-kv-key-text { font-weight: 600; font-size: 14px; overflow-wrap: anywhere; }
.crowd-kv-page { display: block; font-weight: 400; font-size: 12px; color: var(--crowd-muted); }
.crowd-kv-decisions { display: flex; flex-wrap: wrap; gap: 4px 12px; margin-top: 8px; border: none;
  padding: 0; font-size: 13px; }
.crowd-kv-decisions label { display: inline-flex; align-items: center; gap: 4px; cursor: pointer; }
.crowd-kv-decisions input { accent-color: var(--crowd-primary); margin: 0; }
.crowd-kv-empty { color: var(--crowd-muted); font-size: 14px; margin: 0; }
.crowd-kv-missing .crowd-kv-key-text::after { content: " (not detected)"; font-weight: 400;
  color: var(--crowd-warning); }
.crowd-moderation-list { display: grid; gap: 6px; }
.crowd-moderation-option { display: flex; align-items: center; gap: 10px; width: 100%; box-sizing: border-box;
  padding: 8px 10px; border: 1px solid var(--crowd-border); border-radius: var(--crowd-radius);
  background: #fff; color: var(--crowd-text); font: 15px/1.3 var(--crowd-font); text-align: left; cursor: pointer; }
.crowd-moderation-option[data-level="1"] { margin-left: 26px; width: calc(100% - 26px); }
.crowd-moderation-option[data-level="2"] { margin-left: 52px; width: calc(100% - 52px); }
.crowd-moderation-option:hover:not(:disabled) { border-color: var(--crowd-primary); }
.crowd-moderation-option:focus-visible { outline: none; box-shadow: var(--crowd-focus-ring); }
.crowd-moderation-option[aria-checked="true"], .crowd-moderation-option[aria-pressed="true"] {
  border-color: var(--crowd-primary); background: #dbe9f9; box-shadow: inset 0 0 0 1px var(--crowd-primary); }
.crowd-moderation-option:disabled { opacity: .45; cursor: not-allowed; }
.crowd-moderation-option .crowd-choice-mark { flex: none; box-sizing: border-box; width: 18px; height: 18px;
  border: 2px solid #6b7682; border-radius: 3px; background: #fff; display: inline-flex;
  align-items: center; justify-content: center; }
.crowd-moderation-option[aria-checked="true"] .crowd-choice-mark { background: var(--crowd-primary);
  border-color: var(--crowd-primary); }
.crowd-moderation-option .crowd-choice-mark svg { width: 14px; height: 14px; visibility: hidden; }
.crowd-moderation-option[aria-checked="true"] .crowd-choice-mark svg { visibility: visible; }
.crowd-moderation-name { display: flex; flex-direction: column; gap: 1px; min-width: 0; }
.crowd-moderation-parent { font-size: 12px; color: var(--crowd-muted); }
.crowd-moderation-exclusion { margin-top: 10px; border-style: dashed; justify-content: center; font-weight: 600; }
`);

  const CHECK_MARK = '<svg viewBox="0 0 16 16" aria-hidden="true"><path d="M3 8.5l3.2 3L13 4.5" ' +
    'fill="none" stroke="#fff" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/></svg>';
  const SVG = "http://www.w3.org/2000/svg";
  // US Letter, for a page whose image was not given and no other page's image says better.
  const DEFAULT_PAGE_RATIO = 8.5 / 11;
  // Textract's boxes fit the text tightly: a box drawn a little outside them keeps its stroke
  // off the letters (fractions of the page, about 2px on a page 600px wide).
  const BOX_MARGIN = { across: 0.004, down: 0.003 };

  /** The image being reviewed, with an overlay in coordinates 0..1 across and down it. When a
   * page has no image, a blank sheet of the document's proportions stands in, so the boxes
   * still show where things are. */
  class ReviewFigure {
    constructor(alt) {
      this.image = h("img", { alt });
      this.overlay = document.createElementNS(SVG, "svg");
      this.overlay.setAttribute("viewBox", "0 0 1 1");
      this.overlay.setAttribute("preserveAspectRatio", "none");
      this.overlay.setAttribute("aria-hidden", "true");
      this.status = h("span", { class: "crowd-review-status", role: "status" });
      this.sheet = h("div", { class: "crowd-review-sheet" }, this.image, this.overlay, this.status);
      this.element = h("figure", { class: "crowd-review-figure" }, this.sheet);
      this.ratio = null;
      this.image.addEventListener("load", () => {
        if (!this.image.getAttribute("src")) return;
        this.image.hidden = false;
        this.status.hidden = true;
        if (this.image.naturalWidth && this.image.naturalHeight) {
          this.ratio = this.ratio || this.image.naturalWidth / this.image.naturalHeight;
        }
      });
      this.image.addEventListener("error", () => {
        if (!this.image.getAttribute("src")) return;
        this.status.textContent = "The image could not be loaded.";
      });
    }

    /** Show `src`, or the blank sheet with `missing` as its caption. */
    show(src, missing) {
      this.sheet.classList.toggle("crowd-review-blank", !src);
      this.status.hidden = false;
      if (src) {
        this.sheet.style.aspectRatio = "";
        if (this.image.getAttribute("src") === src && this.image.complete && this.image.naturalWidth) {
          this.image.hidden = false;
          this.status.hidden = true;
          return;
        }
        this.image.hidden = true;
        this.status.textContent = "Loading the image\u2026";
        this.image.src = src;
      } else {
        this.image.hidden = true;
        this.image.removeAttribute("src");
        this.sheet.style.aspectRatio = String(this.ratio || DEFAULT_PAGE_RATIO);
        this.status.textContent = missing;
      }
    }
  }

  /** Layout shared by both widgets: header, optional instructions panel, image, side column. */
  function reviewLayout(host, figure, side) {
    const regions = Crowd.instructionRegions(host);
    const header = Crowd.attr(host, "header");
    const layout = h("div", { class: "crowd-review" },
      header ? h("h2", { class: "crowd-review-header", text: header }) : null, figure, side);
    const panel = Crowd.instructionsPanel(host, regions);
    if (panel) {
      layout.classList.add("crowd-has-panel");
      figure.before(panel);
    }
    const extra = Array.from(host.childNodes).filter((node) => node !== regions.short && node !== regions.full);
    host.replaceChildren(layout, ...extra);
  }

  /* ---- crowd-textract-analyze-document ---- */

  /** Textract blocks with camelCase keys, whether they came camelCase or as the API spells them. */
  function camelCased(value) {
    if (Array.isArray(value)) return value.map(camelCased);
    if (value === null || typeof value !== "object") return value;
    const out = {};
    for (const [key, item] of Object.entries(value)) {
      out[key.charAt(0).toLowerCase() + key.slice(1)] = camelCased(item);
    }
    return out;
  }

  /** The blocks of an attribute that holds either a list of blocks or a response with `blocks`. */
  function blocksOf(parsed) {
    const value = camelCased(parsed);
    const blocks = Array.isArray(value) ? value : (value && value.blocks) || [];
    return Array.isArray(blocks) ? blocks.filter((b) => b && typeof b === "object") : [];
  }

  const related = (block, type) =>
    ((block && block.relationships) || []).filter((r) => r.type === type).flatMap((r) => r.ids || []);

  const normaliseKey = (text) => String(text || "").toLowerCase().replace(/[\s:.\-_]+/g, " ").trim();

  // Textract leaves `Page` out of single-page responses.
  const pageOf = (block) => Math.max(1, Math.floor(Number(block && block.page) || 1));

  /**
   * crowd-textract-analyze-document: the document with its key-value pairs drawn over it, and a
   * list where the reviewer corrects each pair.
   *
   * Attributes as CROWD-ELEMENTS §3.7 (src, header, initial-value, block-types, keys,
   * no-key-edit, no-geometry-edit; boxes are never editable here), and two additions:
   * - `document-blocks`: every block of the AnalyzeDocument response (a list, or an object with
   *   `blocks`), in the portal's default template `{{ task.input.aiServiceResponse.blocks }}`.
   *   The reviewer then sees every key-value pair of the document; the pairs of initial-value
   *   (selectedAiServiceResponse: the ones that met the activation conditions) are highlighted
   *   and listed first. Without it the widget shows initial-value's pairs alone, as A2I's does.
   * - `src` may be a list of URLs, one image per page. A2I's widget takes one image, and
   *   synchronous AnalyzeDocument reads one page, so a single URL is page 1; a page without an
   *   image shows its boxes on a blank sheet.
   * Each box is drawn on its block's `page` only; a multi-page document gets a page switcher,
   * and focusing a pair in the list turns to its page. no-key-edit applies to every pair.
   *
   * The answer, `{"blocks": [...]}` under AWS/Textract/AnalyzeDocument/Forms/V1. §3.7 and A2I's
   * output guide give its shape but not which pairs it holds; A2I's widget only ever knows
   * initial-value, so its answer is the pairs selected for review. The reading kept here:
   * - every pair of initial-value, as the reviewer left it: its KEY and VALUE blocks with the
   *   (corrected) text. "Value is blank" is a VALUE block with empty text and no children;
   *   "Not a key-value pair" leaves the pair out (A2I's encoding of both is not documented).
   * - a pair shown only through document-blocks when the reviewer changed it (key or value text,
   *   or a blank value), in the same form. Untouched it stays out, so an untouched review
   *   answers what A2I's widget would, and merging the answer over aiServiceResponse by block
   *   id gives the corrected document either way. Such a pair offers no "Not a key-value
   *   pair", since leaving it out is what the answer already says of it.
   * - each important key (`keys`) no detected key matches, given the value the reviewer typed,
   *   as a new pair `added-key-N` / `added-value-N`; "Key not found" adds nothing.
   */
  class CrowdTextractAnalyzeDocument extends Crowd.CrowdElement {
    static get observedAttributes() {
      // HTML lowercases attribute names: the camelCase spellings arrive as "initialvalue".
      return ["src", "initial-value", "initialvalue", "document-blocks", "documentblocks", "keys",
        "no-key-edit", "nokeyedit"];
    }

    get crowdAnswerKey() { return TEXTRACT_KEY; }

    crowdSetup() {
      this._figure = new ReviewFigure(Crowd.attr(this, "header") || "Document to review");
      this._figure.overlay.addEventListener("click", (event) => this._boxClicked(event));
      this._pager = h("div", { class: "crowd-review-pages", role: "group", "aria-label": "Pages" });
      this._figure.element.prepend(this._pager);
      this._side = h("div", { class: "crowd-review-side" });
      reviewLayout(this, this._figure.element, this._side);
      this._build();
    }

    attributeChangedCallback(name, before, after) {
      if (this._side && before !== after) this._build();
    }

    _build() {
      this._pairs = this._readPairs();
      this._missing = this._readMissingKeys();
      this._pages = this._readPages();
      this._page = Math.min(this._page || 1, this._pages.count);
      this._distinct = this._pairs.some((p) => p.flagged) && this._pairs.some((p) => !p.flagged);
      this._render();
    }

    /** Key-value pairs: initial-value's first, then document-blocks' others, each once. */
    _readPairs() {
      const flaggedBlocks = blocksOf(Crowd.jsonAttr(this, "initial-value", []));
      const documentBlocks = blocksOf(Crowd.jsonAttr(this, "document-blocks", []));
      const byId = new Map();
      for (const block of [...documentBlocks, ...flaggedBlocks]) if (block.id) byId.set(block.id, block);
      const textOf = (block) => {
        if (!block) return "";
        const words = related(block, "CHILD").map((id) => byId.get(id)).filter(Boolean).map((child) =>
          child.blockType === "SELECTION_ELEMENT" ? child.selectionStatus || "" : child.text || "");
        return words.length ? words.join(" ").trim() : String(block.text || "");
      };
      const isKind = (block, kind) => block && block.blockType === "KEY_VALUE_SET" &&
        (block.entityTypes || []).includes(kind);
      const keys = (blocks) => blocks.filter((b) => isKind(b, "KEY"));
      const seen = new Set();
      const pairs = [];
      const add = (key, flagged) => {
        if (key.id && seen.has(key.id)) return;
        seen.add(key.id);
        const valueId = related(key, "VALUE")[0];
        const value = isKind(byId.get(valueId), "VALUE") ? byId.get(valueId) : null;
        const keyText = textOf(key);
        const valueText = textOf(value);
        pairs.push({
          index: pairs.length, id: key.id, flagged, keyChildren: related(key, "CHILD"),
          keyText, originalKey: keyText, valueId: valueId || `${key.id}-value`,
          valueChildren: related(value, "CHILD"), valueText, originalValue: valueText, decision: "keep",
          page: pageOf(key), boxes: [
            { kind: "key", page: pageOf(key), box: key.geometry && key.geometry.boundingBox },
            { kind: "value", page: pageOf(value || key), box: value && value.geometry && value.geometry.boundingBox },
          ].filter((b) => b.box),
        });
      };
      for (const key of keys(flaggedBlocks)) add(key, true);
      for (const key of keys(documentBlocks)) add(key, false);
      return pairs;
    }

    /** Important keys (the `keys` attribute) that no detected key matches. */
    _readMissingKeys() {
      const keys = camelCased(Crowd.jsonAttr(this, "keys", []));
      const found = new Set(this._pairs.map((p) => normaliseKey(p.keyText)));
      return (Array.isArray(keys) ? keys : []).map((entry) => (typeof entry === "string"
        ? { importantFormKey: entry, importantFormKeyAliases: [] } : entry || {}))
        .filter((entry) => entry.importantFormKey)
        .filter((entry) => ![entry.importantFormKey, ...(entry.importantFormKeyAliases || [])]
          .some((name) => found.has(normaliseKey(name))))
        .map((entry, index) => ({
          index, keyText: String(entry.importantFormKey), valueText: "", notFound: false,
          id: `added-key-${index + 1}`, valueId: `added-value-${index + 1}`,
        }));
    }

    /** The page images (`src`: one URL, or a list of them) and how many pages there are. */
    _readPages() {
      const raw = (Crowd.attr(this, "src") || "").trim();
      let images = raw ? [raw] : [];
      if (raw.startsWith("[")) {
        const parsed = Crowd.parseRelaxed(raw, []);
        images = (Array.isArray(parsed) ? parsed : []).map((url) => (url ? String(url) : ""));
      }
      const pages = this._pairs.flatMap((pair) => [pair.page, ...pair.boxes.map((b) => b.page)]);
      return { images, count: Math.max(1, images.length, ...pages) };
    }

    _render() {
      const keyEditable = !Crowd.flag(this, "no-key-edit");
      const flagged = this._pairs.filter((p) => p.flagged);
      const others = this._pairs.filter((p) => !p.flagged);
      const list = (label, pairs) => h("ul", { class: "crowd-kv-list", "aria-label": label },
        pairs.map((pair) => this._pairRow(pair, keyEditable)));
      const heading = (text, swatch) => h("h3", {},
        swatch ? h("span", { class: `crowd-kv-swatch ${swatch}`, "aria-hidden": "true" }) : null, text);
      const parts = [];
      if (this._distinct) {
        parts.push(heading(`Flagged for review (${flagged.length})`, "crowd-kv-swatch-flagged"),
          list("Key-value pairs flagged for review", flagged),
          heading(`Other pairs in the document (${others.length})`, "crowd-kv-swatch-other"),
          list("Other key-value pairs", others));
      } else {
        parts.push(heading("Key-value pairs"), this._pairs.length
          ? list("Key-value pairs", this._pairs)
          : h("p", { class: "crowd-kv-empty", text: "No key-value pairs were detected." }));
      }
      if (this._missing.length) {
        parts.push(heading("Keys not detected"), h("ul", { class: "crowd-kv-list", "aria-label": "Keys not detected" },
          this._missing.map((entry) => this._missingRow(entry))));
      }
      this._side.replaceChildren(...parts);
      this._renderPager();
      this._showPage(this._page);
    }

    _renderPager() {
      const count = this._pages.count;
      this._pager.hidden = count < 2;
      this._pager.replaceChildren(h("span", { text: "Page" }), ...Array.from({ length: count }, (_, i) => h("button", {
        type: "button", "data-crowd-internal": "", "aria-label": `Page ${i + 1}`, "aria-pressed": "false",
        text: String(i + 1), onclick: () => this._showPage(i + 1),
      })));
    }

    _showPage(number) {
      this._page = number;
      for (const button of this._pager.querySelectorAll("button")) {
        button.setAttribute("aria-pressed", String(button.textContent === String(number)));
      }
      const src = this._pages.images[number - 1] || "";
      const none = this._pages.images.length ? `No image of page ${number} was given.` : "No image was given.";
      this._figure.show(src, none);
      this._drawBoxes();
    }

    _pairRow(pair, keyEditable) {
      const id = Crowd.uid("crowd-kv");
      const keyField = keyEditable
        ? h("input", { class: "crowd-field-input", id: `${id}-key`, "data-crowd-internal": "", value: pair.keyText })
        : h("span", { class: "crowd-kv-key-text", id: `${id}-key` }, pair.keyText,
          this._pages.count > 1 ? h("span", { class: "crowd-kv-page", text: `Page ${pair.page}` }) : null);
      const valueField = h("input", {
        class: "crowd-field-input crowd-kv-value", "data-crowd-internal": "",
        "aria-label": `Value of ${pair.keyText}`,
      });
      valueField.value = pair.valueText;
      valueField.disabled = pair.decision !== "keep";
      if (keyEditable) {
        keyField.setAttribute("aria-label", `Key ${pair.index + 1}`);
        keyField.disabled = pair.decision === "not-a-pair";
        keyField.addEventListener("input", () => { pair.keyText = keyField.value; this._changed(); });
      }
      valueField.addEventListener("input", () => { pair.valueText = valueField.value; this._changed(); });
      const choices = [["keep", "Correct"], ["blank", "Value is blank"]];
      if (pair.flagged) choices.push(["not-a-pair", "Not a key-value pair"]);
      const decisions = h("fieldset", { class: "crowd-kv-decisions" },
        h("legend", { class: "crowd-visually-hidden", text: `Decision for ${pair.keyText}` }),
        ...choices.map(([decision, text]) => {
          const radio = h("input", {
            type: "radio", name: `${id}-decision`, value: decision, "data-crowd-internal": "",
            checked: pair.decision === decision,
          });
          radio.addEventListener("change", () => {
            pair.decision = decision;
            row.dataset.decision = decision;
            valueField.disabled = decision !== "keep";
            if (keyEditable) keyField.disabled = decision === "not-a-pair";
            this._changed();
          });
          return h("label", {}, radio, text);
        }));
      const flaggedClass = pair.flagged && this._distinct ? " crowd-kv-flagged" : "";
      const row = h("li", { class: `crowd-kv${flaggedClass}`, "data-decision": pair.decision, "data-pair": String(pair.index) },
        h("div", { class: "crowd-kv-fields" }, keyField, valueField), decisions);
      pair.row = row;
      pair.valueField = valueField;
      row.addEventListener("mouseenter", () => this._activate(pair, true));
      row.addEventListener("mouseleave", () => this._activate(pair, row.contains(document.activeElement)));
      row.addEventListener("focusin", () => {
        if (pair.page !== this._page) this._showPage(pair.page);
        this._activate(pair, true, { reveal: true });
      });
      row.addEventListener("focusout", (event) => this._activate(pair, row.contains(event.relatedTarget)));
      return row;
    }

    _activate(pair, on, { reveal = false } = {}) {
      if (pair.row) pair.row.classList.toggle("crowd-kv-active", on);
      const boxes = this._figure.overlay.querySelectorAll(`[data-pair="${pair.index}"]`);
      for (const box of boxes) box.classList.toggle("crowd-kv-active", on);
      if (on && reveal && boxes.length) this._reveal(boxes[0]);
    }

    /** Scroll the figure (never the page) so that `box` is in view. */
    _reveal(box) {
      const frame = this._figure.element;
      if (frame.scrollHeight <= frame.clientHeight) return;
      const outer = frame.getBoundingClientRect();
      const inner = box.getBoundingClientRect();
      if (inner.top < outer.top + 40 || inner.bottom > outer.bottom) {
        frame.scrollTop += inner.top - outer.top - outer.height / 3;
      }
    }

    _boxClicked(event) {
      const target = event.target.closest && event.target.closest("[data-pair]");
      const pair = target && this._pairs[Number(target.dataset.pair)];
      if (!pair || !pair.row) return;
      pair.row.scrollIntoView({ block: "nearest" });
      const field = pair.valueField && !pair.valueField.disabled ? pair.valueField : pair.row.querySelector("input");
      if (field) field.focus({ preventScroll: true });
    }

    _missingRow(entry) {
      const value = h("input", {
        class: "crowd-field-input", "data-crowd-internal": "", "aria-label": `Value of ${entry.keyText}`,
        placeholder: "Value, if found",
      });
      value.value = entry.valueText;
      value.disabled = entry.notFound;
      const none = h("input", { type: "checkbox", "data-crowd-internal": "", checked: entry.notFound });
      value.addEventListener("input", () => { entry.valueText = value.value; this._changed(); });
      none.addEventListener("change", () => {
        entry.notFound = none.checked;
        value.disabled = none.checked;
        this._changed();
      });
      return h("li", { class: "crowd-kv crowd-kv-missing" },
        h("div", { class: "crowd-kv-fields" }, h("span", { class: "crowd-kv-key-text", text: entry.keyText }), value),
        h("div", { class: "crowd-kv-decisions" }, h("label", {}, none, "Key not found in the document")));
    }

    _drawBoxes() {
      const rect = (pair, { kind, box }) => {
        const el = document.createElementNS(SVG, "rect");
        const { across, down } = BOX_MARGIN;
        const frame = {
          x: (Number(box.left) || 0) - across, y: (Number(box.top) || 0) - down,
          width: (Number(box.width) || 0) + 2 * across, height: (Number(box.height) || 0) + 2 * down,
        };
        for (const [k, v] of Object.entries(frame)) el.setAttribute(k, String(v));
        const classes = ["crowd-kv-box"];
        if (kind === "value") classes.push("crowd-kv-value-box");
        if (pair.flagged && this._distinct) classes.push("crowd-kv-flagged");
        if (pair.row && pair.row.classList.contains("crowd-kv-active")) classes.push("crowd-kv-active");
        el.setAttribute("class", classes.join(" "));
        el.setAttribute("vector-effect", "non-scaling-stroke");
        el.dataset.pair = String(pair.index);
        return el;
      };
      // Flagged boxes last, so that they are drawn over the others.
      const order = [...this._pairs.filter((p) => !p.flagged), ...this._pairs.filter((p) => p.flagged)];
      this._figure.overlay.replaceChildren(...order.flatMap((pair) =>
        pair.boxes.filter((b) => b.page === this._page).map((b) => rect(pair, b))));
      this._showDecisions();
    }

    _showDecisions() {
      for (const pair of this._pairs) {
        for (const box of this._figure.overlay.querySelectorAll(`[data-pair="${pair.index}"]`)) {
          box.classList.toggle("crowd-kv-dropped", pair.decision === "not-a-pair");
        }
      }
    }

    _changed() {
      this._showDecisions();
      this.classList.remove("crowd-invalid");
      this.dispatchEvent(new Event("change", { bubbles: true }));
    }

    get value() {
      const blocks = [];
      const pairBlocks = (keyId, keyText, keyChildren, valueId, valueText, valueChildren) => {
        const keyRelations = [];
        if (keyChildren.length) keyRelations.push({ type: "CHILD", ids: keyChildren.slice() });
        keyRelations.push({ type: "VALUE", ids: [valueId] });
        blocks.push({ blockType: "KEY_VALUE_SET", id: keyId, entityTypes: ["KEY"], relationships: keyRelations, text: keyText });
        blocks.push({
          blockType: "KEY_VALUE_SET", id: valueId, entityTypes: ["VALUE"],
          relationships: valueChildren.length ? [{ type: "CHILD", ids: valueChildren.slice() }] : [],
          text: valueText,
        });
      };
      const changed = (pair) => pair.decision !== "keep" || pair.keyText.trim() !== pair.originalKey.trim() ||
        pair.valueText.trim() !== pair.originalValue.trim();
      for (const pair of this._pairs || []) {
        if (pair.decision === "not-a-pair" || !(pair.flagged || changed(pair))) continue;
        const blank = pair.decision === "blank";
        pairBlocks(pair.id, pair.keyText.trim(), pair.keyChildren, pair.valueId,
          blank ? "" : pair.valueText.trim(), blank ? [] : pair.valueChildren);
      }
      for (const entry of this._missing || []) {
        if (entry.notFound || !entry.valueText.trim()) continue;
        pairBlocks(entry.id, entry.keyText, [], entry.valueId, entry.valueText.trim(), []);
      }
      return { blocks };
    }
    get _submittableValue() { return this.value; }

    crowdAnswer() {
      return this.value;
    }

    crowdValidate() {
      const open = (this._missing || []).filter((entry) => !entry.notFound && !entry.valueText.trim());
      if (!open.length) return null;
      const names = open.map((entry) => `\u201c${entry.keyText}\u201d`).join(", ");
      return `Enter the value of ${names}, or mark the key as not found in the document.`;
    }

    crowdReset() {
      for (const pair of this._pairs || []) {
        Object.assign(pair, { keyText: pair.originalKey, valueText: pair.originalValue, decision: "keep" });
      }
      for (const entry of this._missing || []) Object.assign(entry, { valueText: "", notFound: false });
      if (this._side) this._render();
    }

    crowdFocus() {
      const field = this.querySelector(".crowd-kv-missing input:not(:disabled)") ||
        this.querySelector(".crowd-kv input");
      if (field) field.focus();
    }
  }
  Crowd.define("crowd-textract-analyze-document", CrowdTextractAnalyzeDocument);

  /* ---- crowd-rekognition-detect-moderation-labels ---- */

  /** What a category shows: its name and its parent's, whether it is an object (`name`, or the
   * API's `Name`) or a plain string. */
  function categoryNames(category) {
    if (category && typeof category === "object") {
      return {
        name: String(category.name ?? category.Name ?? ""),
        parent: String(category.parentName ?? category.ParentName ?? ""),
      };
    }
    return { name: String(category ?? ""), parent: "" };
  }

  /**
   * crowd-rekognition-detect-moderation-labels: the image, and the moderation categories as a
   * checklist (CROWD-ELEMENTS §3.7). A category whose parent is also listed is shown beneath
   * it, indented; one whose parent is not listed names its parent. The answer lists the chosen
   * categories in the order `categories` gives them, each as given (the whole object, or the
   * string); with `exclusion-category` chosen it is an empty list, and the reviewer must choose
   * either labels or that option.
   */
  class CrowdRekognitionDetectModerationLabels extends Crowd.CrowdElement {
    static get observedAttributes() { return ["src", "categories"]; }

    get crowdAnswerKey() { return REKOGNITION_KEY; }

    get categories() {
      if (this._categories) return this._categories;
      const parsed = Crowd.jsonAttr(this, "categories", []);
      return Array.isArray(parsed) ? parsed : [];
    }
    set categories(list) {
      const parsed = Array.isArray(list) ? list : Crowd.parseRelaxed(list, []);
      this._categories = Array.isArray(parsed) ? parsed : [];
      this._chosen = new Set();
      if (this._list) this._render();
    }

    crowdSetup() {
      Crowd.upgradeProperties(this, ["categories"]);
      this._chosen = new Set();
      this._excluded = false;
      this._figure = new ReviewFigure(Crowd.attr(this, "header") || "Image to review");
      this._list = h("div", { class: "crowd-moderation-list", role: "group", "aria-label": "Moderation labels" });
      this._exclusionButton = null;
      const exclusion = this._exclusionText();
      const side = h("div", { class: "crowd-review-side" },
        h("h3", { text: "Select every label that applies" }), this._list);
      if (exclusion) {
        this._exclusionButton = h("button", {
          type: "button", class: "crowd-moderation-option crowd-moderation-exclusion",
          "data-crowd-internal": "", "aria-pressed": "false", text: exclusion,
          onclick: () => this._toggleExclusion(),
        });
        side.append(this._exclusionButton);
      }
      reviewLayout(this, this._figure.element, side);
      this._showImage();
      this._render();
    }

    attributeChangedCallback(name, before, after) {
      if (!this._list || before === after) return;
      if (name === "src") this._showImage();
      else if (!this._categories) {
        this._chosen = new Set();
        this._render();
      }
    }

    _showImage() {
      this._figure.show(Crowd.attr(this, "src") || "", "No image was given.");
    }

    _exclusionText() {
      const raw = Crowd.attr(this, "exclusion-category");
      if (raw === null) return null;
      const parsed = Crowd.parseRelaxed(raw, raw);
      if (parsed && typeof parsed === "object") return String(parsed.text ?? parsed.name ?? "") || null;
      return String(parsed).trim() || null;
    }

    /** Category indexes in display order, each with its depth under listed parents. */
    _displayOrder() {
      const names = this.categories.map(categoryNames);
      const byName = new Map();
      names.forEach(({ name }, index) => { if (!byName.has(name)) byName.set(name, index); });
      const parentIndex = names.map(({ name, parent }) => (parent && parent !== name && byName.has(parent)
        ? byName.get(parent) : null));
      const order = [];
      const placed = new Set();
      const place = (index, level) => {
        if (placed.has(index)) return;
        placed.add(index);
        order.push({ index, level: Math.min(level, 2) });
        parentIndex.forEach((parent, child) => { if (parent === index) place(child, level + 1); });
      };
      parentIndex.forEach((parent, index) => { if (parent === null) place(index, 0); });
      names.forEach((_, index) => place(index, 0)); // a cycle of parents: shown flat
      return order.map((entry) => ({ ...entry, ...names[entry.index], nested: parentIndex[entry.index] !== null }));
    }

    _render() {
      this._list.replaceChildren(...this._displayOrder().map(({ index, level, name, parent, nested }) => {
        const mark = h("span", { class: "crowd-choice-mark", "aria-hidden": "true" });
        mark.innerHTML = CHECK_MARK;
        const button = h("button", {
          type: "button", role: "checkbox", class: "crowd-moderation-option", "data-crowd-internal": "",
          "aria-checked": String(this._chosen.has(index)), disabled: this._excluded, "data-level": String(level),
          "aria-description": parent ? `in ${parent}` : null,
        }, mark, h("span", { class: "crowd-moderation-name" }, h("span", { text: name }),
          parent && !nested
            ? h("span", { class: "crowd-moderation-parent", "aria-hidden": "true", text: `in ${parent}` })
            : null));
        button.addEventListener("click", () => {
          if (this._chosen.has(index)) this._chosen.delete(index);
          else this._chosen.add(index);
          button.setAttribute("aria-checked", String(this._chosen.has(index)));
          this._changed();
        });
        return button;
      }));
    }

    _toggleExclusion() {
      this._excluded = !this._excluded;
      if (this._excluded) this._chosen.clear();
      this._exclusionButton.setAttribute("aria-pressed", String(this._excluded));
      this._render();
      this._changed();
    }

    _changed() {
      this.classList.remove("crowd-invalid");
      this.dispatchEvent(new Event("change", { bubbles: true }));
    }

    get value() {
      const categories = this.categories;
      const chosen = this._excluded ? [] : Array.from(this._chosen || []).sort((a, b) => a - b)
        .filter((index) => index < categories.length)
        .map((index) => JSON.parse(JSON.stringify(categories[index])));
      return { moderationLabels: chosen };
    }
    get _submittableValue() { return this.value; }

    crowdAnswer() {
      return this.value;
    }

    crowdValidate() {
      if (!this._exclusionButton || this._excluded || (this._chosen && this._chosen.size)) return null;
      return `Select the labels that apply, or \u201c${this._exclusionText()}\u201d.`;
    }

    crowdReset() {
      this._chosen = new Set();
      this._excluded = false;
      if (this._exclusionButton) this._exclusionButton.setAttribute("aria-pressed", "false");
      if (this._list) this._render();
    }

    crowdFocus() {
      const first = this.querySelector(".crowd-moderation-option");
      if (first) first.focus();
    }
  }
  Crowd.define("crowd-rekognition-detect-moderation-labels", CrowdRekognitionDetectModerationLabels);
})();
