"""The reviewer portal's pages: jobs, claiming, the work page and its frame, and the answers."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from reviews.models import HumanLoop, OpenSlot, RenderFailure, TaskSlot
from tests.factories import FlowDefinitionFactory, HumanTaskUiFactory, StartedLoopFactory

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


@pytest.fixture
def signed_in(client, reviewer):  # noqa: ANN001
    client.force_login(reviewer)
    return client


def start(client, flow):  # noqa: ANN001, ANN201
    return client.post(f"/jobs/{flow.name}/start/")


def test_home_lists_the_jobs_of_the_reviewers_teams_with_tasks_available(signed_in, flow, clock):
    StartedLoopFactory.create_batch(3, flow_definition=flow)
    FlowDefinitionFactory(task_title="Another team's job")

    response = signed_in.get("/")

    page = response.content.decode()
    assert response.status_code == 200
    assert flow.task_title in page
    assert 'data-available="3"' in page
    assert "Another team&#x27;s job" not in page and "Another team's job" not in page


def test_home_does_not_count_a_loop_the_reviewer_already_answered(signed_in, flow_of_two, clock):
    loop = StartedLoopFactory(flow_definition=flow_of_two)
    slot_id = int(start(signed_in, flow_of_two)["Location"].split("/")[2])
    signed_in.post(
        f"/tasks/{slot_id}/submit/", {"answer": {"a": 1}}, content_type="application/json"
    )

    response = signed_in.get("/")

    assert OpenSlot.objects.filter(loop=loop).count() == 1  # another reviewer's to take
    assert 'data-available="0"' in response.content.decode()


def test_start_working_claims_the_next_task_and_opens_it(signed_in, open_loop, flow, reviewer):
    response = start(signed_in, flow)

    slot = TaskSlot.objects.get(loop=open_loop)
    assert response.status_code == 302
    assert response["Location"] == f"/tasks/{slot.pk}/"
    assert (slot.state, slot.reviewer) == (TaskSlot.State.CLAIMED, reviewer)


def test_an_empty_queue_has_a_page_of_its_own(signed_in, flow):
    response = start(signed_in, flow)

    assert response.status_code == 200
    assert "No tasks left" in response.content.decode()


def test_a_job_of_another_team_cannot_be_started(client, outsider, open_loop, flow):
    client.force_login(outsider)

    response = start(client, flow)

    assert response.status_code == 302 and response["Location"] == "/"
    assert TaskSlot.objects.get(loop=open_loop).state == TaskSlot.State.OPEN


def test_the_work_page_frames_the_task_in_a_sandbox_without_same_origin(signed_in, claimed_slot):
    response = signed_in.get(f"/tasks/{claimed_slot.pk}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert f'src="/tasks/{claimed_slot.pk}/frame/"' in page
    assert 'sandbox="allow-scripts allow-forms allow-modals allow-popups"' in page
    assert "allow-same-origin" not in page
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_frame_renders_the_template_with_the_input_and_the_portals_elements(
    signed_in, flow, reviewer, clock
):
    loop = StartedLoopFactory(flow_definition=flow, input_content=json.dumps({"text": HOSTILE}))
    slot_id = int(start(signed_in, flow)["Location"].split("/")[2])

    response = signed_in.get(f"/tasks/{slot_id}/frame/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'src="http://testserver/static/crowd/crowd-html-elements.js"' in html
    assert "assets.crowd.aws" not in html
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x" in html
    policy = response["Content-Security-Policy"]
    assert policy.startswith("sandbox allow-scripts allow-forms")
    assert "allow-same-origin" not in policy and "connect-src 'none'" in policy
    assert loop.name  # the loop the frame shows


def test_a_template_that_fails_to_render_shows_a_message_and_is_recorded(
    signed_in, team, reviewer, clock
):
    broken = HumanTaskUiFactory(content="<p>{{ task.input.n | divided_by: 0 }}</p>")
    flow = FlowDefinitionFactory(work_team=team, task_ui=broken)
    StartedLoopFactory(flow_definition=flow, input_content='{"n": 4}')
    slot_id = int(start(signed_in, flow)["Location"].split("/")[2])

    response = signed_in.get(f"/tasks/{slot_id}/frame/")

    assert response.status_code == 200
    assert "This task cannot be shown" in response.content.decode()
    failure = RenderFailure.objects.get()
    assert (failure.task_ui, failure.reviewer, failure.slot_id) == (broken, reviewer, slot_id)
    assert failure.problem == "line 1, column 22: divided_by: can't divide by 0"


def test_another_reviewers_task_is_not_found(client, second_reviewer, claimed_slot):
    client.force_login(second_reviewer)

    assert client.get(f"/tasks/{claimed_slot.pk}/").status_code == 404
    assert client.get(f"/tasks/{claimed_slot.pk}/frame/").status_code == 404
    response = client.post(
        f"/tasks/{claimed_slot.pk}/submit/", {"answer": {}}, content_type="application/json"
    )
    assert response.status_code == 404


def test_an_outsider_cannot_open_a_teams_task(client, outsider, claimed_slot):
    client.force_login(outsider)

    assert client.get(f"/tasks/{claimed_slot.pk}/frame/").status_code == 404


def test_submitting_the_answer_completes_the_loop_and_points_at_the_next_task(
    signed_in, claimed_slot, flow, outputs_dir, clock
):
    clock.advance(timedelta(seconds=2))

    response = signed_in.post(
        f"/tasks/{claimed_slot.pk}/submit/",
        {"answer": {"category": {"label": "cat"}}, "time_spent": 1.5},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json() == {"next": f"/jobs/{flow.name}/start/"}
    claimed_slot.refresh_from_db()
    assert claimed_slot.answer == {"category": {"label": "cat"}}
    assert claimed_slot.time_spent == 1.5
    assert claimed_slot.loop.status == HumanLoop.Status.COMPLETED


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("not json", "answer"),
        ("[1, 2]", "answer"),
        ('{"answer": [1]}', "answer"),
        ('{"answer": {}, "time_spent": "soon"}', "time_spent"),
    ],
)
def test_a_bad_submission_is_refused_naming_the_field(signed_in, claimed_slot, body, field):
    response = signed_in.post(
        f"/tasks/{claimed_slot.pk}/submit/", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["field"] == field
    claimed_slot.refresh_from_db()
    assert claimed_slot.state == TaskSlot.State.CLAIMED


def test_an_answer_after_the_time_limit_is_refused(signed_in, claimed_slot, clock):
    clock.advance(claimed_slot.deadline - clock.now() + timedelta(seconds=1))

    response = signed_in.post(
        f"/tasks/{claimed_slot.pk}/submit/", {"answer": {"a": 1}}, content_type="application/json"
    )

    assert response.status_code == 409
    assert response.json()["field"] == "deadline"


def test_an_expired_claim_has_a_clear_page(signed_in, claimed_slot, clock):
    clock.advance(claimed_slot.deadline - clock.now() + timedelta(seconds=1))

    response = signed_in.get(f"/tasks/{claimed_slot.pk}/")

    assert response.status_code == 410
    assert "time limit for this task has passed" in response.content.decode()


def test_release_puts_the_task_back_in_the_queue(signed_in, claimed_slot):
    response = signed_in.post(f"/tasks/{claimed_slot.pk}/release/")

    assert response.status_code == 302 and response["Location"] == "/"
    claimed_slot.refresh_from_db()
    assert claimed_slot.state == TaskSlot.State.OPEN
    assert OpenSlot.objects.filter(slot=claimed_slot).exists()


def test_decline_opens_the_next_task_and_never_offers_the_declined_one_again(
    signed_in, flow, reviewer, clock
):
    first, second = StartedLoopFactory.create_batch(2, flow_definition=flow)
    slot_id = int(start(signed_in, flow)["Location"].split("/")[2])
    assert TaskSlot.objects.get(pk=slot_id).loop == first

    response = signed_in.post(f"/tasks/{slot_id}/decline/")

    following = TaskSlot.objects.get(loop=second)
    assert response.status_code == 302 and response["Location"] == f"/tasks/{following.pk}/"
    signed_in.post(f"/tasks/{following.pk}/release/")
    again = start(signed_in, flow)
    assert again["Location"] == f"/tasks/{following.pk}/"  # the released one, never the first


def test_held_tasks_are_offered_to_resume(signed_in, claimed_slot):
    response = signed_in.get("/")

    assert f'href="/tasks/{claimed_slot.pk}/"' in response.content.decode()


def test_pages_need_a_signed_in_reviewer(client, claimed_slot):
    for url in ["/", f"/tasks/{claimed_slot.pk}/", f"/tasks/{claimed_slot.pk}/frame/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_sign_in_and_password_reset_pages_render(client):
    login = client.get("/accounts/login/")
    reset = client.get("/accounts/password_reset/")

    assert login.status_code == reset.status_code == 200
    assert 'name="username"' in login.content.decode()
    assert "Reset your password" in reset.content.decode()


def test_a_reviewer_signs_in_and_lands_on_their_jobs(client, reviewer, flow):
    reviewer.set_password("correct horse battery")
    reviewer.save()

    response = client.post(
        "/accounts/login/", {"username": "reviewer", "password": "correct horse battery"}
    )

    assert response.status_code == 302 and response["Location"] == "/"
