"""Work team services."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.contrib.auth.models import Group, User
from django.db import transaction

from a2i_portal import clock
from a2i_portal.errors import NotFound
from a2i_portal.validation import full_clean_or_invalid
from workflows.models import WorkTeam
from workflows.services.saving import insert_named
from workflows.services.tags import add_tags


@transaction.atomic
def create_work_team(
    *,
    name: str,
    description: str,
    members: Iterable[User] = (),
    member_groups: Iterable[Group] = (),
    notify_by_email: bool = True,
    tags: Mapping[str, str] | None = None,
) -> WorkTeam:
    """Create a work team. Raises Invalid (name pattern, description, tags) or Conflict (name
    taken); a refused team writes nothing."""
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
    if tags:
        add_tags(resource=team, tags=tags)
    return team


@transaction.atomic
def update_work_team(
    *,
    team: WorkTeam,
    description: str | None = None,
    members: Iterable[User] | None = None,
    member_groups: Iterable[Group] | None = None,
    notify_by_email: bool | None = None,
) -> WorkTeam:
    """Change a work team: what is given replaces what the team had (`members=[]` removes every
    direct member), what is None stays. Raises Invalid (description) or NotFound (the team is
    gone); a refused change writes nothing."""
    # The row lock orders concurrent updates and waits for a deletion in progress.
    locked = WorkTeam.objects.select_for_update().filter(pk=team.pk).first()
    if locked is None:
        raise NotFound("name", f"the work team {team.name!r} no longer exists")
    team = locked
    if description is not None:
        team.description = description
    if notify_by_email is not None:
        team.notify_by_email = notify_by_email
    team.updated_at = clock.now()
    full_clean_or_invalid(team)
    team.save(update_fields=["description", "notify_by_email", "updated_at"])
    if members is not None:
        team.members.set(members)
    if member_groups is not None:
        team.member_groups.set(member_groups)
    return team
