"""Every AWS route needs a valid SigV4 signature; refusals use the protocol's error shape."""

from __future__ import annotations

import json
import urllib.request
from urllib.error import HTTPError

import pytest
from botocore.exceptions import ClientError

from a2i_portal.access.services import revoke_access_key
from tests.aws.conftest import client

pytestmark = pytest.mark.django_db(transaction=True)


def error_of(call, **kwargs) -> dict:  # noqa: ANN001
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return caught.value.response


def test_a_wrong_secret_is_an_invalid_signature(live_server, credentials):
    key, _ = credentials
    runtime = client(
        "sagemaker-a2i-runtime", live_server.url + "/a2i-runtime", key.key_id, "x" * 40
    )

    error = error_of(runtime.describe_human_loop, HumanLoopName="loop-1")

    assert error["Error"]["Code"] == "InvalidSignatureException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert error["Error"]["Message"].startswith("The request signature we calculated")


def test_a_revoked_key_is_an_unrecognized_client(live_server, credentials):
    key, secret = credentials
    sagemaker = client("sagemaker", live_server.url + "/sagemaker", key.key_id, secret)
    sagemaker.list_workteams()
    revoke_access_key(key=key)

    error = error_of(sagemaker.list_workteams)

    assert error["Error"]["Code"] == "UnrecognizedClientException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 403


def unsigned(request: urllib.request.Request) -> HTTPError:
    with pytest.raises(HTTPError) as caught:
        urllib.request.urlopen(request, timeout=10)  # noqa: S310
    return caught.value


def test_an_unsigned_runtime_request_is_missing_its_token(live_server):
    response = unsigned(urllib.request.Request(f"{live_server.url}/a2i-runtime/human-loops/x"))

    assert response.code == 403
    assert response.headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException"
    assert response.headers["Content-Type"] == "application/json"
    assert json.loads(response.read()) == {"message": "Missing Authentication Token"}
    assert response.headers["x-amzn-RequestId"]


def test_an_unsigned_sagemaker_request_is_refused_in_its_shape(live_server):
    response = unsigned(
        urllib.request.Request(
            f"{live_server.url}/sagemaker/",
            data=b"{}",
            headers={
                "X-Amz-Target": "SageMaker.ListWorkteams",
                "Content-Type": "application/x-amz-json-1.1",
            },
        )
    )

    assert response.code == 403
    assert response.headers["Content-Type"] == "application/x-amz-json-1.1"
    assert json.loads(response.read()) == {
        "__type": "MissingAuthenticationTokenException",
        "Message": "Missing Authentication Token",
    }


def test_a_signed_request_records_the_keys_use(live_server, credentials):
    key, secret = credentials
    runtime = client("sagemaker-a2i-runtime", live_server.url + "/a2i-runtime", key.key_id, secret)

    error_of(runtime.describe_human_loop, HumanLoopName="ghost")

    key.refresh_from_db()
    assert key.last_used_at is not None
