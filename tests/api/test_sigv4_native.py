"""AWS Signature V4 on the native API: what boto3's signer sends also works on /api/v1/."""

import json
from datetime import timedelta
from urllib.parse import quote

import pytest
from rest_framework.test import APIClient

from a2i_portal.access.models import AccessKey
from a2i_portal.access.services import create_access_key
from reviews.models import HumanLoop
from tests.access.signing import sign

pytestmark = pytest.mark.django_db

LOOPS = "/api/v1/human-loops/"
MISMATCH = "InvalidSignatureException: The request signature we calculated does not match"


@pytest.fixture
def key_and_secret(client_user):  # noqa: ANN001, ANN201
    return create_access_key(user=client_user)


def signed_get(key_id: str, secret: str, path: str) -> dict:
    request = sign(key_id=key_id, secret=secret, method="GET", url=f"http://testserver{path}")
    return {"path": path, "headers": dict(request.headers.items())}


def signed_post(key_id: str, secret: str, body: dict) -> dict:
    request = sign(
        key_id=key_id,
        secret=secret,
        url=f"http://testserver{LOOPS}",
        body=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    return {
        "path": LOOPS,
        "data": request.body,
        "content_type": "application/json",
        "headers": dict(request.headers.items()),
    }


def start_body(flow, name: str = "signed-1") -> dict:  # noqa: ANN001
    return {"name": name, "flow_definition": flow.name, "input": {"text": "a cat"}}


def assert_nothing_written(key: AccessKey) -> None:
    assert not HumanLoop.objects.exists()
    assert AccessKey.objects.get(pk=key.pk).last_used_at is None


def test_a_signed_get_lists_the_loops(key_and_secret, open_loop, clock):
    key, secret = key_and_secret
    # The query holds an ARN: signer and server must agree on its percent-encoding.
    path = f"{LOOPS}?flow_definition={quote(open_loop.flow_definition.arn, safe='')}&sort=asc"

    response = APIClient().get(**signed_get(key.key_id, secret, path))

    assert response.status_code == 200, response.json()
    assert [loop["name"] for loop in response.json()["results"]] == [open_loop.name]


def test_a_signed_post_with_a_json_body_starts_a_loop_and_records_the_key_use(
    key_and_secret, flow, clock
):
    key, secret = key_and_secret

    response = APIClient().post(**signed_post(key.key_id, secret, start_body(flow)))

    assert response.status_code == 201, response.json()
    assert response.json()["name"] == "signed-1"
    assert json.loads(HumanLoop.objects.get(name="signed-1").input_content) == {"text": "a cat"}
    assert AccessKey.objects.get(pk=key.pk).last_used_at == clock.now()


def test_a_tampered_body_is_refused_and_starts_nothing(key_and_secret, flow, clock):
    key, secret = key_and_secret
    signed = signed_post(key.key_id, secret, start_body(flow))
    signed["data"] = json.dumps(start_body(flow, name="tampered-1")).encode()

    response = APIClient().post(**signed)

    assert response.status_code == 401
    assert response.json()["detail"].startswith(MISMATCH)
    assert_nothing_written(key)


def test_a_wrong_secret_is_refused_and_starts_nothing(key_and_secret, flow, clock):
    key, _ = key_and_secret

    response = APIClient().post(**signed_post(key.key_id, "x" * 40, start_body(flow)))

    assert response.status_code == 401
    assert response.json()["detail"].startswith(MISMATCH)
    assert_nothing_written(key)


def test_an_unknown_key_is_refused_as_an_unrecognized_client(key_and_secret, flow, clock):
    key, secret = key_and_secret

    response = APIClient().post(**signed_post("A2IPNOSUCHKEY0000000", secret, start_body(flow)))

    assert response.status_code == 401
    assert response.json()["detail"] == (
        "UnrecognizedClientException: The security token included in the request is invalid."
    )
    assert_nothing_written(key)


def test_a_request_signed_more_than_five_minutes_ago_is_refused_as_expired(
    key_and_secret, flow, clock
):
    key, secret = key_and_secret
    signed = signed_post(key.key_id, secret, start_body(flow))
    clock.advance(timedelta(minutes=6))

    response = APIClient().post(**signed)

    assert response.status_code == 401
    assert response.json()["detail"].startswith("InvalidSignatureException: Signature expired: ")
    assert_nothing_written(key)
