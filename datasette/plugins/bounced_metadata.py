"""Datasette plugin: bounced's table descriptions and canned queries for a bounced database,
whatever its file is called (Datasette names a database after its file; metadata.json names
the block "bounced").  Load with ``--plugins-dir datasette/plugins``."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from datasette import hookimpl

METADATA = json.loads((Path(__file__).resolve().parents[1] / "metadata.json").read_text(encoding="utf-8"))
BLOCK = METADATA["databases"]["bounced"]
MARKERS = {"raw_messages", "events", "addresses", "sent"}  # a database with these tables is bounced's
_OURS: set[str] = set()  # paths found to be bounced databases (asked on every metadata lookup)


def _is_bounced(datasette: Any, name: str) -> bool:
    db = datasette.databases.get(name)
    if db is None or db.is_memory or not db.path:
        return False
    if db.path in _OURS:
        return True
    try:  # read-only, like Datasette's own reads
        conn = sqlite3.connect(Path(db.path).resolve().as_uri() + "?mode=ro", uri=True)
        try:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.Error:  # not readable as SQLite: not ours
        return False
    if MARKERS <= names:
        _OURS.add(db.path)
        return True
    return False


@hookimpl
def get_metadata(datasette: Any, key: str, database: str | None, table: str | None) -> dict[str, Any]:
    names = [database] if database else list(datasette.databases)
    return {"databases": {name: BLOCK for name in names if name != "bounced" and _is_bounced(datasette, name)}}
