"""What the benchmark scripts share: a throwaway database next to the configured one, a line
describing it, ANALYZE, and tables of figures. Import it after django.setup()."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


def create_database(*, sqlite_file: str, test_name: str | None = None, keep: bool = False) -> str:
    """A throwaway database next to the configured one; returns the configured name. On SQLite
    it is a file in VAR_DIR, not Django's in-memory test database: the benchmarks' threads and
    server processes need their own connections to one database."""
    test = settings.DATABASES["default"].setdefault("TEST", {})
    if connection.vendor == "sqlite":
        test["NAME"] = str(Path(settings.VAR_DIR) / sqlite_file)
    elif test_name:
        test["NAME"] = test_name
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=keep)
    return old_name


def describe_database(*shown: str) -> str:
    """The database's engine, version and name, and on PostgreSQL the settings named."""
    if not on_postgres():
        return f"SQLite {connection.Database.sqlite_version}, {connection.settings_dict['NAME']}"
    values = []
    with connection.cursor() as cursor:
        for name in ("server_version", *shown):
            cursor.execute(f"SHOW {name}")
            values.append(cursor.fetchone()[0])
    version, *rest = values
    details = "".join(f", {name} {value}" for name, value in zip(shown, rest, strict=True))
    return f"PostgreSQL {version}, database {connection.settings_dict['NAME']}{details}"


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if on_postgres() else "ANALYZE")


def print_table(headers: list[str], rows: list[list[Any]], *, align: str = "right") -> None:
    cells = [[str(cell) for cell in row] for row in [headers, *rows]]
    widths = [max(len(row[column]) for row in cells) for column in range(len(headers))]
    pad = str.rjust if align == "right" else str.ljust
    for number, row in enumerate(cells):
        print("  " + "  ".join(pad(cell, width) for cell, width in zip(row, widths, strict=True)))
        if number == 0:
            print("  " + "  ".join("-" * width for width in widths))
