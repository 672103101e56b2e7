"""`bounced prune`: old raw bytes go, rows, events, states and the audit stay; the writer keeps writing."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

import mkmail
from bounced.cli import cli
from bounced.config import Settings
from bounced.pipeline import Pipeline
from bounced.reports import reprocess
from bounced.retention import cutoff, prune
from bounced.store import Store

OLD = (datetime.now(UTC) - timedelta(days=500)).isoformat(timespec="seconds")


@pytest.fixture
def settings(tmp_path):
    secret = tmp_path / "verp.key"
    secret.write_text("a-test-secret-of-enough-length-0123456789\n")
    return Settings(database=str(tmp_path / "bounced.db"), bounce_domains=("bounce.example.com",),
                    verp_secret_file=str(secret))


def ingest(settings, count, start=0, age=OLD):
    """``count`` hard bounces for a{i}@example.org, received at ``age``; their raw ids."""
    store = Store(settings.database_path())
    pipeline = Pipeline(store, settings)
    ids = [pipeline.ingest(mkmail.dsn(f"a{i}@example.org"), f"r{i}.eml").raw_id for i in range(start, start + count)]
    store.conn.execute("UPDATE raw_messages SET received_at = ? WHERE id BETWEEN ? AND ?", (age, ids[0], ids[-1]))
    store.close()
    return ids


def rows(store, sql):
    return [tuple(r) for r in store.conn.execute(sql).fetchall()]


def test_prune_empties_old_raw_bytes_and_keeps_everything_else(settings):
    old = ingest(settings, 3)
    recent = ingest(settings, 1, start=3, age=datetime.now(UTC).isoformat(timespec="seconds"))
    store = Store(settings.database_path())
    store.conn.execute("UPDATE raw_messages SET state = 'failed' WHERE id = ?", (old[2],))  # waits for a fix: kept
    events = rows(store, "SELECT * FROM events ORDER BY id")
    states = rows(store, "SELECT address, state, rule, why FROM addresses ORDER BY address")
    sizes = {r: s for r, s in rows(store, "SELECT id, size FROM raw_messages")}

    dry = prune(store, cutoff(400), dry_run=True)
    assert (dry.messages, dry.bytes, dry.states) == (2, sizes[old[0]] + sizes[old[1]], {"parsed": 2})
    assert rows(store, "SELECT count(*) FROM raw_messages WHERE pruned_at IS NOT NULL") == [(0,)]

    done = prune(store, cutoff(400))
    assert (done.messages, done.bytes, done.states, done.oldest) == (2, dry.bytes, {"parsed": 2}, OLD)
    assert rows(store, "SELECT id, length(raw), size, state, pruned_at IS NOT NULL FROM raw_messages ORDER BY id") == [
        (old[0], 0, sizes[old[0]], "parsed", 1), (old[1], 0, sizes[old[1]], "parsed", 1),
        (old[2], sizes[old[2]], sizes[old[2]], "failed", 0), (recent[0], sizes[recent[0]], sizes[recent[0]], "parsed", 0)]
    assert rows(store, "SELECT * FROM events ORDER BY id") == events
    assert rows(store, "SELECT address, state, rule, why FROM addresses ORDER BY address") == states
    assert prune(store, cutoff(400)).messages == 0  # nothing twice


def test_a_pruned_message_is_not_parsed_again_and_a_replay_is_still_a_duplicate(settings):
    data = mkmail.dsn("gone@example.org")
    store = Store(settings.database_path())
    first = Pipeline(store, settings).ingest(data, "r.eml")
    store.conn.execute("UPDATE raw_messages SET received_at = ?", (OLD,))
    prune(store, cutoff(400))
    result = reprocess(settings, "all")
    assert result.messages == 0
    assert rows(store, "SELECT address, bounce_type FROM events") == [("gone@example.org", "hard")]
    again = Pipeline(store, settings).ingest(data, "r.eml")
    assert (again.state, again.raw_id) == ("duplicate", first.raw_id)


def test_the_listener_writes_while_a_large_prune_runs(settings):
    ingest(settings, 1200)
    store = Store(settings.database_path())
    batches = threading.Event()
    seen = []

    def advance(n):
        seen.append(n)
        if len(seen) == 2:
            batches.set()

    worker = threading.Thread(target=lambda: seen.append(prune(Store(settings.database_path()), cutoff(400),
                                                                batch=50, advance=advance)))
    worker.start()
    assert batches.wait(30)
    writer = Store(settings.database_path(), busy_timeout_ms=2000)  # a listener's spool commit
    raw_id, duplicate = writer.store_raw(b"Subject: new\n\nhello\n", "smtp")
    running = worker.is_alive()
    worker.join(60)
    assert not duplicate and running, "the write waited for the whole prune"
    assert seen[-1].messages == 1200
    assert rows(store, f"SELECT state, length(raw) > 0 FROM raw_messages WHERE id = {raw_id}") == [("stored", 1)]


@pytest.fixture
def run(tmp_path, monkeypatch):
    cfg = tmp_path / "bounced.toml"
    (tmp_path / "key").write_text("0123456789abcdef0123456789abcdef\n")
    cfg.write_text(f'database = "{tmp_path / "bounced.db"}"\nverp_secret_file = "{tmp_path / "key"}"\n')
    monkeypatch.setenv("BOUNCED_CONFIG", str(cfg))
    return lambda *args: CliRunner().invoke(cli, list(args))


def test_cli_prune_dry_run_then_prune(run, settings, tmp_path):
    ingest(settings, 2)
    size = sum(r[0] for r in sqlite3.connect(settings.database).execute("SELECT size FROM raw_messages"))
    dry = run("prune", "--dry-run")
    before = cutoff(400)[:10]
    assert dry.exit_code == 0, dry.output
    first = dry.output.splitlines()[0]
    assert first.startswith(f"would empty the raw bytes of 2 message(s) received before {before}")
    assert first.endswith(f"({OLD} .. {OLD}; 2 parsed): {size} bytes")
    done = run("prune")
    assert done.output.splitlines()[0] == first.replace("would empty", "emptied")
    assert "VACUUM" in done.output
    assert run("prune").output.startswith("no raw message received before ")
    assert run("prune", "--days", "0").exit_code == 2


def test_cli_prune_with_retention_zero_keeps_everything(run, settings, monkeypatch):
    ingest(settings, 1)
    monkeypatch.setenv("BOUNCED_RETENTION_DAYS", "0")
    result = run("prune")
    assert (result.exit_code, result.output) == (0, "retention_days is 0: raw messages are kept forever; nothing to prune\n")
    assert rows(Store(settings.database_path()), "SELECT count(*) FROM raw_messages WHERE pruned_at IS NULL") == [(1,)]


def test_registering_the_send_of_a_pruned_orphan_leaves_it_as_it_was(settings):
    from bounced.sending import Sender

    store = Store(settings.database_path())
    Pipeline(store, settings).ingest(mkmail.dsn("late@example.org", message_id="<late@x>"), "r.eml")
    store.conn.execute("UPDATE raw_messages SET received_at = ?", (OLD,))
    prune(store, cutoff(400))
    before = rows(store, "SELECT * FROM events"), rows(store, "SELECT state, kind, report_key FROM raw_messages")
    Sender(store, settings).register_many([{"message_id": "<late@x>", "recipient": "late@example.org",
                                            "sent_at": "2026-11-19T00:00:00+00:00"}])
    assert (rows(store, "SELECT * FROM events"), rows(store, "SELECT state, kind, report_key FROM raw_messages")) == before
    assert rows(store, "SELECT correlation, counts FROM events") == [("foreign", 0)]
