"""DRF authentication with access keys: HTTP Basic (`curl -u KEY_ID:SECRET`) or AWS SigV4.

Both answer (user, access key) and record the key's use; a refusal is AuthenticationFailed, which
DRF turns into 401 with a WWW-Authenticate header (the first class's) and the message.
"""

from __future__ import annotations

import hmac
from urllib.parse import quote, urlsplit

from django.contrib.auth.models import AbstractBaseUser
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, BasicAuthentication
from rest_framework.request import Request

from a2i_portal.access import sigv4
from a2i_portal.access.models import AccessKey
from a2i_portal.access.services import record_use

INVALID_CREDENTIALS = "Invalid access key id or secret access key."


class AccessKeyBasicAuthentication(BasicAuthentication):
    """HTTP Basic with an access key id as the user name and its secret as the password."""

    www_authenticate_realm = "a2i-portal"

    def authenticate_credentials(
        self, userid: str, password: str, request: Request | None = None
    ) -> tuple[AbstractBaseUser, AccessKey]:
        key = AccessKey.objects.select_related("user").filter(key_id=userid).first()
        if key is None or not hmac.compare_digest(key.secret.encode(), password.encode()):
            raise exceptions.AuthenticationFailed(INVALID_CREDENTIALS)
        if key.is_revoked:
            raise exceptions.AuthenticationFailed(f"Access key {key.key_id}: this key was revoked.")
        if not key.user.is_active:
            raise exceptions.AuthenticationFailed(f"Access key {key.key_id}: its user is inactive.")
        record_use(key=key)
        return key.user, key


class SigV4Authentication(BaseAuthentication):
    """AWS Signature V4 (what boto3 sends), verified by a2i_portal.access.sigv4."""

    def authenticate(self, request: Request) -> tuple[AbstractBaseUser, AccessKey] | None:
        if not sigv4.is_sigv4(request.headers.get("Authorization", "")):
            return None
        try:
            key = sigv4.verify(
                method=request.method,
                path=raw_path(request),
                query=request.META.get("QUERY_STRING", ""),
                headers=request.headers,
                body=request.body,
            )
        except sigv4.SignatureError as exc:
            raise exceptions.AuthenticationFailed(
                f"{exc.code}: {exc.message}", code=exc.code
            ) from exc
        record_use(key=key)
        return key.user, key

    def authenticate_header(self, request: Request) -> str:
        return sigv4.ALGORITHM


def raw_path(request: Request) -> str:
    """The path as the client sent it: WSGI servers decode PATH_INFO, so prefer the raw URI
    when the server keeps it (gunicorn: RAW_URI, uWSGI: REQUEST_URI), else re-encode."""
    raw = request.META.get("RAW_URI") or request.META.get("REQUEST_URI")
    if raw:
        return urlsplit(raw).path
    return quote(request.path, safe="/-_.~!$&'()*+,;=:@")
