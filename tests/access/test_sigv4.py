import hashlib
import json
from datetime import timedelta

import pytest

from a2i_portal.access.services import create_access_key, revoke_access_key
from a2i_portal.access.sigv4 import SignatureError, verify
from tests.access.signing import sign

pytestmark = pytest.mark.django_db

START_LOOP = json.dumps(
    {
        "HumanLoopName": "my-loop-1",
        "FlowDefinitionArn": "arn:aws:sagemaker:us-east-1:000000000000:flow-definition/fd",
        "HumanLoopInput": {"InputContent": '{"a": 1}'},
    }
).encode()
LIST_LOOPS = (
    "http://testserver/human-loops?FlowDefinitionArn=arn%3Aaws%3Asagemaker%3Aus-east-1"
    "%3A000000000000%3Aflow-definition%2Ffd&SortOrder=Descending&MaxResults=10"
    "&NextToken=abc%2F%2B%3D"
)


@pytest.fixture
def key_and_secret(reviewer):
    return create_access_key(user=reviewer)


def signed_post(key_id, secret, **kwargs):
    return sign(
        key_id=key_id,
        secret=secret,
        body=START_LOOP,
        headers={"Content-Type": "application/json"},
        **kwargs,
    )


def refusal(request, **kwargs) -> SignatureError:
    with pytest.raises(SignatureError) as caught:
        verify(**request.verify_kwargs(), **kwargs)
    return caught.value


def test_a_post_with_a_json_body_signed_like_boto3_is_accepted(key_and_secret, clock):
    key, secret = key_and_secret
    request = signed_post(key.key_id, secret)
    assert "content-type;host;x-amz-date" in request.headers["Authorization"]

    assert verify(**request.verify_kwargs()) == key


def test_a_get_with_an_encoded_query_string_is_accepted(key_and_secret, clock):
    key, secret = key_and_secret
    request = sign(key_id=key.key_id, secret=secret, method="GET", url=LIST_LOOPS)

    assert verify(**request.verify_kwargs()) == key


def test_the_control_plane_request_with_its_target_header_is_accepted(key_and_secret, clock):
    key, secret = key_and_secret
    request = sign(
        key_id=key.key_id,
        secret=secret,
        url="http://testserver/",
        body=b'{"FlowDefinitionName": "fd"}',
        headers={
            "X-Amz-Target": "SageMaker.DescribeFlowDefinition",
            "Content-Type": "application/x-amz-json-1.1",
        },
    )

    assert verify(**request.verify_kwargs()) == key


def test_any_region_in_the_scope_is_accepted(key_and_secret, clock):
    key, secret = key_and_secret

    assert verify(**signed_post(key.key_id, secret, region="eu-west-1").verify_kwargs()) == key


def test_a_wrong_secret_is_refused_as_a_signature_mismatch(key_and_secret, clock):
    key, _ = key_and_secret

    error = refusal(signed_post(key.key_id, "x" * 40))

    assert (error.code, error.status) == ("InvalidSignatureException", 403)
    assert error.message.startswith("The request signature we calculated does not match")


def test_an_unknown_key_is_refused_as_an_unrecognized_client(key_and_secret, clock):
    _, secret = key_and_secret

    error = refusal(signed_post("A2IPAAAAAAAAAAAAAAAA", secret))

    assert (error.code, error.status) == ("UnrecognizedClientException", 403)
    assert error.message == "The security token included in the request is invalid."


def test_a_revoked_key_is_refused_as_an_unrecognized_client(key_and_secret, clock):
    key, secret = key_and_secret
    revoke_access_key(key=key)

    assert refusal(signed_post(key.key_id, secret)).code == "UnrecognizedClientException"


def test_the_key_of_an_inactive_user_is_refused(key_and_secret, reviewer, clock):
    key, secret = key_and_secret
    reviewer.is_active = False
    reviewer.save()

    assert refusal(signed_post(key.key_id, secret)).code == "UnrecognizedClientException"


def test_a_tampered_body_is_refused(key_and_secret, clock):
    key, secret = key_and_secret
    request = signed_post(key.key_id, secret)
    request.body = request.body.replace(b"my-loop-1", b"my-loop-2")

    assert refusal(request).code == "InvalidSignatureException"


def test_a_tampered_body_under_a_signed_payload_hash_is_refused(key_and_secret, clock):
    key, secret = key_and_secret
    request = sign(
        key_id=key.key_id,
        secret=secret,
        body=START_LOOP,
        headers={
            "Content-Type": "application/json",
            "X-Amz-Content-SHA256": hashlib.sha256(START_LOOP).hexdigest(),
        },
    )
    assert verify(**request.verify_kwargs()) == key
    request.body = request.body.replace(b"my-loop-1", b"my-loop-2")

    assert refusal(request).code == "InvalidSignatureException"


def test_a_tampered_query_is_refused(key_and_secret, clock):
    key, secret = key_and_secret
    request = sign(key_id=key.key_id, secret=secret, method="GET", url=LIST_LOOPS)
    request.query = request.query.replace("MaxResults=10", "MaxResults=100")

    assert refusal(request).code == "InvalidSignatureException"


def test_a_tampered_signed_header_is_refused(key_and_secret, clock):
    key, secret = key_and_secret
    request = signed_post(key.key_id, secret)
    request.headers.replace_header("Content-Type", "text/plain")

    assert refusal(request).code == "InvalidSignatureException"


def test_a_signature_six_minutes_old_has_expired(key_and_secret, clock):
    key, secret = key_and_secret
    request = signed_post(key.key_id, secret)
    clock.advance(timedelta(minutes=6))

    error = refusal(request)

    assert (error.code, error.status) == ("InvalidSignatureException", 403)
    assert error.message.startswith("Signature expired: ")


def test_a_signature_four_minutes_old_is_still_accepted(key_and_secret, clock):
    key, secret = key_and_secret
    request = signed_post(key.key_id, secret)
    clock.advance(timedelta(minutes=4))

    assert verify(**request.verify_kwargs()) == key


def test_a_signature_from_six_minutes_ahead_is_not_yet_current(key_and_secret, clock):
    key, secret = key_and_secret
    request = signed_post(key.key_id, secret)
    clock.advance(timedelta(minutes=-6))

    error = refusal(request)

    assert error.code == "InvalidSignatureException"
    assert error.message.startswith("Signature not yet current: ")


def test_a_signature_for_another_service_is_refused(key_and_secret, clock):
    key, secret = key_and_secret

    error = refusal(signed_post(key.key_id, secret, service="s3"))

    assert error.code == "InvalidSignatureException"
    assert "'sagemaker'" in error.message


@pytest.mark.parametrize(
    "authorization",
    [
        "AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=abc",
        "AWS4-HMAC-SHA256 Credential=A2IPAAAAAAAAAAAAAAAA/20240115/us-east-1/sagemaker, "
        "SignedHeaders=host;x-amz-date, Signature=abc",
        "AWS4-HMAC-SHA256 Credential=A2IPAAAAAAAAAAAAAAAA/20240115/us-east-1/sagemaker/"
        "aws4_request, Signature=abc",
    ],
    ids=["no-credential", "short-scope", "no-signed-headers"],
)
def test_an_incomplete_authorization_header_is_refused(key_and_secret, clock, authorization):
    key, secret = key_and_secret
    request = signed_post(key.key_id, secret)
    request.headers.replace_header("Authorization", authorization)

    error = refusal(request)

    assert (error.code, error.status) == ("IncompleteSignature", 400)


def test_a_request_without_x_amz_date_is_incomplete(key_and_secret, clock):
    key, secret = key_and_secret
    request = signed_post(key.key_id, secret)
    del request.headers["X-Amz-Date"]

    assert refusal(request).code == "IncompleteSignature"
