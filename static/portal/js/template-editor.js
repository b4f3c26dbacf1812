/* The task UI editor: CodeMirror on the template and the sample input, and the live preview.
 *
 * The preview button submits the editor's form into the sandboxed preview frame (it works
 * without this script); this script adds the code editors, previews as you type, asks the
 * server which lines have problems and marks them, shows the answer the previewed form would
 * submit, and keeps each task UI's sample input in this browser between visits.
 */
"use strict";

(function () {
  const source = document.querySelector("textarea[data-template-editor=content]");
  const button = document.getElementById("template-preview-button");
  if (!source || !button) return;

  const form = source.form;
  const sampleInput = document.querySelector("textarea[data-template-editor=input]");
  let frame = document.getElementById("template-preview");
  const status = document.getElementById("template-preview-status");
  const problemsList = document.getElementById("template-problems");
  const live = document.getElementById("template-preview-live");
  const answerBox = document.getElementById("template-answer");
  const answerJson = document.getElementById("template-answer-json");
  const nameInput = form.querySelector("input[name=name]");
  const readonlyName = document.querySelector(".field-name .readonly");
  const csrfToken = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const LIVE_DELAY_MS = 700;

  /* Liquid tags and outputs, highlighted over the HTML mode. */
  function defineLiquidMode() {
    CodeMirror.defineMode("liquid-html", function (config) {
      const liquid = {
        startState: () => ({ closing: null }),
        token(stream, state) {
          if (state.closing) {
            if (stream.skipTo(state.closing)) {
              stream.match(state.closing);
              state.closing = null;
            } else {
              stream.skipToEnd();
            }
            return "liquid";
          }
          if (stream.match("{{")) {
            state.closing = "}}";
            return "liquid";
          }
          if (stream.match("{%")) {
            state.closing = "%}";
            return "liquid";
          }
          while (stream.next() != null) {
            if (stream.match(/^\{[{%]/, false)) break;
          }
          return null;
        },
      };
      return CodeMirror.overlayMode(CodeMirror.getMode(config, "htmlmixed"), liquid);
    });
  }

  function storageKey() {
    const name = (nameInput && nameInput.value) || (readonlyName && readonlyName.textContent) || "";
    return name.trim() ? `a2i-portal:sample-input:${name.trim()}` : null;
  }

  function restoreSampleInput() {
    // A gallery sample's input given by the page wins over what this browser remembers.
    if (!sampleInput || sampleInput.dataset.sample) return;
    const key = storageKey();
    if (!key) return;
    try {
      const remembered = window.localStorage.getItem(key);
      if (remembered && sampleInput.value.trim() === "{}") sampleInput.value = remembered;
    } catch (error) {
      // Storage refused (private mode): the input just is not remembered.
    }
  }

  function rememberSampleInput() {
    const key = storageKey();
    if (!key || !sampleInput) return;
    try {
      window.localStorage.setItem(key, sampleInput.value);
    } catch (error) {
      // Storage refused or full: nothing to do.
    }
  }

  restoreSampleInput();

  let editor = null;
  let inputEditor = null;
  if (window.CodeMirror) {
    defineLiquidMode();
    const keys = {
      "Ctrl-Enter": () => preview(),
      "Cmd-Enter": () => preview(),
      "Ctrl-S": () => save(),
      "Cmd-S": () => save(),
      "Alt-G": "jumpToLine",
      Tab: (cm) =>
        cm.somethingSelected() ? cm.indentSelection("add") : cm.replaceSelection("  ", "end"),
      "Shift-Tab": (cm) => cm.indentSelection("subtract"),
    };
    editor = CodeMirror.fromTextArea(source, {
      mode: "liquid-html",
      lineNumbers: true,
      indentUnit: 2,
      tabSize: 2,
      indentWithTabs: false,
      matchBrackets: true,
      matchTags: { bothTags: true },
      autoCloseTags: true,
      styleActiveLine: true,
      gutters: ["template-problem-gutter", "CodeMirror-linenumbers"],
      extraKeys: keys,
    });
    if (sampleInput) {
      inputEditor = CodeMirror.fromTextArea(sampleInput, {
        mode: { name: "javascript", json: true },
        lineNumbers: true,
        indentUnit: 2,
        tabSize: 2,
        matchBrackets: true,
        gutters: ["template-problem-gutter", "CodeMirror-linenumbers"],
        extraKeys: keys,
      });
    }
    // The textareas carry the editors' text whenever the form is submitted (CodeMirror saves on
    // submit too); tests and assistive tools can read them at any time.
    editor.on("changes", () => editor.save());
    if (inputEditor) inputEditor.on("changes", () => inputEditor.save());
  }

  function save() {
    const keepEditing = form.querySelector("input[name=_continue]");
    if (keepEditing) keepEditing.click();
  }

  /* Previewing: the form goes to the frame, the problems come back as JSON. */

  /* Each preview loads into a new frame that replaces the shown one once it has loaded: no
   * blank flash while typing, and previews add nothing to the browser's history (a new frame's
   * first document replaces its blank page instead of adding an entry). */
  let pending = null;
  let framesMade = 0;

  function nextFrame() {
    if (pending) pending.remove(); // a newer preview makes the one still loading pointless
    const next = frame.cloneNode(false);
    next.removeAttribute("id");
    next.removeAttribute("src");
    next.name = `template-preview-${++framesMade}`;
    next.classList.add("is-loading");
    frame.parentElement.append(next);
    // Attached after insertion: the blank page's load event has already fired.
    next.addEventListener("load", () => {
      if (next !== pending) return;
      pending = null;
      frame.remove();
      next.id = "template-preview";
      next.classList.remove("is-loading");
      frame = next;
      if (problemsList.hidden) showRendered();
    });
    pending = next;
    return next.name;
  }

  function preview() {
    if (editor) editor.save();
    if (inputEditor) inputEditor.save();
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit(button);
    } else {
      button.click();
    }
  }

  let checking = 0;

  function checkProblems() {
    const body = new FormData();
    body.append("content", source.value);
    body.append("sample_input", sampleInput ? sampleInput.value : "{}");
    const ticket = ++checking;
    fetch(button.dataset.problemsUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken, Accept: "application/json" },
    })
      .then((response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return response.json();
      })
      .then((data) => {
        if (ticket === checking) showProblems(data.problems || []);
      })
      .catch((error) => {
        if (ticket === checking) status.textContent = `The template could not be checked (${error.message}).`;
      });
  }

  let marked = [];

  function clearMarks() {
    for (const [cm, line] of marked) {
      cm.removeLineClass(line, "background", "template-problem-line");
      cm.setGutterMarker(line, "template-problem-gutter", null);
    }
    marked = [];
  }

  function mark(cm, line, message) {
    const handle = cm.getLineHandle(Math.min(line, cm.lineCount() - 1));
    if (!handle) return;
    cm.addLineClass(handle, "background", "template-problem-line");
    const marker = document.createElement("span");
    marker.className = "template-problem-marker";
    marker.textContent = "●";
    marker.title = message;
    cm.setGutterMarker(handle, "template-problem-gutter", marker);
    marked.push([cm, handle]);
  }

  function jumpTo(problem) {
    const cm = problem.source === "input" ? inputEditor : editor;
    const area = problem.source === "input" ? sampleInput : source;
    if (!problem.line) {
      (cm || area).focus();
      return;
    }
    if (cm) {
      const position = { line: problem.line - 1, ch: Math.max(0, (problem.column || 1) - 1) };
      cm.focus();
      cm.setCursor(position);
      cm.scrollIntoView(position, 80);
    } else {
      area.focus();
    }
  }

  function showProblems(problems) {
    clearMarks();
    problemsList.replaceChildren();
    problemsList.hidden = problems.length === 0;
    for (const problem of problems) {
      const item = document.createElement("li");
      const link = document.createElement("button");
      link.type = "button";
      link.textContent = problem.text;
      link.addEventListener("click", () => jumpTo(problem));
      item.append(link);
      problemsList.append(item);
      const cm = problem.source === "input" ? inputEditor : editor;
      if (cm && problem.line) mark(cm, problem.line - 1, problem.text);
    }
    if (problems.length) {
      status.textContent = `${problems.length} problem${problems.length === 1 ? "" : "s"}: the template is not rendered.`;
    } else {
      showRendered();
    }
  }

  function showRendered() {
    status.textContent = `Rendered at ${new Date().toLocaleTimeString()}. Try the form: its answer appears below.`;
  }

  form.addEventListener("submit", (event) => {
    if (event.submitter !== button) return;
    button.formTarget = nextFrame(); // read by the browser after this event
    rememberSampleInput();
    answerBox.hidden = true;
    status.textContent = "Rendering…";
    checkProblems();
  });

  /* The previewed form's answer: shown here, never saved. */
  window.addEventListener("message", (event) => {
    if (event.source !== frame.contentWindow) return;
    const data = event.data;
    if (!data || typeof data !== "object" || data.type !== "crowd-form:submit") return;
    answerJson.textContent = JSON.stringify(data.answer, null, 2);
    answerBox.hidden = false;
    frame.contentWindow.postMessage(
      {
        type: "crowd-form:error",
        message: "Preview only: this answer was not saved. It is shown below the preview.",
      },
      "*"
    );
  });

  /* Previewing as you type. */
  if (live) {
    live.closest("label").hidden = false;
    let timer = null;
    const later = () => {
      if (!live.checked) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(preview, LIVE_DELAY_MS);
    };
    if (editor) editor.on("changes", later);
    else source.addEventListener("input", later);
    if (inputEditor) inputEditor.on("changes", later);
    else if (sampleInput) sampleInput.addEventListener("input", later);
  }

  // The first preview, so the page opens with the template rendered.
  if (source.value.trim()) preview();
})();
