"""The database is the operator's UI: every canned query of datasette/metadata.json runs on a real database."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import mkmail
from bounced.config import Settings
from bounced.pipeline import Pipeline
from bounced.sending import Sender
from bounced.store import Store

METADATA = json.loads((Path(__file__).resolve().parents[1] / "datasette" / "metadata.json").read_text())
QUERIES = METADATA["databases"]["bounced"]["queries"]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ds")
    (tmp / "key").write_text("0123456789abcdef0123456789abcdef")
    settings = Settings(database=str(tmp / "bounced.db"), verp_secret_file=str(tmp / "key"), bounce_domains=("b.example.com",))
    store = Store(settings.database)
    Sender(store, settings).register("<m1@s.example.com>", "gone@example.org", campaign="nov", sent_at="2026-11-20T09:00:00+00:00")
    Pipeline(store, settings).ingest(mkmail.dsn("gone@example.org", message_id="<m1@s.example.com>"), "t")
    return store


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_canned_query_runs(store, name):
    sql = QUERIES[name]["sql"]
    params = {p: {"address": "Gone@example.org", "since": "2000-01-01"}[p] for p in re.findall(r":(\w+)", sql)}
    rows = store.conn.execute(sql, params).fetchall()
    expected_rows = {"is_suppressed": 1, "address_history": 1, "campaign_rates": 1, "suppressed_since": 1, "worst_domains": 1,
                     "unprocessed": 0}
    assert len(rows) == expected_rows[name]


def test_tables_described_exist(store):
    tables = set(store.db.table_names())
    assert set(METADATA["databases"]["bounced"]["tables"]) <= tables
    assert {"suppressed", "campaign_rates", "bounces_per_day", "bounces_per_reason"} <= set(store.db.view_names())
