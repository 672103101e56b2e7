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



def campaign_rates_sql(where: str = "1") -> str:
    """Sent, hard, soft and complaints per campaign; each send counts once (hard before soft)."""
    return f"""
        SELECT s.campaign,
               COUNT(*) AS sent,
               SUM(EXISTS (SELECT 1 FROM events e WHERE e.sent_id = s.id AND e.bounce_type = 'hard')) AS hard,
               SUM(EXISTS (SELECT 1 FROM events e WHERE e.sent_id = s.id AND e.bounce_type = 'soft')
                   AND NOT EXISTS (SELECT 1 FROM events e WHERE e.sent_id = s.id AND e.bounce_type = 'hard')) AS soft,
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


def apply(db: Database) -> None:
    MIGRATIONS.apply(db)


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
