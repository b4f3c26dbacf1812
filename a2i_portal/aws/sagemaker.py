"""The SageMaker control plane (JSON 1.1, `POST /` with `X-Amz-Target: SageMaker.<Op>`) under
/sagemaker/: routing to the flow definition, human task UI and work team targets of §3."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from a2i_portal.aws import flow_definitions, tags, task_uis, workteams
from a2i_portal.aws.protocol import SAGEMAKER, Handler, serve, unknown_operation

TARGET_PREFIX = "SageMaker."


TARGETS: dict[str, Handler] = {
    "CreateFlowDefinition": flow_definitions.create_flow_definition_target,
    "DescribeFlowDefinition": flow_definitions.describe_flow_definition,
    "ListFlowDefinitions": flow_definitions.list_flow_definitions,
    "DeleteFlowDefinition": flow_definitions.delete_flow_definition_target,
    "CreateHumanTaskUi": task_uis.create_human_task_ui_target,
    "DescribeHumanTaskUi": task_uis.describe_human_task_ui,
    "ListHumanTaskUis": task_uis.list_human_task_uis,
    "DeleteHumanTaskUi": task_uis.delete_human_task_ui_target,
    "RenderUiTemplate": task_uis.render_ui_template,
    "CreateWorkteam": workteams.create_workteam,
    "DescribeWorkteam": workteams.describe_workteam,
    "ListWorkteams": workteams.list_workteams,
    "UpdateWorkteam": workteams.update_workteam,
    "DeleteWorkteam": workteams.delete_workteam,
    "AddTags": tags.add_tags_target,
    "ListTags": tags.list_tags_target,
    "DeleteTags": tags.delete_tags_target,
}


def route(request: HttpRequest) -> tuple[str, Handler]:
    target = request.headers.get("X-Amz-Target", "")
    operation = target.removeprefix(TARGET_PREFIX)
    if request.method != "POST" or not target.startswith(TARGET_PREFIX) or operation not in TARGETS:
        raise unknown_operation(f"Unknown operation {target or '(no X-Amz-Target)'}")
    return operation, TARGETS[operation]


@csrf_exempt
def control_plane(request: HttpRequest) -> HttpResponse:
    return serve(request, SAGEMAKER, route)
