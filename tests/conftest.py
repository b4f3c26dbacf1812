"""Shared fixtures: personas, a movable clock, and ready-made loops."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection

from a2i_portal import clock as clock_module
from tests.factories import (
    FlowDefinitionFactory,
    StartedLoopFactory,
    UserFactory,
    WorkTeamFactory,
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`postgres` tests need real row locks; on SQLite they are skipped and say why."""
    from django.conf import settings

    for item in items:  # everything under tests/browser/ drives chromium
        if "browser" in item.path.parts:
            item.add_marker(pytest.mark.browser)
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # A browser test without a database is the same run on either: it runs once, on SQLite.
        once = pytest.mark.skip(reason="uses no database: runs in the SQLite pass only")
        for item in items:
            if "browser" in item.keywords and "django_db" not in item.keywords:
                item.add_marker(once)
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL=postgres://...")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):  # noqa: ANN001
    """Real hashing costs a third of a second per user; tests don't need its strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def static_files_from_the_source_tree(settings):  # noqa: ANN001
    """The manifest storage serves what `collectstatic` wrote; tests run without that step."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


class MovableClock:
    """Stands in for a2i_portal.clock.now: starts at the real time, moves only when told."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> None:
        self.current += delta


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[MovableClock]:
    moving = MovableClock(clock_module.now())
    monkeypatch.setattr(clock_module, "now", moving.now)
    yield moving


@pytest.fixture(autouse=True, scope="session")
def metrics_folder_of_this_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The counters tests increment go to a folder of this run, never to the developer's
    var/metrics that a running portal reads (prometheus-client opens its files on first use)."""
    before = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(tmp_path_factory.mktemp("metrics"))
    yield
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = before


@pytest.fixture(autouse=True, scope="session")
def eager_celery() -> Iterator[None]:
    """In-process mode for every test: tasks run inside the caller (a loop's output.json, a
    deletion's sweep, once their commit lands; live servers too), and no message lands in the
    developer's broker folder. A test of the broker path asks for `celery_broker`."""
    from a2i_portal.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def celery_broker(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, tuple]]]:
    """Broker mode for one test: tasks are sent instead of run here. The list holds each sent
    task's name and arguments; no broker receives them."""
    from a2i_portal.celery import app

    sent: list[tuple[str, tuple]] = []

    def send_task(name: str, args: tuple | None = None, *more: object, **options: object) -> None:
        sent.append((name, tuple(args or ())))

    monkeypatch.setattr(app, "send_task", send_task)
    before = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield sent
    app.conf.task_always_eager = before


def folder_storage(settings, alias: str, folder: Path) -> None:  # noqa: ANN001
    """Point the storage `alias` at a fresh folder for this test."""
    from django.core.files.storage import storages

    options = {"location": str(folder)}
    if alias == "outputs":
        options["allow_overwrite"] = True
    settings.STORAGES = {
        **settings.STORAGES,
        alias: {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": options},
    }
    storages._storages.pop(alias, None)


@pytest.fixture
def outputs_dir(settings, tmp_path):  # noqa: ANN001
    """Output files of this test go to a fresh folder."""
    from django.core.files.storage import storages

    folder_storage(settings, "outputs", tmp_path / "outputs")
    yield tmp_path / "outputs"
    storages._storages.pop("outputs", None)


@pytest.fixture
def objects_dir(settings, tmp_path):  # noqa: ANN001
    """The objects grant_read_access serves come from a fresh folder in this test."""
    from django.core.files.storage import storages

    folder_storage(settings, "objects", tmp_path / "objects")
    yield tmp_path / "objects"
    storages._storages.pop("objects", None)


@pytest.fixture
def reviewer(db):  # noqa: ANN001
    return UserFactory(username="reviewer")


@pytest.fixture
def second_reviewer(db):  # noqa: ANN001
    return UserFactory(username="second")


@pytest.fixture
def outsider(db):  # noqa: ANN001
    """A user in no work team."""
    return UserFactory(username="outsider")


@pytest.fixture
def operator(db):  # noqa: ANN001
    return UserFactory(username="operator", is_staff=True, is_superuser=True)


@pytest.fixture
def operator_client(client, operator):  # noqa: ANN001
    """Django's test client, signed in as the operator."""
    client.force_login(operator)
    return client


@pytest.fixture
def team(reviewer, second_reviewer):  # noqa: ANN001
    return WorkTeamFactory(members=[reviewer, second_reviewer])


@pytest.fixture
def flow(team):  # noqa: ANN001
    """A custom flow definition of the reviewers' team, one answer per loop."""
    return FlowDefinitionFactory(work_team=team)


@pytest.fixture
def flow_of_two(team):  # noqa: ANN001
    """A flow definition that needs two distinct reviewers per loop."""
    return FlowDefinitionFactory(work_team=team, task_count=2)


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def open_loop(flow, clock):  # noqa: ANN001
    """An InProgress loop of `flow`, started through start_loop() on the movable clock: one
    open slot."""
    return StartedLoopFactory(flow_definition=flow)


@pytest.fixture
def claimed_slot(open_loop, reviewer, clock):  # noqa: ANN001
    """The reviewer's claim on the one slot of `open_loop`."""
    from reviews.services.slots import claim_next_slot

    return claim_next_slot(reviewer=reviewer)
