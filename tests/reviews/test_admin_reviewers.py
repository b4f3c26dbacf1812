"""The users admin as the operator's reviewer page: Django's user admin, plus what each
reviewer did in the last 30 days."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


def readonly(html: str, field: str) -> str:
    """The text of a read-only field on a change page, tags and spacing removed."""
    block = re.search(
        rf'<div class="form-row field-{field}">.*?<div class="readonly">(.*?)</div>', html, re.S
    )
    assert block, f"no read-only field {field}"
    return " ".join(re.sub(r"<[^>]+>", "", block.group(1)).split())


def test_the_reviewer_page_shows_teams_tasks_time_per_task_and_agreement(operator_client, day):
    html = operator_client.get(f"/admin/auth/user/{day.alice.pk}/change/").content.decode()

    assert "Review work, last 30 days" in html
    assert readonly(html, "review_teams") == "day-team, night-shift"
    assert f'href="/admin/workflows/workteam/{day.night_shift.pk}/change/"' in html
    assert readonly(html, "review_tasks_done") == "8"
    assert readonly(html, "review_median_time_per_task") == "5 min of active work"
    assert readonly(html, "review_agreement") == (
        "60%: matched every other answer in 3 of 5 loops answered by several reviewers"
    )


def test_the_reviewer_page_says_how_agreement_is_counted(operator_client, day):
    html = operator_client.get(f"/admin/auth/user/{day.bob.pk}/change/").content.decode()

    assert "the share in which their answer matched every other answer" in html
    assert readonly(html, "review_agreement").startswith(
        "75%: matched every other answer in 3 of 4"
    )


def test_a_user_without_work_gets_plain_sentences_instead_of_figures(operator_client, clock):
    idle = UserFactory(username="idle")

    html = operator_client.get(f"/admin/auth/user/{idle.pk}/change/").content.decode()

    assert readonly(html, "review_teams") == "In no work team: this user gets no tasks."
    assert readonly(html, "review_tasks_done") == "0"
    assert readonly(html, "review_median_time_per_task") == "No task done in the last 30 days."
    assert readonly(html, "review_agreement").startswith("No loop answered together")


def test_the_user_list_shows_tasks_done_in_the_last_30_days(operator_client, day):
    html = operator_client.get("/admin/auth/user/").content.decode()

    counts = dict(re.findall(r'>([a-z]+)</a></th>.*?<td class="field-tasks_done">(\d+)</td>', html))
    assert counts == {"alice": "8", "bob": "5", "carol": "3", "operator": "0"}


def test_the_user_list_sorts_by_tasks_done(operator_client, day):
    by_tasks_done = {"o": "-6"}  # column 0 is the action checkbox
    html = operator_client.get("/admin/auth/user/", by_tasks_done).content.decode()

    names = re.findall(r'<th class="field-username"><a [^>]*>([a-z]+)</a>', html)
    assert names[:3] == ["alice", "bob", "carol"]


def test_the_user_list_costs_the_same_queries_for_many_users(operator_client, day):
    operator_client.get("/admin/auth/user/")  # warm the content types and permissions caches
    with CaptureQueriesContext(connection) as few:
        operator_client.get("/admin/auth/user/")
    UserFactory.create_batch(20)

    with CaptureQueriesContext(connection) as many:
        operator_client.get("/admin/auth/user/")

    assert len(many.captured_queries) == len(few.captured_queries) <= 6


def test_everything_the_user_admin_does_still_works(operator_client, day):
    assert operator_client.get("/admin/auth/user/add/").status_code == 200
    assert operator_client.get(f"/admin/auth/user/{day.bob.pk}/password/").status_code == 200
    assert "alice" in operator_client.get("/admin/auth/user/", {"q": "ali"}).content.decode()

    response = operator_client.post(
        "/admin/auth/user/add/",
        {
            "username": "dora",
            "password1": "a-long-new-password-7",
            "password2": "a-long-new-password-7",
            "usable_password": "true",
        },
    )

    assert response.status_code == 302
    assert User.objects.filter(username="dora").exists()
