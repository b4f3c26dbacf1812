"""DRF's exception handler: domain errors become JSON naming the field and the rule."""

from __future__ import annotations

from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from a2i_portal.errors import Conflict, DomainError, Invalid, NotFound, QuotaExceeded

HTTP_STATUS = {NotFound: 404, Conflict: 409, Invalid: 400, QuotaExceeded: 429}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        body = {"error": type(exc).__name__, "field": exc.field, "message": exc.message}
        return Response(body, status=HTTP_STATUS[type(exc)])
    return drf_exception_handler(exc, context)
