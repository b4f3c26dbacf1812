"""Services the SageMaker wire adapter needs beyond the native ones."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.contrib.auth.models import Group
from django.db import transaction

from workflows.models import WorkTeam
from workflows.services.teams import create_work_team, update_work_team


@transaction.atomic
def create_work_team_of_groups(
    *,
    name: str,
    description: str,
    group_names: Iterable[str],
    tags: Mapping[str, str] | None = None,
) -> WorkTeam:
    """Create a work team whose members are the users of the named Django groups (A2I's OIDC
    groups or Cognito user groups); groups that do not exist yet are created, so an operator can
    fill them later. Raises Invalid or Conflict (name taken); a refused team creates no group."""
    return create_work_team(
        name=name, description=description, member_groups=groups_named(group_names), tags=tags
    )


@transaction.atomic
def update_work_team_of_groups(
    *, team: WorkTeam, description: str | None = None, group_names: Iterable[str] | None = None
) -> WorkTeam:
    """UpdateWorkteam: a new description, and/or member groups that replace the team's (groups
    not named again leave the team; missing ones are created, as on create). Users added to the
    team directly stay. Raises Invalid or NotFound; a refused change creates no group."""
    groups = None if group_names is None else groups_named(group_names)
    return update_work_team(team=team, description=description, member_groups=groups)


def groups_named(names: Iterable[str]) -> list[Group]:
    return [Group.objects.get_or_create(name=name)[0] for name in dict.fromkeys(names)]
