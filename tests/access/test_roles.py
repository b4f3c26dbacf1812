"""The operator and reviewer roles: made by migrate, kept by ensure_roles(), and what each may open
in the admin. The admin pages are those of every model registered, whoever registered it."""

from __future__ import annotations

import inspect
from io import StringIO

import factory
import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.db import models
from django.test import RequestFactory
from django.urls import reverse

from a2i_portal.access.roles import OPERATOR, REVIEWER, ensure_roles
from tests import factories
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def label(model: type[models.Model]) -> str:
    return model._meta.label_lower


@pytest.fixture
def operator_user(db):  # noqa: ANN001
    """Staff, in the operator group, not a superuser."""
    user = UserFactory(username="console", is_staff=True)
    user.groups.add(Group.objects.get(name=OPERATOR))
    return user


@pytest.fixture
def reviewer_user(db):  # noqa: ANN001
    user = UserFactory(username="worker")
    user.groups.add(Group.objects.get(name=REVIEWER))
    return user


def factory_for(model: type[models.Model]) -> type[factory.django.DjangoModelFactory] | None:
    """The factory in tests/factories.py that makes `model`, preferring `<Model>Factory`."""
    found = [
        candidate
        for candidate in vars(factories).values()
        if inspect.isclass(candidate)
        and issubclass(candidate, factory.django.DjangoModelFactory)
        and candidate._meta.model is model
    ]
    found.sort(key=lambda candidate: candidate.__name__ != f"{model.__name__}Factory")
    return found[0] if found else None


def instance_of(model: type[models.Model]) -> models.Model:
    """A row to open: one made by the fixtures, else one from the model's factory."""
    existing = model._default_manager.order_by("pk").first()
    if existing is not None:
        return existing
    maker = factory_for(model)
    if maker is None:
        pytest.fail(f"no {label(model)} to open: add a factory for it to tests/factories.py")
    return maker()


@pytest.fixture
def world(open_loop, claimed_slot):  # noqa: ANN001
    """Teams, a task UI, a flow definition, a loop and a claimed task: rows of most models."""
    return open_loop


def pages(model: type[models.Model], model_admin: admin.ModelAdmin, user) -> list[str]:  # noqa: ANN001
    """Every admin page of the model this user is offered: list, add, change, history, delete."""
    request = RequestFactory().get("/admin/")
    request.user = user
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    urls = [reverse(f"{name}_changelist")]
    if model_admin.has_add_permission(request):
        urls.append(reverse(f"{name}_add"))
    obj = instance_of(model)
    urls.append(reverse(f"{name}_change", args=[quote(obj.pk)]))
    urls.append(reverse(f"{name}_history", args=[quote(obj.pk)]))
    if model_admin.has_delete_permission(request, obj):
        urls.append(reverse(f"{name}_delete", args=[quote(obj.pk)]))
    return urls


# Made by migrate, kept by ensure_roles()


def test_migrate_made_both_roles():
    operator = Group.objects.get(name=OPERATOR)
    reviewer = Group.objects.get(name=REVIEWER)

    held = set(operator.permissions.values_list("content_type__app_label", "codename"))
    for app_label, model in [
        ("workflows", "workteam"),
        ("workflows", "flowdefinition"),
        ("workflows", "humantaskui"),
        ("reviews", "humanloop"),
        ("access", "accesskey"),
        ("auth", "user"),
        ("auth", "group"),
    ]:
        for action in ["view", "add", "change", "delete"]:
            assert (app_label, f"{action}_{model}") in held
    assert not reviewer.permissions.exists()


def test_operators_get_no_permission_outside_their_apps():
    operator = Group.objects.get(name=OPERATOR)

    apps = set(operator.permissions.values_list("content_type__app_label", flat=True))

    assert apps == {"workflows", "reviews", "access", "auth"}
    assert not operator.permissions.filter(content_type__model="permission").exists()


def test_every_permission_of_the_operator_apps_is_granted():
    operator = Group.objects.get(name=OPERATOR)
    wanted = Permission.objects.filter(content_type__app_label__in=["workflows", "reviews"])

    assert not wanted.exclude(pk__in=operator.permissions.values("pk")).exists()


def test_ensuring_the_roles_again_changes_nothing():
    before = list(Group.objects.get(name=OPERATOR).permissions.order_by("pk"))

    changes = ensure_roles()

    assert [str(change) for change in changes] == ["operator: up to date", "reviewer: up to date"]
    assert list(Group.objects.get(name=OPERATOR).permissions.order_by("pk")) == before
    assert Group.objects.filter(name__in=[OPERATOR, REVIEWER]).count() == 2


def test_ensuring_the_roles_puts_back_what_was_changed_by_hand():
    operator = Group.objects.get(name=OPERATOR)
    operator.permissions.remove(Permission.objects.get(codename="change_workteam"))
    operator.permissions.add(Permission.objects.get(codename="delete_logentry"))
    Group.objects.get(name=REVIEWER).permissions.add(Permission.objects.get(codename="view_user"))

    changes = ensure_roles()

    assert changes[0].added == ("workflows.change_workteam",)
    assert changes[0].removed == ("admin.delete_logentry",)
    assert changes[1].removed == ("auth.view_user",)
    assert operator.permissions.filter(codename="change_workteam").exists()
    assert not operator.permissions.filter(codename="delete_logentry").exists()
    assert not Group.objects.get(name=REVIEWER).permissions.exists()


def test_a_deleted_role_is_made_again():
    Group.objects.filter(name=OPERATOR).delete()

    changes = ensure_roles()

    assert changes[0].created
    assert str(changes[0]).startswith("operator: created with ")
    assert Group.objects.get(name=OPERATOR).permissions.exists()


def test_the_command_reports_each_role():
    out = StringIO()

    call_command("setup_roles", stdout=out)

    assert out.getvalue().splitlines() == ["operator: up to date", "reviewer: up to date"]


def test_the_command_makes_a_user_an_operator(outsider):
    out = StringIO()

    call_command("setup_roles", "--operator", outsider.username, stdout=out)

    outsider.refresh_from_db()
    assert outsider.is_staff
    assert not outsider.is_superuser
    assert list(outsider.groups.values_list("name", flat=True)) == [OPERATOR]
    assert "outsider: operator" in out.getvalue()


def test_the_command_refuses_an_unknown_user_and_changes_nothing(outsider):
    with pytest.raises(CommandError, match="--operator: there is no user named nobody"):
        call_command("setup_roles", "--operator", outsider.username, "--operator", "nobody")

    outsider.refresh_from_db()
    assert not outsider.is_staff
    assert not outsider.groups.exists()


def test_the_demo_s_reviewers_have_the_reviewer_role(settings, tmp_path):
    settings.VAR_DIR = tmp_path

    call_command("seed_demo", stdout=StringIO())

    reviewers = Group.objects.get(name=REVIEWER).user_set.values_list("username", flat=True)
    assert sorted(reviewers) == ["reviewer1", "reviewer2"]


# What each role may open


@pytest.mark.parametrize(
    ("model", "model_admin"), REGISTERED, ids=[label(model) for model, _ in REGISTERED]
)
def test_an_operator_opens_every_admin_page_of_every_model(
    client, world, operator_user, model, model_admin
):
    client.force_login(operator_user)

    for url in pages(model, model_admin, operator_user):
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"


@pytest.mark.parametrize(
    ("model", "model_admin"), REGISTERED, ids=[label(model) for model, _ in REGISTERED]
)
def test_a_reviewer_is_sent_to_the_admin_sign_in_from_every_page(
    client, world, operator_user, reviewer_user, model, model_admin
):
    client.force_login(reviewer_user)

    for url in pages(model, model_admin, operator_user):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(f"{reverse('admin:login')}?next="), url


def test_the_operator_s_console_lists_the_portal_s_apps(client, operator_user):
    client.force_login(operator_user)

    response = client.get(reverse("admin:index"))

    apps = {app["app_label"] for app in response.context["app_list"]}
    assert {"workflows", "reviews", "access", "auth"} <= apps


def test_a_reviewer_has_no_admin_access(client, reviewer_user):
    client.force_login(reviewer_user)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
