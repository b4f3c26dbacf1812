"""`grant_read_access`: S3 references become URLs a reviewer's browser can open for a while.

With S3-compatible storage configured (`S3_ENDPOINT_URL`), the URL is an S3 pre-signed GET URL
for that endpoint. Otherwise the object is one the portal stores itself (the `objects` storage,
`bucket/key` inside it), and the URL is a portal URL signed with the site's secret that
`workflows.views.stored_object` serves until it expires. Other http(s) URLs pass through.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core import signing
from django.urls import reverse

from a2i_portal import clock

SIGNING_SALT = "workflows.stored-object"
S3_HOSTS = ("s3.amazonaws.com",)


@dataclass(frozen=True)
class ReadAccess:
    """How the URLs of one rendering are made: for how long, and on which site."""

    seconds: int
    site_url: str


def default_access() -> ReadAccess:
    return ReadAccess(seconds=settings.A2I_READ_ACCESS_SECONDS, site_url=settings.SITE_URL)


current: ContextVar[ReadAccess | None] = ContextVar("read_access", default=None)


def s3_location(uri: str) -> tuple[str, str] | None:
    """(bucket, key) of `s3://bucket/key` or of a path-style or virtual-hosted S3 URL."""
    parts = urlsplit(uri.strip())
    if parts.scheme == "s3":
        bucket, key = parts.netloc, parts.path.lstrip("/")
    elif parts.scheme in ("http", "https") and is_s3_host(parts.hostname or ""):
        host = parts.hostname or ""
        if host.startswith("s3.") or host in S3_HOSTS or host.startswith("s3-"):
            bucket, _, key = parts.path.lstrip("/").partition("/")
        else:  # bucket.s3.amazonaws.com / bucket.s3.region.amazonaws.com
            bucket, key = host.split(".s3", 1)[0], parts.path.lstrip("/")
    else:
        return None
    return (bucket, key) if bucket and key else None


def is_s3_host(host: str) -> bool:
    return host.endswith(".amazonaws.com") and (
        host.startswith(("s3.", "s3-")) or ".s3." in host or ".s3-" in host or host in S3_HOSTS
    )


def grant(uri: str) -> str:
    location = s3_location(uri)
    if location is None:
        return uri
    access = current.get() or default_access()
    bucket, key = location
    if settings.S3_ENDPOINT_URL:
        return presigned_s3_url(bucket, key, access.seconds)
    return signed_object_url(bucket, key, access)


def presigned_s3_url(bucket: str, key: str, seconds: int) -> str:
    return s3_client().generate_presigned_url(
        "get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=seconds
    )


@lru_cache(maxsize=1)
def s3_client() -> Any:
    import botocore.session
    from botocore.config import Config

    return botocore.session.get_session().create_client(
        "s3",
        endpoint_url=settings.S3_ENDPOINT_URL,
        region_name=settings.S3_REGION,
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )


def object_signature(bucket: str, key: str, expires: int) -> str:
    return signing.Signer(salt=SIGNING_SALT).signature(f"{bucket}/{key}\n{expires}")


def signed_object_url(bucket: str, key: str, access: ReadAccess) -> str:
    expires = int(clock.now().timestamp()) + access.seconds
    path = reverse("workflows:stored-object", kwargs={"bucket": bucket, "key": key})
    query = urlencode({"expires": expires, "signature": object_signature(bucket, key, expires)})
    return f"{access.site_url.rstrip('/')}{path}?{query}"


def verify(bucket: str, key: str, expires: str, signature: str) -> bool:
    """Whether a signed object URL is genuine and still within its lifetime."""
    if not expires.isdigit() or int(expires) < clock.now().timestamp():
        return False
    return signing.constant_time_compare(signature, object_signature(bucket, key, int(expires)))
