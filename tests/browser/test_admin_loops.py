"""Human loops in the operator console, in a real browser: the list, a loop's page with its
input preview, tasks, answers and history, and re-opening a failed loop from that page."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from reviews.models import HumanLoop
from reviews.services.loops import fail_expired_loops, start_loop, stop_loop
from reviews.services.slots import claim_next_slot, submit_answer
from tests.browser.conftest import screenshot_path, sign_in_operator
from tests.browser.images import png
from tests.factories import FlowDefinitionFactory, UserFactory, WorkTeamFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def console(clock: Any, objects_dir: Any) -> dict[str, HumanLoop]:
    """A morning's loops of two flow definitions, in every state, and the photo one loop shows."""
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    team = WorkTeamFactory(name="moderators", members=[alice, bob])
    photos = FlowDefinitionFactory(name="photo-moderation", work_team=team, task_count=2)
    invoices = FlowDefinitionFactory(
        name="invoice-review", work_team=team, task_availability_lifetime=3600
    )
    (objects_dir / "photos" / "cats").mkdir(parents=True)
    (objects_dir / "photos" / "cats" / "tabby.png").write_bytes(png(320, 200, (236, 170, 90)))

    def start(flow: Any, name: str, task_input: dict[str, Any]) -> HumanLoop:
        clock.advance(timedelta(minutes=7))
        return start_loop(
            name=name, flow_definition_name=flow.name, input_content=json.dumps(task_input)
        )

    expiring = start(invoices, "invoice-2026-0417", {"vendor": "Acme", "total": 1200.5})
    clock.advance(timedelta(hours=1))
    fail_expired_loops()
    for number in range(3):
        loop = start(invoices, f"invoice-2026-04{20 + number}", {"vendor": "Globex"})
        if number == 0:
            stop_loop(loop=loop)
        if number == 1:
            slot = claim_next_slot(reviewer=alice, flow_definition=invoices)
            clock.advance(timedelta(minutes=2))
            submit_answer(slot=slot, reviewer=alice, answer={"approved": True}, time_spent=74.2)
    photo = start(
        photos,
        "photo-0042",
        {
            "taskObject": "s3://photos/cats/tabby.png",
            "caption": "A cat on a mat",
            "source": {"camera": "front door", "scores": {"cat": 0.62, "dog": 0.31}},
        },
    )
    slot = claim_next_slot(reviewer=alice, flow_definition=photos)
    clock.advance(timedelta(minutes=1, seconds=12))
    submit_answer(
        slot=slot,
        reviewer=alice,
        answer={"animal": {"label": "Cat"}, "note": "tabby, clearly visible"},
        time_spent=63.4,
    )
    claim_next_slot(reviewer=bob, flow_definition=photos)
    for number in range(4):
        start(photos, f"photo-00{43 + number}", {"taskObject": "s3://photos/cats/tabby.png"})
    return {"photo": photo, "expired": HumanLoop.objects.get(pk=expiring.pk)}


def sign_in(page: Any, live_server: Any) -> list[str]:
    return sign_in_operator(page, live_server, "/admin/reviews/humanloop/", "#result_list")


def test_an_operator_finds_a_loop_in_the_list_and_reads_its_page(live_server, page, console):
    blocked = sign_in(page, live_server)

    names = page.locator("#result_list .loop-name").all_inner_texts()
    assert names[:2] == ["photo-0046", "photo-0045"]
    assert len(names) == 9
    assert page.locator(".loop-status--failed").count() == 1
    page.screenshot(path=str(screenshot_path("admin-loop-list")), full_page=True)

    page.fill("#searchbar", "PHOTO-0042")
    page.press("#searchbar", "Enter")
    page.wait_for_url("**/?q=PHOTO-0042")
    assert page.locator("#result_list .loop-name").all_inner_texts() == ["photo-0042"]

    page.click("text=photo-0042")
    page.wait_for_selector("text=History")
    preview = page.locator(".loop-reference img")
    preview.wait_for()
    page.wait_for_function("() => document.querySelector('.loop-reference img').complete")
    assert preview.evaluate("(img) => img.naturalWidth") == 320
    assert "A cat on a mat" in page.locator("pre.loop-json").first.inner_text()
    states = page.locator(".loop-table .loop-state").all_inner_texts()
    assert states == ["Submitted", "Claimed"]
    assert "tabby, clearly visible" in page.locator(".loop-json--answer").inner_text()
    assert page.locator(".loop-event").all_inner_texts() == ["Claimed", "Submitted", "Claimed"]
    page.screenshot(path=str(screenshot_path("admin-loop-detail")), full_page=True)
    assert blocked == []


def test_an_operator_reopens_an_expired_loop_from_its_page(live_server, page, console):
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/admin/reviews/humanloop/?status__exact=Failed")
    page.click("text=invoice-2026-0417")

    page.click("summary:has-text('Re-open')")
    page.click("text=Re-open this loop")

    page.wait_for_selector("text=invoice-2026-0417: re-opened: 1 task(s) open until")
    assert page.locator(".loop-head .loop-status").inner_text() == "In Progress"
    loop = HumanLoop.objects.get(pk=console["expired"].pk)
    assert loop.status == HumanLoop.Status.IN_PROGRESS
