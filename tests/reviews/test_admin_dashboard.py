"""The operator dashboard in the admin: who may see it, its window selector, its charts and
empty states, and what it costs in queries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.factories import FlowDefinitionFactory, UserFactory, WorkTeamFactory
from tests.reviews.test_reporting import NOW, move, run_loop

pytestmark = pytest.mark.django_db

URL = "/admin/dashboard/"
CHARTS = ["throughput", "backlog", "completion", "reviewers", "agreement"]


def chart_ids(html: str) -> list[str]:
    return re.findall(r'<svg class="chart[^"]*" id="chart-([a-z]+)"', html)


def test_the_dashboard_shows_every_chart_to_an_operator(operator_client, day):
    response = operator_client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert chart_ids(html) == CHARTS
    assert "<title>Dashboard | A2I portal</title>" in html
    assert 'aria-labelledby="chart-backlog-title chart-backlog-desc"' in html


def test_the_dashboard_shows_the_figures_in_tables_beside_the_charts(operator_client, day):
    html = operator_client.get(URL).content.decode()

    assert "<dt>Loops started</dt><dd>10</dd>" in html
    assert "<dt>Loops completed</dt><dd>7</dd>" in html
    assert "<dt>Open tasks now</dt><dd>4</dd>" in html
    assert re.search(r"pairs</th><td class=\"number\">2</td><td class=\"number\">40 min</td>", html)
    assert re.search(r">alice</a></th><td class=\"number\">7</td>", html)
    assert re.search(r"triples</th><td class=\"number\">3</td><td class=\"number\">2</td>", html)


def test_the_dashboard_says_how_agreement_is_defined(operator_client, day):
    html = operator_client.get(URL).content.decode()

    assert "A loop agrees when all its answers are equal" in html
    assert "their answer matches every other answer" in html


def test_the_dashboard_says_when_agreement_is_counted_over_a_sample(
    operator_client, day, monkeypatch
):
    from reviews.reporting import agreement

    monkeypatch.setattr(agreement, "SAMPLE_SIZE", 1)

    html = operator_client.get(URL).content.decode()

    assert "Counted over the most recent 1 of these loops in the window." in html


def test_a_reviewer_is_sent_to_the_admin_login(client, reviewer):
    client.force_login(reviewer)

    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/admin/dashboard/")


def test_a_visitor_who_is_not_signed_in_is_sent_to_the_admin_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_window_selector_changes_the_period(operator_client, day):
    html = operator_client.get(URL, {"window": "7d"}).content.decode()

    assert "<dt>Loops started</dt><dd>11</dd>" in html
    assert '<a href="?window=7d" aria-current="page" class="current">7 days</a>' in html
    assert '<a href="?window=24h">24 hours</a>' in html


def test_an_unknown_window_shows_the_last_24_hours(operator_client, day):
    html = operator_client.get(URL, {"window": "forever"}).content.decode()

    assert '<a href="?window=24h" aria-current="page" class="current">24 hours</a>' in html
    assert "<dt>Loops started</dt><dd>10</dd>" in html


def test_an_empty_portal_says_what_each_chart_will_show(operator_client, clock):
    html = operator_client.get(URL).content.decode()

    assert chart_ids(html) == []
    assert "No loop started or completed in the last 24 hours" in html
    assert "Nothing is waiting: no open task and no loop in progress" in html
    assert "No loop completed in the last 24 hours" in html
    assert "No task was answered in the last 24 hours" in html
    assert "No flow definition asks more than one reviewer per loop" in html


def test_agreement_waits_for_loops_when_multi_review_flows_exist(operator_client, clock):
    FlowDefinitionFactory(task_count=2)

    html = operator_client.get(URL, {"window": "30d"}).content.decode()

    assert "No loop with two or more answers completed in the last 30 days" in html


def test_the_admin_index_links_to_the_dashboard_above_the_apps(operator_client):
    html = operator_client.get("/admin/").content.decode()

    assert '<a href="/admin/dashboard/">Dashboard</a>' in html
    assert html.index("/admin/dashboard/") < html.index('class="app-')


def test_the_page_runs_no_inline_script(operator_client, day):
    response = operator_client.get(URL)

    html = response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert re.findall(r"<[^>]*\son[a-z]+\s*=", html) == []  # no inline event handlers


def test_the_dashboard_costs_the_same_few_queries_however_much_work_there_is(
    operator_client, day, clock, django_assert_max_num_queries
):
    with django_assert_max_num_queries(14):
        operator_client.get(URL)

    more = [UserFactory(username=f"extra-{n}") for n in range(4)]
    for number in range(3):
        flow = FlowDefinitionFactory(task_count=2, work_team=WorkTeamFactory(members=more))
        run_loop(
            clock,
            flow,
            f"extra-{number}",
            NOW - timedelta(hours=3),
            [
                (more[number], {"x": 1}, 0, 5),
                (more[number + 1], {"x": 1}, 5, 10),
            ],
        )
    move(clock, NOW)
    with django_assert_max_num_queries(14):
        operator_client.get(URL, {"window": "30d"})
