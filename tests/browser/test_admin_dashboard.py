"""The operator dashboard in a real browser: every chart drawn, nothing blocked by the
Content-Security-Policy, and the window selector working."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from reviews.models import HumanLoop
from tests.browser.conftest import screenshot_path, sign_in_operator
from tests.factories import FlowDefinitionFactory
from tests.reviews.test_reporting import CAT, DOG, NOW, Day, build_day, move, run_loop

pytestmark = pytest.mark.django_db(transaction=True)

CHARTS = ["throughput", "backlog", "completion", "reviewers", "agreement"]


def a_busy_night(day: Day, clock: Any) -> None:
    """Loops of a fourth flow definition through the night before the day's own, a few an
    hour, so most hours of the throughput chart have something to show."""
    moderation = FlowDefinitionFactory(name="moderation", work_team=day.team, task_count=2)
    reviewers = [day.alice, day.bob, day.carol]
    start = NOW.replace(hour=13) - timedelta(days=1)
    for hour in range(18):
        for number in range((hour * 7) % 5 + 1):
            begun = start + timedelta(hours=hour, minutes=number * 9)
            first, second = reviewers[number % 3], reviewers[(number + 1) % 3]
            run_loop(
                clock,
                moderation,
                f"night-{hour}-{number}",
                begun,
                [(first, CAT, 1, 4), (second, DOG if (hour + number) % 4 == 0 else CAT, 5, 20)],
            )
    move(clock, NOW)


def sign_in(page: Any, live_server: Any) -> None:
    sign_in_operator(page, live_server, "/admin/", "text=Open the dashboard")


def test_the_dashboard_draws_every_chart_from_the_admin_index(live_server, page, clock):
    day = build_day(clock)
    a_busy_night(day, clock)
    policy_errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            policy_errors.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    sign_in(page, live_server)
    page.screenshot(path=str(screenshot_path("admin-index")), full_page=True)

    page.click("text=Open the dashboard")
    page.wait_for_selector("svg#chart-agreement")
    page.screenshot(path=str(screenshot_path("admin-dashboard")), full_page=True)

    for chart in CHARTS:
        svg = page.locator(f"svg#chart-{chart}")
        assert svg.is_visible(), chart
        assert svg.bounding_box()["width"] > 400, chart
        assert svg.locator(".chart-bar, .chart-line").count() > 0, chart
    started = HumanLoop.objects.filter(created_at__gte=NOW - timedelta(hours=24)).count()
    assert page.locator(".dashboard-tiles dd").first.inner_text() == str(started)
    assert policy_errors == []

    page.emulate_media(color_scheme="dark")
    page.reload()
    page.wait_for_selector("svg#chart-agreement")
    page.screenshot(path=str(screenshot_path("admin-dashboard-dark")), full_page=True)


def test_the_window_selector_shows_the_last_7_days(live_server, page, clock):
    build_day(clock)
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/admin/dashboard/")

    page.click(".window-selector >> text=7 days")
    page.wait_for_url("**/admin/dashboard/?window=7d")

    page.screenshot(path=str(screenshot_path("admin-dashboard-7-days")), full_page=True)
    assert page.locator(".window-selector [aria-current=page]").inner_text() == "7 days"
    assert page.locator(".dashboard-tiles dd").first.inner_text() == "11"


def test_a_reviewers_page_shows_their_figures(live_server, page, clock):
    day = build_day(clock)
    sign_in(page, live_server)

    page.goto(f"{live_server.url}/admin/auth/user/{day.alice.pk}/change/")
    page.locator(".field-review_agreement").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_path("admin-reviewer")), full_page=True)

    assert page.locator(".field-review_tasks_done .readonly").inner_text() == "8"
    assert page.locator(".field-review_agreement .readonly").inner_text().startswith("60%")
