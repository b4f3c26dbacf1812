"""GET /metrics: who may read it, what it serves, and one truth across processes."""

import os
import runpy
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from prometheus_client.parser import text_string_to_metric_families

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)
TOKEN = "a-long-scraper-token-0123456789"


def test_metrics_are_served_to_loopback_without_sign_in(client):
    response = client.get("/metrics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "# HELP a2i_human_loops " in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")


def test_metrics_carry_no_content_security_policy(client):
    response = client.get("/metrics")

    assert "Content-Security-Policy" not in response


@pytest.mark.parametrize("address", ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"])
def test_every_loopback_address_is_allowed_by_default(client, address):
    assert client.get("/metrics", REMOTE_ADDR=address).status_code == 200


def test_another_address_is_refused_saying_why(client):
    response = client.get("/metrics", REMOTE_ADDR="10.1.2.3")

    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert body == "10.1.2.3 is not in METRICS_ALLOWED_NETWORKS and sent no bearer token\n"
    assert "Content-Security-Policy" not in response


def test_the_allowed_networks_come_from_the_setting(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8", "2001:db8::/32"]

    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="2001:db8::7").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403


def test_the_bearer_token_lets_another_address_in(client, settings):
    settings.METRICS_BEARER_TOKEN = TOKEN

    response = client.get("/metrics", REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    assert response.status_code == 200
    assert "# HELP a2i_open_tasks " in response.content.decode()


def test_a_wrong_bearer_token_is_refused(client, settings):
    settings.METRICS_BEARER_TOKEN = TOKEN

    response = client.get("/metrics", REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION=f"Bearer {TOKEN}x")

    assert response.status_code == 403
    assert "bearer token is not METRICS_BEARER_TOKEN" in response.content.decode()


def test_no_bearer_token_is_accepted_while_none_is_set(client, settings):
    settings.METRICS_BEARER_TOKEN = ""

    response = client.get("/metrics", REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION="Bearer ")

    assert response.status_code == 403
    response = client.get("/metrics", REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION="Bearer x")
    assert response.status_code == 403
    assert "METRICS_BEARER_TOKEN is not set" in response.content.decode()


def test_a_client_without_an_ip_address_needs_the_token(client):
    assert client.get("/metrics", REMOTE_ADDR="").status_code == 403


def test_an_openmetrics_scraper_gets_openmetrics(client):
    response = client.get("/metrics", HTTP_ACCEPT="application/openmetrics-text; version=1.0.0")

    assert response["Content-Type"].startswith("application/openmetrics-text")
    assert response.content.decode().endswith("# EOF\n")


def test_only_get_is_answered(client):
    assert client.post("/metrics").status_code == 405


# One truth across processes

INCREMENT = """
import sys, django
django.setup()
from reviews.metrics import LOOP_STATUS_CHANGES
LOOP_STATUS_CHANGES.labels("shared-flow", "Completed").inc(int(sys.argv[1]))
"""


def test_the_counts_of_every_process_are_added_up(client, monkeypatch, tmp_path):
    folder = tmp_path / "metrics"
    folder.mkdir()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "a2i_portal.settings",
        "PROMETHEUS_MULTIPROC_DIR": str(folder),
    }
    processes = [
        subprocess.Popen([sys.executable, "-c", INCREMENT, str(n)], cwd=BASE_DIR, env=environment)
        for n in (3, 4)
    ]
    assert [process.wait(timeout=60) for process in processes] == [0, 0]
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(folder))  # where /metrics reads

    response = client.get("/metrics")

    families = {f.name: f for f in text_string_to_metric_families(response.content.decode())}
    [sample] = families["a2i_loop_status_changes"].samples
    assert sample.name == "a2i_loop_status_changes_total"
    assert sample.labels == {"flow_definition": "shared-flow", "status": "Completed"}
    assert sample.value == 7
    assert len(list(folder.glob("counter_*.db"))) == 2


def test_the_test_run_counts_in_multiprocess_mode():
    from prometheus_client import values

    assert values.ValueClass._multiprocess
    # tests/conftest.py points it at a folder of this run, away from the portal's var/metrics
    assert os.environ["PROMETHEUS_MULTIPROC_DIR"] != str(settings.PROMETHEUS_MULTIPROC_DIR)


# Gunicorn


def without_metrics_variables() -> dict[str, str]:
    return {
        key: value
        for key, value in os.environ.items()
        if key not in ("PROMETHEUS_MULTIPROC_DIR", "VAR_DIR")
    }


def test_gunicorn_and_settings_agree_on_the_metrics_folder(tmp_path):
    environment = {**without_metrics_variables(), "VAR_DIR": str(tmp_path / "var")}
    show = "import os, runpy; runpy.run_path('gunicorn.conf.py'); "
    show += "print(os.environ['PROMETHEUS_MULTIPROC_DIR'])"
    from_gunicorn = subprocess.run(
        [sys.executable, "-c", show],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    from_settings = subprocess.run(
        [
            sys.executable,
            "-c",
            "from a2i_portal import settings; print(settings.PROMETHEUS_MULTIPROC_DIR)",
        ],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()

    assert from_gunicorn == from_settings == str((tmp_path / "var" / "metrics").resolve())


def test_gunicorn_drops_the_live_gauges_of_a_worker_that_exits(tmp_path, monkeypatch):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    (tmp_path / "gauge_livesum_4242.db").touch()
    (tmp_path / "counter_4242.db").touch()
    config = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))

    config["child_exit"](None, SimpleNamespace(pid=4242))

    assert sorted(path.name for path in tmp_path.iterdir()) == ["counter_4242.db"]
