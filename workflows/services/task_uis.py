"""Human task UI (worker template) services."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction

from a2i_portal import clock
from a2i_portal.errors import Conflict, Invalid, NotFound
from a2i_portal.validation import full_clean_or_invalid
from workflows import samples
from workflows.models import HumanTaskUi, RequestSource
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


# The worker template a built-in flow definition gets when it names none, by request source: a
# stable name (a new revision of a default gets a new name, so existing flows keep theirs) and the
# gallery sample it is made from, which reads the task input A2I gives built-in templates (§8.1).
DEFAULT_TASK_UIS: dict[str, tuple[str, str]] = {
    RequestSource.TEXTRACT_FORMS: ("default-textract-forms-v1", "textract-form-review"),
    RequestSource.REKOGNITION_MODERATION: (
        "default-rekognition-moderation-v3",
        "moderation-review",
    ),
}


@transaction.atomic
def default_task_ui(*, request_source: str) -> HumanTaskUi:
    """The default worker template of a built-in request source, created on first use and
    shared by every flow definition that takes it; an operator's edit of it shows in all of
    them from their next rendering. Raises Invalid for a custom request source."""
    if request_source not in DEFAULT_TASK_UIS:
        raise Invalid(
            "request_source",
            f"{request_source!r} has no default task UI; only Textract and Rekognition do",
        )
    name, slug = DEFAULT_TASK_UIS[request_source]
    existing = HumanTaskUi.objects.filter(name=name).first()
    if existing is not None:
        return existing
    try:
        return create_human_task_ui(name=name, content=samples.BY_SLUG[slug].template)
    except Conflict:  # another flow definition created it meanwhile
        return HumanTaskUi.objects.get(name=name)


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
