"""The database itself keeps tags whole: one resource each, unique keys, the reference's sizes."""

import pytest
from django.db import DataError, IntegrityError, transaction

from tests.assertions import refused_by_the_database
from tests.factories import (
    FlowDefinitionFactory,
    HumanTaskUiFactory,
    ResourceTagFactory,
    WorkTeamFactory,
)
from workflows.models import ResourceTag

pytestmark = pytest.mark.django_db


def test_a_tag_of_no_resource_is_refused():
    refused_by_the_database(ResourceTagFactory(), work_team=None)


def test_a_tag_of_two_resources_is_refused():
    refused_by_the_database(ResourceTagFactory(), task_ui=HumanTaskUiFactory())


@pytest.mark.parametrize(
    "link",
    [
        ("work_team", WorkTeamFactory),
        ("task_ui", HumanTaskUiFactory),
        ("flow_definition", FlowDefinitionFactory),
    ],
    ids=lambda link: link[0],
)
def test_one_resource_cannot_have_one_key_twice(link):
    field, factory = link
    links = {"work_team": None, field: factory()}
    ResourceTagFactory(**links, key="env")

    with pytest.raises(IntegrityError), transaction.atomic():
        ResourceTagFactory(**links, key="env")

    assert ResourceTag.objects.count() == 1


def test_two_resources_may_each_have_a_key():
    ResourceTagFactory(key="env")
    ResourceTagFactory(key="env")

    assert ResourceTag.objects.filter(key="env").count() == 2


@pytest.mark.parametrize("key", ["", "aws:owner", "Aws:owner"])
def test_an_empty_or_reserved_key_is_refused(key):
    refused_by_the_database(ResourceTagFactory(), key=key)


@pytest.mark.parametrize(("field", "length"), [("key", 129), ("value", 257)])
def test_a_key_or_value_over_its_length_is_refused(field, length):
    tag = ResourceTagFactory()
    row = ResourceTag.objects.filter(pk=tag.pk)

    # PostgreSQL's varchar refuses it (DataError) before the check constraint (SQLite) does.
    with pytest.raises((DataError, IntegrityError)), transaction.atomic():
        row.update(**{field: "x" * length})

    assert row.values_list(field, flat=True).get() == getattr(tag, field)
