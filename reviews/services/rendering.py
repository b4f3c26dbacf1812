"""Recording what went wrong when a task's template was rendered."""

from __future__ import annotations

import logging

from a2i_portal import clock
from reviews.models import RenderFailure, TaskSlot

logger = logging.getLogger(__name__)


def record_render_failure(*, slot: TaskSlot, problem: str) -> RenderFailure:
    """Note that the slot's template failed to render for its reviewer: the operator console
    lists these, and the log says it too."""
    loop = slot.loop
    task_ui = loop.flow_definition.task_ui
    logger.warning("template %s failed for loop %s: %s", task_ui.name, loop.name, problem)
    return RenderFailure.objects.create(
        slot=slot,
        loop=loop,
        task_ui=task_ui,
        reviewer_id=slot.reviewer_id,
        problem=problem,
        at=clock.now(),
    )
