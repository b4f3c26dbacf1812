"""RenderUiTemplate, CreateHumanTaskUi's parse check and DeleteHumanTaskUi through boto3."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from tests.aws.conftest import ROLE_ARN
from workflows.models import HumanTaskUi

pytestmark = pytest.mark.django_db(transaction=True)


def test_render_ui_template_renders_inline_content_with_the_task_input(sagemaker):
    rendered = sagemaker.render_ui_template(
        UiTemplate={"Content": "<p>{{ task.input.text }}</p>"},
        Task={"Input": json.dumps({"text": "Tom & Jerry"})},
        RoleArn=ROLE_ARN,
    )

    assert rendered["RenderedContent"] == "<p>Tom &amp; Jerry</p>"
    assert rendered["Errors"] == []


def test_render_ui_template_renders_a_stored_template_by_arn(sagemaker, flow_arn):
    ui_arn = sagemaker.describe_human_task_ui(HumanTaskUiName="classify-ui")["HumanTaskUiArn"]

    rendered = sagemaker.render_ui_template(
        HumanTaskUiArn=ui_arn, Task={"Input": json.dumps({"text": "<b>hi</b>"})}, RoleArn=ROLE_ARN
    )

    assert 'header="&lt;b&gt;hi&lt;/b&gt;"' in rendered["RenderedContent"]
    assert rendered["Errors"] == []


def test_render_ui_template_signs_s3_references_for_the_portal(sagemaker, live_server):
    rendered = sagemaker.render_ui_template(
        UiTemplate={"Content": "{{ task.input.image | grant_read_access }}"},
        Task={"Input": json.dumps({"image": "s3://bucket/cat.png"})},
        RoleArn=ROLE_ARN,
    )

    assert rendered["RenderedContent"].startswith(f"{live_server.url}/objects/bucket/cat.png?")


@pytest.mark.parametrize(
    ("content", "task_input", "code"),
    [
        ("<p>{% if x %}</p>", "{}", "LiquidSyntaxError"),
        ("<p>{{ task.input | nope }}</p>", "{}", "UndefinedFilter"),
        ("<p>{{ task.input.n | divided_by: 0 }}</p>", '{"n": 1}', "RenderError"),
        ("<p>{{ task.input }}</p>", "{not json}", "InvalidTaskInput"),
    ],
)
def test_render_ui_template_reports_problems_in_errors_not_as_a_failure(
    sagemaker, content, task_input, code
):
    rendered = sagemaker.render_ui_template(
        UiTemplate={"Content": content}, Task={"Input": task_input}, RoleArn=ROLE_ARN
    )

    assert rendered["RenderedContent"] == ""
    assert [error["Code"] for error in rendered["Errors"]] == [code]
    assert rendered["Errors"][0]["Message"]


def test_render_ui_template_with_an_unknown_arn_is_resource_not_found(sagemaker):
    with pytest.raises(ClientError) as refused:
        sagemaker.render_ui_template(
            HumanTaskUiArn="arn:aws:sagemaker:us-east-1:111122223333:human-task-ui/nope",
            Task={"Input": "{}"},
            RoleArn=ROLE_ARN,
        )

    assert refused.value.response["Error"]["Code"] == "ResourceNotFound"


def test_render_ui_template_needs_exactly_one_template_source(sagemaker, flow_arn):
    ui_arn = sagemaker.describe_human_task_ui(HumanTaskUiName="classify-ui")["HumanTaskUiArn"]
    for sources in ({}, {"UiTemplate": {"Content": "x"}, "HumanTaskUiArn": ui_arn}):
        with pytest.raises(ClientError) as refused:
            sagemaker.render_ui_template(Task={"Input": "{}"}, RoleArn=ROLE_ARN, **sources)

        assert refused.value.response["Error"]["Code"] == "ValidationException"
        assert "either UiTemplate or HumanTaskUiArn" in refused.value.response["Error"]["Message"]


def test_render_ui_template_checks_the_role_arn_pattern(sagemaker):
    with pytest.raises(ClientError) as refused:
        sagemaker.render_ui_template(
            UiTemplate={"Content": "x"},
            Task={"Input": "{}"},
            RoleArn="arn:aws:iam::1:user/not-a-role",
        )

    assert refused.value.response["Error"]["Code"] == "ValidationException"
    assert "'roleArn'" in refused.value.response["Error"]["Message"]


def test_a_template_that_does_not_parse_is_not_created(sagemaker):
    with pytest.raises(ClientError) as refused:
        sagemaker.create_human_task_ui(
            HumanTaskUiName="broken", UiTemplate={"Content": "<p>\n{{ task.input.x }\n"}
        )

    error = refused.value.response["Error"]
    assert error["Code"] == "ValidationException"
    assert "'uiTemplate.content'" in error["Message"]
    assert "line 2" in error["Message"]
    assert not HumanTaskUi.objects.exists()


def test_delete_human_task_ui_removes_an_unused_template(sagemaker):
    sagemaker.create_human_task_ui(HumanTaskUiName="unused", UiTemplate={"Content": "<p>x</p>"})

    assert sagemaker.delete_human_task_ui(HumanTaskUiName="unused")["ResponseMetadata"]
    with pytest.raises(ClientError) as gone:
        sagemaker.describe_human_task_ui(HumanTaskUiName="unused")
    assert gone.value.response["Error"]["Code"] == "ResourceNotFound"


def test_delete_human_task_ui_of_a_missing_template_is_resource_not_found(sagemaker):
    with pytest.raises(ClientError) as refused:
        sagemaker.delete_human_task_ui(HumanTaskUiName="never-made")

    assert refused.value.response["Error"]["Code"] == "ResourceNotFound"


def test_delete_human_task_ui_in_use_by_a_flow_definition_is_resource_in_use(sagemaker, flow_arn):
    with pytest.raises(ClientError) as refused:
        sagemaker.delete_human_task_ui(HumanTaskUiName="classify-ui")

    assert refused.value.response["Error"]["Code"] == "ResourceInUse"
    assert "classify" in refused.value.response["Error"]["Message"]
    assert HumanTaskUi.objects.filter(name="classify-ui").exists()
