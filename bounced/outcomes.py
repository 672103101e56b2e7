"""One log line per recipient outcome of a processed message: what it said and what was decided, and why."""

from __future__ import annotations

import json
import logging
import sqlite3
from typing import Any

from bounced.model import Bounce, Kind
from bounced.surge import Surge

log = logging.getLogger(__name__)

# Forged or expired tokens that reach the pipeline (smtp_forged_verp = "accept", IMAP, files);
# one per process, as the listener's handler keeps its own for the tokens refused at RCPT.
FORGED = Surge("forged or expired VERP tokens in bounces")

_QUERY = """
    SELECT e.address, e.reason, e.rule, e.bounce_type, e.kind, e.status, e.correlation, e.verp, e.counts,
           e.storm, e.domain, e.message_id, a.state, a.rule, a.why
    FROM events e LEFT JOIN addresses a ON a.address = e.address WHERE e.raw_id = ? ORDER BY e.id"""


def decision(row: dict[str, Any]) -> str:
    """Suppressed or not, and why, for one event row joined with its address's state."""
    if row["storm"] and row["state"] == "held" and row["bounce_type"] == "hard":  # a hard or dns storm
        return f"not suppressed: {row['why']}"
    if row["storm"]:
        return f"not counted: a storm of policy rejections from {row['domain']}"
    if not row["counts"]:
        if not row["address"]:
            return "not counted: the report names no one"
        if row["correlation"] == "forged":
            return f"not counted: {row['verp']} VERP token"
        if row["correlation"] in ("orphan", "foreign"):
            return f"not counted: matches no registered send ({row['correlation']}; count_orphans is off)"
        return f"not counted ({row['correlation']})"
    if row["state"] == "suppressed":
        return f"suppressed ({row['policy_rule']}): {row['why']}"
    return f"not suppressed: {row['why']}"


def log_outcomes(conn: sqlite3.Connection, raw_id: int, bounce: Bounce) -> None:
    """After a message is recorded: a line per recipient event (a warning for a parse failure)."""
    if bounce.kind is Kind.UNKNOWN and bounce.error and not bounce.error.startswith("not a bounce report"):
        # broken MIME, a report with no recipients, an empty message: what a human should look at
        log.warning("raw %s msgid=%s: not understood: %s", raw_id, _q(bounce.message_id), bounce.error.replace("\r", "\\r").replace("\n", "\\n"))
    if not log.isEnabledFor(logging.INFO):
        return
    names = ("address", "reason", "rule", "bounce_type", "kind", "status", "correlation", "verp", "counts",
             "storm", "domain", "message_id", "state", "policy_rule", "why")
    try:
        rows = conn.execute(_QUERY, (raw_id,)).fetchall()
    except sqlite3.Error as exc:  # the message is recorded already: a log line must not turn it into a failure
        log.warning("raw %s msgid=%s: outcomes not logged: %s", raw_id, _q(bounce.message_id), exc)
        return
    for values in rows:
        row = dict(zip(names, values))
        if row["correlation"] == "forged":
            FORGED.note(f"{row['address']} ({row['verp']}), raw {raw_id}")
        log.info("raw %s msgid=%s: %s reason=%s rule=%s type=%s status=%s kind=%s correlation=%s original=%s: %s",
                 raw_id, _q(bounce.message_id), _q(row["address"] or None), _q(row["reason"]), _q(row["rule"]),
                 _q(row["bounce_type"]), _q(row["status"]), _q(row["kind"]), _q(row["correlation"]),
                 _q(row["message_id"]), decision(row))


def _q(value: object) -> str:
    """A key=value field that splits on spaces: '-' for none, JSON quotes around spaces and quotes."""
    if value is None or value == "":
        return "-"
    text = str(value)
    return json.dumps(text, ensure_ascii=False) if any(c in text for c in ' "=\t\n\r') else text
