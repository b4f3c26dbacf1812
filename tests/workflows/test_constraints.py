"""The database itself refuses what must never be true, whoever bypasses the services."""

import pytest
from django.db import DataError, IntegrityError, transaction

from tests.assertions import refused_by_the_database
from tests.factories import FlowDefinitionFactory, HumanTaskUiFactory, WorkTeamFactory
from workflows.models import FlowDefinition, WorkTeam

pytestmark = pytest.mark.django_db

TEXTRACT = FlowDefinition.RequestSource.TEXTRACT_FORMS


# Names


@pytest.mark.parametrize("name", ["Claims-Review", "claims_review", "-claims", "claims-", ""])
def test_a_flow_definition_name_outside_the_pattern_is_refused(name):
    refused_by_the_database(FlowDefinitionFactory(), name=name)


@pytest.mark.parametrize("name", ["Claims-UI", "claims_ui", "-claims", ""])
def test_a_human_task_ui_name_outside_the_pattern_is_refused(name):
    refused_by_the_database(HumanTaskUiFactory(), name=name)


@pytest.mark.parametrize("name", ["reviewers_1", "-reviewers", "review ers", ""])
def test_a_work_team_name_outside_the_pattern_is_refused(name):
    refused_by_the_database(WorkTeamFactory(), name=name)


def test_a_work_team_name_may_have_uppercase():
    team = WorkTeamFactory(name="Claims-Reviewers")

    assert WorkTeam.objects.get(pk=team.pk).name == "Claims-Reviewers"


@pytest.mark.parametrize(
    "factory",
    [FlowDefinitionFactory, HumanTaskUiFactory, WorkTeamFactory],
    ids=lambda f: f.__name__,
)
def test_a_name_of_64_characters_is_refused(factory):
    # PostgreSQL's varchar(63) refuses it (DataError) before the check constraint (SQLite) does.
    with pytest.raises((DataError, IntegrityError)), transaction.atomic():
        factory(name="a" * 64)

    assert not factory._meta.model.objects.filter(name="a" * 64).exists()


@pytest.mark.parametrize(
    "factory",
    [FlowDefinitionFactory, HumanTaskUiFactory, WorkTeamFactory],
    ids=lambda f: f.__name__,
)
def test_two_objects_with_one_name_are_refused(factory):
    factory(name="taken")

    with pytest.raises(IntegrityError), transaction.atomic():
        factory(name="taken")

    assert factory._meta.model.objects.filter(name="taken").count() == 1


# Flow definition settings


@pytest.mark.parametrize("task_count", [0, 4])
def test_a_task_count_outside_1_to_3_is_refused(task_count):
    refused_by_the_database(FlowDefinitionFactory(), task_count=task_count)


def test_a_task_count_of_4_is_refused_on_insert():
    with pytest.raises(IntegrityError), transaction.atomic():
        FlowDefinitionFactory(task_count=4)

    assert not FlowDefinition.objects.exists()


@pytest.mark.parametrize("seconds", [0, 864_001])
def test_an_availability_lifetime_out_of_range_is_refused(seconds):
    refused_by_the_database(FlowDefinitionFactory(), task_availability_lifetime=seconds)


@pytest.mark.parametrize("seconds", [29, 28_801])
def test_a_time_limit_out_of_range_is_refused(seconds):
    refused_by_the_database(FlowDefinitionFactory(), task_time_limit=seconds)


def test_a_flow_definition_status_outside_the_enum_is_refused():
    refused_by_the_database(FlowDefinitionFactory(), status="Deleted")


def test_a_request_source_outside_the_enum_is_refused():
    refused_by_the_database(FlowDefinitionFactory(), request_source="AWS/Comprehend/V1")


def test_activation_conditions_without_a_request_source_are_refused():
    refused_by_the_database(FlowDefinitionFactory(), activation_conditions={"Conditions": []})


def test_activation_conditions_with_a_request_source_are_kept():
    flow = FlowDefinitionFactory(request_source=TEXTRACT, activation_conditions={"Conditions": []})

    assert FlowDefinition.objects.get(pk=flow.pk).activation_conditions == {"Conditions": []}


# Templates and teams


def test_an_empty_template_is_refused():
    refused_by_the_database(HumanTaskUiFactory(), content="")


def test_a_template_over_128000_characters_is_refused():
    refused_by_the_database(HumanTaskUiFactory(), content="x" * 128_001)


def test_an_empty_work_team_description_is_refused():
    refused_by_the_database(WorkTeamFactory(), description="")
