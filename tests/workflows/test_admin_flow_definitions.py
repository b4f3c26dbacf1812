"""The flow definition console: created through the service with the reference's rules, its
loops counted by status with links to them, and deleted as A2I deletes one after a page that
says what will happen to its loops."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib import admin

from reviews.models import HumanLoop
from reviews.services.loops import stop_loop
from reviews.services.slots import claim_next_slot, submit_answer
from tests.factories import (
    FlowDefinitionFactory,
    HumanLoopFactory,
    HumanTaskUiFactory,
    StartedLoopFactory,
    WorkTeamFactory,
)
from workflows.activation import TEXTRACT_FORMS
from workflows.admin.flow_definitions import FlowDefinitionAdmin
from workflows.models import FlowDefinition

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/workflows/flowdefinition/"
ADD = f"{CHANGELIST}add/"


@pytest.fixture
def busy_flow(flow, reviewer, second_reviewer, clock):  # noqa: ANN001
    """A flow definition with loops in every state: 3 InProgress (one a reviewer is working
    on), 1 Stopping, 1 Completed, 1 Stopped, 1 Failed."""

    def start(name: str) -> HumanLoop:
        return StartedLoopFactory(name=name, flow_definition=flow)

    start("completed")
    slot = claim_next_slot(reviewer=second_reviewer, flow_definition=flow)
    submit_answer(slot=slot, reviewer=second_reviewer, answer={"category": {"label": "cat"}})
    start("worked-on")
    claim_next_slot(reviewer=reviewer, flow_definition=flow)
    stopping = start("stopping")
    claim_next_slot(reviewer=second_reviewer, flow_definition=flow)
    stop_loop(loop=stopping)
    stop_loop(loop=start("stopped"))
    HumanLoopFactory(
        name="failed",
        flow_definition=flow,
        status=HumanLoop.Status.FAILED,
        failure_code=HumanLoop.FailureCode.EXPIRED,
        completed_at=clock.now(),
    )
    start("unstarted-1")
    start("unstarted-2")
    return flow


def statuses(flow: FlowDefinition) -> dict[str, str]:
    return dict(HumanLoop.objects.filter(flow_definition=flow).values_list("name", "status"))


def loops_link(flow: FlowDefinition, status: str) -> str:
    return (
        f"/admin/reviews/humanloop/?flow_definition__id__exact={flow.pk}&amp;status__exact={status}"
    )


def test_the_fixture_has_loops_in_every_state(busy_flow):
    assert statuses(busy_flow) == {
        "completed": "Completed",
        "worked-on": "InProgress",
        "stopping": "Stopping",
        "stopped": "Stopped",
        "failed": "Failed",
        "unstarted-1": "InProgress",
        "unstarted-2": "InProgress",
    }


# Watching loops arrive and complete


def test_the_changelist_counts_loops_in_progress_and_completed_with_links(
    operator_client, busy_flow
):
    FlowDefinitionFactory(name="quiet")

    page = operator_client.get(CHANGELIST).content.decode()

    assert f'<a href="{loops_link(busy_flow, "InProgress")}">3</a>' in page
    assert f'<a href="{loops_link(busy_flow, "Completed")}">1</a>' in page


def test_the_changelist_counts_in_one_query_whatever_the_number_of_flows(
    operator_client, busy_flow, django_assert_max_num_queries
):
    FlowDefinitionFactory.create_batch(5)

    with django_assert_max_num_queries(8):  # session, user, count, page, filters' choices
        response = operator_client.get(CHANGELIST)

    assert response.status_code == 200


def test_the_flow_definition_page_shows_its_arn_and_its_loops_by_status(operator_client, busy_flow):
    page = operator_client.get(f"{CHANGELIST}{busy_flow.pk}/change/").content.decode()

    assert busy_flow.arn in page
    expected = {"InProgress": 3, "Completed": 1, "Failed": 1, "Stopping": 1, "Stopped": 1}
    for status, count in expected.items():
        assert f'<a href="{loops_link(busy_flow, status)}"><strong>{count}</strong>' in page
    assert (
        f'<a href="/admin/reviews/humanloop/?flow_definition__id__exact={busy_flow.pk}">'
        "All 7 loops</a>"
    ) in page


def test_the_loops_by_status_are_counted_in_one_grouped_query(busy_flow, django_assert_num_queries):
    console = FlowDefinitionAdmin(FlowDefinition, admin.site)

    with django_assert_num_queries(1):
        html = console.loops_by_status(busy_flow)

    assert "<strong>3</strong> InProgress" in html


def test_the_loop_links_filter_the_loop_changelist(operator_client, busy_flow):
    url = loops_link(busy_flow, "InProgress").replace("&amp;", "&")

    response = operator_client.get(url)

    assert response.status_code == 200
    assert {loop.name for loop in response.context["cl"].result_list} == {
        "worked-on",
        "unstarted-1",
        "unstarted-2",
    }


def test_activation_conditions_are_shown_indented_on_the_flow_definition_page(operator_client):
    conditions = {
        "Conditions": [
            {"ConditionType": "Sampling", "ConditionParameters": {"RandomSamplingPercentage": 5}}
        ]
    }
    flow = FlowDefinitionFactory(request_source=TEXTRACT_FORMS, activation_conditions=conditions)

    page = operator_client.get(f"{CHANGELIST}{flow.pk}/change/").content.decode()

    assert '<pre class="json-view">{\n  &quot;Conditions&quot;: [' in page


# Creating


def form_data(**changes: Any) -> dict[str, Any]:
    return {
        "name": "payroll-forms",
        "work_team": WorkTeamFactory().pk,
        "task_ui": HumanTaskUiFactory().pk,
        "request_source": "",
        "activation_conditions": "",
        "task_title": "Review the payroll form",
        "task_description": "Check the fields the model was unsure of",
        "task_keywords": "payroll, forms",
        "task_count": 2,
        "task_availability_lifetime": 86_400,
        "task_time_limit": 600,
        "output_path": "s3://bucket/a2i",
        "kms_key_id": "",
        "role_arn": "",
        **changes,
    }


def test_a_flow_definition_is_created_active_from_the_console(operator_client, clock):
    response = operator_client.post(ADD, form_data())

    assert response.status_code == 302
    flow = FlowDefinition.objects.get(name="payroll-forms")
    assert flow.status == FlowDefinition.Status.ACTIVE
    assert flow.created_at == clock.now()
    assert flow.task_keywords == ["payroll", "forms"]
    assert (flow.task_count, flow.task_time_limit) == (2, 600)


def test_a_built_in_flow_definition_keeps_its_activation_conditions(operator_client):
    conditions = {
        "Conditions": [
            {
                "ConditionType": "MissingImportantFormKey",
                "ConditionParameters": {"ImportantFormKey": "Mailing Address"},
            }
        ]
    }

    operator_client.post(
        ADD,
        form_data(request_source=TEXTRACT_FORMS, activation_conditions=json.dumps(conditions)),
    )

    assert FlowDefinition.objects.get().activation_conditions == conditions


def errors_of(response: Any) -> dict[str, list[str]]:
    return response.context["adminform"].form.errors


def test_activation_conditions_breaking_a_rule_are_refused_with_the_path(operator_client):
    conditions = {"Conditions": [{"Or": [{"ConditionType": "Foo"}]}]}

    response = operator_client.post(
        ADD,
        form_data(request_source=TEXTRACT_FORMS, activation_conditions=json.dumps(conditions)),
    )

    assert response.status_code == 200
    assert errors_of(response)["activation_conditions"] == [
        "Conditions[0].Or: must have at least 2 members, not 1; Conditions[0].Or[0]: "
        "ConditionType 'Foo' is not one of ImportantFormKeyConfidenceCheck, "
        "MissingImportantFormKey, Sampling for Textract"
    ]
    assert not FlowDefinition.objects.exists()


def test_activation_conditions_that_are_not_json_are_refused_with_line_and_column(
    operator_client,
):
    response = operator_client.post(
        ADD,
        form_data(request_source=TEXTRACT_FORMS, activation_conditions='{\n  "Conditions": [\n'),
    )

    (error,) = errors_of(response)["activation_conditions"]
    assert error.startswith("is not JSON: Expecting value (line 3, column 1)")
    assert not FlowDefinition.objects.exists()


def test_activation_conditions_on_a_custom_flow_definition_are_refused(operator_client):
    conditions = {"Conditions": [{"ConditionType": "Sampling"}]}

    response = operator_client.post(ADD, form_data(activation_conditions=json.dumps(conditions)))

    (error,) = errors_of(response)["activation_conditions"]
    assert error.startswith("are only allowed with a built-in request source")
    assert not FlowDefinition.objects.exists()


@pytest.mark.parametrize(
    "field, value",
    [
        ("task_count", 4),
        ("task_keywords", "claims, document_review"),
        ("output_path", "bucket/a2i"),
        ("name", "Payroll Forms"),
    ],
)
def test_fields_breaking_a_rule_are_refused_naming_the_field(operator_client, field, value):
    response = operator_client.post(ADD, form_data(**{field: value}))

    assert response.status_code == 200
    assert list(errors_of(response)) == [field]
    assert not FlowDefinition.objects.exists()


def test_the_add_page_offers_worked_examples_of_activation_conditions(operator_client):
    page = operator_client.get(ADD).content.decode()

    assert "Examples to copy and adapt" in page
    assert "ImportantFormKeyConfidenceCheck" in page
    assert "ModerationLabelConfidenceCheck" in page


def test_a_flow_definition_cannot_be_changed_once_created(operator_client, flow):
    page = operator_client.get(f"{CHANGELIST}{flow.pk}/change/")
    response = operator_client.post(
        f"{CHANGELIST}{flow.pk}/change/", form_data(name=flow.name, task_count=3)
    )

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert response.status_code == 403
    flow.refresh_from_db()
    assert flow.task_count == 1


# Deleting as A2I does


def ask_to_delete(operator_client: Any, *flows: FlowDefinition, **extra: str) -> Any:
    return operator_client.post(
        CHANGELIST,
        {"action": "delete_as_a2i_does", "_selected_action": [f.pk for f in flows], **extra},
    )


def test_deleting_first_shows_what_will_happen_to_the_loops(operator_client, busy_flow):
    response = ask_to_delete(operator_client, busy_flow)

    assert response.status_code == 200
    impact = response.context["impacts"][0]
    assert (impact.unstarted, impact.being_worked, impact.ended) == (2, 2, 3)
    page = response.content.decode()
    assert '<strong id="total-unstarted">2</strong> in-progress loops' in page
    assert "will be <strong>stopped and deleted</strong>" in page
    assert '<strong id="total-being-worked">2</strong> loops a reviewer is working on' in page
    assert "will <strong>finish first</strong>" in page
    assert '<strong id="total-ended">3</strong> ended loops' in page
    assert busy_flow.name in page


def test_the_confirmation_page_changes_nothing(operator_client, busy_flow):
    before = statuses(busy_flow)

    ask_to_delete(operator_client, busy_flow)

    busy_flow.refresh_from_db()
    assert busy_flow.status == FlowDefinition.Status.ACTIVE
    assert statuses(busy_flow) == before


def test_the_confirmation_page_adds_up_several_flow_definitions(operator_client, busy_flow):
    other = FlowDefinitionFactory(work_team=busy_flow.work_team)
    StartedLoopFactory(flow_definition=other)

    response = ask_to_delete(operator_client, busy_flow, other)

    assert response.context["totals"] == {"unstarted": 3, "being_worked": 2, "ended": 3}
    page = response.content.decode()
    assert f'name="_selected_action" value="{busy_flow.pk}"' in page
    assert f'name="_selected_action" value="{other.pk}"' in page


def test_confirming_deletes_through_the_service(
    operator_client, busy_flow, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask_to_delete(operator_client, busy_flow, confirm="yes")

    assert response.status_code == 302
    busy_flow.refresh_from_db()
    assert busy_flow.status == FlowDefinition.Status.DELETING
    assert statuses(busy_flow) == {"worked-on": "InProgress", "stopping": "Stopping"}
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [
        f"{busy_flow.name} is Deleting: unstarted loops are stopped and deleted, and it is "
        "removed once the loops being worked on have ended."
    ]


def test_a_flow_definition_without_loops_is_removed_at_once(
    operator_client, flow, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask_to_delete(operator_client, flow, confirm="yes")

    assert not FlowDefinition.objects.filter(pk=flow.pk).exists()


def test_a_flow_definition_that_is_already_deleting_is_refused_with_a_message(
    operator_client, busy_flow
):
    FlowDefinition.objects.filter(pk=busy_flow.pk).update(status=FlowDefinition.Status.DELETING)

    page = ask_to_delete(operator_client, busy_flow).content.decode()
    response = ask_to_delete(operator_client, busy_flow, confirm="yes")

    assert "is not Active and will be left as it is" in page
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [
        f"{busy_flow.name}: flow definition {busy_flow.name!r} is Deleting; only an Active flow "
        "definition can be deleted"
    ]
    assert len(statuses(busy_flow)) == 7
