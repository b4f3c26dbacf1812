"""Playwright driving Debian's chromium, headless, with nothing fetched from outside.

`task_page` renders a worker template through the portal's Liquid engine and opens it the way
a reviewer's browser would, with the Crowd HTML Elements from static/crowd/. Every request the
page makes is answered here: the template at TASK_URL, the elements in place of A2I's CDN
script, and the images a test registers; anything else is refused.

Test modules build their templates from SCRIPT (the tag a worker template starts with) and
`form`, and opt in to `page_errors` to fail on any uncaught error in the page.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from workflows.templating.engine import render

ROOT = Path(__file__).resolve().parents[2]
ELEMENTS = ROOT / "static" / "crowd" / "crowd-html-elements.js"
CDN_SCRIPT = "https://assets.crowd.aws/crowd-html-elements.js"
SCRIPT = f'<script src="{CDN_SCRIPT}"></script>\n'
ORIGIN = "http://127.0.0.1:9"  # never contacted: every request is answered by a route
TASK_URL = f"{ORIGIN}/task"
SCREENSHOTS = ROOT / "var" / "screenshots"
# Collects what crowd-form posts to its parent window (the work page, in the portal).
CAPTURE_ANSWERS = """
window.__crowdMessages = [];
window.addEventListener("message", (event) => window.__crowdMessages.push(event.data));
"""
# Resolves once a message posted now has arrived, and so every message posted before it.
FLUSH_MESSAGES = """() => new Promise((resolve) => {
    const seen = (event) => {
        if (event.data && event.data.type === "test:flush") {
            window.removeEventListener("message", seen);
            resolve();
        }
    };
    window.addEventListener("message", seen);
    window.postMessage({type: "test:flush"}, "*");
})"""


def form(body: str) -> str:
    """A worker template: the elements' script, then `body` inside a crowd-form."""
    return f"{SCRIPT}<crowd-form>\n{body}\n</crowd-form>"


def screenshot_path(name: str) -> Path:
    """Where the screenshot called `name` is saved (var/screenshots/, made when missing)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"


def chromium_path() -> str:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(found).exists():
        pytest.fail(
            "Debian's chromium is not installed: `apt-get install chromium` "
            "(scripts/run-tests installs it when it is missing)"
        )
    return found


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in the test's thread; the database set-up and
    # the ORM calls tests make between browser steps are still plain synchronous code.
    allowed = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(
                executable_path=chromium_path(), headless=True, args=["--no-sandbox"]
            )
            yield launched
            launched.close()
    finally:
        if allowed is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = allowed


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    yield opened
    context.close()


class TaskPage:
    """A rendered template open in the browser, and what its form submitted."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.files: dict[str, tuple[bytes, str]] = {}
        page.route("**/*", self.answer)
        page.add_init_script(CAPTURE_ANSWERS)

    def serve(self, path: str, body: bytes, content_type: str) -> str:
        """Make `body` available at ORIGIN + path; returns its URL."""
        self.files[path] = (body, content_type)
        return f"{ORIGIN}{path}"

    def answer(self, route: Any) -> None:
        url = route.request.url
        if url == CDN_SCRIPT:
            route.fulfill(body=ELEMENTS.read_bytes(), content_type="application/javascript")
            return
        path = url.removeprefix(ORIGIN)
        if url.startswith(ORIGIN) and path in self.files:
            body, content_type = self.files[path]
            route.fulfill(body=body, content_type=content_type)
            return
        route.abort()

    def open(self, template: str, task_input: dict[str, Any] | None = None) -> Any:
        html = render(template, task_input=task_input or {})
        self.serve("/task", html.encode(), "text/html; charset=utf-8")
        self.page.goto(TASK_URL)
        self.page.wait_for_function("() => customElements.get('crowd-form') !== undefined")
        return self.page

    def messages(self) -> list[Any]:
        return self.page.evaluate("() => window.__crowdMessages")

    def flush(self) -> None:
        """Wait until every message already posted has arrived."""
        self.page.evaluate(FLUSH_MESSAGES)

    def submissions(self) -> list[Any]:
        """Every answer posted so far, after any message already on its way has arrived."""
        self.flush()
        return [m["answer"] for m in self.messages() if m.get("type") == "crowd-form:submit"]

    def nothing_posted(self) -> bool:
        """True when no answer was posted, once every message already sent has arrived."""
        self.flush()
        return not any(m.get("type") == "crowd-form:submit" for m in self.messages())

    def submitted(self, *, click: str | None = "crowd-button[form-action=submit], .crowd-submit"):
        """Click the form's submit button (unless `click` is None) and return the answer
        crowd-form posted."""
        if click:
            self.page.locator(click).first.click()
        self.page.wait_for_function(
            "() => window.__crowdMessages.some((m) => m && m.type === 'crowd-form:submit')"
        )
        message = next(m for m in self.messages() if m.get("type") == "crowd-form:submit")
        return json.loads(json.dumps(message["answer"]))

    def screenshot(self, name: str) -> Path:
        target = screenshot_path(name)
        self.page.screenshot(path=str(target), full_page=True)
        return target


@pytest.fixture
def task_page(page: Any) -> TaskPage:
    return TaskPage(page)


@pytest.fixture
def page_errors(task_page: TaskPage) -> Iterator[list[str]]:
    """Collects uncaught errors in the task page; the test fails if there were any.

    Modules use it with `pytest.mark.usefixtures("page_errors")` in their pytestmark."""
    errors: list[str] = []
    task_page.page.on("pageerror", lambda error: errors.append(str(error)))
    yield errors
    assert errors == []


OPERATOR_PASSWORD = "operate-all-day-42"


def sign_in_operator(page: Any, live_server: Any, next_path: str, ready: str) -> list[str]:
    """Sign a new superuser `operator` into the admin, landing on `next_path`, and wait for
    `ready` (a selector). Returns the list that the page's Content-Security-Policy violations
    and script errors land in: a test asserts it stays empty."""
    from tests.factories import UserFactory

    operator = UserFactory(username="operator", is_staff=True, is_superuser=True)
    operator.set_password(OPERATOR_PASSWORD)
    operator.save()
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: blocked.append(str(error)))
    page.goto(f"{live_server.url}/admin/login/?next={next_path}")
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", OPERATOR_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector(ready)
    page.wait_for_load_state("load")  # the page's own images are in before a test moves on
    return blocked
