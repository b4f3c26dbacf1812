"""SageMaker human task UI targets, and the template download behind their Url (§3.5)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from a2i_portal import arns
from a2i_portal.aws.errors import validation
from a2i_portal.aws.paging import time_page, with_token
from a2i_portal.aws.protocol import json_body
from a2i_portal.aws.shapes import (
    HUMAN_TASK_UI_ARN,
    LOWERCASE_NAME,
    ROLE_ARN,
    Checks,
    epoch,
    read_name,
)
from a2i_portal.aws.tags import read_tags
from a2i_portal.errors import NotFound
from workflows import limits
from workflows.models import HumanTaskUi
from workflows.services.deletion import delete_human_task_ui
from workflows.services.task_uis import create_human_task_ui
from workflows.templating.crowd import preview_for_browser
from workflows.templating.engine import preview
from workflows.templating.read_access import ReadAccess

TEMPLATE_SALT = "aws.human-task-ui-template"
TEMPLATE_URL_LIFETIME = 3600  # seconds, like a pre-signed S3 URL


def create_human_task_ui_target(request: HttpRequest) -> dict[str, Any]:
    body = json_body(request)
    checks = Checks()
    name = checks.string(
        body.get("HumanTaskUiName"), "humanTaskUiName", required=True, **LOWERCASE_NAME
    )
    content = template_content(body, checks, required=True)
    tags = read_tags(body.get("Tags"), checks)
    checks.done()
    return {"HumanTaskUiArn": create_human_task_ui(name=name, content=content, tags=tags).arn}


def describe_human_task_ui(request: HttpRequest) -> dict[str, Any]:
    name = read_name(json_body(request), "HumanTaskUiName", LOWERCASE_NAME)
    task_ui = HumanTaskUi.objects.filter(name=name).first()
    if task_ui is None:
        raise NotFound("human_task_ui", f"Could not find human task UI {name}")
    return {
        "HumanTaskUiArn": task_ui.arn,
        "HumanTaskUiName": task_ui.name,
        "HumanTaskUiStatus": "Active",
        "CreationTime": epoch(task_ui.created_at),
        "UiTemplate": {
            "Url": template_url(request, task_ui),
            "ContentSha256": task_ui.content_sha256,
        },
    }


def template_url(request: HttpRequest, task_ui: HumanTaskUi) -> str:
    """A download URL of the template that works for an hour, like a pre-signed S3 URL."""
    path = reverse("aws:human-task-ui-template", kwargs={"name": task_ui.name})
    signature = signing.dumps(task_ui.name, salt=TEMPLATE_SALT)
    return request.build_absolute_uri(f"{path}?sig={signature}")


@require_GET
def human_task_ui_template(request: HttpRequest, name: str) -> HttpResponse:
    """The template content behind DescribeHumanTaskUi's Url; the signature is the credential."""
    try:
        signed_name = signing.loads(
            request.GET.get("sig", ""), salt=TEMPLATE_SALT, max_age=TEMPLATE_URL_LIFETIME
        )
    except signing.BadSignature:
        signed_name = None
    task_ui = HumanTaskUi.objects.filter(name=name).first() if signed_name == name else None
    if task_ui is None:
        return HttpResponse("Access denied or expired", status=403, content_type="text/plain")
    response = HttpResponse(task_ui.content, content_type="text/html; charset=utf-8")
    # The template is someone's HTML: opened in a browser it must not run as the portal's origin.
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def list_human_task_uis(request: HttpRequest) -> dict[str, Any]:
    task_uis, token = time_page(request, HumanTaskUi.objects.all(), "ListHumanTaskUis")
    listed: dict[str, Any] = {
        "HumanTaskUiSummaries": [
            {
                "HumanTaskUiName": task_ui.name,
                "HumanTaskUiArn": task_ui.arn,
                "CreationTime": epoch(task_ui.created_at),
            }
            for task_ui in task_uis
        ]
    }
    return with_token(listed, token)


def delete_human_task_ui_target(request: HttpRequest) -> dict[str, Any]:
    name = read_name(json_body(request), "HumanTaskUiName", LOWERCASE_NAME)
    task_ui = HumanTaskUi.objects.filter(name=name).first()
    if task_ui is None:
        raise NotFound("human_task_ui", f"Could not find human task UI {name}")
    delete_human_task_ui(task_ui=task_ui)
    return {}


def render_ui_template(request: HttpRequest) -> dict[str, Any]:
    """RenderUiTemplate (§3.6): template problems come back in Errors, not as an HTTP error."""
    body = json_body(request)
    checks = Checks()
    content = template_content(body, checks, required=False)
    task_ui_arn = checks.string(body.get("HumanTaskUiArn"), "humanTaskUiArn", **HUMAN_TASK_UI_ARN)
    task = checks.structure(body.get("Task"), "task", required=True)
    task_input = checks.string(
        task.get("Input"),
        "task.input",
        required="Task" in body,
        min_length=2,
        max_length=limits.UI_TEMPLATE_MAX_LENGTH,
    )
    checks.string(body.get("RoleArn"), "roleArn", required=True, **ROLE_ARN)
    checks.done()
    if ("UiTemplate" in body) == ("HumanTaskUiArn" in body):
        raise validation("Provide either UiTemplate or HumanTaskUiArn, not both and not neither.")
    if content is None:
        content = stored_template(task_ui_arn).content
    access = ReadAccess(
        seconds=settings.A2I_READ_ACCESS_SECONDS, site_url=request.build_absolute_uri("/")
    )
    rendering = preview_for_browser(
        preview(content, task_input_json=task_input, access=access), access.site_url
    )
    return {
        "RenderedContent": rendering.html,
        "Errors": [
            {"Code": problem.code, "Message": str(problem)} for problem in rendering.problems
        ],
    }


def stored_template(arn: str) -> HumanTaskUi:
    name = arns.name_from_arn(arn, "human-task-ui")
    task_ui = HumanTaskUi.objects.filter(name=name).first() if name else None
    if task_ui is None:
        raise NotFound("human_task_ui_arn", f"Could not find human task UI {arn}")
    return task_ui


def template_content(body: dict[str, Any], checks: Checks, *, required: bool) -> str | None:
    """UiTemplate.Content: 1-128,000 characters."""
    template = checks.structure(body.get("UiTemplate"), "uiTemplate", required=required)
    return checks.string(
        template.get("Content"),
        "uiTemplate.content",
        required="UiTemplate" in body,
        min_length=1,
        max_length=limits.UI_TEMPLATE_MAX_LENGTH,
    )
