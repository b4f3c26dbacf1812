import json
from datetime import timedelta

import pytest

from a2i_portal import arns
from reviews.models import HumanLoop, TaskSlot
from reviews.services.slots import claim_next_slot, submit_answer
from tests.factories import FlowDefinitionFactory, HumanLoopFactory

pytestmark = pytest.mark.django_db

LOOPS = "/api/v1/human-loops/"


def start(api, flow, name="loop-1", **body):  # noqa: ANN001
    body = {"name": name, "flow_definition": flow.name, "input": {"text": "hi"}, **body}
    body = {key: value for key, value in body.items() if value is not None}  # None: leave out
    return api.post(LOOPS, body, format="json")


def test_starting_a_loop_answers_201_with_the_loop(api, flow, clock):
    response = start(api, flow, input=None, input_content='{"text": "a cat"}')

    assert response.status_code == 201, response.data
    body = response.json()
    assert body["name"] == "loop-1"
    assert body["arn"] == arns.human_loop_arn("loop-1")
    assert body["flow_definition"] == flow.name
    assert body["flow_definition_arn"] == flow.arn
    assert body["status"] == "InProgress"
    assert body["output_uri"].endswith("/loop-1/output.json")
    assert body["completed_at"] is None
    assert "input_content" not in body
    assert HumanLoop.objects.get(name="loop-1").slots.count() == 1


def test_a_loop_can_be_started_with_the_flow_definition_arn_and_an_input_object(api, flow, clock):
    response = start(api, flow, flow_definition=flow.arn, input={"text": "é"})

    assert response.status_code == 201, response.data
    assert json.loads(HumanLoop.objects.get().input_content) == {"text": "é"}


def test_a_retry_of_the_same_start_answers_200_with_the_same_loop(api, flow, clock):
    first = start(api, flow)
    clock.advance(timedelta(seconds=5))

    again = start(api, flow)

    assert again.status_code == 200
    assert again.json() == first.json()
    assert HumanLoop.objects.count() == 1


def test_the_same_name_with_other_input_is_a_conflict(api, flow, clock):
    start(api, flow)

    response = start(api, flow, input={"text": "other"})

    assert response.status_code == 409
    assert response.json()["error"] == "Conflict"
    assert response.json()["field"] == "name"
    assert json.loads(HumanLoop.objects.get().input_content) == {"text": "hi"}


def test_a_bad_name_is_refused_naming_the_field_and_the_rule(api, flow):
    response = start(api, flow, name="My_Loop")

    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "Invalid" and body["field"] == "name"
    assert "regular expression pattern" in body["message"]
    assert not HumanLoop.objects.exists() and not TaskSlot.objects.exists()


def test_input_content_that_is_not_json_is_refused(api, flow):
    response = start(api, flow, input=None, input_content="{not json")

    assert response.status_code == 400
    assert response.json()["field"] == "input_content"
    assert "JSON document" in response.json()["message"]
    assert not HumanLoop.objects.exists()


def test_input_content_must_be_a_string(api, flow):
    response = start(api, flow, input=None, input_content=5)

    assert response.status_code == 400
    assert "input_content" in response.json()


def test_both_input_forms_at_once_are_refused(api, flow):
    response = start(api, flow, input_content='{"a": 1}')

    assert response.status_code == 400
    assert "input_content" in response.json()


def test_an_unknown_flow_definition_is_404_naming_it(api, db):
    response = api.post(LOOPS, {"name": "x", "flow_definition": "nope", "input": {}}, format="json")

    assert response.status_code == 404
    assert response.json()["field"] == "flow_definition"
    assert not HumanLoop.objects.exists()


def test_bad_data_attributes_are_refused_with_the_service_words(api, flow):
    response = start(api, flow, data_attributes={"ContentClassifiers": ["Nope"]})

    assert response.status_code == 400
    assert response.json()["field"] == "data_attributes"
    assert not HumanLoop.objects.exists()


def test_describe_includes_the_input(api, open_loop):
    response = api.get(f"{LOOPS}{open_loop.name}/")

    assert response.status_code == 200
    assert response.json()["input_content"] == open_loop.input_content
    assert response.json()["data_attributes"] is None


def test_an_unknown_loop_is_404_in_the_domain_shape(api, db):
    response = api.get(f"{LOOPS}nope/")

    assert response.status_code == 404
    assert response.json() == {
        "error": "NotFound",
        "field": "name",
        "message": "human loop 'nope' does not exist",
    }


def test_stop_answers_the_stopped_loop(api, open_loop):
    response = api.post(f"{LOOPS}{open_loop.name}/stop/")

    assert response.status_code == 200
    assert response.json()["status"] == "Stopped"


def test_delete_is_refused_while_in_progress_and_allowed_after_stop(api, open_loop):
    refused = api.delete(f"{LOOPS}{open_loop.name}/")
    assert refused.status_code == 409
    assert refused.json()["field"] == "status"
    assert HumanLoop.objects.filter(pk=open_loop.pk).exists()

    api.post(f"{LOOPS}{open_loop.name}/stop/")
    deleted = api.delete(f"{LOOPS}{open_loop.name}/")

    assert deleted.status_code == 204
    assert api.get(f"{LOOPS}{open_loop.name}/").status_code == 404


def test_the_output_is_404_until_a_reviewer_completes_the_loop(
    api, open_loop, reviewer, outputs_dir, django_capture_on_commit_callbacks
):
    url = f"{LOOPS}{open_loop.name}/output/"
    before = api.get(url)
    assert before.status_code == 404
    assert before.json()["field"] == "output"
    assert "not written yet" in before.json()["message"]

    slot = claim_next_slot(reviewer=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        submit_answer(slot=slot, reviewer=reviewer, answer={"category": {"label": "cat"}})
    after = api.get(url)

    assert after.status_code == 200
    assert after.json()["humanLoopName"] == open_loop.name
    assert after.json()["humanAnswers"][0]["answerContent"] == {"category": {"label": "cat"}}


def test_a_loops_status_events_are_listed_oldest_first_in_a2is_shape(
    api, open_loop, django_assert_max_num_queries
):
    api.post(f"{LOOPS}{open_loop.name}/stop/")

    with django_assert_max_num_queries(4):
        response = api.get(f"{LOOPS}{open_loop.name}/events/")

    assert response.status_code == 200
    events = response.json()["results"]
    assert [e["detail"]["humanLoopStatus"] for e in events] == [
        "InProgress",
        "Stopping",
        "Stopped",
    ]
    assert {e["detail-type"] for e in events} == {"SageMaker A2I HumanLoop Status Change"}
    assert len({e["id"] for e in events}) == 3


def test_the_events_of_an_unknown_loop_are_404(api, db):
    response = api.get(f"{LOOPS}nobody/events/")

    assert response.status_code == 404
    assert response.json()["field"] == "name"


def test_a_full_lifecycle_through_the_api(
    api, flow, reviewer, outputs_dir, django_capture_on_commit_callbacks
):
    assert start(api, flow, name="journey").status_code == 201
    assert api.get(f"{LOOPS}journey/").json()["status"] == "InProgress"
    slot = claim_next_slot(reviewer=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        submit_answer(slot=slot, reviewer=reviewer, answer={"ok": True})

    described = api.get(f"{LOOPS}journey/").json()
    assert described["status"] == "Completed" and described["completed_at"]
    assert api.get(f"{LOOPS}journey/output/").json()["inputContent"] == {"text": "hi"}
    assert api.delete(f"{LOOPS}journey/").status_code == 204
    assert not HumanLoop.objects.filter(name="journey").exists()


# Lists


@pytest.fixture
def seven_loops(flow, clock):  # noqa: ANN001
    """Seven loops of `flow` a minute apart (loop-0 oldest); every other one Stopped."""
    loops = []
    for i in range(7):
        loop = HumanLoopFactory(name=f"loop-{i}", flow_definition=flow, created_at=clock.now())
        if i % 2:
            loop.status, loop.completed_at = HumanLoop.Status.STOPPED, clock.now()
            loop.save(update_fields=["status", "completed_at"])
        loops.append(loop)
        clock.advance(timedelta(minutes=1))
    HumanLoopFactory(name="other-flow", flow_definition=FlowDefinitionFactory())
    return loops


def names(response) -> list[str]:  # noqa: ANN001
    return [loop["name"] for loop in response.json()["results"]]


def test_a_list_needs_a_flow_definition(api, db):
    response = api.get(LOOPS)

    assert response.status_code == 400
    assert "flow_definition" in response.json()


def test_a_list_of_an_unknown_flow_definition_is_404(api, db):
    response = api.get(LOOPS, {"flow_definition": "nope"})

    assert response.status_code == 404
    assert response.json()["field"] == "flow_definition"


def test_a_list_is_newest_first_by_default_and_only_of_its_flow(api, flow, seven_loops):
    response = api.get(LOOPS, {"flow_definition": flow.arn})

    assert names(response) == [f"loop-{i}" for i in reversed(range(7))]
    assert response.json()["next"] is None and response.json()["next_token"] is None


def test_a_list_walks_three_pages_in_ascending_order(
    api, flow, seven_loops, django_assert_max_num_queries
):
    seen, url, pages = [], LOOPS, 0
    params = {"flow_definition": flow.name, "sort": "asc", "page_size": 3}
    while url:
        # key lookup, last-use note, flow definition, one page of loops
        with django_assert_max_num_queries(4):
            response = api.get(url, params if pages == 0 else None)
        assert response.status_code == 200, response.data
        seen += names(response)
        url, pages = response.json()["next"], pages + 1

    assert pages == 3
    assert seen == [f"loop-{i}" for i in range(7)]


def test_the_next_token_works_as_a_cursor(api, flow, seven_loops):
    first = api.get(LOOPS, {"flow_definition": flow.name, "page_size": 5}).json()

    second = api.get(
        LOOPS, {"flow_definition": flow.name, "page_size": 5, "cursor": first["next_token"]}
    )

    assert names(second) == ["loop-1", "loop-0"]


def test_a_cursor_of_another_query_is_refused(api, flow, seven_loops):
    first = api.get(LOOPS, {"flow_definition": flow.name, "page_size": 2}).json()

    response = api.get(
        LOOPS, {"flow_definition": flow.name, "sort": "asc", "cursor": first["next_token"]}
    )

    assert response.status_code == 400
    assert response.json()["field"] == "cursor"


def test_a_list_filters_by_status_repeated_or_comma_separated(api, flow, seven_loops):
    stopped = api.get(f"{LOOPS}?flow_definition={flow.name}&status=Stopped")
    both = api.get(f"{LOOPS}?flow_definition={flow.name}&status=Stopped,InProgress")
    repeated = api.get(f"{LOOPS}?flow_definition={flow.name}&status=Stopped&status=InProgress")

    assert names(stopped) == ["loop-5", "loop-3", "loop-1"]
    assert len(names(both)) == len(names(repeated)) == 7


def test_an_unknown_status_is_refused(api, flow, seven_loops):
    response = api.get(LOOPS, {"flow_definition": flow.name, "status": "Done"})

    assert response.status_code == 400
    assert response.json()["field"] == "status"


def test_a_list_filters_by_creation_time(api, flow, seven_loops):
    after = seven_loops[2].created_at.isoformat()
    before = seven_loops[5].created_at.isoformat()

    response = api.get(
        LOOPS, {"flow_definition": flow.name, "created_after": after, "created_before": before}
    )

    assert names(response) == ["loop-4", "loop-3", "loop-2"]


def test_a_page_size_out_of_range_is_refused(api, flow):
    response = api.get(LOOPS, {"flow_definition": flow.name, "page_size": 101})

    assert response.status_code == 400
    assert "page_size" in response.json()


def test_session_users_browse_the_loops_with_a_start_form(client, flow, open_loop):
    client.force_login(open_loop.flow_definition.work_team.members.first())

    response = client.get(LOOPS, {"flow_definition": flow.name}, HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert open_loop.name.encode() in response.content
    assert b'name="input_content"' in response.content
