"""`bounced report --html`: rendered in headless Chromium; the charts and numbers match the database."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

import mkmail
from bounced.cli import cli
from bounced.config import Settings
from bounced.pipeline import Pipeline
from bounced.sending import Sender
from bounced.store import Store

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def database(tmp_path):
    (tmp_path / "key").write_text("0123456789abcdef0123456789abcdef")
    settings = Settings(database=str(tmp_path / "b.db"), verp_secret_file=str(tmp_path / "key"), bounce_domains=("b.example.com",))
    store = Store(settings.database)
    sender, pipeline = Sender(store, settings), Pipeline(store, settings)
    when = datetime(2026, 11, 20, 9, tzinfo=UTC)
    for n in range(4):
        sender.register(f"<m{n}@s.example.com>", f"u{n}@example.org", campaign="nov", sent_at=when)
    pipeline.ingest(mkmail.dsn("u0@example.org", message_id="<m0@s.example.com>"), "a")
    pipeline.ingest(mkmail.dsn("u1@example.org", message_id="<m1@s.example.com>", status="4.2.2",
                               diagnostic="452 4.2.2 Mailbox full"), "b")
    pipeline.ingest(mkmail.dsn("u2@example.org", message_id="<m2@s.example.com>"), "c")
    pipeline.ingest(mkmail.arf("u3@example.org", message_id="<m3@s.example.com>"), "d")
    store.close()
    return settings


def test_report_page_is_self_contained(database, tmp_path):
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["report", "--db", database.database, "--html", str(out)], env={"BOUNCED_CONFIG": ""})
    assert result.exit_code == 0, result.output
    page = out.read_text()
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", page)  # nothing fetched
    assert "<script" not in page
    assert re.search(r'<b id="total-hard">2</b>', page) and re.search(r'<b id="total-soft">1</b>', page)
    assert 'data-reason="userunknown" data-count="2"' in page
    assert 'data-reason="mailboxfull" data-count="1"' in page
    assert "<td class=\"n\" data-col=\"hard_rate\">0.5</td>" in page


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian package chromium)")
def test_report_renders_in_chromium(database, tmp_path):
    out = tmp_path / "report.html"
    CliRunner().invoke(cli, ["report", "--db", database.database, "--html", str(out)], env={"BOUNCED_CONFIG": ""})
    profile = tmp_path / "profile"
    shot = tmp_path / "report.png"
    subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={shot}", "--window-size=1200,1400",
                    out.as_uri()], capture_output=True, timeout=120, check=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", out.as_uri()],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    # the browser built both charts from the page: count the bars and read their numbers
    per_day = re.search(r'<svg id="per-day".*?</svg>', dom, re.S).group(0)
    counts = {m.group(1): int(m.group(2)) for m in re.finditer(r'data-kind="(\w+)" data-count="(\d+)"', per_day)}
    conn = Store(database.database)
    assert counts["hard"] == conn.query("SELECT count(*) AS n FROM events WHERE bounce_type = 'hard'")[0]["n"] == 2
    assert counts["soft"] == 1 and counts["other"] == 1
    reasons = re.search(r'<svg id="reasons".*?</svg>', dom, re.S).group(0)
    bars = dict(re.findall(r'data-reason="(\w+)" data-count="(\d+)"', reasons))
    expected = {r["reason"]: str(r["n"]) for r in conn.query("SELECT reason, count(*) AS n FROM events GROUP BY reason")}
    assert bars == expected == {"userunknown": "2", "mailboxfull": "1", "feedback": "1"}
