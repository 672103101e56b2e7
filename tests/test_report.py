"""`bounced report --html`: rendered in headless Chromium; the charts and numbers match the database,
every section honours --days and --campaign, and no two labels of a chart overlap in the browser."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from itertools import combinations

import pytest
from click.testing import CliRunner

import mkmail
from bench.report_db import simulate
from bounced.cli import cli
from bounced.config import Settings
from bounced.pipeline import Pipeline
from bounced.report.svg import date_ticks, nice_ticks
from bounced.sending import Sender
from bounced.store import Store

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian package chromium)")
# Run in the browser on a copy of the page (the page itself carries no script): every SVG text's
# rendered box, and each SVG's own box, written into the DOM for --dump-dom to carry out.
MEASURE = """<script>
const out = [...document.querySelectorAll('svg.chart')].map(svg => ({id: svg.id, box: svg.getBoundingClientRect().toJSON(),
  texts: [...svg.querySelectorAll('text')].map(t => ({text: t.textContent, cls: t.getAttribute('class'),
  box: t.getBoundingClientRect().toJSON()}))}));
const pre = document.createElement('pre'); pre.id = 'boxes'; pre.textContent = JSON.stringify(out);
document.body.appendChild(pre);
</script>"""


def report(db: str, out, *args: str) -> str:
    result = CliRunner().invoke(cli, ["report", "--db", db, "--html", str(out), *args], env={"BOUNCED_CONFIG": ""})
    assert result.exit_code == 0, result.output
    return out.read_text()


def chromium(tmp_path, *args: str, page) -> str:
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args, page.as_uri()],
                          capture_output=True, text=True, timeout=180, check=True).stdout


@pytest.fixture
def database(tmp_path):
    (tmp_path / "key").write_text("0123456789abcdef0123456789abcdef")
    settings = Settings(database=str(tmp_path / "b.db"), verp_secret_file=str(tmp_path / "key"), bounce_domains=("b.example.com",))
    store = Store(settings.database)
    sender, pipeline = Sender(store, settings), Pipeline(store, settings)
    when = datetime.now(UTC).replace(microsecond=0)
    for n in range(4):
        sender.register(f"<m{n}@s.example.com>", f"u{n}@example.org", campaign="nov", sent_at=when)
    pipeline.ingest(mkmail.dsn("u0@example.org", message_id="<m0@s.example.com>"), "a")
    pipeline.ingest(mkmail.dsn("u1@example.org", message_id="<m1@s.example.com>", status="4.2.2",
                               diagnostic="452 4.2.2 Mailbox full"), "b")
    pipeline.ingest(mkmail.dsn("u2@example.org", message_id="<m2@s.example.com>"), "c")
    pipeline.ingest(mkmail.arf("u3@example.org", message_id="<m3@s.example.com>"), "d")
    store.close()
    return settings


@pytest.fixture(scope="module")
def ninety(tmp_path_factory):
    """A simulated 90-day database ending today (bench/report_db.py), small scale."""
    path = tmp_path_factory.mktemp("ninety") / "sim.db"
    simulate(path, days=90, scale=0.15)
    return str(path)


def test_report_page_is_self_contained(database, tmp_path):
    page = report(database.database, tmp_path / "report.html")
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", page)  # nothing fetched
    assert "<script" not in page
    cards = dict(re.findall(r'<b id="total-([\w-]+)">([^<]*)</b>', page))
    assert cards == {"sent": "4", "delivered": "1", "hard-rate": "50.00 %", "soft-rate": "25.00 %",
                     "complaint-rate": "25.00 %", "hard": "2", "soft": "1", "storm": "0"}
    assert 'id="card-hard-rate"' in page and re.search(r'class="card over" id="card-hard-rate"', page)
    assert re.search(r'class="card over" id="card-complaint-rate"', page)
    reasons = re.search(r'<table id="reasons-by-campaign">.*?</table>', page, re.S).group(0)
    assert re.findall(r"<th>(\w+)</th>", reasons) == ["campaign", "userunknown", "feedback", "mailboxfull", "other", "total"]
    assert re.findall(r'data-col="\w+">(\w+)</td>', reasons) == ["nov", "2", "1", "1", "0", "4"]


def test_empty_database_and_hostile_names(tmp_path):
    """No sends, no events: every section says so, nothing divides by zero; a campaign name is text."""
    db = str(tmp_path / "empty.db")
    Store(db).close()
    page = report(db, tmp_path / "r.html", "--days", "7", "--campaign", "<script>alert(1)</script>")
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    cards = dict(re.findall(r'<b id="total-([\w-]+)">([^<]*)</b>', page))
    assert cards == {"sent": "0", "delivered": "—", "hard-rate": "—", "soft-rate": "—", "complaint-rate": "—",
                     "hard": "0", "soft": "0", "storm": "0"}
    per_day = re.search(r'<svg id="per-day".*?</svg>', page, re.S).group(0)
    assert "data-count" not in per_day and per_day.count('class="tick-label"') == 2 + 7  # y: 0 and 1; x: every day
    for table_id in ("domains", "storm-table", "newest-suppressions", "reasons-by-campaign", "diagnostics"):
        assert f'<p id="{table_id}" class="note">None in this period.</p>' in page
    assert re.search(r'last message received</td><td class="" data-col="value">never</td>', page)


def test_scales():
    assert nice_ticks(0) == [0, 1]
    assert nice_ticks(7) == [0, 2, 4, 6, 8]
    assert nice_ticks(93) == [0, 20, 40, 60, 80, 100]
    assert nice_ticks(1200) == [0, 500, 1000, 1500]
    days = [(date(2026, 9, 5) + timedelta(n)).isoformat() for n in range(90)]
    weekly = date_ticks(days, 9.0, 1)  # 9 px a day: a label a week, on Mondays
    assert [date.fromisoformat(days[i]).weekday() for i in weekly] == [0] * 13
    assert date_ticks(days[:10], 80.0, 1) == list(range(10))  # room for every day


def _counts(svg: str) -> dict[tuple[str, str], int]:
    return {(m[0], m[1]): int(m[2]) for m in re.findall(r'data-day="([\d-]+)" data-kind="(\w+)" data-count="(\d+)"', svg)}


@pytest.mark.parametrize("args", [(), ("--days", "20"), ("--campaign", "promo-winter"), ("--days", "45", "--campaign", "receipts")],
                         ids=["90d", "20d", "promo", "45d-receipts"])
def test_every_section_follows_days_and_campaign(ninety, tmp_path, args):
    days = int(args[args.index("--days") + 1]) if "--days" in args else 30
    campaign = args[args.index("--campaign") + 1] if "--campaign" in args else None
    page = report(ninety, tmp_path / "r.html", *(("--days", "90") if not args else args))
    days = 90 if not args else days
    since = (datetime.now(UTC).date() - timedelta(days - 1)).isoformat()
    db = Store(ninety)
    cw, cp = ("AND campaign = ?", [campaign]) if campaign else ("", [])
    sw = "AND s.campaign = ?" if campaign else ""
    # bounces per day: each day's bars are that day's events by class, storm rejections apart from soft
    expected = {(r["day"], r["cls"]): r["n"] for r in db.query(
        "SELECT substr(report_at, 1, 10) AS day, CASE WHEN kind = 'feedback' THEN 'complaint' WHEN storm = 1 THEN 'storm'"
        " WHEN kind = 'delay' THEN 'delay' ELSE bounce_type END AS cls, count(*) AS n FROM events"
        f" WHERE report_at >= ? AND correlation != 'forged' {cw} GROUP BY day, cls"
        " HAVING cls IN ('hard', 'soft', 'delay', 'complaint', 'storm')", [since, *cp])}
    per_day = re.search(r'<svg id="per-day".*?</svg>', page, re.S).group(0)
    assert _counts(per_day) == expected and expected
    # a true date axis: the bars' x positions step one slot per calendar day, empty days included
    xs = {m[0]: float(m[1]) for m in re.findall(r'data-day="([\d-]+)" data-kind="\w+" data-count="\d+" x="([\d.]+)"', per_day)}
    first = min(xs)
    slot = (860 - 62 - 30) / days
    for day, x in xs.items():
        assert abs(x - (62 + (date.fromisoformat(day) - date.fromisoformat(since)).days * slot + slot * 0.1)) < 0.06
    assert first >= since
    assert ('id="per-day-weekly"' in page) == (days > 45)
    # the headline: sends in the window, each counted once
    sent = db.query(f"SELECT count(*) AS n FROM sent s WHERE sent_at >= ? {sw}", [since, *cp])[0]["n"]
    assert re.search(r'<b id="total-sent">([\d,]+)</b>', page).group(1).replace(",", "") == str(sent)
    soft = sum(n for (_, cls), n in expected.items() if cls == "soft")
    assert re.search(r'<b id="total-soft">([\d,]+)</b>', page).group(1).replace(",", "") == str(soft)
    # domains: their sends add up to no more than the window's
    dom_sent = [int(n) for n in re.findall(r'data-col="sent">(\d+)</td>', re.search(r'<table id="domains">.*?</table>', page, re.S).group(0))]
    assert dom_sent and sum(dom_sent) <= sent and dom_sent == sorted(dom_sent, reverse=True)
    # reasons by campaign: only the campaign asked for
    reasons = re.search(r'<table id="reasons-by-campaign">.*?</table>', page, re.S).group(0)
    campaigns = re.findall(r'<tr><td class="" data-col="campaign">([^<]*)</td>', reasons)
    expected_campaigns = sorted({r["c"] or "(no send matched)" for r in db.query(
        f"SELECT campaign AS c FROM events WHERE received_at >= ? {cw} AND storm = 0 AND correlation != 'forged'"
        " AND (bounce_type IN ('hard', 'soft') OR kind = 'feedback')",
        [since, *cp])})
    assert campaigns == expected_campaigns
    # suppressions: the audit's suppressions in the window, per tier
    chart = re.search(r'<svg id="suppressions-chart(?:-weekly)?".*?</svg>', page, re.S).group(0)
    shown = sum(int(n) for n in re.findall(r'data-count="(\d+)"', chart))
    aw = "AND address IN (SELECT address FROM events WHERE campaign = ?)" if campaign else ""
    assert shown == db.query(f"SELECT count(*) AS n FROM audit WHERE action = 'suppress' AND at >= ? {aw}", [since, *cp])[0]["n"]
    newest = re.findall(r'data-col="suppressed_at">([\d: -]+)</td>', page)
    assert newest == sorted(newest, reverse=True) and all(t >= since for t in newest)
    storms = re.search(r'id="storm-table"', page)
    assert storms
    assert "All dates and times UTC" in page


def test_storm_is_drawn_and_not_soft(ninety, tmp_path):
    page = report(ninety, tmp_path / "r.html", "--days", "90")
    db = Store(ninety)
    storm = db.query("SELECT domain, first_at, count FROM storms")[0]
    per_day = re.search(r'<svg id="per-day".*?</svg>', page, re.S).group(0)
    assert f"storm at {storm['domain']}: {storm['count']} rejections" in per_day
    assert _counts(per_day)[(storm["first_at"][:10], "storm")] == storm["count"]
    table = re.search(r'<table id="storm-table">.*?</table>', page, re.S).group(0)
    assert re.findall(r'data-col="(?:domain|count|state)">([^<]*)</td>', table) == [storm["domain"], str(storm["count"]), "over"]
    health = re.search(r'<table id="health-table">.*?</table>', page, re.S).group(0)
    values = re.findall(r'data-col="value">([^<]*)</td>', health)
    assert values[:4] == ["2", "4", "9", "3"]  # backlog, failed, not understood, forged: as simulated
    tiers = {m[0]: int(m[1]) for m in re.findall(r'data-kind="(\w+)" data-count="(\d+)"',
                                                  re.search(r'<svg id="suppressions-chart-weekly".*?</svg>', page, re.S).group(0))}
    assert {"hard", "soft", "complaint", "manual"} <= set(tiers)


@needs_chromium
def test_report_renders_in_chromium(database, tmp_path):
    out = tmp_path / "report.html"
    report(database.database, out)
    shot = tmp_path / "report.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,1400", page=out)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    dom = chromium(tmp_path, "--dump-dom", page=out)
    per_day = re.search(r'<svg id="per-day".*?</svg>', dom, re.S).group(0)
    counts = {kind: n for (_, kind), n in _counts(per_day).items()}
    assert counts == {"hard": 2, "soft": 1, "complaint": 1}


@needs_chromium
@pytest.mark.parametrize("days", [7, 30, 90])
def test_no_label_overlaps_in_chromium(ninety, tmp_path, days):
    """Every chart of the 90-day database, at three ranges: the sections' SVG elements are there, and
    no two texts of one chart overlap nor leave it, by the boxes Chromium computed."""
    out = tmp_path / "report.html"
    page = report(ninety, out, "--days", str(days))
    shot = tmp_path / f"report-{days}d.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1000,3800", page=out)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    probe = tmp_path / "probe.html"
    probe.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page).replace("</body>", MEASURE + "</body>"))
    dom = chromium(tmp_path, "--window-size=1000,3800", "--virtual-time-budget=5000", "--dump-dom", page=probe)
    charts = json.loads(re.search(r'<pre id="boxes">(.*?)</pre>', dom, re.S).group(1).replace("&amp;", "&"))
    expected = {"per-day", "suppressions-chart"} | ({"per-day-weekly"} if days > 45 else set())
    if days > 45:
        expected = {"per-day", "per-day-weekly", "suppressions-chart-weekly"}
    assert {c["id"] for c in charts} == expected
    for chart in charts:
        classes = [t["cls"] for t in chart["texts"]]
        assert classes.count("axis-title") == 2 and classes.count("legend-label") == 5 and classes.count("tick-label") >= 6
        frame = chart["box"]
        for t in chart["texts"]:
            b = t["box"]
            assert b["width"] > 0 and frame["left"] <= b["left"] and b["right"] <= frame["right"] + 0.5, (chart["id"], t)
            assert frame["top"] <= b["top"] and b["bottom"] <= frame["bottom"] + 0.5, (chart["id"], t)
        for a, b in combinations(chart["texts"], 2):
            x, y = a["box"], b["box"]
            apart = x["right"] <= y["left"] or y["right"] <= x["left"] or x["bottom"] <= y["top"] or y["bottom"] <= x["top"]
            assert apart, (chart["id"], a["text"], b["text"])
    for section in ("headline", "bounces", "domains", "storms", "suppressions", "reasons", "diagnostics", "health"):
        assert f'<section id="{section}">' in dom
    assert dom.count('<svg class="spark"') >= 5
