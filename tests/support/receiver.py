"""A webhook receiver on loopback, as a client of the portal runs one: it checks each POST's
signature, notes whether the output.json the event announces is there yet, answers as its
policy says, and records every arrival. It reads nothing of the portal's code: what it checks,
it checks the way an outside receiver would."""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

DROP = 0  # no answer at all: the connection closes, as when a receiver crashes mid-request
SIGNATURE_MAX_AGE = 300  # seconds: an older timestamp is a replay

# What to answer to an arrival: its number (from 1) and the seconds since the receiver started
# give the status code, or DROP.
Policy = Callable[[int, float], int]


def always(status: int = 200) -> Policy:
    return lambda number, elapsed: status


class FailFor:
    """500 to everything for `seconds` from the first arrival on, then 200."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.first: float | None = None

    def __call__(self, number: int, elapsed: float) -> int:
        if self.first is None:
            self.first = elapsed
        return 500 if elapsed - self.first < self.seconds else 200


class Flaky:
    """A receiver with bad days: a share of 500s at random, and every so often an outage of a
    few seconds during which every connection is dropped unanswered."""

    def __init__(
        self,
        *,
        error_rate: float = 0.1,
        outage_every: tuple[float, float] = (20.0, 40.0),
        outage_seconds: float = 5.0,
        seed: int | None = None,
    ) -> None:
        self.random = random.Random(seed)
        self.error_rate, self.outage_every, self.outage_seconds = (
            error_rate,
            outage_every,
            outage_seconds,
        )
        self.next_outage = self.random.uniform(*outage_every)
        self.outages_seen: set[float] = set()  # the outages some arrival ran into
        self.lock = threading.Lock()

    def __call__(self, number: int, elapsed: float) -> int:
        with self.lock:
            while elapsed >= self.next_outage + self.outage_seconds:
                self.next_outage += self.outage_seconds + self.random.uniform(*self.outage_every)
            if elapsed >= self.next_outage:
                self.outages_seen.add(self.next_outage)
                return DROP
            return 500 if self.random.random() < self.error_rate else 200


@dataclass(frozen=True)
class Arrival:
    """One POST as the receiver saw it."""

    event_id: str  # the X-A2I-Event-Id header
    payload_id: str  # the body's `id`
    status: str  # the body's detail.humanLoopStatus
    loop_name: str
    attempt: int  # the X-A2I-Delivery-Attempt header
    at: datetime  # when the body had been read, UTC
    answered: int  # the status code sent back, or DROP
    signature_valid: bool
    output_existed: bool | None  # whether the announced output.json was there; None: not asked

    @property
    def accepted(self) -> bool:
        return 200 <= self.answered < 300

    @property
    def authentic(self) -> bool:
        return self.signature_valid and self.event_id == self.payload_id


class Receiver:
    """An HTTP server on 127.0.0.1 (a free port) in a thread of this process. `outputs_root` is
    the worker's OUTPUT_ROOT, where `s3://bucket/key` is the file `bucket/key`."""

    def __init__(
        self,
        *,
        secret: str,
        outputs_root: Path | None = None,
        answer: Policy | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        self.secret = secret.encode()
        self.outputs_root = outputs_root
        self.answer = answer or always(200)
        self.lock = threading.Lock()
        self.log: list[Arrival] = []
        self.server = Server((host, 0), Handler)
        self.server.receiver = self  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.started = time.monotonic()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/events"

    def start(self) -> Receiver:
        self.started = time.monotonic()
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> Receiver:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def arrive(self, headers: Any, body: bytes) -> int:
        at = datetime.now(UTC)
        try:
            payload = json.loads(body)
        except ValueError:
            payload = {}
        detail = payload.get("detail") or {}
        status = detail.get("humanLoopStatus") or ""
        with self.lock:
            number = len(self.log) + 1
            answered = self.answer(number, time.monotonic() - self.started)
            self.log.append(
                Arrival(
                    event_id=headers.get("X-A2I-Event-Id", ""),
                    payload_id=str(payload.get("id", "")),
                    status=status,
                    loop_name=detail.get("humanLoopName") or "",
                    attempt=int(headers.get("X-A2I-Delivery-Attempt") or 0),
                    at=at,
                    answered=answered,
                    signature_valid=self.signature_valid(headers, body),
                    output_existed=self.output_exists(detail),
                )
            )
        return answered

    def signature_valid(self, headers: Any, body: bytes) -> bool:
        """`X-A2I-Signature` is `sha256=` and the HMAC-SHA256 of `{timestamp}.{body}`; a stale
        timestamp fails too."""
        timestamp = headers.get("X-A2I-Timestamp", "")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > SIGNATURE_MAX_AGE:
            return False
        mac = hmac.new(self.secret, f"{timestamp}.".encode() + body, hashlib.sha256)
        return hmac.compare_digest("sha256=" + mac.hexdigest(), headers.get("X-A2I-Signature", ""))

    def output_exists(self, detail: dict[str, Any]) -> bool | None:
        uri = (detail.get("humanLoopOutput") or {}).get("outputS3Uri") or ""
        if self.outputs_root is None or "://" not in uri:
            return None
        return output_path(self.outputs_root, uri).is_file()

    def arrivals(self) -> list[Arrival]:
        with self.lock:
            return list(self.log)

    def accepted(self) -> dict[str, list[Arrival]]:
        """The arrivals answered 2xx, by event id: the deliveries the receiver took."""
        taken: dict[str, list[Arrival]] = defaultdict(list)
        for arrival in self.arrivals():
            if arrival.accepted:
                taken[arrival.event_id].append(arrival)
        return dict(taken)


def output_path(outputs_root: Path, uri: str) -> Path:
    """Where a worker writing to the folder `outputs_root` puts the output URI `uri`: the file
    `bucket/key` of `s3://bucket/key`."""
    return outputs_root / uri.split("://", 1)[1]


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A sender killed while it waited for the answer is what the tests and the soak do on
        # purpose: the arrival is recorded, the answer has nowhere to go.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the portal's connection pool expects

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        answered = self.server.receiver.arrive(self.headers, body)  # type: ignore[attr-defined]
        if answered == DROP:
            self.close_connection = True
            return
        reply = b'{"ok": true}' if 200 <= answered < 300 else b'{"error": "try again later"}'
        self.send_response(answered)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base's name)
        pass  # the arrivals are the log
