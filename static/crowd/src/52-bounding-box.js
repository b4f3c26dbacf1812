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
