"""The default broker, a folder, under concurrent use. kombu's own filesystem transport creates
a message file in the queue folder, locks it, then writes its bytes, and a worker takes any file
of the folder without looking at the lock: a sender paused between the two (a busy machine
schedules it out) leaves an empty message that stops the worker. The portal's transport
(a2i_portal.broker) writes the message elsewhere and renames it into place."""

from __future__ import annotations

import time

import pytest
from django.conf import settings

from a2i_portal import broker
from tests.factories import StartedLoopFactory
from tests.support.polling import wait_for
from tests.support.receiver import output_path
from tests.support.traffic import answer_next

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    # The workers of the PostgreSQL pass use Redis; the folder broker is the SQLite pass's.
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
        reason="the filesystem broker runs in the SQLite pass",
    ),
]

PAUSE = 2.0  # seconds: longer than the worker waits between two looks at the folder


def test_a_message_its_sender_has_not_finished_writing_neither_stops_the_worker_nor_is_lost(
    worker, flow, reviewer, monkeypatch
):
    assert worker.broker.name == "filesystem"
    encode = broker.str_to_bytes

    def paused_encode(text):  # noqa: ANN001, ANN202
        time.sleep(PAUSE)  # the message's file is open, empty
        return encode(text)

    monkeypatch.setattr(broker, "str_to_bytes", paused_encode)
    loop = StartedLoopFactory(flow_definition=flow)
    answer_next(reviewer=reviewer, flow=flow)

    path = output_path(worker.outputs_root, loop.output_uri)
    _, waited = wait_for(
        lambda: path.is_file() or not worker.running,
        timeout=30,
        what="the output.json of the loop",
    )
    assert worker.running, f"the worker exited after {waited:.1f} s:\n{worker.log_tail(20)}"
    assert path.is_file()
