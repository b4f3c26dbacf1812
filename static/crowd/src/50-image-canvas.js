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
