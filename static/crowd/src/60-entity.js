/*
 * crowd-entity-annotation (CROWD-ELEMENTS §3.6): highlight spans of a text and tag each with a
 * label. Self-contained: it holds its own <crowd-form>, which stays silent inside an outer form.
 */
(function () {
  "use strict";

  const { h } = Crowd;

  // d3 "category10", the colours A2I's tools use in label order.
  const COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
    "#7f7f7f", "#bcbd22", "#17becf"];

  Crowd.addStyle("crowd-entity", `
crowd-entity-annotation { display: block; margin: 8px 0 16px; font-family: var(--crowd-font);
  color: var(--crowd-text); }
.crowd-entity { display: grid; grid-template-columns: minmax(0, 1fr); gap: 20px; align-items: start; }
.crowd-entity.crowd-has-panel { grid-template-columns: minmax(200px, 280px) minmax(0, 1fr); }
.crowd-entity-main { min-width: 0; }
.crowd-entity-header { margin: 0 0 12px; font-size: 18px; font-weight: 600; }
.crowd-entity-labels { display: flex; flex-wrap: wrap; gap: 8px; margin-bottom: 12px; }
.crowd-entity-label { display: inline-flex; align-items: center; gap: 8px; padding: 6px 10px;
  border: 1px solid var(--crowd-border); border-radius: 16px; background: #fff; color: var(--crowd-text);
  font: 14px/1.2 var(--crowd-font); cursor: pointer; }
.crowd-entity-label:hover { border-color: var(--crowd-label-colour); }
.crowd-entity-label:focus-visible { outline: none; box-shadow: var(--crowd-focus-ring); }
.crowd-entity-label[aria-pressed="true"] { border-color: var(--crowd-label-colour);
  box-shadow: inset 0 0 0 1px var(--crowd-label-colour); background: var(--crowd-subtle); }
.crowd-entity-swatch { width: 12px; height: 12px; border-radius: 3px; background: var(--crowd-label-colour); }
.crowd-entity-label kbd { padding: 0 5px; border-radius: 4px; border: 1px solid var(--crowd-border);
  border-bottom-width: 2px; color: var(--crowd-muted);
  font: 600 11px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.crowd-entity-prompt { min-height: 20px; margin: 0 0 8px; font-size: 13px; color: var(--crowd-muted); }
.crowd-entity-prompt.crowd-entity-refused { color: var(--crowd-error); }
.crowd-entity-text { padding: 18px 16px 14px; border: 1px solid var(--crowd-border); border-radius: 8px;
  background: #fff; font-size: 16px; line-height: 2.6; white-space: pre-wrap; overflow-wrap: anywhere;
  cursor: text; }
.crowd-entity-text:focus-visible { outline: none; box-shadow: var(--crowd-focus-ring); }
.crowd-entity-mark { position: relative; padding: 3px 0; border-radius: 3px; color: inherit;
  background: color-mix(in srgb, var(--crowd-label-colour) 22%, transparent);
  border-bottom: 3px solid var(--crowd-label-colour); }
.crowd-entity-mark .crowd-entity-mark { padding: 1px 0; }
.crowd-entity-mark .crowd-entity-mark > .crowd-entity-chip { bottom: auto; top: 100%; margin: 1px 0 0; }
.crowd-entity-chip { position: absolute; left: 0; bottom: 100%; margin-bottom: -2px; padding: 0 4px;
  border-radius: 3px; background: var(--crowd-label-colour); color: #fff;
  font: 700 10px/1.5 var(--crowd-font); white-space: nowrap; user-select: none; pointer-events: none; }
.crowd-entity-list { margin: 14px 0 0; padding: 0; list-style: none; display: grid; gap: 6px; }
.crowd-entity-list:empty::before { content: "No highlights yet."; color: var(--crowd-muted); font-size: 14px; }
.crowd-entity-item { display: flex; align-items: center; gap: 10px; padding: 6px 8px 6px 12px;
  border: 1px solid var(--crowd-border); border-left: 4px solid var(--crowd-label-colour);
  border-radius: var(--crowd-radius); font-size: 14px; }
.crowd-entity-item-label { font-weight: 600; }
.crowd-entity-item-text { flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
  color: var(--crowd-muted); }
.crowd-entity-item .crowd-btn-icon { width: 30px; min-height: 30px; }
.crowd-entity-extra:empty { display: none; }
.crowd-entity-extra { margin-top: 14px; }
`);

  const observe = (...names) =>
    names.flatMap((name) => (name.includes("-") ? [name, name.replace(/-/g, "")] : [name]));

  /** Labels as written: objects {label, shortDisplayName?, fullDisplayName?} or plain strings. */
  function normaliseLabels(raw) {
    const list = Array.isArray(raw) ? raw : [];
    return list.map((item) => {
      if (item && typeof item === "object") {
        const label = String(item.label ?? item.name ?? "");
        return {
          label,
          shortDisplayName: String(item.shortDisplayName || label),
          fullDisplayName: String(item.fullDisplayName || label),
        };
      }
      const label = String(item);
      return { label, shortDisplayName: label, fullDisplayName: label };
    }).filter((item) => item.label);
  }

  class CrowdEntityAnnotation extends Crowd.CrowdElement {
    static get observedAttributes() {
      return observe("text", "labels", "header", "initial-value");
    }

    constructor() {
      super();
      // A2I templates reach the built-in form as el.shadowRoot.querySelector('crowd-form').
      // Everything renders in the light DOM; this open root only shows it (one default slot)
      // and answers those look-ups from the light DOM.
      const root = this.attachShadow({ mode: "open" });
      root.append(document.createElement("slot"));
      root.querySelector = (selector) => this.querySelector(selector);
      root.getElementById = (id) => this.querySelector(`#${CSS.escape(id)}`);
    }

    get text() { return this._text !== undefined ? this._text : Crowd.attr(this, "text") || ""; }
    set text(value) {
      this._text = String(value ?? "");
      this._entities = [];
      this._renderAll();
    }
    get labels() {
      return this._labels || normaliseLabels(Crowd.jsonAttr(this, "labels", []));
    }
    set labels(list) {
      this._labels = normaliseLabels(Array.isArray(list) ? list : Crowd.parseRelaxed(list, []));
      this._renderAll();
    }
    get header() { return Crowd.attr(this, "header") || ""; }
    set header(text) { this.setAttribute("header", text); }

    /** The current answer: {entities: [{label, startOffset, endOffset}]}. */
    get value() {
      return { entities: (this._entities || []).map(({ label, startOffset, endOffset }) =>
        ({ label, startOffset, endOffset })) };
    }
    get _submittableValue() { return this.value; }

    attributeChangedCallback(name, before, after) {
      if (!this._textBox || before === after) return;
      if (name === "labels") this._labels = null;
      if (name === "text") { this._text = undefined; this._entities = []; }
      if (name === "initial-value" || name === "initialvalue") this._entities = this._initial();
      this._renderAll();
    }

    crowdSetup() {
      Crowd.upgradeProperties(this, ["text", "labels", "header"]);
      const regions = Crowd.instructionRegions(this);
      const extra = Array.from(this.childNodes).filter(
        (node) => node !== regions.short && node !== regions.full);
      this._header = h("h2", { class: "crowd-entity-header" });
      this._labelBar = h("div", { class: "crowd-entity-labels", role: "toolbar", "aria-label": "Labels" });
      this._prompt = h("p", { class: "crowd-entity-prompt", "aria-live": "polite" });
      this._textBox = h("div", {
        class: "crowd-entity-text", tabindex: "0", "aria-label": "Text to annotate",
      });
      this._list = h("ul", { class: "crowd-entity-list", "aria-label": "Highlights" });
      const main = h("div", { class: "crowd-entity-main" }, this._header, this._labelBar,
        this._prompt, this._textBox, this._list, h("div", { class: "crowd-entity-extra" }, extra));
      const layout = h("div", { class: "crowd-entity" }, main);
      const panel = Crowd.instructionsPanel(this, regions);
      if (panel) {
        layout.classList.add("crowd-has-panel");
        layout.prepend(panel);
      }
      const form = document.createElement("crowd-form");
      form.classList.add("crowd-entity-form");
      form._crowdHost = this;
      form.append(layout);
      this.replaceChildren(form);

      this._entities = this._initial();
      this._initialEntities = this._entities.map((e) => ({ ...e }));
      this._active = null;
      this._pending = null;
      this._textBox.addEventListener("mouseup", () => this._takeSelection());
      this._textBox.addEventListener("keyup", (event) => {
        if (event.shiftKey) this._takeSelection();
      });
      document.addEventListener("keydown", (event) => this._onKey(event));
      this._renderAll();
    }

    _initial() {
      const raw = Crowd.jsonAttr(this, "initial-value", []);
      const length = this.text.length;
      const known = new Set(this.labels.map((l) => l.label));
      return (Array.isArray(raw) ? raw : []).filter((e) => e && known.has(String(e.label)) &&
        Number.isInteger(Number(e.startOffset)) && Number.isInteger(Number(e.endOffset)) &&
        Number(e.startOffset) >= 0 && Number(e.endOffset) <= length &&
        Number(e.startOffset) < Number(e.endOffset))
        .map((e) => ({ label: String(e.label), startOffset: Number(e.startOffset), endOffset: Number(e.endOffset) }));
    }

    _labelInfo(label) {
      const labels = this.labels;
      const index = labels.findIndex((l) => l.label === label);
      return {
        info: labels[index] || { label, shortDisplayName: label, fullDisplayName: label },
        colour: index < 0 ? "#7f7f7f" : COLOURS[index % COLOURS.length],
      };
    }

    _renderAll() {
      if (!this._textBox) return;
      this._header.textContent = this.header;
      this._header.hidden = !this.header;
      const labels = this.labels;
      if (this._active && !labels.some((l) => l.label === this._active)) this._active = null;
      if (!this._active && labels.length === 1) this._active = labels[0].label;
      this._labelBar.replaceChildren(...labels.map((item, index) => {
        const button = h("button", {
          type: "button", class: "crowd-entity-label", "data-crowd-internal": "",
          "aria-pressed": String(item.label === this._active), title: item.fullDisplayName,
          "aria-keyshortcuts": index < 9 ? String(index + 1) : null,
          onclick: () => this.pickLabel(item.label),
        }, h("span", { class: "crowd-entity-swatch", "aria-hidden": "true" }),
        h("span", { text: item.fullDisplayName }),
        index < 9 ? h("kbd", { text: String(index + 1), "aria-hidden": "true" }) : null);
        button.style.setProperty("--crowd-label-colour", COLOURS[index % COLOURS.length]);
        return button;
      }));
      this._renderText();
      this._renderList();
      this._showPrompt();
    }

    /** The text with its highlights. Highlights nest (a new one may cover whole earlier ones),
     * so they are drawn as nested <mark>s. */
    _renderText() {
      const text = this.text;
      const spans = this._entities.map((e, index) => ({ ...e, index }))
        .sort((a, b) => a.startOffset - b.startOffset || b.endOffset - a.endOffset || a.index - b.index);
      const build = (start, end, inside) => {
        const nodes = [];
        let at = start;
        while (inside.length) {
          const span = inside.shift();
          const children = [];
          while (inside.length && inside[0].startOffset < span.endOffset) children.push(inside.shift());
          if (span.startOffset > at) nodes.push(document.createTextNode(text.slice(at, span.startOffset)));
          const { info, colour } = this._labelInfo(span.label);
          const mark = h("mark", {
            class: "crowd-entity-mark", "data-entity": String(span.index), title: info.fullDisplayName,
          }, h("span", { class: "crowd-entity-chip", "data-crowd-chip": "", "aria-hidden": "true",
            text: info.shortDisplayName }));
          mark.style.setProperty("--crowd-label-colour", colour);
          mark.append(...build(span.startOffset, span.endOffset, children));
          nodes.push(mark);
          at = span.endOffset;
        }
        if (end > at) nodes.push(document.createTextNode(text.slice(at, end)));
        return nodes;
      };
      this._textBox.replaceChildren(...build(0, text.length, spans));
    }

    _renderList() {
      const text = this.text;
      this._list.replaceChildren(...this._entities.map((entity, index) => {
        const { info, colour } = this._labelInfo(entity.label);
        const quoted = `\u201c${text.slice(entity.startOffset, entity.endOffset)}\u201d`;
        const item = h("li", { class: "crowd-entity-item" },
          h("span", { class: "crowd-entity-item-label", text: info.fullDisplayName }),
          h("span", { class: "crowd-entity-item-text", text: quoted }),
          h("button", {
            type: "button", class: "crowd-btn crowd-btn-icon crowd-entity-delete", "data-crowd-internal": "",
            "aria-label": `Remove ${info.fullDisplayName} ${quoted}`,
            onclick: () => this.removeEntity(index),
          }, Crowd.icon("delete")));
        item.style.setProperty("--crowd-label-colour", colour);
        return item;
      }));
    }

    _showPrompt(message, refused = false) {
      this._prompt.classList.toggle("crowd-entity-refused", refused);
      if (message) { this._prompt.textContent = message; return; }
      if (this._pending) {
        const quoted = this.text.slice(this._pending.startOffset, this._pending.endOffset);
        this._prompt.textContent = `Choose a label for \u201c${quoted}\u201d.`;
      } else if (this._active) {
        this._prompt.textContent = `Select text to label it ${this._labelInfo(this._active).info.fullDisplayName}.`;
      } else {
        this._prompt.textContent = "Choose a label, then select text with the mouse.";
      }
    }

    /** Text nodes of the annotated text (not the label chips), in order. */
    _textNodes() {
      const nodes = [];
      const walker = document.createTreeWalker(this._textBox, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.parentElement.closest("[data-crowd-chip]")) nodes.push(node);
      }
      return nodes;
    }

    /** The character offset into `text` of a DOM boundary point inside the text box. */
    _offsetOf(node, offset) {
      const point = document.createRange();
      point.setStart(node, offset);
      let total = 0;
      for (const textNode of this._textNodes()) {
        if (textNode === node) return total + offset;
        if (point.comparePoint(textNode, textNode.length) <= 0) total += textNode.length;
        else break;
      }
      return total;
    }

    _takeSelection() {
      const selection = window.getSelection();
      if (!selection.rangeCount || selection.isCollapsed) return;
      const range = selection.getRangeAt(0);
      if (!this._textBox.contains(range.commonAncestorContainer)) return;
      let start = this._offsetOf(range.startContainer, range.startOffset);
      let end = this._offsetOf(range.endContainer, range.endOffset);
      const text = this.text;
      while (start < end && /\s/.test(text[start])) start++;
      while (end > start && /\s/.test(text[end - 1])) end--;
      if (start >= end) return;
      selection.removeAllRanges();
      if (this._active) this.addEntity(this._active, start, end);
      else {
        this._pending = { startOffset: start, endOffset: end };
        this._showPrompt();
      }
    }

    /** Choose the label for new highlights; with text waiting for a label, label it. */
    pickLabel(label) {
      if (this._pending) {
        const { startOffset, endOffset } = this._pending;
        this._pending = null;
        this._active = label;
        this._renderLabels();
        this.addEntity(label, startOffset, endOffset);
        return;
      }
      this._active = this._active === label && this.labels.length > 1 ? null : label;
      this._renderLabels();
      this._showPrompt();
    }

    _renderLabels() {
      for (const [index, button] of Array.from(this._labelBar.children).entries()) {
        button.setAttribute("aria-pressed", String(this.labels[index].label === this._active));
      }
    }

    /** Add a highlight; refused (false) when it would cover part of an existing one. */
    addEntity(label, startOffset, endOffset) {
      for (const e of this._entities) {
        const disjoint = endOffset <= e.startOffset || startOffset >= e.endOffset;
        const covers = startOffset <= e.startOffset && e.endOffset <= endOffset;
        if (e.label === label && e.startOffset === startOffset && e.endOffset === endOffset) {
          this._showPrompt("That text already has this label.", true);
          return false;
        }
        if (!disjoint && !covers) {
          this._showPrompt("A highlight may cover whole highlights, but not part of one.", true);
          return false;
        }
      }
      this._entities.push({ label, startOffset, endOffset });
      this._changed();
      return true;
    }

    removeEntity(index) {
      this._entities.splice(index, 1);
      this._changed();
      const buttons = this._list.querySelectorAll(".crowd-entity-delete");
      const next = buttons[Math.min(index, buttons.length - 1)];
      (next || this._textBox).focus();
    }

    _changed() {
      this._renderText();
      this._renderList();
      this._showPrompt();
      this.dispatchEvent(new Event("change", { bubbles: true }));
    }

    _onKey(event) {
      if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      if (!this._textBox || !/^[1-9]$/.test(event.key)) return;
      const target = event.target;
      if (target.isContentEditable || /^(input|textarea|select)$/.test(target.localName)) return;
      const all = Array.from(document.querySelectorAll("crowd-entity-annotation"));
      const owner = all.find((el) => el.contains(target)) ||
        (target.closest && target.closest("crowd-classifier, crowd-classifier-multi-select") ? null : all[0]);
      if (owner !== this) return;
      const label = this.labels[Number(event.key) - 1];
      if (!label) return;
      event.preventDefault();
      this.pickLabel(label.label);
    }

    crowdAnswer() {
      return this.value;
    }

    crowdReset() {
      this._entities = (this._initialEntities || []).map((e) => ({ ...e }));
      this._pending = null;
      if (this._textBox) this._changed();
    }

    crowdFocus() {
      if (this._textBox) this._textBox.focus();
    }
  }
  Crowd.define("crowd-entity-annotation", CrowdEntityAnnotation);
})();
