"""`bounced check`: each figure against its thresholds on a real SQLite file, and the Nagios exit codes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

import mkmail
from bounced.cli import cli
from bounced.config import Settings
from bounced.health import connect_ro, measure, report
from bounced.store import Store

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
LIMITS = {"window": 24.0, "backlog": (100, 1000), "backlog_age": (900, 3600), "silence": (48 * 3600, 168 * 3600),
          "failed": (1, 10), "unknown": (20, 200), "forged": (10, 100), "storms": (1, 5), "size": (2048, 8192)}
PERF_OK = "backlog_age=0s;900;3600;0 "


def _at(**delta) -> str:
    return (NOW - timedelta(**delta)).isoformat(timespec="seconds")


def _raws(store, count, state, **ago):
    """``count`` messages in ``state``, received ``ago`` before NOW (with no ``ago``: really now)."""
    for _ in range(count):
        raw_id, _dup = store.store_raw(mkmail.dsn("x@example.org"), "test")
        store.conn.execute("UPDATE raw_messages SET state = ? WHERE id = ?", (state, raw_id))
        if ago:
            store.conn.execute("UPDATE raw_messages SET received_at = ? WHERE id = ?", (_at(**ago), raw_id))


def _forged(store, count, **ago):
    _raws(store, 1, "parsed", **ago)
    (raw_id,) = store.conn.execute("SELECT max(id) FROM raw_messages").fetchone()
    for i in range(count):
        store.conn.execute(
            "INSERT INTO events (raw_id, report_key, address, kind, event_at, received_at, correlation, verp)"
            " VALUES (?, ?, ?, 'bounce', ?, ?, 'forged', 'forged')", (raw_id, f"k{i}", f"u{i}@example.org", _at(**ago), _at(**ago)))


def _storm(store, domain, **ago):
    store.conn.execute("INSERT INTO storms (domain, first_at, last_at, count) VALUES (?, ?, ?, 20)",
                       (domain, _at(hours=5), _at(**ago)))


# name -> (what is in the database, exit status, the status line's text before the perfdata)
CASES = {
    "empty": (lambda s: None, 1, "BOUNCED WARNING - no message received yet, backlog 0, 0 failed in 24 h, 0 not understood"
              " in 24 h, 0 forged VERP in 24 h, 0 storm(s) in progress"),
    "quiet and well": (lambda s: _raws(s, 3, "parsed", hours=2), 0, "BOUNCED OK - backlog 0, last message 2 h ago,"
                       " 0 failed in 24 h, 0 not understood in 24 h, 0 forged VERP in 24 h, 0 storm(s) in progress"),
    "backlog waiting": (lambda s: _raws(s, 3, "stored", minutes=20), 1, "BOUNCED WARNING - oldest unprocessed 20 min old,"
                        " backlog 3, last message 20 min ago, 0 failed in 24 h, 0 not understood in 24 h,"
                        " 0 forged VERP in 24 h, 0 storm(s) in progress"),
    "backlog stuck": (lambda s: _raws(s, 100, "stored", hours=2), 2, "BOUNCED CRITICAL - oldest unprocessed 2 h old,"
                      " backlog 100, last message 2 h ago, 0 failed in 24 h, 0 not understood in 24 h,"
                      " 0 forged VERP in 24 h, 0 storm(s) in progress"),
    "silent 3 days": (lambda s: _raws(s, 1, "parsed", days=3), 1, "BOUNCED WARNING - last message 3 d ago, backlog 0,"
                      " 0 failed in 24 h, 0 not understood in 24 h, 0 forged VERP in 24 h, 0 storm(s) in progress"),
    "silent 8 days": (lambda s: _raws(s, 1, "parsed", days=8), 2, "BOUNCED CRITICAL - last message 8 d ago, backlog 0,"
                      " 0 failed in 24 h, 0 not understood in 24 h, 0 forged VERP in 24 h, 0 storm(s) in progress"),
    "a failure": (lambda s: _raws(s, 1, "failed", hours=1), 1, "BOUNCED WARNING - 1 failed in 24 h, backlog 0,"
                  " last message 1 h ago, 0 not understood in 24 h, 0 forged VERP in 24 h, 0 storm(s) in progress"),
    "an old failure": (lambda s: (_raws(s, 1, "failed", days=2), _raws(s, 1, "parsed", hours=1)), 0,
                       "BOUNCED OK - backlog 0, last message 1 h ago, 0 failed in 24 h, 0 not understood in 24 h,"
                       " 0 forged VERP in 24 h, 0 storm(s) in progress"),
    "not understood": (lambda s: _raws(s, 20, "unknown", hours=1), 1, "BOUNCED WARNING - 20 not understood in 24 h,"
                       " backlog 0, last message 1 h ago, 0 failed in 24 h, 0 forged VERP in 24 h, 0 storm(s) in progress"),
    "forged tokens": (lambda s: _forged(s, 10, hours=1), 1, "BOUNCED WARNING - 10 forged VERP in 24 h, backlog 0,"
                      " last message 1 h ago, 0 failed in 24 h, 0 not understood in 24 h, 0 storm(s) in progress"),
    "storm now": (lambda s: (_raws(s, 1, "parsed", minutes=5), _storm(s, "b.example", minutes=5),
                             _storm(s, "a.example", minutes=30), _storm(s, "old.example", hours=2)), 1,
                  "BOUNCED WARNING - 2 storm(s) in progress (a.example, b.example), backlog 0, last message 5 min ago,"
                  " 0 failed in 24 h, 0 not understood in 24 h, 0 forged VERP in 24 h"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_check_figures(tmp_path, name):
    build, status, text = CASES[name]
    store = Store(tmp_path / "b.db")
    build(store)
    store.close()
    conn = connect_ro(tmp_path / "b.db")
    state, line = report(measure(conn, tmp_path / "b.db", Settings(), LIMITS, now=NOW))
    head, _, perf = line.partition(" | ")
    assert (state, re.sub(r", database [\d.]+ MiB", "", head)) == (status, text)
    labels = [p.split("=")[0] for p in perf.split()]
    assert labels == ["backlog", "backlog_age", "last_message_age", "failed", "unknown", "forged", "storms", "db_size"]


def test_perfdata_in_full(tmp_path):
    store = Store(tmp_path / "b.db")
    _raws(store, 2, "stored", minutes=20)
    _raws(store, 3, "failed", hours=1)
    store.close()
    _, line = report(measure(connect_ro(tmp_path / "b.db"), tmp_path / "b.db", Settings(), LIMITS, now=NOW))
    perf = re.sub(r"db_size=[\d.]+MB", "db_size=N", line.partition(" | ")[2])
    assert perf == ("backlog=2;100;1000;0 backlog_age=1200s;900;3600;0 last_message_age=3600s;172800;604800;0"
                    " failed=3;1;10;0 unknown=0;20;200;0 forged=0;10;100;0 storms=0;1;5;0 db_size=N;2048;8192;0")


def test_database_size(tmp_path):
    store = Store(tmp_path / "b.db")
    store.store_raw(b"Subject: big\n\n" + b"x" * (3 * 2**20), "test")  # still in the WAL: it counts
    store.store_raw(b"Subject: big\n\n" + b"y" * (3 * 2**20), "test")
    measures = measure(connect_ro(tmp_path / "b.db"), tmp_path / "b.db", Settings(), {**LIMITS, "size": (5, 10)}, now=NOW)
    size = next(m for m in measures if m.label == "db_size")
    on_disk = sum(p.stat().st_size for p in tmp_path.glob("b.db*") if not p.name.endswith("-shm")) / 2**20
    assert on_disk > 6 and (tmp_path / "b.db-wal").stat().st_size > 0  # the file and its WAL, both on the disk
    assert (size.value, size.state) == (round(on_disk, 1), 2 if on_disk >= 10 else 1)
    assert size.perfdata() == f"db_size={round(on_disk, 1):g}MB;5;10;0"
    store.close()


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("BOUNCED_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text(f'database = "{tmp_path / "b.db"}"\n')

    def invoke(*args):
        return CliRunner().invoke(cli, ["check", *args])

    return invoke


def test_cli_exit_codes_and_thresholds(run, tmp_path):
    assert (run().exit_code, run().output) == (3, f"BOUNCED UNKNOWN - cannot read the database: {tmp_path / 'b.db'}: no such database\n")
    store = Store(tmp_path / "b.db")
    _raws(store, 2, "failed")
    store.close()
    assert [run(*args).exit_code for args in ([], ["--failed", "3", "5"], ["--failed", "2", "5"], ["--failed", "1", "2"])] == [1, 0, 1, 2]
    result = run("--failed", "3", "5")
    assert result.output.startswith("BOUNCED OK - backlog 0, last message ") and " | backlog=0;100;1000;0 " in result.output


@pytest.mark.parametrize("args", [["--failed", "x", "1"], ["--backlog", "1"], ["--nonsense"], ["--window", "0"]])
def test_cli_misuse_is_unknown(run, args):
    assert run(*args).exit_code == 3


def test_cli_not_a_database_is_unknown(run, tmp_path):
    (tmp_path / "b.db").write_bytes(b"not a database" * 100)
    assert (run().exit_code, run().output) == (3, "BOUNCED UNKNOWN - cannot read the database: file is not a database\n")


def test_cli_config_error_is_unknown(tmp_path, monkeypatch):
    (tmp_path / "bad.toml").write_text("soft_limit = 'three'\n")
    result = CliRunner().invoke(cli, ["check", "--config", str(tmp_path / "bad.toml")])
    assert (result.exit_code, result.output.splitlines()[-1]) == (3, "BOUNCED UNKNOWN - configuration error (exit 2)")


def test_check_never_writes(tmp_path, run):
    store = Store(tmp_path / "b.db")
    _raws(store, 1, "parsed")
    store.close()
    before = (tmp_path / "b.db").read_bytes(), (tmp_path / "b.db").stat().st_mtime_ns
    assert run().exit_code == 0
    # (SQLite's reader may make the -wal and -shm files of a WAL database; the database is untouched)
    assert ((tmp_path / "b.db").read_bytes(), (tmp_path / "b.db").stat().st_mtime_ns) == before
    assert not (tmp_path / "b.db-wal").exists() or (tmp_path / "b.db-wal").stat().st_size == 0
