"""Webhooks in the operator console, in a real browser: an operator registers an endpoint, copies
the secret shown once, stops a loop, and sees the signed event delivered on the loop's page."""

from __future__ import annotations

import json
from typing import Any

import pytest

from reviews.models import HumanLoop, WebhookEndpoint
from reviews.services.loops import start_loop
from tests.browser.conftest import screenshot_path, sign_in_operator
from tests.factories import FlowDefinitionFactory, UserFactory, WorkTeamFactory
from tests.support.receiver import Receiver

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def receiver() -> Any:
    """A client's receiver on loopback; it learns the secret once the console shows it."""
    with Receiver(secret="not-known-yet") as running:
        yield running


@pytest.fixture
def loop(clock: Any) -> HumanLoop:
    team = WorkTeamFactory(name="moderators", members=[UserFactory(username="alice")])
    flow = FlowDefinitionFactory(name="invoice-review", work_team=team)
    return start_loop(
        name="invoice-2026-0501",
        flow_definition_name=flow.name,
        input_content=json.dumps({"vendor": "Acme", "total": 1200.5}),
    )


def test_an_operator_registers_an_endpoint_and_watches_an_event_arrive(
    live_server, page, receiver, loop
):
    blocked = sign_in_operator(
        page, live_server, "/admin/reviews/webhookendpoint/add/", "input[name=name]"
    )
    page.fill("input[name=name]", "billing-system")
    page.fill("input[name=url]", receiver.url)
    assert page.locator("input[name=statuses]:checked").count() == 3  # A2I's three
    page.screenshot(path=str(screenshot_path("admin-webhook-add")), full_page=True)
    page.click("input[name=_save]")

    secret = page.locator("#signing-secret").inner_text()
    assert secret == WebhookEndpoint.objects.get(name="billing-system").secret
    page.screenshot(path=str(screenshot_path("admin-webhook-secret")), full_page=True)
    receiver.secret = secret.encode()

    page.goto(f"{live_server.url}/admin/reviews/humanloop/{loop.pk}/change/")
    page.click("summary:has-text('Stop')")
    page.click("text=Stop this loop")
    page.wait_for_selector("text=Status events and webhooks")

    [arrival] = receiver.arrivals()
    assert (arrival.status, arrival.loop_name) == ("Stopped", "invoice-2026-0501")
    assert arrival.authentic
    cells = page.locator("text=billing-system").first.locator("xpath=..")
    assert "delivered after 1 attempt" in cells.inner_text()
    page.screenshot(path=str(screenshot_path("admin-loop-webhooks")), full_page=True)

    page.click("text=billing-system")
    page.wait_for_selector("text=What is POSTed")
    assert arrival.event_id in page.content()
    page.screenshot(path=str(screenshot_path("admin-webhook-delivery")), full_page=True)
    assert blocked == []
