"""Human task UI (worker template) services."""

from __future__ import annotations

from django.db import transaction

from a2i_portal import clock
from workflows.models import HumanTaskUi
from workflows.services.saving import insert_named


@transaction.atomic
def create_human_task_ui(*, name: str, content: str) -> HumanTaskUi:
    """Create a worker task template. Raises Invalid (name, size) or Conflict (name taken)."""
    task_ui = HumanTaskUi(name=name, content=content, created_at=clock.now())
    insert_named(task_ui, kind="human task UI")
    return task_ui
