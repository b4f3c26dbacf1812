import base64
import json
from datetime import timedelta

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.httpsession import URLLib3Session
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.views import APIView

from a2i_portal.access.models import AccessKey
from a2i_portal.access.services import create_access_key, revoke_access_key
from tests.access.signing import sign

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.access.urls")]


class WhoAmI(APIView):
    """Test-only: answers with the user and key the request authenticated as."""

    def get(self, request: Request) -> Response:
        return Response({"user": request.user.username, "key": request.auth.key_id})

    def post(self, request: Request) -> Response:
        return Response({"user": request.user.username, "echo": request.data})


def basic(key_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key_id}:{secret}".encode()).decode()


@pytest.fixture
def key_and_secret(reviewer):
    return create_access_key(user=reviewer)


def test_basic_auth_with_the_key_id_and_secret_authenticates_as_its_user(key_and_secret):
    key, secret = key_and_secret
    client = APIClient()

    response = client.get("/whoami/", HTTP_AUTHORIZATION=basic(key.key_id, secret))

    assert response.status_code == 200
    assert response.json() == {"user": "reviewer", "key": key.key_id}


def test_a_request_without_credentials_gets_401_with_a_challenge(db):
    response = APIClient().get("/whoami/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="a2i-portal"'
    assert "credentials were not provided" in response.json()["detail"]


def test_basic_auth_with_a_wrong_secret_is_refused(key_and_secret):
    key, _ = key_and_secret

    response = APIClient().get("/whoami/", HTTP_AUTHORIZATION=basic(key.key_id, "x" * 40))

    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid access key id or secret access key."


def test_basic_auth_with_a_revoked_key_says_it_was_revoked(key_and_secret):
    key, secret = key_and_secret
    revoke_access_key(key=key)

    response = APIClient().get("/whoami/", HTTP_AUTHORIZATION=basic(key.key_id, secret))

    assert response.status_code == 401
    assert "this key was revoked" in response.json()["detail"]
    assert AccessKey.objects.get(pk=key.pk).last_used_at is None


def test_an_authenticated_request_records_the_use_of_its_key(key_and_secret, clock):
    key, secret = key_and_secret

    APIClient().get("/whoami/", HTTP_AUTHORIZATION=basic(key.key_id, secret))

    assert AccessKey.objects.get(pk=key.pk).last_used_at == clock.now()


def signed_post(key_id: str, secret: str, body: bytes) -> dict:
    request = sign(
        key_id=key_id,
        secret=secret,
        url="http://testserver/whoami/",
        body=body,
        headers={"Content-Type": "application/json"},
    )
    return {
        "path": "/whoami/",
        "data": request.body,
        "content_type": "application/json",
        "headers": {name: value for name, value in request.headers.items()},
    }


def test_a_sigv4_signed_post_authenticates_and_its_body_is_still_readable(key_and_secret, clock):
    key, secret = key_and_secret

    response = APIClient().post(**signed_post(key.key_id, secret, b'{"HumanLoopName": "a"}'))

    assert response.status_code == 200
    assert response.json() == {"user": "reviewer", "echo": {"HumanLoopName": "a"}}
    assert AccessKey.objects.get(pk=key.pk).last_used_at == clock.now()


def test_a_sigv4_signed_get_with_a_query_authenticates(key_and_secret, clock):
    key, secret = key_and_secret
    request = sign(
        key_id=key.key_id,
        secret=secret,
        method="GET",
        url="http://testserver/whoami/?NextToken=abc%2F%2B%3D&MaxResults=10",
    )

    response = APIClient().get(
        "/whoami/?NextToken=abc%2F%2B%3D&MaxResults=10", headers=dict(request.headers.items())
    )

    assert response.status_code == 200


def test_a_sigv4_request_with_a_tampered_body_is_refused_with_the_aws_code(key_and_secret, clock):
    key, secret = key_and_secret
    signed = signed_post(key.key_id, secret, b'{"HumanLoopName": "a"}')
    signed["data"] = b'{"HumanLoopName": "b"}'

    response = APIClient().post(**signed)

    assert response.status_code == 401
    assert response.json()["detail"].startswith("InvalidSignatureException: ")
    assert AccessKey.objects.get(pk=key.pk).last_used_at is None


def test_a_stale_sigv4_request_is_refused_as_expired(key_and_secret, clock):
    key, secret = key_and_secret
    signed = signed_post(key.key_id, secret, b"{}")
    clock.advance(timedelta(minutes=6))

    response = APIClient().post(**signed)

    assert response.status_code == 401
    assert "Signature expired" in response.json()["detail"]


def test_a_sigv4_request_with_a_revoked_key_is_refused(key_and_secret, clock):
    key, secret = key_and_secret
    revoke_access_key(key=key)

    response = APIClient().post(**signed_post(key.key_id, secret, b"{}"))

    assert response.status_code == 401
    assert response.json()["detail"].startswith("UnrecognizedClientException: ")


@pytest.mark.django_db(transaction=True)
def test_a_request_signed_and_sent_by_botocore_over_http_authenticates(live_server, reviewer):
    key, secret = create_access_key(user=reviewer)
    url = f"{live_server.url}/whoami/?NextToken=abc%2F%2B%3D&MaxResults=10"
    request = AWSRequest(method="GET", url=url)
    SigV4Auth(Credentials(key.key_id, secret), "sagemaker", "us-east-1").add_auth(request)

    response = URLLib3Session().send(request.prepare())

    assert response.status_code == 200, response.text
    assert json.loads(response.content) == {"user": "reviewer", "key": key.key_id}
