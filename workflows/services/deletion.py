"""Deleting configuration that nothing uses: work teams and human task UIs.

A2I lets a task UI go while flow definitions still name it (they then cannot start loops); here a
flow definition holds its team and template by a protecting foreign key, so both deletions are
refused until no flow definition uses them.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from a2i_portal.errors import Conflict
from workflows.models import FlowDefinition, HumanTaskUi, WorkTeam


@transaction.atomic
def delete_work_team(*, team: WorkTeam) -> None:
    """Work team -> gone. Raises Conflict while a flow definition uses it."""
    # FOR UPDATE (not NO KEY): a concurrent flow definition insert checks its foreign key with
    # FOR KEY SHARE on this row, so it waits for us and never points at a deleted team.
    team = WorkTeam.objects.select_for_update().get(pk=team.pk)
    refuse_if_used(team.flows.all(), field="work_team", what=f"work team {team.name!r}")
    team.delete()


@transaction.atomic
def delete_human_task_ui(*, task_ui: HumanTaskUi) -> None:
    """Human task UI -> gone. Raises Conflict while a flow definition uses it."""
    task_ui = HumanTaskUi.objects.select_for_update().get(pk=task_ui.pk)  # see delete_work_team
    refuse_if_used(
        task_ui.flows.all(), field="human_task_ui", what=f"human task UI {task_ui.name!r}"
    )
    task_ui.delete()


def refuse_if_used(flows: QuerySet[FlowDefinition], *, field: str, what: str) -> None:
    names = list(flows.order_by("name").values_list("name", flat=True)[:5])
    if names:
        raise Conflict(
            field,
            f"{what} is used by flow definition(s) {', '.join(names)}; "
            "delete those or point them elsewhere first",
        )
