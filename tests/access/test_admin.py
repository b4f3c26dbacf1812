import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages

from a2i_portal.access.models import AccessKey
from a2i_portal.access.roles import OPERATOR
from a2i_portal.access.services import create_access_key
from tests.factories import AccessKeyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_access_key_pages_load_for_an_operator(operator_client, reviewer):
    key, _ = create_access_key(user=reviewer)

    for page in [
        "/admin/access/accesskey/",
        "/admin/access/accesskey/add/",
        f"/admin/access/accesskey/{key.pk}/change/",
    ]:
        assert operator_client.get(page).status_code == 200, page


def test_adding_a_key_shows_its_secret_once(operator_client, reviewer):
    response = operator_client.post(
        "/admin/access/accesskey/add/", {"user": reviewer.pk, "description": "etl"}
    )

    key = AccessKey.objects.get()
    assert (key.user, key.description) == (reviewer, "etl")
    assert response.status_code == 200  # the answer to the creation is the page with the secret
    content = response.content.decode()
    assert f"AWS_ACCESS_KEY_ID={key.key_id}" in content
    assert f"AWS_SECRET_ACCESS_KEY={key.secret}" in content
    assert "it cannot be\n    shown again" in content


def test_the_secret_is_kept_nowhere_on_the_way_to_the_page(operator_client, reviewer):
    response = operator_client.post(
        "/admin/access/accesskey/add/", {"user": reviewer.pk, "description": "etl"}
    )

    secret = AccessKey.objects.get().secret
    assert "no-store" in response["Cache-Control"]
    assert not [str(m) for m in get_messages(response.wsgi_request) if secret in str(m)]
    assert all(secret not in morsel.value for morsel in response.cookies.values())
    assert secret not in str(dict(operator_client.session))


def test_the_secret_is_never_shown_again(operator_client, reviewer):
    key, secret = create_access_key(user=reviewer)

    for page in ["/admin/access/accesskey/", f"/admin/access/accesskey/{key.pk}/change/"]:
        content = operator_client.get(page).content.decode()
        assert key.key_id in content
        assert secret not in content
        assert key.encrypted_secret not in content


def test_the_revoke_action_revokes_the_selected_keys(operator_client, reviewer, clock):
    key, _ = create_access_key(user=reviewer)
    kept, _ = create_access_key(user=reviewer)

    operator_client.post(
        "/admin/access/accesskey/",
        {"action": "revoke_selected", "_selected_action": [key.pk]},
    )

    assert AccessKey.objects.get(pk=key.pk).revoked_at == clock.now()
    assert AccessKey.objects.get(pk=kept.pk).revoked_at is None


def test_revoking_an_already_revoked_key_says_so(operator_client, reviewer):
    key, _ = create_access_key(user=reviewer)
    operator_client.post(
        "/admin/access/accesskey/", {"action": "revoke_selected", "_selected_action": [key.pk]}
    )

    response = operator_client.post(
        "/admin/access/accesskey/",
        {"action": "revoke_selected", "_selected_action": [key.pk]},
        follow=True,
    )

    assert f"{key.key_id}: access key {key.key_id} is already revoked" in response.content.decode()


def test_keys_cannot_be_deleted_only_revoked(operator_client, reviewer):
    key, _ = create_access_key(user=reviewer)

    assert operator_client.get(f"/admin/access/accesskey/{key.pk}/delete/").status_code == 403


def test_a_key_for_a_deactivated_user_is_refused_on_the_owner_field(operator_client, reviewer):
    reviewer.is_active = False
    reviewer.save()

    response = operator_client.post("/admin/access/accesskey/add/", {"user": reviewer.pk})

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["user"]
    assert "deactivated" in errors["user"][0]
    assert not AccessKey.objects.exists()


def test_the_owner_is_picked_with_a_search_widget(operator_client):
    form = operator_client.get("/admin/access/accesskey/add/").context["adminform"].form

    assert "admin-autocomplete" in form["user"].as_widget()


def test_the_list_says_each_key_s_state_and_last_use(operator_client, reviewer, outsider, clock):
    used = AccessKeyFactory(user=reviewer, last_used_at=clock.now())
    revoked = AccessKeyFactory(user=reviewer, revoked_at=clock.now())
    orphaned = AccessKeyFactory(user=outsider)
    outsider.is_active = False
    outsider.save()

    content = operator_client.get("/admin/access/accesskey/").content.decode()

    assert f"{clock.now():%Y-%m-%d %H:%M} UTC" in content
    assert "Never" in content
    assert "Active" in content
    assert "Revoked<div" in content
    assert "Unusable: owner deactivated" in content
    for key in [used, revoked, orphaned]:
        assert key.key_id in content


@pytest.mark.parametrize(
    ("state", "expected"),
    [("active", ["used"]), ("revoked", ["revoked"]), ("owner-deactivated", ["orphaned"])],
)
def test_the_list_filters_keys_by_state(operator_client, reviewer, outsider, state, expected):
    AccessKeyFactory(user=reviewer, description="used")
    AccessKeyFactory(user=reviewer, description="revoked", revoked_at=clock_now())
    AccessKeyFactory(user=outsider, description="orphaned")
    outsider.is_active = False
    outsider.save()

    response = operator_client.get("/admin/access/accesskey/", {"state": state})

    assert [key.description for key in response.context["cl"].result_list] == expected


def test_the_list_filters_keys_by_owner(operator_client, reviewer, outsider):
    mine = AccessKeyFactory(user=reviewer)
    AccessKeyFactory(user=outsider)

    response = operator_client.get("/admin/access/accesskey/", {"user__id__exact": reviewer.pk})

    assert list(response.context["cl"].result_list) == [mine]


def test_an_operator_who_is_not_a_superuser_creates_and_revokes_keys(client, reviewer):
    client.force_login(operator_role())
    client.post("/admin/access/accesskey/add/", {"user": reviewer.pk})
    key = AccessKey.objects.get()

    client.post(
        "/admin/access/accesskey/", {"action": "revoke_selected", "_selected_action": [key.pk]}
    )

    key.refresh_from_db()
    assert key.is_revoked


# The user admin in the hands of an operator who is not a superuser


def operator_role():  # noqa: ANN201
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=OPERATOR))
    return user


def test_an_operator_cannot_make_themselves_superuser(client):
    operator = operator_role()
    client.force_login(operator)
    page = client.get(f"/admin/auth/user/{operator.pk}/change/")
    data = {
        **{k: v for k, v in page.context["adminform"].form.initial.items() if v is not None},
        "groups": [group.pk for group in operator.groups.all()],
        "is_superuser": "on",
        "is_staff": "on",
        "is_active": "on",
        "date_joined_0": "2024-01-01",
        "date_joined_1": "00:00:00",
    }
    data.pop("password", None)

    response = client.post(f"/admin/auth/user/{operator.pk}/change/", data)

    assert response.status_code == 302
    operator.refresh_from_db()
    assert not operator.is_superuser


def test_an_operator_sees_a_superuser_s_account_but_cannot_change_or_delete_it(client, operator):
    client.force_login(operator_role())

    page = client.get(f"/admin/auth/user/{operator.pk}/change/")
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    changed = client.post(f"/admin/auth/user/{operator.pk}/change/", {"username": "taken"})
    assert changed.status_code == 403
    for action in ["password", "delete"]:
        assert client.get(f"/admin/auth/user/{operator.pk}/{action}/").status_code == 403, action
    operator.refresh_from_db()
    assert operator.username == "operator"


def test_an_operator_cannot_delete_a_superuser_with_the_bulk_action(client, operator):
    client.force_login(operator_role())

    response = client.post(
        "/admin/auth/user/",
        {"action": "delete_selected", "_selected_action": [operator.pk], "post": "yes"},
    )

    assert response.status_code in (200, 403)
    assert type(operator).objects.filter(pk=operator.pk).exists()


def test_the_user_admin_stays_operator_safe_whoever_registers_it():
    from django.contrib import admin
    from django.contrib.auth.models import User

    from a2i_portal.access.admin import OperatorSafeUserAdminMixin

    assert isinstance(admin.site._registry[User], OperatorSafeUserAdminMixin)


def clock_now():  # noqa: ANN201
    from a2i_portal import clock

    return clock.now()
