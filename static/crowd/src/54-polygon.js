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
