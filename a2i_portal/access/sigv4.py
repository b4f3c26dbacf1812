"""AWS Signature V4 verification against the portal's access keys.

Rather than re-implementing the canonicalisation rules, the request is rebuilt as a botocore
`AWSRequest` holding exactly the headers the client signed and the body it sent, and signed with
botocore's own `SigV4Auth` at the client's timestamp: the server computes what boto3 computed.
Independent of DRF, so the AWS wire adapter can call it with what it parsed.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from botocore.auth import SIGV4_TIMESTAMP, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from a2i_portal import clock
from a2i_portal.access.models import AccessKey

ALGORITHM = "AWS4-HMAC-SHA256"
# Both A2I APIs sign with this name, even the runtime on a2i-runtime.sagemaker.* (reference §1.1).
SERVICE = "sagemaker"
MAX_SKEW = timedelta(minutes=5)


class SignatureError(Exception):
    """A refused signature, with the error code and HTTP status AWS answers it with."""

    def __init__(self, code: str, message: str, status: int) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message, self.status = code, message, status


def incomplete(message: str) -> SignatureError:
    return SignatureError("IncompleteSignature", message, 400)


def invalid(message: str) -> SignatureError:
    return SignatureError("InvalidSignatureException", message, 403)


MISMATCH = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. "
    "Consult the service documentation for details."
)
UNRECOGNIZED = SignatureError(
    "UnrecognizedClientException", "The security token included in the request is invalid.", 403
)


@dataclass(frozen=True)
class Authorization:
    """The parts of an `Authorization: AWS4-HMAC-SHA256 ...` header."""

    key_id: str
    date: str
    region: str
    service: str
    signed_headers: list[str]
    signature: str


def is_sigv4(authorization: str) -> bool:
    return authorization.startswith(ALGORITHM + " ")


def parse_authorization(authorization: str) -> Authorization:
    """Split the header into its parts. Raises SignatureError (IncompleteSignature)."""
    if not is_sigv4(authorization):
        raise incomplete(f"Unsupported authorization type; only {ALGORITHM} is accepted.")
    params = {}
    for part in authorization[len(ALGORITHM) :].split(","):
        name, _, value = part.strip().partition("=")
        params[name] = value
    for name in ("Credential", "SignedHeaders", "Signature"):
        if not params.get(name):
            raise incomplete(f"Authorization header requires '{name}' parameter.")
    scope = params["Credential"].split("/")
    if len(scope) != 5 or not all(scope) or scope[4] != "aws4_request":
        raise incomplete(
            "Credential should be of the form <key id>/<yyyymmdd>/<region>/<service>/aws4_request."
        )
    key_id, date, region, service, _ = scope
    return Authorization(
        key_id=key_id,
        date=date,
        region=region,
        service=service,
        signed_headers=params["SignedHeaders"].split(";"),
        signature=params["Signature"],
    )


def check_timestamp(amz_date: str | None, now: datetime) -> None:
    """The signing time must be within five minutes of the portal's clock, either way."""
    if not amz_date:
        raise incomplete("Authorization header requires existence of a 'X-Amz-Date' header.")
    try:
        signed_at = datetime.strptime(amz_date, SIGV4_TIMESTAMP).replace(tzinfo=UTC)
    except ValueError:
        raise incomplete(f"X-Amz-Date '{amz_date}' is not of the form yyyymmddThhmmssZ.") from None
    stamp = now.astimezone(UTC).strftime(SIGV4_TIMESTAMP)
    if signed_at < now - MAX_SKEW:
        earliest = (now - MAX_SKEW).strftime(SIGV4_TIMESTAMP)
        raise invalid(
            f"Signature expired: {amz_date} is now earlier than {earliest} ({stamp} - 5 min.)"
        )
    if signed_at > now + MAX_SKEW:
        latest = (now + MAX_SKEW).strftime(SIGV4_TIMESTAMP)
        raise invalid(
            f"Signature not yet current: {amz_date} is still later than {latest} ({stamp} + 5 min.)"
        )


def verify(
    *,
    method: str,
    path: str,
    query: str,
    headers: Mapping[str, str],
    body: bytes,
    now: datetime | None = None,
) -> AccessKey:
    """The usable access key that signed this request. `path` and `query` are as sent (query
    still percent-encoded); `headers` is any case-insensitive mapping. Raises SignatureError."""
    auth = parse_authorization(headers.get("Authorization") or "")
    if auth.service != SERVICE:
        raise invalid(f"Credential should be scoped to correct service: '{SERVICE}'.")
    amz_date = headers.get("X-Amz-Date")
    check_timestamp(amz_date, now or clock.now())
    if auth.date != amz_date[:8]:
        raise invalid(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
            "from HTTP: "
            f"'{auth.date}' != '{amz_date[:8]}', from '{amz_date}'."
        )
    if "host" not in auth.signed_headers:
        raise incomplete("The 'Host' header must be signed.")
    missing = [name for name in auth.signed_headers if headers.get(name) is None]
    if missing:
        raise incomplete(f"Signed header(s) missing from the request: {', '.join(missing)}.")
    # botocore trusts a signed X-Amz-Content-SHA256 instead of hashing the body, so a tampered
    # body under an honest hash would pass unless the hash is checked against the body itself.
    content_sha256 = headers.get("X-Amz-Content-SHA256")
    if "x-amz-content-sha256" in auth.signed_headers and not hmac.compare_digest(
        content_sha256, hashlib.sha256(body).hexdigest()
    ):
        raise invalid("The provided 'x-amz-content-sha256' header does not match the body.")

    key = AccessKey.objects.usable().select_related("user").filter(key_id=auth.key_id).first()
    if key is None:
        raise UNRECOGNIZED

    expected = signature(
        key_id=key.key_id,
        secret=key.secret,
        region=auth.region,
        amz_date=amz_date,
        method=method,
        path=path,
        query=query,
        headers={name: headers[name] for name in auth.signed_headers},
        body=body,
    )
    if not hmac.compare_digest(expected, auth.signature):
        raise invalid(MISMATCH)
    return key


def signature(
    *,
    key_id: str,
    secret: str,
    region: str,
    amz_date: str,
    method: str,
    path: str,
    query: str,
    headers: Mapping[str, str],
    body: bytes,
) -> str:
    """What botocore's signer computes for this request signed at `amz_date`."""
    url = f"http://{headers['host']}{path}" + (f"?{query}" if query else "")
    request = AWSRequest(method=method.upper(), url=url, headers=dict(headers), data=body)
    request.context["timestamp"] = amz_date  # what SigV4Auth.add_auth sets from its own clock
    signer = SigV4Auth(Credentials(key_id, secret), SERVICE, region)
    canonical = signer.canonical_request(request)
    return signer.signature(signer.string_to_sign(request, canonical), request)
