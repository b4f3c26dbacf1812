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
