"""The database schema as a sqlite-utils Migrations set: safe to re-apply, one function per version."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("bounced")
POLICY_REASONS = ("blocked", "spamdetected", "policyviolation", "badreputation", "authfailure")


@MIGRATIONS()
def m001_initial(db: Database) -> None:
    db["raw_messages"].create(
        {
            "id": int, "sha256": str, "raw": bytes, "size": int, "source": str, "mail_from": str,
            "rcpt_to": str, "received_at": str, "report_key": str, "state": str, "kind": str,
            "detector": str, "error": str, "parsed_at": str, "duplicate_of": int,
        },
        pk="id",
        not_null={"sha256", "raw", "received_at", "state"},
    )
    db["raw_messages"].create_index(["sha256"], unique=True)
    db["raw_messages"].create_index(["state"])
    db["raw_messages"].create_index(["report_key"])
    db["sent"].create(
        {
            "id": int, "key": str, "message_id": str, "recipient": str, "campaign": str,
            "sent_at": str, "envelope_id": str, "registered_at": str,
        },
        pk="id",
        not_null={"key", "recipient", "sent_at"},
    )
    db["sent"].create_index(["key"], unique=True)
    db["sent"].create_index(["message_id", "recipient"], unique=True)
    db["sent"].create_index(["recipient", "sent_at"])
    db["sent"].create_index(["envelope_id"])
    db["sent"].create_index(["campaign"])
    db["events"].create(
        {
            "id": int, "raw_id": int, "report_key": str, "address": str, "domain": str, "kind": str,
            "action": str, "status": str, "reply_code": int, "reason": str, "bounce_type": str,
            "diagnostic": str, "remote_mta": str, "rule": str, "sent_id": int, "sent_key": str,
            "campaign": str, "message_id": str, "correlation": str, "verp": str, "storm": int,
            "counts": int, "event_at": str, "received_at": str, "feedback_type": str,
        },
        pk="id",
        foreign_keys=[("raw_id", "raw_messages", "id")],
        not_null={"raw_id", "report_key", "address", "kind", "event_at"},
    )
    db["events"].create_index(["report_key", "address"], unique=True)
    db["events"].create_index(["address", "event_at"])
    db["events"].create_index(["domain", "received_at"])
    db["events"].create_index(["correlation"])
    db["events"].create_index(["sent_id"])
    db["events"].create_index(["raw_id"])
    db["addresses"].create(
        {
            "address": str, "state": str, "hard": int, "soft": int, "complaints": int, "delays": int,
            "last_event_at": str, "last_reason": str, "suppressed_at": str, "rule": str, "why": str,
            "updated_at": str,
        },
        pk="address",
    )
    db["addresses"].create_index(["state"])
    db["audit"].create(
        {"id": int, "at": str, "address": str, "action": str, "why": str, "actor": str},
        pk="id",
    )
    db["audit"].create_index(["address"])
    db["storms"].create(
        {"domain": str, "first_at": str, "last_at": str, "count": int, "reasons": str},
        pk=("domain", "first_at"),
    )
    db["checkpoints"].create({"mailbox": str, "uidvalidity": int, "last_uid": int, "updated_at": str}, pk="mailbox")
    _views(db)


@MIGRATIONS()
def m002_policy_indexes(db: Database) -> None:
    """Index-only reads for the two per-address questions every ingest asks."""
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_events_counted ON events (address, event_at)"
        " WHERE counts = 1 AND storm = 0"
    )
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_events_summary ON events (address, event_at, bounce_type, kind, reason)"
    )


@MIGRATIONS()
def m003_imap_messages(db: Database) -> None:
    """Where each message read over IMAP lives now (folder, its UIDVALIDITY, the message's UID), so
    that one the later parse finds not to be a bounce can be re-filed by UID.  state: filed (stored
    and marked, not yet parsed), kept (a bounce: stays), refiling (a non-bounce being moved to the
    non-bounce folder), refiled, gone (no longer where it was: moved or expunged by someone else)."""
    db["imap_messages"].create(
        {"mailbox": str, "raw_id": int, "folder": str, "uidvalidity": int, "uid": int, "state": str, "updated_at": str},
        pk=("mailbox", "raw_id"),
        foreign_keys=[("raw_id", "raw_messages", "id")],
        not_null={"folder", "state", "updated_at"},
    )
    db["imap_messages"].create_index(["mailbox", "state"])


@MIGRATIONS()
def m004_trust(db: Database) -> None:
    """``reported``: the address the report named, beside ``address``, the one the event is recorded
    against (a bound send's registered recipient); they differ for a forward or an alias."""
    if "reported" not in db["events"].columns_dict:
        db["events"].add_column("reported", str)


@MIGRATIONS()
def m005_intake(db: Database) -> None:
    """The exact bytes of an envelope sender or recipient list that is not UTF-8 (an old MTA's
    Latin-1 address); ``mail_from`` and ``rcpt_to`` hold them as text with ``\\xHH`` escapes."""
    for column in ("mail_from_bytes", "rcpt_to_bytes"):
        if column not in db["raw_messages"].columns_dict:
            db["raw_messages"].add_column(column, bytes)


def campaign_rates_sql(where: str = "1") -> str:
    """Sent, hard, soft and complaints per campaign; each send counts once (hard before soft), and a
    storm-marked rejection counts as neither."""
    return f"""
        SELECT s.campaign,
               COUNT(*) AS sent,
               SUM(EXISTS (SELECT 1 FROM events e WHERE e.sent_id = s.id AND e.bounce_type = 'hard' AND e.storm = 0)) AS hard,
               SUM(EXISTS (SELECT 1 FROM events e WHERE e.sent_id = s.id AND e.bounce_type = 'soft' AND e.storm = 0)
                   AND NOT EXISTS (SELECT 1 FROM events e WHERE e.sent_id = s.id AND e.bounce_type = 'hard' AND e.storm = 0)) AS soft,
               SUM(EXISTS (SELECT 1 FROM events e WHERE e.sent_id = s.id AND e.kind = 'feedback')) AS complaints
        FROM sent s WHERE {where} GROUP BY s.campaign ORDER BY s.campaign
        """


def _views(db: Database) -> None:
    db.create_view("campaign_rates", campaign_rates_sql(), replace=True)
    db.create_view(
        "suppressed",
        "SELECT address, suppressed_at, rule, why, last_reason FROM addresses WHERE state = 'suppressed' ORDER BY suppressed_at",
        replace=True,
    )
    db.create_view(
        "bounces_per_day",
        "SELECT substr(received_at, 1, 10) AS day, kind, bounce_type, COUNT(*) AS events FROM events GROUP BY day, kind, bounce_type",
        replace=True,
    )
    db.create_view(
        "bounces_per_reason",
        "SELECT reason, bounce_type, COUNT(*) AS events, COUNT(DISTINCT address) AS addresses FROM events GROUP BY reason, bounce_type ORDER BY events DESC",
        replace=True,
    )


@MIGRATIONS()
def m007_times(db: Database) -> None:
    """Report times, storms of every kind, and suppression tiers.

    raw_messages.reported_at / reported_from: the report's own time and where it was read
    (bounced/times.py).  events.report_at: that time, never before the send; the storm guard, the
    soft window's lapse, the per-day view and ``suppressed_at`` use it.  events.storm_id: the storm
    the event fell in (storms.id).  storms gets an id, a kind (policy, hard, dns) and a state (open,
    confirmed).  addresses.tier (hard, soft, complaint, manual), lapses_at (when a soft suppression
    turns to probation), suppressed_sent_id (the send whose bounce made the decision), held_storm
    (the storm holding a hard bounce).  Rows recorded before get the time they were stored."""
    for name in ("reported_at", "reported_from"):
        if name not in db["raw_messages"].columns_dict:
            db["raw_messages"].add_column(name, str)
    db.execute("UPDATE raw_messages SET reported_at = received_at, reported_from = 'stored' WHERE reported_at IS NULL")
    for name, kind in (("report_at", str), ("storm_id", int)):
        if name not in db["events"].columns_dict:
            db["events"].add_column(name, kind)
    db.execute("UPDATE events SET report_at = max(received_at, event_at) WHERE report_at IS NULL")
    db.execute("CREATE INDEX IF NOT EXISTS idx_events_domain_report ON events (domain, report_at, bounce_type, reason)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_events_storm ON events (storm_id) WHERE storm_id IS NOT NULL")
    db.execute("CREATE INDEX IF NOT EXISTS idx_events_address_storm ON events (address, storm_id, report_at)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_sent_domain ON sent (substr(recipient, instr(recipient, '@') + 1), sent_at)")
    if "id" not in db["storms"].columns_dict:
        db.execute(
            "CREATE TABLE storms_new (id INTEGER PRIMARY KEY, domain TEXT NOT NULL, kind TEXT NOT NULL DEFAULT 'policy',"
            " first_at TEXT, last_at TEXT, count INTEGER, reasons TEXT, state TEXT NOT NULL DEFAULT 'open',"
            " confirmed_at TEXT, confirmed_by TEXT)"
        )
        db.execute("INSERT INTO storms_new (domain, first_at, last_at, count, reasons)"
                   " SELECT domain, first_at, last_at, count, reasons FROM storms ORDER BY first_at")
        db.execute("DROP TABLE storms")
        db.execute("ALTER TABLE storms_new RENAME TO storms")
        db.execute("CREATE INDEX idx_storms_domain ON storms (domain, kind, last_at)")
    for name, kind in (("tier", str), ("lapses_at", str), ("suppressed_sent_id", int), ("held_storm", int)):
        if name not in db["addresses"].columns_dict:
            db["addresses"].add_column(name, kind)
    db.execute("UPDATE addresses SET tier = CASE rule WHEN 'hard' THEN 'hard' WHEN 'complaint' THEN 'complaint'"
               " ELSE 'soft' END WHERE state = 'suppressed' AND tier IS NULL")
    db.execute("CREATE INDEX IF NOT EXISTS idx_addresses_lapse ON addresses (lapses_at) WHERE state = 'suppressed'")
    db.create_view(
        "suppressed",
        # a lapse that no one has recorded yet is a lapse already
        "SELECT address, suppressed_at, rule, why, last_reason, tier, suppressed_sent_id, lapses_at FROM addresses"
        " WHERE state = 'suppressed' AND (lapses_at IS NULL OR lapses_at > strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'))"
        " ORDER BY suppressed_at",
        replace=True,
    )
    db.create_view(
        "bounces_per_day",
        "SELECT substr(report_at, 1, 10) AS day, kind, bounce_type, COUNT(*) AS events FROM events GROUP BY day, kind, bounce_type",
        replace=True,
    )


@MIGRATIONS()
def m008_growth(db: Database) -> None:
    """``pruned_at``: when `bounced prune` emptied the raw bytes of an old message (its row, hash,
    state and events stay, so counts stay and a replay is still a duplicate; it cannot be parsed
    again).  ``full_size``: the size of a message larger than max_message_size, of which only the
    first bytes were kept (NULL: kept whole)."""
    columns = db["raw_messages"].columns_dict
    if "pruned_at" not in columns:
        db["raw_messages"].add_column("pruned_at", str)
    if "full_size" not in columns:
        db["raw_messages"].add_column("full_size", int)
    db.execute("CREATE INDEX IF NOT EXISTS idx_raw_messages_received ON raw_messages (received_at)")


_PER_SEND = """
    COUNT(*) AS sent,
    SUM(EXISTS (SELECT 1 FROM events e WHERE e.sent_id = s.id AND e.bounce_type = 'hard' AND e.storm = 0)) AS hard,
    SUM(EXISTS (SELECT 1 FROM events e WHERE e.sent_id = s.id AND e.bounce_type = 'soft' AND e.storm = 0)
        AND NOT EXISTS (SELECT 1 FROM events e WHERE e.sent_id = s.id AND e.bounce_type = 'hard' AND e.storm = 0)) AS soft,
    SUM(EXISTS (SELECT 1 FROM events e WHERE e.sent_id = s.id AND e.kind = 'feedback')) AS complaints"""
_PCT = ("round(100.0 * hard / sent, 2) AS hard_pct, round(100.0 * soft / sent, 2) AS soft_pct,"
        " round(100.0 * complaints / sent, 2) AS complaint_pct")
# A suppression's tier, until tiers are recorded: a person's suppression (the audit's actor) is
# manual, else the rule that fired.
SUPPRESSION_TIER = """CASE WHEN (SELECT actor FROM audit u WHERE u.address = a.address AND u.action = 'suppress'
                                 ORDER BY u.at DESC, u.id DESC LIMIT 1) NOT IN ('bounced') THEN 'manual'
                            WHEN a.rule = 'hard' THEN 'hard' WHEN a.rule = 'complaint' THEN 'complaint'
                            WHEN a.rule = 'soft_limit' THEN 'soft' ELSE 'manual' END"""
VIEWS = {
    # Everything recorded about an address, events and audit interleaved: filter on address, sort by at.
    "address_history": """
        SELECT e.address, e.report_at AS at, 'event' AS source, e.kind AS what, e.reason, e.bounce_type, e.status,
               e.correlation, e.counts, e.storm, e.campaign, s.sent_at, e.diagnostic AS detail, NULL AS actor,
               e.id AS event_id, e.raw_id
        FROM events e LEFT JOIN sent s ON s.id = e.sent_id
        UNION ALL
        SELECT address, at, 'audit', action, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, why, actor, NULL, NULL
        FROM audit""",
    "campaign_rates": f"SELECT *, {_PCT} FROM ({campaign_rates_sql()})",
    "domain_rates": f"""
        SELECT *, {_PCT} FROM (
            SELECT substr(s.sent_at, 1, 10) AS day, lower(substr(s.recipient, instr(s.recipient, '@') + 1)) AS domain,
                   {_PER_SEND}
            FROM sent s GROUP BY day, domain)""",
    "suppressions_current": f"""
        SELECT a.address, a.suppressed_at, coalesce(a.tier, {SUPPRESSION_TIER}) AS tier, a.rule, a.why, a.last_reason,
               a.hard, a.soft, a.complaints, a.updated_at, a.lapses_at, a.suppressed_sent_id
        FROM addresses a
        WHERE a.state = 'suppressed' AND (a.lapses_at IS NULL OR a.lapses_at > strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'))""",
    # 'ongoing' while rejections came within the last 60 minutes, the default storm_window_minutes.
    "storms_state": """
        SELECT id, domain, kind, first_at, last_at, count, reasons, state AS decision, confirmed_at, confirmed_by,
               CASE WHEN last_at >= strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now', '-60 minutes') THEN 'ongoing' ELSE 'over' END
                   AS state,
               CAST(round((julianday(last_at) - julianday(first_at)) * 1440) AS INTEGER) AS minutes
        FROM storms""",
}


@MIGRATIONS()
def m009_views(db: Database) -> None:
    """Views for people (Datasette): dropped and created again, so the migration is safe to re-apply."""
    for name, sql in VIEWS.items():
        db.execute(f"DROP VIEW IF EXISTS {name}")
        db.execute(f"CREATE VIEW IF NOT EXISTS {name} AS {sql}")


# The answering MX of an event, as the storm guard compares it (bounced/storms.py MX): the
# Remote-MTA's first word, brackets and a final dot stripped, lower case.
EVENT_MX = ("lower(rtrim(trim(CASE WHEN instr(trim(remote_mta), ' ') > 0 THEN substr(trim(remote_mta), 1,"
            " instr(trim(remote_mta), ' ') - 1) ELSE trim(remote_mta) END, '[]'), '.'))")


@MIGRATIONS()
def m010_permx(db: Database) -> None:
    """Storms per remote MX: storms.remote_mta (NULL for a storm of the whole domain) and the index
    the guard counts one MX's bounces by."""
    if "remote_mta" not in db["storms"].columns_dict:
        db["storms"].add_column("remote_mta", str)
    db.execute(f"CREATE INDEX IF NOT EXISTS idx_events_domain_mx ON events (domain, {EVENT_MX}, report_at)")


def apply(db: Database) -> None:
    MIGRATIONS.apply(db)
