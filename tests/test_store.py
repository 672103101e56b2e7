"""The store under faults it can be made to meet for real: locks, unwritable files, a full disk."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

import mkmail
from bounced.config import Settings
from bounced.errors import StoreError
from bounced.pipeline import Pipeline
from bounced.store import Store


def test_schema_is_safe_to_reapply(tmp_path):
    Store(tmp_path / "b.db").close()
    store = Store(tmp_path / "b.db")
    names = {r["name"] for r in store.query("SELECT name FROM _sqlite_migrations")}
    assert names == {"m001_initial", "m002_policy_indexes", "m003_imap_messages", "m004_trust", "m005_intake", "m007_times", "m008_growth", "m009_views", "m010_permx"}
    assert store.query("PRAGMA journal_mode")[0]["journal_mode"] == "wal"


def test_a_long_reader_does_not_block_ingest(tmp_path):
    store = Store(tmp_path / "b.db")
    reader = sqlite3.connect(tmp_path / "b.db", isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM raw_messages").fetchone()  # holds a read snapshot (WAL)
    raw_id, dup = store.store_raw(b"Subject: x\n\nbody\n", "t")
    assert (raw_id, dup) == (1, False)
    assert reader.execute("SELECT count(*) FROM raw_messages").fetchone()[0] == 0  # its snapshot
    reader.execute("COMMIT")


def test_a_held_write_lock_gives_a_clear_error_and_keeps_nothing_half_done(tmp_path):
    Store(tmp_path / "b.db").close()
    writer = sqlite3.connect(tmp_path / "b.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    store = Store(tmp_path / "b.db", busy_timeout_ms=200)
    with pytest.raises(StoreError, match="locked"):
        store.store_raw(b"Subject: x\n\nbody\n", "t")
    writer.execute("ROLLBACK")
    assert store.store_raw(b"Subject: x\n\nbody\n", "t") == (1, False)  # the retry (SMTP 451 -> resend) works


def test_a_path_that_cannot_be_a_database(tmp_path):
    (tmp_path / "file").write_text("not a directory")
    with pytest.raises(StoreError, match="file/b.db"):
        Store(tmp_path / "file" / "b.db")


def test_ingest_cli_on_an_unwritable_database_exits_1_with_one_line(tmp_path):
    (tmp_path / "file").write_text("x")
    msg = tmp_path / "m.eml"
    msg.write_bytes(mkmail.dsn("user@example.org"))
    (tmp_path / "c.toml").write_text("")
    proc = subprocess.run([sys.executable, "-m", "bounced", "ingest", "--db", str(tmp_path / "file" / "b.db"), str(msg)],
                          capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "BOUNCED_CONFIG": str(tmp_path / "c.toml")})
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith("Error: ") and "b.db" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def _mount_tmpfs(path, size="1m") -> bool:
    path.mkdir()
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True).returncode == 0


def test_disk_full_is_a_store_error_and_earlier_messages_survive(tmp_path):
    mnt = tmp_path / "small"
    if not _mount_tmpfs(mnt):
        pytest.skip("cannot mount a small tmpfs here (needs root); disk full not simulated")
    try:
        settings = Settings(database=str(mnt / "b.db"), verp_secret_file="")
        store = Store(settings.database_path())
        pipeline = Pipeline(store, settings)
        kept = 0
        with pytest.raises(StoreError, match="full"):
            for n in range(1000):
                pipeline.ingest(mkmail.dsn(f"u{n}@example.org") + b"x" * 20000 + str(n).encode(), f"m{n}")
                kept += 1
        assert kept > 0
        store.close()
        # every message whose ingest returned is kept; the one that hit the full disk may be kept
        # too (stored, then its processing failed: `bounced reprocess` takes it up)
        assert Store(settings.database_path()).query("SELECT count(*) AS n FROM raw_messages")[0]["n"] in (kept, kept + 1)
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_read_only_filesystem_is_a_store_error(tmp_path):
    mnt = tmp_path / "ro"
    if not _mount_tmpfs(mnt, "2m"):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        Store(mnt / "b.db").close()
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
        with pytest.raises(StoreError):
            Store(mnt / "b.db").store_raw(b"Subject: x\n\nbody\n", "t")
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)
