"""Human task UI (worker template) services."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from a2i_portal import clock
from workflows.models import HumanTaskUi
from workflows.services.saving import insert_named
from workflows.services.tags import add_tags


@transaction.atomic
def create_human_task_ui(
    *, name: str, content: str, tags: Mapping[str, str] | None = None
) -> HumanTaskUi:
    """Create a worker task template. Raises Invalid (name, size, tags) or Conflict (name
    taken); a refused template writes nothing."""
    task_ui = HumanTaskUi(name=name, content=content, created_at=clock.now())
    insert_named(task_ui, kind="human task UI")
    if tags:
        add_tags(resource=task_ui, tags=tags)
    return task_ui
