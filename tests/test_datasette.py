"""The database is the operator's UI: datasette/metadata.json describes every table, view and column
the schema has, and its canned queries run on a real database whatever the file is called, in
SQLite and in Datasette itself (read-only)."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import mkmail
from bounced.config import Settings
from bounced.pipeline import Pipeline
from bounced.sending import Sender
from bounced.store import Store

ROOT = Path(__file__).resolve().parents[1]
METADATA = json.loads((ROOT / "datasette" / "metadata.json").read_text())
BLOCK = METADATA["databases"]["bounced"]
QUERIES = BLOCK["queries"]
PARAMS = {"address": "Gone@example.org", "since": "2000-01-01"}
# rows each canned query gives on the database below
EXPECTED_ROWS = {"is_suppressed": 1, "history_of_address": 2, "rates_per_campaign": 1, "suppressed_since": 1,
                 "worst_domains": 1, "storms": 1, "unprocessed": 0}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A database not called bounced.db: the queries must not depend on the file's name."""
    tmp = tmp_path_factory.mktemp("ds")
    (tmp / "key").write_text("0123456789abcdef0123456789abcdef")
    settings = Settings(database=str(tmp / "mail-2026.db"), verp_secret_file=str(tmp / "key"), bounce_domains=("b.example.com",))
    store = Store(settings.database)
    sent_at = (datetime.now(UTC) - timedelta(days=1)).isoformat(timespec="seconds")
    Sender(store, settings).register("<m1@s.example.com>", "gone@example.org", campaign="nov", sent_at=sent_at)
    Pipeline(store, settings).ingest(mkmail.dsn("gone@example.org", message_id="<m1@s.example.com>"), "t")
    store.conn.execute("INSERT INTO storms (domain, first_at, last_at, count, reasons) VALUES"
                       " ('example.net', '2026-11-02T10:00:00+00:00', '2026-11-02T10:40:00+00:00', 25, 'blocked')")
    return store


def test_metadata_describes_every_table_view_and_column(store):
    described = BLOCK["tables"]
    names = set(store.db.table_names()) | set(store.db.view_names())
    assert set(described) == names, "describe each table and view, and nothing that is not there"
    for name in sorted(names):
        entry = described[name]
        assert entry["description"].strip(), name
        columns = [c.name for c in store.db[name].columns]
        assert set(entry["columns"]) == set(columns), name
        assert all(text.strip() for text in entry["columns"].values()), name


def test_the_views_people_asked_for_are_there(store):
    assert {"address_history", "campaign_rates", "domain_rates", "suppressions_current", "storms_state",
            "suppressed", "bounces_per_day", "bounces_per_reason"} <= set(store.db.view_names())


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_canned_query_runs(store, name):
    sql = QUERIES[name]["sql"]
    rows = store.conn.execute(sql, {p: PARAMS[p] for p in re.findall(r":(\w+)", sql)}).fetchall()
    assert len(rows) == EXPECTED_ROWS[name]


def test_datasette_serves_the_queries_under_any_file_name(store):
    """Real Datasette, in process: the plugin gives a database called mail-2026 bounced's metadata,
    the canned queries answer, and Datasette reads through a read-only connection."""
    datasette_app = pytest.importorskip("datasette.app")
    ds = datasette_app.Datasette([store.path], metadata=METADATA, plugins_dir=str(ROOT / "datasette" / "plugins"))

    async def run() -> dict:
        out = {}
        for name in sorted(QUERIES):
            sql = QUERIES[name]["sql"]
            args = "&".join(f"{p}={PARAMS[p]}" for p in re.findall(r":(\w+)", sql))
            response = await ds.client.get(f"/mail-2026/{name}.json?_shape=array&{args}")
            out[name] = (response.status_code, response.json())
        out["_events"] = ds.metadata("description", database="mail-2026", table="events")
        out["_column"] = ds.table_metadata("mail-2026", "events")["columns"]["storm"]
        db = ds.get_database("mail-2026")
        out["_write"] = await db.execute_fn(lambda conn: _try_write(conn))
        return out

    out = asyncio.run(run())
    for name, expected in EXPECTED_ROWS.items():
        status, rows = out[name]
        assert status == 200 and len(rows) == expected, (name, rows)
    assert out["is_suppressed"][1][0]["rule"] == "hard"
    assert out["_events"] == BLOCK["tables"]["events"]["description"]
    assert out["_column"] == BLOCK["tables"]["events"]["columns"]["storm"]
    assert out["_write"] == "attempt to write a readonly database"


def _try_write(conn) -> str:
    try:
        conn.execute("DELETE FROM addresses")
    except Exception as exc:  # the error is the answer
        return str(exc)
    return "written"


def test_readme_starts_datasette_read_only():
    readme = (ROOT / "README.md").read_text()
    line = next(line for line in readme.splitlines() if line.startswith("Datasette read-only on the live database"))
    assert "--metadata datasette/metadata.json" in line and "--plugins-dir datasette/plugins" in line
    assert "pip install '.[datasette]'" in line
    assert 'datasette = ["datasette>=0.64"]' in (ROOT / "pyproject.toml").read_text()
