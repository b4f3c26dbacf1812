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
