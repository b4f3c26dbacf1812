import pytest
from rest_framework.test import APIClient

from a2i_portal.access.services import revoke_access_key
from tests.api.conftest import basic

pytestmark = pytest.mark.django_db

LOOPS = "/api/v1/human-loops/"


def test_a_request_without_credentials_is_401_with_a_clear_message(flow):
    response = APIClient().get(LOOPS, {"flow_definition": flow.name})

    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert response.headers["WWW-Authenticate"].startswith("Basic")


def test_a_wrong_secret_is_401(api, flow):
    api.credentials(HTTP_AUTHORIZATION=basic(api.access_key.key_id, "wrong"))

    response = api.get(LOOPS, {"flow_definition": flow.name})

    assert response.status_code == 401
    assert "Invalid access key" in response.json()["detail"]


def test_a_revoked_key_is_refused_and_says_so(api, flow):
    revoke_access_key(key=api.access_key)

    response = api.post(
        LOOPS, {"name": "x", "flow_definition": flow.name, "input": {}}, format="json"
    )

    assert response.status_code in (401, 403)
    assert "revoked" in response.json()["detail"]
    assert not flow.loops.exists()


def test_a_key_of_an_inactive_user_is_refused(api, client_user, flow):
    client_user.is_active = False
    client_user.save(update_fields=["is_active"])

    response = api.get(LOOPS, {"flow_definition": flow.name})

    assert response.status_code == 401
    assert "inactive" in response.json()["detail"]
