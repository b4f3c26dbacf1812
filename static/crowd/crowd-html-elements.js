/* Crowd HTML Elements for the A2I portal. Built by scripts/build-crowd-elements from
 * static/crowd/src/; edit the sources, then run the script. */

/* ---- 00-core.js ---- */
/*
 * Crowd HTML Elements: the portal's own implementation of A2I's worker-template elements.
 * Core shared by every element: relaxed attribute parsing, the base class and the contract
 * between elements and <crowd-form>.
 *
 * Contract: an element that contributes to the answer implements
 *   crowdAnswer()   -> the value stored under its `name` attribute, or undefined to omit it
 *   crowdValidate() -> null when it may be submitted, else a message for the reviewer
 *   crowdReset()    -> back to the initial state (form-action="reset")
 * and <crowd-form> collects every descendant with a `name` that implements crowdAnswer().
 */
(function () {
  "use strict";

  const Crowd = (window.Crowd = window.Crowd || {});

  /* ---- Relaxed JSON: what templates write in attributes (CROWD-ELEMENTS §1.2) ---- */

  class RelaxedParser {
    constructor(text) {
      this.text = text;
      this.at = 0;
    }
    fail(why) {
      throw new SyntaxError(`${why} at ${this.at} in ${JSON.stringify(this.text.slice(0, 80))}`);
    }
    skip() {
      for (;;) {
        const rest = this.text.slice(this.at);
        const space = /^\s+/.exec(rest);
        if (space) { this.at += space[0].length; continue; }
        if (rest.startsWith("//")) {
          const end = this.text.indexOf("\n", this.at);
          this.at = end < 0 ? this.text.length : end + 1;
          continue;
        }
        if (rest.startsWith("/*")) {
          const end = this.text.indexOf("*/", this.at + 2);
          if (end < 0) this.fail("unterminated comment");
          this.at = end + 2;
          continue;
        }
        return;
      }
    }
    peek() { this.skip(); return this.text[this.at]; }
    value() {
      const c = this.peek();
      if (c === "{") return this.object();
      if (c === "[") return this.array();
      if (c === '"' || c === "'") return this.string();
      const rest = this.text.slice(this.at);
      const number = /^[+-]?(?:Infinity|NaN|0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(rest);
      if (number) { this.at += number[0].length; return Number(number[0]); }
      const word = /^[A-Za-z_$][\w$]*/.exec(rest);
      if (word) {
        this.at += word[0].length;
        if (word[0] === "true") return true;
        if (word[0] === "false") return false;
        if (word[0] === "null") return null;
        if (word[0] === "undefined") return undefined;
        this.fail(`unexpected word ${word[0]}`);
      }
      this.fail("unexpected character");
    }
    string() {
      const quote = this.text[this.at++];
      let out = "";
      for (;;) {
        if (this.at >= this.text.length) this.fail("unterminated string");
        const c = this.text[this.at++];
        if (c === quote) return out;
        if (c !== "\\") { out += c; continue; }
        const e = this.text[this.at++];
        const simple = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", v: "\v", 0: "\0" };
        if (e in simple) out += simple[e];
        else if (e === "u") {
          out += String.fromCharCode(parseInt(this.text.slice(this.at, this.at + 4), 16));
          this.at += 4;
        } else if (e === "x") {
          out += String.fromCharCode(parseInt(this.text.slice(this.at, this.at + 2), 16));
          this.at += 2;
        } else if (e === "\n") { /* line continuation */ }
        else out += e;
      }
    }
    key() {
      const c = this.peek();
      if (c === '"' || c === "'") return this.string();
      const word = /^[A-Za-z_$\d][\w$-]*/.exec(this.text.slice(this.at));
      if (!word) this.fail("expected a key");
      this.at += word[0].length;
      return word[0];
    }
    object() {
      this.at++;
      const out = {};
      for (;;) {
        if (this.peek() === "}") { this.at++; return out; }
        const key = this.key();
        if (this.peek() !== ":") this.fail("expected ':'");
        this.at++;
        out[key] = this.value();
        const next = this.peek();
        if (next === ",") { this.at++; continue; }
        if (next === "}") { this.at++; return out; }
        this.fail("expected ',' or '}'");
      }
    }
    array() {
      this.at++;
      const out = [];
      for (;;) {
        if (this.peek() === "]") { this.at++; return out; }
        out.push(this.value());
        const next = this.peek();
        if (next === ",") { this.at++; continue; }
        if (next === "]") { this.at++; return out; }
        this.fail("expected ',' or ']'");
      }
    }
  }

  /** Parse an attribute value written as JSON or as a JavaScript literal (single quotes,
   * unquoted keys, trailing commas, comments). An empty value or a failure gives `fallback`. */
  Crowd.parseRelaxed = function (text, fallback) {
    if (text === null || text === undefined) return fallback;
    if (typeof text !== "string") return text;
    if (!text.trim()) return fallback;
    try {
      return JSON.parse(text);
    } catch (_) { /* not strict JSON: try the relaxed form */ }
    try {
      const parser = new RelaxedParser(text);
      const value = parser.value();
      if (parser.peek() !== undefined) parser.fail("unexpected text after the value");
      return value;
    } catch (error) {
      console.warn("crowd-html-elements: cannot parse attribute value", error.message);
      return fallback;
    }
  };

  /* ---- Attributes: kebab-case, with the camelCase spelling accepted too ---- */

  const camel = (kebab) => kebab.replace(/-([a-z])/g, (_, c) => c.toUpperCase());

  Crowd.attr = function (element, kebab, fallback = null) {
    if (element.hasAttribute(kebab)) return element.getAttribute(kebab);
    const other = camel(kebab);
    if (other !== kebab && element.hasAttribute(other)) return element.getAttribute(other);
    return fallback;
  };

  /** A boolean attribute is true when present, whatever its text. */
  Crowd.flag = function (element, kebab) {
    return element.hasAttribute(kebab) || element.hasAttribute(camel(kebab));
  };

  Crowd.jsonAttr = function (element, kebab, fallback) {
    return Crowd.parseRelaxed(Crowd.attr(element, kebab), fallback);
  };

  /* ---- Small DOM helpers ---- */

  Crowd.h = function (tag, props = {}, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") el.className = value;
      else if (key === "text") el.textContent = value;
      else if (key.startsWith("on") && typeof value === "function") {
        el.addEventListener(key.slice(2), value);
      } else el.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  };

  Crowd.addStyle = function (id, css) {
    if (document.getElementById(id)) return;
    const style = document.createElement("style");
    style.id = id;
    style.textContent = css;
    (document.head || document.documentElement).append(style);
  };

  Crowd.loadImage = function (src) {
    return new Promise((resolve, reject) => {
      const image = new Image();
      image.onload = () => resolve(image);
      image.onerror = () => reject(new Error(`cannot load image ${src}`));
      image.src = src;
    });
  };

  /* ---- The base class ---- */

  class CrowdElement extends HTMLElement {
    connectedCallback() {
      if (this._crowdReady) return;
      this._crowdReady = true;
      // Children written in the template are parsed after the opening tag: set up once the
      // document (or this subtree) is complete.
      if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", () => this.crowdSetup(), { once: true });
      } else {
        this.crowdSetup();
      }
    }
    /** Build the element's UI. Called once, with the template's children in place. */
    crowdSetup() {}
    get name() { return this.getAttribute("name"); }
    set name(value) { this.setAttribute("name", value); }
    crowdValidate() { return null; }
    crowdReset() {}
  }
  Crowd.CrowdElement = CrowdElement;

  Crowd.define = function (name, cls) {
    if (!customElements.get(name)) customElements.define(name, cls);
  };
})();

/* ---- 10-form.js ---- */
/*
 * <crowd-form>: wraps the task, validates, runs the template's submit handlers, serializes the
 * answer (CROWD-ELEMENTS §2) and posts it to the parent window, which stores it.
 * Also the look shared by every element (colours, buttons, dialogs, instruction panels).
 */
(function () {
  "use strict";

  const { h } = Crowd;

  Crowd.addStyle("crowd-base", `
:root {
  --crowd-font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  --crowd-text: #16191f;
  --crowd-muted: #5f6b7a;
  --crowd-border: #c6ccd5;
  --crowd-surface: #ffffff;
  --crowd-subtle: #f4f6f8;
  --crowd-primary: #0a66c2;
  --crowd-primary-dark: #084f96;
  --crowd-primary-soft: #e8f1fb;
  --crowd-error: #c42b1c;
  --crowd-error-soft: #fdf0ef;
  --crowd-success: #107c10;
  --crowd-success-soft: #eff8ef;
  --crowd-warning: #8a5a00;
  --crowd-warning-soft: #fff8e5;
  --crowd-focus-ring: 0 0 0 3px rgba(10, 102, 194, 0.35);
  --crowd-radius: 6px;
}
crowd-form { display: block; font-family: var(--crowd-font); color: var(--crowd-text);
  line-height: 1.45; }
full-instructions { display: none; }
crowd-form[hidden], crowd-input[hidden], crowd-text-area[hidden], crowd-checkbox[hidden],
crowd-radio-button[hidden], crowd-radio-group[hidden], crowd-toggle-button[hidden],
crowd-slider[hidden], crowd-button[hidden], crowd-icon-button[hidden], crowd-fab[hidden],
crowd-alert[hidden], crowd-badge[hidden], crowd-card[hidden], crowd-tabs[hidden], crowd-tab[hidden],
crowd-modal[hidden], crowd-instructions[hidden], crowd-classifier[hidden],
crowd-classifier-multi-select[hidden], crowd-entity-annotation[hidden],
crowd-textract-analyze-document[hidden], crowd-rekognition-detect-moderation-labels[hidden],
iron-icon[hidden] { display: none !important; }
.crowd-dialog full-instructions { display: block; }
.crowd-form-native { display: block; margin: 0; }
.crowd-form-layout { display: block; }
.crowd-form-layout.crowd-has-panel { display: flex; align-items: flex-start; gap: 24px; }
.crowd-form-layout.crowd-has-panel > .crowd-instructions-panel { flex: 0 0 280px; max-width: 30%; }
.crowd-form-body { flex: 1 1 auto; min-width: 0; }
.crowd-form-alert { margin: 0 0 16px; padding: 12px 16px; border-radius: var(--crowd-radius);
  border: 1px solid var(--crowd-error); border-left-width: 6px;
  background: var(--crowd-error-soft); color: var(--crowd-text); font-family: var(--crowd-font); }
.crowd-form-alert[hidden] { display: none; }
.crowd-form-alert strong { display: block; margin-bottom: 4px; color: var(--crowd-error); }
.crowd-form-alert ul { margin: 0; padding-left: 20px; }
.crowd-form-footer { display: flex; align-items: center; gap: 12px; margin-top: 20px; }
.crowd-form-status { color: var(--crowd-success); font-weight: 600; font-family: var(--crowd-font); }
.crowd-form-status:empty { display: none; }
.crowd-invalid { outline: 2px solid var(--crowd-error) !important; outline-offset: 3px;
  border-radius: 4px; }

.crowd-btn { display: inline-flex; align-items: center; justify-content: center; gap: 6px;
  min-height: 36px; padding: 6px 18px; border-radius: 18px; border: 1px solid var(--crowd-primary);
  background: var(--crowd-surface); color: var(--crowd-primary); font: 600 14px/1.2 var(--crowd-font);
  cursor: pointer; text-decoration: none; white-space: nowrap; transition: background .12s, box-shadow .12s; }
.crowd-btn:hover { background: var(--crowd-primary-soft); }
.crowd-btn:focus-visible { outline: none; box-shadow: var(--crowd-focus-ring); }
.crowd-btn.crowd-btn-primary { background: var(--crowd-primary); color: #fff; }
.crowd-btn.crowd-btn-primary:hover { background: var(--crowd-primary-dark); border-color: var(--crowd-primary-dark); }
.crowd-btn.crowd-btn-link { border-color: transparent; background: transparent; padding: 6px 4px;
  text-decoration: underline; }
.crowd-btn.crowd-btn-icon { width: 36px; padding: 0; border-color: transparent; background: transparent;
  color: var(--crowd-text); border-radius: 50%; }
.crowd-btn.crowd-btn-icon:hover { background: var(--crowd-subtle); }
.crowd-btn:disabled, .crowd-btn[aria-disabled="true"] { opacity: .45; cursor: not-allowed;
  pointer-events: none; }
crowd-form[submitted] .crowd-submit, crowd-form[submitted] crowd-button[form-action="submit"] {
  opacity: .55; pointer-events: none; }
.crowd-link { background: none; border: none; padding: 0; color: var(--crowd-primary);
  font: inherit; text-decoration: underline; cursor: pointer; }
.crowd-link:focus-visible { outline: none; box-shadow: var(--crowd-focus-ring); border-radius: 2px; }

.crowd-dialog { border: none; border-radius: 10px; padding: 0; width: min(760px, 92vw);
  max-height: 85vh; color: var(--crowd-text); font-family: var(--crowd-font);
  box-shadow: 0 12px 40px rgba(0, 0, 0, .28); }
.crowd-dialog::backdrop { background: rgba(15, 20, 30, .45); }
.crowd-dialog-head { display: flex; align-items: center; justify-content: space-between; gap: 12px;
  padding: 14px 20px; border-bottom: 1px solid var(--crowd-border); position: sticky; top: 0;
  background: var(--crowd-surface); }
.crowd-dialog-head h2 { margin: 0; font-size: 18px; }
.crowd-dialog-head-bare { justify-content: flex-end; padding: 8px 8px 0; border-bottom: none; }
.crowd-dialog-head-bare + .crowd-dialog-body { padding-top: 0; }
.crowd-dialog-body { padding: 16px 20px 20px; overflow: auto; }
.crowd-dialog-close { font-size: 22px; line-height: 1; }

.crowd-instructions-panel { box-sizing: border-box; padding: 16px; border-radius: 8px;
  background: var(--crowd-subtle); border: 1px solid var(--crowd-border); font-size: 14px;
  font-family: var(--crowd-font); }
.crowd-instructions-panel > h2 { margin: 0 0 8px; font-size: 15px; }
.crowd-instructions-panel short-instructions { display: block; }
.crowd-instructions-panel .crowd-link { display: inline-block; margin-top: 12px; }
.crowd-visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }
`);

  /* ---- Shared pieces: properties, events, dialogs, instruction regions ---- */

  let uidCount = 0;
  Crowd.uid = (prefix) => `${prefix}-${++uidCount}`;

  /** Properties mirroring attributes: `booleans` are flags, `strings` plain text; each is
   * spelled camelCase as a property and kebab-case as an attribute (CROWD-ELEMENTS §1.2). */
  Crowd.reflect = function (cls, { booleans = [], strings = [] }) {
    const camel = (kebab) => kebab.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    for (const kebab of booleans) {
      Object.defineProperty(cls.prototype, camel(kebab), {
        configurable: true,
        get() { return Crowd.flag(this, kebab); },
        set(on) {
          if (on) this.setAttribute(kebab, "");
          else { this.removeAttribute(kebab); this.removeAttribute(camel(kebab)); }
        },
      });
    }
    for (const kebab of strings) {
      Object.defineProperty(cls.prototype, camel(kebab), {
        configurable: true,
        get() { return Crowd.attr(this, kebab); },
        set(text) {
          if (text === null || text === undefined) this.removeAttribute(kebab);
          else this.setAttribute(kebab, text);
        },
      });
    }
  };

  /** A property a script set on the element before it was upgraded hides the class's accessor:
   * take it off the instance and assign it again through the accessor. */
  Crowd.upgradeProperties = function (el, names) {
    for (const name of names) {
      if (Object.prototype.hasOwnProperty.call(el, name)) {
        const value = el[name];
        delete el[name];
        el[name] = value;
      }
    }
  };

  /** Run `fn` once `event` has reached every listener (the element's, its ancestors' and the
   * document's), unless one of them called preventDefault(). */
  const pendingAfterDispatch = new WeakMap();
  Crowd.afterDispatch = function (event, fn) {
    let done = false;
    const run = () => {
      if (done) return;
      done = true;
      if (!event.defaultPrevented) fn();
    };
    pendingAfterDispatch.set(event, run);
    setTimeout(run, 0); // when a listener stopped the event before it reached the window
  };
  window.addEventListener("click", (event) => {
    const run = pendingAfterDispatch.get(event);
    if (run) run();
  });

  let dialogCount = 0;

  /** A modal dialog holding `content`, appended to `owner` so controls inside stay in its form.
   * Returns {element, body, open(), close()}. */
  Crowd.dialog = function (owner, { title, label, content, className }) {
    const id = `crowd-dialog-${++dialogCount}`;
    const body = h("div", { class: "crowd-dialog-body" }, content);
    const close = h("button", {
      type: "button", class: "crowd-btn crowd-btn-icon crowd-dialog-close", "aria-label": "Close",
      "data-crowd-internal": "", text: "\u00d7",
    });
    const element = h("dialog", {
      class: `crowd-dialog ${className || ""}`.trim(),
      "aria-labelledby": title ? id : null, "aria-label": title ? null : label || "Dialog",
    }, h("div", { class: title ? "crowd-dialog-head" : "crowd-dialog-head crowd-dialog-head-bare" },
      title ? h("h2", { id, text: title }) : null, close), body);
    close.addEventListener("click", () => element.close());
    element.addEventListener("click", (event) => { if (event.target === element) element.close(); });
    owner.append(element);
    return {
      element,
      body,
      open() { if (!element.open) element.showModal(); },
      close() { if (element.open) element.close(); },
    };
  };

  /** The short-instructions / full-instructions children of `host` (direct children only). */
  Crowd.instructionRegions = function (host) {
    const child = (tag) => Array.from(host.children).find((el) => el.localName === tag) || null;
    return { short: child("short-instructions"), full: child("full-instructions") };
  };

  /** A side panel with the short instructions and a "View full instructions" link opening a
   * modal. The regions are moved (not copied), so controls inside stay live. Null when the host
   * has neither region. */
  Crowd.instructionsPanel = function (host, regions = Crowd.instructionRegions(host)) {
    const { short, full } = regions;
    if (!short && !full) return null;
    const panel = h("aside", { class: "crowd-instructions-panel", "aria-label": "Instructions" });
    if (short) {
      panel.append(h("h2", { text: short.getAttribute("header") || "Instructions" }), short);
    }
    if (full) {
      const dialog = Crowd.dialog(panel, {
        title: full.getAttribute("header") || "Full instructions", content: full,
        className: "crowd-full-instructions-dialog",
      });
      panel.append(h("button", {
        type: "button", class: "crowd-link crowd-view-full-instructions", "data-crowd-internal": "",
        text: "View full instructions", onclick: () => dialog.open(),
      }));
    }
    return panel;
  };

  /* ---- Serialization helpers (CROWD-ELEMENTS §2.2) ---- */

  const isPlainObject = (value) =>
    value !== null && typeof value === "object" && !Array.isArray(value);

  const NATIVE = new Set(["input", "select", "textarea"]);
  const BUTTON_TYPES = new Set(["button", "submit", "reset", "image"]);

  function nativeAnswer(el) {
    if (el.localName === "select") {
      if (el.multiple) return Array.from(el.selectedOptions, (option) => option.value);
      return el.value === "" ? undefined : el.value;
    }
    if (el.localName === "textarea") return el.value === "" ? undefined : el.value;
    const type = (el.getAttribute("type") || "text").toLowerCase();
    if (BUTTON_TYPES.has(type)) return undefined;
    if (type === "checkbox" || type === "radio") return { [el.value || "on"]: el.checked };
    return el.value === "" ? undefined : el.value;
  }

  const isMerging = (el) =>
    el.crowdMergeAnswer === true ||
    (el.localName === "input" && /^(checkbox|radio)$/i.test(el.getAttribute("type") || ""));

  function flatten(object, prefix = "", out = {}) {
    for (const [key, value] of Object.entries(object)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (isPlainObject(value)) flatten(value, path, out);
      else out[path] = value;
    }
    return out;
  }

  const labelOf = (el) => {
    const text = el.getAttribute("label") || el.getAttribute("header") ||
      (el.labels && el.labels[0] && el.labels[0].textContent.trim()) ||
      el.getAttribute("aria-label") || el.getAttribute("name");
    return text ? text.trim() : "";
  };

  const SUBMIT_LOCK_MS = 10000;

  class CrowdForm extends Crowd.CrowdElement {
    /** The native <form> holding the task; templates append their own controls to it. */
    get form() {
      this._ensureForm();
      return this._form;
    }

    _ensureForm() {
      if (this._form) return;
      const form = (this._form = h("form", { class: "crowd-form-native", novalidate: true }));
      form.addEventListener("submit", (event) => {
        if (event === this._ownEvent) return;
        // A native submission (Enter in a field, a <button> without type) must not navigate
        // away; only an explicit submit control starts the crowd pipeline.
        event.preventDefault();
        event.stopImmediatePropagation();
        const submitter = event.submitter;
        if (submitter && (submitter.getAttribute("type") || "").toLowerCase() === "submit") {
          this.submit();
        }
      });
      form.addEventListener("reset", (event) => {
        // The native reset of the form's own inputs follows this event: reset the elements after.
        queueMicrotask(() => { if (!event.defaultPrevented) this._resetCrowdElements(); });
      });
      form.append(...this.childNodes);
      this.append(form);
    }

    crowdSetup() {
      if (this._setupDone) return;
      this._setupDone = true;
      this._ensureForm();
      const form = this._form;
      for (const node of Array.from(this.childNodes)) if (node !== form) form.append(node);
      this._passive = !!(this.parentElement && this.parentElement.closest("crowd-form"));
      if (this._passive) return;

      this._alert = h("div", {
        class: "crowd-form-alert", role: "alert", tabindex: "-1", hidden: true,
      });
      this._body = h("div", { class: "crowd-form-body" });
      this._layout = h("div", { class: "crowd-form-layout" }, this._body);
      this._status = h("span", { class: "crowd-form-status", role: "status", "aria-live": "polite" });
      this._footer = h("div", { class: "crowd-form-footer" });
      this._own = new Set([this._alert, this._layout, this._footer]);
      this._adopt();
      form.prepend(this._alert, this._layout);
      form.append(this._footer);
      // Templates append questions to .form: keep them in the body, above the submit button.
      new MutationObserver(() => this._adopt()).observe(form, { childList: true });

      const panel = Crowd.instructionsPanel(this._body, Crowd.instructionRegions(this._body));
      if (panel) {
        this._layout.classList.add("crowd-has-panel");
        this._layout.prepend(panel);
      }

      if (!this._root().querySelector('crowd-button[form-action="submit"]')) {
        this._submitButton = h("button", {
          type: "button", class: "crowd-btn crowd-btn-primary crowd-submit", "data-crowd-internal": "",
          text: "Submit", onclick: () => this.submit(),
        });
        this._footer.append(this._submitButton);
      }
      this._footer.append(this._status);

      document.addEventListener("keydown", (event) => this._onKey(event));
      window.addEventListener("message", (event) => this._onMessage(event));
    }

    _adopt() {
      const stray = Array.from(this._form.childNodes).filter((node) => !this._own.has(node));
      if (stray.length) this._body.append(...stray);
    }

    /** Where answers and validations are gathered: the element a built-in form serves (its
     * host), else this form. */
    _root() {
      return this._crowdHost || this;
    }

    _outer() {
      return this.parentElement && this.parentElement.closest("crowd-form");
    }

    _elements() {
      const root = this._root();
      return [root, ...root.querySelectorAll("*")];
    }

    _onKey(event) {
      if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey) || event.defaultPrevented) return;
      const forms = Array.from(document.querySelectorAll("crowd-form")).filter((f) => !f._passive);
      const inside = forms.find((f) => f._root().contains(event.target));
      if ((inside || forms[0]) !== this) return;
      event.preventDefault();
      this.submit();
    }

    /** The parent window (the portal's work page) asks for a submission with
     * {type: "crowd-form:submit-request"} and answers a failed one with
     * {type: "crowd-form:error", message}. */
    _onMessage(event) {
      const data = event.data;
      if (event.source !== window.parent || !isPlainObject(data)) return;
      if (data.type === "crowd-form:submit-request") {
        if (this._isPrimary()) this.submit();
      } else if (data.type === "crowd-form:error" && this.hasAttribute("submitted")) {
        this._unlock();
        this._showProblems([], data.message || "The answer could not be saved. Please try again.");
      }
    }

    /** The form that page-wide requests go to: the first top-level one. */
    _isPrimary() {
      return Array.from(document.querySelectorAll("crowd-form")).find((f) => !f._passive) === this;
    }

    /** Problems blocking submission, in document order: [{element, message}]. */
    crowdProblems() {
      const problems = [];
      const radioGroups = new Set();
      for (const el of this._elements()) {
        if (el instanceof CrowdForm) continue;
        if (typeof el.crowdValidate === "function") {
          let message;
          try {
            message = el.crowdValidate();
          } catch (error) {
            message = error.message || "This answer cannot be checked.";
          }
          if (message) problems.push({ element: el, message: String(message) });
        } else if (typeof el.validate === "function" && el.localName.includes("-")) {
          let result;
          try {
            result = el.validate();
          } catch (error) {
            result = error.message || false;
          }
          if (result === false || (typeof result === "string" && result)) {
            const label = labelOf(el);
            const fallback = label ? `Check \u201c${label}\u201d.` : "Check this answer.";
            problems.push({
              element: el,
              message: typeof result === "string" ? result : el.getAttribute("error-message") || fallback,
            });
          }
        } else if (NATIVE.has(el.localName) && !el.hasAttribute("data-crowd-internal") &&
                   !el.matches(":disabled") && (el.name || el.required) && el.willValidate &&
                   !el.checkValidity()) {
          if (el.type === "radio") {
            if (radioGroups.has(el.name)) continue;
            radioGroups.add(el.name);
          }
          const label = labelOf(el);
          problems.push({ element: el, message: label ? `${label}: ${el.validationMessage}` : el.validationMessage });
        }
      }
      return problems;
    }

    /** The answer object as it would be submitted now. */
    serialize() {
      const answer = {};
      for (const el of this._elements()) {
        // A2I's built-in widgets answer under their integration's key, not a name.
        const name = el.crowdAnswerKey || el.getAttribute("name");
        if (!name) continue;
        let value;
        if (el.localName === "object-value-input") value = el.value;
        else if (typeof el.crowdAnswer === "function") value = el.crowdAnswer();
        else if (NATIVE.has(el.localName) && !el.hasAttribute("data-crowd-internal") &&
                 !el.matches(":disabled")) value = nativeAnswer(el);
        else continue;
        if (value === undefined) continue;
        if (isMerging(el) && isPlainObject(answer[name]) && isPlainObject(value)) {
          value = Object.assign({}, answer[name], value);
        }
        answer[name] = value;
      }
      const plain = JSON.parse(JSON.stringify(answer));
      return Crowd.attr(this, "answer-format") === "flatten-objects" ? flatten(plain) : plain;
    }

    /** Validate, run the template's submit handlers, serialize and post the answer. Returns
     * true when the answer was posted. */
    submit() {
      if (this.isConnected && !this._setupDone) this.crowdSetup();
      if (this._passive) {
        const outer = this._outer();
        return outer ? outer.submit() : false;
      }
      if (this._inHandlers || this.hasAttribute("submitted")) return false;
      this._clearProblems();
      const problems = this.crowdProblems();
      if (problems.length) {
        this._showProblems(problems);
        return false;
      }
      const event = new Event("submit", { bubbles: true, cancelable: true });
      this._ownEvent = event;
      this._inHandlers = true;
      let proceed;
      try {
        proceed = this.form.dispatchEvent(event);
      } finally {
        this._inHandlers = false;
        this._ownEvent = null;
      }
      if (!proceed) return false;
      let answer;
      try {
        answer = this.serialize();
      } catch (error) {
        console.error("crowd-form: cannot read the answer", error);
        this._showProblems([], `The answer could not be read: ${error.message}`);
        return false;
      }
      window.parent.postMessage({ type: "crowd-form:submit", answer }, "*");
      this._lock();
      return true;
    }

    requestSubmit() {
      return this.submit();
    }

    reset() {
      if (this._passive) {
        const outer = this._outer();
        if (outer) outer.reset();
        return;
      }
      this.form.reset(); // its reset event resets the crowd elements
    }

    _resetCrowdElements() {
      this._clearProblems();
      for (const el of this._elements()) {
        if (el !== this && typeof el.crowdReset === "function" && !(el instanceof CrowdForm)) {
          el.crowdReset();
        }
      }
    }

    _lock() {
      this.setAttribute("submitted", "");
      if (this._submitButton) this._submitButton.disabled = true;
      if (this._status) this._status.textContent = "\u2713 Submitted";
      clearTimeout(this._lockTimer);
      this._lockTimer = setTimeout(() => this._unlock(), SUBMIT_LOCK_MS);
    }

    _unlock() {
      clearTimeout(this._lockTimer);
      this.removeAttribute("submitted");
      if (this._submitButton) this._submitButton.disabled = false;
      if (this._status) this._status.textContent = "";
    }

    _clearProblems() {
      if (this._alert) {
        this._alert.hidden = true;
        this._alert.replaceChildren();
      }
      for (const el of this._root().querySelectorAll(".crowd-invalid")) {
        el.classList.remove("crowd-invalid");
        el.removeAttribute("aria-invalid");
      }
    }

    _showProblems(problems, text) {
      if (!this._alert) return;
      const heading = text || (problems.length === 1
        ? "Please fix this before submitting:" : "Please fix these before submitting:");
      this._alert.replaceChildren(h("strong", { text: heading }));
      if (problems.length) {
        this._alert.append(h("ul", {}, problems.map((p) => h("li", { text: p.message }))));
      }
      this._alert.hidden = false;
      for (const { element } of problems) {
        element.classList.add("crowd-invalid");
        element.setAttribute("aria-invalid", "true");
        const clear = () => {
          element.classList.remove("crowd-invalid");
          element.removeAttribute("aria-invalid");
        };
        element.addEventListener("input", clear, { once: true });
        element.addEventListener("change", clear, { once: true });
      }
      const first = problems[0] && problems[0].element;
      if (first) {
        first.scrollIntoView({ block: "center" });
        if (typeof first.crowdFocus === "function") first.crowdFocus();
        else first.focus({ preventScroll: true });
      } else {
        this._alert.scrollIntoView({ block: "nearest" });
        this._alert.focus({ preventScroll: true });
      }
    }
  }

  Crowd.CrowdForm = CrowdForm;
  Crowd.define("crowd-form", CrowdForm);

  // Templates wait for this to read or change element state (CROWD-ELEMENTS §1.1). Element set-up
  // runs on DOMContentLoaded; the timer fires after every set-up listener.
  const announceReady = () => setTimeout(() => {
    document.dispatchEvent(new Event("all-crowd-elements-ready"));
  }, 0);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", announceReady, { once: true });
  } else {
    announceReady();
  }
})();

/* ---- 20-controls.js ---- */
/*
 * Simple form controls (CROWD-ELEMENTS §3.1): crowd-input, crowd-text-area, crowd-checkbox,
 * crowd-radio-group + crowd-radio-button, crowd-toggle-button and crowd-slider.
 */
(function () {
  "use strict";

  const { h } = Crowd;

  /** Attribute names to observe: kebab-case, and the camelCase spelling as HTML stores it. */
  const observe = (...names) =>
    names.flatMap((name) => (name.includes("-") ? [name, name.replace(/-/g, "")] : [name]));

  const quoted = (text) => `\u201c${text}\u201d`;

  Crowd.addStyle("crowd-controls", `
crowd-input, crowd-text-area { display: block; margin: 8px 0 16px; font-family: var(--crowd-font); }
.crowd-field-label { display: block; margin-bottom: 4px; font-size: 13px; font-weight: 600;
  color: var(--crowd-muted); }
.crowd-field-required { color: var(--crowd-error); margin-left: 2px; }
.crowd-field-input { box-sizing: border-box; display: block; width: 100%; padding: 8px 10px;
  border: 1px solid var(--crowd-border); border-radius: var(--crowd-radius); background: #fff;
  color: var(--crowd-text); font: 15px/1.4 var(--crowd-font); transition: border-color .12s, box-shadow .12s; }
textarea.crowd-field-input { resize: vertical; }
.crowd-field-input::placeholder { color: #8c96a3; }
.crowd-field-input:hover { border-color: #98a2ae; }
.crowd-field-input:focus { outline: none; border-color: var(--crowd-primary); box-shadow: var(--crowd-focus-ring); }
.crowd-field-input:disabled { background: var(--crowd-subtle); color: var(--crowd-muted); cursor: not-allowed; }
crowd-input[data-invalid] .crowd-field-input, crowd-text-area[data-invalid] .crowd-field-input {
  border-color: var(--crowd-error); }
crowd-input.crowd-invalid, crowd-text-area.crowd-invalid { outline: none !important; }
.crowd-field-foot { display: flex; gap: 12px; justify-content: space-between; min-height: 0;
  font-size: 13px; margin-top: 4px; }
.crowd-field-foot:empty { display: none; }
.crowd-field-error { color: var(--crowd-error); }
.crowd-field-counter { color: var(--crowd-muted); margin-left: auto; font-variant-numeric: tabular-nums; }

crowd-checkbox, crowd-radio-button, crowd-toggle-button { display: inline-flex; align-items: center;
  gap: 8px; margin: 4px 12px 4px 0; padding: 2px 4px 2px 2px; cursor: pointer; user-select: none;
  border-radius: 4px;
  font-family: var(--crowd-font); vertical-align: middle; }
crowd-checkbox:focus, crowd-radio-button:focus, crowd-toggle-button:focus { outline: none; }
crowd-checkbox:focus-visible, crowd-radio-button:focus-visible, crowd-toggle-button:focus-visible {
  box-shadow: var(--crowd-focus-ring); }
crowd-checkbox[disabled], crowd-radio-button[disabled], crowd-toggle-button[disabled] {
  opacity: .5; cursor: not-allowed; }
.crowd-check-box { flex: none; box-sizing: border-box; width: 18px; height: 18px; border-radius: 3px;
  border: 2px solid #6b7682; background: #fff; display: inline-flex; align-items: center;
  justify-content: center; transition: background .12s, border-color .12s; }
.crowd-check-box svg { width: 14px; height: 14px; visibility: hidden; }
crowd-checkbox[checked] .crowd-check-box { background: var(--crowd-primary); border-color: var(--crowd-primary); }
crowd-checkbox[checked] .crowd-check-box svg { visibility: visible; }
crowd-checkbox:hover .crowd-check-box, crowd-radio-button:hover .crowd-radio-dot {
  border-color: var(--crowd-primary); }
.crowd-radio-dot { flex: none; box-sizing: border-box; width: 18px; height: 18px; border-radius: 50%;
  border: 2px solid #6b7682; background: #fff; display: inline-flex; align-items: center;
  justify-content: center; }
.crowd-radio-dot::after { content: ""; width: 8px; height: 8px; border-radius: 50%;
  background: var(--crowd-primary); transform: scale(0); }
crowd-radio-button[checked] .crowd-radio-dot { border-color: var(--crowd-primary); }
crowd-radio-button[checked] .crowd-radio-dot::after { transform: scale(1); }
crowd-radio-group { display: flex; flex-wrap: wrap; gap: 4px 0; }
.crowd-switch-track { flex: none; position: relative; width: 36px; height: 20px; border-radius: 10px;
  background: #a9b2bc; transition: background .15s; }
.crowd-switch-thumb { position: absolute; top: 2px; left: 2px; width: 16px; height: 16px;
  border-radius: 50%; background: #fff; box-shadow: 0 1px 3px rgba(0,0,0,.3); transition: left .15s; }
crowd-toggle-button[checked] .crowd-switch-track { background: var(--crowd-primary); }
crowd-toggle-button[checked] .crowd-switch-thumb { left: 18px; }
crowd-toggle-button[invalid]:not([checked]) .crowd-switch-track { background: var(--crowd-error); }
.crowd-choice-label:empty { display: none; }

crowd-slider { display: block; margin: 8px 0 16px; font-family: var(--crowd-font);
  --crowd-slider-thumb: 18px; }
.crowd-slider { display: flex; align-items: center; gap: 16px; }
.crowd-slider-body { position: relative; flex: 1; min-width: 120px; }
.crowd-slider-area { position: relative; height: 28px; }
.crowd-slider-track { position: absolute; left: 0; right: 0; top: 12px; height: 4px;
  border-radius: 2px; background: #d5dae0; overflow: hidden; }
.crowd-slider-secondary { position: absolute; left: 0; top: 0; bottom: 0;
  background: var(--crowd-slider-secondary-color, #9cc3ea); }
.crowd-slider-fill { position: absolute; left: 0; top: 0; bottom: 0; background: var(--crowd-primary); }
.crowd-slider-input { position: absolute; inset: 0; width: 100%; height: 28px; margin: 0;
  background: transparent; -webkit-appearance: none; appearance: none; cursor: pointer; }
.crowd-slider-input:focus { outline: none; }
.crowd-slider-input::-webkit-slider-runnable-track { height: 28px; background: transparent; }
.crowd-slider-input::-webkit-slider-thumb { -webkit-appearance: none; appearance: none;
  width: var(--crowd-slider-thumb); height: var(--crowd-slider-thumb); margin-top: 5px;
  border-radius: 50%; background: var(--crowd-primary); border: 2px solid #fff;
  box-shadow: 0 1px 3px rgba(0,0,0,.35); }
.crowd-slider-input:focus-visible::-webkit-slider-thumb { box-shadow: var(--crowd-focus-ring); }
.crowd-slider-input::-moz-range-thumb { width: 14px; height: 14px; border-radius: 50%;
  background: var(--crowd-primary); border: 2px solid #fff; }
.crowd-slider-input:disabled { cursor: not-allowed; }
.crowd-slider-input:disabled::-webkit-slider-thumb { background: #98a2ae; }
.crowd-slider-pin { position: absolute; bottom: 100%; transform: translateX(-50%); padding: 2px 8px;
  border-radius: 4px; background: var(--crowd-text); color: #fff; font-size: 12px;
  font-variant-numeric: tabular-nums; pointer-events: none; opacity: 0; transition: opacity .12s; }
crowd-slider[pin] .crowd-slider-input:active ~ .crowd-slider-pin,
crowd-slider[pin] .crowd-slider-input:focus-visible ~ .crowd-slider-pin,
crowd-slider[pin] .crowd-slider-body.crowd-dragging .crowd-slider-pin { opacity: 1; }
.crowd-slider-ticks { position: relative; height: 18px; font-size: 12px; color: var(--crowd-muted); }
.crowd-slider-ticks:empty { display: none; }
.crowd-slider-ticks crowd-slider-label { position: absolute; top: 0; white-space: nowrap; }
.crowd-slider-edit { width: 72px; }
`);

  /* ---- crowd-input and crowd-text-area ---- */

  const FIELD_PROPERTIES = [
    "value", "label", "placeholder", "type", "disabled", "required", "autoFocus", "autoValidate",
    "allowedPattern", "errorMessage", "maxLength", "minLength", "rows", "maxRows", "charCounter",
  ];

  class CrowdField extends Crowd.CrowdElement {
    static get observedAttributes() {
      return observe("value", "label", "placeholder", "type", "disabled", "required", "max-length",
        "min-length", "rows", "max-rows", "error-message", "char-counter");
    }

    get value() {
      if (this._input) return this._input.value;
      if (this._pendingValue !== undefined) return this._pendingValue;
      return Crowd.attr(this, "value") || "";
    }
    set value(text) {
      const value = text === null || text === undefined ? "" : String(text);
      if (this._input) {
        this._input.value = value;
        this._afterChange();
      } else {
        this._pendingValue = value;
      }
    }

    attributeChangedCallback(name, before, after) {
      if (!this._input || before === after) return;
      if (name === "value") this.value = after || "";
      this._sync();
    }

    crowdSetup() {
      Crowd.upgradeProperties(this, FIELD_PROPERTIES);
      const id = Crowd.uid(this.localName);
      const multiline = this.localName === "crowd-text-area";
      this._input = h(multiline ? "textarea" : "input", {
        id, class: "crowd-field-input", "data-crowd-internal": "",
        "aria-describedby": `${id}-foot`,
      });
      this._label = h("label", { class: "crowd-field-label", for: id });
      this._error = h("span", { class: "crowd-field-error", "aria-live": "polite" });
      this._counter = h("span", { class: "crowd-field-counter" });
      this._foot = h("div", { class: "crowd-field-foot", id: `${id}-foot` });
      this.prepend(h("div", { class: "crowd-field" }, this._label, this._input, this._foot));

      this._initial = Crowd.attr(this, "value") || "";
      this._input.value = this._pendingValue !== undefined ? this._pendingValue : this._initial;
      this._pendingValue = undefined;
      this._sync();

      this._input.addEventListener("beforeinput", (event) => this._filter(event));
      this._input.addEventListener("input", () => this._afterChange());
      if (Crowd.flag(this, "auto-focus")) this._input.focus();
    }

    _sync() {
      const input = this._input;
      const label = Crowd.attr(this, "label") || "";
      this._label.replaceChildren(label);
      if (label && this.required) {
        this._label.append(h("span", { class: "crowd-field-required", "aria-hidden": "true", text: "*" }));
      }
      this._label.hidden = !label;
      if (!label) input.setAttribute("aria-label", Crowd.attr(this, "placeholder") || this.name || "");
      else input.removeAttribute("aria-label");
      const set = (attribute, value) => {
        if (value === null || value === undefined || value === "") input.removeAttribute(attribute);
        else input.setAttribute(attribute, value);
      };
      set("placeholder", Crowd.attr(this, "placeholder"));
      set("maxlength", Crowd.attr(this, "max-length"));
      set("minlength", Crowd.attr(this, "min-length"));
      input.disabled = this.disabled;
      input.toggleAttribute("aria-required", this.required);
      if (input.localName === "input") {
        const type = Crowd.attr(this, "type") || "text";
        if (input.type !== type) input.type = type;
      } else {
        input.rows = Math.max(1, parseInt(Crowd.attr(this, "rows"), 10) || 2);
      }
      this._afterChange(false);
    }

    /** allowed-pattern: characters that do not match are refused while typing. */
    _filter(event) {
      const pattern = Crowd.attr(this, "allowed-pattern");
      if (!pattern || !event.inputType.startsWith("insert")) return;
      const text = event.data !== null && event.data !== undefined ? event.data
        : event.dataTransfer ? event.dataTransfer.getData("text/plain") : "";
      let allowed;
      try {
        allowed = new RegExp(pattern);
      } catch (_) {
        return;
      }
      if (Array.from(text).some((c) => c !== "\n" && !allowed.test(c))) event.preventDefault();
    }

    _afterChange(edited = true) {
      const input = this._input;
      if (input.localName === "textarea") this._grow();
      if (Crowd.flag(this, "char-counter")) {
        const max = Crowd.attr(this, "max-length");
        this._counter.textContent = max ? `${input.value.length} / ${max}` : String(input.value.length);
      } else {
        this._counter.textContent = "";
      }
      if (edited && (Crowd.flag(this, "auto-validate") || this.hasAttribute("data-invalid"))) {
        this.validate();
      }
      this._foot.replaceChildren(...[this._error, this._counter].filter((el) => el.textContent));
    }

    _grow() {
      const input = this._input;
      const style = getComputedStyle(input);
      const line = parseFloat(style.lineHeight) || 21;
      const extra = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom) +
        parseFloat(style.borderTopWidth) + parseFloat(style.borderBottomWidth);
      const rows = Math.max(1, parseInt(Crowd.attr(this, "rows"), 10) || 2);
      const maxRows = parseInt(Crowd.attr(this, "max-rows"), 10) || 0;
      input.style.height = "auto";
      let height = Math.max(input.scrollHeight + parseFloat(style.borderTopWidth) +
        parseFloat(style.borderBottomWidth), rows * line + extra);
      if (maxRows > 0) height = Math.min(height, maxRows * line + extra);
      input.style.height = `${Math.ceil(height)}px`;
    }

    /** Null when the field may be submitted, else why not. */
    _problem() {
      if (this.disabled) return null;
      const value = this.value;
      const label = Crowd.attr(this, "label") || Crowd.attr(this, "placeholder") || this.name;
      const custom = Crowd.attr(this, "error-message");
      if (!value) {
        if (!this.required) return null;
        return custom || (label ? `Please fill in ${quoted(label)}.` : "Please fill in this field.");
      }
      const min = parseInt(Crowd.attr(this, "min-length"), 10);
      const pattern = Crowd.flag(this, "auto-validate") && Crowd.attr(this, "allowed-pattern");
      let bad = null;
      if (min && value.length < min) bad = `Use at least ${min} characters.`;
      else if (this._input && this._input.validity && !this._input.validity.valid) {
        bad = this._input.validationMessage;
      } else if (pattern) {
        try {
          const allowed = new RegExp(pattern);
          if (Array.from(value).some((c) => c !== "\n" && !allowed.test(c))) bad = "Contains characters that are not allowed.";
        } catch (_) { /* an unusable pattern checks nothing */ }
      }
      if (!bad) return null;
      return custom || (label ? `${quoted(label)}: ${bad}` : bad);
    }

    /** Check the field, show the outcome under it and return whether it is valid. */
    validate() {
      const problem = this._problem();
      this.toggleAttribute("data-invalid", !!problem);
      if (this._input) {
        this._input.toggleAttribute("aria-invalid", !!problem);
        this._error.textContent = problem || "";
        this._foot.replaceChildren(...[this._error, this._counter].filter((el) => el.textContent));
      }
      return !problem;
    }

    crowdValidate() {
      return this.validate() ? null : this._problem();
    }

    crowdAnswer() {
      const value = this.value;
      return value === "" ? undefined : value;
    }

    crowdReset() {
      this.value = this._initial || "";
      this.removeAttribute("data-invalid");
      if (this._error) this._error.textContent = "";
      if (this._input) this._afterChange(false);
    }

    crowdFocus() {
      if (this._input) this._input.focus();
    }

    focus(options) {
      if (this._input) this._input.focus(options);
      else super.focus(options);
    }
  }
  Crowd.reflect(CrowdField, {
    booleans: ["disabled", "required", "auto-focus", "auto-validate", "char-counter"],
    strings: ["label", "placeholder", "type", "allowed-pattern", "error-message", "max-length",
      "min-length", "rows", "max-rows"],
  });

  class CrowdInput extends CrowdField {}
  class CrowdTextArea extends CrowdField {}
  Crowd.define("crowd-input", CrowdInput);
  Crowd.define("crowd-text-area", CrowdTextArea);

  /* ---- crowd-checkbox, crowd-toggle-button, crowd-radio-button ---- */

  const CHECK_MARK = '<svg viewBox="0 0 16 16" aria-hidden="true"><path d="M3 8.5l3.2 3L13 4.5" ' +
    'fill="none" stroke="#fff" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/></svg>';

  /** An on/off control whose state is its `checked` attribute. A click handler on it sees the
   * state before the click changes it; the change follows once every listener has run. */
  class CrowdCheckable extends Crowd.CrowdElement {
    static get observedAttributes() {
      return ["checked", "disabled", "invalid"];
    }

    get checked() { return this.hasAttribute("checked"); }
    set checked(on) { this.toggleAttribute("checked", !!on); }
    get value() { const value = this.getAttribute("value"); return value === null ? "on" : value; }
    set value(text) { this.setAttribute("value", text); }
    /** Same-name controls merge their {value: checked} objects (CROWD-ELEMENTS §3.1). */
    get crowdMergeAnswer() { return true; }

    crowdSetup() {
      Crowd.upgradeProperties(this, ["checked", "disabled", "value", "required", "invalid"]);
      this._initialChecked = this.checked;
      const labelId = Crowd.uid(this.localName);
      const label = h("span", { class: "crowd-choice-label", id: labelId });
      label.append(...this.childNodes);
      this.append(this.crowdIndicator(), label);
      this.setAttribute("aria-labelledby", labelId);
      this.addEventListener("click", (event) => {
        if (this.disabled) return;
        Crowd.afterDispatch(event, () => this.crowdActivate());
      });
      this.addEventListener("keydown", (event) => this.crowdKey(event));
      this._sync();
    }

    attributeChangedCallback() {
      if (this._initialChecked !== undefined) this._sync();
    }

    _sync() {
      this.setAttribute("role", this.crowdRole);
      this.setAttribute("aria-checked", String(this.checked));
      this.setAttribute("aria-disabled", String(this.disabled));
      if (this.disabled) this.removeAttribute("tabindex");
      else if (!this.hasAttribute("tabindex")) this.setAttribute("tabindex", "0");
    }

    crowdKey(event) {
      if (event.key === " " || (event.key === "Enter" && this.crowdRole === "switch")) {
        event.preventDefault();
        if (!this.disabled) this.click();
      }
    }

    crowdActivate() {
      this.checked = !this.checked;
      this.dispatchEvent(new Event("change", { bubbles: true }));
    }

    crowdAnswer() {
      return { [this.value]: this.checked };
    }

    crowdValidate() {
      if (!this.required || this.checked || this.disabled) return null;
      const label = (this.querySelector(".crowd-choice-label") || this).textContent.trim() || this.name;
      return label ? `Please check ${quoted(label)}.` : "Please check this box.";
    }

    crowdReset() {
      this.checked = this._initialChecked;
    }

    crowdFocus() {
      this.focus();
    }
  }
  Crowd.reflect(CrowdCheckable, { booleans: ["disabled", "required", "invalid"] });

  class CrowdCheckbox extends CrowdCheckable {
    get crowdRole() { return "checkbox"; }
    crowdIndicator() {
      const box = h("span", { class: "crowd-check-box", "aria-hidden": "true" });
      box.innerHTML = CHECK_MARK;
      return box;
    }
  }
  Crowd.define("crowd-checkbox", CrowdCheckbox);

  class CrowdToggleButton extends CrowdCheckable {
    get crowdRole() { return "switch"; }
    crowdIndicator() {
      return h("span", { class: "crowd-switch-track", "aria-hidden": "true" },
        h("span", { class: "crowd-switch-thumb" }));
    }
  }
  Crowd.define("crowd-toggle-button", CrowdToggleButton);

  class CrowdRadioButton extends CrowdCheckable {
    get crowdRole() { return "radio"; }
    crowdIndicator() {
      return h("span", { class: "crowd-radio-dot", "aria-hidden": "true" });
    }
    /** The buttons this one excludes: its group's, or outside any group those sharing its name. */
    peers() {
      const group = this.closest("crowd-radio-group");
      if (group) return Array.from(group.querySelectorAll("crowd-radio-button"));
      const name = this.name;
      if (!name) return [this];
      return Array.from(document.querySelectorAll("crowd-radio-button")).filter(
        (el) => el.name === name && !el.closest("crowd-radio-group"));
    }
    crowdActivate() {
      if (this.checked) return;
      for (const peer of this.peers()) if (peer !== this) peer.checked = false;
      this.checked = true;
      this.dispatchEvent(new Event("change", { bubbles: true }));
      this._roving();
    }
    crowdKey(event) {
      const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[event.key];
      if (!step) return super.crowdKey(event);
      event.preventDefault();
      const usable = this.peers().filter((el) => !el.disabled);
      const next = usable[(usable.indexOf(this) + step + usable.length) % usable.length];
      if (next) {
        next.focus();
        next.click();
      }
    }
    _sync() {
      super._sync();
      if (this.closest("crowd-radio-group")) this._roving();
    }
    /** Inside a group only one button is in the tab order: the checked one, else the first. */
    _roving() {
      const peers = this.peers();
      const current = peers.find((el) => el.checked && !el.disabled) ||
        peers.find((el) => !el.disabled);
      for (const el of peers) {
        if (el.disabled) continue;
        el.setAttribute("tabindex", el === current ? "0" : "-1");
      }
    }
    crowdValidate() {
      return null; // `required` is not supported on crowd radio buttons
    }
  }
  Crowd.define("crowd-radio-button", CrowdRadioButton);

  class CrowdRadioGroup extends Crowd.CrowdElement {
    crowdSetup() {
      this.setAttribute("role", "radiogroup");
    }
    /** The name of the checked button (its value when it has no name), or "". */
    get selected() {
      const on = Array.from(this.querySelectorAll("crowd-radio-button")).find((el) => el.checked);
      return on ? on.name || on.value : "";
    }
  }
  Crowd.define("crowd-radio-group", CrowdRadioGroup);

  /* ---- crowd-slider ---- */

  const SLIDER_PROPERTIES = ["value", "min", "max", "step", "disabled", "required", "pin",
    "editable", "secondaryProgress"];

  class CrowdSlider extends Crowd.CrowdElement {
    static get observedAttributes() {
      return observe("value", "min", "max", "step", "disabled", "secondary-progress", "editable");
    }

    get min() { return numberOr(Crowd.attr(this, "min"), 0); }
    set min(n) { this.setAttribute("min", n); }
    get max() { return numberOr(Crowd.attr(this, "max"), 100); }
    set max(n) { this.setAttribute("max", n); }
    get step() { return numberOr(Crowd.attr(this, "step"), 1); }
    set step(n) { this.setAttribute("step", n); }
    get secondaryProgress() { return numberOr(Crowd.attr(this, "secondary-progress"), null); }
    set secondaryProgress(n) { this.setAttribute("secondary-progress", n); }

    get value() {
      if (this._range) return Number(this._range.value);
      if (this._pendingValue !== undefined) return this._pendingValue;
      return numberOr(Crowd.attr(this, "value"), this.min);
    }
    set value(n) {
      if (this._range) {
        this._range.value = String(n);
        this._touched = true;
        this._show();
      } else {
        this._pendingValue = Number(n);
      }
    }

    attributeChangedCallback(name, before, after) {
      if (!this._range || before === after) return;
      this._sync();
      if (name === "value" && after !== null) this.value = after;
    }

    crowdSetup() {
      Crowd.upgradeProperties(this, SLIDER_PROPERTIES);
      this._range = h("input", {
        type: "range", class: "crowd-slider-input", "data-crowd-internal": "",
        "aria-label": this.getAttribute("aria-label") || Crowd.attr(this, "label") || this.name || "Value",
      });
      this._fill = h("div", { class: "crowd-slider-fill" });
      this._secondary = h("div", { class: "crowd-slider-secondary" });
      this._pin = h("div", { class: "crowd-slider-pin", "aria-hidden": "true" });
      this._ticks = h("div", { class: "crowd-slider-ticks", "aria-hidden": "true" },
        Array.from(this.children).filter((el) => el.localName === "crowd-slider-label"));
      this._edit = h("input", {
        type: "number", class: "crowd-field-input crowd-slider-edit", "data-crowd-internal": "",
        "aria-label": `${this._range.getAttribute("aria-label")} (number)`,
      });
      this._body = h("div", { class: "crowd-slider-body" },
        h("div", { class: "crowd-slider-area" },
          h("div", { class: "crowd-slider-track" }, this._secondary, this._fill), this._range, this._pin),
        this._ticks);
      this.prepend(h("div", { class: "crowd-slider" }, this._body, this._edit));

      this._initial = numberOr(Crowd.attr(this, "value"), null);
      this._sync();
      const start = this._pendingValue !== undefined ? this._pendingValue : this._initial;
      this._range.value = String(start === null ? this.min : start);
      this._touched = this._pendingValue !== undefined;
      this._pendingValue = undefined;
      this._show();

      this._range.addEventListener("input", () => { this._touched = true; this._show(); });
      this._range.addEventListener("pointerdown", () => this._body.classList.add("crowd-dragging"));
      window.addEventListener("pointerup", () => this._body.classList.remove("crowd-dragging"));
      this._edit.addEventListener("change", (event) => {
        event.stopPropagation();
        if (this._edit.value === "") { this._show(); return; }
        this._range.value = this._edit.value;
        this._touched = true;
        this._show();
        this._range.dispatchEvent(new Event("input", { bubbles: true }));
        this._range.dispatchEvent(new Event("change", { bubbles: true }));
      });
      this._edit.addEventListener("input", (event) => event.stopPropagation());
    }

    _sync() {
      const range = this._range;
      for (const key of ["min", "max", "step"]) {
        range.setAttribute(key, this[key]);
        this._edit.setAttribute(key, this[key]);
      }
      range.disabled = this._edit.disabled = this.disabled;
      this._edit.hidden = !Crowd.flag(this, "editable");
      for (const label of this._ticks.children) {
        const at = numberOr(label.getAttribute("position"), this.min);
        label.style.left = this._position(at);
        // Labels at the ends line up with the track's ends instead of overhanging them.
        label.style.transform = `translateX(${-100 * this._fraction(at)}%)`;
      }
      this._show();
    }

    /** Where the knob's centre sits for `n`, as a CSS length (the knob stays inside the track). */
    _fraction(n) {
      const span = this.max - this.min || 1;
      return Math.min(1, Math.max(0, (n - this.min) / span));
    }

    _position(n) {
      const fraction = this._fraction(n);
      return `calc(${fraction * 100}% + ${(0.5 - fraction).toFixed(4)} * var(--crowd-slider-thumb))`;
    }

    _show() {
      if (!this._range) return;
      const value = Number(this._range.value);
      this._fill.style.width = this._position(value);
      const secondary = this.secondaryProgress;
      this._secondary.style.width = secondary === null ? "0" : this._position(secondary);
      this._pin.textContent = String(value);
      this._pin.style.left = this._position(value);
      if (document.activeElement !== this._edit) this._edit.value = String(value);
    }

    crowdAnswer() {
      return this.value;
    }

    crowdValidate() {
      if (!this.required || this.disabled || this._touched || this._initial !== null) return null;
      const label = Crowd.attr(this, "label") || this.name;
      return label ? `Please choose a value for ${quoted(label)}.` : "Please choose a value.";
    }

    crowdReset() {
      this._range.value = String(this._initial === null ? this.min : this._initial);
      this._touched = false;
      this._show();
    }

    crowdFocus() {
      this._range.focus();
    }
  }
  Crowd.reflect(CrowdSlider, { booleans: ["disabled", "required", "pin", "editable"] });

  function numberOr(text, fallback) {
    if (text === null || text === undefined || text === "") return fallback;
    const n = Number(text);
    return Number.isFinite(n) ? n : fallback;
  }

  Crowd.define("crowd-slider", CrowdSlider);
})();

/* ---- 30-layout.js ---- */
/*
 * Buttons and layout (CROWD-ELEMENTS §3.2): crowd-button, crowd-icon-button, crowd-fab,
 * crowd-alert, crowd-badge, crowd-card, crowd-tabs / crowd-tab, crowd-modal, crowd-toast,
 * crowd-instructions, and an offline subset of the iron-icons set (also as <iron-icon>).
 * None of them contributes to the answer.
 */
(function () {
  "use strict";

  const { h } = Crowd;

  /* ---- Icons: Material Design paths under the iron-icons names templates use ---- */

  const SEARCH = "M15.5 14h-.79l-.28-.27A6.47 6.47 0 0 0 16 9.5 6.5 6.5 0 1 0 9.5 16c1.61 0 " +
    "3.09-.59 4.23-1.57l.27.28v.79l5 4.99L20.49 19l-4.99-5zm-6 0C7.01 14 5 11.99 5 9.5S7.01 5 " +
    "9.5 5 14 7.01 14 9.5 11.99 14 9.5 14z";
  const CLOSE = "M19 6.41L17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 " +
    "17.59 19 19 17.59 13.41 12z";
  const CHECK = "M9 16.17L4.83 12l-1.42 1.41L9 19 21 7l-1.41-1.41z";
  const EDIT = "M3 17.25V21h3.75L17.81 9.94l-3.75-3.75L3 17.25zM20.71 7.04a1 1 0 0 0 0-1.41l-2.34" +
    "-2.34a1 1 0 0 0-1.41 0l-1.83 1.83 3.75 3.75 1.83-1.83z";
  const LAUNCH = "M19 19H5V5h7V3H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14c1.1 0 2-.9 2-2v-7h-2v7zM14 " +
    "3v2h3.59l-9.83 9.83 1.41 1.41L19 6.41V10h2V3h-7z";
  const ICONS = {
    search: SEARCH,
    "zoom-in": `${SEARCH}M12 10h-2v2H9v-2H7V9h2V7h1v2h2v1z`,
    "zoom-out": `${SEARCH}M7 9h5v1H7z`,
    close: CLOSE,
    clear: CLOSE,
    check: CHECK,
    done: CHECK,
    add: "M19 13h-6v6h-2v-6H5v-2h6V5h2v6h6v2z",
    remove: "M19 13H5v-2h14v2z",
    "add-circle": "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm5 11h-4v4h-2v-4H7v-2h4V7h2v4h4v2z",
    "remove-circle": "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm5 11H7v-2h10v2z",
    "check-circle": "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm-2 15l-5-5 1.41-1.41L10 14.17l7.59" +
      "-7.59L19 8l-9 9z",
    cancel: "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm5 13.59L15.59 17 12 13.41 8.41 17 7 15.59 " +
      "10.59 12 7 8.41 8.41 7 12 10.59 15.59 7 17 8.41 13.41 12 17 15.59z",
    delete: "M6 19c0 1.1.9 2 2 2h8c1.1 0 2-.9 2-2V7H6v12zM19 4h-3.5l-1-1h-5l-1 1H5v2h14V4z",
    edit: EDIT,
    create: EDIT,
    info: "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm1 15h-2v-6h2v6zm0-8h-2V7h2v2z",
    error: "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm1 15h-2v-2h2v2zm0-4h-2V7h2v6z",
    warning: "M1 21h22L12 2 1 21zm12-3h-2v-2h2v2zm0-4h-2v-4h2v4z",
    help: "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm1 17h-2v-2h2v2zm2.07-7.75l-.9.92C13.45 12.9 13 " +
      "13.5 13 15h-2v-.5c0-1.1.45-2.1 1.17-2.83l1.24-1.26c.37-.36.59-.86.59-1.41 0-1.1-.9-2-2-2s" +
      "-2 .9-2 2H8a4 4 0 1 1 8 0c0 .88-.36 1.68-.93 2.25z",
    "arrow-back": "M20 11H7.83l5.59-5.59L12 4l-8 8 8 8 1.41-1.41L7.83 13H20v-2z",
    "arrow-forward": "M12 4l-1.41 1.41L16.17 11H4v2h12.17l-5.58 5.59L12 20l8-8z",
    "chevron-left": "M15.41 7.41L14 6l-6 6 6 6 1.41-1.41L10.83 12z",
    "chevron-right": "M10 6L8.59 7.41 13.17 12l-4.58 4.59L10 18l6-6z",
    "expand-more": "M16.59 8.59L12 13.17 7.41 8.59 6 10l6 6 6-6z",
    "expand-less": "M12 8l-6 6 1.41 1.41L12 10.83l4.59 4.58L18 14z",
    undo: "M12.5 8c-2.65 0-5.05.99-6.9 2.6L2 7v9h9l-3.62-3.62c1.39-1.16 3.16-1.88 5.12-1.88 3.54 " +
      "0 6.55 2.31 7.6 5.5l2.37-.78C21.08 11.03 17.15 8 12.5 8z",
    redo: "M18.4 10.6C16.55 8.99 14.15 8 11.5 8c-4.65 0-8.58 3.03-9.96 7.22L3.9 16a8 8 0 0 1 7.6-5.5" +
      "c1.95 0 3.73.72 5.12 1.88L13 16h9V7l-3.6 3.6z",
    refresh: "M17.65 6.35A7.96 7.96 0 0 0 12 4a8 8 0 1 0 7.73 10h-2.08A6 6 0 1 1 12 6c1.66 0 3.14" +
      ".69 4.22 1.78L13 11h7V4l-2.35 2.35z",
    star: "M12 17.27L18.18 21l-1.64-7.03L22 9.24l-7.19-.61L12 2 9.19 8.63 2 9.24l5.46 4.73L5.82 21z",
    favorite: "M12 21.35l-1.45-1.32C5.4 15.36 2 12.28 2 8.5 2 5.42 4.42 3 7.5 3c1.74 0 3.41.81 4.5 " +
      "2.09C13.09 3.81 14.76 3 16.5 3 19.58 3 22 5.42 22 8.5c0 3.78-3.4 6.86-8.55 11.54L12 21.35z",
    "thumb-up": "M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06" +
      "L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05" +
      "c.09-.23.14-.47.14-.73v-2z",
    "thumb-down": "M15 3H6c-.83 0-1.54.5-1.84 1.22l-3.02 7.05c-.09.23-.14.47-.14.73v2c0 1.1.9 2 2 2" +
      "h6.31l-.95 4.57-.03.32c0 .41.17.79.44 1.06L9.83 23l6.59-6.59c.36-.36.58-.86.58-1.41V5c0-1.1" +
      "-.9-2-2-2zm4 0v12h4V3h-4z",
    visibility: "M12 4.5C7 4.5 2.73 7.61 1 12c1.73 4.39 6 7.5 11 7.5s9.27-3.11 11-7.5c-1.73-4.39-6" +
      "-7.5-11-7.5zM12 17a5 5 0 1 1 0-10 5 5 0 0 1 0 10zm0-8a3 3 0 1 0 0 6 3 3 0 0 0 0-6z",
    menu: "M3 18h18v-2H3v2zm0-5h18v-2H3v2zm0-7v2h18V6H3z",
    "more-vert": "M12 8a2 2 0 1 0 0-4 2 2 0 0 0 0 4zm0 2a2 2 0 1 0 0 4 2 2 0 0 0 0-4zm0 6a2 2 0 1 0 " +
      "0 4 2 2 0 0 0 0-4z",
    flag: "M14.4 6L14 4H5v17h2v-7h5.6l.4 2h7V6z",
    launch: LAUNCH,
    "open-in-new": LAUNCH,
    image: "M21 19V5a2 2 0 0 0-2-2H5a2 2 0 0 0-2 2v14c0 1.1.9 2 2 2h14a2 2 0 0 0 2-2zM8.5 13.5l2.5 " +
      "3.01L14.5 12l4.5 6H5l3.5-4.5z",
    label: "M17.63 5.84A1.99 1.99 0 0 0 16 5L5 5.01C3.9 5.01 3 5.9 3 7v10c0 1.1.9 1.99 2 1.99L16 19" +
      "c.67 0 1.27-.33 1.63-.84L22 12l-4.37-6.16z",
    "play-arrow": "M8 5v14l11-7z",
    pause: "M6 19h4V5H6v14zm8-14v14h4V5h-4z",
    "content-copy": "M16 1H4a2 2 0 0 0-2 2v14h2V3h12V1zm3 4H8a2 2 0 0 0-2 2v14c0 1.1.9 2 2 2h11a2 2 " +
      "0 0 0 2-2V7a2 2 0 0 0-2-2zm0 16H8V7h11v14z",
    home: "M10 20v-6h4v6h5v-8h3L12 3 2 12h3v8z",
  };

  const looksLikeUrl = (text) => /^(https?:|data:|blob:|\/|\.)/i.test(text) || /\.(svg|png|gif|jpe?g|webp)(\?|$)/i.test(text);

  /** An icon by iron-icons name ("search", "icons:search") or an image URL; null if unknown. */
  Crowd.icon = function (nameOrUrl, className = "crowd-icon") {
    if (!nameOrUrl) return null;
    if (looksLikeUrl(nameOrUrl)) {
      return h("img", { class: className, src: nameOrUrl, alt: "", "aria-hidden": "true" });
    }
    const path = ICONS[nameOrUrl.replace(/^[\w-]+:/, "")];
    if (!path) return null;
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("class", className);
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const shape = document.createElementNS("http://www.w3.org/2000/svg", "path");
    shape.setAttribute("d", path);
    shape.setAttribute("fill", "currentColor");
    svg.append(shape);
    return svg;
  };
  Crowd.iconNames = Object.keys(ICONS);

  Crowd.addStyle("crowd-layout", `
.crowd-icon { width: 20px; height: 20px; flex: none; }
img.crowd-icon { object-fit: contain; }
iron-icon { display: inline-flex; vertical-align: middle; width: 20px; height: 20px; }
iron-icon > .crowd-icon { width: 100%; height: 100%; }
crowd-button, crowd-icon-button, crowd-fab { display: inline-block; vertical-align: middle; }
crowd-button + crowd-button { margin-left: 8px; }
.crowd-btn.crowd-btn-right { flex-direction: row-reverse; }
.crowd-btn[aria-busy="true"]::before { content: ""; width: 14px; height: 14px; border-radius: 50%;
  border: 2px solid currentColor; border-right-color: transparent; animation: crowd-spin .8s linear infinite; }
@keyframes crowd-spin { to { transform: rotate(360deg); } }
.crowd-fab-button { width: 56px; height: 56px; border-radius: 50%; border: none; padding: 0;
  background: var(--crowd-primary); color: #fff; box-shadow: 0 3px 8px rgba(0,0,0,.3);
  display: inline-flex; align-items: center; justify-content: center; font: 600 20px var(--crowd-font);
  cursor: pointer; }
.crowd-fab-button:hover { background: var(--crowd-primary-dark); }
.crowd-fab-button:focus-visible { outline: none; box-shadow: var(--crowd-focus-ring), 0 3px 8px rgba(0,0,0,.3); }
.crowd-fab-button:disabled { background: #a9b2bc; box-shadow: none; cursor: not-allowed; }
.crowd-fab-button .crowd-icon { width: 24px; height: 24px; }

crowd-alert { display: block; margin: 12px 0; font-family: var(--crowd-font); }
.crowd-alert { display: flex; align-items: flex-start; gap: 10px; padding: 12px 14px;
  border-radius: var(--crowd-radius); border: 1px solid; border-left-width: 6px; color: var(--crowd-text); }
.crowd-alert > .crowd-icon { margin-top: 1px; }
.crowd-alert-content { flex: 1; min-width: 0; }
.crowd-alert-info { border-color: var(--crowd-primary); background: var(--crowd-primary-soft); }
.crowd-alert-info > .crowd-icon { color: var(--crowd-primary); }
.crowd-alert-success { border-color: var(--crowd-success); background: var(--crowd-success-soft); }
.crowd-alert-success > .crowd-icon { color: var(--crowd-success); }
.crowd-alert-error { border-color: var(--crowd-error); background: var(--crowd-error-soft); }
.crowd-alert-error > .crowd-icon { color: var(--crowd-error); }
.crowd-alert-warning { border-color: #c78b00; background: var(--crowd-warning-soft); }
.crowd-alert-warning > .crowd-icon { color: var(--crowd-warning); }
.crowd-alert .crowd-btn-icon { width: 28px; min-height: 28px; margin: -4px -6px -4px 0; }

crowd-badge { position: absolute; z-index: 1; display: inline-flex; align-items: center;
  justify-content: center; min-width: 22px; height: 22px; padding: 0 6px; box-sizing: border-box;
  border-radius: 11px; background: var(--crowd-error); color: #fff;
  font: 700 12px/1 var(--crowd-font); pointer-events: none; }
crowd-badge .crowd-icon { width: 14px; height: 14px; }

crowd-card { display: block; margin: 12px 0; border: 1px solid var(--crowd-border); border-radius: 10px;
  background: var(--crowd-surface); box-shadow: 0 1px 3px rgba(0,0,0,.08); overflow: hidden;
  font-family: var(--crowd-font); }
.crowd-card-image { display: block; width: 100%; max-height: 320px; object-fit: cover; }
.crowd-card-heading { margin: 0; padding: 14px 16px 0; font-size: 18px; font-weight: 600; }
.crowd-card-content { padding: 12px 16px 16px; }

crowd-tabs { display: block; margin: 12px 0; font-family: var(--crowd-font); }
.crowd-tablist { display: flex; gap: 4px; border-bottom: 1px solid var(--crowd-border); overflow-x: auto; }
.crowd-tab-button { position: relative; padding: 10px 16px; border: none; background: none;
  color: var(--crowd-muted); font: 600 14px var(--crowd-font); cursor: pointer; white-space: nowrap;
  border-radius: 6px 6px 0 0; }
.crowd-tab-button:hover { color: var(--crowd-text); background: var(--crowd-subtle); }
.crowd-tab-button[aria-selected="true"] { color: var(--crowd-primary); }
.crowd-tab-button[aria-selected="true"]::after { content: ""; position: absolute; left: 8px; right: 8px;
  bottom: -1px; height: 3px; border-radius: 2px; background: var(--crowd-primary); }
.crowd-tab-button:focus-visible { outline: none; box-shadow: var(--crowd-focus-ring); }
crowd-tab { display: block; padding: 14px 2px; }
crowd-tab[hidden] { display: none; }

crowd-modal, crowd-instructions { display: inline-block; }
crowd-modal:not([data-crowd-ready]) > *, crowd-instructions:not([data-crowd-ready]) > * { display: none; }
crowd-toast { position: fixed; left: 50%; bottom: 24px; z-index: 1000; transform: translate(-50%, 20px);
  min-width: 240px; max-width: min(560px, 90vw); padding: 12px 18px; border-radius: 8px;
  background: #1f2933; color: #fff; font: 14px/1.4 var(--crowd-font);
  box-shadow: 0 6px 24px rgba(0,0,0,.3); opacity: 0; visibility: hidden;
  transition: opacity .15s, transform .15s, visibility .15s; }
crowd-toast[opened] { opacity: 1; visibility: visible; transform: translate(-50%, 0); }
.crowd-examples { display: grid; gap: 12px; }
.crowd-example { padding: 10px 12px; border-radius: var(--crowd-radius); border: 1px solid; border-left-width: 6px; }
.crowd-example-positive { border-color: var(--crowd-success); background: var(--crowd-success-soft); }
.crowd-example-negative { border-color: var(--crowd-error); background: var(--crowd-error-soft); }
.crowd-example > h3 { margin: 0 0 6px; font-size: 14px; }
`);

  const observe = (...names) =>
    names.flatMap((name) => (name.includes("-") ? [name, name.replace(/-/g, "")] : [name]));

  /** The <crowd-form> a button acts on: its own, else the page's first. */
  const formFor = (el) => el.closest("crowd-form") || document.querySelector("crowd-form");

  /* ---- iron-icon ---- */

  class IronIcon extends HTMLElement {
    static get observedAttributes() { return ["icon", "src"]; }
    connectedCallback() { this._render(); }
    attributeChangedCallback() { if (this.isConnected) this._render(); }
    get icon() { return this.getAttribute("icon"); }
    set icon(name) { this.setAttribute("icon", name); }
    _render() {
      const icon = Crowd.icon(this.getAttribute("src") || this.getAttribute("icon"));
      this.replaceChildren(...(icon ? [icon] : []));
    }
  }
  Crowd.define("iron-icon", IronIcon);

  /* ---- crowd-button ---- */

  class CrowdButton extends Crowd.CrowdElement {
    static get observedAttributes() {
      return observe("disabled", "loading", "variant", "icon", "icon-align", "icon-url", "href", "target");
    }

    crowdSetup() {
      Crowd.upgradeProperties(this, ["disabled", "loading", "variant", "icon", "href"]);
      this._content = h("span", { class: "crowd-btn-label" }, Array.from(this.childNodes));
      this._render();
      this.addEventListener("click", (event) => {
        if (this.disabled || this.loading) {
          event.preventDefault();
          event.stopImmediatePropagation();
          return;
        }
        const action = Crowd.attr(this, "form-action");
        if (action !== "submit" && action !== "reset") return;
        Crowd.afterDispatch(event, () => {
          const form = formFor(this);
          if (!form) return;
          if (action === "submit") form.submit();
          else form.reset();
        });
      });
    }

    attributeChangedCallback(name, before, after) {
      if (this._content && before !== after) this._render();
    }

    _render() {
      const variant = (Crowd.attr(this, "variant") || "normal").toLowerCase();
      const href = Crowd.attr(this, "href");
      const busy = this.loading;
      const control = href && !this.disabled && !busy
        ? h("a", { href, target: Crowd.attr(this, "target"), rel: "noopener" })
        : h("button", { type: "button", disabled: this.disabled || busy });
      control.className = "crowd-btn crowd-button-control";
      if (variant === "primary") control.classList.add("crowd-btn-primary");
      if (variant === "link") control.classList.add("crowd-btn-link");
      if (variant === "icon") control.classList.add("crowd-btn-icon");
      if ((Crowd.attr(this, "icon-align") || "left") === "right") control.classList.add("crowd-btn-right");
      if (busy) control.setAttribute("aria-busy", "true");
      control.setAttribute("data-crowd-internal", "");
      const icon = Crowd.icon(Crowd.attr(this, "icon-url") || Crowd.attr(this, "icon"));
      if (icon) control.append(icon);
      control.append(this._content);
      if (variant === "icon" && !this._content.textContent.trim()) {
        control.setAttribute("aria-label", this.getAttribute("aria-label") || this.title ||
          Crowd.attr(this, "icon") || "Button");
      }
      this.replaceChildren(control);
    }

    focus(options) {
      const control = this.firstElementChild;
      if (control) control.focus(options);
    }
  }
  Crowd.reflect(CrowdButton, {
    booleans: ["disabled", "loading"],
    strings: ["variant", "icon", "icon-align", "icon-url", "href", "target", "form-action"],
  });
  Crowd.define("crowd-button", CrowdButton);

  /* ---- crowd-icon-button and crowd-fab ---- */

  class CrowdIconButton extends Crowd.CrowdElement {
    static get observedAttributes() { return ["disabled", "icon", "label", "title"]; }
    crowdSetup() { this._render(); }
    attributeChangedCallback() { if (this._crowdReady && this.firstElementChild) this._render(); }
    _render() {
      const icon = Crowd.icon(Crowd.attr(this, "icon"));
      const fab = this.localName === "crowd-fab";
      const text = fab && !icon ? (Crowd.attr(this, "label") || "").slice(0, 1) : "";
      const button = h("button", {
        type: "button", disabled: this.disabled, "data-crowd-internal": "",
        class: fab ? "crowd-fab-button" : "crowd-btn crowd-btn-icon",
        "aria-label": this.getAttribute("aria-label") || this.getAttribute("title") ||
          Crowd.attr(this, "label") || Crowd.attr(this, "icon") || "Button",
      }, icon || text);
      this.replaceChildren(button);
    }
    focus(options) {
      if (this.firstElementChild) this.firstElementChild.focus(options);
    }
  }
  Crowd.reflect(CrowdIconButton, { booleans: ["disabled"], strings: ["icon", "label"] });
  Crowd.define("crowd-icon-button", CrowdIconButton);
  class CrowdFab extends CrowdIconButton {}
  Crowd.define("crowd-fab", CrowdFab);

  /* ---- crowd-alert ---- */

  const ALERT_ICONS = { info: "info", success: "check-circle", error: "error", warning: "warning" };

  class CrowdAlert extends Crowd.CrowdElement {
    static get observedAttributes() { return ["type", "dismissible"]; }
    crowdSetup() {
      this._content = h("div", { class: "crowd-alert-content" }, Array.from(this.childNodes));
      this._render();
    }
    attributeChangedCallback() { if (this._content) this._render(); }
    get type() { const type = this.getAttribute("type"); return ALERT_ICONS[type] ? type : "info"; }
    set type(type) { this.setAttribute("type", type); }
    _render() {
      const type = this.type;
      const box = h("div", {
        class: `crowd-alert crowd-alert-${type}`,
        role: type === "error" || type === "warning" ? "alert" : "status",
      }, Crowd.icon(ALERT_ICONS[type]), this._content);
      if (Crowd.flag(this, "dismissible")) {
        box.append(h("button", {
          type: "button", class: "crowd-btn crowd-btn-icon", "aria-label": "Dismiss",
          "data-crowd-internal": "", onclick: () => { this.hidden = true; },
        }, Crowd.icon("close")));
      }
      this.replaceChildren(box);
    }
  }
  Crowd.define("crowd-alert", CrowdAlert);

  /* ---- crowd-badge ---- */

  class CrowdBadge extends Crowd.CrowdElement {
    static get observedAttributes() { return ["for", "icon", "label"]; }
    crowdSetup() {
      this.setAttribute("role", "status");
      this._render();
      window.addEventListener("resize", () => this.position());
      if (window.ResizeObserver) new ResizeObserver(() => this.position()).observe(document.body);
    }
    attributeChangedCallback() { if (this._crowdReady && this.isConnected) this._render(); }
    /** The decorated element: the one named by `for` (looked up from the badge's parent), else
     * the parent. */
    get target() {
      const id = this.getAttribute("for");
      const root = this.getRootNode();
      if (id) return (root.getElementById ? root.getElementById(id) : document.getElementById(id));
      return this.parentElement;
    }
    _render() {
      const icon = Crowd.icon(Crowd.attr(this, "icon"));
      this.replaceChildren(icon || (Crowd.attr(this, "label") || ""));
      this.setAttribute("aria-label", Crowd.attr(this, "label") || Crowd.attr(this, "icon") || "");
      this.position();
    }
    /** Pin the badge's centre to the target's top-right corner. */
    position() {
      const target = this.target;
      if (!target || !this.isConnected) return;
      const box = target.getBoundingClientRect();
      const parent = this.offsetParent;
      let x = box.right;
      let y = box.top;
      if (!parent || (parent === document.body && getComputedStyle(parent).position === "static")) {
        x += window.scrollX;
        y += window.scrollY;
      } else {
        const frame = parent.getBoundingClientRect();
        x += parent.scrollLeft - frame.left - parent.clientLeft;
        y += parent.scrollTop - frame.top - parent.clientTop;
      }
      this.style.left = `${x - this.offsetWidth / 2}px`;
      this.style.top = `${y - this.offsetHeight / 2}px`;
    }
  }
  Crowd.define("crowd-badge", CrowdBadge);

  /* ---- crowd-card ---- */

  class CrowdCard extends Crowd.CrowdElement {
    static get observedAttributes() { return ["heading", "image"]; }
    crowdSetup() {
      this._content = h("div", { class: "crowd-card-content" }, Array.from(this.childNodes));
      this._render();
    }
    attributeChangedCallback() { if (this._content) this._render(); }
    _render() {
      const image = this.getAttribute("image");
      const heading = this.getAttribute("heading");
      this.replaceChildren(...[
        image && h("img", { class: "crowd-card-image", src: image, alt: heading || "" }),
        heading && h("h2", { class: "crowd-card-heading", text: heading }),
        this._content,
      ].filter(Boolean));
    }
  }
  Crowd.reflect(CrowdCard, { strings: ["heading", "image"] });
  Crowd.define("crowd-card", CrowdCard);

  /* ---- crowd-tabs / crowd-tab ---- */

  class CrowdTabs extends Crowd.CrowdElement {
    crowdSetup() {
      this._list = h("div", { class: "crowd-tablist", role: "tablist" });
      this.prepend(this._list);
      this._selected = 0;
      this._render();
      new MutationObserver(() => this._render()).observe(this, { childList: true });
      this._list.addEventListener("keydown", (event) => {
        const tabs = this._tabs();
        const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
        let next = null;
        if (step) next = (this._selected + step + tabs.length) % tabs.length;
        if (event.key === "Home") next = 0;
        if (event.key === "End") next = tabs.length - 1;
        if (next === null) return;
        event.preventDefault();
        this.selected = next;
        this._list.children[next].focus();
      });
    }
    _tabs() {
      return Array.from(this.children).filter((el) => el.localName === "crowd-tab");
    }
    get selected() { return this._selected || 0; }
    set selected(index) {
      this._selected = Number(index) || 0;
      if (this._list) this._show();
    }
    _render() {
      const tabs = this._tabs();
      const buttons = tabs.map((tab, index) => {
        if (!tab.id) tab.id = Crowd.uid("crowd-tab");
        tab.setAttribute("role", "tabpanel");
        tab.setAttribute("aria-labelledby", `${tab.id}-button`);
        return h("button", {
          type: "button", class: "crowd-tab-button", role: "tab", id: `${tab.id}-button`,
          "aria-controls": tab.id, "data-crowd-internal": "",
          text: tab.getAttribute("header") || `Tab ${index + 1}`,
          onclick: () => { this.selected = index; },
        });
      });
      this._list.replaceChildren(...buttons);
      this._show();
    }
    _show() {
      const tabs = this._tabs();
      if (this._selected >= tabs.length) this._selected = 0;
      tabs.forEach((tab, index) => {
        const on = index === this._selected;
        tab.hidden = !on;
        const button = this._list.children[index];
        if (!button) return;
        button.setAttribute("aria-selected", String(on));
        button.setAttribute("tabindex", on ? "0" : "-1");
      });
    }
    /** A tab's header changed. */
    crowdRefresh() { if (this._list) this._render(); }
  }
  Crowd.define("crowd-tabs", CrowdTabs);

  class CrowdTab extends Crowd.CrowdElement {
    static get observedAttributes() { return ["header"]; }
    attributeChangedCallback() {
      const tabs = this.parentElement;
      if (tabs && typeof tabs.crowdRefresh === "function") tabs.crowdRefresh();
    }
    get header() { return this.getAttribute("header"); }
    set header(text) { this.setAttribute("header", text); }
  }
  Crowd.define("crowd-tab", CrowdTab);

  /* ---- crowd-modal, crowd-instructions, crowd-toast ---- */

  /** A link or button (per `link-type`) that opens a dialog built by `content()`. */
  class CrowdDialogLink extends Crowd.CrowdElement {
    crowdSetup() {
      const text = Crowd.attr(this, "link-text") || this.crowdDefaultLinkText;
      const asButton = (Crowd.attr(this, "link-type") || "link") === "button";
      const trigger = h("button", {
        type: "button", "data-crowd-internal": "", text,
        class: asButton ? "crowd-btn crowd-dialog-trigger" : "crowd-link crowd-dialog-trigger",
        onclick: () => this.open(),
      });
      const content = this.crowdContent();
      this._dialog = Crowd.dialog(this, {
        title: Crowd.attr(this, "header") || this.crowdTitle || "", label: text, content,
      });
      this.prepend(trigger);
      this.setAttribute("data-crowd-ready", "");
    }
    open() { if (this._dialog) this._dialog.open(); }
    close() { if (this._dialog) this._dialog.close(); }
    get opened() { return !!(this._dialog && this._dialog.element.open); }
  }

  class CrowdModal extends CrowdDialogLink {
    get crowdDefaultLinkText() { return "Click to open modal"; }
    crowdContent() { return Array.from(this.childNodes); }
  }
  Crowd.define("crowd-modal", CrowdModal);

  class CrowdInstructions extends CrowdDialogLink {
    get crowdDefaultLinkText() { return "Click for instructions"; }
    get crowdTitle() { return "Instructions"; }
    crowdContent() {
      const all = (tag) => Array.from(this.children).filter((el) => el.localName === tag);
      const tab = (header, ...content) => {
        const el = document.createElement("crowd-tab");
        el.setAttribute("header", header);
        el.append(...content);
        return el;
      };
      const example = (el, kind, title) => h("section", { class: `crowd-example crowd-example-${kind}` },
        h("h3", { text: title }), el);
      const examples = [
        ...all("positive-example").map((el) => example(el, "positive", "Good example")),
        ...all("negative-example").map((el) => example(el, "negative", "Bad example")),
      ];
      const tabs = document.createElement("crowd-tabs");
      tabs.append(
        tab("Summary", ...all("short-summary")),
        tab("Detailed Instructions", ...all("detailed-instructions")),
        tab("Examples", h("div", { class: "crowd-examples" }, examples)),
      );
      return tabs;
    }
  }
  Crowd.define("crowd-instructions", CrowdInstructions);

  class CrowdToast extends Crowd.CrowdElement {
    static get observedAttributes() { return ["text", "opened"]; }
    crowdSetup() {
      this.setAttribute("role", "status");
      this.setAttribute("aria-live", "polite");
      this._text = h("span", { class: "crowd-toast-text" });
      this.prepend(this._text);
      this._render();
      if (this.opened) this.open();
    }
    attributeChangedCallback(name) {
      if (!this._text) return;
      this._render();
      if (name === "opened" && this.opened) this._schedule();
    }
    get opened() { return this.hasAttribute("opened"); }
    set opened(on) { if (on) this.open(); else this.close(); }
    get text() { return this.getAttribute("text") || ""; }
    set text(value) { this.setAttribute("text", value); }
    get duration() { const n = Number(this.getAttribute("duration")); return Number.isFinite(n) && this.hasAttribute("duration") ? n : 3000; }
    set duration(n) { this.setAttribute("duration", n); }
    _render() { this._text.textContent = this.text; this._text.hidden = !this.text; }
    _schedule() {
      clearTimeout(this._timer);
      if (this.duration > 0) this._timer = setTimeout(() => this.close(), this.duration);
    }
    /** Show the toast, closing any other open one. */
    open() {
      for (const other of document.querySelectorAll("crowd-toast[opened]")) {
        if (other !== this) other.close();
      }
      if (!this.hasAttribute("opened")) this.setAttribute("opened", "");
      else this._schedule();
    }
    show() { this.open(); }
    close() { clearTimeout(this._timer); this.removeAttribute("opened"); }
    hide() { this.close(); }
    toggle() { if (this.opened) this.close(); else this.open(); }
  }
  Crowd.define("crowd-toast", CrowdToast);
})();

/* ---- 40-classifiers.js ---- */
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

/* ---- 50-image-canvas.js ---- */
/*
 * Image workspace shared by the image elements (CROWD-ELEMENTS §3.4, §3.5): the image scaled to
 * fit, zoom and pan, screen <-> natural-pixel coordinates, the instruction regions (§1.4), and
 * the base class of the annotation tools (labels, undo, initial-value, answer and validation).
 *
 * Shapes are drawn in an SVG overlay whose viewBox is the image's natural size, so tools work
 * in natural pixels throughout and only handle sizes depend on the zoom.
 */
(function () {
  "use strict";

  const Crowd = window.Crowd;
  const h = Crowd.h;
  const SVG_NS = "http://www.w3.org/2000/svg";

  /** Like Crowd.h, for SVG elements. */
  function svg(tag, attrs = {}, ...children) {
    const el = document.createElementNS(SVG_NS, tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "text") el.textContent = value;
      else el.setAttribute(key, String(value));
    }
    for (const child of children.flat()) if (child) el.append(child);
    return el;
  }

  // d3 "category10", then its lighter companions: A2I's default label colours (§3.5).
  const PALETTE = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5",
    "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5",
  ];
  const UNKNOWN_COLOR = "#64748b";

  const ICONS = {
    zoomIn: "M11 4a7 7 0 1 0 0 14a7 7 0 1 0 0-14M20 20l-4-4M11 8v6M8 11h6",
    zoomOut: "M11 4a7 7 0 1 0 0 14a7 7 0 1 0 0-14M20 20l-4-4M8 11h6",
    fit: "M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5",
    undo: "M9 14L4 9l5-5M4 9h10a6 6 0 0 1 0 12h-3",
    redo: "M15 14l5-5-5-5M20 9H10a6 6 0 0 0 0 12h3",
    trash: "M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3",
    move: "M12 3v18M3 12h18M9 6l3-3 3 3M9 18l3 3 3-3M6 9l-3 3 3 3M18 9l3 3-3 3",
    brush: "M14.5 4.5l5 5L11 18l-5-5zM6 13c-2 0-3 1.5-3 3.5S2 20 2 20s3.5 1 5.5-1S9 15 6 13z",
    eraser: "M16 3l5 5-10 10H6l-3-3zM11 8l5 5M8 21h12",
    eye: "M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12zM12 9a3 3 0 1 0 0 6a3 3 0 1 0 0-6",
    plus: "M12 5v14M5 12h14",
    close: "M6 6l12 12M18 6L6 18",
    comment: "M4 5h16v11H9l-5 4z",
    check: "M5 12l5 5L20 7",
  };

  function icon(name) {
    return svg("svg", { class: "crowd-img-icon", viewBox: "0 0 24 24", "aria-hidden": "true" },
      svg("path", { d: ICONS[name] }));
  }

  /** A toolbar button: an icon with an accessible name and a tooltip naming its shortcut. */
  function toolButton(iconName, label, shortcut, onclick, text) {
    return h("button", {
      type: "button", class: "crowd-img-btn", "aria-label": label,
      title: shortcut ? `${label} (${shortcut})` : label, onclick,
    }, icon(iconName), text ? h("span", { text }) : null);
  }

  /** Labels as templates write them: a JSON-ish list of strings (objects with `label` pass). */
  function toLabels(value) {
    const list = Array.isArray(value) ? value : Crowd.parseRelaxed(value, []);
    if (!Array.isArray(list)) return [];
    const out = [];
    for (const item of list) {
      let text = item;
      if (item && typeof item === "object") text = item.label ?? item.name ?? item.text;
      if (text === undefined || text === null) continue;
      if (!out.includes(String(text))) out.push(String(text));
    }
    return out;
  }

  /** A property assigned before the element was upgraded shadows the class accessor. */
  function upgradeProperty(element, prop) {
    if (Object.prototype.hasOwnProperty.call(element, prop)) {
      const value = element[prop];
      delete element[prop];
      element[prop] = value;
    }
  }

  function typingIn(target) {
    return target instanceof Element &&
      target.closest("input, textarea, select, [contenteditable=''], [contenteditable='true'], dialog") !== null;
  }

  /**
   * Keys reach the tool the reviewer used last even when nothing has the focus (a clicked button
   * that became disabled hands the focus to <body>), or the first tool before any was used:
   * `handler(event)` gets such key presses.
   */
  let lastUsed = null;
  function routeKeys(element, handler) {
    const mark = () => { lastUsed = element; };
    if (!lastUsed || !lastUsed.isConnected) lastUsed = element;
    element.addEventListener("pointerdown", mark, true);
    element.addEventListener("focusin", mark);
    element.addEventListener("keydown", handler);
    document.addEventListener("keydown", (event) => {
      const target = event.target;
      if (lastUsed !== element || !element.isConnected) return;
      if (target !== document.body && target !== document.documentElement && target !== document) return;
      handler(event);
    });
  }

  /** Rebuilds `container` with `build()`, giving the focus back to the rebuilt control that has
   * the same data-focus-key as the one that had it, so keyboard users keep their place. */
  function keepFocus(container, build) {
    const active = document.activeElement;
    const key = active && container.contains(active) ? active.dataset.focusKey : undefined;
    build();
    if (key === undefined) return;
    const again = [...container.querySelectorAll("[data-focus-key]")].find((el) => el.dataset.focusKey === key);
    if (again) again.focus({ preventScroll: true });
  }

  const round = Math.round;
  const clamp = (value, low, high) => Math.min(high, Math.max(low, value));
  let uid = 0;
  const nextId = (prefix) => `${prefix}-${++uid}`;

  const CSS = `
crowd-image-classifier, crowd-image-classifier-multi-select, crowd-bounding-box, crowd-keypoint,
crowd-polygon, crowd-line, crowd-polyline, crowd-semantic-segmentation,
crowd-instance-segmentation { display: block; margin: 0 0 20px; }
.crowd-img-tool {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 14px; line-height: 1.45; color: var(--crowd-text, #16191f); outline: none;
}
.crowd-img-tool * { box-sizing: border-box; }
.crowd-img-tool [hidden] { display: none !important; }
.crowd-img-section:not(:empty) { margin-top: 16px; }
.crowd-img-header { font-size: 1.1em; font-weight: 600; margin: 0 0 10px; }
.crowd-img-body { display: flex; gap: 16px; align-items: flex-start; }
.crowd-img-main { flex: 1 1 auto; min-width: 0; }
.crowd-img-body > .crowd-instructions-panel, .crowd-img-panel {
  max-height: calc(var(--crowd-img-height, min(65vh, 640px)) + 48px); overflow: auto;
}
.crowd-img-body > .crowd-instructions-panel { flex: 0 0 240px; max-width: none; }
.crowd-img-body > .crowd-instructions-panel > .crowd-link:first-child { margin-top: 0; }
.crowd-img-panel {
  flex: 0 0 248px; border: 1px solid var(--crowd-border, #c6ccd5); border-radius: 8px; padding: 12px 14px;
  background: var(--crowd-surface, #fff);
}
.crowd-img-panel-title {
  font-size: 12px; font-weight: 600; letter-spacing: .04em; text-transform: uppercase;
  color: #475569; margin: 0 0 8px;
}
.crowd-img-panel-title:not(:first-child) { margin-top: 16px; }
.crowd-img-link {
  display: inline-flex; align-items: center; gap: 6px; padding: 2px 0;
  border: 0; background: none; color: var(--crowd-primary, #0a66c2); font: inherit; text-decoration: underline;
  cursor: pointer;
}
.crowd-img-link:hover { color: var(--crowd-primary-dark, #084f96); }
.crowd-img-toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; margin: 0 0 8px; }
.crowd-img-group { display: inline-flex; align-items: center; gap: 4px; }
.crowd-img-sep { width: 1px; height: 22px; background: #e2e8f0; margin: 0 4px; }
.crowd-img-btn {
  display: inline-flex; align-items: center; justify-content: center; gap: 6px;
  height: 32px; min-width: 32px; padding: 0 8px; border: 1px solid #cbd5e1; border-radius: 6px;
  background: #fff; color: #1f2937; font: inherit; cursor: pointer;
}
.crowd-img-btn:hover:not(:disabled) { background: #f1f5f9; }
.crowd-img-btn:disabled { opacity: .45; cursor: default; }
.crowd-img-btn[aria-pressed="true"] { background: var(--crowd-primary-soft, #e8f1fb); border-color: var(--crowd-primary, #0a66c2); color: var(--crowd-primary-dark, #084f96); }
.crowd-img-btn.crowd-img-primary { background: var(--crowd-primary, #0a66c2); border-color: var(--crowd-primary, #0a66c2); color: #fff; }
.crowd-img-btn.crowd-img-primary:hover { background: var(--crowd-primary-dark, #084f96); }
.crowd-img-icon {
  width: 18px; height: 18px; fill: none; stroke: currentColor; stroke-width: 2;
  stroke-linecap: round; stroke-linejoin: round; flex: none;
}
.crowd-img-zoom { min-width: 48px; text-align: center; color: #475569; font-variant-numeric: tabular-nums; }
.crowd-img-tool button:focus-visible, .crowd-img-tool select:focus-visible,
.crowd-img-tool input:focus-visible, .crowd-img-dialog button:focus-visible,
.crowd-img-dialog textarea:focus-visible {
  outline: 2px solid var(--crowd-primary, #0a66c2); outline-offset: 2px;
}
.crowd-img-viewport {
  position: relative; display: flex; overflow: auto; outline: none;
  height: var(--crowd-img-height, min(65vh, 640px)); min-height: 240px;
  border: 1px solid #cbd5e1; border-radius: 8px;
  background-color: #e9edf2;
  background-image: linear-gradient(45deg, #dfe4ea 25%, transparent 25%, transparent 75%, #dfe4ea 75%),
    linear-gradient(45deg, #dfe4ea 25%, transparent 25%, transparent 75%, #dfe4ea 75%);
  background-size: 20px 20px; background-position: 0 0, 10px 10px;
  user-select: none; -webkit-user-select: none; touch-action: none; overscroll-behavior: contain;
}
.crowd-img-viewport:focus-visible { box-shadow: 0 0 0 3px rgba(10, 102, 194, .45); border-color: var(--crowd-primary, #0a66c2); }
.crowd-img-stage { position: relative; margin: auto; flex: none; box-shadow: 0 1px 3px rgba(15, 23, 42, .25); }
.crowd-img-stage > img { display: block; width: 100%; height: 100%; pointer-events: none; }
.crowd-img-layers, .crowd-img-layers > *, .crowd-img-overlay {
  position: absolute; left: 0; top: 0; width: 100%; height: 100%;
}
.crowd-img-layers { pointer-events: none; }
.crowd-img-magnified .crowd-img-layers canvas, .crowd-img-magnified .crowd-img-layers img { image-rendering: pixelated; }
.crowd-img-overlay { overflow: visible; cursor: crosshair; }
.crowd-img-viewport.crowd-img-pannable .crowd-img-overlay,
.crowd-img-viewport.crowd-img-pannable { cursor: grab; }
.crowd-img-viewport.crowd-img-panning .crowd-img-overlay,
.crowd-img-viewport.crowd-img-panning { cursor: grabbing; }
.crowd-img-overlay [data-part="shape"] { cursor: move; }
.crowd-img-overlay [data-handle] { cursor: pointer; }
.crowd-img-overlay [data-handle="nw"], .crowd-img-overlay [data-handle="se"] { cursor: nwse-resize; }
.crowd-img-overlay [data-handle="ne"], .crowd-img-overlay [data-handle="sw"] { cursor: nesw-resize; }
.crowd-img-overlay [data-handle="n"], .crowd-img-overlay [data-handle="s"] { cursor: ns-resize; }
.crowd-img-overlay [data-handle="e"], .crowd-img-overlay [data-handle="w"] { cursor: ew-resize; }
.crowd-img-overlay text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; pointer-events: none; }
.crowd-img-status {
  position: absolute; inset: 0; display: flex; align-items: center; justify-content: center;
  color: #475569; font-size: 14px; pointer-events: none; text-align: center; padding: 16px;
}
.crowd-img-status[hidden] { display: none; }
.crowd-img-hint { margin: 6px 0 0; color: #64748b; font-size: 12.5px; }
.crowd-img-error {
  margin: 8px 0 0; padding: 8px 12px; border: 1px solid #fca5a5; border-radius: 6px;
  background: #fef2f2; color: #b91c1c; font-weight: 500;
}
.crowd-img-error:empty { display: none; }
.crowd-img-tool[data-invalid] .crowd-img-viewport { border-color: #dc2626; }
.crowd-img-choices { display: flex; flex-direction: column; gap: 4px; }
.crowd-img-choice {
  display: flex; align-items: center; gap: 8px; width: 100%; min-height: 34px; padding: 5px 8px;
  border: 1px solid transparent; border-radius: 6px; background: none; color: inherit;
  font: inherit; text-align: left; cursor: pointer;
}
.crowd-img-choice:hover { background: #f1f5f9; }
.crowd-img-choice[aria-checked="true"] { background: var(--crowd-primary-soft, #e8f1fb); border-color: #9cc3ea; }
.crowd-img-choice-text { flex: 1 1 auto; overflow-wrap: anywhere; }
.crowd-img-swatch { width: 14px; height: 14px; border-radius: 3px; flex: none; box-shadow: inset 0 0 0 1px rgba(0,0,0,.15); }
.crowd-img-mark {
  width: 16px; height: 16px; flex: none; border: 2px solid #94a3b8; background: #fff;
  display: inline-flex; align-items: center; justify-content: center;
}
.crowd-img-mark.crowd-img-radio { border-radius: 50%; }
.crowd-img-mark.crowd-img-box { border-radius: 4px; }
[aria-checked="true"] > .crowd-img-mark { border-color: var(--crowd-primary, #0a66c2); }
[aria-checked="true"] > .crowd-img-radio::after {
  content: ""; width: 8px; height: 8px; border-radius: 50%; background: var(--crowd-primary, #0a66c2);
}
[aria-checked="true"] > .crowd-img-box { background: var(--crowd-primary, #0a66c2); }
[aria-checked="true"] > .crowd-img-box::after {
  content: ""; width: 4px; height: 8px; margin-top: -2px; border: solid #fff;
  border-width: 0 2px 2px 0; transform: rotate(45deg);
}
.crowd-img-tool kbd {
  font: 11px/1 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: #475569;
  padding: 2px 5px; border: 1px solid #cbd5e1; border-bottom-width: 2px; border-radius: 4px; background: #fff;
}
.crowd-img-list { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 4px; }
.crowd-img-item {
  display: flex; align-items: center; gap: 6px; padding: 3px 4px; border-radius: 6px;
  border: 1px solid transparent;
}
.crowd-img-item[aria-current="true"] { background: var(--crowd-primary-soft, #e8f1fb); border-color: #9cc3ea; }
.crowd-img-item-name {
  flex: 1 0 auto; white-space: nowrap; display: flex; align-items: center; gap: 6px; min-width: 0; padding: 3px 2px;
  border: 0; background: none; font: inherit; color: inherit; text-align: left; cursor: pointer;
}
.crowd-img-item select {
  flex: 0 1 auto; min-width: 0; max-width: 104px; font: inherit; font-size: 12.5px; padding: 2px; border: 1px solid #cbd5e1;
  border-radius: 4px; background: #fff;
}
.crowd-img-item .crowd-img-btn { height: 26px; min-width: 26px; padding: 0 4px; border-color: transparent; background: none; }
.crowd-img-item .crowd-img-btn:hover { background: #fee2e2; color: #b91c1c; }
.crowd-img-empty { color: #94a3b8; font-size: 12.5px; margin: 0; }
.crowd-img-range { display: inline-flex; align-items: center; gap: 6px; color: #475569; font-size: 12.5px; }
.crowd-img-range input { width: 96px; accent-color: var(--crowd-primary, #0a66c2); }
.crowd-img-comment { margin-top: 14px; padding-top: 12px; border-top: 1px solid #e2e8f0; }
.crowd-img-comment-text { margin: 6px 0 0; color: #334155; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 13px; }
.crowd-img-legend { display: flex; flex-direction: column; gap: 4px; font-size: 13px; }
.crowd-img-legend span { display: inline-flex; align-items: center; gap: 8px; }
.crowd-img-extra { margin-top: 12px; }
.crowd-dialog .crowd-img-dialog-foot { display: flex; justify-content: flex-end; gap: 8px; margin-top: 16px; }
.crowd-dialog textarea.crowd-img-textarea {
  display: block; width: 100%; min-height: 110px; margin-top: 10px; padding: 8px 10px; box-sizing: border-box;
  border: 1px solid var(--crowd-border, #c6ccd5); border-radius: 6px; font: inherit; resize: vertical;
}
.crowd-dialog textarea.crowd-img-textarea:focus-visible { outline: none; border-color: var(--crowd-primary, #0a66c2); box-shadow: var(--crowd-focus-ring, 0 0 0 3px rgba(10, 102, 194, .35)); }
.crowd-dialog worker-comment { display: block; }
@media (max-width: 900px) {
  .crowd-img-body { flex-direction: column; align-items: stretch; }
  .crowd-img-body > .crowd-instructions-panel, .crowd-img-panel { flex: none; max-height: none; }
}
`;

  function addStyles() {
    Crowd.addStyle("crowd-image-styles", CSS);
  }

  /** The short-instructions / full-instructions side panel of §1.4 (shared with crowd-form),
   * or null when `host` has neither region. */
  function takeInstructions(host) {
    return Crowd.instructionsPanel(host);
  }

  /** Children left after the regions were taken: kept, after the tool. */
  function takeRest(host) {
    const rest = [...host.childNodes].filter((n) => n.nodeType === Node.ELEMENT_NODE || (n.nodeType === Node.TEXT_NODE && n.textContent.trim()));
    for (const node of [...host.childNodes]) node.remove();
    return rest.length ? h("div", { class: "crowd-img-extra" }, rest) : null;
  }

  const TAG_FONT = '600 11px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
  const textWidths = new Map();
  function tagTextWidth(text) {
    if (!textWidths.has(text)) {
      const context = (tagTextWidth.context ||= document.createElement("canvas").getContext("2d"));
      context.font = TAG_FONT;
      textWidths.set(text, context.measureText(text).width);
    }
    return textWidths.get(text);
  }

  /** A label tag at (x, y) natural pixels (above it, or below when `below`), drawn at a
   * constant screen size: `unit` is natural pixels per screen pixel. */
  function labelTag(unit, x, y, text, color, below = false) {
    if (!text) return null;
    const width = (tagTextWidth(text) + 11) * unit;
    const height = 17 * unit;
    const top = below ? y : y - height;
    return svg("g", { "pointer-events": "none" },
      svg("rect", { x, y: top, width, height, rx: 3 * unit, fill: color }),
      svg("text", { x: x + 5.5 * unit, y: top + 12.5 * unit, "font-size": 11 * unit, fill: "#fff", "font-weight": 600, text }));
  }

  /* ---- The image viewport: fit, zoom, pan, coordinates ---- */

  class ImageView {
    /**
     * pointer: an object with down(point, event, part), move(point, event, dragging),
     * up(point, event) and leave() (all optional), given natural-pixel points.
     * dragPans: a plain drag pans the image (when nothing is drawn on it).
     */
    constructor({ label, pointer = null, onScale = null, dragPans = false }) {
      this.width = 0;
      this.height = 0;
      this.scale = 1;
      this.fitted = true;
      this.loaded = false;
      this.failed = false;
      this.pointer = pointer;
      this.onScale = onScale;
      this.dragPans = dragPans;
      this.handMode = false;
      this.spaceHeld = false;
      this._loading = 0;
      this._gesture = null;
      this.root = h("div", { class: "crowd-img-viewport", tabindex: "0", role: "group", "aria-label": label || "Image" });
      this.stage = h("div", { class: "crowd-img-stage", hidden: true });
      this.picture = h("img", { alt: "", draggable: "false" });
      this.layers = h("div", { class: "crowd-img-layers" });
      this.overlay = svg("svg", { class: "crowd-img-overlay", preserveAspectRatio: "none", "aria-hidden": "true" });
      this.status = h("div", { class: "crowd-img-status", role: "status" });
      this.stage.append(this.picture, this.layers, this.overlay);
      this.root.append(this.stage, this.status);

      this.root.addEventListener("pointerdown", (e) => this._down(e));
      this.root.addEventListener("pointermove", (e) => this._move(e));
      this.root.addEventListener("pointerup", (e) => this._up(e));
      this.root.addEventListener("pointercancel", (e) => this._up(e));
      this.root.addEventListener("pointerleave", () => { if (!this._gesture) this.pointer?.leave?.(); });
      this.root.addEventListener("wheel", (e) => this._wheel(e), { passive: false });
      this.root.addEventListener("keydown", (e) => {
        if (e.key === " " && e.target === this.root) {
          e.preventDefault();
          this.spaceHeld = true;
          this._updateCursor();
        }
      });
      this.root.addEventListener("keyup", (e) => { if (e.key === " ") this._endSpace(); });
      this.root.addEventListener("blur", () => this._endSpace());
      new ResizeObserver(() => { if (this.fitted) this.fit(); }).observe(this.root);
    }

    _endSpace() {
      this.spaceHeld = false;
      this._updateCursor();
    }

    setHandMode(on) {
      this.handMode = on;
      this._updateCursor();
    }

    /** The grab cursor shows when a drag would pan. */
    _updateCursor() {
      const larger = this.loaded && (this.stage.offsetWidth > this.root.clientWidth || this.stage.offsetHeight > this.root.clientHeight);
      this.root.classList.toggle("crowd-img-pannable", this.handMode || this.spaceHeld || (this.dragPans && larger));
    }

    /** Loads `src`; resolves true when shown, false when it could not be loaded. */
    async load(src) {
      const token = ++this._loading;
      this.loaded = false;
      this.failed = false;
      this.stage.hidden = true;
      this.status.hidden = false;
      if (!src) {
        this.failed = true;
        this.status.textContent = "No image was given for this task.";
        return false;
      }
      this.status.textContent = "Loading image…";
      let image;
      try {
        image = await Crowd.loadImage(src);
      } catch (_) {
        if (token === this._loading) {
          this.failed = true;
          this.status.textContent = "The image could not be loaded.";
        }
        return false;
      }
      if (token !== this._loading) return false;
      image.alt = "";
      image.draggable = false;
      this.picture.replaceWith(image);
      this.picture = image;
      this.width = image.naturalWidth || image.width || 300;
      this.height = image.naturalHeight || image.height || 150;
      this.overlay.setAttribute("viewBox", `0 0 ${this.width} ${this.height}`);
      this.stage.hidden = false;
      this.status.hidden = true;
      this.loaded = true;
      this.fit();
      return true;
    }

    fitScale() {
      const width = this.root.clientWidth;
      const height = this.root.clientHeight;
      if (!this.width || !width || !height) return 0;
      return Math.min(width / this.width, height / this.height);
    }

    /** Natural pixels per screen pixel at the current zoom; handle sizes use it. */
    get unit() { return this.scale ? 1 / this.scale : 1; }

    fit() {
      const scale = this.fitScale();
      if (!this.loaded || !scale) return;
      this.fitted = true;
      this._apply(scale);
      this.root.scrollLeft = 0;
      this.root.scrollTop = 0;
    }

    zoomBy(factor, anchor) { this.setScale(this.scale * factor, anchor); }

    /** Zooms keeping the natural point under `anchor` (client coordinates; default: the
     * centre of the viewport) where it is on screen. */
    setScale(scale, anchor) {
      if (!this.loaded) return;
      const fit = this.fitScale() || this.scale;
      scale = clamp(scale, Math.min(fit, 1) / 2, Math.max(fit, 1) * 16);
      const box = this.root.getBoundingClientRect();
      const ax = anchor ? anchor.clientX : box.left + this.root.clientWidth / 2;
      const ay = anchor ? anchor.clientY : box.top + this.root.clientHeight / 2;
      const fixed = this.toImage(ax, ay);
      this.fitted = false;
      this._apply(scale);
      const stage = this.stage.getBoundingClientRect();
      this.root.scrollLeft += stage.left + (fixed.x * stage.width) / this.width - ax;
      this.root.scrollTop += stage.top + (fixed.y * stage.height) / this.height - ay;
    }

    _apply(scale) {
      const width = Math.max(1, Math.floor(this.width * scale));
      const height = Math.max(1, Math.floor(this.height * scale));
      this.stage.style.width = `${width}px`;
      this.stage.style.height = `${height}px`;
      this.scale = width / this.width;
      this.stage.classList.toggle("crowd-img-magnified", this.scale > 1);
      this._updateCursor();
      this.onScale?.(this.scale);
    }

    /** Client (CSS pixel) coordinates -> natural image pixels, unrounded. */
    toImage(clientX, clientY) {
      const box = this.stage.getBoundingClientRect();
      if (!box.width || !box.height) return { x: 0, y: 0 };
      return {
        x: ((clientX - box.left) * this.width) / box.width,
        y: ((clientY - box.top) * this.height) / box.height,
      };
    }

    point(event) {
      const p = this.toImage(event.clientX, event.clientY);
      p.inside = p.x >= 0 && p.y >= 0 && p.x <= this.width && p.y <= this.height;
      return p;
    }

    /** Rounds and clamps a point into the image. */
    snap(p) {
      return { x: clamp(round(p.x), 0, this.width), y: clamp(round(p.y), 0, this.height) };
    }

    _down(event) {
      if (!this.loaded || this._gesture) return;
      if (event.button !== 0 && event.button !== 1) return;
      this.root.setPointerCapture?.(event.pointerId);
      if (event.button === 1 || this.spaceHeld || this.handMode || this.dragPans) {
        this._gesture = {
          kind: "pan", id: event.pointerId, x: event.clientX, y: event.clientY,
          left: this.root.scrollLeft, top: this.root.scrollTop,
        };
        this.root.classList.add("crowd-img-panning");
        return;
      }
      this._gesture = { kind: "tool", id: event.pointerId };
      const part = event.target instanceof Element ? event.target.closest("[data-part]") : null;
      this.pointer?.down?.(this.point(event), event, part);
    }

    _move(event) {
      const gesture = this._gesture;
      if (gesture && gesture.id !== event.pointerId) return;
      if (gesture && gesture.kind === "pan") {
        this.root.scrollLeft = gesture.left - (event.clientX - gesture.x);
        this.root.scrollTop = gesture.top - (event.clientY - gesture.y);
        return;
      }
      if (this.loaded) this.pointer?.move?.(this.point(event), event, Boolean(gesture));
    }

    _up(event) {
      const gesture = this._gesture;
      if (!gesture || gesture.id !== event.pointerId) return;
      this._gesture = null;
      this.root.releasePointerCapture?.(event.pointerId);
      this.root.classList.remove("crowd-img-panning");
      if (gesture.kind === "tool") this.pointer?.up?.(this.point(event), event);
    }

    _wheel(event) {
      if (!this.loaded || !(event.ctrlKey || event.metaKey)) return;
      event.preventDefault();
      this.zoomBy(Math.exp(-event.deltaY * 0.0025), event);
    }
  }

  /* ---- Base class of the annotation tools ---- */

  /**
   * Subclasses describe themselves with `noun` ({one, many}), `hint`, and implement
   *   fromInitial(value)  -> shapes from the initial-value attribute
   *   answerBody()        -> the answer without inputImageProperties / initialValueModified
   *   draw(layer)         -> SVG for this.shapes into `layer`
   *   down/move/up        -> pointer handling (natural-pixel points)
   *   moveShape(shape, dx, dy) -> translate a shape (arrow keys)
   * and may override the draft hooks (hasDraft, draftMessage, cancelDraft, finishDraft).
   */
  class ImageTool extends Crowd.CrowdElement {
    static get observedAttributes() {
      return ["src", "labels", "header", "initial-value", "initialvalue", "label-colors", "labelcolors"];
    }

    constructor() {
      super();
      this.shapes = [];
      this.selected = -1;
      this.activeLabel = 0;
      this._undo = [];
      this._redo = [];
      this._labelsProp = null;
      this._initialProp = undefined;
      this._built = false;
    }

    connectedCallback() {
      for (const prop of ["labels", "src", "header", "initialValue", "labelColors"]) upgradeProperty(this, prop);
      super.connectedCallback();
    }

    get noun() { return { one: "shape", many: "Shapes" }; }
    get hint() { return ""; }

    get labels() { return this._labelsProp ? [...this._labelsProp] : toLabels(Crowd.attr(this, "labels")); }
    set labels(value) {
      this._labelsProp = toLabels(value);
      this.labelsChanged();
    }
    get src() { return Crowd.attr(this, "src") || ""; }
    set src(value) { this.setAttribute("src", value); }
    get header() { return Crowd.attr(this, "header") || ""; }
    set header(value) { this.setAttribute("header", value); }
    get labelColors() {
      const colors = this._labelColorsProp ?? Crowd.jsonAttr(this, "label-colors", []);
      return Array.isArray(colors) ? colors.map(String) : [];
    }
    set labelColors(value) {
      this._labelColorsProp = typeof value === "string" ? Crowd.parseRelaxed(value, []) : value;
      this.labelsChanged();
    }
    get initialValue() {
      if (this._initialProp !== undefined) return this._initialProp;
      const value = Crowd.jsonAttr(this, "initial-value", undefined);
      return value === null ? undefined : value;
    }
    set initialValue(value) {
      this._initialProp = typeof value === "string" ? Crowd.parseRelaxed(value, undefined) : value;
      if (this._built) this.resetToInitial();
    }

    get value() {
      const body = this.answerBody();
      const answer = this.answerOrder === "shapes-first" ? { ...body, inputImageProperties: this.imageProperties() }
        : { inputImageProperties: this.imageProperties(), ...body };
      if (this.startedFromInitial()) answer.initialValueModified = this.isModified();
      return answer;
    }
    get _submittableValue() { return this.value; }

    imageProperties() {
      return { height: this.view?.height || 0, width: this.view?.width || 0 };
    }

    startedFromInitial() { return this._initialBody !== undefined; }

    isModified() { return JSON.stringify(this.answerBody()) !== this._initialBody; }

    crowdAnswer() { return this._built ? this.value : undefined; }

    crowdFocus() { this.view?.root.focus({ preventScroll: true }); }

    crowdValidate() {
      const message = this._built ? this.validationMessage() : null;
      this.showError(message);
      return message;
    }

    validationMessage() {
      if (!this.view.loaded && !this.view.failed) return "The image is still loading: wait until it appears, then submit again.";
      const draft = this.hasDraft() ? this.draftMessage() : null;
      if (draft) return draft;
      if (Crowd.flag(this, "required") && this.isEmpty()) return `Add at least one ${this.noun.one} before submitting.`;
      return null;
    }

    isEmpty() { return this.shapes.length === 0; }

    crowdReset() {
      if (!this._built) return;
      this.cancelDraft();
      this.resetToInitial();
      this.showError(null);
    }

    attributeChangedCallback(name, previous, value) {
      if (!this._built || previous === value) return;
      if (name === "src") this.loadImage();
      else if (name === "labels") { this._labelsProp = null; this.labelsChanged(); }
      else if (name === "label-colors" || name === "labelcolors") { this._labelColorsProp = undefined; this.labelsChanged(); }
      else if (name === "header") this.renderHeader();
      else if (this._initialProp === undefined) this.resetToInitial();
    }

    /* -- set-up and layout -- */

    crowdSetup() {
      addStyles();
      const instructions = takeInstructions(this);
      const rest = takeRest(this);
      this.view = new ImageView({
        label: this.header || `Image to annotate`,
        pointer: this,
        onScale: () => { this.updateZoom(); this.render(); },
      });
      this.hintId = nextId("crowd-img-hint");
      this.view.root.setAttribute("aria-describedby", this.hintId);

      this.headerEl = h("div", { class: "crowd-img-header", role: "heading", "aria-level": "2" });
      this.zoomText = h("span", { class: "crowd-img-zoom", "aria-live": "polite" });
      this.undoButton = toolButton("undo", "Undo", "Ctrl+Z", () => this.undo());
      this.redoButton = toolButton("redo", "Redo", "Ctrl+Shift+Z", () => this.redo());
      this.deleteButton = this.makeDeleteButton();
      this.panButton = toolButton("move", "Move the image", "hold Space and drag", () => this.togglePan());
      this.panButton.setAttribute("aria-pressed", "false");
      this.toolbar = h("div", { class: "crowd-img-toolbar", role: "toolbar", "aria-label": "Image tools" },
        this.toolButtons(),
        h("span", { class: "crowd-img-group" },
          toolButton("zoomOut", "Zoom out", "-", () => this.view.zoomBy(1 / 1.25)),
          this.zoomText,
          toolButton("zoomIn", "Zoom in", "+", () => this.view.zoomBy(1.25)),
          toolButton("fit", "Fit image to view", "0", () => this.view.fit()),
          this.panButton,
        ),
        h("span", { class: "crowd-img-sep" }),
        h("span", { class: "crowd-img-group" }, this.undoButton, this.redoButton),
        h("span", { class: "crowd-img-sep" }),
        this.deleteButton,
      );
      this.errorEl = h("div", { class: "crowd-img-error", role: "alert" });
      this.hintEl = h("p", { class: "crowd-img-hint", id: this.hintId, text: this.hint });

      this.labelGroup = h("div", { class: "crowd-img-choices", role: "radiogroup", "aria-label": "Labels" });
      this.labelGroup.addEventListener("keydown", (e) => this.onChoiceKey(e));
      this.labelSection = h("div", {}, h("h3", { class: "crowd-img-panel-title", text: "Labels" }), this.labelGroup);
      this.listTitle = h("h3", { class: "crowd-img-panel-title" });
      this.list = h("ul", { class: "crowd-img-list", "aria-label": this.noun.many });
      this.panel = h("aside", { class: "crowd-img-panel", "aria-label": "Labels and annotations" },
        this.labelSection, this.panelExtras(), this.listTitle, this.list);

      this.ui = h("div", { class: "crowd-img-tool", tabindex: "-1" },
        this.headerEl,
        h("div", { class: "crowd-img-body" },
          instructions,
          h("div", { class: "crowd-img-main" }, this.toolbar, this.view.root, this.hintEl, this.errorEl),
          this.panel,
        ),
        rest,
      );
      this.append(this.ui);
      this._built = true;
      routeKeys(this, (e) => this.onKey(e));
      this.renderHeader();
      this.renderLabels();
      this.resetToInitial();
      this.updateZoom();
      this.loadImage();
    }

    makeDeleteButton() {
      return toolButton("trash", `Delete selected ${this.noun.one}`, "Delete", () => this.deleteSelected(), "Delete");
    }

    /** While on, a drag moves a zoomed image instead of drawing. */
    togglePan() {
      const on = !this.view.handMode;
      this.view.setHandMode(on);
      this.panButton.setAttribute("aria-pressed", String(on));
    }

    /** Tool-specific toolbar buttons (left of the zoom group). */
    toolButtons() { return null; }
    /** Tool-specific panel content (between the labels and the list). */
    panelExtras() { return null; }

    renderHeader() {
      this.headerEl.textContent = this.header;
      this.headerEl.hidden = !this.header;
      this.view.root.setAttribute("aria-label", this.header || "Image to annotate");
    }

    async loadImage() {
      const ok = await this.view.load(this.src);
      if (ok) await this.imageLoaded();
      this.render();
    }

    /** Called once the image size is known. */
    async imageLoaded() {}

    labelsChanged() {
      if (!this._built) return;
      this.renderLabels();
      this.render();
    }

    colorOf(label) {
      const index = this.labels.indexOf(label);
      return index < 0 ? UNKNOWN_COLOR : this.labelColors[index] || PALETTE[index % PALETTE.length];
    }

    get activeLabelName() {
      const labels = this.labels;
      return labels.length ? labels[clamp(this.activeLabel, 0, labels.length - 1)] : "";
    }

    renderLabels() {
      const labels = this.labels;
      if (this.activeLabel >= labels.length) this.activeLabel = 0;
      this.labelGroup.replaceChildren(...labels.map((label, i) => h("button", {
        type: "button", role: "radio", class: "crowd-img-choice",
        "aria-checked": String(i === this.activeLabel), tabindex: i === this.activeLabel ? "0" : "-1",
        onclick: () => this.chooseLabel(i),
      },
      h("span", { class: "crowd-img-swatch", style: `background:${this.colorOf(label)}` }),
      h("span", { class: "crowd-img-choice-text", text: label }),
      i < 9 ? h("kbd", { text: String(i + 1) }) : null)));
      this.labelSection.hidden = labels.length === 0;
    }

    chooseLabel(index) {
      if (index < 0 || index >= this.labels.length) return;
      this.activeLabel = index;
      [...this.labelGroup.children].forEach((button, i) => {
        button.setAttribute("aria-checked", String(i === index));
        button.tabIndex = i === index ? 0 : -1;
      });
      this.activeLabelChanged();
    }

    activeLabelChanged() {}

    /** Arrow keys inside a radio group move the choice (WAI-ARIA radio group pattern). */
    onChoiceKey(event) {
      const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      event.preventDefault();
      event.stopPropagation();
      const count = this.labels.length;
      if (!count) return;
      const next = (this.activeLabel + step + count) % count;
      this.chooseLabel(next);
      this.labelGroup.children[next]?.focus();
    }

    updateZoom() {
      this.zoomText.textContent = this.view.loaded ? `${Math.round(this.view.scale * 100)}%` : "";
    }

    /* -- state, history, answer -- */

    resetToInitial() {
      const initial = this.initialValue;
      this.cancelDraft(true);
      this.shapes = initial === undefined ? [] : this.fromInitial(initial);
      this._initialBody = initial === undefined ? undefined : JSON.stringify(this.answerBody());
      this.selected = -1;
      this._undo = [];
      this._redo = [];
      this.render();
    }

    fromInitial() { return []; }

    snapshot() { return JSON.stringify(this.shapes); }
    restore(snapshot) {
      this.shapes = JSON.parse(snapshot);
      if (this.selected >= this.shapes.length) this.selected = -1;
    }

    /** Records the state before a change, for undo. */
    checkpoint() {
      this._undo.push(this.snapshot());
      if (this._undo.length > 100) this._undo.shift();
      this._redo = [];
    }

    /** A change is complete: redraw, clear a shown validation message, tell listeners. */
    commit() {
      this.render();
      this.showError(null);
      this.dispatchEvent(new Event("change", { bubbles: true }));
    }

    undo() {
      if (this.hasDraft()) { this.undoDraft(); this.render(); return; }
      if (!this._undo.length) return;
      this._redo.push(this.snapshot());
      this.restore(this._undo.pop());
      this.commit();
    }

    redo() {
      if (this.hasDraft() || !this._redo.length) return;
      this._undo.push(this.snapshot());
      this.restore(this._redo.pop());
      this.commit();
    }

    select(index) {
      this.selected = index;
      this.render();
    }

    deleteSelected() {
      if (this.selected < 0 || this.selected >= this.shapes.length) return;
      this.checkpoint();
      this.shapes.splice(this.selected, 1);
      this.selected = -1;
      // The focused delete button is about to be disabled: keep the keyboard on the image.
      if (this.contains(document.activeElement) && document.activeElement.localName === "button") this.view.root.focus({ preventScroll: true });
      this.commit();
    }

    relabel(index, label) {
      const shape = this.shapes[index];
      if (!shape || shape.label === label) return;
      this.checkpoint();
      shape.label = label;
      this.commit();
    }

    /* -- drafts (shapes being drawn over several clicks) -- */

    hasDraft() { return false; }
    draftMessage() { return null; }
    cancelDraft() {}
    finishDraft() {}
    undoDraft() { this.cancelDraft(); }

    /* -- messages -- */

    showError(message) {
      if (!this._built) return;
      this.errorEl.textContent = message || "";
      this.ui.toggleAttribute("data-invalid", Boolean(message));
    }

    /* -- keyboard -- */

    onKey(event) {
      if (typingIn(event.target)) return;
      const key = event.key;
      const mod = event.ctrlKey || event.metaKey;
      if (mod && !event.altKey) {
        const lower = key.toLowerCase();
        if (lower === "z") { event.preventDefault(); if (event.shiftKey) this.redo(); else this.undo(); }
        else if (lower === "y") { event.preventDefault(); this.redo(); }
        return;
      }
      if (event.altKey || mod) return;
      const onCanvas = event.target === this.view.root || event.target === this.ui || !this.contains(event.target) ||
        event.target.classList.contains("crowd-img-item-name");
      const onButton = event.target instanceof HTMLButtonElement;
      if (this.toolKey(event, onCanvas)) { event.preventDefault(); return; }
      if (/^[1-9]$/.test(key)) { this.chooseLabel(Number(key) - 1); event.preventDefault(); return; }
      if (key === "+" || key === "=") { this.view.zoomBy(1.25); event.preventDefault(); return; }
      if (key === "-" || key === "_") { this.view.zoomBy(1 / 1.25); event.preventDefault(); return; }
      if (key === "0") { this.view.fit(); event.preventDefault(); return; }
      if (key === "Escape") {
        if (this.hasDraft()) { this.cancelDraft(); this.render(); event.preventDefault(); }
        else if (this.selected >= 0) { this.select(-1); event.preventDefault(); }
        return;
      }
      if (key === "Enter" && !onButton && this.hasDraft()) {
        event.preventDefault();
        this.finishDraft();
        return;
      }
      if (key === "Delete" || key === "Backspace") {
        if (this.hasDraft()) { if (key === "Backspace") { this.undoDraft(); this.render(); } }
        else this.deleteSelected();
        event.preventDefault();
        return;
      }
      const arrows = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
      if (arrows[key] && onCanvas && this.selected >= 0 && this.shapes[this.selected]) {
        event.preventDefault();
        const step = event.shiftKey ? 10 : 1;
        const [dx, dy] = arrows[key];
        if (!event.repeat || !this._nudging) this.checkpoint();
        this._nudging = true;
        this.moveShape(this.shapes[this.selected], dx * step, dy * step);
        this.commit();
      } else if (!arrows[key]) {
        this._nudging = false;
      }
    }

    /** Tool-specific keys; return true when handled. */
    toolKey() { return false; }

    /** Translates a shape by whole pixels, keeping it inside the image. */
    moveShape(shape, dx, dy) {
      const points = this.pointsOf(shape);
      if (!points.length) return;
      const xs = points.map((p) => p.x);
      const ys = points.map((p) => p.y);
      dx = clamp(dx, -Math.min(...xs), this.view.width - Math.max(...xs));
      dy = clamp(dy, -Math.min(...ys), this.view.height - Math.max(...ys));
      for (const p of points) { p.x += dx; p.y += dy; }
    }

    pointsOf(shape) { return shape.vertices || [shape]; }

    /* -- drawing -- */

    render() {
      if (!this._built) return;
      const layer = this.view.overlay;
      layer.replaceChildren();
      if (this.view.loaded) this.draw(layer);
      this.renderList();
      this.updateButtons();
    }

    updateButtons() {
      this.undoButton.disabled = !this._undo.length && !this.hasDraft();
      this.redoButton.disabled = !this._redo.length || this.hasDraft();
      this.deleteButton.disabled = this.selected < 0;
    }

    draw() {}

    tag(x, y, text, color, below = false) { return labelTag(this.view.unit, x, y, text, color, below); }

    /** A square handle of constant screen size centred on (x, y). */
    handle(x, y, { stroke, ...attrs }) {
      const u = this.view.unit;
      const size = 9 * u;
      return svg("g", attrs,
        svg("rect", { x: x - size, y: y - size, width: size * 2, height: size * 2, fill: "transparent" }),
        svg("rect", {
          x: x - size / 2, y: y - size / 2, width: size, height: size, fill: "#fff",
          stroke: stroke || "#1f2937", "stroke-width": 1.5, "vector-effect": "non-scaling-stroke",
        }));
    }

    /** A round vertex marker of constant screen size. */
    dot(x, y, color, { fill, ...attrs } = {}, radius = 4.5) {
      const u = this.view.unit;
      return svg("g", attrs,
        svg("circle", { cx: x, cy: y, r: 10 * u, fill: "transparent" }),
        svg("circle", {
          cx: x, cy: y, r: radius * u, fill: fill || "#fff", stroke: color,
          "stroke-width": 2, "vector-effect": "non-scaling-stroke",
        }));
    }

    /* -- the list of shapes in the side panel -- */

    describe(shape, index) { return `${this.noun.one[0].toUpperCase()}${this.noun.one.slice(1)} ${index + 1}`; }

    renderList() {
      const labels = this.labels;
      this.listTitle.textContent = `${this.noun.many} (${this.shapes.length})`;
      if (!this.shapes.length) {
        this.list.replaceChildren(h("li", { class: "crowd-img-empty", text: `No ${this.noun.many.toLowerCase()} yet.` }));
        return;
      }
      keepFocus(this.list, () => this.list.replaceChildren(...this.shapes.map((shape, i) => {
        const name = this.describe(shape, i);
        const options = labels.includes(shape.label) ? labels : [shape.label, ...labels];
        const select = h("select", { "aria-label": `Label of ${name}`, "data-crowd-internal": "", "data-focus-key": `label-${i}` },
          options.map((label) => h("option", { value: label, text: label || "(none)" })));
        select.value = shape.label;
        select.addEventListener("change", () => this.relabel(i, select.value));
        return h("li", { class: "crowd-img-item", "aria-current": String(i === this.selected) },
          h("button", {
            type: "button", class: "crowd-img-item-name", "aria-pressed": String(i === this.selected),
            "data-focus-key": `name-${i}`, onclick: () => { this.select(i === this.selected ? -1 : i); },
          }, h("span", { class: "crowd-img-swatch", style: `background:${this.colorOf(shape.label)}` }), name),
          labels.length ? select : null,
          h("button", {
            type: "button", class: "crowd-img-btn", "aria-label": `Delete ${name}`, title: `Delete ${name}`,
            onclick: () => { this.selected = i; this.deleteSelected(); },
          }, icon("trash")));
      })));
    }
  }

  Crowd.Image = {
    svg, icon, toolButton, labelTag, routeKeys, keepFocus, toLabels, upgradeProperty, typingIn, clamp, nextId,
    PALETTE, UNKNOWN_COLOR, addStyles, takeInstructions, takeRest, ImageView, ImageTool,
  };
})();

/* ---- 51-image-classifiers.js ---- */
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

/* ---- 52-bounding-box.js ---- */
/*
 * crowd-bounding-box (CROWD-ELEMENTS §3.5): labelled axis-aligned rectangles.
 * Answer: {boundingBoxes: [{label, left, top, width, height}], inputImageProperties: {height,
 * width}} in natural pixels, plus initialValueModified when started from initial-value.
 */
(function () {
  "use strict";

  const Crowd = window.Crowd;
  const { svg, clamp, ImageTool } = Crowd.Image;
  const round = Math.round;
  const HANDLES = ["nw", "n", "ne", "e", "se", "s", "sw", "w"];

  function boxFrom(a, b) {
    return {
      left: Math.min(a.x, b.x), top: Math.min(a.y, b.y),
      width: Math.abs(b.x - a.x), height: Math.abs(b.y - a.y),
    };
  }

  class CrowdBoundingBox extends ImageTool {
    get noun() { return { one: "box", many: "Boxes" }; }
    get hint() {
      return "Drag on the image to draw a box with the selected label. Click a box to select it; " +
        "drag it or its handles to adjust it. Arrow keys nudge the selected box, Delete removes it.";
    }
    get answerOrder() { return "shapes-first"; }

    fromInitial(value) {
      const list = Array.isArray(value) ? value : (value && value.boundingBoxes) || [];
      if (!Array.isArray(list)) return [];
      return list.filter((box) => box && typeof box === "object").map((box) => ({
        label: String(box.label ?? ""),
        left: Number(box.left) || 0, top: Number(box.top) || 0,
        width: Number(box.width) || 0, height: Number(box.height) || 0,
      }));
    }

    answerBody() {
      return {
        boundingBoxes: this.shapes.map((box) => ({
          label: box.label, left: round(box.left), top: round(box.top),
          width: round(box.width), height: round(box.height),
        })),
      };
    }

    moveShape(box, dx, dy) {
      box.left = clamp(box.left + dx, 0, Math.max(0, this.view.width - box.width));
      box.top = clamp(box.top + dy, 0, Math.max(0, this.view.height - box.height));
    }

    /* -- pointer -- */

    down(point, event, part) {
      const index = part ? Number(part.dataset.index) : -1;
      if (part && part.dataset.part === "handle") {
        const box = this.shapes[index];
        this.selected = index;
        this.gesture = {
          kind: "resize", index, handle: part.dataset.handle, changed: false,
          edges: { x1: box.left, y1: box.top, x2: box.left + box.width, y2: box.top + box.height },
        };
      } else if (part && part.dataset.part === "shape") {
        const box = this.shapes[index];
        this.selected = index;
        this.gesture = { kind: "move", index, start: point, origin: { left: box.left, top: box.top }, changed: false };
      } else if (point.inside) {
        this.selected = -1;
        this.gesture = { kind: "draw", start: this.view.snap(point), x: event.clientX, y: event.clientY };
      } else {
        this.selected = -1;
        this.gesture = null;
      }
      this.render();
    }

    move(point, event, dragging) {
      const gesture = this.gesture;
      if (!dragging || !gesture) return;
      if (gesture.kind === "draw") {
        gesture.preview = boxFrom(gesture.start, this.view.snap(point));
      } else if (gesture.kind === "move") {
        const box = this.shapes[gesture.index];
        const dx = round(point.x - gesture.start.x);
        const dy = round(point.y - gesture.start.y);
        const left = clamp(gesture.origin.left + dx, 0, Math.max(0, this.view.width - box.width));
        const top = clamp(gesture.origin.top + dy, 0, Math.max(0, this.view.height - box.height));
        if (left === box.left && top === box.top) return;
        if (!gesture.changed) { this.checkpoint(); gesture.changed = true; }
        box.left = left;
        box.top = top;
      } else if (gesture.kind === "resize") {
        const box = this.shapes[gesture.index];
        const q = this.view.snap(point);
        const edges = { ...gesture.edges };
        if (gesture.handle.includes("w")) edges.x1 = q.x;
        if (gesture.handle.includes("e")) edges.x2 = q.x;
        if (gesture.handle.includes("n")) edges.y1 = q.y;
        if (gesture.handle.includes("s")) edges.y2 = q.y;
        const next = boxFrom({ x: edges.x1, y: edges.y1 }, { x: edges.x2, y: edges.y2 });
        if (next.width < 1 || next.height < 1) return;
        if (["left", "top", "width", "height"].every((k) => next[k] === box[k])) return;
        if (!gesture.changed) { this.checkpoint(); gesture.changed = true; }
        Object.assign(box, next);
      }
      this.render();
    }

    up(point, event) {
      const gesture = this.gesture;
      this.gesture = null;
      if (!gesture) return;
      if (gesture.kind === "draw") {
        const box = boxFrom(gesture.start, this.view.snap(point));
        const dragged = Math.hypot(event.clientX - gesture.x, event.clientY - gesture.y) >= 4;
        if (dragged && box.width >= 1 && box.height >= 1) {
          this.checkpoint();
          this.shapes.push({ label: this.activeLabelName, ...box });
          this.selected = this.shapes.length - 1;
          this.commit();
          return;
        }
        this.render();
        return;
      }
      if (gesture.changed) this.commit();
      else this.render();
    }

    leave() {}

    /* -- drawing -- */

    draw(layer) {
      const order = this.shapes.map((_, i) => i).filter((i) => i !== this.selected);
      if (this.selected >= 0 && this.shapes[this.selected]) order.push(this.selected);
      const u = this.view.unit;
      for (const i of order) {
        const box = this.shapes[i];
        const color = this.colorOf(box.label);
        const selected = i === this.selected;
        layer.append(svg("rect", {
          "data-part": "shape", "data-index": i,
          x: box.left, y: box.top, width: Math.max(box.width, 0), height: Math.max(box.height, 0),
          fill: color, "fill-opacity": selected ? 0.22 : 0.12, stroke: color,
          "stroke-width": selected ? 3 : 2, "vector-effect": "non-scaling-stroke",
        }));
        const inside = box.top < 18 * u;
        const x = box.left + (selected ? 7 * u : 0); // clear of the corner handle
        layer.append(this.tag(x, inside ? box.top + (selected ? 7 * u : 0) : box.top - 1 * u, box.label, color, inside));
      }
      const box = this.shapes[this.selected];
      if (box) {
        const color = this.colorOf(box.label);
        const xs = { w: box.left, e: box.left + box.width };
        const ys = { n: box.top, s: box.top + box.height };
        const mid = { x: box.left + box.width / 2, y: box.top + box.height / 2 };
        for (const handle of HANDLES) {
          const x = handle.includes("w") ? xs.w : handle.includes("e") ? xs.e : mid.x;
          const y = handle.includes("n") ? ys.n : handle.includes("s") ? ys.s : mid.y;
          layer.append(this.handle(x, y, { "data-part": "handle", "data-handle": handle, "data-index": this.selected, stroke: color }));
        }
      }
      const preview = this.gesture && this.gesture.kind === "draw" && this.gesture.preview;
      if (preview) {
        const color = this.colorOf(this.activeLabelName);
        layer.append(svg("rect", {
          x: preview.left, y: preview.top, width: preview.width, height: preview.height,
          fill: color, "fill-opacity": 0.1, stroke: color, "stroke-width": 2,
          "stroke-dasharray": "6 4", "vector-effect": "non-scaling-stroke", "pointer-events": "none",
        }));
      }
    }

    describe(box, index) { return `Box ${index + 1}`; }
  }

  Crowd.define("crowd-bounding-box", CrowdBoundingBox);
})();

/* ---- 53-keypoint.js ---- */
/*
 * crowd-keypoint (CROWD-ELEMENTS §3.5): labelled points.
 * Answer: {inputImageProperties: {height, width}, keypoints: [{label, x, y}]} in natural pixels,
 * plus initialValueModified when started from initial-value.
 */
(function () {
  "use strict";

  const Crowd = window.Crowd;
  const { svg, ImageTool } = Crowd.Image;
  const round = Math.round;

  class CrowdKeypoint extends ImageTool {
    get noun() { return { one: "point", many: "Points" }; }
    get hint() {
      return "Click the image to place a point with the selected label. Drag a point to move it; " +
        "arrow keys nudge the selected point, Delete removes it.";
    }

    fromInitial(value) {
      const list = Array.isArray(value) ? value : (value && value.keypoints) || [];
      if (!Array.isArray(list)) return [];
      const labels = this.labels;
      return list
        .filter((point) => point && typeof point === "object")
        // Points whose label is not one of the labels are not drawn (§3.5).
        .filter((point) => !labels.length || labels.includes(String(point.label)))
        .map((point) => ({ label: String(point.label ?? ""), x: Number(point.x) || 0, y: Number(point.y) || 0 }));
    }

    answerBody() {
      return { keypoints: this.shapes.map((p) => ({ label: p.label, x: round(p.x), y: round(p.y) })) };
    }

    down(point, event, part) {
      if (part && part.dataset.part === "shape") {
        const index = Number(part.dataset.index);
        const shape = this.shapes[index];
        this.selected = index;
        this.gesture = { index, start: point, origin: { x: shape.x, y: shape.y }, changed: false };
      } else if (point.inside) {
        this.checkpoint();
        this.shapes.push({ label: this.activeLabelName, ...this.view.snap(point) });
        this.selected = this.shapes.length - 1;
        const shape = this.shapes[this.selected];
        this.gesture = { index: this.selected, start: point, origin: { x: shape.x, y: shape.y }, changed: true };
      } else {
        this.selected = -1;
        this.gesture = null;
      }
      this.render();
    }

    move(point, event, dragging) {
      const gesture = this.gesture;
      if (!dragging || !gesture) return;
      const shape = this.shapes[gesture.index];
      const next = this.view.snap({
        x: gesture.origin.x + point.x - gesture.start.x,
        y: gesture.origin.y + point.y - gesture.start.y,
      });
      if (next.x === shape.x && next.y === shape.y) return;
      if (!gesture.changed) { this.checkpoint(); gesture.changed = true; }
      Object.assign(shape, next);
      this.render();
    }

    up() {
      const gesture = this.gesture;
      this.gesture = null;
      if (gesture && gesture.changed) this.commit();
    }

    draw(layer) {
      const u = this.view.unit;
      const order = this.shapes.map((_, i) => i).filter((i) => i !== this.selected);
      if (this.shapes[this.selected]) order.push(this.selected);
      for (const i of order) {
        const p = this.shapes[i];
        const color = this.colorOf(p.label);
        const selected = i === this.selected;
        const group = svg("g", { "data-part": "shape", "data-index": i },
          svg("circle", { cx: p.x, cy: p.y, r: 12 * u, fill: "transparent" }),
          selected ? svg("circle", {
            cx: p.x, cy: p.y, r: 10 * u, fill: "none", stroke: color, "stroke-width": 2,
            "vector-effect": "non-scaling-stroke",
          }) : null,
          svg("circle", {
            cx: p.x, cy: p.y, r: 5.5 * u, fill: color, stroke: "#fff", "stroke-width": 2,
            "vector-effect": "non-scaling-stroke",
          }));
        layer.append(group, this.tag(p.x + (selected ? 12 : 8) * u, p.y - 6 * u, p.label, color));
      }
    }

    describe(point, index) { return `Point ${index + 1}`; }
  }

  Crowd.define("crowd-keypoint", CrowdKeypoint);
})();

/* ---- 54-polygon.js ---- */
/*
 * crowd-polygon (CROWD-ELEMENTS §3.5): labelled closed polygons.
 * Answer: {inputImageProperties: {height, width}, polygons: [{label, vertices: [{x, y}, …]}]}
 * in natural pixels, plus initialValueModified when started from initial-value.
 *
 * VertexTool, the shapes drawn by clicking vertices, also serves crowd-line and crowd-polyline.
 */
(function () {
  "use strict";

  const Crowd = window.Crowd;
  const { svg, clamp, ImageTool } = Crowd.Image;
  const round = Math.round;

  const pointsText = (vertices) => vertices.map((p) => `${p.x},${p.y}`).join(" ");

  class VertexTool extends ImageTool {
    constructor() {
      super();
      this.draft = null;
      this.hover = null;
    }

    /** Subclasses: answerKey ("polygons"), closed, minVertices, maxVertices (0: no limit). */
    get closed() { return false; }
    get minVertices() { return 2; }
    get maxVertices() { return 0; }

    fromInitial(value) {
      const list = Array.isArray(value) ? value : (value && value[this.answerKey]) || [];
      if (!Array.isArray(list)) return [];
      return list
        .filter((shape) => shape && typeof shape === "object" && Array.isArray(shape.vertices))
        .map((shape) => ({
          label: String(shape.label ?? ""),
          vertices: shape.vertices.filter((p) => p && typeof p === "object")
            .map((p) => ({ x: Number(p.x) || 0, y: Number(p.y) || 0 })),
        }));
    }

    answerBody() {
      return {
        [this.answerKey]: this.shapes.map((shape) => ({
          label: shape.label,
          vertices: shape.vertices.map((p) => ({ x: round(p.x), y: round(p.y) })),
        })),
      };
    }

    /* -- the shape being drawn -- */

    hasDraft() { return Boolean(this.draft); }
    cancelDraft() {
      this.draft = null;
      this.hover = null;
    }
    undoDraft() {
      if (!this.draft) return;
      this.draft.vertices.pop();
      if (!this.draft.vertices.length) this.cancelDraft();
    }
    finishDraft() {
      const draft = this.draft;
      if (!draft) return;
      if (draft.vertices.length < this.minVertices) {
        this.showError(`A ${this.noun.one} needs at least ${this.minVertices} points.`);
        return;
      }
      this.draft = null;
      this.hover = null;
      this.checkpoint();
      this.shapes.push(draft);
      this.selected = this.shapes.length - 1;
      this.commit();
    }

    /* -- pointer -- */

    down(point, event, part) {
      const kind = part ? part.dataset.part : null;
      if (this.draft) {
        const count = this.draft.vertices.length;
        if ((kind === "draft-first" && this.closed) || (kind === "draft-last" && !this.closed)) {
          if (count >= this.minVertices) { this.finishDraft(); return; }
        }
        this.addDraftVertex(point);
        return;
      }
      const index = part ? Number(part.dataset.index) : -1;
      if (kind === "vertex") {
        this.selected = index;
        this.gesture = { kind: "vertex", index, vertex: Number(part.dataset.vertex), changed: false };
      } else if (kind === "shape") {
        this.selected = index;
        this.gesture = {
          kind: "move", index, start: point, changed: false,
          origin: this.shapes[index].vertices.map((p) => ({ ...p })),
        };
      } else if (point.inside) {
        this.selected = -1;
        this.draft = { label: this.activeLabelName, vertices: [this.view.snap(point)] };
        this.hover = this.view.snap(point);
        this.gesture = { kind: "draft", x: event.clientX, y: event.clientY };
        this.showError(null);
      } else {
        this.selected = -1;
        this.gesture = null;
      }
      this.render();
    }

    addDraftVertex(point) {
      const q = this.view.snap(point);
      const vertices = this.draft.vertices;
      const last = vertices[vertices.length - 1];
      if (last && last.x === q.x && last.y === q.y) return;
      vertices.push(q);
      this.hover = q;
      if (this.maxVertices && vertices.length >= this.maxVertices) this.finishDraft();
      else this.render();
    }

    move(point, event, dragging) {
      if (this.draft) {
        this.hover = this.view.snap(point);
        this.render();
        return;
      }
      const gesture = this.gesture;
      if (!dragging || !gesture) return;
      const shape = this.shapes[gesture.index];
      if (gesture.kind === "vertex") {
        const q = this.view.snap(point);
        const vertex = shape.vertices[gesture.vertex];
        if (q.x === vertex.x && q.y === vertex.y) return;
        if (!gesture.changed) { this.checkpoint(); gesture.changed = true; }
        Object.assign(vertex, q);
      } else if (gesture.kind === "move") {
        const xs = gesture.origin.map((p) => p.x);
        const ys = gesture.origin.map((p) => p.y);
        const dx = clamp(round(point.x - gesture.start.x), -Math.min(...xs), this.view.width - Math.max(...xs));
        const dy = clamp(round(point.y - gesture.start.y), -Math.min(...ys), this.view.height - Math.max(...ys));
        if (shape.vertices.every((p, i) => p.x === gesture.origin[i].x + dx && p.y === gesture.origin[i].y + dy)) return;
        if (!gesture.changed) { this.checkpoint(); gesture.changed = true; }
        shape.vertices = gesture.origin.map((p) => ({ x: p.x + dx, y: p.y + dy }));
      }
      this.render();
    }

    up(point, event) {
      const gesture = this.gesture;
      this.gesture = null;
      if (!gesture) return;
      if (gesture.kind === "draft") {
        // A two-point shape may also be drawn with one drag.
        const dragged = Math.hypot(event.clientX - gesture.x, event.clientY - gesture.y) >= 6;
        if (dragged && this.draft && this.maxVertices === 2) this.addDraftVertex(point);
        return;
      }
      if (gesture.changed) this.commit();
    }

    leave() {
      if (this.draft && this.hover) { this.hover = null; this.render(); }
    }

    /* -- drawing -- */

    draw(layer) {
      const order = this.shapes.map((_, i) => i).filter((i) => i !== this.selected);
      if (this.shapes[this.selected]) order.push(this.selected);
      const u = this.view.unit;
      for (const i of order) {
        const shape = this.shapes[i];
        const color = this.colorOf(shape.label);
        const selected = i === this.selected;
        const points = pointsText(shape.vertices);
        const outline = this.closed
          ? svg("polygon", {
            points, fill: color, "fill-opacity": selected ? 0.25 : 0.15, stroke: color,
            "stroke-width": selected ? 3 : 2, "vector-effect": "non-scaling-stroke", "stroke-linejoin": "round",
          })
          : svg("polyline", {
            points, fill: "none", stroke: color, "stroke-width": selected ? 4 : 3,
            "vector-effect": "non-scaling-stroke", "stroke-linejoin": "round", "stroke-linecap": "round",
          });
        // A wide invisible stroke makes thin lines easy to pick.
        const hit = svg(this.closed ? "polygon" : "polyline", {
          points, fill: this.closed ? "transparent" : "none", stroke: "transparent", "stroke-width": 14,
          "vector-effect": "non-scaling-stroke",
        });
        layer.append(svg("g", { "data-part": "shape", "data-index": i }, hit, outline));
        for (const [v, p] of shape.vertices.entries()) {
          if (selected) {
            layer.append(this.dot(p.x, p.y, color, { "data-part": "vertex", "data-index": i, "data-vertex": v }));
          } else {
            layer.append(svg("circle", { cx: p.x, cy: p.y, r: 2.5 * u, fill: color, "pointer-events": "none" }));
          }
        }
        const first = shape.vertices[0];
        if (first) layer.append(this.tag(first.x + 6 * u, first.y - 6 * u, shape.label, color));
      }
      if (this.draft) this.drawDraft(layer);
    }

    drawDraft(layer) {
      const color = this.colorOf(this.draft.label);
      const vertices = this.draft.vertices;
      const u = this.view.unit;
      const trail = this.hover ? [...vertices, this.hover] : vertices;
      if (this.closed && this.hover && vertices.length >= 2) {
        layer.append(svg("polygon", { points: pointsText(trail), fill: color, "fill-opacity": 0.12, stroke: "none", "pointer-events": "none" }));
      }
      layer.append(svg("polyline", {
        points: pointsText(vertices), fill: "none", stroke: color, "stroke-width": 2,
        "vector-effect": "non-scaling-stroke", "pointer-events": "none",
      }));
      if (this.hover && vertices.length) {
        const last = vertices[vertices.length - 1];
        layer.append(svg("line", {
          x1: last.x, y1: last.y, x2: this.hover.x, y2: this.hover.y, stroke: color, "stroke-width": 2,
          "stroke-dasharray": "6 4", "vector-effect": "non-scaling-stroke", "pointer-events": "none",
        }));
      }
      vertices.forEach((p, v) => {
        let part = null;
        if (v === 0 && this.closed) part = "draft-first";
        else if (v === vertices.length - 1 && !this.closed) part = "draft-last";
        const closing = part && vertices.length >= this.minVertices;
        layer.append(this.dot(p.x, p.y, color, { "data-part": part, fill: closing ? color : "#fff" }, closing ? 6 : 4));
      });
      if (!vertices.length) return;
      layer.append(this.tag(vertices[0].x + 6 * u, vertices[0].y - 6 * u, this.draft.label, color));
    }
  }

  class CrowdPolygon extends VertexTool {
    get answerKey() { return "polygons"; }
    get closed() { return true; }
    get minVertices() { return 3; }
    get noun() { return { one: "polygon", many: "Polygons" }; }
    get hint() {
      return "Click on the image to add points; close the polygon by clicking its first point or " +
        "pressing Enter (Escape cancels, Backspace removes the last point). Drag a polygon or its " +
        "points to adjust it; Delete removes the selected polygon.";
    }
    draftMessage() {
      return "Finish the polygon you are drawing (click its first point or press Enter), or press Escape to discard it.";
    }
  }

  Crowd.Image.VertexTool = VertexTool;
  Crowd.define("crowd-polygon", CrowdPolygon);
})();

/* ---- 55-line.js ---- */
/*
 * crowd-line and crowd-polyline (CROWD-ELEMENTS §3.5): labelled straight segments and open
 * polylines. Answers: {inputImageProperties, lines: [{label, vertices: [{x, y}, {x, y}]}]} and
 * {inputImageProperties, polylines: [{label, vertices: [...]}]}, in natural pixels, plus
 * initialValueModified when started from initial-value (an object {lines: [...]} /
 * {polylines: [...]}).
 */
(function () {
  "use strict";

  const Crowd = window.Crowd;
  const { VertexTool } = Crowd.Image;

  class CrowdLine extends VertexTool {
    get answerKey() { return "lines"; }
    get minVertices() { return 2; }
    get maxVertices() { return 2; }
    get noun() { return { one: "line", many: "Lines" }; }
    get hint() {
      return "Click the start and then the end of a line (or drag from one to the other). Drag a " +
        "line or its ends to adjust it; arrow keys nudge the selected line, Delete removes it.";
    }
    draftMessage() {
      return "Finish the line you are drawing (click where it ends), or press Escape to discard it.";
    }
  }

  class CrowdPolyline extends VertexTool {
    get answerKey() { return "polylines"; }
    get minVertices() { return 2; }
    get noun() { return { one: "polyline", many: "Polylines" }; }
    get hint() {
      return "Click on the image to add points; finish the polyline with Enter or by clicking its " +
        "last point again (Escape cancels, Backspace removes the last point). Drag a polyline or " +
        "its points to adjust it; Delete removes the selected polyline.";
    }
    draftMessage() {
      return "Finish the polyline you are drawing (press Enter or click its last point), or press Escape to discard it.";
    }
  }

  Crowd.define("crowd-line", CrowdLine);
  Crowd.define("crowd-polyline", CrowdPolyline);
})();

/* ---- 56-segmentation.js ---- */
/*
 * crowd-semantic-segmentation and crowd-instance-segmentation (CROWD-ELEMENTS §3.5): painting
 * labels onto the image's pixels with a brush and an eraser.
 *
 * The mask is one byte per natural pixel: 0 is unpainted, n is the n-th "class" (one per label
 * for semantic segmentation, one per instance for instance segmentation). It is shown through a
 * canvas of the image's natural size whose painted pixels are opaque in their class colour and
 * unpainted ones transparent, which is exactly the PNG the answer carries.
 * Answers: {inputImageProperties, labelMappings: {label: {color}}, labeledImage: {pngImageData}}
 * and {inputImageProperties, instances: [{color, label}], labeledImage: {pngImageData}}, with
 * pngImageData base64 (no data: prefix), plus initialValueModified when started from
 * initial-value.
 */
(function () {
  "use strict";

  const Crowd = window.Crowd;
  const h = Crowd.h;
  const { svg, icon, toolButton, keepFocus, clamp, ImageTool, PALETTE } = Crowd.Image;

  const HISTORY_LIMIT = 30;

  function hexToRgb(color) {
    let text = String(color || "").trim().replace(/^#/, "");
    if (text.length === 3) text = [...text].map((c) => c + c).join("");
    const value = parseInt(text, 16);
    if (!/^[0-9a-f]{6}$/i.test(text)) return [0, 0, 0];
    return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
  }

  const normalColor = (color) => `#${hexToRgb(color).map((c) => c.toString(16).padStart(2, "0")).join("")}`;

  /** A colour for the n-th class beyond the palette: spread hues, fixed saturation. */
  function extraColor(n) {
    const hue = (n * 137.508) % 360;
    const s = 0.65;
    const l = 0.5;
    const f = (k) => {
      const a = s * Math.min(l, 1 - l);
      const t = (k + hue / 30) % 12;
      return Math.round(255 * (l - a * Math.max(-1, Math.min(t - 3, 9 - t, 1))));
    };
    return `#${[f(0), f(8), f(4)].map((c) => c.toString(16).padStart(2, "0")).join("")}`;
  }

  class SegmentationTool extends ImageTool {
    constructor() {
      super();
      this.classes = []; // [{label, color}]; mask value n is classes[n - 1]
      this.mask = null;
      this.mode = "brush";
      this.brushSize = 24; // screen pixels
      this.cursor = null;
      this._maskReady = false;
    }

    get hint() {
      return "Paint over the image with the selected label (B: brush, E: eraser, [ and ]: brush " +
        "size). Hold Space and drag, or use the scroll bars, to move around a zoomed image.";
    }

    /* -- toolbar and panel -- */

    makeDeleteButton() {
      return toolButton("trash", "Clear all painting", null, () => this.clearAll(), "Clear");
    }

    toolButtons() {
      this.brushButton = toolButton("brush", "Brush", "B", () => this.setMode("brush"), "Brush");
      this.eraserButton = toolButton("eraser", "Eraser", "E", () => this.setMode("eraser"), "Eraser");
      this.sizeInput = h("input", {
        type: "range", min: "2", max: "120", step: "1", value: String(this.brushSize),
        "aria-label": "Brush size", "data-crowd-internal": "",
      });
      this.sizeInput.addEventListener("input", () => { this.brushSize = Number(this.sizeInput.value); this.drawCursor(); });
      this.setMode(this.mode);
      return [
        h("span", { class: "crowd-img-group" }, this.brushButton, this.eraserButton),
        h("label", { class: "crowd-img-range", title: "Brush size ([ and ])" }, "Size", this.sizeInput),
        h("span", { class: "crowd-img-sep" }),
      ];
    }

    setMode(mode) {
      this.mode = mode;
      this.brushButton.setAttribute("aria-pressed", String(mode === "brush"));
      this.eraserButton.setAttribute("aria-pressed", String(mode === "eraser"));
    }

    setBrushSize(size) {
      this.brushSize = clamp(Math.round(size), 2, 120);
      this.sizeInput.value = String(this.brushSize);
      this.drawCursor();
    }

    toolKey(event) {
      const key = event.key.toLowerCase();
      if (key === "b") { this.setMode("brush"); return true; }
      if (key === "e") { this.setMode("eraser"); return true; }
      if (key === "[") { this.setBrushSize(this.brushSize / 1.25); return true; }
      if (key === "]") { this.setBrushSize(this.brushSize * 1.25); return true; }
      return false;
    }

    updateButtons() {
      this.undoButton.disabled = !this._undo.length;
      this.redoButton.disabled = !this._redo.length;
      this.deleteButton.disabled = !this._maskReady || this.isEmpty();
    }

    /* -- colours and classes -- */

    usedColors() { return new Set(this.classes.map((c) => normalColor(c.color))); }

    /** The first palette colour no class uses yet. */
    freeColor(preferred) {
      const used = this.usedColors();
      if (preferred && !used.has(normalColor(preferred))) return normalColor(preferred);
      for (const color of PALETTE) if (!used.has(color)) return color;
      for (let n = 0; ; n++) if (!used.has(extraColor(n))) return extraColor(n);
    }

    addClass(label, color) {
      this.classes.push({ label, color: normalColor(color) });
      return this.classes.length - 1;
    }

    /* -- initial value, history -- */

    startedFromInitial() { return this.initialValue !== undefined; }

    resetToInitial() {
      this.cancelDraft();
      this._undo = [];
      this._redo = [];
      this.classes = this.initialClasses(this.initialValue);
      this.initialClassesChanged();
      this.renderLabels();
      if (!this.mask) { this.render(); return; }
      this._maskReady = false;
      const token = (this._resetToken = (this._resetToken || 0) + 1);
      this._ready = this.decodeInitialMask().then((mask) => {
        if (token !== this._resetToken) return;
        this._initialMask = mask;
        this.mask.set(mask);
        this._maskReady = true;
        this.paintAll();
        this.render();
      });
    }

    initialClassesChanged() {}

    async imageLoaded() {
      const { width, height } = this.view;
      this.mask = new Uint8Array(width * height);
      if (!this.canvas) {
        this.canvas = h("canvas", { class: "crowd-img-mask" });
        this.view.layers.append(this.canvas);
      }
      this.canvas.width = width;
      this.canvas.height = height;
      this.canvas.style.opacity = "0.6";
      this.context = this.canvas.getContext("2d", { willReadFrequently: false });
      this.resetToInitial();
      await this._ready;
    }

    /** The initial mask image mapped to class indices (all 0 without one). */
    async decodeInitialMask() {
      const { width, height } = this.view;
      const mask = new Uint8Array(width * height);
      const initial = this.initialValue;
      const src = initial && typeof initial === "object" ? initial.src : null;
      if (!src || !this.classes.length) return mask;
      let pixels;
      try {
        const image = await new Promise((resolve, reject) => {
          const img = new Image();
          img.crossOrigin = "anonymous";
          img.onload = () => resolve(img);
          img.onerror = () => reject(new Error(`cannot load ${src}`));
          img.src = src;
        });
        const scratch = h("canvas");
        scratch.width = width;
        scratch.height = height;
        const context = scratch.getContext("2d");
        context.imageSmoothingEnabled = false;
        context.drawImage(image, 0, 0, width, height);
        pixels = context.getImageData(0, 0, width, height).data;
      } catch (error) {
        console.warn("crowd-html-elements: cannot read the initial mask", error.message);
        return mask;
      }
      const colors = this.classes.map((c) => hexToRgb(c.color));
      const cache = new Map();
      for (let i = 0, n = width * height; i < n; i++) {
        const o = i * 4;
        if (pixels[o + 3] < 128) continue;
        const key = (pixels[o] << 16) | (pixels[o + 1] << 8) | pixels[o + 2];
        let value = cache.get(key);
        if (value === undefined) {
          value = 0;
          let best = 3 * 48 * 48; // tolerate what a lossy resave did to the colours
          colors.forEach(([r, g, b], k) => {
            const d = (r - pixels[o]) ** 2 + (g - pixels[o + 1]) ** 2 + (b - pixels[o + 2]) ** 2;
            if (d < best) { best = d; value = k + 1; }
          });
          cache.set(key, value);
        }
        mask[i] = value;
      }
      return mask;
    }

    snapshot() { return { mask: this.mask ? this.mask.slice() : null, classes: JSON.stringify(this.classes), active: this.activeClass }; }
    restore(snapshot) {
      if (snapshot.mask && this.mask) this.mask.set(snapshot.mask);
      this.classes = JSON.parse(snapshot.classes);
      this.activeClass = snapshot.active;
      this.paintAll();
    }
    checkpoint() {
      super.checkpoint();
      if (this._undo.length > HISTORY_LIMIT) this._undo.shift();
    }

    clearAll() {
      if (!this._maskReady || this.isEmpty()) return;
      this.checkpoint();
      this.mask.fill(0);
      this.paintAll();
      this.commit();
    }

    deleteSelected() {}

    /* -- answer -- */

    isEmpty() { return !this.mask || !this.mask.some((v) => v !== 0); }

    isModified() {
      if (!this._initialMask || !this.mask) return false;
      const a = this.mask;
      const b = this._initialMask;
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return true;
      return false;
    }

    /** Classes that have at least one painted pixel, in class order. */
    usedClasses() {
      const seen = new Uint8Array(256);
      if (this.mask) for (const v of this.mask) seen[v] = 1;
      return this.classes.filter((_, k) => seen[k + 1]);
    }

    pngImageData() {
      if (!this.canvas) return "";
      return this.canvas.toDataURL("image/png").replace(/^data:image\/png;base64,/, "");
    }

    validationMessage() {
      if (this._built && this.view.loaded && !this._maskReady) return "The previous annotation is still loading: wait a moment, then submit again.";
      return super.validationMessage();
    }

    /* -- painting -- */

    /** The mask value the brush paints now (creating the class when needed). */
    paintValue() { return 0; }

    down(point) {
      if (!this._maskReady) return;
      const before = this.snapshot();
      const value = this.mode === "eraser" ? 0 : this.paintValue();
      if (value < 0) return;
      this.stroke = { value, last: point, changed: false, before };
      this.dirty = null;
      this.stamp(point, value);
      this.flush();
      this.cursor = point;
      this.drawCursor();
    }

    move(point, event, dragging) {
      this.cursor = point;
      if (dragging && this.stroke) {
        this.stamp(this.stroke.last, this.stroke.value, point);
        this.stroke.last = point;
        this.flush();
      }
      this.drawCursor();
    }

    up() {
      const stroke = this.stroke;
      this.stroke = null;
      if (!stroke) return;
      if (!stroke.changed) {
        this.render();
        return;
      }
      this._undo.push(stroke.before);
      if (this._undo.length > HISTORY_LIMIT) this._undo.shift();
      this._redo = [];
      this.commit();
    }

    leave() {
      this.cursor = null;
      this.drawCursor();
    }

    /** Brush radius in natural pixels: the brush keeps its size on screen at every zoom. */
    radius() { return Math.max(0.71, (this.brushSize / 2) * this.view.unit); }

    /** Paints every pixel whose centre is within the brush radius of the segment from `from`
     * to `to` (a dot when `to` is omitted): round ends, edges without notches. */
    stamp(from, value, to = from) {
      const { width, height } = this.view;
      const r = this.radius();
      const x0 = Math.max(0, Math.floor(Math.min(from.x, to.x) - r));
      const x1 = Math.min(width - 1, Math.ceil(Math.max(from.x, to.x) + r));
      const y0 = Math.max(0, Math.floor(Math.min(from.y, to.y) - r));
      const y1 = Math.min(height - 1, Math.ceil(Math.max(from.y, to.y) + r));
      if (x0 > x1 || y0 > y1) return;
      const r2 = r * r;
      const dx = to.x - from.x;
      const dy = to.y - from.y;
      const length2 = dx * dx + dy * dy;
      const mask = this.mask;
      let changed = false;
      for (let y = y0; y <= y1; y++) {
        const py = y + 0.5;
        for (let x = x0; x <= x1; x++) {
          const px = x + 0.5;
          const t = length2 ? clamp(((px - from.x) * dx + (py - from.y) * dy) / length2, 0, 1) : 0;
          const ex = px - from.x - t * dx;
          const ey = py - from.y - t * dy;
          if (ex * ex + ey * ey > r2) continue;
          const i = y * width + x;
          if (mask[i] !== value) { mask[i] = value; changed = true; }
        }
      }
      if (!changed) return;
      this.stroke.changed = true;
      const d = this.dirty;
      this.dirty = d
        ? { x0: Math.min(d.x0, x0), y0: Math.min(d.y0, y0), x1: Math.max(d.x1, x1), y1: Math.max(d.y1, y1) }
        : { x0, y0, x1, y1 };
    }

    flush() {
      if (!this.dirty) return;
      const { x0, y0, x1, y1 } = this.dirty;
      this.dirty = null;
      this.paintRect(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }

    paintAll() {
      if (!this.mask || !this.context) return;
      this.paintRect(0, 0, this.view.width, this.view.height);
    }

    /** Copies a rectangle of the mask onto the canvas in class colours. */
    paintRect(left, top, w, h) {
      const colors = this.classes.map((c) => hexToRgb(c.color));
      const image = this.context.createImageData(w, h);
      const data = image.data;
      const width = this.view.width;
      for (let y = 0; y < h; y++) {
        let i = (top + y) * width + left;
        let o = y * w * 4;
        for (let x = 0; x < w; x++, i++, o += 4) {
          const v = this.mask[i];
          if (!v) continue;
          const rgb = colors[v - 1] || [0, 0, 0];
          data[o] = rgb[0];
          data[o + 1] = rgb[1];
          data[o + 2] = rgb[2];
          data[o + 3] = 255;
        }
      }
      this.context.putImageData(image, left, top);
    }

    /* -- drawing: only the brush outline lives in the SVG overlay -- */

    draw(layer) {
      this.cursorLayer = svg("g", { "pointer-events": "none" });
      layer.append(this.cursorLayer);
      this.drawCursor();
    }

    drawCursor() {
      if (!this.cursorLayer) return;
      this.cursorLayer.replaceChildren();
      if (!this.cursor || !this.view.loaded) return;
      const color = this.mode === "eraser" ? "#111827" : this.paintColor();
      const r = (this.brushSize / 2) * this.view.unit;
      this.cursorLayer.append(
        svg("circle", { cx: this.cursor.x, cy: this.cursor.y, r, fill: "none", stroke: "#fff", "stroke-width": 3, "vector-effect": "non-scaling-stroke" }),
        svg("circle", {
          cx: this.cursor.x, cy: this.cursor.y, r, fill: "none", stroke: color, "stroke-width": 1.5,
          "stroke-dasharray": this.mode === "eraser" ? "4 3" : null, "vector-effect": "non-scaling-stroke",
        }));
    }

    paintColor() { return this.colorOf(this.activeLabelName); }

    renderList() {}
  }

  /* ---- crowd-semantic-segmentation ---- */

  class CrowdSemanticSegmentation extends SegmentationTool {
    get noun() { return { one: "painted area", many: "Labels" }; }

    /** Colours given by initial-value's labelMappings are kept for their labels. */
    initialClasses(initial) {
      const classes = [];
      const mappings = initial && typeof initial === "object" && initial.labelMappings;
      if (mappings && typeof mappings === "object") {
        for (const [label, mapping] of Object.entries(mappings)) {
          if (mapping && mapping.color) classes.push({ label, color: normalColor(mapping.color) });
        }
      }
      return classes;
    }

    /** Label -> colour: the class colour once the label has one, else the n-th palette
     * colour unless a class already uses it. */
    colorOf(label) {
      const existing = this.classes.find((c) => c.label === label);
      if (existing) return existing.color;
      const index = this.labels.indexOf(label);
      if (index < 0) return Crowd.Image.UNKNOWN_COLOR;
      const own = this.labelColors[index] || PALETTE[index % PALETTE.length];
      const used = this.usedColors();
      if (!used.has(normalColor(own))) return normalColor(own);
      // Skip colours the other labels will claim, so every label keeps a distinct colour.
      const claimed = new Set(used);
      this.labels.forEach((other, i) => {
        if (other !== label && !this.classes.some((c) => c.label === other)) {
          claimed.add(normalColor(this.labelColors[i] || PALETTE[i % PALETTE.length]));
        }
      });
      for (const color of PALETTE) if (!claimed.has(color)) return color;
      return this.freeColor();
    }

    paintValue() {
      const label = this.activeLabelName;
      if (!this.labels.length) return -1;
      let index = this.classes.findIndex((c) => c.label === label);
      if (index < 0) index = this.addClass(label, this.colorOf(label));
      return index + 1;
    }

    answerBody() {
      const labelMappings = {};
      for (const c of this.usedClasses()) labelMappings[c.label] = { color: c.color };
      return { labelMappings, labeledImage: { pngImageData: this.pngImageData() } };
    }
  }

  /* ---- crowd-instance-segmentation ---- */

  class CrowdInstanceSegmentation extends SegmentationTool {
    constructor() {
      super();
      this.activeClass = -1;
    }

    get noun() { return { one: "painted instance", many: "Instances" }; }
    get hint() {
      return "Paint each object with its own instance: choose a label, then paint; “New instance” " +
        "(N) starts the next object of that label. B: brush, E: eraser, [ and ]: brush size.";
    }

    initialClasses(initial) {
      const list = initial && typeof initial === "object" && Array.isArray(initial.instances) ? initial.instances : [];
      return list.filter((i) => i && i.color).map((i) => ({ label: String(i.label ?? ""), color: normalColor(i.color) }));
    }

    initialClassesChanged() { this.activeClass = -1; }

    panelExtras() {
      this.newInstanceButton = h("button", {
        type: "button", class: "crowd-img-btn", style: "margin-top:8px; width:100%",
        title: "New instance (N)", onclick: () => this.newInstance(),
      }, icon("plus"), h("span", { text: "New instance" }));
      return this.newInstanceButton;
    }

    toolKey(event) {
      if (event.key.toLowerCase() === "n") { this.newInstance(); return true; }
      return super.toolKey(event);
    }

    activeLabelChanged() {
      const label = this.activeLabelName;
      let found = -1;
      this.classes.forEach((c, k) => { if (c.label === label && !c.deleted) found = k; });
      this.activeClass = found;
      this.render();
    }

    newInstance() {
      if (!this.labels.length) return;
      this.checkpoint();
      this.activeClass = this.addClass(this.activeLabelName, this.freeColor());
      this.commit();
    }

    /** A label shows the colour of its latest instance (grey before it has one). */
    colorOf(label) {
      let color = "#cbd5e1";
      for (const c of this.classes) if (c.label === label && !c.deleted) color = c.color;
      return color;
    }

    commit() {
      this.renderLabels();
      super.commit();
    }

    paintValue() {
      if (!this.labels.length) return -1;
      const active = this.classes[this.activeClass];
      if (!active || active.deleted || active.label !== this.activeLabelName) {
        this.activeClass = this.addClass(this.activeLabelName, this.freeColor());
      }
      return this.activeClass + 1;
    }

    paintColor() {
      const active = this.classes[this.activeClass];
      if (active && !active.deleted && active.label === this.activeLabelName) return active.color;
      return this.freeColor();
    }

    deleteInstance(k) {
      this.checkpoint();
      const value = k + 1;
      for (let i = 0; i < this.mask.length; i++) if (this.mask[i] === value) this.mask[i] = 0;
      this.classes[k].deleted = true;
      if (this.activeClass === k) this.activeClass = -1;
      if (this.contains(document.activeElement)) this.view.root.focus({ preventScroll: true });
      this.paintAll();
      this.commit();
    }

    answerBody() {
      return {
        instances: this.usedClasses().map((c) => ({ color: c.color, label: c.label })),
        labeledImage: { pngImageData: this.pngImageData() },
      };
    }

    renderList() {
      const live = this.classes.map((c, k) => ({ ...c, k })).filter((c) => !c.deleted);
      this.listTitle.textContent = `Instances (${live.length})`;
      if (!live.length) {
        this.list.replaceChildren(h("li", { class: "crowd-img-empty", text: "No instances yet." }));
        return;
      }
      const counts = {};
      keepFocus(this.list, () => this.list.replaceChildren(...live.map((c) => {
        counts[c.label] = (counts[c.label] || 0) + 1;
        const name = `${c.label} ${counts[c.label]}`;
        const active = c.k === this.activeClass;
        return h("li", { class: "crowd-img-item", "aria-current": String(active) },
          h("button", {
            type: "button", class: "crowd-img-item-name", "aria-pressed": String(active),
            "data-focus-key": `instance-${c.k}`, onclick: () => {
              const index = this.labels.indexOf(c.label);
              if (index >= 0) this.chooseLabel(index);
              this.activeClass = c.k;
              this.render();
            },
          }, h("span", { class: "crowd-img-swatch", style: `background:${c.color}` }), name),
          h("button", {
            type: "button", class: "crowd-img-btn", "aria-label": `Delete ${name}`, title: `Delete ${name}`,
            onclick: () => this.deleteInstance(c.k),
          }, icon("trash")));
      })));
    }
  }

  Crowd.define("crowd-semantic-segmentation", CrowdSemanticSegmentation);
  Crowd.define("crowd-instance-segmentation", CrowdInstanceSegmentation);
})();

/* ---- 60-entity.js ---- */
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

/* ---- 70-builtins.js ---- */
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
