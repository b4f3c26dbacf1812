"""Services the SageMaker wire adapter needs beyond the native ones."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import transaction

from workflows.models import WorkTeam
from workflows.services.teams import create_work_team


@transaction.atomic
def create_work_team_of_groups(
    *, name: str, description: str, group_names: Iterable[str]
) -> WorkTeam:
    """Create a work team whose members are the users of the named Django groups (A2I's OIDC
    groups or Cognito user groups); groups that do not exist yet are created, so an operator can
    fill them later. Raises Invalid or Conflict (name taken); a refused team creates no group."""
    groups = [Group.objects.get_or_create(name=group)[0] for group in dict.fromkeys(group_names)]
    return create_work_team(name=name, description=description, member_groups=groups)
