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
