"""Reports are recorded at their own time: old mail ingested today lands on its own days."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

import mkmail
from bounced.cli import cli
from bounced.store import Store
from bounced.times import report_time

STORED = "2026-12-01T12:00:00+00:00"
RECEIVED = "Received: from mx.example.net (mx.example.net [192.0.2.7])\n\tby mail.bounce.example.com (Postfix) with ESMTPS id 4B;\n\tMon, 16 Nov 2026 09:30:00 +0100\n"
OLDER = "Received: from relay.example.net by mx.example.net; Mon, 16 Nov 2026 07:00:00 +0000\n"


def _mail(headers: str, date: str = "Sun, 15 Nov 2026 10:00:00 +0000") -> bytes:
    return f"{headers}From: MAILER-DAEMON@x.example\nDate: {date}\nSubject: x\n\nbody\n".encode()


@pytest.mark.parametrize(("raw", "source", "arrival", "expected"), [
    (_mail(RECEIVED + OLDER), "maildir/new/1", None, ("2026-11-16T08:30:00+00:00", "received")),  # the topmost, ours
    (_mail(""), "x.eml", "2026-11-14T10:00:00+00:00", ("2026-11-15T10:00:00+00:00", "date")),
    (_mail("", date="garbage"), "x.eml", "2026-11-14T10:00:00+00:00", ("2026-11-14T10:00:00+00:00", "arrival-date")),
    (_mail("", date="Tue, 15 Dec 2026 10:00:00 +0000"), "x.eml", None, (STORED, "stored")),  # two weeks ahead: not believed
    (_mail("", date="Sat, 1 Jan 1983 10:00:00 +0000"), "x.eml", None, (STORED, "stored")),  # before 1990
    (_mail("", date="Tue, 1 Dec 2026 23:00:00 +0000"), "x.eml", None, ("2026-12-01T23:00:00+00:00", "date")),  # skew
    (_mail(RECEIVED), "smtp:192.0.2.7", None, (STORED, "live")),
    (_mail(RECEIVED), "imap:box/INBOX;UIDVALIDITY=1", None, (STORED, "live")),
    (b"\x00\xff junk", "-", None, (STORED, "stored")),
], ids=["received", "date", "arrival", "future", "before-1990", "skew", "smtp", "imap", "junk"])
def test_report_time_order_of_trust(raw, source, arrival, expected):
    assert report_time(raw, source, STORED, arrival) == expected


def test_a_file_without_dates_takes_its_modification_time(tmp_path):
    path = tmp_path / "1700000000.M1.host"
    path.write_bytes(b"From: x@y.example\nSubject: x\n\nbody\n")
    os.utime(path, (1_790_000_000, 1_790_000_000))
    assert report_time(path.read_bytes(), str(path), STORED) == ("2026-09-21T14:13:20+00:00", "file")


def test_backfilled_mbox_lands_on_its_own_days(tmp_path):
    """Old reports ingested today: each event, the per-day view and suppressed_at keep the report's day."""
    days = [datetime.now(UTC).replace(microsecond=0) - timedelta(days=d) for d in (80, 45, 10)]
    mbox = tmp_path / "old.mbox"
    with mbox.open("wb") as fh:
        for n, day in enumerate(days):
            fh.write(b"From MAILER-DAEMON Mon Nov 16 09:30:00 2026\n" + mkmail.dsn(f"u{n}@example.org", arrival=day,
                     message_id=None) + b"\n")
    secret = tmp_path / "k"
    secret.write_text("a-test-secret-of-enough-length-0123456789\n")
    env = {"BOUNCED_VERP_SECRET_FILE": str(secret), "BOUNCED_COUNT_ORPHANS": "1"}
    db = str(tmp_path / "b.db")
    out = CliRunner().invoke(cli, ["ingest", "--db", db, str(mbox)], env=env)
    assert out.exit_code == 0 and out.output == "3 parsed\n", out.output
    store = Store(db)
    rows = store.query("SELECT address, report_at FROM events ORDER BY report_at")
    assert [r["report_at"] for r in rows] == [d.isoformat() for d in days]
    per_day = store.query("SELECT day, events FROM bounces_per_day ORDER BY day")
    assert per_day == [{"day": d.date().isoformat(), "events": 1} for d in days]
    assert [r["reported_from"] for r in store.query("SELECT reported_from FROM raw_messages ORDER BY id")] == ["date"] * 3
    week = store.query("SELECT address, suppressed_at FROM suppressed WHERE suppressed_at >= date('now', '-7 days')")
    assert [r["address"] for r in week] == []
    month = store.query("SELECT address FROM suppressed WHERE suppressed_at >= date('now', '-30 days')")
    assert [r["address"] for r in month] == ["u2@example.org"]
