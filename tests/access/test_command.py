from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from a2i_portal.access.models import AccessKey

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("create_access_key", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_exactly_the_two_environment_lines(reviewer):
    lines = run("reviewer", "--description", "ci job").splitlines()

    assert len(lines) == 2
    assert lines[0].startswith("AWS_ACCESS_KEY_ID=A2IP")
    assert lines[1].startswith("AWS_SECRET_ACCESS_KEY=")
    key = AccessKey.objects.get()
    assert key.user == reviewer
    assert key.description == "ci job"
    assert lines[0] == f"AWS_ACCESS_KEY_ID={key.key_id}"
    assert lines[1] == f"AWS_SECRET_ACCESS_KEY={key.secret}"


@pytest.mark.urls("tests.access.urls")
def test_the_printed_key_authenticates_a_request(reviewer):
    key_id, secret = (line.split("=", 1)[1] for line in run("reviewer").splitlines())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=basic(key_id, secret))

    response = client.get("/whoami/")

    assert response.status_code == 200
    assert response.json() == {"user": "reviewer", "key": key_id}


def test_an_unknown_user_is_named_in_the_error_and_no_key_is_made(db):
    with pytest.raises(CommandError, match="'nobody'"):
        run("nobody")
    assert not AccessKey.objects.exists()


def basic(key_id: str, secret: str) -> str:
    import base64

    return "Basic " + base64.b64encode(f"{key_id}:{secret}".encode()).decode()
