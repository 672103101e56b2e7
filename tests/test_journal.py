"""Log lines for the journal: a real `bounced serve` whose stderr is $JOURNAL_STREAM writes sd-daemon(3)
priority prefixes, a line per recipient outcome, and warnings for what needs a human."""

from __future__ import annotations

import io
import logging
import os
import re
import signal
import smtplib
import sqlite3
import subprocess
import sys
import time

import pytest

import mkmail
from bounced import verp
from bounced.config import Settings
from bounced.logsetup import JournalFormatter, configure, journal_stream, priority
from bounced.sending import Sender
from bounced.store import Store
from bounced.surge import Surge
from ports import free_port, listening

BLOCKED = "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org"


def _serve(tmp_path, port, journal: bool):
    cfg = tmp_path / "bounced.toml"
    cfg.write_text(f'database = "{tmp_path / "b.db"}"\nlisten = "127.0.0.1:{port}"\n'
                   f'bounce_domains = ["bounce.example.com"]\nverp_secret_file = "{tmp_path / "key"}"\n'
                   "storm_threshold = 3\nsmtp_forged_surge_percent = 99\n")  # ten forgeries stay refused
    err = open(tmp_path / "serve.err", "wb")
    st = os.fstat(err.fileno())
    env = {**os.environ, "BOUNCED_CONFIG": str(cfg), "JOURNAL_STREAM": f"{st.st_dev}:{st.st_ino}" if journal else "1:2"}
    proc = subprocess.Popen([sys.executable, "-m", "bounced", "serve"], env=env, stdout=err, stderr=err)
    err.close()
    if not listening(port):
        proc.kill()
        raise AssertionError((tmp_path / "serve.err").read_text())
    return proc


def _traffic(tmp_path, port):
    """A hard bounce to a registered send, an orphan, a storm, a report with no recipient, forged tokens."""
    (tmp_path / "key").write_text("0123456789abcdef0123456789abcdef")
    (tmp_path / "key").chmod(0o600)
    settings = Settings(database=str(tmp_path / "b.db"), bounce_domains=("bounce.example.com",),
                        verp_secret_file=str(tmp_path / "key"))
    path = Sender(Store(settings.database), settings).register("<news-1@sender.example.com>", "gone@example.org")
    forged = verp.encode("k1", b"not-our-secret-0123456789abcdef", "bounces", "bounce.example.com")
    proc = _serve(tmp_path, port, journal=True)
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as c:
            c.sendmail("<>", [path], mkmail.dsn("gone@example.org", message_id="<news-1@sender.example.com>",
                                                 report_id="<r-hard@mx.sender.example.com>"))
            c.sendmail("<>", ["bounces@bounce.example.com"], mkmail.dsn("who@example.net", message_id=None,
                                                                          report_id="<r-orphan@mx.sender.example.com>"))
            for i in range(3):
                c.sendmail("<>", ["bounces@bounce.example.com"], mkmail.dsn(
                    f"u{i}@blocky.example", status="5.7.1", diagnostic=BLOCKED, message_id=None))
            c.sendmail("<>", ["bounces@bounce.example.com"], b"Message-ID: <r-empty@x.example>\nContent-Type: "
                       b"multipart/report; report-type=delivery-status; boundary=B\n\n--B\n\nhello\n--B--\n")
            c.mail("<>")
            for _ in range(10):
                assert c.rcpt(forged)[0] == 550
            c.rset()
        _wait_processed(tmp_path / "b.db", 6)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    return (tmp_path / "serve.err").read_text().splitlines()


def _wait_processed(db, count, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        conn = sqlite3.connect(db)
        try:
            done = conn.execute("SELECT count(*) FROM raw_messages WHERE state != 'stored'").fetchone()[0]
        finally:
            conn.close()
        if done >= count:
            return
        time.sleep(0.1)
    raise AssertionError(f"{done} of {count} processed")


def test_serve_under_the_journal_prefixes_priorities_and_logs_each_outcome(tmp_path):
    lines = _traffic(tmp_path, free_port())
    assert lines and all(re.match(r"<[2-7]>", line) for line in lines), lines
    text = "\n".join(lines)
    assert ("<6>INFO bounced.outcomes: raw 1 msgid=<r-hard@mx.sender.example.com>: gone@example.org"
            ' reason=userunknown rule="status 5.1.1" type=hard status=5.1.1 kind=bounce correlation=verp'
            " original=<news-1@sender.example.com>: suppressed (hard): hard bounce: userunknown 5.1.1 at ") in text, text
    assert ("<6>INFO bounced.outcomes: raw 2 msgid=<r-orphan@mx.sender.example.com>: who@example.net"
            ' reason=userunknown rule="status 5.1.1" type=hard status=5.1.1 kind=bounce correlation=orphan'
            " original=-: not counted: matches no registered send (orphan; count_orphans is off)") in text, text
    warnings = [line for line in lines if line.startswith(("<4>", "<3>", "<2>"))]
    assert sorted(re.sub(r"\d+ s \(latest: .*", "", w) for w in warnings) == [  # from two processes: any order
        "<4>WARNING bounced.outcomes: raw 6 msgid=<r-empty@x.example>: not understood: a report with no recipients",
        "<4>WARNING bounced.pipeline: storm guard: 3 policy rejections from blocky.example within 60 minutes;"
        " they count against no one",
        "<4>WARNING bounced.surge: surge: 10 forged or expired VERP tokens refused at RCPT within ",
    ], warnings
    assert not any("flufl" in line for line in lines)
    assert "not counted: a storm of policy rejections from blocky.example" in text


def test_no_prefixes_when_stderr_is_not_the_journal_stream(tmp_path):
    port = free_port()
    (tmp_path / "key").write_text("0123456789abcdef0123456789abcdef")
    (tmp_path / "key").chmod(0o600)
    proc = _serve(tmp_path, port, journal=False)
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as c:
        c.sendmail("<>", ["bounces@bounce.example.com"], mkmail.dsn("who@example.net"))
    _wait_processed(tmp_path / "b.db", 1)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(60) == 0
    lines = (tmp_path / "serve.err").read_text().splitlines()
    assert any(line.startswith("INFO bounced.outcomes: raw 1 ") for line in lines), lines
    assert not any(line.startswith("<") for line in lines), lines


@pytest.mark.parametrize(("level", "prio"), [
    (logging.CRITICAL, 2), (logging.ERROR, 3), (logging.WARNING, 4), (logging.INFO, 6), (logging.DEBUG, 7), (5, 7),
])
def test_priority_of_each_level(level, prio):
    assert priority(level) == prio


def test_every_line_of_a_traceback_keeps_its_priority():
    try:
        raise ValueError("bad\ninput")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "raw %s failed", (7,), sys.exc_info())
    lines = JournalFormatter("%(levelname)s %(name)s: %(message)s").format(record).splitlines()
    assert lines[0] == "<3>ERROR x: raw 7 failed"
    assert lines[-2:] == ["<3>ValueError: bad", "<3>input"]
    assert all(line.startswith("<3>") for line in lines)


@pytest.mark.parametrize(("value", "expected"), [("", False), ("12", False), ("a:b", False), ("self", True), ("other", False)])
def test_journal_stream_must_name_stderr(tmp_path, monkeypatch, value, expected):
    with open(tmp_path / "err", "w") as stream, open(tmp_path / "other", "w") as other:
        st = os.fstat((stream if value == "self" else other).fileno())
        if value in ("self", "other"):
            value = f"{st.st_dev}:{st.st_ino}"
        monkeypatch.setenv("JOURNAL_STREAM", value)
        assert journal_stream(stream) is expected
    assert journal_stream(io.StringIO()) is False


def test_configure_leaves_an_existing_handler(monkeypatch):
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [logging.NullHandler()])
    configure()
    assert len(root.handlers) == 1 and isinstance(root.handlers[0], logging.NullHandler)


def test_a_surge_is_reported_once_a_window():
    now = [0.0]
    surge = Surge("forged tokens", threshold=3, window=10.0, clock=lambda: now[0])
    seen = []
    for t in (0, 1, 20, 21, 22, 23, 24, 40, 41, 42):  # 3 within 10 s at 22; again at 42, a window later
        now[0] = float(t)
        seen.append(surge.note(f"at {t}"))
    assert [t for t, hit in zip((0, 1, 20, 21, 22, 23, 24, 40, 41, 42), seen) if hit] == [22, 42]


def _row(**changes):
    row = {"address": "a@example.org", "reason": "userunknown", "rule": "status 5.1.1", "bounce_type": "hard",
           "kind": "bounce", "status": "5.1.1", "correlation": "verp", "verp": "valid", "counts": 1, "storm": 0,
           "domain": "example.org", "message_id": "<m@x>", "state": "suppressed", "policy_rule": "hard",
           "why": "hard bounce: userunknown 5.1.1 at 2026-11-20T10:00:00+00:00"}
    return {**row, **changes}


@pytest.mark.parametrize(("changes", "expected"), [
    ({}, "suppressed (hard): hard bounce: userunknown 5.1.1 at 2026-11-20T10:00:00+00:00"),
    ({"state": "active", "why": "no event that counts"}, "not suppressed: no event that counts"),
    ({"storm": 1}, "not counted: a storm of policy rejections from example.org"),
    ({"counts": 0, "correlation": "forged", "verp": "expired"}, "not counted: expired VERP token"),
    ({"counts": 0, "correlation": "orphan"}, "not counted: matches no registered send (orphan; count_orphans is off)"),
    ({"counts": 0, "correlation": "foreign"}, "not counted: matches no registered send (foreign; count_orphans is off)"),
    ({"counts": 0, "address": ""}, "not counted: the report names no one"),
    ({"counts": 0, "correlation": "recent"}, "not counted (recent)"),
])
def test_decision_says_why(changes, expected):
    from bounced.outcomes import decision

    assert decision(_row(**changes)) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (None, "-"), ("", "-"), ("a@example.org", "a@example.org"), ("status 5.1.1", '"status 5.1.1"'),
    ('"a b"@example.org', '"\\"a b\\"@example.org"'), ("x\n<3>forged line", '"x\\n<3>forged line"'), (550, "550"),
])
def test_fields_cannot_break_a_line(value, expected):
    from bounced.outcomes import _q

    assert _q(value) == expected
