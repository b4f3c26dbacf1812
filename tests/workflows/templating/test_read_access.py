"""grant_read_access: S3 references become URLs that work for a while, and only for a while."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from workflows.templating.engine import render
from workflows.templating.read_access import ReadAccess, grant, s3_location

ACCESS = ReadAccess(seconds=600, site_url="http://portal.test/")


@pytest.mark.parametrize(
    ("uri", "location"),
    [
        ("s3://bucket/photos/cat.png", ("bucket", "photos/cat.png")),
        ("http://s3.amazonaws.com/bucket/a/b.png", ("bucket", "a/b.png")),
        ("https://s3.us-west-2.amazonaws.com/bucket/k.jpg", ("bucket", "k.jpg")),
        ("https://bucket.s3.amazonaws.com/k.jpg", ("bucket", "k.jpg")),
        ("https://bucket.s3.eu-west-1.amazonaws.com/d/k.jpg", ("bucket", "d/k.jpg")),
        ("https://example.com/bucket/k.jpg", None),
        ("s3://bucket-only", None),
        ("not a url", None),
    ],
)
def test_s3_references_are_recognised_in_every_form(uri, location):
    assert s3_location(uri) == location


def test_other_urls_pass_through_unchanged():
    assert (
        grant("https://example.com/cat.png?size=2&x=1") == "https://example.com/cat.png?size=2&x=1"
    )


def test_a_template_gets_a_signed_portal_url_for_a_stored_object(client, objects_dir, clock):
    storages["objects"].save("bucket/photos/cat.png", ContentFile(b"\x89PNG fake"))

    html = render(
        '<img src="{{ task.input.image | grant_read_access }}">',
        task_input={"image": "s3://bucket/photos/cat.png"},
        access=ACCESS,
    )
    url = html.split('"')[1].replace("&amp;", "&")
    parts = urlsplit(url)

    assert f"{parts.scheme}://{parts.netloc}" == "http://portal.test"
    assert parts.path == "/objects/bucket/photos/cat.png"
    assert int(parse_qs(parts.query)["expires"][0]) == int(clock.now().timestamp()) + 600
    response = client.get(f"{parts.path}?{parts.query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert b"".join(response.streaming_content) == b"\x89PNG fake"


def test_a_signed_url_stops_working_when_it_expires(client, objects_dir, clock):
    storages["objects"].save("bucket/cat.png", ContentFile(b"png"))
    url = urlsplit(
        render(
            "{{ 's3://bucket/cat.png' | grant_read_access | skip_autoescape }}",
            task_input={},
            access=ACCESS,
        )
    )

    clock.advance(timedelta(seconds=601))

    response = client.get(f"{url.path}?{url.query}")
    assert response.status_code == 403
    assert b"expired" in response.content


def test_a_signature_for_one_object_does_not_open_another(client, objects_dir):
    storages["objects"].save("bucket/secret.png", ContentFile(b"secret"))
    url = urlsplit(grant_with(ACCESS, "s3://bucket/public.png"))

    response = client.get(f"/objects/bucket/secret.png?{url.query}")

    assert response.status_code == 403


def test_a_missing_object_is_404_with_a_signed_url(client, objects_dir):
    url = urlsplit(grant_with(ACCESS, "s3://bucket/none.png"))

    assert client.get(f"{url.path}?{url.query}").status_code == 404


def test_with_an_s3_endpoint_the_url_is_a_presigned_s3_url(settings, monkeypatch):
    from workflows.templating import read_access

    settings.S3_ENDPOINT_URL = "http://127.0.0.1:9000"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    read_access.s3_client.cache_clear()
    try:
        url = urlsplit(grant_with(ACCESS, "s3://bucket/photos/cat.png"))
    finally:
        read_access.s3_client.cache_clear()

    query = parse_qs(url.query)
    assert (url.netloc, url.path) == ("127.0.0.1:9000", "/bucket/photos/cat.png")
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert query["X-Amz-Expires"] == ["600"]
    assert query["X-Amz-Credential"][0].startswith("AKIDEXAMPLE/")


def grant_with(access: ReadAccess, uri: str) -> str:
    return render(
        "{{ task.input.u | grant_read_access | skip_autoescape }}",
        task_input={"u": uri},
        access=access,
    )
