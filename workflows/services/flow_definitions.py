"""Flow definition services."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import connection, transaction
from django.db.models import ProtectedError

from a2i_portal import clock
from a2i_portal.celery import app as celery_app
from a2i_portal.errors import Conflict, NotFound
from workflows import limits
from workflows.models import FlowDefinition, HumanTaskUi, WorkTeam
from workflows.services.saving import insert_named
from workflows.services.tags import add_tags
from workflows.services.task_uis import DEFAULT_TASK_UIS, default_task_ui

# The reviews app's sweep that retires a Deleting flow definition's loops and then removes it.
RETIREMENT_TASK = "reviews.tasks.retire_deleting_flow_definitions"


@transaction.atomic
def create_flow_definition(
    *,
    name: str,
    work_team: WorkTeam,
    task_ui: HumanTaskUi | None = None,
    task_title: str,
    task_description: str,
    output_path: str,
    task_count: int = 1,
    task_availability_lifetime: int = limits.TASK_AVAILABILITY_DEFAULT,
    task_time_limit: int = limits.TASK_TIME_LIMIT_DEFAULT,
    task_keywords: list[str] | None = None,
    request_source: str = FlowDefinition.RequestSource.CUSTOM,
    activation_conditions: dict[str, Any] | None = None,
    routing_conditions: dict[str, Any] | None = None,
    role_arn: str = "",
    kms_key_id: str = "",
    tags: Mapping[str, str] | None = None,
) -> FlowDefinition:
    """Create an Active flow definition. Raises Invalid (any rule of the reference) or Conflict
    (name taken); a refused flow definition writes nothing.

    A Textract or Rekognition flow definition without a task UI gets its request source's default
    one (default_task_ui); a custom one must name its own. Routing conditions are for custom
    flow definitions only (the portal's addition; activate_loop evaluates them)."""
    if task_ui is None and request_source in DEFAULT_TASK_UIS:
        task_ui = default_task_ui(request_source=request_source)
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
        routing_conditions=routing_conditions,
        role_arn=role_arn,
        kms_key_id=kms_key_id,
        status=FlowDefinition.Status.ACTIVE,
        created_at=clock.now(),
    )
    # Without a task UI, the field's own "cannot be null" would hide the model's rule that says
    # which flow definitions may leave it out.
    insert_named(flow, kind="flow definition", exclude=("task_ui",) if task_ui is None else ())
    if tags:
        add_tags(resource=flow, tags=tags)
    return flow


def flow_definition_for_new_loop(*, name: str) -> FlowDefinition | None:
    """The flow definition named `name`, for a service about to start a loop on it (None when
    there is none). Call it inside that service's transaction.

    On PostgreSQL the row is read FOR KEY SHARE, the lock the loop's foreign key takes at commit
    anyway: starts never wait for each other, but delete_flow_definition (FOR UPDATE) waits for
    every start that read the row as Active, and a start that waited for it reads Deleting. So
    every loop of a flow definition is committed before it turns Deleting, and none comes after.
    SQLite's IMMEDIATE transactions serialise the two instead.
    """
    if connection.vendor != "postgresql":
        return FlowDefinition.objects.filter(name=name).first()
    held = FlowDefinition.objects.raw(
        f"SELECT * FROM {FlowDefinition._meta.db_table} WHERE name = %s FOR KEY SHARE", [name]
    )
    return next(iter(held), None)


@transaction.atomic
def delete_flow_definition(*, flow: FlowDefinition) -> FlowDefinition:
    """Active -> Deleting (DeleteFlowDefinition): no loop starts on it any more. The reviews
    app's retirement sweep then stops and deletes its loops no reviewer has started, deletes its
    ended ones, waits for those being worked on, and removes the flow definition once none is
    left; the sweep is asked for right after the commit. Raises NotFound (removed meanwhile) and
    Conflict (not Active: a second deletion included)."""
    # FOR UPDATE, not NO KEY UPDATE: it must wait for the FOR KEY SHARE of the starts in flight
    # (flow_definition_for_new_loop).
    locked = FlowDefinition.objects.select_for_update().filter(pk=flow.pk).first()
    if locked is None:
        raise NotFound("flow_definition", f"flow definition {flow.name!r} does not exist")
    if locked.status != FlowDefinition.Status.ACTIVE:
        raise Conflict(
            "status",
            f"flow definition {locked.name!r} is {locked.status}; only an Active flow "
            "definition can be deleted",
        )
    locked.status = FlowDefinition.Status.DELETING
    locked.save(update_fields=["status"])
    # robust: the deletion is committed whatever happens to the request; the periodic sweep
    # catches up when the broker cannot take the message.
    transaction.on_commit(request_retirement, robust=True)
    return locked


def request_retirement() -> None:
    """Ask for the retirement sweep now rather than at its next beat.

    By task name: workflows never imports reviews. send_task() ignores CELERY_TASK_ALWAYS_EAGER,
    and in that in-process mode no worker reads the broker, so the sweep runs here instead, the
    way .delay() would run it.
    """
    if celery_app.conf.task_always_eager:
        celery_app.loader.import_default_modules()  # registers the apps' tasks, as a worker does
        celery_app.tasks[RETIREMENT_TASK].apply()
    else:
        celery_app.send_task(RETIREMENT_TASK)


@transaction.atomic
def remove_deleted_flow_definition(*, flow: FlowDefinition) -> None:
    """Deleting -> gone, the last step of a deletion: the reviews app's retirement sweep calls it
    once no human loop uses the flow definition. Its name is free again. Raises NotFound (already
    removed) and Conflict (not Deleting, or human loops left)."""
    locked = FlowDefinition.objects.select_for_update().filter(pk=flow.pk).first()
    if locked is None:
        raise NotFound("flow_definition", f"flow definition {flow.name!r} does not exist")
    if locked.status != FlowDefinition.Status.DELETING:
        raise Conflict(
            "status",
            f"flow definition {locked.name!r} is {locked.status}; only a Deleting flow "
            "definition is removed (delete it first)",
        )
    try:
        locked.delete()
    except ProtectedError as exc:  # its loops hold it by a protecting foreign key
        raise Conflict(
            "human_loops",
            f"flow definition {locked.name!r} still has human loops; they are retired first",
        ) from exc
