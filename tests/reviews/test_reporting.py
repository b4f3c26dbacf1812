"""Reporting figures, each checked exactly on a small day of work built through the services.

The day (`a_day_of_work`), on a clock fixed at 12:30 UTC on March 2: three flow definitions
(one, two and three reviewers per loop), three reviewers, seven loops completed that morning,
three still in progress, and one two-reviewer loop completed two days earlier (outside the last
24 hours, inside the last 7 days).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.conf import settings

from reviews.models import HumanLoop
from reviews.reporting import (
    Agreement,
    agreement_report,
    backlog_by_flow,
    canonical_json,
    completion_times,
    loops_per_hour,
    overview,
    report_window,
    reviewer_summary,
    tasks_per_reviewer,
)
from reviews.reporting.charts import Bar, Point, bar_chart, nice_ticks, time_chart
from reviews.reporting.labels import duration_label, share_label
from reviews.reporting.percentiles import percentile_cont
from reviews.services.loops import fail_expired_loops, reopen_loop, start_loop
from reviews.services.slots import claim_next_slot, submit_answer
from tests.factories import FlowDefinitionFactory, GroupFactory, UserFactory, WorkTeamFactory
from workflows.models import FlowDefinition

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 12, 30, tzinfo=UTC)
CAT = {"category": {"label": "cat"}}
DOG = {"category": {"label": "dog"}}


def today(hour: int, minute: int = 0) -> datetime:
    return NOW.replace(hour=hour, minute=minute)


def move(clock: Any, moment: datetime) -> None:
    clock.advance(moment - clock.now())


@dataclass
class Day:
    """What `build_day` made: its reviewers and flow definitions."""

    alice: Any
    bob: Any
    carol: Any
    singles: FlowDefinition
    pairs: FlowDefinition
    triples: FlowDefinition
    team: Any
    night_shift: Any


def run_loop(
    clock: Any,
    flow: FlowDefinition,
    name: str,
    started: datetime,
    answers: list[tuple[Any, dict[str, Any], int, int]],
) -> HumanLoop:
    """Start a loop at `started`; each answer is (reviewer, answer, claimed and submitted so
    many minutes after the start): the reviewer claims it then and answers it then."""
    move(clock, started)
    loop = start_loop(name=name, flow_definition_name=flow.name, input_content='{"n": 1}')
    for reviewer, answer, claimed, submitted in answers:
        move(clock, started + timedelta(minutes=claimed))
        slot = claim_next_slot(reviewer=reviewer, flow_definition=flow)
        assert slot.loop_id == loop.pk
        if submitted is not None:
            move(clock, started + timedelta(minutes=submitted))
            submit_answer(slot=slot, reviewer=reviewer, answer=answer)
    return loop


def build_day(clock: Any) -> Day:
    alice, bob, carol = (UserFactory(username=name) for name in ("alice", "bob", "carol"))
    team = WorkTeamFactory(name="day-team", members=[alice, bob, carol])
    night = GroupFactory(name="night")
    alice.groups.add(night)
    night_shift = WorkTeamFactory(name="night-shift")
    night_shift.member_groups.add(night)
    singles = FlowDefinitionFactory(name="singles", work_team=team, task_count=1)
    pairs = FlowDefinitionFactory(name="pairs", work_team=team, task_count=2)
    triples = FlowDefinitionFactory(name="triples", work_team=team, task_count=3)
    # The answer with its keys the other way round is the same answer.
    cat_reordered = {"category": {"label": "cat"}, "note": ""}
    cat_with_note = {"note": "", "category": {"label": "cat"}}

    two_days_ago = NOW - timedelta(days=2)
    run_loop(
        clock, pairs, "p0", two_days_ago.replace(hour=10), [(alice, CAT, 0, 10), (bob, CAT, 10, 30)]
    )

    run_loop(clock, singles, "l1", today(9), [(alice, CAT, 0, 10)])  # 600 s
    run_loop(clock, singles, "l2", today(10), [(bob, DOG, 40, 50)])  # 3000 s
    run_loop(clock, singles, "l3", today(11), [(alice, CAT, 0, 30)])  # 1800 s

    run_loop(
        clock, pairs, "p1", today(8), [(alice, cat_reordered, 0, 5), (bob, cat_with_note, 10, 20)]
    )
    run_loop(clock, pairs, "p2", today(9, 30), [(alice, CAT, 0, 2), (carol, DOG, 10, 60)])

    run_loop(
        clock, triples, "t1", today(7), [(alice, CAT, 0, 1), (bob, CAT, 2, 4), (carol, CAT, 5, 10)]
    )
    run_loop(
        clock,
        triples,
        "t2",
        today(10),
        [(alice, CAT, 0, 5), (bob, CAT, 5, 15), (carol, DOG, 20, 60)],
    )

    # Still in progress at 12:30.
    run_loop(clock, pairs, "p3", today(12), [(alice, CAT, 0, 5)])
    run_loop(clock, singles, "l4", today(12, 10), [])
    run_loop(clock, triples, "t3", today(12, 15), [(bob, CAT, 5, None)])
    move(clock, NOW)
    return Day(alice, bob, carol, singles, pairs, triples, team, night_shift)


@pytest.fixture
def day(clock: Any) -> Day:
    return build_day(clock)


def test_a_window_is_whole_hours_ending_with_the_current_one(clock):
    window = report_window("24h", now=NOW)

    assert window.start == datetime(2026, 3, 1, 13, tzinfo=UTC)
    assert window.end == datetime(2026, 3, 2, 13, tzinfo=UTC)
    assert len(window.hours) == 24
    assert report_window("30d", now=NOW).start == datetime(2026, 1, 31, 13, tzinfo=UTC)


def test_an_unknown_window_is_refused():
    from a2i_portal.errors import Invalid

    with pytest.raises(Invalid, match="24h, 7d, 30d"):
        report_window("1y", now=NOW)


def test_loops_started_and_completed_are_counted_per_hour(day):
    hours = {
        row.hour.hour: (row.started, row.completed) for row in loops_per_hour(report_window("24h"))
    }

    busy = {hour: figures for hour, figures in hours.items() if figures != (0, 0)}
    assert busy == {7: (1, 1), 8: (1, 1), 9: (2, 1), 10: (2, 2), 11: (1, 2), 12: (3, 0)}
    assert len(hours) == 24


def test_a_longer_window_counts_the_older_loop(day):
    rows = loops_per_hour(report_window("7d"))

    assert sum(row.started for row in rows) == 11
    assert sum(row.completed for row in rows) == 8


def test_a_reopened_loop_counts_when_it_completes_however_long_ago_it_started(
    clock, flow, reviewer
):
    move(clock, NOW - timedelta(days=20))
    loop = start_loop(name="late", flow_definition_name=flow.name, input_content="{}")
    move(clock, NOW - timedelta(days=9))
    fail_expired_loops()
    move(clock, NOW - timedelta(hours=2))
    reopen_loop(loop=HumanLoop.objects.get(pk=loop.pk))
    slot = claim_next_slot(reviewer=reviewer)
    move(clock, NOW - timedelta(hours=1))
    submit_answer(slot=slot, reviewer=reviewer, answer=CAT)
    move(clock, NOW)
    window = report_window("24h")

    assert sum(row.completed for row in loops_per_hour(window)) == 1
    assert (
        completion_times(window)[0].median_seconds == (timedelta(days=20, hours=-1)).total_seconds()
    )
    assert [(row.username, row.tasks) for row in tasks_per_reviewer(window)] == [("reviewer", 1)]


def test_the_backlog_shows_open_tasks_loops_in_progress_and_the_oldest_wait(day):
    backlog = backlog_by_flow()

    assert [
        (row.flow_name, row.open_tasks, row.in_progress_loops, row.oldest_waiting_since)
        for row in backlog
    ] == [
        ("triples", 2, 1, today(12, 15)),
        ("pairs", 1, 1, today(12)),
        ("singles", 1, 1, today(12, 10)),
    ]
    assert [row.waiting_seconds for row in backlog] == [900, 1800, 1200]


def test_a_flow_whose_tasks_are_all_claimed_has_loops_in_progress_but_no_wait(day, clock):
    claim_next_slot(reviewer=day.alice, flow_definition=day.singles)

    singles = next(row for row in backlog_by_flow() if row.flow_name == "singles")

    assert (singles.open_tasks, singles.in_progress_loops) == (0, 1)
    assert singles.oldest_waiting_since is None


def test_completion_times_are_the_median_and_90th_percentile_per_flow(day):
    rows = completion_times(report_window("24h"))

    assert [(r.flow_name, r.loops, r.median_seconds, r.p90_seconds) for r in rows] == [
        ("pairs", 2, 2400, 3360),
        ("singles", 3, 1800, 2760),
        ("triples", 2, 2100, 3300),
    ]


def test_completion_times_of_a_longer_window_include_the_older_loop(day):
    pairs = next(r for r in completion_times(report_window("7d")) if r.flow_name == "pairs")

    assert (pairs.loops, pairs.median_seconds, pairs.p90_seconds) == (3, 1800, 3240)


def test_tasks_per_reviewer_counts_answers_submitted_in_the_window(day):
    rows = tasks_per_reviewer(report_window("24h"))

    assert [(row.username, row.tasks) for row in rows] == [("alice", 7), ("bob", 4), ("carol", 3)]
    assert [(row.username, row.tasks) for row in tasks_per_reviewer(report_window("7d"))] == [
        ("alice", 8),
        ("bob", 5),
        ("carol", 3),
    ]


def test_agreement_per_flow_is_the_share_of_unanimous_multi_review_loops(day):
    report = agreement_report(report_window("24h"))

    assert [(row.flow_name, row.task_count, row.agreement) for row in report.flows] == [
        ("pairs", 2, Agreement(agreed=1, loops=2)),
        ("triples", 3, Agreement(agreed=1, loops=2)),
    ]
    assert report.multi_review_flows == 2
    assert not report.sampled


def test_agreement_per_reviewer_is_the_share_of_their_loops_where_they_matched_everyone(day):
    report = agreement_report(report_window("24h"))

    assert [(row.username, row.agreement) for row in report.reviewers] == [
        ("alice", Agreement(agreed=2, loops=4)),
        ("bob", Agreement(agreed=2, loops=3)),
        ("carol", Agreement(agreed=1, loops=3)),
    ]


def test_a_reviewers_own_agreement_counts_the_loops_they_answered_in_the_window(
    clock, flow_of_two, reviewer, second_reviewer
):
    started = NOW - timedelta(hours=30)
    run_loop(
        clock,
        flow_of_two,
        "slow",
        started,
        [(reviewer, CAT, 0, 5), (second_reviewer, CAT, 1680, 1685)],
    )
    move(clock, NOW)
    window = report_window("24h")

    dashboard = agreement_report(window)
    own = reviewer_summary(reviewer, window=window)

    # Completed 2 hours ago: on the dashboard for both; answered 30 hours ago by `reviewer`.
    assert dashboard.of_reviewer(reviewer.pk) == Agreement(agreed=1, loops=1)
    assert own.agreement == Agreement(agreed=0, loops=0)
    assert reviewer_summary(second_reviewer, window=window).agreement == Agreement(1, 1)


def test_agreement_leaves_out_loops_still_in_progress_and_single_review_flows(day):
    report = agreement_report(report_window("24h"))

    assert "singles" not in [row.flow_name for row in report.flows]
    assert sum(row.agreement.loops for row in report.flows) == 4  # p3 and t3 are in progress


def test_agreement_without_multi_review_flows_says_so(clock):
    FlowDefinitionFactory(task_count=1)

    report = agreement_report(report_window("24h"))

    assert (report.flows, report.reviewers, report.multi_review_flows) == ([], [], 0)


def test_answers_are_compared_as_canonical_json():
    assert canonical_json({"b": 1, "a": [1, {"d": 2, "c": 3}]}) == canonical_json(
        {"a": [1, {"c": 3, "d": 2}], "b": 1}
    )
    assert canonical_json({"a": [1, 2]}) != canonical_json({"a": [2, 1]})
    assert canonical_json({"label": "é"}) == '{"label":"é"}'


def test_the_reviewer_summary_gives_teams_tasks_median_time_and_agreement(day):
    summary = reviewer_summary(day.alice)

    assert [team.name for team in summary.teams] == ["day-team", "night-shift"]
    assert summary.tasks_done == 8
    # Active times: 60, 120, 300, 300, 300, 600, 600, 1800 seconds.
    assert summary.median_seconds_per_task == 300
    assert summary.agreement == Agreement(agreed=3, loops=5)  # p0, p1, t1 agreed; p2, t2 not


def test_the_reviewer_summary_over_a_shorter_window(day):
    summary = reviewer_summary(day.carol, window=report_window("24h"))

    assert [team.name for team in summary.teams] == ["day-team"]
    assert summary.tasks_done == 3
    assert summary.median_seconds_per_task == 2400  # 300, 2400 and 3000 seconds
    assert summary.agreement == Agreement(agreed=1, loops=3)


def test_a_reviewer_who_did_nothing_has_no_figures(day):
    idle = UserFactory(username="idle")

    summary = reviewer_summary(idle)

    assert (summary.teams, summary.tasks_done, summary.median_seconds_per_task) == ([], 0, None)
    assert summary.agreement == Agreement(agreed=0, loops=0)
    assert summary.agreement.share is None


def test_the_overview_adds_up_every_figure(day):
    figures = overview(report_window("24h"))

    assert (figures.started, figures.completed, figures.tasks_done) == (10, 7, 14)
    assert (figures.open_tasks, figures.in_progress_loops) == (4, 3)


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql",
    reason="PostgreSQL computes percentiles over every loop of the window",
)
def test_on_sqlite_completion_times_come_from_the_most_recent_loops_beyond_the_sample_size(
    day, monkeypatch
):
    from reviews.reporting import completion

    monkeypatch.setattr(completion, "SAMPLE_SIZE", 2)

    rows = completion_times(report_window("24h"))

    # The two most recent completions: l3 (11:30, 1800 s) and t2 (11:00, 3600 s).
    assert [(r.flow_name, r.loops, r.median_seconds, r.sampled) for r in rows] == [
        ("singles", 1, 1800, True),
        ("triples", 1, 3600, True),
    ]


def test_agreement_beyond_the_sample_size_comes_from_the_most_recent_loops(day, monkeypatch):
    from reviews.reporting import agreement

    monkeypatch.setattr(agreement, "SAMPLE_SIZE", 1)

    report = agreement_report(report_window("24h"))

    # The most recent multi-review completion: t2 (11:00), not unanimous.
    assert [(r.flow_name, r.agreement) for r in report.flows] == [
        ("triples", Agreement(agreed=0, loops=1))
    ]
    assert report.sampled


def test_percentiles_interpolate_like_percentile_cont():
    assert percentile_cont([], 0.5) is None
    assert percentile_cont([7], 0.9) == 7
    assert percentile_cont([1, 2, 3, 4], 0.5) == 2.5
    assert percentile_cont([10, 0, 20], 0.9) == 18


def test_durations_and_shares_read_as_people_say_them():
    assert [duration_label(s) for s in (None, 2.5, 42, 600, 725, 3600, 12_000, 93_600)] == [
        "–",
        "2.5 s",
        "42 s",
        "10 min",
        "12 min 5 s",
        "1 h",
        "3 h 20 min",
        "1 d 2 h",
    ]
    assert [share_label(s) for s in (None, 0, 2 / 3, 1)] == ["–", "0%", "67%", "100%"]


def test_gridlines_are_round_numbers_reaching_the_largest_value():
    assert nice_ticks(0) == [0, 1]
    assert nice_ticks(37) == [0, 10, 20, 30, 40]
    assert nice_ticks(3) == [0, 1, 2, 3]


def test_a_bar_chart_is_an_accessible_svg_image_with_escaped_labels():
    svg = bar_chart(
        chart_id="c",
        title="Tasks <per> reviewer",
        description="Three reviewers",
        series=["Tasks"],
        bars=[Bar("<script>", (3,), ("3",)), Bar("bob", (1,), ("1",))],
    )

    assert svg.startswith('<svg class="chart" id="c"')
    assert 'role="img" aria-labelledby="c-title c-desc"' in svg
    assert '<title id="c-title">Tasks &lt;per&gt; reviewer</title>' in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count('class="chart-bar chart-series-0"') == 2


def test_a_time_chart_draws_one_line_per_series_with_a_tooltip_per_hour():
    hours = [datetime(2026, 3, 2, hour, tzinfo=UTC) for hour in range(3)]

    svg = time_chart(
        chart_id="t",
        title="Loops",
        description="Per hour",
        series=["Started", "Completed"],
        points=[Point(at, (n, 0)) for n, at in enumerate(hours)],
    )

    assert svg.count("<polyline") == 2
    assert "Mar 2, 02:00–03:00 UTC: 2 started, 0 completed" in svg
