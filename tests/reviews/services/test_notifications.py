from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.models import ReviewerNotice
from reviews.services.loops import fail_expired_loops, reopen_loop
from reviews.services.notifications import SEND_LEASE, SETTLE, notify_reviewers_of_new_work
from reviews.services.slots import claim_next_slot, decline_slot
from reviews.tasks import notify_reviewers_of_new_work as notify_task
from tests.factories import (
    FlowDefinitionFactory,
    GroupFactory,
    StartedLoopFactory,
    UserFactory,
    WorkTeamFactory,
)

pytestmark = pytest.mark.django_db

INTERVAL = 300.0


@pytest.fixture(autouse=True)
def interval(settings):
    settings.A2I_NOTIFY_INTERVAL = INTERVAL


class RefusingBackend(BaseEmailBackend):
    """A mail server that hangs up on every message."""

    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")


class UnreachableBackend(BaseEmailBackend):
    """A mail server nobody answers at."""

    opened = 0

    def open(self):
        type(self).opened += 1
        raise ConnectionRefusedError(111, "Connection refused")

    def send_messages(self, email_messages):
        raise AssertionError("sent without a connection")


def loops(flow, count):
    return [StartedLoopFactory(flow_definition=flow) for _ in range(count)]


def sweep(clock):
    """A run once what arrived has settled."""
    clock.advance(SETTLE)
    return notify_reviewers_of_new_work()


def emails_to(mailoutbox, user):
    return [message for message in mailoutbox if message.to == [user.email]]


def only_email_to(mailoutbox, user):
    (message,) = emails_to(mailoutbox, user)
    return message


def html_of(message):
    (html, mimetype) = message.alternatives[0]
    assert mimetype == "text/html"
    return html


# What an email says


def test_each_reviewer_gets_one_email_naming_each_job_with_its_new_tasks(
    team, flow, reviewer, second_reviewer, clock, mailoutbox
):
    labels = FlowDefinitionFactory(work_team=team, task_title="Label the image")
    loops(flow, 2)
    loops(labels, 1)

    assert sweep(clock) == 2

    assert len(mailoutbox) == 2
    for user in (reviewer, second_reviewer):
        message = only_email_to(mailoutbox, user)
        assert message.subject == "3 new tasks waiting for you in the A2I portal"
        assert (
            f"- Classify the text (flow definition {flow.name}): 2 new tasks waiting"
            in message.body
        )
        assert f"- Label the image (flow definition {labels.name}): 1 new task waiting" in (
            message.body
        )


def test_the_jobs_come_in_the_order_of_the_home_page(team, reviewer, clock, mailoutbox):
    later = FlowDefinitionFactory(work_team=team, task_title="Transcribe the audio")
    earlier = FlowDefinitionFactory(work_team=team, task_title="Approve the photo")
    loops(later, 1)
    loops(earlier, 1)

    sweep(clock)

    body = only_email_to(mailoutbox, reviewer).body
    assert body.index("Approve the photo") < body.index("Transcribe the audio")


def test_the_email_comes_from_the_default_sender(open_loop, reviewer, clock, mailoutbox, settings):
    settings.DEFAULT_FROM_EMAIL = "review@example.com"

    sweep(clock)

    assert only_email_to(mailoutbox, reviewer).from_email == "review@example.com"


def test_the_email_has_an_html_alternative_linking_to_the_work_page(
    team, reviewer, clock, mailoutbox, settings
):
    settings.SITE_URL = "https://review.example.com/"
    flow = FlowDefinitionFactory(work_team=team, task_title="Cats & dogs")
    loops(flow, 1)

    sweep(clock)

    message = only_email_to(mailoutbox, reviewer)
    work_url = "https://review.example.com" + reverse("reviews:home")
    html = html_of(message)
    assert f'href="{work_url}"' in html
    assert "Cats &amp; dogs" in html and "1 new task waiting" in html
    assert f"Start working: {work_url}" in message.body
    assert "Cats & dogs" in message.body  # plain text is not HTML-escaped


def test_the_email_says_how_the_team_opt_out_works(team, open_loop, reviewer, clock, mailoutbox):
    sweep(clock)

    message = only_email_to(mailoutbox, reviewer)
    for text in (message.body, html_of(message)):
        assert f"work team {team.name}" in text
        assert "only an operator can switch them" in text
        assert "Notify by email" in text


# What counts as new work


def test_no_new_work_sends_nothing(team, flow, clock, mailoutbox):
    assert sweep(clock) == 0

    assert mailoutbox == []


def test_a_loop_just_started_waits_for_a_later_run(open_loop, clock, mailoutbox):
    clock.advance(SETTLE - timedelta(seconds=1))

    assert notify_reviewers_of_new_work() == 0
    clock.advance(timedelta(seconds=1))
    assert notify_reviewers_of_new_work() == 2


def test_no_second_email_within_the_interval(flow, reviewer, clock, mailoutbox):
    loops(flow, 1)
    sweep(clock)
    loops(flow, 1)

    clock.advance(timedelta(seconds=INTERVAL - 1) - SETTLE)
    assert notify_reviewers_of_new_work() == 0
    assert len(emails_to(mailoutbox, reviewer)) == 1


def test_the_next_email_after_the_interval_names_only_what_arrived_since(
    team, flow, reviewer, clock, mailoutbox
):
    labels = FlowDefinitionFactory(work_team=team, task_title="Label the image")
    loops(flow, 2)
    sweep(clock)
    loops(labels, 1)
    mailoutbox.clear()

    clock.advance(timedelta(seconds=INTERVAL))
    assert notify_reviewers_of_new_work() == 2

    body = only_email_to(mailoutbox, reviewer).body
    assert "Label the image" in body and "1 new task waiting" in body
    assert "Classify the text" not in body


def test_nothing_new_after_the_interval_sends_nothing(open_loop, clock, mailoutbox):
    sweep(clock)
    mailoutbox.clear()

    clock.advance(timedelta(seconds=INTERVAL))
    assert notify_reviewers_of_new_work() == 0
    assert mailoutbox == []


def test_a_reopened_loop_is_new_work_again(open_loop, flow, reviewer, clock, mailoutbox):
    sweep(clock)
    clock.advance(open_loop.expires_at - clock.now())
    fail_expired_loops()
    mailoutbox.clear()

    reopen_loop(loop=open_loop)
    assert sweep(clock) == 2

    assert "1 new task waiting" in only_email_to(mailoutbox, reviewer).body


def test_a_loop_the_reviewer_declined_does_not_count(
    open_loop, reviewer, second_reviewer, clock, mailoutbox
):
    decline_slot(slot=claim_next_slot(reviewer=reviewer), reviewer=reviewer)

    assert sweep(clock) == 1

    assert emails_to(mailoutbox, reviewer) == []
    assert len(emails_to(mailoutbox, second_reviewer)) == 1


def test_a_loop_the_reviewer_took_a_task_of_does_not_count(
    flow_of_two, reviewer, second_reviewer, clock, mailoutbox
):
    loops(flow_of_two, 1)
    claim_next_slot(reviewer=reviewer)  # the other task of the loop is still open

    assert sweep(clock) == 1

    assert emails_to(mailoutbox, reviewer) == []
    assert "1 new task waiting" in only_email_to(mailoutbox, second_reviewer).body


def test_a_loop_whose_tasks_are_all_claimed_does_not_count(team, flow, reviewer, clock, mailoutbox):
    loops(flow, 1)
    claim_next_slot(reviewer=reviewer)
    newcomer = UserFactory()
    team.members.add(newcomer)

    assert sweep(clock) == 0

    assert mailoutbox == []


def test_a_loop_of_two_answers_counts_as_one_task_for_a_reviewer(
    flow_of_two, reviewer, clock, mailoutbox
):
    loops(flow_of_two, 1)

    sweep(clock)

    assert "1 new task waiting" in only_email_to(mailoutbox, reviewer).body


def test_a_reviewer_in_the_team_by_group_is_emailed(flow, clock, mailoutbox):
    grouped = UserFactory()
    group = GroupFactory()
    grouped.groups.add(group)
    flow.work_team.member_groups.add(group)
    loops(flow, 1)

    sweep(clock)

    assert len(emails_to(mailoutbox, grouped)) == 1


def test_an_outsider_gets_nothing(open_loop, outsider, clock, mailoutbox):
    sweep(clock)

    assert emails_to(mailoutbox, outsider) == []


# Who gets nothing


def test_a_team_with_email_off_silences_only_its_own_work(team, flow, reviewer, clock, mailoutbox):
    quiet_team = WorkTeamFactory(members=[reviewer], notify_by_email=False)
    quiet = FlowDefinitionFactory(work_team=quiet_team, task_title="Quiet job")
    loops(flow, 1)
    loops(quiet, 3)

    sweep(clock)

    body = only_email_to(mailoutbox, reviewer).body
    assert "Classify the text" in body and "Quiet job" not in body
    assert quiet_team.name not in body


def test_a_reviewer_only_in_a_team_with_email_off_gets_nothing(clock, mailoutbox):
    reviewer = UserFactory()
    flow = FlowDefinitionFactory(
        work_team=WorkTeamFactory(members=[reviewer], notify_by_email=False)
    )
    loops(flow, 1)

    assert sweep(clock) == 0

    assert mailoutbox == []


def test_a_reviewer_without_an_email_address_gets_nothing(
    open_loop, reviewer, second_reviewer, clock, mailoutbox
):
    reviewer.email = ""
    reviewer.save(update_fields=["email"])

    assert sweep(clock) == 1

    assert [message.to for message in mailoutbox] == [[second_reviewer.email]]


def test_an_inactive_reviewer_gets_nothing(open_loop, reviewer, second_reviewer, clock, mailoutbox):
    reviewer.is_active = False
    reviewer.save(update_fields=["is_active"])

    assert sweep(clock) == 1

    assert [message.to for message in mailoutbox] == [[second_reviewer.email]]


# When sending fails


def test_a_refused_send_leaves_the_reviewer_to_be_notified_next_run(
    open_loop, reviewer, clock, mailoutbox, settings
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"

    assert sweep(clock) == 0

    notice = ReviewerNotice.objects.get(user=reviewer)
    assert (notice.last_sent_at, notice.seen_until, notice.sending_since) == (None, None, None)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notify_reviewers_of_new_work() == 2
    assert "1 new task waiting" in only_email_to(mailoutbox, reviewer).body


def test_an_unreachable_mail_server_stops_the_run_and_leaves_everyone_for_the_next(
    open_loop, reviewer, second_reviewer, clock, mailoutbox, settings
):
    settings.EMAIL_BACKEND = f"{__name__}.UnreachableBackend"
    UnreachableBackend.opened = 0

    assert sweep(clock) == 0

    assert UnreachableBackend.opened == 1
    assert not ReviewerNotice.objects.exclude(
        last_sent_at=None, seen_until=None, sending_since=None
    ).exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notify_reviewers_of_new_work() == 2


def test_a_send_never_recorded_is_retried_once_its_lease_runs_out(
    open_loop, reviewer, second_reviewer, clock, mailoutbox
):
    clock.advance(SETTLE)
    ReviewerNotice.objects.create(user=reviewer, sending_since=clock.now())  # a worker died

    assert notify_reviewers_of_new_work() == 1
    assert emails_to(mailoutbox, reviewer) == []

    clock.advance(SEND_LEASE)
    assert notify_reviewers_of_new_work() == 1
    assert len(emails_to(mailoutbox, reviewer)) == 1


def test_a_sent_email_is_recorded(open_loop, reviewer, clock, mailoutbox):
    sweep(clock)

    notice = ReviewerNotice.objects.get(user=reviewer)
    assert (notice.last_sent_at, notice.seen_until, notice.sending_since) == (
        clock.now(),
        clock.now() - SETTLE,
        None,
    )


# Running it


def test_a_run_makes_as_many_queries_for_thirty_new_loops_as_for_one(team, flow, clock, mailoutbox):
    FlowDefinitionFactory(work_team=team)
    loops(flow, 1)
    sweep(clock)

    def queries_of_a_run_after(new_loops):
        loops(flow, new_loops)
        clock.advance(timedelta(seconds=INTERVAL))
        with CaptureQueriesContext(connection) as queries:
            assert notify_reviewers_of_new_work() == 2
        return len(queries)

    assert queries_of_a_run_after(30) == queries_of_a_run_after(1)


def test_the_task_runs_the_sweep_and_beat_runs_it_each_interval(
    open_loop, clock, mailoutbox, settings
):
    clock.advance(SETTLE)

    assert notify_task.delay().get() == 2
    entry = settings.CELERY_BEAT_SCHEDULE["notify-reviewers-of-new-work"]
    assert entry["task"] == "reviews.tasks.notify_reviewers_of_new_work"
    assert entry["schedule"] == entry["options"]["expires"]
