"""Reviewers working through the queue in a real browser: the portal end to end."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from reviews.models import HumanLoop, TaskSlot
from tests.browser.conftest import SCRIPT, screenshot_path
from tests.browser.text_selection import select_text
from tests.factories import FlowDefinitionFactory, HumanTaskUiFactory, UserFactory, WorkTeamFactory
from workflows.models import FlowDefinition

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "review-all-day-42"
CLASSIFY = (
    SCRIPT
    + """<crowd-form>
  <crowd-classifier name="category" categories="['Cat', 'Dog', 'Bird']"
                    header="What is in the text?">
    <classification-target><p class="subject">{{ task.input.text }}</p></classification-target>
    <short-instructions>Pick the animal the text is about.</short-instructions>
  </crowd-classifier>
</crowd-form>"""
)


@pytest.fixture
def reviewers(db: Any) -> list[Any]:
    people = [UserFactory(username=name) for name in ("alice", "bob")]
    for person in people:
        person.set_password(PASSWORD)
        person.save()
    return people


@pytest.fixture
def job(reviewers: list[Any]) -> FlowDefinition:
    team = WorkTeamFactory(members=reviewers)
    return FlowDefinitionFactory(
        work_team=team,
        task_ui=HumanTaskUiFactory(content=CLASSIFY),
        task_title="Classify the animal",
        task_description="Read the text and pick the animal it is about",
    )


def start_loops(flow: FlowDefinition, texts: list[str]) -> list[HumanLoop]:
    from reviews.services.loops import start_loop

    return [
        start_loop(
            name=f"loop-{index}",
            flow_definition_name=flow.name,
            input_content=json.dumps({"text": text}),
        )
        for index, text in enumerate(texts)
    ]


@pytest.fixture
def contexts(browser: Any) -> Iterator[Any]:
    opened: list[Any] = []

    def new() -> Any:
        context = browser.new_context(viewport={"width": 1280, "height": 860})
        context.set_default_timeout(10_000)
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith("http://localhost")
                else route.abort()
            ),
        )
        opened.append(context)
        return context

    yield new
    for context in opened:
        context.close()


def sign_in(context: Any, live_server: Any, username: str) -> Any:
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("text=Your jobs")
    return page


def frame_of(page: Any) -> Any:
    return page.frame_locator("#task-frame")


def current_slot(page: Any) -> TaskSlot:
    slot_id = int(page.url.rstrip("/").split("/")[-1])
    return TaskSlot.objects.select_related("loop").get(pk=slot_id)


def test_a_reviewer_works_through_the_queue_and_each_loop_completes(
    live_server, contexts, job, reviewers, outputs_dir
):
    loops = start_loops(job, ["A cat sat on the mat", "A dog barked", "A bird sang"])
    page = sign_in(contexts(), live_server, "alice")
    page.screenshot(path=str(screenshot_path("home")), full_page=True)

    page.click("text=Start working")
    answers = {}
    for choice in ["Cat", "Dog", "Bird"]:
        page.wait_for_url("**/tasks/*/")
        slot = current_slot(page)
        frame = frame_of(page)
        frame.get_by_text(choice, exact=True).click()
        if choice == "Cat":
            page.screenshot(path=str(screenshot_path("work-page")), full_page=True)
        page.click("#submit-task")
        page.wait_for_function(
            f"() => !location.pathname.endsWith('/tasks/{slot.pk}/')", timeout=10_000
        )
        answers[slot.loop.name] = TaskSlot.objects.get(pk=slot.pk).answer

    page.wait_for_selector("text=No tasks left")
    assert answers == {
        "loop-0": {"category": {"label": "Cat"}},
        "loop-1": {"category": {"label": "Dog"}},
        "loop-2": {"category": {"label": "Bird"}},
    }
    assert {loop.status for loop in HumanLoop.objects.filter(pk__in=[x.pk for x in loops])} == {
        HumanLoop.Status.COMPLETED
    }


def test_two_reviewers_starting_at_once_get_different_tasks(live_server, contexts, job):
    start_loops(job, ["one", "two"])
    alice = sign_in(contexts(), live_server, "alice")
    bob = sign_in(contexts(), live_server, "bob")

    alice.click("text=Start working", no_wait_after=True)
    bob.click("text=Start working", no_wait_after=True)
    alice.wait_for_url("**/tasks/*/")
    bob.wait_for_url("**/tasks/*/")

    assert current_slot(alice).loop_id != current_slot(bob).loop_id


def test_a_released_task_goes_to_the_other_reviewer(live_server, contexts, job):
    (loop,) = start_loops(job, ["only one"])
    alice = sign_in(contexts(), live_server, "alice")
    alice.click("text=Start working")
    alice.wait_for_url("**/tasks/*/")

    alice.click("#release-task")
    alice.wait_for_selector("text=back in the queue")
    bob = sign_in(contexts(), live_server, "bob")
    bob.click("text=Start working")
    bob.wait_for_url("**/tasks/*/")

    assert current_slot(bob).loop_id == loop.pk


def test_a_declined_task_never_returns_to_the_reviewer_who_declined(live_server, contexts, job):
    (loop,) = start_loops(job, ["only one"])
    alice = sign_in(contexts(), live_server, "alice")
    alice.click("text=Start working")
    alice.wait_for_url("**/tasks/*/")

    alice.click("#decline-task")
    alice.wait_for_selector("text=No tasks left")
    alice.goto(f"{live_server.url}/")

    assert alice.locator("[data-available]").get_attribute("data-available") == "0"
    assert TaskSlot.objects.get(loop=loop).state == TaskSlot.State.OPEN
    bob = sign_in(contexts(), live_server, "bob")
    bob.click("text=Start working")
    bob.wait_for_url("**/tasks/*/")
    assert current_slot(bob).loop_id == loop.pk


def test_keyboard_alone_chooses_a_category_and_submits(live_server, contexts, job):
    (loop,) = start_loops(job, ["A dog barked"])
    page = sign_in(contexts(), live_server, "alice")
    page.click("text=Start working")
    page.wait_for_url("**/tasks/*/")
    frame = frame_of(page)
    frame.locator("crowd-classifier").wait_for()

    frame.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("2")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("text=No tasks left")

    assert TaskSlot.objects.get(loop=loop).answer == {"category": {"label": "Dog"}}


def test_task_input_renders_as_text_and_template_script_cannot_reach_the_portal(
    live_server, contexts, reviewers
):
    probe = (
        SCRIPT
        + """<crowd-form>
  <p id="input">{{ task.input.text }}</p>
  <p id="probe"></p>
  <input type="hidden" name="probe">
</crowd-form>
<script>
  const found = [];
  try { found.push("cookie:" + document.cookie); } catch (e) { found.push("cookie:blocked"); }
  try { found.push("parent:" + window.parent.document.title); } catch (e) { found.push("parent:blocked"); }
  try { found.push("storage:" + window.localStorage.length); } catch (e) { found.push("storage:blocked"); }
  document.getElementById("probe").textContent = found.join(" ");
</script>"""
    )
    flow = FlowDefinitionFactory(
        work_team=WorkTeamFactory(members=reviewers), task_ui=HumanTaskUiFactory(content=probe)
    )
    hostile = '<script>window.top.pwned = 1</script>"><img src=x onerror="window.top.pwned = 2">'
    from reviews.services.loops import start_loop

    start_loop(
        name="probe", flow_definition_name=flow.name, input_content=json.dumps({"text": hostile})
    )
    page = sign_in(contexts(), live_server, "alice")
    page.click("text=Start working")
    page.wait_for_url("**/tasks/*/")
    frame = frame_of(page)

    assert frame.locator("#input").inner_text() == hostile
    assert frame.locator("#probe").inner_text() == "cookie:blocked parent:blocked storage:blocked"
    assert page.evaluate("() => window.pwned") is None
    assert page.context.cookies()  # the session cookie exists: the frame just cannot read it


BOXES = (
    SCRIPT
    + """<crowd-form>
  <crowd-bounding-box name="annotatedResult" src="{{ task.input.image | grant_read_access }}"
                      header="Draw a box around each car" labels="['Car']">
    <short-instructions>Draw one box per car.</short-instructions>
  </crowd-bounding-box>
</crowd-form>"""
)
ENTITIES = (
    SCRIPT
    + """<crowd-form>
  <crowd-entity-annotation name="entities" header="Highlight the people"
      labels="[{label: 'person', shortDisplayName: 'per', fullDisplayName: 'Person'}]"
      text="{{ task.input.text }}"></crowd-entity-annotation>
</crowd-form>"""
)


def job_with(template: str, reviewers: list[Any], inputs: list[dict[str, Any]]) -> FlowDefinition:
    from reviews.services.loops import start_loop

    flow = FlowDefinitionFactory(
        work_team=WorkTeamFactory(members=reviewers), task_ui=HumanTaskUiFactory(content=template)
    )
    for index, task_input in enumerate(inputs):
        start_loop(
            name=f"{flow.name}-{index}",
            flow_definition_name=flow.name,
            input_content=json.dumps(task_input),
        )
    return flow


def test_a_bounding_box_task_on_a_stored_image_is_answered_in_natural_pixels(
    live_server, contexts, reviewers, objects_dir
):
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    from tests.browser.images import png

    storages["objects"].save("photos/street.png", ContentFile(png(1600, 1000)))
    flow = job_with(BOXES, reviewers, [{"image": "s3://photos/street.png"}])
    page = sign_in(contexts(), live_server, "alice")
    page.click("text=Start working")
    page.wait_for_url("**/tasks/*/")
    slot = current_slot(page)
    stage = frame_of(page).locator("crowd-bounding-box .crowd-img-stage")
    stage.wait_for(state="visible")

    box = stage.bounding_box()
    across, down = box["width"] / 1600, box["height"] / 1000  # screen pixels per image pixel
    page.mouse.move(box["x"] + 200 * across, box["y"] + 100 * down)
    page.mouse.down()
    page.mouse.move(box["x"] + 600 * across, box["y"] + 500 * down, steps=6)
    page.mouse.up()
    page.screenshot(path=str(screenshot_path("work-page-bounding-box")), full_page=True)
    page.click("#submit-task")
    page.wait_for_selector("text=No tasks left")

    answer = TaskSlot.objects.get(pk=slot.pk).answer
    assert answer == {
        "annotatedResult": {
            "boundingBoxes": [
                {"label": "Car", "left": 200, "top": 100, "width": 400, "height": 400}
            ],
            "inputImageProperties": {"height": 1000, "width": 1600},
        }
    }
    assert flow.loops.get().status == HumanLoop.Status.COMPLETED


def test_an_entity_task_is_answered_with_the_offsets_of_the_selected_text(
    live_server, contexts, reviewers
):
    text = "Yesterday Jeff Bezos met Andy Jassy in Seattle."
    job_with(ENTITIES, reviewers, [{"text": text}])
    page = sign_in(contexts(), live_server, "alice")
    page.click("text=Start working")
    page.wait_for_url("**/tasks/*/")
    slot = current_slot(page)
    frame_of(page).locator(".crowd-entity-text").wait_for()
    task_frame = next(f for f in page.frames if f.url.endswith("/frame/"))
    offset = page.locator("#task-frame").bounding_box()

    frame_of(page).get_by_role("button", name="Person").click()
    for start, end in [(10, 20), (25, 35)]:  # "Jeff Bezos", "Andy Jassy"
        select_text(page, start, end, frame=task_frame, origin=(offset["x"], offset["y"]))
    page.screenshot(path=str(screenshot_path("work-page-entities")), full_page=True)
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("text=No tasks left")

    assert TaskSlot.objects.get(pk=slot.pk).answer == {
        "entities": {
            "entities": [
                {"label": "person", "startOffset": 10, "endOffset": 20},
                {"label": "person", "startOffset": 25, "endOffset": 35},
            ]
        }
    }
