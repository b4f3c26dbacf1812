"""Work team services."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group, User
from django.db import transaction

from a2i_portal import clock
from workflows.models import WorkTeam
from workflows.services.saving import insert_named


@transaction.atomic
def create_work_team(
    *,
    name: str,
    description: str,
    members: Iterable[User] = (),
    member_groups: Iterable[Group] = (),
    notify_by_email: bool = True,
) -> WorkTeam:
    """Create a work team. Raises Invalid (name pattern, description) or Conflict (name taken)."""
    now = clock.now()
    team = WorkTeam(
        name=name,
        description=description,
        notify_by_email=notify_by_email,
        created_at=now,
        updated_at=now,
    )
    insert_named(team, kind="work team")
    team.members.set(members)
    team.member_groups.set(member_groups)
    return team
