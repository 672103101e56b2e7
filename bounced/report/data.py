"""The report's questions of the store, for one window (``--days``) and optionally one campaign.

Every column name the report depends on is in the block below, so that a schema change (the
report's own event time, recorded suppression tiers) is one edit here.  Times are ISO-8601 UTC
text; a day is its first ten characters.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bounced.store import Store

# -- the schema the report reads -------------------------------------------------------------
EVENT_TIME = "report_at"  # the report's own time (bounced/times.py): a day's traffic, not a send's day
SENT_TIME = "sent_at"
# One class per event; storm-marked rejections are their own class, never soft.
EVENT_CLASS = ("CASE WHEN kind = 'feedback' THEN 'complaint' WHEN storm = 1 THEN 'storm'"
               " WHEN kind = 'delay' THEN 'delay' WHEN bounce_type = 'hard' THEN 'hard'"
               " WHEN bounce_type = 'soft' THEN 'soft' ELSE 'other' END")
TRAFFIC = "coalesce(correlation, '') != 'forged'"  # a forged token is an attack, shown under health
CURRENT_SUPPRESSIONS = "suppressions_current"  # the view (schema.VIEWS) that derives a suppression's tier
# Suppression tier of an audit row: 'lapse' is what a soft suppression that expires records,
# 'manual_suppress' what `bounced suppress` records; else the actor (a person is manual) and the
# policy's own wording of its decision (policy.decide).
AUDIT_TIER = ("CASE WHEN action = 'lapse' THEN 'lapsed' WHEN action = 'manual_suppress' OR actor != 'bounced' THEN 'manual'"
              " WHEN why LIKE 'hard bounce%' THEN 'hard' WHEN why LIKE 'complaint%' THEN 'complaint'"
              " ELSE 'soft' END")
SUPPRESSION_ACTIONS = ("suppress", "manual_suppress", "lapse")
# ---------------------------------------------------------------------------------------------

SERIES = ("hard", "soft", "delay", "complaint", "storm")
TIERS = ("hard", "soft", "complaint", "manual", "lapsed")
_ADDRESS = re.compile(r"[^\s<>()\[\]\"',;:]+@[^\s<>()\[\]\"',;:]+")


@dataclass(frozen=True)
class Window:
    """The days the report covers, in UTC, and the campaign it is limited to."""

    first: date
    last: date
    campaign: str | None = None

    @classmethod
    def ending_today(cls, days: int, campaign: str | None = None, today: date | None = None) -> Window:
        last = today or datetime.now(UTC).date()
        return cls(last - timedelta(days=max(days, 1) - 1), last, campaign)

    @property
    def since(self) -> str:
        return self.first.isoformat()

    def days(self) -> list[str]:
        return [(self.first + timedelta(n)).isoformat() for n in range((self.last - self.first).days + 1)]

    def events(self) -> tuple[str, list[Any]]:
        """WHERE for events in the window (and campaign)."""
        where, params = [f"{EVENT_TIME} >= ?"], [self.since]
        if self.campaign is not None:
            where.append("campaign = ?")
            params.append(self.campaign)
        return " AND ".join(where), params

    def sends(self) -> tuple[str, list[Any]]:
        where, params = [f"s.{SENT_TIME} >= ?"], [self.since]
        if self.campaign is not None:
            where.append("s.campaign = ?")
            params.append(self.campaign)
        return " AND ".join(where), params


def per_day(store: Store, w: Window) -> dict[str, dict[str, int]]:
    """Events per day and class, every day of the window present (empty days as zeros)."""
    where, params = w.events()
    out = {day: dict.fromkeys(SERIES, 0) for day in w.days()}
    for r in store.query(f"SELECT substr({EVENT_TIME}, 1, 10) AS day, {EVENT_CLASS} AS cls, count(*) AS n"
                         f" FROM events WHERE {where} AND {TRAFFIC} GROUP BY day, cls", params):
        if r["day"] in out and r["cls"] in SERIES:
            out[r["day"]][r["cls"]] = r["n"]
    return out


_PER_SEND = """
    SELECT {group} COUNT(*) AS sent,
           SUM(EXISTS (SELECT 1 FROM events e WHERE e.sent_id = s.id AND e.bounce_type = 'hard' AND e.storm = 0)) AS hard,
           SUM(EXISTS (SELECT 1 FROM events e WHERE e.sent_id = s.id AND e.bounce_type = 'soft' AND e.storm = 0)
               AND NOT EXISTS (SELECT 1 FROM events e WHERE e.sent_id = s.id AND e.bounce_type = 'hard' AND e.storm = 0)) AS soft,
           SUM(EXISTS (SELECT 1 FROM events e WHERE e.sent_id = s.id AND e.kind = 'feedback')) AS complaints
    FROM sent s WHERE {where} {tail}"""
_DOMAIN = "lower(substr(s.recipient, instr(s.recipient, '@') + 1))"


def headline(store: Store, w: Window) -> dict[str, Any]:
    """Sends in the window and what became of them: each send counts once (hard before soft);
    a storm-marked rejection counts as neither."""
    where, params = w.sends()
    row = store.query(_PER_SEND.format(group="", where=where, tail=""), params)[0]
    sent = row["sent"] or 0
    hard, soft, complaints = (int(row[k] or 0) for k in ("hard", "soft", "complaints"))
    ewhere, eparams = w.events()
    counts = store.query(f"SELECT {EVENT_CLASS} AS cls, count(*) AS n FROM events WHERE {ewhere} AND {TRAFFIC}"
                         " GROUP BY cls", eparams)
    return {"sent": sent, "hard": hard, "soft": soft, "complaints": complaints,
            "delivered": sent - hard - soft if sent else None,
            "hard_rate": hard / sent if sent else None, "soft_rate": soft / sent if sent else None,
            "complaint_rate": complaints / sent if sent else None,
            "events": {r["cls"]: r["n"] for r in counts}}


def domains(store: Store, w: Window, top: int = 8) -> list[dict[str, Any]]:
    """The receiving domains with the most sends, their rates, and the weekly failure rate (trend)."""
    where, params = w.sends()
    rows = store.query(_PER_SEND.format(group=f"{_DOMAIN} AS domain,", where=where,
                                        tail="GROUP BY domain ORDER BY sent DESC, domain LIMIT ?"), [*params, top])
    if not rows:
        return []
    marks = ", ".join("?" for _ in rows)
    weekly: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for r in store.query(_PER_SEND.format(
            group=f"{_DOMAIN} AS domain, substr(s.{SENT_TIME}, 1, 10) AS day,", where=f"{where} AND {_DOMAIN} IN ({marks})",
            tail="GROUP BY domain, day"), [*params, *(r["domain"] for r in rows)]):
        week = (date.fromisoformat(r["day"]) - w.first).days // 7
        weekly[r["domain"]][week][0] += r["sent"]
        weekly[r["domain"]][week][1] += (r["hard"] or 0) + (r["soft"] or 0)
    weeks = (w.last - w.first).days // 7 + 1
    for r in rows:
        sent = r["sent"]
        r.update(hard_rate=(r["hard"] or 0) / sent, soft_rate=(r["soft"] or 0) / sent,
                 complaint_rate=(r["complaints"] or 0) / sent,
                 trend=[(f / s if s else None) for s, f in (weekly[r["domain"]].get(n, [0, 0]) for n in range(weeks))])
    return rows


def storms(store: Store, w: Window, window_minutes: int = 60, now: datetime | None = None) -> list[dict[str, Any]]:
    """Storm-guard alerts overlapping the window, with their state (ongoing while rejections keep coming)."""
    where, params = "last_at >= ?", [w.since]
    if w.campaign is not None:
        where += (" AND EXISTS (SELECT 1 FROM events e WHERE e.storm = 1 AND e.domain = storms.domain"
                  f" AND e.campaign = ? AND e.{EVENT_TIME} BETWEEN storms.first_at AND storms.last_at)")
        params.append(w.campaign)
    cut = ((now or datetime.now(UTC)) - timedelta(minutes=window_minutes)).isoformat(timespec="seconds")
    rows = store.query(f"SELECT domain, first_at, last_at, count, reasons FROM storms WHERE {where} ORDER BY first_at",
                       params)
    for r in rows:
        r["state"] = "ongoing" if r["last_at"] >= cut else "over"
    return rows


def _campaign_addresses(w: Window, column: str = "address") -> tuple[str, list[Any]]:
    if w.campaign is None:
        return "", []
    return f" AND {column} IN (SELECT address FROM events WHERE campaign = ?)", [w.campaign]


def suppressions_per_day(store: Store, w: Window) -> dict[str, dict[str, int]]:
    """New suppressions per day and tier, from the audit trail (every day of the window present)."""
    extra, params = _campaign_addresses(w)
    actions = ", ".join(f"'{a}'" for a in SUPPRESSION_ACTIONS)
    out = {day: dict.fromkeys(TIERS, 0) for day in w.days()}
    for r in store.query(f"SELECT substr(at, 1, 10) AS day, {AUDIT_TIER} AS tier, count(*) AS n FROM audit"
                         f" WHERE action IN ({actions}) AND at >= ?{extra} GROUP BY day, tier", [w.since, *params]):
        if r["day"] in out:
            out[r["day"]][r["tier"]] += r["n"]
    return out


def newest_suppressions(store: Store, w: Window, limit: int = 12) -> list[dict[str, Any]]:
    extra, params = _campaign_addresses(w)
    return store.query(f"SELECT address, suppressed_at, tier, rule, why FROM {CURRENT_SUPPRESSIONS}"
                       f" WHERE suppressed_at >= ?{extra}"
                       " ORDER BY suppressed_at DESC, address LIMIT ?", [w.since, *params, limit])


def reasons_by_campaign(store: Store, w: Window) -> list[dict[str, Any]]:
    """Failures and complaints per campaign and reason (storm-marked rejections apart)."""
    where, params = w.events()
    return store.query(f"SELECT coalesce(campaign, '') AS campaign, {EVENT_CLASS} AS cls, reason, count(*) AS n"
                       f" FROM events WHERE {where} AND {TRAFFIC} AND {EVENT_CLASS} IN ('hard', 'soft', 'complaint')"
                       " GROUP BY campaign, cls, reason ORDER BY campaign, n DESC, reason", params)


def top_diagnostics(store: Store, w: Window, limit: int = 10) -> list[dict[str, Any]]:
    """The most frequent diagnostic texts, with addresses in them replaced so that one wording is one row."""
    where, params = w.events()
    merged: dict[tuple[str, str, str], list[Any]] = {}
    for r in store.query(f"SELECT diagnostic, reason, {EVENT_CLASS} AS cls, count(*) AS n, group_concat(DISTINCT domain) AS doms"
                         f" FROM events WHERE {where} AND {TRAFFIC} AND coalesce(diagnostic, '') != ''"
                         " GROUP BY diagnostic, reason, cls", params):
        text = _ADDRESS.sub("<address>", " ".join(r["diagnostic"].split()))[:160]
        entry = merged.setdefault((text, r["reason"] or "", r["cls"]), [0, set()])
        entry[0] += r["n"]
        entry[1].update((r["doms"] or "").split(","))
    rows = [{"diagnostic": k[0], "reason": k[1], "class": k[2], "events": v[0], "domains": len(v[1] - {""})}
            for k, v in merged.items()]
    return sorted(rows, key=lambda r: (-r["events"], r["diagnostic"]))[:limit]


def health(store: Store, w: Window) -> dict[str, Any]:
    """bounced's own state: the whole service, not one campaign."""
    one = store.query
    backlog = one("SELECT count(*) AS n, min(received_at) AS oldest FROM raw_messages WHERE state = 'stored'")[0]
    parsed = one("SELECT sum(state = 'failed') AS failed, sum(state = 'unknown') AS unknown, count(*) AS received"
                 " FROM raw_messages WHERE received_at >= ?", [w.since])[0]
    forged = one("SELECT count(*) AS n FROM events WHERE correlation = 'forged' AND received_at >= ?", [w.since])[0]["n"]
    last = one("SELECT max(received_at) AS at FROM raw_messages")[0]["at"]
    return {"backlog": backlog["n"], "backlog_oldest": backlog["oldest"], "failed": parsed["failed"] or 0,
            "unknown": parsed["unknown"] or 0, "received": parsed["received"], "forged": forged, "last_received": last}
