/*
 * The work page: the task's worker template runs in a sandboxed iframe (no same origin). Its
 * crowd-form posts the answer here by postMessage; this page submits it with the CSRF token,
 * then opens the next task of the job. It also shows the time left on the claim.
 */
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("task-data").textContent);
  const frame = document.getElementById("task-frame");
  const errorBox = document.getElementById("task-error");
  const submitButton = document.getElementById("submit-task");
  const timeLeft = document.getElementById("time-left");
  const csrfToken = document.querySelector("#csrf-holder [name=csrfmiddlewaretoken]").value;

  // The server's clock decides the deadline; this page's clock may be off by any amount.
  const skew = Date.parse(data.now) - Date.now();
  const deadline = Date.parse(data.deadline);
  let activeMs = 0;
  let activeSince = document.visibilityState === "visible" ? Date.now() : null;
  let sending = false;

  function showError(message) {
    errorBox.textContent = message;
    errorBox.classList.toggle("d-none", !message);
  }

  function tellFrame(message) {
    if (frame.contentWindow) frame.contentWindow.postMessage(message, "*");
  }

  function secondsSpent() {
    const running = activeSince === null ? 0 : Date.now() - activeSince;
    return Math.round(activeMs + running) / 1000;
  }

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") {
      activeSince = Date.now();
    } else if (activeSince !== null) {
      activeMs += Date.now() - activeSince;
      activeSince = null;
    }
  });

  function tick() {
    const left = Math.max(0, Math.floor((deadline - (Date.now() + skew)) / 1000));
    const hours = Math.floor(left / 3600);
    const minutes = Math.floor((left % 3600) / 60);
    const seconds = String(left % 60).padStart(2, "0");
    timeLeft.textContent = hours
      ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}`
      : `${minutes}:${seconds}`;
    timeLeft.classList.toggle("text-danger", left < 60);
    if (left === 0) {
      submitButton.disabled = true;
      showError("The time limit for this task has passed; it has gone back to the queue.");
      clearInterval(timer);
    }
  }
  const timer = setInterval(tick, 1000);
  tick();

  function goTo(url) {
    // The next task is claimed by a POST: a link could be followed by a prefetch.
    const form = document.createElement("form");
    form.method = "post";
    form.action = url;
    const token = document.createElement("input");
    token.type = "hidden";
    token.name = "csrfmiddlewaretoken";
    token.value = csrfToken;
    form.append(token);
    document.body.append(form);
    form.submit();
  }

  async function send(answer) {
    if (sending) return;
    sending = true;
    submitButton.disabled = true;
    showError("");
    try {
      const response = await fetch(data.submitUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
        body: JSON.stringify({ answer: answer, time_spent: secondsSpent() }),
      });
      const body = await response.json().catch(() => ({}));
      if (response.ok) {
        goTo(body.next);
        return;
      }
      const message = body.message || `The answer was not accepted (HTTP ${response.status}).`;
      showError(message);
      tellFrame({ type: "crowd-form:error", message: message });
    } catch (error) {
      const message = "The answer could not be sent; check the connection and submit again.";
      showError(message);
      tellFrame({ type: "crowd-form:error", message: message });
    } finally {
      sending = false;
      submitButton.disabled = false;
    }
  }

  window.addEventListener("message", (event) => {
    if (event.source !== frame.contentWindow) return; // only the task's own frame speaks here
    const message = event.data;
    if (!message || typeof message !== "object") return;
    if (message.type === "crowd-form:submit") {
      if (!message.answer || typeof message.answer !== "object" || Array.isArray(message.answer)) {
        showError("The task's form produced no answer object.");
        return;
      }
      send(message.answer);
    } else if (message.type === "crowd-form:shortcut" && message.key === "submit") {
      tellFrame({ type: "crowd-form:submit-request" });
    }
  });

  function requestSubmit() {
    tellFrame({ type: "crowd-form:submit-request" });
  }
  submitButton.addEventListener("click", requestSubmit);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      requestSubmit();
    }
  });
  frame.addEventListener("load", () => frame.focus());
})();
