"""An operator who has never seen the portal, from the admin alone: adds a reviewer to a team,
creates a task UI from the gallery and previews it, creates a flow definition, watches a loop
arrive and complete, and exports the result."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client

from a2i_portal.access.roles import OPERATOR, ensure_roles
from reviews.models import HumanLoop, TaskSlot
from tests.api.conftest import key_client
from tests.factories import UserFactory
from workflows.models import FlowDefinition, HumanTaskUi, WorkTeam

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def operator_role(db):  # noqa: ANN001
    """An operator by role: staff, in the operator group, not a superuser."""
    ensure_roles()
    person = UserFactory(username="olivia", is_staff=True)
    person.groups.add(Group.objects.get(name=OPERATOR))
    client = Client()
    client.force_login(person)
    return client


def test_an_operator_runs_review_work_from_the_admin_alone(operator_role, outputs_dir, objects_dir):
    admin = operator_role

    # A team, and a reviewer added by email who chooses a password from the emailed link.
    response = admin.post(
        "/admin/workflows/workteam/add/",
        {
            "name": "support-reviewers",
            "description": "Reviews support tickets",
            "notify_by_email": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    team = WorkTeam.objects.get(name="support-reviewers")
    response = admin.post(
        f"/admin/workflows/workteam/{team.pk}/invite/", {"email": "rae@example.com"}
    )
    assert response.status_code == 302
    (invitation,) = mail.outbox
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", invitation.body).group(1)
    reviewer = Client()
    set_password_page = reviewer.get(link, follow=True)
    reviewer.post(
        set_password_page.request["PATH_INFO"],
        {"new_password1": "a-long-new-pass-42", "new_password2": "a-long-new-pass-42"},
    )
    assert reviewer.login(username="rae", password="a-long-new-pass-42")

    # A task UI from the gallery, previewed with its sample input.
    response = admin.post(
        "/admin/workflows/humantaskui/gallery/", {"sample": "sentiment", "name": "ticket-sentiment"}
    )
    assert response.status_code == 302
    task_ui = HumanTaskUi.objects.get(name="ticket-sentiment")
    preview = admin.post(
        "/admin/workflows/humantaskui/preview/",
        {"content": task_ui.content, "sample_input": '{"taskObject": {"text": "Still broken"}}'},
    )
    assert preview.status_code == 200
    assert "Still broken" in preview.content.decode()
    assert "crowd-classifier" in preview.content.decode()

    # A flow definition.
    response = admin.post(
        "/admin/workflows/flowdefinition/add/",
        {
            "name": "ticket-sentiment-review",
            "work_team": team.pk,
            "task_ui": task_ui.pk,
            "request_source": "",
            "activation_conditions": "",
            "task_title": "Sentiment of a support ticket",
            "task_description": "Read the ticket and choose its sentiment",
            "task_keywords": "support, sentiment",
            "task_count": 1,
            "task_availability_lifetime": 86400,
            "task_time_limit": 600,
            "output_path": "s3://support-bucket/reviews",
            "kms_key_id": "",
            "role_arn": "arn:aws:iam::111122223333:role/A2IExecutionRole",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    flow = FlowDefinition.objects.get(name="ticket-sentiment-review")

    # A client program starts a loop; it arrives in the loop list.
    client_program = key_client(UserFactory(username="model-service"))
    started = client_program.post(
        "/api/v1/human-loops/",
        {
            "name": "ticket-1",
            "flow_definition": flow.name,
            "input": {"taskObject": {"text": "Thanks, it works now!"}},
        },
        format="json",
    )
    assert started.status_code == 201
    listing = admin.get("/admin/reviews/humanloop/", {"flow_definition__id__exact": flow.pk})
    assert "ticket-1" in listing.content.decode()

    # The reviewer answers it; the operator sees it completed and exports the result.
    response = reviewer.post(f"/jobs/{flow.name}/start/")
    slot_id = int(response["Location"].strip("/").split("/")[-1])
    answer = {"sentiment": {"label": "Positive"}}
    submitted = reviewer.post(
        f"/tasks/{slot_id}/submit/", {"answer": answer}, content_type="application/json"
    )
    assert submitted.status_code == 200
    loop = HumanLoop.objects.get(name="ticket-1")
    assert loop.status == HumanLoop.Status.COMPLETED
    assert TaskSlot.objects.get(pk=slot_id).reviewer.username == "rae"
    completed = admin.get("/admin/reviews/humanloop/", {"status__exact": "Completed"})
    assert "ticket-1" in completed.content.decode()

    export = admin.post(
        "/admin/reviews/humanloop/", {"action": "export_jsonl", "_selected_action": [loop.pk]}
    )
    assert export.status_code == 200
    (line,) = b"".join(export.streaming_content).decode().splitlines()
    output = json.loads(line)
    assert output["humanLoopName"] == "ticket-1"
    assert output["flowDefinitionArn"] == flow.arn
    assert [entry["answerContent"] for entry in output["humanAnswers"]] == [answer]
