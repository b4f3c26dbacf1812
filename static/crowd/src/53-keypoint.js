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
