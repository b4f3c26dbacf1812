"""The work team console: counts in the list, saving through the services, adding a reviewer by
email all the way to their first sign-in."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from a2i_portal.access.roles import OPERATOR
from tests.factories import FlowDefinitionFactory, GroupFactory, UserFactory, WorkTeamFactory
from workflows.models import WorkTeam

pytestmark = pytest.mark.django_db

TEAMS = "/admin/workflows/workteam/"
LINK = re.compile(r"http://testserver(/accounts/reset/[\w-]+/[\w-]+/)")


def change_url(team: WorkTeam) -> str:
    return f"{TEAMS}{team.pk}/change/"


def invite_url(team: WorkTeam) -> str:
    return f"{TEAMS}{team.pk}/invite/"


def team_form(**fields: object) -> dict[str, object]:
    return {"description": "Reviewers", "notify_by_email": "on", **fields}


# The list


def test_the_list_shows_reviewer_counts_and_the_flows_using_each_team(operator_client, team):
    group = GroupFactory()
    for user in [UserFactory(), UserFactory(), team.members.first()]:
        user.groups.add(group)
    team.member_groups.add(group)
    flow = FlowDefinitionFactory(work_team=team, name="invoices")

    response = operator_client.get(TEAMS)

    row = next(r for r in response.context["cl"].result_list if r.pk == team.pk)
    # 2 direct members, 3 in the group, one of them both: 4 reviewers
    assert (row.reviewer_total, row.member_total, row.group_total) == (4, 2, 1)
    content = response.content.decode()
    assert f'href="/admin/workflows/flowdefinition/{flow.pk}/change/">invoices</a>' in content


def test_the_list_counts_deactivated_members_only_as_direct_members(operator_client, team):
    team.members.update(is_active=False)

    response = operator_client.get(TEAMS)

    row = response.context["cl"].result_list[0]
    assert (row.reviewer_total, row.member_total) == (0, 2)


def test_the_list_takes_the_same_queries_for_many_teams(
    operator_client, team, django_assert_max_num_queries
):
    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert operator_client.get(TEAMS).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(8):
        many = WorkTeamFactory(members=[UserFactory(), UserFactory()])
        many.member_groups.add(GroupFactory())
        FlowDefinitionFactory(work_team=many)
        FlowDefinitionFactory(work_team=many)

    assert queries() == few


def test_the_list_finds_a_team_by_a_reviewer_s_email(operator_client, team, reviewer):
    WorkTeamFactory(name="other")

    response = operator_client.get(TEAMS, {"q": reviewer.email})

    assert [t.name for t in response.context["cl"].result_list] == [team.name]


def test_a_team_s_many_flows_end_in_a_link_to_the_rest(operator_client, team):
    for name in ["a", "b", "c", "d", "e"]:
        FlowDefinitionFactory(work_team=team, name=f"flow-{name}")

    content = operator_client.get(TEAMS).content.decode()

    assert f'?work_team__id__exact={team.pk}">and 2 more</a>' in content


# Saving through the services


def test_a_team_added_in_the_admin_is_made_by_the_service(operator_client, reviewer, clock):
    group = GroupFactory()

    response = operator_client.post(
        f"{TEAMS}add/",
        team_form(name="labellers", members=[reviewer.pk], member_groups=[group.pk]),
    )

    assert response.status_code == 302
    team = WorkTeam.objects.get(name="labellers")
    assert team.created_at == team.updated_at == clock.now()
    assert list(team.members.all()) == [reviewer]
    assert list(team.member_groups.all()) == [group]


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("-bad", "letters, digits and hyphens"),
        ("with space", "letters, digits and hyphens"),
        ("x" * 64, "at most 63 characters"),
    ],
)
def test_a_bad_team_name_is_refused_on_the_name_field(operator_client, name, rule):
    response = operator_client.post(f"{TEAMS}add/", team_form(name=name))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["name"]
    assert rule in errors["name"][0]
    assert not WorkTeam.objects.exists()


def test_a_taken_team_name_is_refused_on_the_name_field(operator_client, team):
    response = operator_client.post(f"{TEAMS}add/", team_form(name=team.name))

    assert list(response.context["adminform"].form.errors) == ["name"]
    assert WorkTeam.objects.count() == 1


def test_an_empty_description_is_refused_on_its_field(operator_client):
    response = operator_client.post(f"{TEAMS}add/", team_form(name="labellers", description=""))

    assert list(response.context["adminform"].form.errors) == ["description"]
    assert not WorkTeam.objects.exists()


def test_a_change_goes_through_the_service_and_sets_updated_at(
    operator_client, team, outsider, clock
):
    clock.advance(timedelta(hours=1))

    response = operator_client.post(
        change_url(team), team_form(description="Night shift", members=[outsider.pk])
    )

    assert response.status_code == 302
    team.refresh_from_db()
    assert team.description == "Night shift"
    assert team.updated_at == clock.now()
    assert list(team.members.all()) == [outsider]


def test_a_team_keeps_its_name_when_changed(operator_client, team):
    operator_client.post(change_url(team), team_form(name="renamed"))

    team.refresh_from_db()
    assert team.name != "renamed"


def test_a_change_refused_by_the_service_says_why_and_writes_nothing(
    operator_client, team, monkeypatch
):
    from a2i_portal.errors import NotFound

    def gone(**kwargs: object) -> None:
        raise NotFound("name", "the work team no longer exists")

    monkeypatch.setattr("workflows.admin.teams.update_work_team", gone)

    response = operator_client.post(change_url(team), team_form(description="New"), follow=True)

    assert "Name: the work team no longer exists" in response.content.decode()
    team.refresh_from_db()
    assert team.description == "Reviewers"


def test_a_team_in_use_cannot_be_deleted(operator_client, flow):
    response = operator_client.post(f"{TEAMS}{flow.work_team.pk}/delete/", {"post": "yes"})

    assert response.status_code == 200  # the page lists the flow definition that protects it
    assert flow.name in response.content.decode()
    assert WorkTeam.objects.filter(pk=flow.work_team.pk).exists()


def test_an_unused_team_is_deleted(operator_client, team):
    response = operator_client.post(f"{TEAMS}{team.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not WorkTeam.objects.exists()


# The change page


def test_the_change_page_links_to_adding_a_reviewer_by_email(operator_client, team):
    content = operator_client.get(change_url(team)).content.decode()

    assert f'href="{invite_url(team)}"' in content
    assert "Add a reviewer by email" in content


def test_the_change_page_picks_reviewers_with_a_search_widget(operator_client, team):
    form = operator_client.get(change_url(team)).context["adminform"].form

    for field in ["members", "member_groups"]:
        assert "admin-autocomplete" in form[field].as_widget()


def test_the_change_page_says_who_gets_the_tasks(operator_client, team, flow, mailoutbox):
    from workflows.services.teams import invite_reviewer

    invite_reviewer(team=team, email="new@example.org")
    group = GroupFactory(name="night-shift")
    team.member_groups.add(group)

    content = operator_client.get(change_url(team)).content.decode()

    assert "new@example.org" in content
    assert "waiting for a password" in content
    assert "night-shift" in content
    assert flow.name in content


def test_an_operator_who_is_not_a_superuser_can_search_reviewers(client, team, reviewer):
    operator = UserFactory(is_staff=True)
    operator.groups.add(Group.objects.get(name=OPERATOR))
    client.force_login(operator)

    response = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "workflows",
            "model_name": "workteam",
            "field_name": "members",
            "term": "rev",
        },
    )

    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == [reviewer.username]


# Adding a reviewer by email


def test_the_invitation_page_loads(operator_client, team):
    response = operator_client.get(invite_url(team))

    assert response.status_code == 200
    assert team.name in response.content.decode()


def test_a_reviewer_invited_in_the_admin_sets_a_password_and_signs_in(
    operator_client, team, mailoutbox
):
    response = operator_client.post(invite_url(team), {"email": "alice@example.org"}, follow=True)

    assert response.redirect_chain[-1][0] == change_url(team)
    assert "emailed a link to choose a password" in response.content.decode()
    user = User.objects.get(email="alice@example.org")
    assert team.members.filter(pk=user.pk).exists()
    assert len(mailoutbox) == 1
    link = LINK.search(mailoutbox[0].body).group(1)

    browser = Client()
    form_page = browser.get(link, follow=True)
    assert form_page.context["validlink"] is True
    set_url = form_page.redirect_chain[-1][0]
    password = "a-new-and-long-passphrase"
    done = browser.post(set_url, {"new_password1": password, "new_password2": password})
    assert done.status_code == 302
    assert done.url == "/accounts/reset/done/"

    signed_in = Client().post("/accounts/login/", {"username": user.username, "password": password})
    assert signed_in.status_code == 302
    assert signed_in.wsgi_request.user == user
    assert Client().get(link, follow=True).context["validlink"] is False  # used once


def test_add_and_invite_another_comes_back_to_the_invitation_page(
    operator_client, team, mailoutbox
):
    response = operator_client.post(
        invite_url(team), {"email": "alice@example.org", "_addanother": "1"}
    )

    assert response.status_code == 302
    assert response.url == invite_url(team)


def test_inviting_an_address_again_adds_the_account_it_has(operator_client, team, mailoutbox):
    other = WorkTeamFactory()
    operator_client.post(invite_url(team), {"email": "alice@example.org"})

    operator_client.post(invite_url(other), {"email": "alice@example.org"})

    assert User.objects.filter(email="alice@example.org").count() == 1
    assert other.members.filter(email="alice@example.org").exists()


@pytest.mark.parametrize(
    ("email", "rule"),
    [("", "This field is required."), ("not-an-address", "must be an email address")],
)
def test_a_bad_address_is_refused_on_the_email_field(
    operator_client, team, mailoutbox, email, rule
):
    response = operator_client.post(invite_url(team), {"email": email})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["email"]
    assert rule in errors["email"][0]
    assert User.objects.count() == 3  # the operator and the team's two reviewers
    assert mailoutbox == []


def test_a_reviewer_already_in_the_team_is_refused_on_the_email_field(
    operator_client, team, reviewer, mailoutbox
):
    response = operator_client.post(invite_url(team), {"email": reviewer.email})

    assert response.status_code == 200
    assert "already a reviewer" in response.context["form"].errors["email"][0]
    assert mailoutbox == []


def test_the_invitation_is_in_the_team_s_history(operator_client, team, mailoutbox):
    operator_client.post(invite_url(team), {"email": "alice@example.org"})

    content = operator_client.get(f"{TEAMS}{team.pk}/history/").content.decode()

    assert "Added reviewer “alice”." in content


def test_a_staff_user_without_change_permission_cannot_invite(client, team):
    viewer = UserFactory(is_staff=True)
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_workteam"))
    client.force_login(viewer)

    assert client.get(invite_url(team)).status_code == 403
    assert client.post(invite_url(team), {"email": "alice@example.org"}).status_code == 403
    assert not User.objects.filter(email="alice@example.org").exists()


def test_inviting_to_a_team_that_does_not_exist_goes_back_to_the_list(operator_client):
    response = operator_client.get(f"{TEAMS}999999/invite/")

    assert response.status_code == 302
    assert response.url == "/admin/"


def test_the_bulk_delete_removes_unused_teams_through_the_service(operator_client, team):
    unused = WorkTeamFactory()

    response = operator_client.post(
        TEAMS,
        {"action": "delete_selected", "_selected_action": [team.pk, unused.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert not WorkTeam.objects.exists()


def test_the_bulk_delete_refuses_teams_in_use(operator_client, flow):
    response = operator_client.post(
        TEAMS,
        {"action": "delete_selected", "_selected_action": [flow.work_team.pk], "post": "yes"},
    )

    assert response.status_code == 200
    assert flow.name in response.content.decode()
    assert WorkTeam.objects.filter(pk=flow.work_team.pk).exists()
