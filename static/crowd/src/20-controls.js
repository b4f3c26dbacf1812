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
