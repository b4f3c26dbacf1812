"""Email notices of new work: each reviewer hears, at most once per A2I_NOTIFY_INTERVAL, about
the loops started or re-opened since their previous notice that they could take now.

Order of a notice, and why. Deciding is one short transaction on the reviewer's notice row
(locked, SKIP LOCKED on PostgreSQL; SQLite's IMMEDIATE transactions serialise it instead): it
reads the watermark, counts what is new, and records the decision as a lease (`sending_since`).
The email goes out after that commits, with no lock held while the mail server answers. Only a
second transaction, after the send, records it as sent (`last_sent_at`, `seen_until`):

- the mail server refuses or is down: the lease is given back and nothing was recorded, so the
  next run notifies the reviewer, with whatever has arrived by then;
- the worker dies after sending, before recording: the lease runs out (SEND_LEASE) and a later
  run sends again, so the reviewer gets one duplicate rather than never a lost notice;
- the worker dies before sending: the same, without the duplicate;
- two sweeps at once: a locked row is skipped, a leased or just-notified one fails the check made
  under the lock, so a batch goes out once.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse

from a2i_portal import clock
from reviews.models import HumanLoop, OpenSlot, ReviewerNotice, SlotEvent, TaskSlot
from workflows.models import FlowDefinition, WorkTeam

logger = logging.getLogger(__name__)
User = get_user_model()

# A start or re-open is stamped when it happens and seen by others when its transaction commits,
# a moment later. A sweep counts only loops stamped at least this long ago and moves the
# watermark no further, so a loop committing after the sweep looked is never left behind it; the
# wait also absorbs a small difference between the clocks of web and worker hosts.
SETTLE = timedelta(seconds=30)

# A notice decided but not recorded as sent this long after is presumed lost with its worker.
# Far longer than an SMTP exchange takes (keep Django's EMAIL_TIMEOUT below it), so a slow
# server does not get the email sent twice.
SEND_LEASE = timedelta(minutes=10)


@dataclass(frozen=True)
class NewJob:
    """A job named in a notice: a flow definition and the new tasks of it the reviewer may take
    (one per loop: a reviewer answers a loop once, however many answers it needs)."""

    flow: FlowDefinition
    tasks: int


@dataclass(frozen=True)
class Candidate:
    """A reviewer who may be emailed in this run, with the watermark read before locking."""

    user_id: int
    email: str
    seen_until: datetime | None
    has_notice: bool


@dataclass(frozen=True)
class Arrival:
    """A loop started or re-opened within the run's window that still has an open slot."""

    loop_id: int
    flow_id: int
    at: datetime


class Arrivals:
    """What arrived in the run's window, and who may take it: read once for the whole batch."""

    def __init__(self, candidates: list[Candidate], *, cutoff: datetime, now: datetime) -> None:
        watermarks = [candidate.seen_until for candidate in candidates]
        after = None if None in watermarks else min(watermarks)
        loops = arrived_loops(after=after, cutoff=cutoff, now=now)
        self.by_team: dict[int, list[Arrival]] = defaultdict(list)
        for loop_id, flow_id, team_id, at in loops.values_list(
            "pk", "flow_definition_id", "flow_definition__work_team_id", "updated_at"
        ):
            self.by_team[team_id].append(Arrival(loop_id, flow_id, at))
        user_ids = [candidate.user_id for candidate in candidates]
        self.teams = notifying_teams_of(user_ids)
        self.out_of_reach = (
            loops_out_of_reach(user_ids, loops.values("pk")) if self.by_team else set()
        )
        flow_ids = {arrival.flow_id for found in self.by_team.values() for arrival in found}
        self.flows = FlowDefinition.objects.select_related("work_team").in_bulk(flow_ids)

    def new_jobs(self, user_id: int, *, seen_until: datetime | None) -> list[NewJob]:
        """The reviewer's new tasks per job, as the home page orders its jobs."""
        counts: Counter[int] = Counter()
        for team_id in self.teams.get(user_id, ()):
            for arrival in self.by_team.get(team_id, ()):
                if seen_until is not None and arrival.at <= seen_until:
                    continue
                if (user_id, arrival.loop_id) not in self.out_of_reach:
                    counts[arrival.flow_id] += 1
        jobs = [NewJob(self.flows[flow_id], tasks) for flow_id, tasks in counts.items()]
        return sorted(jobs, key=lambda job: (job.flow.task_title, job.flow.name))


def notify_reviewers_of_new_work(*, batch_size: int = 500) -> int:
    """Email each reviewer (active, with an address, in a work team with `notify_by_email` on)
    about the loops of their teams' Active flow definitions started or re-opened since their
    previous notice (all of them, before their first) that still have an open slot they may
    claim (not of a loop they declined or took a task of). At most one email per reviewer per
    A2I_NOTIFY_INTERVAL; at most `batch_size` reviewers considered per run, those waiting
    longest first. A refused send is logged and retried on the next run. Returns how many
    emails were sent."""
    now = clock.now()
    cutoff = now - SETTLE
    candidates = candidate_reviewers(now=now, batch_size=batch_size)
    if not candidates:
        return 0
    ReviewerNotice.objects.bulk_create(
        [ReviewerNotice(user_id=c.user_id) for c in candidates if not c.has_notice],
        ignore_conflicts=True,  # a concurrent run may create the same rows
    )
    arrivals = Arrivals(candidates, cutoff=cutoff, now=now)
    connection = mail.get_connection()
    opened = False
    sent = 0
    try:
        for candidate in candidates:
            decided = decide_notice(candidate=candidate, arrivals=arrivals, cutoff=cutoff)
            if decided is None:
                continue
            notice, lease, message = decided
            if not opened:
                try:
                    connection.open()
                except OSError:
                    give_up_notice(notice=notice, lease=lease)
                    logger.exception("mail server unavailable: new-work notices wait for next run")
                    break
                opened = True
            try:
                message.connection = connection
                message.send()
            except OSError:
                give_up_notice(notice=notice, lease=lease)
                logger.exception("new-work notice to user %s not sent", candidate.user_id)
                continue
            record_notice_sent(notice=notice, lease=lease, cutoff=cutoff)
            sent += 1
    finally:
        if opened:
            connection.close()
    return sent


def candidate_reviewers(*, now: datetime, batch_size: int) -> list[Candidate]:
    """Reviewers who may get an email: active, with an address, in a team that wants email, and
    neither emailed within the interval nor being emailed by another run. Longest unseen first,
    so a batch smaller than the team rotates through everyone."""
    interval = timedelta(seconds=settings.A2I_NOTIFY_INTERVAL)
    notifying = WorkTeam.objects.filter(notify_by_email=True).filter(
        Q(members=OuterRef("pk")) | Q(member_groups__user=OuterRef("pk"))
    )
    busy = ReviewerNotice.objects.filter(user=OuterRef("pk")).filter(
        Q(last_sent_at__gt=now - interval) | Q(sending_since__gt=now - SEND_LEASE)
    )
    rows = (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .filter(Exists(notifying))
        .exclude(Exists(busy))
        .order_by(F("reviewer_notice__seen_until").asc(nulls_first=True), "pk")
        .values_list("pk", "email", "reviewer_notice__seen_until", "reviewer_notice__pk")
    )
    return [
        Candidate(user_id=pk, email=email, seen_until=seen_until, has_notice=notice is not None)
        for pk, email, seen_until, notice in rows[:batch_size]
    ]


def arrived_loops(
    *, after: datetime | None, cutoff: datetime, now: datetime
) -> QuerySet[HumanLoop]:
    """Loops of teams that want email, started or re-opened in (after, cutoff], still open.

    `updated_at` is the arrival time: an InProgress loop's is set when it starts and when it is
    re-opened, and by nothing else until it stops or ends.
    """
    loops = HumanLoop.objects.filter(
        status=HumanLoop.Status.IN_PROGRESS,
        updated_at__lte=cutoff,
        expires_at__gt=now,
        flow_definition__status=FlowDefinition.Status.ACTIVE,
        flow_definition__work_team__notify_by_email=True,
    ).filter(Exists(OpenSlot.objects.filter(loop=OuterRef("pk"))))
    if after is not None:
        loops = loops.filter(updated_at__gt=after)
    return loops


def notifying_teams_of(user_ids: list[int]) -> dict[int, set[int]]:
    """Each reviewer's teams that want email, direct membership and by group alike."""
    teams: dict[int, set[int]] = defaultdict(set)
    direct = WorkTeam.members.through.objects.filter(
        user_id__in=user_ids, workteam__notify_by_email=True
    ).values_list("user_id", "workteam_id")
    by_group = WorkTeam.member_groups.through.objects.filter(
        group__user__in=user_ids, workteam__notify_by_email=True
    ).values_list("group__user", "workteam_id")
    for user_id, team_id in [*direct, *by_group]:
        teams[user_id].add(team_id)
    return teams


def loops_out_of_reach(user_ids: list[int], loop_ids: QuerySet) -> set[tuple[int, int]]:
    """(reviewer, loop) pairs a reviewer may not claim from: they hold or answered a slot of the
    loop, or declined it (claim_next_slot's rules)."""
    taken = TaskSlot.objects.filter(reviewer_id__in=user_ids, loop_id__in=loop_ids)
    declined = SlotEvent.objects.filter(
        kind=SlotEvent.Kind.DECLINED, reviewer_id__in=user_ids, loop_id__in=loop_ids
    )
    return {
        *taken.values_list("reviewer_id", "loop_id"),
        *declined.values_list("reviewer_id", "loop_id"),
    }


@transaction.atomic
def decide_notice(
    *, candidate: Candidate, arrivals: Arrivals, cutoff: datetime
) -> tuple[ReviewerNotice, datetime, EmailMultiAlternatives] | None:
    """Lock the reviewer's notice row and decide: the email to send, under a lease recorded
    here; or nothing (another run has the row or just emailed them; nothing new, in which case
    the watermark moves to `cutoff` so later runs look at less)."""
    now = clock.now()
    interval = timedelta(seconds=settings.A2I_NOTIFY_INTERVAL)
    notice = (
        ReviewerNotice.objects.select_for_update(skip_locked=True)
        .filter(user_id=candidate.user_id)
        .filter(Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=now - interval))
        .filter(Q(sending_since__isnull=True) | Q(sending_since__lte=now - SEND_LEASE))
        .first()
    )
    if notice is None:
        return None
    jobs = arrivals.new_jobs(candidate.user_id, seen_until=notice.seen_until)
    if not jobs:
        if notice.seen_until is None or notice.seen_until < cutoff:
            notice.seen_until = cutoff
            notice.save(update_fields=["seen_until"])
        return None
    message = new_work_email(address=candidate.email, jobs=jobs)  # a template error leases nothing
    notice.sending_since = now
    notice.save(update_fields=["sending_since"])
    return notice, now, message


def record_notice_sent(*, notice: ReviewerNotice, lease: datetime, cutoff: datetime) -> None:
    """The email went out: the interval starts, and what it named is no longer new. A lease
    another run took over after it ran out is that run's to record."""
    ReviewerNotice.objects.filter(pk=notice.pk, sending_since=lease).update(
        last_sent_at=lease, seen_until=cutoff, sending_since=None
    )


def give_up_notice(*, notice: ReviewerNotice, lease: datetime) -> None:
    """The email did not go out: nothing is recorded, so the next run tries again."""
    ReviewerNotice.objects.filter(pk=notice.pk, sending_since=lease).update(sending_since=None)


def work_page_url() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("reviews:home")


def new_work_email(*, address: str, jobs: list[NewJob]) -> EmailMultiAlternatives:
    """One reviewer's notice: plain text, and the same as HTML."""
    context = {
        "jobs": jobs,
        "total": sum(job.tasks for job in jobs),
        "teams": team_names(job.flow for job in jobs),
        "work_url": work_page_url(),
    }
    subject = " ".join(render_to_string("reviews/email/new_work_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject,
        render_to_string("reviews/email/new_work.txt", context),
        to=[address],
    )
    message.attach_alternative(
        render_to_string("reviews/email/new_work.html", context), "text/html"
    )
    return message


def team_names(flows: Iterable[FlowDefinition]) -> list[str]:
    return sorted({flow.work_team.name for flow in flows})
