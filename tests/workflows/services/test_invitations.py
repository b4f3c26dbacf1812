"""Adding a reviewer to a work team by email: the account made once, the set-password link."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User

from a2i_portal.access.roles import REVIEWER
from a2i_portal.errors import Conflict, Invalid, NotFound
from tests.concurrency.threads import run_together, values
from tests.factories import GroupFactory, UserFactory, WorkTeamFactory
from workflows.models import WorkTeam
from workflows.services.teams import invite_reviewer, username_base

pytestmark = pytest.mark.django_db

SITE = "https://review.example.org/"
LINK = re.compile(r"https://review\.example\.org/accounts/reset/[\w-]+/[\w-]+/")


def invite(team: WorkTeam, email: str):  # noqa: ANN201
    return invite_reviewer(team=team, email=email, site_url=SITE)


def test_a_new_address_gets_an_account_in_the_team_and_one_email(team, mailoutbox, clock):
    clock.advance(timedelta(minutes=5))

    invitation = invite(team, "alice@example.org")

    user = User.objects.get(email="alice@example.org")
    assert invitation.user == user
    assert (invitation.created, invitation.added, invitation.emailed) == (True, True, True)
    assert user.username == "alice"
    assert not user.has_usable_password()
    assert not user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == [REVIEWER]
    assert team.members.filter(pk=user.pk).exists()
    team.refresh_from_db()
    assert team.updated_at == clock.now()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["alice@example.org"]
    assert team.name in mailoutbox[0].subject


def test_the_email_holds_the_set_password_link_on_the_given_site_and_the_user_name(
    team, mailoutbox
):
    invite(team, "alice@example.org")

    body = mailoutbox[0].body
    assert LINK.search(body)
    assert "Your user name is: alice" in body
    assert "https://review.example.org/accounts/login/" in body
    assert "3 days" in body  # Django's PASSWORD_RESET_TIMEOUT


def test_a_second_invitation_of_the_address_adds_the_account_it_made(team, mailoutbox):
    other = WorkTeamFactory()
    first = invite(team, "alice@example.org")

    second = invite(other, "Alice@Example.org")

    assert User.objects.filter(email__iexact="alice@example.org").count() == 1
    assert second.user == first.user
    assert (second.created, second.added) == (False, True)
    assert other.members.filter(pk=first.user.pk).exists()


def test_someone_with_a_password_is_added_without_an_email(team, outsider, mailoutbox):
    invitation = invite(team, outsider.email.upper())

    assert (invitation.user, invitation.created, invitation.emailed) == (outsider, False, False)
    assert team.members.filter(pk=outsider.pk).exists()
    assert mailoutbox == []


def test_inviting_again_someone_who_has_no_password_yet_sends_a_new_link(team, mailoutbox):
    invite(team, "alice@example.org")

    again = invite(team, "alice@example.org")

    assert (again.created, again.added, again.emailed) == (False, False, True)
    assert len(mailoutbox) == 2
    assert team.members.filter(email="alice@example.org").count() == 1


def test_a_reviewer_already_in_the_team_is_refused_and_nothing_changes(team, reviewer, clock):
    before = WorkTeam.objects.get(pk=team.pk).updated_at
    clock.advance(timedelta(minutes=5))

    with pytest.raises(Conflict, match="already a reviewer") as refused:
        invite(team, reviewer.email)

    assert refused.value.field == "email"
    assert WorkTeam.objects.get(pk=team.pk).updated_at == before


def test_a_reviewer_in_one_of_the_team_s_groups_is_already_a_reviewer(outsider, mailoutbox):
    group = GroupFactory()
    outsider.groups.add(group)
    team = WorkTeamFactory()
    team.member_groups.add(group)

    with pytest.raises(Conflict, match="already a reviewer"):
        invite(team, outsider.email)

    assert not team.members.exists()
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("email", "rule"),
    [
        ("", "must be an email address"),
        ("alice", "must be an email address"),
        ("alice@", "must be an email address"),
        ("alice@example.org, bob@example.org", "must be an email address"),
        ("a" * 250 + "@example.org", "at most 254 characters"),
    ],
)
def test_a_bad_address_is_refused_naming_the_field_and_writes_nothing(
    team, mailoutbox, email, rule
):
    with pytest.raises(Invalid, match=rule) as refused:
        invite(team, email)

    assert refused.value.field == "email"
    assert not User.objects.exclude(pk__in=team.members.values("pk")).exists()
    assert team.members.count() == 2
    assert mailoutbox == []


def test_a_deactivated_account_is_refused(team, outsider, mailoutbox):
    outsider.is_active = False
    outsider.save()

    with pytest.raises(Conflict, match="deactivated") as refused:
        invite(team, outsider.email)

    assert refused.value.field == "email"
    assert not team.members.filter(pk=outsider.pk).exists()


def test_an_address_two_accounts_share_is_refused(team, mailoutbox):
    UserFactory(username="ann", email="ann@example.org")
    UserFactory(username="ann-lee", email="ANN@example.org")

    with pytest.raises(Conflict, match="more than one account"):
        invite(team, "ann@example.org")

    assert team.members.count() == 2


def test_a_taken_user_name_gets_a_number(team, mailoutbox):
    UserFactory(username="alice", email="alice@elsewhere.org")

    invitation = invite(team, "alice@example.org")

    assert invitation.user.username == "alice2"


def test_the_user_name_is_the_local_part_in_the_characters_user_names_allow():
    assert username_base("Ann.Lee+Review@Example.COM") == "ann.lee+review"
    assert username_base("o'brien@example.org") == "obrien"
    assert username_base("!!!@example.org") == "reviewer"
    assert len(username_base("a" * 200 + "@example.org")) <= 140


def test_the_address_is_kept_with_the_domain_in_lower_case(team, mailoutbox):
    invitation = invite(team, "  Ann.Lee@Example.COM ")

    assert invitation.user.email == "Ann.Lee@example.com"


def test_an_email_that_cannot_be_sent_undoes_the_invitation(team, monkeypatch):
    def refuse(**kwargs: object) -> None:
        raise ConnectionRefusedError("connection refused")

    monkeypatch.setattr("workflows.services.teams.send_mail", refuse)

    with pytest.raises(Conflict, match="could not be sent") as refused:
        invite(team, "alice@example.org")

    assert refused.value.field == "email"
    assert not User.objects.filter(email="alice@example.org").exists()
    assert team.members.count() == 2


def test_inviting_to_a_team_that_was_deleted_is_not_found(mailoutbox):
    team = WorkTeamFactory()
    WorkTeam.objects.filter(pk=team.pk).delete()

    with pytest.raises(NotFound):
        invite(team, "alice@example.org")

    assert not User.objects.exists()
    assert mailoutbox == []


def test_a_new_account_joins_the_reviewer_group_even_if_someone_deleted_it(team, mailoutbox):
    Group.objects.filter(name=REVIEWER).delete()

    invitation = invite(team, "alice@example.org")

    assert invitation.user.groups.get().name == REVIEWER


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_invitations_of_one_new_address_to_two_teams_at_once_make_one_account():
    first, second = WorkTeamFactory(), WorkTeamFactory()

    invitations = values(
        run_together(
            [
                lambda: invite(first, "alice@example.org"),
                lambda: invite(second, "alice@example.org"),
                lambda: invite(second, "ALICE@example.org"),
            ]
        )
    )

    user = User.objects.get(email__iexact="alice@example.org")
    assert [invitation.user for invitation in invitations] == [user] * 3
    assert sum(invitation.created for invitation in invitations) == 1
    assert list(first.members.all()) == [user]
    assert list(second.members.all()) == [user]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_invitations_of_one_new_address_to_one_team_add_it_once():
    team = WorkTeamFactory()

    invitations = values(run_together([lambda: invite(team, "bob@example.org")] * 2))

    user = User.objects.get(email="bob@example.org")
    assert sorted(i.created for i in invitations) == [False, True]
    assert sorted(i.added for i in invitations) == [False, True]
    assert list(team.members.all()) == [user]
