/*
 * Text classification (CROWD-ELEMENTS §3.3): crowd-classifier (one category) and
 * crowd-classifier-multi-select (several). Digit keys 1-9 choose the n-th category.
 */
(function () {
  "use strict";

  const { h } = Crowd;

  Crowd.addStyle("crowd-classifiers", `
crowd-classifier, crowd-classifier-multi-select { display: block; margin: 8px 0 16px;
  font-family: var(--crowd-font); color: var(--crowd-text); }
.crowd-classifier { display: grid; grid-template-columns: minmax(0, 1fr) minmax(220px, 300px);
  gap: 20px; align-items: start; }
.crowd-classifier.crowd-has-panel { grid-template-columns: minmax(200px, 280px) minmax(0, 1fr) minmax(220px, 300px); }
@media (max-width: 900px) {
  .crowd-classifier, .crowd-classifier.crowd-has-panel { grid-template-columns: minmax(0, 1fr); }
}
.crowd-classifier-main { min-width: 0; }
.crowd-classifier-header { margin: 0 0 12px; font-size: 18px; font-weight: 600; }
.crowd-classifier-main classification-target { display: block; padding: 16px;
  border: 1px solid var(--crowd-border); border-radius: 8px; background: var(--crowd-surface);
  overflow-wrap: anywhere; }
.crowd-classifier-main classification-target:empty { display: none; }
.crowd-classifier-main classification-target > :first-child { margin-top: 0; }
.crowd-classifier-main classification-target > :last-child { margin-bottom: 0; }
.crowd-classifier-extra:empty { display: none; }
.crowd-classifier-extra { margin-top: 12px; }
.crowd-choices { box-sizing: border-box; padding: 14px; border: 1px solid var(--crowd-border);
  border-radius: 8px; background: var(--crowd-subtle); }
.crowd-choices-title { margin: 0 0 10px; font-size: 13px; font-weight: 600; color: var(--crowd-muted);
  text-transform: uppercase; letter-spacing: .04em; }
.crowd-choices-list { display: grid; gap: 6px; }
.crowd-choice { display: flex; align-items: center; gap: 10px; width: 100%; box-sizing: border-box;
  padding: 8px 10px; border: 1px solid var(--crowd-border); border-radius: var(--crowd-radius);
  background: var(--crowd-surface); color: var(--crowd-text); font: 15px/1.3 var(--crowd-font);
  text-align: left; cursor: pointer; transition: border-color .12s, background .12s; }
.crowd-choice:hover { border-color: var(--crowd-primary); }
.crowd-choice:focus-visible { outline: none; box-shadow: var(--crowd-focus-ring); }
.crowd-choice[aria-checked="true"] { border-color: var(--crowd-primary); background: #dbe9f9;
  box-shadow: inset 0 0 0 1px var(--crowd-primary); }
.crowd-choice-mark { flex: none; box-sizing: border-box; width: 18px; height: 18px; border: 2px solid #6b7682;
  background: #fff; display: inline-flex; align-items: center; justify-content: center; }
.crowd-choice-single .crowd-choice-mark { border-radius: 50%; }
.crowd-choice-single .crowd-choice-mark::after { content: ""; width: 8px; height: 8px; border-radius: 50%;
  background: var(--crowd-primary); transform: scale(0); }
.crowd-choice-single[aria-checked="true"] .crowd-choice-mark { border-color: var(--crowd-primary); }
.crowd-choice-single[aria-checked="true"] .crowd-choice-mark::after { transform: scale(1); }
.crowd-choice-multi .crowd-choice-mark { border-radius: 3px; }
.crowd-choice-multi[aria-checked="true"] .crowd-choice-mark { background: var(--crowd-primary);
  border-color: var(--crowd-primary); }
.crowd-choice-multi .crowd-choice-mark svg { width: 14px; height: 14px; visibility: hidden; }
.crowd-choice-multi[aria-checked="true"] .crowd-choice-mark svg { visibility: visible; }
.crowd-choice-text { flex: 1; min-width: 0; overflow-wrap: anywhere; }
.crowd-choice kbd { flex: none; min-width: 20px; padding: 1px 5px; box-sizing: border-box; border-radius: 4px;
  border: 1px solid var(--crowd-border); border-bottom-width: 2px; background: #fff; color: var(--crowd-muted);
  font: 600 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; text-align: center; }
.crowd-choice-exclusion { margin-top: 6px; border-style: dashed; }
.crowd-choices-hint { margin: 10px 0 0; font-size: 12px; color: var(--crowd-muted); }
`);

  const CHECK_MARK = '<svg viewBox="0 0 16 16" aria-hidden="true"><path d="M3 8.5l3.2 3L13 4.5" ' +
    'fill="none" stroke="#fff" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/></svg>';

  const observe = (...names) =>
    names.flatMap((name) => (name.includes("-") ? [name, name.replace(/-/g, "")] : [name]));

  /** A category as written: a string, or an object naming one (`label`, `name` or `text`). */
  const categoryText = (category) => {
    if (category === null || category === undefined) return "";
    if (typeof category === "object") {
      return String(category.label ?? category.name ?? category.text ?? "");
    }
    return String(category);
  };

  /** The exclusion option's text: `{ text: '…' }` or a plain string; null when absent. */
  Crowd.exclusionText = function (el) {
    const raw = Crowd.attr(el, "exclusion-category");
    if (raw === null) return null;
    const parsed = Crowd.parseRelaxed(raw, raw);
    const text = typeof parsed === "object" && parsed !== null ? categoryText(parsed) : String(parsed);
    return text.trim() ? text : null;
  };

  const isTyping = (target) =>
    target && (target.isContentEditable || /^(input|textarea|select)$/.test(target.localName) ||
      (target.closest && target.closest("crowd-input, crowd-text-area")));

  class ClassifierBase extends Crowd.CrowdElement {
    static get observedAttributes() {
      return observe("categories", "header", "exclusion-category");
    }

    get categories() {
      if (this._categories) return this._categories;
      const parsed = Crowd.jsonAttr(this, "categories", []);
      return Array.isArray(parsed) ? parsed.map(categoryText) : [];
    }
    set categories(list) {
      this._categories = Array.isArray(list) ? list.map(categoryText)
        : (Crowd.parseRelaxed(list, []) || []).map(categoryText);
      if (this._list) this._renderChoices();
    }
    get header() { return Crowd.attr(this, "header") || ""; }
    set header(text) { this.setAttribute("header", text); }

    attributeChangedCallback(name, before, after) {
      if (!this._list || before === after) return;
      if (name === "categories") this._categories = null;
      if (name === "header") this._renderHeader();
      else this._renderChoices();
    }

    crowdSetup() {
      Crowd.upgradeProperties(this, ["categories", "header", "value"]);
      const regions = Crowd.instructionRegions(this);
      const target = Array.from(this.children).find((el) => el.localName === "classification-target");
      const extra = Array.from(this.childNodes).filter(
        (node) => node !== target && node !== regions.short && node !== regions.full);
      this._header = h("h2", { class: "crowd-classifier-header", id: Crowd.uid("crowd-classifier") });
      this._list = h("div", {
        class: "crowd-choices-list", role: this.crowdMulti ? "group" : "radiogroup",
        "aria-labelledby": this._header.id,
      });
      this._hint = h("p", { class: "crowd-choices-hint" });
      const main = h("div", { class: "crowd-classifier-main" }, this._header, target,
        h("div", { class: "crowd-classifier-extra" }, extra));
      const choices = h("div", { class: "crowd-choices" },
        h("p", { class: "crowd-choices-title", text: this.crowdMulti ? "Choose all that apply" : "Choose one" }),
        this._list, this._hint);
      const layout = h("div", { class: "crowd-classifier" }, main, choices);
      const panel = Crowd.instructionsPanel(this, regions);
      if (panel) {
        layout.classList.add("crowd-has-panel");
        layout.prepend(panel);
      }
      this.replaceChildren(layout);
      this._chosen = new Set(this.crowdInitial());
      this._initialChosen = new Set(this._chosen);
      if (this._pendingValue !== undefined) this.value = this._pendingValue;
      this._renderHeader();
      this._renderChoices();
      document.addEventListener("keydown", (event) => this._onKey(event));
    }

    _renderHeader() {
      this._header.textContent = this.header;
      this._header.hidden = !this.header;
    }

    /** Every option in order: the categories, then the exclusion option if any. */
    _options() {
      const options = this.categories.map((text) => ({ text, exclusion: false }));
      const exclusion = Crowd.exclusionText(this);
      if (exclusion !== null) options.push({ text: exclusion, exclusion: true });
      return options;
    }

    _renderChoices() {
      const options = this._options();
      const known = new Set(options.map((o) => o.text));
      for (const text of Array.from(this._chosen)) if (!known.has(text)) this._chosen.delete(text);
      const focused = document.activeElement && this._list.contains(document.activeElement)
        ? document.activeElement.dataset.choice : null;
      const kind = this.crowdMulti ? "multi" : "single";
      const buttons = options.map((option, index) => {
        const mark = h("span", { class: "crowd-choice-mark", "aria-hidden": "true" });
        if (this.crowdMulti) mark.innerHTML = CHECK_MARK;
        const button = h("button", {
          type: "button", role: this.crowdMulti ? "checkbox" : "radio", "data-crowd-internal": "",
          class: `crowd-choice crowd-choice-${kind}${option.exclusion ? " crowd-choice-exclusion" : ""}`,
          "aria-keyshortcuts": index < 9 ? String(index + 1) : null,
        }, mark, h("span", { class: "crowd-choice-text", text: option.text }),
        index < 9 ? h("kbd", { text: String(index + 1), "aria-hidden": "true" }) : null);
        button.dataset.choice = option.text;
        button.addEventListener("click", () => this.choose(option.text));
        return button;
      });
      this._list.replaceChildren(...buttons);
      this._hint.textContent = options.length ? `Tip: press 1\u2013${Math.min(options.length, 9)} to choose.` : "";
      this._hint.hidden = !options.length;
      this._showChosen();
      if (focused) {
        const again = buttons.find((b) => b.dataset.choice === focused);
        if (again) again.focus();
      }
    }

    _showChosen() {
      const buttons = Array.from(this._list.children);
      for (const button of buttons) {
        button.setAttribute("aria-checked", String(this._chosen.has(button.dataset.choice)));
      }
      if (!this.crowdMulti) {
        // One stop in the tab order for a radio group: the chosen option, else the first.
        const current = buttons.find((b) => this._chosen.has(b.dataset.choice)) || buttons[0];
        for (const button of buttons) button.tabIndex = button === current ? 0 : -1;
      }
    }

    _onKey(event) {
      if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      if (!this._list) return;
      if (this.crowdMulti === false && /^Arrow(Up|Down|Left|Right)$/.test(event.key) &&
          this._list.contains(event.target)) {
        const buttons = Array.from(this._list.children);
        const step = /Down|Right/.test(event.key) ? 1 : -1;
        const next = buttons[(buttons.indexOf(event.target) + step + buttons.length) % buttons.length];
        event.preventDefault();
        next.focus();
        this.choose(next.dataset.choice);
        return;
      }
      if (!/^[1-9]$/.test(event.key) || isTyping(event.target)) return;
      // With several classifiers on a page, digits go to the one holding the focus, else the first.
      const all = Array.from(document.querySelectorAll("crowd-classifier, crowd-classifier-multi-select"));
      const inEntity = event.target.closest && event.target.closest("crowd-entity-annotation");
      const owner = all.find((el) => el.contains(event.target)) || (inEntity ? null : all[0]);
      if (owner !== this) return;
      const button = this._list.children[Number(event.key) - 1];
      if (!button) return;
      event.preventDefault();
      this.choose(button.dataset.choice);
      button.focus();
    }

    _changed() {
      this._showChosen();
      this.classList.remove("crowd-invalid");
      this.removeAttribute("aria-invalid");
      this.dispatchEvent(new Event("change", { bubbles: true }));
    }

    crowdValidate() {
      if (this._chosen && this._chosen.size) return null;
      const what = this.header ? ` for \u201c${this.header}\u201d` : "";
      return this.crowdMulti ? `Choose at least one category${what}.` : `Choose a category${what}.`;
    }

    crowdReset() {
      this._chosen = new Set(this._initialChosen);
      this._showChosen();
    }

    crowdFocus() {
      const buttons = Array.from(this._list.children);
      const first = buttons.find((b) => b.getAttribute("aria-checked") === "true") || buttons[0];
      if (first) first.focus();
      else this.scrollIntoView({ block: "center" });
    }
  }

  class CrowdClassifier extends ClassifierBase {
    get crowdMulti() { return false; }
    crowdInitial() {
      const initial = Crowd.attr(this, "initial-value");
      if (initial === null || initial === "") return [];
      const parsed = Crowd.parseRelaxed(initial, initial);
      const text = typeof parsed === "object" && parsed !== null ? categoryText(parsed) : String(parsed);
      return this._options().some((o) => o.text === text) ? [text] : [];
    }
    /** The chosen category (a string), or "" when none is chosen. */
    get value() {
      if (!this._chosen) return this._pendingValue || "";
      const [only] = this._chosen;
      return only === undefined ? "" : only;
    }
    set value(text) {
      if (!this._list) { this._pendingValue = text; return; }
      this._chosen = new Set(text ? [String(text)] : []);
      this._showChosen();
    }
    choose(text) {
      if (this._chosen.size === 1 && this._chosen.has(text)) return;
      this._chosen = new Set([text]);
      this._changed();
    }
    crowdAnswer() {
      const value = this.value;
      return value ? { label: value } : undefined;
    }
  }
  Crowd.define("crowd-classifier", CrowdClassifier);

  class CrowdClassifierMultiSelect extends ClassifierBase {
    get crowdMulti() { return true; }
    crowdInitial() {
      const initial = Crowd.jsonAttr(this, "initial-value", []);
      const list = Array.isArray(initial) ? initial : [initial];
      const known = new Set(this._options().map((o) => o.text));
      return list.map(categoryText).filter((text) => known.has(text));
    }
    /** The chosen categories, in the order they are listed. */
    get value() {
      if (!this._chosen) return Array.isArray(this._pendingValue) ? this._pendingValue : [];
      return this._options().map((o) => o.text).filter((text) => this._chosen.has(text));
    }
    set value(list) {
      if (!this._list) { this._pendingValue = list; return; }
      this._chosen = new Set((Array.isArray(list) ? list : []).map(categoryText));
      this._showChosen();
    }
    /** Toggle a category. The exclusion option clears the others, and any category clears it. */
    choose(text) {
      const exclusion = Crowd.exclusionText(this);
      if (this._chosen.has(text)) {
        this._chosen.delete(text);
      } else if (text === exclusion) {
        this._chosen = new Set([text]);
      } else {
        this._chosen.delete(exclusion);
        this._chosen.add(text);
      }
      this._changed();
    }
    crowdAnswer() {
      return { labels: this.value };
    }
  }
  Crowd.define("crowd-classifier-multi-select", CrowdClassifierMultiSelect);
})();
