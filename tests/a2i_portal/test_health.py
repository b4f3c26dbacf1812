import pytest

pytestmark = pytest.mark.django_db


def test_health_answers_ok_with_the_database_vendor(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response["Cache-Control"].startswith("max-age=0")


def test_health_refuses_other_methods(client):
    assert client.post("/health/").status_code == 405


def test_the_root_is_the_reviewer_portal_behind_sign_in(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"
