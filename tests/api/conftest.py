"""API clients that authenticate the way integrations do: an access key over HTTP Basic."""

from __future__ import annotations

import base64

import pytest
from rest_framework.test import APIClient

from a2i_portal.access.services import create_access_key


def basic(key_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key_id}:{secret}".encode()).decode()


def key_client(user) -> APIClient:  # noqa: ANN001
    key, secret = create_access_key(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=basic(key.key_id, secret))
    client.access_key = key
    return client


@pytest.fixture
def client_user(db):  # noqa: ANN001
    from tests.factories import UserFactory

    return UserFactory(username="integration")


@pytest.fixture
def api(client_user) -> APIClient:  # noqa: ANN001
    """A non-staff caller holding an access key (a model service starting loops)."""
    return key_client(client_user)


@pytest.fixture
def staff_api(operator) -> APIClient:  # noqa: ANN001
    """A staff caller holding an access key (an operator's provisioning script)."""
    return key_client(operator)
