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
.crowd-review-header { grid-column: 1 / -1; margin: 0; font-size: 18px; font-weight: 600; }
.crowd-review-figure { position: relative; margin: 0; border: 1px solid var(--crowd-border);
  border-radius: 8px; background: var(--crowd-subtle); overflow: hidden; line-height: 0; }
.crowd-review-figure img { display: block; width: 100%; height: auto; }
.crowd-review-figure svg { position: absolute; inset: 0; width: 100%; height: 100%; pointer-events: none; }
.crowd-review-figure .crowd-review-status { display: block; padding: 40px 16px; line-height: 1.4;
  text-align: center; color: var(--crowd-muted); font-size: 14px; }
.crowd-review-side { box-sizing: border-box; padding: 14px; border: 1px solid var(--crowd-border);
  border-radius: 8px; background: var(--crowd-surface); }
.crowd-review-side h3 { margin: 0 0 10px; font-size: 13px; font-weight: 600; color: var(--crowd-muted);
  text-transform: uppercase; letter-spacing: .04em; }
.crowd-review-side h3:not(:first-child) { margin-top: 18px; }
.crowd-kv-box { fill: rgba(10, 102, 194, .08); stroke: #0a66c2; stroke-width: 1.5; }
.crowd-kv-box.crowd-kv-value-box { fill: rgba(16, 124, 16, .08); stroke: #107c10; }
.crowd-kv-box.crowd-kv-active { stroke-width: 3; fill: rgba(255, 196, 0, .25); }
.crowd-kv-box.crowd-kv-dropped { stroke-dasharray: 4 3; opacity: .5; }
.crowd-kv-list { margin: 0; padding: 0; list-style: none; display: grid; gap: 10px; }
.crowd-kv { padding: 10px; border: 1px solid var(--crowd-border); border-radius: var(--crowd-radius);
  background: #fff; }
.crowd-kv:focus-within, .crowd-kv.crowd-kv-active { border-color: var(--crowd-primary);
  box-shadow: inset 0 0 0 1px var(--crowd-primary); }
.crowd-kv[data-decision="not-a-pair"] .crowd-kv-fields { opacity: .5; }
.crowd-kv-fields { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 6px 8px;
  align-items: center; }
.crowd-kv-fields .crowd-field-label { margin: 0; }
.crowd-kv .crowd-field-input { padding: 5px 8px; font-size: 14px; }
.crowd-kv-key-text { font-weight: 600; font-size: 14px; overflow-wrap: anywhere; }
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
.crowd-moderation-parent { margin-left: auto; font-size: 12px; color: var(--crowd-muted); }
.crowd-moderation-exclusion { margin-top: 10px; border-style: dashed; justify-content: center; font-weight: 600; }
`);

  const CHECK_MARK = '<svg viewBox="0 0 16 16" aria-hidden="true"><path d="M3 8.5l3.2 3L13 4.5" ' +
    'fill="none" stroke="#fff" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/></svg>';
  const SVG = "http://www.w3.org/2000/svg";

  /** Layout shared by both widgets: header, optional instructions panel, image, side column. */
  function reviewLayout(host, side) {
    const regions = Crowd.instructionRegions(host);
    const header = Crowd.attr(host, "header");
    const image = h("img", { alt: header || "Image to review" });
    const overlay = document.createElementNS(SVG, "svg");
    overlay.setAttribute("viewBox", "0 0 1 1");
    overlay.setAttribute("preserveAspectRatio", "none");
    overlay.setAttribute("aria-hidden", "true");
    const status = h("span", { class: "crowd-review-status", role: "status", text: "Loading the image\u2026" });
    const figure = h("figure", { class: "crowd-review-figure" }, image, overlay, status);
    const src = Crowd.attr(host, "src");
    image.hidden = true;
    image.addEventListener("load", () => { image.hidden = false; status.remove(); });
    image.addEventListener("error", () => { status.textContent = "The image could not be loaded."; });
    if (src) image.src = src;
    else status.textContent = "No image was given.";
    const layout = h("div", { class: "crowd-review" },
      header ? h("h2", { class: "crowd-review-header", text: header }) : null, figure, side);
    const panel = Crowd.instructionsPanel(host, regions);
    if (panel) {
      layout.classList.add("crowd-has-panel");
      figure.before(panel);
    }
    const extra = Array.from(host.childNodes).filter((node) => node !== regions.short && node !== regions.full);
    host.replaceChildren(layout, ...extra);
    return { overlay };
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

  const related = (block, type) =>
    ((block && block.relationships) || []).filter((r) => r.type === type).flatMap((r) => r.ids || []);

  const normaliseKey = (text) => String(text || "").toLowerCase().replace(/[\s:.\-_]+/g, " ").trim();

  class CrowdTextractAnalyzeDocument extends Crowd.CrowdElement {
    get crowdAnswerKey() { return TEXTRACT_KEY; }

    crowdSetup() {
      this._pairs = this._readPairs();
      this._missing = this._readMissingKeys();
      this._list = h("ul", { class: "crowd-kv-list", "aria-label": "Key-value pairs" });
      this._missingList = h("ul", { class: "crowd-kv-list", "aria-label": "Keys not detected" });
      const side = h("div", { class: "crowd-review-side" },
        h("h3", { text: "Key-value pairs" }), this._list);
      if (this._missing.length) side.append(h("h3", { text: "Keys not detected" }), this._missingList);
      ({ overlay: this._overlay } = reviewLayout(this, side));
      this._render();
    }

    /** Key-value pairs from the KEY_VALUE_SET blocks in initial-value. */
    _readPairs() {
      let blocks = camelCased(Crowd.jsonAttr(this, "initial-value", []));
      if (blocks && !Array.isArray(blocks)) blocks = blocks.blocks || [];
      if (!Array.isArray(blocks)) blocks = [];
      const byId = new Map(blocks.filter((b) => b && b.id).map((b) => [b.id, b]));
      const textOf = (block) => {
        if (!block) return "";
        const words = related(block, "CHILD").map((id) => byId.get(id)).filter(Boolean).map((child) =>
          child.blockType === "SELECTION_ELEMENT" ? child.selectionStatus || "" : child.text || "");
        return words.length ? words.join(" ").trim() : String(block.text || "");
      };
      const isKind = (block, kind) => block && block.blockType === "KEY_VALUE_SET" &&
        (block.entityTypes || []).includes(kind);
      return blocks.filter((b) => isKind(b, "KEY")).map((key, index) => {
        const valueId = related(key, "VALUE")[0];
        const value = byId.get(valueId);
        const keyText = textOf(key);
        const valueText = isKind(value, "VALUE") ? textOf(value) : "";
        return {
          index, id: key.id, keyChildren: related(key, "CHILD"), keyText, originalKey: keyText,
          valueId: valueId || `${key.id}-value`, valueChildren: related(value, "CHILD"),
          valueText, originalValue: valueText, decision: "keep",
          keyBox: key.geometry && key.geometry.boundingBox,
          valueBox: value && value.geometry && value.geometry.boundingBox,
        };
      });
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

    _render() {
      const keyEditable = !Crowd.flag(this, "no-key-edit");
      this._list.replaceChildren(...this._pairs.map((pair) => this._pairRow(pair, keyEditable)));
      if (!this._pairs.length) {
        this._list.replaceChildren(h("li", { class: "crowd-kv-empty", text: "No key-value pairs were detected." }));
      }
      this._missingList.replaceChildren(...this._missing.map((entry) => this._missingRow(entry)));
      this._drawBoxes();
    }

    _pairRow(pair, keyEditable) {
      const id = Crowd.uid("crowd-kv");
      const keyField = keyEditable
        ? h("input", { class: "crowd-field-input", id: `${id}-key`, "data-crowd-internal": "", value: pair.keyText })
        : h("span", { class: "crowd-kv-key-text", id: `${id}-key`, text: pair.keyText });
      const valueField = h("input", {
        class: "crowd-field-input crowd-kv-value", "data-crowd-internal": "",
        "aria-label": `Value of ${pair.keyText}`,
      });
      valueField.value = pair.valueText;
      if (keyEditable) {
        keyField.setAttribute("aria-label", `Key ${pair.index + 1}`);
        keyField.addEventListener("input", () => { pair.keyText = keyField.value; this._changed(); });
      }
      valueField.addEventListener("input", () => { pair.valueText = valueField.value; this._changed(); });
      const decisions = h("fieldset", { class: "crowd-kv-decisions" },
        h("legend", { class: "crowd-visually-hidden", text: `Decision for ${pair.keyText}` }),
        ...[["keep", "Correct"], ["blank", "Value is blank"], ["not-a-pair", "Not a key-value pair"]]
          .map(([decision, text]) => {
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
      const row = h("li", { class: "crowd-kv", "data-decision": pair.decision },
        h("div", { class: "crowd-kv-fields" }, keyField, valueField), decisions);
      const activate = (on) => {
        row.classList.toggle("crowd-kv-active", on);
        for (const box of this._overlay.querySelectorAll(`[data-pair="${pair.index}"]`)) {
          box.classList.toggle("crowd-kv-active", on);
        }
      };
      row.addEventListener("mouseenter", () => activate(true));
      row.addEventListener("mouseleave", () => activate(row.contains(document.activeElement)));
      row.addEventListener("focusin", () => activate(true));
      row.addEventListener("focusout", (event) => activate(row.contains(event.relatedTarget)));
      return row;
    }

    _missingRow(entry) {
      const value = h("input", {
        class: "crowd-field-input", "data-crowd-internal": "", "aria-label": `Value of ${entry.keyText}`,
        placeholder: "Value, if the document has this key",
      });
      const none = h("input", { type: "checkbox", "data-crowd-internal": "" });
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
      const rect = (box, pair, kind) => {
        if (!box) return null;
        const el = document.createElementNS(SVG, "rect");
        for (const [k, v] of Object.entries({ x: box.left, y: box.top, width: box.width, height: box.height })) {
          el.setAttribute(k, String(Number(v) || 0));
        }
        el.setAttribute("class", `crowd-kv-box${kind === "value" ? " crowd-kv-value-box" : ""}`);
        el.setAttribute("vector-effect", "non-scaling-stroke");
        el.dataset.pair = String(pair.index);
        return el;
      };
      this._overlay.replaceChildren(...this._pairs.flatMap((pair) =>
        [rect(pair.keyBox, pair, "key"), rect(pair.valueBox, pair, "value")].filter(Boolean)));
      this._showDecisions();
    }

    _showDecisions() {
      for (const pair of this._pairs) {
        for (const box of this._overlay.querySelectorAll(`[data-pair="${pair.index}"]`)) {
          box.classList.toggle("crowd-kv-dropped", pair.decision === "not-a-pair");
        }
      }
    }

    _changed() {
      this._showDecisions();
      this.classList.remove("crowd-invalid");
      this.dispatchEvent(new Event("change", { bubbles: true }));
    }

    /** The answer: KEY and VALUE blocks for every pair the reviewer kept or added. A pair marked
     * "not a key-value pair" is left out; a blank value is a VALUE block with empty text. */
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
      for (const pair of this._pairs || []) {
        if (pair.decision === "not-a-pair") continue;
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
      if (this._list) this._render();
    }

    crowdFocus() {
      const field = this.querySelector(".crowd-kv-missing input:not(:disabled)") ||
        this.querySelector(".crowd-kv input");
      if (field) field.focus();
    }
  }
  Crowd.define("crowd-textract-analyze-document", CrowdTextractAnalyzeDocument);

  /* ---- crowd-rekognition-detect-moderation-labels ---- */

  class CrowdRekognitionDetectModerationLabels extends Crowd.CrowdElement {
    get crowdAnswerKey() { return REKOGNITION_KEY; }

    get categories() {
      if (this._categories) return this._categories;
      const parsed = Crowd.jsonAttr(this, "categories", []);
      return Array.isArray(parsed) ? parsed : [];
    }
    set categories(list) {
      this._categories = Array.isArray(list) ? list : Crowd.parseRelaxed(list, []);
      this._chosen = new Set();
      if (this._list) this._render();
    }

    crowdSetup() {
      Crowd.upgradeProperties(this, ["categories"]);
      this._chosen = new Set();
      this._excluded = false;
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
      reviewLayout(this, side);
      this._render();
    }

    _exclusionText() {
      const raw = Crowd.attr(this, "exclusion-category");
      if (raw === null) return null;
      const parsed = Crowd.parseRelaxed(raw, raw);
      if (parsed && typeof parsed === "object") return String(parsed.text ?? parsed.name ?? "") || null;
      return String(parsed).trim() || null;
    }

    _render() {
      this._list.replaceChildren(...this.categories.map((category, index) => {
        const isObject = category && typeof category === "object";
        const name = isObject ? String(category.name ?? "") : String(category);
        const mark = h("span", { class: "crowd-choice-mark", "aria-hidden": "true" });
        mark.innerHTML = CHECK_MARK;
        const button = h("button", {
          type: "button", role: "checkbox", class: "crowd-moderation-option", "data-crowd-internal": "",
          "aria-checked": String(this._chosen.has(index)), disabled: this._excluded,
        }, mark, h("span", { text: name }),
        isObject && category.parentName ? h("span", { class: "crowd-moderation-parent", text: category.parentName }) : null);
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

    /** The answer: the chosen categories as given (whole objects, or strings). */
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

    /** With a "none of these" option, the reviewer must choose labels or that option. */
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
