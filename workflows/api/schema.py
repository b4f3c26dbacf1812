"""How the OpenAPI schema describes the portal's own authentication classes."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema


class AccessKeyBasicScheme(OpenApiAuthenticationExtension):
    target_class = "a2i_portal.access.authentication.AccessKeyBasicAuthentication"
    name = "accessKeyBasic"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "basic",
            "description": "An access key: its id as the user name, its secret as the password.",
        }


class SigV4Scheme(OpenApiAuthenticationExtension):
    target_class = "a2i_portal.access.authentication.SigV4Authentication"
    name = "sigv4"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "AWS Signature Version 4 (AWS4-HMAC-SHA256) made with an access key.",
        }


def native_api_only(endpoints: list[tuple[Any, ...]], **kwargs: Any) -> list[tuple[Any, ...]]:
    """Keep /api/v1/ in the schema: the AWS wire routes are described by AWS's own models."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
