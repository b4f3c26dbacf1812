"""Log lines: LOG_FORMAT=plain for people, json for a log pipeline; both carry `extra` fields."""

import io
import json
import logging
import os
import subprocess
import sys
from datetime import datetime
from logging.config import DictConfigurator

import pytest
from django.conf import settings

from tests.factories import StartedLoopFactory


def formatter(name: str) -> logging.Formatter:
    """The formatter settings.LOGGING defines under `name`, built as dictConfig builds it."""
    return DictConfigurator({"version": 1}).configure_formatter(
        dict(settings.LOGGING["formatters"][name])
    )


@pytest.fixture
def log_lines():
    """What the root logger writes in this test, by format name: a list of lines each."""
    streams: dict[str, io.StringIO] = {}
    handlers = []
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.INFO)  # whatever LOG_LEVEL says
    for name in ("plain", "json"):
        streams[name] = io.StringIO()
        handler = logging.StreamHandler(streams[name])
        handler.setFormatter(formatter(name))
        root.addHandler(handler)
        handlers.append(handler)
    yield lambda name: streams[name].getvalue().splitlines()
    for handler in handlers:
        root.removeHandler(handler)
    root.setLevel(level)


def test_a_json_line_is_one_object_with_the_message_and_every_extra_field(log_lines):
    logger = logging.getLogger("reviews.services.webhooks")

    logger.warning(
        "webhook %s: %s",
        "client",
        "HTTP 503",
        extra={"event": "webhook.attempted", "attempt": 2, "status_code": 503, "error": None},
    )

    [line] = log_lines("json")
    record = json.loads(line)
    assert record["message"] == "webhook client: HTTP 503"
    assert record["level"] == "WARNING"
    assert record["logger"] == "reviews.services.webhooks"
    assert datetime.fromisoformat(record["time"]).utcoffset().total_seconds() == 0
    assert record["event"] == "webhook.attempted"
    assert (record["attempt"], record["status_code"], record["error"]) == (2, 503, None)


def test_a_plain_line_ends_with_the_extra_fields_as_key_value_pairs(log_lines):
    logger = logging.getLogger("reviews.services.webhooks")

    logger.warning(
        "webhook %s: %s",
        "client",
        "HTTP 503",
        extra={"event": "webhook.attempted", "attempt": 2, "error": "HTTP 503: busy", "n": None},
    )

    [line] = log_lines("plain")
    assert line.endswith(
        " WARNING reviews.services.webhooks webhook client: HTTP 503 event=webhook.attempted "
        'attempt=2 error="HTTP 503: busy"'
    )


def test_a_plain_line_keeps_the_traceback_below_the_fields(log_lines):
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("reviews").exception("failed", extra={"event": "x.failed"})

    first, *rest = log_lines("plain")
    assert first.endswith(" ERROR reviews failed event=x.failed")
    assert rest[0] == "Traceback (most recent call last):"
    assert rest[-1] == "ValueError: boom"


@pytest.mark.django_db
def test_a_status_change_is_logged_with_its_fields(
    log_lines, flow, clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        loop = StartedLoopFactory(flow_definition=flow)

    [record] = [
        json.loads(line)
        for line in log_lines("json")
        if json.loads(line).get("event") == "loop.status_changed"
    ]
    assert record["loop"] == loop.name
    assert record["flow_definition"] == flow.name
    assert record["status"] == "InProgress"
    assert record["previous_status"] is None
    [line] = [line for line in log_lines("plain") if "event=loop.status_changed" in line]
    assert f"loop={loop.name} flow_definition={flow.name} status=InProgress" in line


def run_with(log_format: str | None) -> subprocess.CompletedProcess:
    """A process that sets Django up and logs one warning, with LOG_FORMAT set (None: unset)."""
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('reviews').warning('hello', extra={'event': 'demo', 'count': 3})"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "a2i_portal.settings"}
    environment.pop("LOG_FORMAT", None)
    if log_format is not None:
        environment["LOG_FORMAT"] = log_format
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_log_format_json_makes_every_line_json():
    finished = run_with("json")

    assert finished.returncode == 0, finished.stderr
    record = json.loads(finished.stderr)
    assert (record["message"], record["event"], record["count"]) == ("hello", "demo", 3)


@pytest.mark.parametrize("log_format", ["plain", None])
def test_log_format_plain_the_default_is_the_usual_line_with_pairs(log_format):
    finished = run_with(log_format)

    assert finished.returncode == 0, finished.stderr
    assert finished.stderr.rstrip("\n").endswith(" WARNING reviews hello event=demo count=3")


def test_an_unknown_log_format_stops_the_start():
    finished = run_with("xml")

    assert finished.returncode != 0
    assert "LOG_FORMAT must be plain or json, not 'xml'" in finished.stderr


def test_the_celery_worker_keeps_the_portals_log_handler():
    from a2i_portal.celery import app

    assert app.conf.worker_hijack_root_logger is False
