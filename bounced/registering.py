"""The rows `bounced register` reads (JSON Lines or CSV with its header row), checked, spooled to disk.

Every row is checked before any is registered, so a bad line registers nothing; the checked rows
wait in a temporary file, not in memory, so that registering 265,000 sends takes what one takes.
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

import click

from bounced.errors import InputError
from bounced.sending import check_row

FIELDS = ("message_id", "recipient", "campaign", "sent_at", "key", "envelope_id")


def read_rows(stream: TextIO, fmt: str) -> Iterator[tuple[int, Any]]:
    """(line number, row) of each row of ``stream``; InputError for a line that is not a row."""
    if fmt == "csv":
        reader = csv.DictReader(stream)
        header = [name.strip() for name in reader.fieldnames or []]
        if header and not {"recipient", "sent_at"} <= set(header):
            raise InputError(f"line 1: CSV without its header row: expected column names ({', '.join(FIELDS[:4])}"
                             f"[, key, envelope_id]), got {','.join(header)[:120]!r}")
        reader.fieldnames = header
        for row in reader:
            if None in row:
                raise InputError(f"line {reader.line_num}: more fields than the header row names")
            yield reader.line_num, {k: v for k, v in row.items() if v not in (None, "")}
        return
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"line {number}: not JSON Lines: {exc.msg}") from exc


@contextmanager
def checked_copy(stream: TextIO, fmt: str) -> Iterator[Iterable[dict[str, Any]]]:
    """The checked rows of ``stream``, read back from a temporary file; a bad row is a one-line
    ClickException (exit 1) naming its line, before anything is yielded."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        try:
            for number, row in read_rows(stream, fmt):
                try:
                    checked = check_row(row)
                except InputError as exc:
                    raise InputError(f"line {number}: {exc}") from exc
                spool.write(json.dumps({k: checked.get(k) for k in FIELDS}) + "\n")
        except InputError as exc:
            raise click.ClickException(f"stdin {exc}; nothing registered") from exc
        except UnicodeDecodeError as exc:
            raise click.ClickException(f"stdin: not UTF-8 text ({exc.reason}); nothing registered") from exc
        spool.seek(0)
        yield (json.loads(line) for line in spool)
