"""The views for people (migration m009_views) on a database filled by the real pipeline: rates per
campaign and per domain and day, an address's history, current suppressions with their tier, storms
with their state; and the migration is safe to apply again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import mkmail
from bounced import schema
from bounced.config import Settings
from bounced.pipeline import Pipeline
from bounced.sending import Sender
from bounced.store import Store

DAY1, DAY2 = "2026-11-20T09:00:00+00:00", "2026-11-21T10:00:00+00:00"


@pytest.fixture
def store(tmp_path):
    (tmp_path / "key").write_text("0123456789abcdef0123456789abcdef")
    settings = Settings(database=str(tmp_path / "v.db"), verp_secret_file=str(tmp_path / "key"), bounce_domains=("b.example.com",))
    store = Store(settings.database)
    sender, pipeline = Sender(store, settings), Pipeline(store, settings)
    recent = (datetime.now(UTC) - timedelta(days=2)).isoformat(timespec="seconds")
    for n in range(5):
        sender.register(f"<m{n}@s.example.com>", f"u{n}@example.org", campaign="nov", sent_at=DAY1)
    sender.register("<v0@s.example.com>", "v0@Example.NET", campaign="nov", sent_at=DAY2)
    for n in range(3):  # three sends to one full mailbox: the soft limit
        sender.register(f"<f{n}@s.example.com>", "full@example.com", campaign="dec", sent_at=recent)
    full = "452 4.2.2 Mailbox full"
    pipeline.ingest(mkmail.dsn("u0@example.org", message_id="<m0@s.example.com>"), "a")
    pipeline.ingest(mkmail.dsn("u1@example.org", message_id="<m1@s.example.com>", status="4.2.2", diagnostic=full), "b")
    pipeline.ingest(mkmail.dsn("u2@example.org", message_id="<m2@s.example.com>", status="4.2.2", diagnostic=full), "c")
    pipeline.ingest(mkmail.dsn("u2@example.org", message_id="<m2@s.example.com>"), "c2")  # and then hard: counts once, as hard
    pipeline.ingest(mkmail.arf("u3@example.org", message_id="<m3@s.example.com>"), "d")
    pipeline.ingest(mkmail.dsn("u4@example.org", message_id="<m4@s.example.com>", status="4.2.2", diagnostic=full), "e")
    store.conn.execute("UPDATE events SET storm = 1, counts = 0 WHERE address = 'u4@example.org'")  # as the storm guard marks
    for n in range(3):
        pipeline.ingest(mkmail.dsn("full@example.com", message_id=f"<f{n}@s.example.com>", status="4.2.2", diagnostic=full), f"f{n}")
    store.save_state("boss@example.org", {"state": "suppressed", "suppressed_at": DAY2, "rule": "manual", "why": "asked"})
    store.add_audit("boss@example.org", "suppress", "asked by phone", "alice")
    now = datetime.now(UTC)
    store.conn.executemany("INSERT INTO storms (domain, first_at, last_at, count, reasons) VALUES (?, ?, ?, ?, 'blocked')", [
        ("example.net", "2026-11-02T10:00:00+00:00", "2026-11-02T10:40:00+00:00", 25),
        ("example.com", (now - timedelta(minutes=30)).isoformat(timespec="seconds"), (now - timedelta(minutes=5)).isoformat(timespec="seconds"), 40)])
    yield store
    store.close()


def test_campaign_rates(store):
    rows = store.query("SELECT * FROM campaign_rates ORDER BY campaign")
    assert rows == [
        {"campaign": "dec", "sent": 3, "hard": 0, "soft": 3, "complaints": 0, "hard_pct": 0.0, "soft_pct": 100.0, "complaint_pct": 0.0},
        # u0 and u2 hard (u2's soft report before its hard one counts once, as hard), u1 soft, u3 a
        # complaint; u4's rejection is storm-marked and counts as neither
        {"campaign": "nov", "sent": 6, "hard": 2, "soft": 1, "complaints": 1, "hard_pct": 33.33, "soft_pct": 16.67, "complaint_pct": 16.67},
    ]


def test_domain_rates_per_day(store):
    rows = store.query("SELECT day, domain, sent, hard, soft, complaints, hard_pct FROM domain_rates WHERE day < '2026-12' ORDER BY day, domain")
    assert rows == [
        {"day": "2026-11-20", "domain": "example.org", "sent": 5, "hard": 2, "soft": 1, "complaints": 1, "hard_pct": 40.0},
        {"day": "2026-11-21", "domain": "example.net", "sent": 1, "hard": 0, "soft": 0, "complaints": 0, "hard_pct": 0.0},
    ]


def test_address_history_has_events_and_audit(store):
    rows = store.query("SELECT source, what, reason, bounce_type, campaign, sent_at, actor FROM address_history"
                       " WHERE address = 'u2@example.org' ORDER BY at, source DESC, event_id")
    assert rows == [
        {"source": "event", "what": "bounce", "reason": "mailboxfull", "bounce_type": "soft", "campaign": "nov", "sent_at": DAY1, "actor": None},
        {"source": "event", "what": "bounce", "reason": "userunknown", "bounce_type": "hard", "campaign": "nov", "sent_at": DAY1, "actor": None},
        {"source": "audit", "what": "suppress", "reason": None, "bounce_type": None, "campaign": None, "sent_at": None, "actor": "bounced"},
    ]
    manual = store.query("SELECT source, what, detail, actor FROM address_history WHERE address = 'boss@example.org'")
    assert manual == [{"source": "audit", "what": "suppress", "detail": "asked by phone", "actor": "alice"}]


def test_suppressions_current_tiers(store):
    rows = store.query("SELECT address, tier, rule FROM suppressions_current ORDER BY address")
    assert rows == [
        {"address": "boss@example.org", "tier": "manual", "rule": "manual"},
        {"address": "full@example.com", "tier": "soft", "rule": "soft_limit"},
        {"address": "u0@example.org", "tier": "hard", "rule": "hard"},
        {"address": "u2@example.org", "tier": "hard", "rule": "hard"},
        {"address": "u3@example.org", "tier": "complaint", "rule": "complaint"},
    ]


def test_storms_state(store):
    rows = store.query("SELECT domain, state, minutes, count FROM storms_state ORDER BY first_at")
    assert rows == [{"domain": "example.net", "state": "over", "minutes": 40, "count": 25},
                    {"domain": "example.com", "state": "ongoing", "minutes": 25, "count": 40}]


def test_views_migration_is_safe_to_apply_again(store):
    before = {v: store.db[v].schema for v in schema.VIEWS}
    rows = store.query("SELECT * FROM campaign_rates")
    schema.m009_views(store.db)
    schema.m009_views(store.db)
    assert {v: store.db[v].schema for v in schema.VIEWS} == before
    assert store.query("SELECT * FROM campaign_rates") == rows


def test_database_from_before_the_views_gets_them(tmp_path):
    path = tmp_path / "old.db"
    Store(path).close()
    old = Store(path)
    for view in schema.VIEWS:
        old.conn.execute(f"DROP VIEW {view}")
    old.conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm009_views'")
    old.close()
    again = Store(path)  # opening applies what is missing
    assert set(schema.VIEWS) <= set(again.db.view_names())
    assert again.query("SELECT name FROM _sqlite_migrations WHERE name = 'm009_views'")


def test_references_hold(store):
    """The references the metadata describes (not all declared as foreign keys) point at rows."""
    assert store.query("SELECT count(*) AS n FROM events WHERE sent_id IS NOT NULL AND sent_id NOT IN (SELECT id FROM sent)")[0]["n"] == 0
    assert store.query("SELECT count(*) AS n FROM audit WHERE address NOT IN (SELECT address FROM addresses)")[0]["n"] == 0
    assert store.query("SELECT count(*) AS n FROM events WHERE counts = 1 AND address NOT IN (SELECT address FROM addresses)")[0]["n"] == 0
