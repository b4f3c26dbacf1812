"""Pages of the workflows app: the objects behind `grant_read_access` URLs."""

from __future__ import annotations

import mimetypes

from django.core.files.storage import storages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from a2i_portal import clock
from workflows.templating import read_access


@require_GET
def stored_object(request: HttpRequest, bucket: str, key: str) -> HttpResponse:
    """An object of the `objects` storage, for as long as its signed URL lasts; the signature is
    the credential, as with an S3 pre-signed URL."""
    expires = request.GET.get("expires", "")
    if not read_access.verify(bucket, key, expires, request.GET.get("signature", "")):
        return HttpResponse(
            "Access denied: the link is not genuine or has expired; reopen the task for a new one.",
            status=403,
            content_type="text/plain",
        )
    storage = storages["objects"]
    name = f"{bucket}/{key}"
    if ".." in name.split("/") or not storage.exists(name):
        return HttpResponse(f"No object {name}", status=404, content_type="text/plain")
    content_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
    response = FileResponse(storage.open(name, "rb"), content_type=content_type)
    # Someone's upload: never run it as the portal's origin, never let the browser guess a type.
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    # Worker templates run in sandboxed frames of no origin; a tool that reads pixels (an
    # initial segmentation mask) needs CORS. The signature in the URL is the credential.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = (
        f"private, max-age={max(0, int(expires) - int(clock.now().timestamp()))}"
    )
    return response
