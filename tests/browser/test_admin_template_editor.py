"""The task UI editor in a real browser: an operator creates a task UI from the gallery, edits
it, and previews it in the same sandboxed frame the work page uses."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot_path, sign_in_operator
from workflows import samples
from workflows.models import HumanTaskUi

pytestmark = pytest.mark.django_db(transaction=True)

SANDBOX = "allow-scripts allow-forms allow-modals allow-popups"


@pytest.fixture
def operator_page(live_server: Any, page: Any, objects_dir: Any) -> Any:
    page.blocked = sign_in_operator(
        page, live_server, "/admin/workflows/humantaskui/", "#changelist"
    )
    return page


def editor(page: Any) -> Any:
    """The code editor the template's textarea became."""
    return page.locator(".workbench-editor .CodeMirror")


def set_template(page: Any, text: str) -> None:
    """Replace the whole template, as a paste over a select-all would."""
    editor(page).evaluate("(element, text) => element.CodeMirror.setValue(text)", text)


def replace_in_template(page: Any, old: str, new: str) -> None:
    editor(page).evaluate(
        "(element, [old, replacement]) => { const cm = element.CodeMirror; "
        "cm.setValue(cm.getValue().replace(old, replacement)); }",
        [old, new],
    )


def test_an_operator_creates_a_task_ui_from_the_gallery_edits_and_previews_it(operator_page):
    page = operator_page
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.click("text=Create from gallery")
    page.wait_for_selector("#sample-bounding-box")
    first = page.frame_locator("#sample-sentiment iframe")
    expect(first.locator("crowd-classifier")).to_have_attribute("name", "sentiment")
    page.screenshot(path=str(screenshot_path("admin-template-gallery")))
    card = page.locator("#sample-bounding-box")
    expect(card.locator("iframe")).to_have_attribute("sandbox", SANDBOX)
    card.locator("input[name=name]").fill("street-objects")
    card.get_by_role("button", name="Create").click()

    page.wait_for_url("**/change/?sample=bounding-box")
    assert HumanTaskUi.objects.filter(name="street-objects").exists()
    expect(editor(page)).to_be_visible()
    expect(page.locator(".workbench-editor .CodeMirror-linenumber").first).to_be_visible()
    frame = page.frame_locator("#template-preview")
    boxes = frame.locator("crowd-bounding-box")
    expect(boxes).to_have_attribute(
        "header",
        "Check the boxes the model drew: fix or delete wrong ones, and draw the ones it missed",
    )
    expect(page.locator("#template-preview")).to_have_attribute("sandbox", SANDBOX)

    replace_in_template(
        page,
        'header="Check the boxes the model drew: fix or delete wrong ones, and draw the ones it '
        'missed"',
        'header="Box every road user"',
    )
    page.click("#template-preview-button")

    expect(boxes).to_have_attribute("header", "Box every road user")
    expect(frame.get_by_text("Box every road user")).to_be_visible()
    image = frame.locator("crowd-bounding-box img").first
    expect(image).to_be_visible()
    # No same origin: the operator's page cannot reach into the template, nor it out.
    assert page.locator("#template-preview").evaluate("(f) => f.contentDocument === null")
    assert frame.locator("body").evaluate("() => window.origin") == "null"
    natural = image.evaluate("(img) => img.complete && img.naturalWidth")
    assert natural == 640
    expect(page.locator("#template-problems")).to_be_hidden()
    page.locator("#template-workbench-heading").evaluate("(heading) => heading.scrollIntoView()")
    page.screenshot(path=str(screenshot_path("admin-template-editor")))

    frame.locator(".crowd-submit, crowd-button[form-action=submit]").first.click()
    expect(page.locator("#template-answer")).to_be_visible()
    assert '"annotatedResult"' in page.locator("#template-answer-json").inner_text()
    # Previewing saves nothing.
    assert "Box every road user" not in HumanTaskUi.objects.get(name="street-objects").content
    assert page.blocked == []


def test_a_template_that_does_not_parse_is_reported_with_its_line_before_saving(
    operator_page,
):
    page = operator_page
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.goto(page.url.replace("/humantaskui/", "/humantaskui/add/"))
    page.fill("input[name=name]", "broken-ui")
    set_template(page, "<crowd-form>\n<p>{{ task.input.text | shout }}</p>\n</crowd-form>")
    page.click("#template-preview-button")

    problems = page.locator("#template-problems")
    expect(problems).to_contain_text("Template, line 2, column 25: unknown filter 'shout'")
    expect(page.locator(".workbench-editor .template-problem-line")).to_have_count(1)
    expect(page.frame_locator("#template-preview").get_by_role("alert")).to_contain_text(
        "unknown filter 'shout'"
    )
    page.locator("#template-workbench-heading").evaluate("(heading) => heading.scrollIntoView()")
    page.screenshot(path=str(screenshot_path("admin-template-editor-problems")))
    assert not HumanTaskUi.objects.filter(name="broken-ui").exists()
    assert page.blocked == []


def test_the_preview_follows_typing_and_leaves_the_browser_history_alone(
    operator_page, live_server
):
    from workflows.services.task_uis import create_human_task_ui_from_sample

    page = operator_page
    task_ui = create_human_task_ui_from_sample(name="moods", sample="sentiment")
    page.goto(f"{live_server.url}/admin/workflows/humantaskui/{task_ui.pk}/change/")
    frame = page.frame_locator("#template-preview")
    expect(frame.locator("crowd-classifier")).to_have_attribute("name", "sentiment")
    history = page.evaluate("history.length")

    page.locator(".workbench-editor .CodeMirror").click()
    page.keyboard.press("Control+End")
    page.keyboard.type("Checked by hand")

    expect(frame.get_by_text("Checked by hand")).to_be_visible()
    expect(page.locator("#template-preview-status")).to_contain_text("Rendered at")
    assert page.evaluate("history.length") == history
    assert page.locator("iframe.template-preview-frame").count() == 1
    assert page.locator("textarea[name=content]").input_value().endswith("Checked by hand")
    assert page.blocked == []


@pytest.mark.parametrize("sample", samples.SAMPLES, ids=lambda sample: sample.slug)
def test_every_gallery_sample_runs_in_its_preview_without_errors(operator_page, sample):
    page = operator_page
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)

    page.goto(page.url.replace("/humantaskui/", f"/humantaskui/gallery/{sample.slug}/frame/"))
    page.wait_for_function("() => customElements.get('crowd-form') !== undefined")

    for element in sample.elements:
        expect(page.locator(element).first).to_be_attached()
        if element != "crowd-form":
            page.wait_for_function(f"() => customElements.get('{element}') !== undefined")
    for name in sample.media:
        media = page.locator(f"[src*='/objects/portal-samples/{name}']").first
        if name.endswith(".ogg"):
            media.evaluate("(audio) => audio.load()")
            page.wait_for_function(
                "(src) => { const a = document.querySelector(`audio[src*='${src}']`); "
                "return a && a.readyState >= 1 && a.duration > 10; }",
                arg=name,
            )
        else:
            page.wait_for_function(
                "(src) => [...document.querySelectorAll('img')].concat("
                "[...document.querySelectorAll('*')].flatMap((e) => e.shadowRoot ? "
                "[...e.shadowRoot.querySelectorAll('img')] : []))"
                ".some((img) => img.src.includes(src) && img.complete && img.naturalWidth > 0)",
                arg=name,
            )
    assert failed == []
    assert page.blocked == []
