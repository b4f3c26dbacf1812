"""UpdateWorkteam and DeleteWorkteam through boto3's `sagemaker` client (reference §3.7)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from botocore.exceptions import ClientError
from django.contrib.auth.models import Group

from tests.factories import UserFactory
from workflows.models import WorkTeam

pytestmark = pytest.mark.django_db(transaction=True)

TOPIC_ARN = "arn:aws:sns:us-east-1:111122223333:new-work"


def error_of(call, **kwargs) -> dict:  # noqa: ANN001
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return caught.value.response["Error"]


def oidc(*groups: str) -> list[dict]:
    return [{"OidcMemberDefinition": {"Groups": list(groups)}}]


@pytest.fixture
def team_name(sagemaker) -> str:  # noqa: ANN001
    """A work team of the OIDC groups "labelers" and "checkers", made through boto3."""
    sagemaker.create_workteam(
        WorkteamName="Reviewers",
        MemberDefinitions=oidc("labelers", "checkers"),
        Description="People who review",
    )
    return "Reviewers"


def unchanged(name: str) -> tuple:
    team = WorkTeam.objects.get(name=name)
    return team.description, team.updated_at, sorted(g.name for g in team.member_groups.all())


# UpdateWorkteam


def test_new_groups_replace_the_old_ones_and_the_team_is_returned(clock, sagemaker, team_name):
    created = sagemaker.describe_workteam(WorkteamName=team_name)["Workteam"]
    clock.advance(timedelta(minutes=1))  # within the signature's 5-minute window

    updated = sagemaker.update_workteam(
        WorkteamName=team_name, MemberDefinitions=oidc("labelers", "auditors")
    )["Workteam"]

    assert updated["MemberDefinitions"] == oidc("auditors", "labelers")
    assert updated["Description"] == "People who review"
    assert updated["LastUpdatedDate"] - created["LastUpdatedDate"] == timedelta(minutes=1)
    assert updated["CreateDate"] == created["CreateDate"]
    assert Group.objects.filter(name="auditors").exists()  # created, as on CreateWorkteam


def test_cognito_user_groups_replace_the_groups_too(sagemaker, team_name):
    updated = sagemaker.update_workteam(
        WorkteamName=team_name,
        MemberDefinitions=[
            {
                "CognitoMemberDefinition": {
                    "UserPool": "us-east-1_abc",
                    "UserGroup": "night-shift",
                    "ClientId": "client",
                }
            }
        ],
    )["Workteam"]

    assert updated["MemberDefinitions"] == oidc("night-shift")


def test_a_new_description_keeps_the_groups_and_the_users_added_directly(sagemaker, team_name):
    direct = UserFactory()
    WorkTeam.objects.get(name=team_name).members.add(direct)

    updated = sagemaker.update_workteam(WorkteamName=team_name, Description="Night shift")

    assert updated["Workteam"]["Description"] == "Night shift"
    assert updated["Workteam"]["MemberDefinitions"] == oidc("checkers", "labelers")
    assert list(WorkTeam.objects.get(name=team_name).members.all()) == [direct]


def test_notification_and_worker_access_settings_of_the_right_shape_are_accepted(
    sagemaker, team_name
):
    response = sagemaker.update_workteam(
        WorkteamName=team_name,
        NotificationConfiguration={"NotificationTopicArn": TOPIC_ARN},
        WorkerAccessConfiguration={
            "S3Presign": {
                "IamPolicyConstraints": {"SourceIp": "Enabled", "VpcSourceIp": "Disabled"}
            }
        },
    )

    assert response["Workteam"]["WorkteamName"] == team_name


def test_updating_a_missing_team_is_a_validation_exception(sagemaker):
    error = error_of(sagemaker.update_workteam, WorkteamName="ghost", Description="New")

    assert error["Code"] == "ValidationException"
    assert error["Message"] == "The work team ghost does not exist."


def test_a_description_over_200_characters_is_refused_and_nothing_changes(sagemaker, team_name):
    before = unchanged(team_name)

    error = error_of(
        sagemaker.update_workteam,
        WorkteamName=team_name,
        Description="d" * 201,
        MemberDefinitions=oidc("auditors"),
    )

    assert error["Code"] == "ValidationException"
    assert "'description'" in error["Message"]
    assert "less than or equal to 200" in error["Message"]
    assert unchanged(team_name) == before
    assert not Group.objects.filter(name="auditors").exists()


def test_mixed_member_definitions_are_refused_and_nothing_changes(sagemaker, team_name):
    before = unchanged(team_name)

    error = error_of(
        sagemaker.update_workteam,
        WorkteamName=team_name,
        MemberDefinitions=[
            *oidc("auditors"),
            {
                "CognitoMemberDefinition": {
                    "UserPool": "us-east-1_abc",
                    "UserGroup": "night-shift",
                    "ClientId": "client",
                }
            },
        ],
    )

    assert error["Code"] == "ValidationException"
    assert "must not mix Cognito and OIDC" in error["Message"]
    assert unchanged(team_name) == before
    assert not Group.objects.filter(name__in=["auditors", "night-shift"]).exists()


@pytest.mark.parametrize(
    ("shapes", "member"),
    [
        (
            {"NotificationConfiguration": {"NotificationTopicArn": "arn:aws:sqs:x"}},
            "notificationConfiguration.notificationTopicArn",
        ),
        (
            {
                "WorkerAccessConfiguration": {
                    "S3Presign": {"IamPolicyConstraints": {"SourceIp": "On"}}
                }
            },
            "workerAccessConfiguration.s3Presign.iamPolicyConstraints.sourceIp",
        ),
    ],
    ids=["topic-arn", "source-ip"],
)
def test_settings_of_the_wrong_shape_are_refused_naming_the_member(
    sagemaker, team_name, shapes, member
):
    before = unchanged(team_name)

    error = error_of(sagemaker.update_workteam, WorkteamName=team_name, Description="New", **shapes)

    assert error["Code"] == "ValidationException"
    assert f"'{member}'" in error["Message"]
    assert unchanged(team_name) == before


def test_create_checks_the_same_settings(sagemaker):
    error = error_of(
        sagemaker.create_workteam,
        WorkteamName="Reviewers",
        MemberDefinitions=oidc("labelers"),
        Description="People who review",
        NotificationConfiguration={"NotificationTopicArn": "not-an-arn"},
    )

    assert error["Code"] == "ValidationException"
    assert "'notificationConfiguration.notificationTopicArn'" in error["Message"]
    assert not WorkTeam.objects.exists()


# DeleteWorkteam


def test_an_unused_team_is_deleted_and_no_longer_described(sagemaker, team_name):
    response = sagemaker.delete_workteam(WorkteamName=team_name)

    assert response["Success"] is True
    assert not WorkTeam.objects.filter(name=team_name).exists()
    assert error_of(sagemaker.describe_workteam, WorkteamName=team_name)["Message"].startswith(
        "The work team Reviewers"
    )


def test_a_team_a_flow_definition_uses_is_resource_in_use_and_stays(sagemaker, flow_arn):
    error = error_of(sagemaker.delete_workteam, WorkteamName="reviewers")

    assert error["Code"] == "ResourceInUse"
    assert "classify" in error["Message"]
    assert WorkTeam.objects.filter(name="reviewers").exists()


def test_deleting_a_missing_team_is_a_validation_exception(sagemaker):
    error = error_of(sagemaker.delete_workteam, WorkteamName="ghost")

    assert error["Code"] == "ValidationException"
    assert error["Message"] == "The work team ghost does not exist."
