import pytest

from reviews.models import HumanLoop, TaskSlot
from reviews.services.slots import claim_next_slot, submit_answer
from tests.factories import HumanLoopFactory

pytestmark = pytest.mark.django_db


def test_every_changelist_and_change_page_loads_for_an_operator(operator_client, flow):
    loop = HumanLoopFactory(flow_definition=flow)
    pages = [
        "/admin/workflows/workteam/",
        f"/admin/workflows/workteam/{flow.work_team_id}/change/",
        "/admin/workflows/humantaskui/",
        f"/admin/workflows/humantaskui/{flow.task_ui_id}/change/",
        "/admin/workflows/flowdefinition/",
        f"/admin/workflows/flowdefinition/{flow.pk}/change/",
        "/admin/workflows/flowdefinition/add/",
        "/admin/reviews/humanloop/",
        f"/admin/reviews/humanloop/{loop.pk}/change/",
        "/admin/reviews/workeridentity/",
    ]
    for page in pages:
        assert operator_client.get(page).status_code == 200, page


def test_a_reviewer_cannot_open_the_operator_console(client, reviewer):
    client.force_login(reviewer)

    response = client.get("/admin/reviews/humanloop/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_loops_cannot_be_added_from_the_admin(operator_client):
    assert operator_client.get("/admin/reviews/humanloop/add/").status_code == 403


def test_the_stop_action_stops_loops_through_the_service(operator_client, flow):
    loop = HumanLoopFactory(flow_definition=flow)

    operator_client.post(
        "/admin/reviews/humanloop/",
        {"action": "stop_selected", "_selected_action": [loop.pk]},
    )

    loop.refresh_from_db()
    assert loop.status == HumanLoop.Status.STOPPED
    assert set(loop.slots.values_list("state", flat=True)) == {TaskSlot.State.WITHDRAWN}


def test_the_delete_action_refuses_an_in_progress_loop_and_says_why(operator_client, flow):
    loop = HumanLoopFactory(flow_definition=flow)

    response = operator_client.post(
        "/admin/reviews/humanloop/",
        {"action": "delete_selected_loops", "_selected_action": [loop.pk]},
        follow=True,
    )

    assert HumanLoop.objects.filter(pk=loop.pk).exists()
    assert "stop it first" in response.content.decode()


def test_the_delete_action_deletes_a_completed_loop(operator_client, flow, reviewer):
    loop = HumanLoopFactory(flow_definition=flow)
    slot = claim_next_slot(reviewer=reviewer)
    submit_answer(slot=slot, reviewer=reviewer, answer={"category": {"label": "cat"}})

    operator_client.post(
        "/admin/reviews/humanloop/",
        {"action": "delete_selected_loops", "_selected_action": [loop.pk]},
    )

    assert not HumanLoop.objects.filter(pk=loop.pk).exists()
