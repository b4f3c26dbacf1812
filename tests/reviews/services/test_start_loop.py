import json
from datetime import datetime, timedelta, timezone

import pytest

from a2i_portal.errors import Conflict, Invalid, NotFound, QuotaExceeded
from reviews.models import HumanLoop, OpenSlot, SlotEvent, TaskSlot
from reviews.services.loops import delete_loop, start_loop, stop_loop
from tests.factories import FlowDefinitionFactory
from workflows.models import FlowDefinition

pytestmark = pytest.mark.django_db

INPUT = json.dumps({"text": "a cat on a mat"})


def start(flow, *, name="loop-1", input_content=INPUT, **kwargs):
    return start_loop(
        name=name, flow_definition_name=flow.name, input_content=input_content, **kwargs
    )


def assert_nothing_written():
    assert not HumanLoop.objects.exists()
    assert not TaskSlot.objects.exists()
    assert not OpenSlot.objects.exists()
    assert not SlotEvent.objects.exists()


# The happy path


def test_a_started_loop_is_in_progress(flow):
    loop = start(flow)

    loop.refresh_from_db()
    assert loop.status == HumanLoop.Status.IN_PROGRESS
    assert loop.completed_at is None
    assert loop.failure_code == ""
    assert loop.flow_definition == flow
    assert loop.input_content == INPUT


def test_a_started_loop_has_task_count_open_slots(flow_of_two):
    loop = start(flow_of_two)

    slots = list(loop.slots.order_by("index"))
    assert [slot.index for slot in slots] == [0, 1]
    assert {slot.state for slot in slots} == {TaskSlot.State.OPEN}
    assert {slot.reviewer_id for slot in slots} == {None}


def test_each_open_slot_of_a_started_loop_has_one_queue_row(flow_of_two):
    loop = start(flow_of_two)

    rows = list(OpenSlot.objects.order_by("slot_id"))
    assert [row.slot_id for row in rows] == list(
        loop.slots.order_by("pk").values_list("pk", flat=True)
    )
    assert {(row.loop_id, row.flow_definition_id, row.expires_at) for row in rows} == {
        (loop.pk, flow_of_two.pk, loop.expires_at)
    }


def test_the_output_uri_follows_the_a2i_key_layout_of_the_creation_time_in_utc(flow, clock):
    clock.current = datetime(2021, 2, 17, 14, 20, 38, 354000, tzinfo=timezone(timedelta(hours=-5)))

    loop = start(flow, name="fraud-1613589638354")

    assert loop.output_uri == (
        f"s3://test-bucket/outputs/{flow.name}/2021/02/17/19/20/38/fraud-1613589638354/output.json"
    )


def test_a_loop_is_created_now_and_expires_one_availability_lifetime_later(team, clock):
    flow = FlowDefinitionFactory(work_team=team, task_availability_lifetime=43_200)

    loop = start(flow)

    loop.refresh_from_db()
    assert loop.created_at == clock.now()
    assert loop.expires_at == clock.now() + timedelta(seconds=43_200)


def test_input_of_exactly_the_size_limit_is_accepted(flow):
    at_limit = json.dumps("a" * (3_145_728 - 2))  # the quotes make it 3,145,728 characters

    loop = start(flow, input_content=at_limit)

    assert len(loop.input_content) == 3_145_728


def test_data_attributes_with_known_classifiers_are_kept(flow):
    attributes = {"ContentClassifiers": ["FreeOfPersonallyIdentifiableInformation"]}

    loop = start(flow, data_attributes=attributes)

    loop.refresh_from_db()
    assert loop.data_attributes == attributes


# Refusals: each names its field and writes nothing


@pytest.mark.parametrize(
    "name",
    ["Loop-1", "loop_1", "-loop-1", "loop-1-", "", "a" * 64],
    ids=["uppercase", "underscore", "leading-hyphen", "trailing-hyphen", "empty", "64-chars"],
)
def test_a_name_outside_the_pattern_is_refused_and_nothing_is_written(flow, name):
    with pytest.raises(Invalid) as refused:
        start(flow, name=name)

    assert refused.value.field == "name"
    assert_nothing_written()


def test_a_63_character_name_is_accepted(flow):
    loop = start(flow, name="a" * 63)

    assert loop.name == "a" * 63


def test_input_that_is_not_json_is_refused_and_nothing_is_written(flow):
    with pytest.raises(Invalid) as refused:
        start(flow, input_content="{'text': 'single quotes are not JSON'}")

    assert refused.value.field == "input_content"
    assert_nothing_written()


def test_input_over_3_mib_is_refused_and_nothing_is_written(flow):
    over_limit = json.dumps("a" * (3_145_728 - 1))  # valid JSON, 3,145,729 characters

    with pytest.raises(Invalid) as refused:
        start(flow, input_content=over_limit)

    assert refused.value.field == "input_content"
    assert_nothing_written()


@pytest.mark.parametrize("content", [{"text": "a cat"}, b'{"text": "a cat"}', None, 42])
def test_input_that_is_not_a_string_is_refused_and_nothing_is_written(flow, content):
    with pytest.raises(Invalid) as refused:
        start(flow, input_content=content)

    assert refused.value.field == "input_content"
    assert_nothing_written()


@pytest.mark.parametrize(
    "attributes",
    [
        ["FreeOfAdultContent"],
        {"ContentClassifiers": "FreeOfAdultContent"},
        {"Classifiers": ["FreeOfAdultContent"]},
        {"ContentClassifiers": ["FreeOfAdultContent"], "Extra": True},
        {"ContentClassifiers": [1]},
        {"ContentClassifiers": ["FreeOfAdultContent"] * 257},
        {},
        [],
        "",
    ],
    ids=[
        "a-list",
        "classifiers-not-a-list",
        "wrong-key",
        "extra-key",
        "classifier-not-a-string",
        "257-classifiers",
        "empty-object",
        "empty-list",
        "empty-string",
    ],
)
def test_data_attributes_of_the_wrong_shape_are_refused_and_nothing_is_written(flow, attributes):
    with pytest.raises(Invalid) as refused:
        start(flow, data_attributes=attributes)

    assert refused.value.field == "data_attributes"
    assert_nothing_written()


def test_an_unknown_content_classifier_is_refused_and_nothing_is_written(flow):
    with pytest.raises(Invalid) as refused:
        start(flow, data_attributes={"ContentClassifiers": ["FreeOfEverything"]})

    assert refused.value.field == "data_attributes"
    assert "FreeOfEverything" in refused.value.message
    assert_nothing_written()


def test_a_missing_flow_definition_is_not_found_and_nothing_is_written(db):
    with pytest.raises(NotFound) as refused:
        start_loop(name="loop-1", flow_definition_name="no-such-flow", input_content=INPUT)

    assert refused.value.field == "flow_definition"
    assert_nothing_written()


@pytest.mark.parametrize(
    "status",
    [
        FlowDefinition.Status.DELETING,
        FlowDefinition.Status.INITIALIZING,
        FlowDefinition.Status.FAILED,
    ],
)
def test_a_flow_definition_that_is_not_active_cannot_start_loops(status):
    flow = FlowDefinitionFactory(status=status)

    with pytest.raises(Invalid) as refused:
        start(flow)

    assert refused.value.field == "flow_definition"
    assert status in refused.value.message
    assert_nothing_written()


@pytest.mark.parametrize(
    "source",
    [
        FlowDefinition.RequestSource.TEXTRACT_FORMS,
        FlowDefinition.RequestSource.REKOGNITION_MODERATION,
    ],
)
def test_a_built_in_flow_definition_cannot_start_loops_directly(source):
    flow = FlowDefinitionFactory(request_source=source)

    with pytest.raises(Invalid) as refused:
        start(flow)

    assert refused.value.field == "flow_definition"
    assert_nothing_written()


# Names: idempotent retries, conflicts, reuse


def test_starting_the_same_loop_again_returns_it_and_adds_no_slots(flow_of_two):
    first = start(flow_of_two)

    again = start(flow_of_two)

    assert again.pk == first.pk
    assert TaskSlot.objects.count() == 2
    assert OpenSlot.objects.count() == 2
    assert HumanLoop.objects.count() == 1


def test_the_same_name_with_different_input_is_a_conflict_and_changes_nothing(flow):
    loop = start(flow)

    with pytest.raises(Conflict) as refused:
        start(flow, input_content=json.dumps({"text": "a dog"}))

    assert refused.value.field == "name"
    loop.refresh_from_db()
    assert loop.input_content == INPUT
    assert HumanLoop.objects.count() == 1
    assert TaskSlot.objects.count() == 1


def test_the_same_name_with_different_data_attributes_is_a_conflict(flow):
    start(flow)

    with pytest.raises(Conflict) as refused:
        start(flow, data_attributes={"ContentClassifiers": ["FreeOfAdultContent"]})

    assert refused.value.field == "name"
    assert HumanLoop.objects.count() == 1


def test_the_same_name_on_another_flow_definition_is_a_conflict(flow, team):
    start(flow)
    other = FlowDefinitionFactory(work_team=team)

    with pytest.raises(Conflict) as refused:
        start(other)

    assert refused.value.field == "name"
    assert not HumanLoop.objects.filter(flow_definition=other).exists()


def test_the_same_name_is_a_conflict_even_after_the_loop_ended(flow):
    stop_loop(loop=start(flow))

    with pytest.raises(Conflict):
        start(flow, input_content=json.dumps({"text": "a dog"}))

    assert HumanLoop.objects.get().status == HumanLoop.Status.STOPPED


def test_a_name_can_be_used_again_once_its_loop_is_deleted(flow):
    delete_loop(loop=stop_loop(loop=start(flow)))

    loop = start(flow, input_content=json.dumps({"text": "a dog"}))

    assert loop.status == HumanLoop.Status.IN_PROGRESS
    assert loop.input_content == json.dumps({"text": "a dog"})
    assert loop.slots.get().state == TaskSlot.State.OPEN


# The in-progress quota


def test_a_start_beyond_the_in_progress_quota_is_refused_and_nothing_is_written(flow, settings):
    settings.A2I_MAX_IN_PROGRESS_LOOPS = 2
    start(flow, name="loop-1")
    start(flow, name="loop-2")

    with pytest.raises(QuotaExceeded) as refused:
        start(flow, name="loop-3")

    assert refused.value.field == "human_loops"
    assert set(HumanLoop.objects.values_list("name", flat=True)) == {"loop-1", "loop-2"}
    assert TaskSlot.objects.count() == 2


def test_a_loop_that_is_no_longer_in_progress_frees_its_place_in_the_quota(flow, settings):
    settings.A2I_MAX_IN_PROGRESS_LOOPS = 1
    stop_loop(loop=start(flow, name="loop-1"))

    loop = start(flow, name="loop-2")

    assert loop.status == HumanLoop.Status.IN_PROGRESS


def test_an_idempotent_retry_is_not_refused_by_a_full_quota(flow, settings):
    settings.A2I_MAX_IN_PROGRESS_LOOPS = 1
    loop = start(flow)

    assert start(flow).pk == loop.pk


def test_a_quota_of_zero_means_no_cap(flow, settings):
    settings.A2I_MAX_IN_PROGRESS_LOOPS = 0

    for n in range(5):
        start(flow, name=f"loop-{n}")

    assert HumanLoop.objects.count() == 5
