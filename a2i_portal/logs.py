"""Log formatting for LOG_FORMAT=plain (settings.LOGGING; `json` is python-json-logger's)."""

from __future__ import annotations

import json
import logging
import re

from pythonjsonlogger.core import RESERVED_ATTRS, merge_record_extra

# The attributes every LogRecord has; whatever else a record carries came in `extra`.
STANDARD_ATTRIBUTES = frozenset([*RESERVED_ATTRS, "taskName"])
BARE_VALUE = re.compile(r"[^\s\"=]+")


class KeyValueFormatter(logging.Formatter):
    """The usual line, then the record's `extra` fields as `key=value` pairs (values with spaces
    or quotes JSON-quoted; empty fields left out), before any traceback."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        extra = merge_record_extra(record, {}, reserved=STANDARD_ATTRIBUTES)
        pairs = [f"{key}={text(value)}" for key, value in extra.items() if value is not None]
        return " ".join([super().formatMessage(record), *pairs])


def text(value: object) -> str:
    shown = str(value)
    return shown if BARE_VALUE.fullmatch(shown) else json.dumps(shown)
