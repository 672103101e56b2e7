"""`bounced serve` as a process: SIGTERM and kill -9 in the middle of a burst lose nothing."""

from __future__ import annotations

import os
import signal
import smtplib
import sqlite3
import subprocess
import sys
import threading
import time


import mkmail
from ports import free_port, listening



def start(tmp_path, port):
    cfg = tmp_path / "bounced.toml"
    (tmp_path / "key").write_text("0123456789abcdef0123456789abcdef\n")
    (tmp_path / "key").chmod(0o600)
    cfg.write_text(f'database = "{tmp_path / "b.db"}"\nlisten = "127.0.0.1:{port}"\nverp_secret_file = "{tmp_path / "key"}"\n')
    log = open(tmp_path / "serve.log", "ab")  # a file, not a pipe: a full pipe would block the server
    proc = subprocess.Popen([sys.executable, "-m", "bounced", "serve"], env={**os.environ, "BOUNCED_CONFIG": str(cfg)},
                            stdout=log, stderr=subprocess.STDOUT)
    if listening(port):
        return proc
    proc.kill()
    raise AssertionError("bounced serve did not start: " + (tmp_path / "serve.log").read_text())


def burst(port, messages, accepted, stop_after=None, on_threshold=None):
    """Send messages from 4 threads; record the index of every message answered 250."""
    lock = threading.Lock()

    def worker(indexes):
        c = None
        for i in indexes:
            try:
                if c is None:
                    c = smtplib.SMTP("127.0.0.1", port, timeout=10)
                c.sendmail("<>", ["bounces@bounce.example.com"], messages[i])
            except (smtplib.SMTPException, OSError):
                c = None
                continue
            with lock:
                accepted.add(i)
                if on_threshold and len(accepted) == stop_after:
                    on_threshold()
        if c is not None:
            try:
                c.quit()
            except (smtplib.SMTPException, OSError):
                pass

    threads = [threading.Thread(target=worker, args=(range(k, len(messages), 4),)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)


def stored(tmp_path):
    conn = sqlite3.connect(tmp_path / "b.db")
    try:
        return conn.execute("SELECT raw, state FROM raw_messages").fetchall()
    finally:
        conn.close()


def index_of(raw: bytes) -> int:
    marker = raw.index(b"Final-Recipient: rfc822; u")
    return int(raw[marker + 26 : raw.index(b"@", marker)])


MESSAGES = [mkmail.dsn(f"u{i}@example.org") for i in range(300)]


def test_sigterm_during_a_burst_loses_nothing(tmp_path):
    port = free_port()
    proc = start(tmp_path, port)
    accepted: set[int] = set()
    burst(port, MESSAGES, accepted, stop_after=60, on_threshold=lambda: proc.send_signal(signal.SIGTERM))
    assert proc.wait(60) == 0
    rows = stored(tmp_path)
    kept = {index_of(raw) for raw, _ in rows}
    assert accepted and accepted <= kept
    assert {state for _, state in rows} == {"parsed"}  # everything stored was processed before exit
    assert len(rows) == len(kept)


def test_kill_9_during_a_burst_then_restart_and_resend(tmp_path):
    port = free_port()
    proc = start(tmp_path, port)
    accepted: set[int] = set()
    burst(port, MESSAGES, accepted, stop_after=60, on_threshold=lambda: proc.send_signal(signal.SIGKILL))
    proc.wait(30)
    kept = {index_of(raw) for raw, _ in stored(tmp_path)}
    assert accepted and accepted <= kept  # every 250 was durable
    proc = start(tmp_path, port)
    try:
        again: set[int] = set()
        burst(port, MESSAGES, again)  # the MTA resends everything it was not sure of, and more
        assert again == set(range(len(MESSAGES)))
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(60) == 0
    rows = stored(tmp_path)
    assert sorted(index_of(raw) for raw, _ in rows) == list(range(len(MESSAGES)))  # none twice
    assert {state for _, state in rows} == {"parsed"}  # those stored before the kill were processed at restart
    conn = sqlite3.connect(tmp_path / "b.db")
    assert conn.execute("SELECT count(*), count(DISTINCT address) FROM events").fetchone() == (300, 300)


def test_a_message_that_fails_alone_is_quarantined_and_the_others_go_on(tmp_path, monkeypatch):
    """A real storage fault that only one message meets (a trigger refuses its event row): it is
    retried while the others are processed, then kept as failed with its traceback; the
    processor never stops and never backs off as a whole."""
    from bounced.config import Settings
    from bounced.intake import processor
    from bounced.store import Store

    monkeypatch.setattr(processor, "FIRST_BACKOFF", 0.0)  # retry at once instead of in 2, 4, 8 ... s
    (tmp_path / "key").write_text("0123456789abcdef0123456789abcdef")
    settings = Settings(database=str(tmp_path / "b.db"), verp_secret_file=str(tmp_path / "key"))
    store = Store(settings.database)
    ids = [store.store_raw(mkmail.dsn(a), "test")[0] for a in ("a@example.org", "poison@example.org", "b@example.org")]
    store.conn.execute("CREATE TRIGGER poison BEFORE INSERT ON events WHEN NEW.address = 'poison@example.org'"
                       " BEGIN SELECT RAISE(ABORT, 'this row is refused'); END")
    worker = processor.Processor(settings)
    passes = [worker.run(-1) for _ in range(2)]
    states = lambda: store.query("SELECT id, state FROM raw_messages ORDER BY id")  # noqa: E731
    assert states() == [{"id": ids[0], "state": "parsed"}, {"id": ids[1], "state": "stored"}, {"id": ids[2], "state": "parsed"}]
    store.store_raw(mkmail.dsn("c@example.org"), "test")  # more mail keeps arriving and is processed
    for n in range(processor.QUARANTINE_AFTER):
        store.store_raw(mkmail.dsn(f"more{n}@example.org"), "test")
        passes.append(worker.run(-1))
    assert passes[0] is True and worker.attempts == 0 and worker.backoff == 0.0
    rows = store.query("SELECT state, error FROM raw_messages WHERE id = ?", [ids[1]])
    assert rows[0]["state"] == "failed" and "this row is refused" in rows[0]["error"]
    assert store.query("SELECT count(*) AS n FROM raw_messages WHERE state = 'parsed'") == [{"n": 8}]
    worker.close()
    store.close()


def test_a_killed_processor_is_started_again(tmp_path):
    from pathlib import Path

    port = free_port()
    proc = start(tmp_path, port)
    try:
        deadline = time.monotonic() + 20
        children: list[str] = []
        while not children and time.monotonic() < deadline:  # the processor, not multiprocessing's resource tracker
            children = [c for c in Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
                        if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]
            time.sleep(0.1)
        assert len(children) == 1, children
        os.kill(int(children[0]), signal.SIGKILL)  # the out-of-memory killer, say
        time.sleep(0.5)
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as c:  # the listener goes on storing
            assert c.sendmail("<>", ["bounces@bounce.example.com"], MESSAGES[0]) == {}
        while time.monotonic() < deadline + 20 and [state for _, state in stored(tmp_path)] != ["parsed"]:
            time.sleep(0.2)
        assert [state for _, state in stored(tmp_path)] == ["parsed"]
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(60) == 0
    log = (tmp_path / "serve.log").read_text()
    assert "ERROR bounced.intake.spool: processor died with exit code -9; starting it again (restart 1)" in log
