"""What loops, workers and a webhook receiver left behind, held against what the outbox
promises: every event the endpoint wants arrives (duplicates allowed, counted), signed; every
delivery ends delivered; every loop that ended with answers has its output.json, written before
any event announcing that end arrived."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from reviews.models import HumanLoop, LoopEvent, TaskSlot, WebhookDelivery, WebhookEndpoint
from tests.support.receiver import Arrival, Receiver, output_path

SHOWN = 5  # ids printed per kind of problem


@dataclass
class Audit:
    """What `audit` found; `problems` names every loss, `lines` sums it all up for printing."""

    loops: Counter[str]  # loops by status
    expected: dict[str, str]  # event id (the payload's `id`) -> status, of every event wanted
    delivered: set[str]  # distinct ids the receiver accepted
    duplicates: dict[str, int]  # id -> accepted arrivals after the first
    deliveries: Counter[str]  # the endpoint's delivery rows by state
    arrivals: list[Arrival]
    forged: list[Arrival]  # a bad signature, or a header id that is not the body's
    early: list[Arrival]  # came before the output.json of its loop's end existed
    loops_with_answers: int  # ended (Completed, Failed, Stopped) with at least one answer
    outputs_missing: list[str]  # names of those loops without their output.json

    @property
    def missing(self) -> set[str]:
        return set(self.expected) - self.delivered

    @property
    def unexpected(self) -> set[str]:
        return self.delivered - set(self.expected)

    @property
    def unsettled(self) -> int:
        return sum(self.deliveries.values()) - self.deliveries[WebhookDelivery.State.DELIVERED]

    @property
    def settled(self) -> bool:
        """Every wanted event accepted once at least and every delivery row delivered."""
        return not self.missing and not self.unsettled

    @property
    def resent(self) -> int:
        """POSTs that came again with the same attempt number: the worker that sent the first
        died before it recorded the attempt, and the lease ran out."""
        sent = Counter((arrival.event_id, arrival.attempt) for arrival in self.arrivals)
        return sum(times - 1 for times in sent.values())

    @property
    def problems(self) -> list[str]:
        found = []
        if self.missing:
            found.append(f"{len(self.missing)} events never accepted: {self.show(self.missing)}")
        if self.unexpected:
            found.append(f"{len(self.unexpected)} unwanted events: {self.show(self.unexpected)}")
        if self.unsettled:
            found.append(f"deliveries not delivered: {dict(self.deliveries)}")
        if self.forged:
            found.append(f"{len(self.forged)} arrivals failed the signature check")
        if self.early:
            early = {arrival.event_id for arrival in self.early}
            found.append(f"{len(early)} events arrived before their output: {self.show(early)}")
        if self.outputs_missing:
            names = self.show(set(self.outputs_missing))
            found.append(f"{len(self.outputs_missing)} loops without output.json: {names}")
        return found

    def show(self, ids: set[str]) -> str:
        shown = sorted(ids)[:SHOWN]
        described = [f"{i} ({self.expected[i]})" if i in self.expected else i for i in shown]
        return ", ".join(described) + (" ..." if len(ids) > SHOWN else "")

    def lines(self) -> list[str]:
        refused = Counter(
            str(arrival.answered or "dropped") for arrival in self.arrivals if not arrival.accepted
        )
        wanted = Counter(self.expected.values())
        return [
            "loops by status: " + ", ".join(f"{k} {v}" for k, v in sorted(self.loops.items())),
            f"outputs: {self.loops_with_answers - len(self.outputs_missing)} written of "
            f"{self.loops_with_answers} loops that ended with answers",
            f"events: {len(self.expected)} expected ("
            + ", ".join(f"{k} {v}" for k, v in sorted(wanted.items()))
            + f"), {len(self.delivered & set(self.expected))} distinct delivered",
            f"arrivals: {len(self.arrivals)}, refused {sum(refused.values())} "
            f"({', '.join(f'{k}: {v}' for k, v in sorted(refused.items()))}), "
            f"duplicates {sum(self.duplicates.values())} over {len(self.duplicates)} events, "
            f"{self.resent} attempts sent again after a worker died mid-POST",
            "deliveries: " + ", ".join(f"{k} {v}" for k, v in sorted(self.deliveries.items())),
        ]


def audit(*, receiver: Receiver, endpoint: WebhookEndpoint) -> Audit:
    """Check the database and the receiver's log against each other. The receiver's
    `outputs_root` is where the workers write output.json."""
    endpoint.refresh_from_db()
    events = LoopEvent.objects.filter(status__in=endpoint.statuses)
    flows = list(endpoint.flow_definitions.values_list("pk", flat=True))
    if flows:
        events = events.filter(flow_definition_id__in=flows)
    expected = {str(uuid): status for uuid, status in events.values_list("event_id", "status")}

    accepted = receiver.accepted()
    arrivals = receiver.arrivals()
    answered_loops = list(
        HumanLoop.objects.filter(
            status__in=HumanLoop.TERMINAL, slots__state=TaskSlot.State.SUBMITTED
        )
        .distinct()
        .values_list("pk", "name", "output_uri")
    )
    announcing = {
        str(uuid)
        for uuid in LoopEvent.objects.filter(
            loop_id__in=[pk for pk, _, _ in answered_loops], status__in=HumanLoop.TERMINAL
        ).values_list("event_id", flat=True)
    }
    outputs_root = receiver.outputs_root
    return Audit(
        loops=count_by(HumanLoop.objects.all(), "status"),
        expected=expected,
        delivered=set(accepted),
        duplicates={i: len(taken) - 1 for i, taken in accepted.items() if len(taken) > 1},
        deliveries=count_by(WebhookDelivery.objects.filter(endpoint=endpoint), "state"),
        arrivals=arrivals,
        forged=[arrival for arrival in arrivals if not arrival.authentic],
        early=[a for a in arrivals if a.event_id in announcing and not a.output_existed],
        loops_with_answers=len(answered_loops),
        outputs_missing=[
            name
            for _, name, uri in answered_loops
            if outputs_root is None or not output_path(outputs_root, uri).is_file()
        ],
    )


def count_by(rows: QuerySet, field: str) -> Counter[str]:
    return Counter(dict(rows.order_by().values_list(field).annotate(count=Count("pk"))))
