"""Human task UI (worker template) services."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction

from a2i_portal import clock
from a2i_portal.errors import Invalid, NotFound
from a2i_portal.validation import full_clean_or_invalid
from workflows import samples
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


@transaction.atomic
def change_human_task_ui(*, task_ui: HumanTaskUi, content: str) -> HumanTaskUi:
    """Replace a worker template's content; loops show the new revision from their next
    rendering on. Raises Invalid (size, a template that does not parse) or NotFound (deleted
    meanwhile); a refused change writes nothing."""
    locked = HumanTaskUi.objects.select_for_update().filter(pk=task_ui.pk).first()
    if locked is None:
        raise NotFound("name", f"the human task UI {task_ui.name!r} no longer exists")
    locked.content = content
    full_clean_or_invalid(locked, exclude=("name",))
    locked.save(update_fields=["content"])
    return locked


@transaction.atomic
def create_human_task_ui_from_sample(
    *, name: str, sample: str, tags: Mapping[str, str] | None = None
) -> HumanTaskUi:
    """Create a worker template from a gallery sample and make the images and recordings its
    sample input shows readable by `grant_read_access`. Raises Invalid (unknown sample, name,
    tags) or Conflict (name taken); a refused template writes nothing."""
    chosen = samples.sample_named(sample)
    if chosen is None:
        raise Invalid(
            "sample",
            f"there is no gallery sample {sample!r}; the samples are "
            + ", ".join(s.slug for s in samples.SAMPLES),
        )
    task_ui = create_human_task_ui(name=name, content=chosen.template, tags=tags)
    publish_sample_media(sample=chosen)  # an OSError here rolls the template back
    return task_ui


def publish_sample_media(*, sample: samples.Sample) -> list[str]:
    """Copy a sample's media into the `objects` storage, where `s3://portal-samples/<file>`
    is served from; returns their S3 URIs. Running it again rewrites only what differs."""
    storage = storages["objects"]
    uris = []
    for path in sample.media_paths():
        name = f"{samples.MEDIA_BUCKET}/{path.name}"
        data = path.read_bytes()
        if storage.exists(name):
            with storage.open(name, "rb") as stored:
                if stored.read() == data:
                    uris.append(f"s3://{name}")
                    continue
            storage.delete(name)
        storage.save(name, ContentFile(data))
        uris.append(f"s3://{name}")
    return uris
