"""Tags of work teams, human task UIs and flow definitions (reference §3.9): add, delete, list."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from a2i_portal.errors import Invalid, NotFound
from workflows import limits
from workflows.models import FlowDefinition, HumanTaskUi, ResourceTag, WorkTeam

Taggable = WorkTeam | HumanTaskUi | FlowDefinition

# The ResourceTag link that holds each kind of resource, and how messages name the kind.
LINKS: dict[type[Taggable], tuple[str, str]] = {
    WorkTeam: ("work_team", "work team"),
    HumanTaskUi: ("task_ui", "human task UI"),
    FlowDefinition: ("flow_definition", "flow definition"),
}


@transaction.atomic
def add_tags(*, resource: Taggable, tags: Mapping[str, str]) -> list[ResourceTag]:
    """Tag a resource; a key it already has gets the new value. Returns the given tags as stored.
    Raises Invalid (a key or value breaks a rule, or the resource would pass 50 tags) or NotFound
    (the resource is gone); a refusal writes no tag."""
    check_tags(tags)
    # The row lock serializes taggers of one resource, so two of them cannot pass 50 together,
    # and waits for a deletion in progress (the deletion services lock the same row).
    resource = locked(resource)
    link, kind = LINKS[type(resource)]
    current = {tag.key: tag for tag in ResourceTag.objects.filter(**{link: resource})}
    count = len(current.keys() | tags.keys())
    if count > limits.TAGS_MAX:
        raise Invalid(
            "tags",
            f"must have at most {limits.TAGS_MAX} tags per resource; the {kind} "
            f"{resource.name!r} has {len(current)} and these would make {count}",
        )
    changed = [tag for key, tag in current.items() if key in tags and tag.value != tags[key]]
    for tag in changed:
        tag.value = tags[tag.key]
    ResourceTag.objects.bulk_update(changed, ["value"])
    ResourceTag.objects.bulk_create(
        ResourceTag(**{link: resource}, key=key, value=value)
        for key, value in tags.items()
        if key not in current
    )
    return list(ResourceTag.objects.filter(**{link: resource}, key__in=list(tags)))


@transaction.atomic
def delete_tags(*, resource: Taggable, keys: Iterable[str]) -> int:
    """Remove the tags with these keys from a resource; keys it does not have are ignored.
    Returns how many were removed. Raises NotFound (the resource is gone)."""
    resource = locked(resource)
    link, _ = LINKS[type(resource)]
    deleted, _ = ResourceTag.objects.filter(**{link: resource}, key__in=list(keys)).delete()
    return deleted


def list_tags(*, resource: Taggable) -> QuerySet[ResourceTag]:
    """A resource's tags, by key."""
    link, _ = LINKS[type(resource)]
    return ResourceTag.objects.filter(**{link: resource}).order_by("key")


def check_tags(tags: Mapping[str, str]) -> None:
    """Raise Invalid naming the first key or value that breaks a rule of the reference."""
    if len(tags) > limits.TAGS_MAX:
        raise Invalid(
            "tags", f"must have at most {limits.TAGS_MAX} tags per resource, not {len(tags)}"
        )
    for key, value in tags.items():
        try:
            limits.tag_key(key)
            limits.tag_value(value)
        except ValidationError as exc:
            raise Invalid("tags", exc.messages[0]) from exc


def locked(resource: Taggable) -> Taggable:
    """The resource's row, locked until the transaction ends (FOR NO KEY UPDATE: loops may
    still start on a flow definition meanwhile). Raises NotFound once deleted."""
    _, kind = LINKS[type(resource)]
    found = type(resource).objects.select_for_update(no_key=True).filter(pk=resource.pk).first()
    if found is None:
        raise NotFound("resource", f"the {kind} {resource.name!r} no longer exists")
    return found
