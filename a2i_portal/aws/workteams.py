"""SageMaker work team targets: Create, Describe, List (reference §3.7)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest

from a2i_portal.aws import errors
from a2i_portal.aws.paging import MAX_RESULTS, offset_page, with_token
from a2i_portal.aws.protocol import json_body
from a2i_portal.aws.shapes import SORT_ORDERS, WORKTEAM_NAME, Checks, epoch, read_name
from workflows.models import WorkTeam
from workflows.services.sagemaker_support import create_work_team_of_groups


def create_workteam(request: HttpRequest) -> dict[str, Any]:
    body = json_body(request)
    checks = Checks()
    name = checks.string(body.get("WorkteamName"), "workteamName", required=True, **WORKTEAM_NAME)
    checks.string(
        body.get("WorkforceName"),
        "workforceName",
        min_length=1,
        max_length=63,
        pattern=r"[a-zA-Z0-9]([a-zA-Z0-9\-]){0,62}",
    )
    description = checks.string(
        body.get("Description"),
        "description",
        required=True,
        min_length=1,
        max_length=200,
        pattern=".+",
    )
    groups = member_groups(body.get("MemberDefinitions"), checks)
    checks.done()
    team = create_work_team_of_groups(name=name, description=description, group_names=groups)
    return {"WorkteamArn": team.arn}


def member_groups(definitions: Any, checks: Checks) -> list[str]:
    """The Django group names of MemberDefinitions: OIDC Groups or Cognito UserGroups, never
    both kinds in one team."""
    member = "memberDefinitions"
    if not checks.present(definitions, member, required=True):
        return []
    if not isinstance(definitions, list) or not 1 <= len(definitions) <= 10:
        checks.fail(definitions, member, "must be a list of 1 to 10 member definitions")
        return []
    kinds, groups = set(), []
    for definition in definitions:
        definition = checks.structure(definition, member, required=True)
        present = [
            kind
            for kind in ("CognitoMemberDefinition", "OidcMemberDefinition")
            if definition.get(kind) is not None
        ]
        if len(present) != 1:
            checks.fail(
                definition,
                member,
                "must have exactly one of CognitoMemberDefinition and OidcMemberDefinition",
            )
            continue
        kinds.add(present[0])
        inner = checks.structure(definition[present[0]], f"{member}.member.{present[0]}")
        if present[0] == "OidcMemberDefinition":
            groups += (
                checks.string_list(
                    inner.get("Groups"),
                    f"{member}.member.oidcMemberDefinition.groups",
                    required=True,
                    min_items=1,
                    max_items=10,
                    min_length=1,
                    max_length=63,
                )
                or []
            )
        else:
            group = checks.string(
                inner.get("UserGroup"),
                f"{member}.member.cognitoMemberDefinition.userGroup",
                required=True,
                min_length=1,
                max_length=128,
            )
            groups += [group] if group else []
    if len(kinds) > 1:
        checks.fail(None, member, "must not mix Cognito and OIDC member definitions")
    return groups


def describe_workteam(request: HttpRequest) -> dict[str, Any]:
    name = read_name(json_body(request), "WorkteamName", WORKTEAM_NAME)
    team = WorkTeam.objects.prefetch_related("member_groups").filter(name=name).first()
    if team is None:  # a ValidationException, not ResourceNotFound (reference §3.7)
        raise errors.validation(f"The work team {name} does not exist.")
    return {"Workteam": workteam(team)}


def workteam(team: WorkTeam) -> dict[str, Any]:
    """A Workteam structure. Members are described as OIDC groups: the portal's teams are
    Django groups whichever kind of definition created them."""
    groups = sorted(group.name for group in team.member_groups.all())
    return {
        "WorkteamName": team.name,
        "WorkteamArn": team.arn,
        "WorkforceArn": (
            f"arn:aws:sagemaker:{settings.A2I_REGION}:{settings.A2I_ACCOUNT_ID}:workforce/default"
        ),
        "MemberDefinitions": [{"OidcMemberDefinition": {"Groups": groups}}] if groups else [],
        "Description": team.description,
        "SubDomain": urlsplit(settings.SITE_URL).netloc,
        "CreateDate": epoch(team.created_at),
        "LastUpdatedDate": epoch(team.updated_at),
    }


def list_workteams(request: HttpRequest) -> dict[str, Any]:
    body = json_body(request)
    checks = Checks()
    sort_by = checks.string(body.get("SortBy"), "sortBy", enum=("Name", "CreateDate"))
    order = checks.string(body.get("SortOrder"), "sortOrder", enum=SORT_ORDERS)
    contains = checks.string(body.get("NameContains"), "nameContains", max_length=63)
    token = checks.string(body.get("NextToken"), "nextToken", max_length=8192)
    limit = checks.integer(body.get("MaxResults"), "maxResults", minimum=1, maximum=MAX_RESULTS)
    checks.done()
    field = "name" if sort_by == "Name" else "created_at"  # CreateDate unless asked
    descending = order == "Descending"  # Ascending unless asked (reference §3.7)
    teams = WorkTeam.objects.prefetch_related("member_groups").order_by(
        f"-{field}" if descending else field, "-pk" if descending else "pk"
    )
    if contains:
        teams = teams.filter(name__contains=contains)
    query = ["ListWorkteams", field, descending, contains or ""]
    rows, next_token = offset_page(teams, query, token, limit or MAX_RESULTS)
    return with_token({"Workteams": [workteam(team) for team in rows]}, next_token)
