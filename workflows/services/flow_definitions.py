"""Flow definition services."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from a2i_portal import clock
from workflows import limits
from workflows.models import FlowDefinition, HumanTaskUi, WorkTeam
from workflows.services.saving import insert_named


@transaction.atomic
def create_flow_definition(
    *,
    name: str,
    work_team: WorkTeam,
    task_ui: HumanTaskUi,
    task_title: str,
    task_description: str,
    output_path: str,
    task_count: int = 1,
    task_availability_lifetime: int = limits.TASK_AVAILABILITY_DEFAULT,
    task_time_limit: int = limits.TASK_TIME_LIMIT_DEFAULT,
    task_keywords: list[str] | None = None,
    request_source: str = FlowDefinition.RequestSource.CUSTOM,
    activation_conditions: dict[str, Any] | None = None,
    role_arn: str = "",
    kms_key_id: str = "",
) -> FlowDefinition:
    """Create an Active flow definition. Raises Invalid (any rule of the reference) or Conflict
    (name taken)."""
    flow = FlowDefinition(
        name=name,
        work_team=work_team,
        task_ui=task_ui,
        task_title=task_title,
        task_description=task_description,
        output_path=output_path,
        task_count=task_count,
        task_availability_lifetime=task_availability_lifetime,
        task_time_limit=task_time_limit,
        task_keywords=task_keywords or [],
        request_source=request_source,
        activation_conditions=activation_conditions,
        role_arn=role_arn,
        kms_key_id=kms_key_id,
        status=FlowDefinition.Status.ACTIVE,
        created_at=clock.now(),
    )
    insert_named(flow, kind="flow definition")
    return flow
