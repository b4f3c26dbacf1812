"""Real boto3 clients against the live server, signed with a portal access key."""

from __future__ import annotations

import boto3
import pytest
from botocore.config import Config

from a2i_portal.access.services import create_access_key
from tests.factories import SIMPLE_TEMPLATE, UserFactory

ROLE_ARN = "arn:aws:iam::111122223333:role/A2IExecutionRole"
NO_RETRIES = Config(retries={"max_attempts": 1})


def close_after_response(request, **kwargs) -> None:  # noqa: ANN001
    """A keep-alive connection holds a live-server request thread open waiting for the next
    request; one still waiting at interpreter exit dies with a traceback after the summary.
    Added after signing, so the signature does not cover it."""
    request.headers["Connection"] = "close"


@pytest.fixture
def credentials(transactional_db):  # noqa: ANN001
    key, secret = create_access_key(user=UserFactory(username="client"))
    return key, secret


def client(service: str, url: str, key_id: str, secret: str):  # noqa: ANN201
    made = boto3.client(
        service,
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
        config=NO_RETRIES,
    )
    made.meta.events.register("before-send", close_after_response)
    return made


@pytest.fixture
def runtime(live_server, credentials):  # noqa: ANN001, ANN201
    key, secret = credentials
    return client("sagemaker-a2i-runtime", live_server.url + "/a2i-runtime", key.key_id, secret)


@pytest.fixture
def sagemaker(live_server, credentials):  # noqa: ANN001, ANN201
    key, secret = credentials
    return client("sagemaker", live_server.url + "/sagemaker", key.key_id, secret)


@pytest.fixture
def flow_arn(sagemaker) -> str:  # noqa: ANN001
    """A custom flow definition made through boto3: team (OIDC group "reviewers"), task UI,
    flow definition with one answer per loop."""
    team_arn = sagemaker.create_workteam(
        WorkteamName="reviewers",
        MemberDefinitions=[{"OidcMemberDefinition": {"Groups": ["reviewers"]}}],
        Description="People who review",
    )["WorkteamArn"]
    ui_arn = sagemaker.create_human_task_ui(
        HumanTaskUiName="classify-ui", UiTemplate={"Content": SIMPLE_TEMPLATE}
    )["HumanTaskUiArn"]
    return sagemaker.create_flow_definition(
        FlowDefinitionName="classify",
        HumanLoopConfig={
            "WorkteamArn": team_arn,
            "HumanTaskUiArn": ui_arn,
            "TaskTitle": "Classify the text",
            "TaskDescription": "Pick the category that fits",
            "TaskCount": 1,
        },
        OutputConfig={"S3OutputPath": "s3://test-bucket/outputs"},
        RoleArn=ROLE_ARN,
    )["FlowDefinitionArn"]
