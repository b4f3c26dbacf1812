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
