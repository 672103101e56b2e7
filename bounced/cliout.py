"""The listing commands' output flags, named as sqlite-utils names them, and their checked arguments.

    --table  a table for people (the default on a terminal)
    --json   one JSON array
    --nl     JSON Lines, one object per row (the default when the output is not a terminal)
    --csv    CSV with a header row
    --tsv    tab-separated values with a header row

``@output_options`` adds the flags to a command as ``fmt`` (None: none given); ``emit`` writes
rows in it.  Everything but the table is streamed, row by row.
"""

from __future__ import annotations

import csv
import functools
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import click

FORMATS = ("table", "json", "nl", "csv", "tsv")


class OneLineUsageError(click.ClickException):
    """Bad usage in one line (``Error: ...``), exit 2: no usage text around it."""

    exit_code = 2


def output_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--table, --json, --nl, --csv, --tsv: the output format, passed as ``fmt`` (None if none given)."""

    @click.option("--table", "fmt", flag_value="table", help="a table (default on a terminal)")
    @click.option("--json", "fmt", flag_value="json", help="a JSON array")
    @click.option("--nl", "fmt", flag_value="nl", help="JSON Lines: one object per line (default off a terminal)")
    @click.option("--csv", "fmt", flag_value="csv", help="CSV with a header row")
    @click.option("--tsv", "fmt", flag_value="tsv", help="tab-separated values with a header row")
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    return wrapper


def chosen(fmt: str | None) -> str:
    """The format in force: the one asked for, else a table on a terminal and JSON Lines elsewhere."""
    if fmt:
        return fmt
    return "table" if sys.stdout.isatty() else "nl"


def emit(rows: Iterable[dict[str, Any]], fmt: str | None, columns: Sequence[str] = ()) -> None:
    """Write ``rows`` in ``fmt`` (None: see ``chosen``); ``columns`` head an empty CSV or TSV."""
    fmt = chosen(fmt)
    out = sys.stdout
    if fmt == "table":
        from tabulate import tabulate

        rows = list(rows)
        out.write((tabulate(rows, headers="keys") if rows else "(none)") + "\n")
    elif fmt == "nl":
        for row in rows:
            out.write(_json(row) + "\n")
    elif fmt == "json":
        out.write("[")
        for n, row in enumerate(rows):
            out.write((",\n " if n else "") + _json(row))
        out.write("]\n")
    else:
        writer = csv.writer(out, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n")
        header: list[str] = []
        for row in rows:
            if not header:
                header = list(row)
                writer.writerow(header)
            writer.writerow([row.get(c) for c in header])
        if not header and columns:
            writer.writerow(columns)
    out.flush()


def _json(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, default=str)


def since_option(help_text: str) -> Callable[..., Any]:
    """--since DATE: an ISO 8601 date or time (no offset: UTC), checked; passed as UTC text."""
    return click.option("--since", callback=_since, metavar="DATE", help=help_text + " (YYYY-MM-DD or an ISO 8601 time)")


def _since(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from bounced.times import iso_utc

    try:
        return iso_utc(value)
    except ValueError as exc:
        raise OneLineUsageError(f"--since: {value!r} is not a date (YYYY-MM-DD) or an ISO 8601 time: {exc}") from exc


def checked_address(value: str, name: str = "ADDRESS") -> str:
    """An address as events record it; a one-line usage error (exit 2) for anything that is not one."""
    from bounced.parse.mime import normalize_address

    address = normalize_address(value)
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain or any(c.isspace() for c in address):
        raise OneLineUsageError(f"{name}: {value!r} is not an address")
    return address
