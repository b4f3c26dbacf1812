"""SageMaker work team targets: Create, Describe, List, Update, Delete (reference §3.7)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest

from a2i_portal.aws import errors
from a2i_portal.aws.paging import MAX_RESULTS, offset_page, with_token
from a2i_portal.aws.protocol import json_body
from a2i_portal.aws.shapes import SORT_ORDERS, WORKTEAM_NAME, Checks, epoch, read_name
from a2i_portal.aws.tags import read_tags
from a2i_portal.errors import NotFound
from workflows.models import WorkTeam
from workflows.services.deletion import delete_work_team
from workflows.services.sagemaker_support import (
    create_work_team_of_groups,
    update_work_team_of_groups,
)

NOTIFICATION_TOPIC_ARN = r"arn:aws[a-z\-]*:sns:[a-z0-9\-]*:[0-9]{12}:[a-zA-Z0-9_.-]*"
ENABLED_OR_DISABLED = ("Enabled", "Disabled")


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
    groups = member_groups(body.get("MemberDefinitions"), checks, required=True)
    check_unstored_settings(body, checks)
    tags = read_tags(body.get("Tags"), checks)
    checks.done()
    team = create_work_team_of_groups(
        name=name, description=description, group_names=groups or [], tags=tags
    )
    return {"WorkteamArn": team.arn}


def update_workteam(request: HttpRequest) -> dict[str, Any]:
    body = json_body(request)
    checks = Checks()
    name = checks.string(body.get("WorkteamName"), "workteamName", required=True, **WORKTEAM_NAME)
    description = checks.string(
        body.get("Description"), "description", min_length=1, max_length=200, pattern=".+"
    )
    groups = member_groups(body.get("MemberDefinitions"), checks, required=False)
    check_unstored_settings(body, checks)
    checks.done()
    team = existing_team(name)
    try:
        team = update_work_team_of_groups(team=team, description=description, group_names=groups)
    except NotFound as exc:  # deleted since it was looked up
        raise missing_team(name) from exc
    return {"Workteam": workteam(team)}


def delete_workteam(request: HttpRequest) -> dict[str, Any]:
    team = existing_team(read_name(json_body(request), "WorkteamName", WORKTEAM_NAME))
    try:
        delete_work_team(team=team)  # Conflict while a flow definition uses it: ResourceInUse
    except WorkTeam.DoesNotExist as exc:  # deleted since it was looked up
        raise missing_team(team.name) from exc
    return {"Success": True}


def existing_team(name: str) -> WorkTeam:
    team = WorkTeam.objects.filter(name=name).first()
    if team is None:
        raise missing_team(name)
    return team


def missing_team(name: str) -> errors.AwsError:
    # A ValidationException, not ResourceNotFound: the real service's answer, and the message
    # start Terraform keys on (reference §3.7).
    return errors.validation(f"The work team {name} does not exist.")


def check_unstored_settings(body: dict[str, Any], checks: Checks) -> None:
    """Check NotificationConfiguration and WorkerAccessConfiguration as the model shapes them.
    Neither is kept: A2I sends no SNS notifications for its tasks (reference §3.7), and the
    portal signs its media URLs without IAM policies to add source-IP conditions to."""
    notification = checks.structure(
        body.get("NotificationConfiguration"), "notificationConfiguration"
    )
    checks.string(
        notification.get("NotificationTopicArn"),
        "notificationConfiguration.notificationTopicArn",
        pattern=NOTIFICATION_TOPIC_ARN,
    )
    access = checks.structure(body.get("WorkerAccessConfiguration"), "workerAccessConfiguration")
    presign = checks.structure(access.get("S3Presign"), "workerAccessConfiguration.s3Presign")
    constraints = checks.structure(
        presign.get("IamPolicyConstraints"),
        "workerAccessConfiguration.s3Presign.iamPolicyConstraints",
    )
    for key in ("SourceIp", "VpcSourceIp"):
        checks.string(
            constraints.get(key),
            f"workerAccessConfiguration.s3Presign.iamPolicyConstraints.{key[0].lower()}{key[1:]}",
            enum=ENABLED_OR_DISABLED,
        )


def member_groups(definitions: Any, checks: Checks, *, required: bool) -> list[str] | None:
    """The Django group names of MemberDefinitions (None when absent): OIDC Groups or Cognito
    UserGroups, never both kinds in one team."""
    member = "memberDefinitions"
    if not checks.present(definitions, member, required=required):
        return None
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
    if team is None:
        raise missing_team(name)
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
