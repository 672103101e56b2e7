"""The storm guard: a burst of rejections from one receiving domain is the domain's bad day, not its users'.

Three kinds, each per recipient domain, on the reports' own times (events.report_at):

* policy: ``storm_threshold`` policy/reputation rejections within ``storm_window_minutes``: the
  sender's problem; they count against no one, ever.
* hard: ``hard_storm_threshold`` hard bounces (user unknown and the like) within the window, at
  ``hard_storm_factor`` times the domain's trailing hard-bounce rate per send (the last
  ``HISTORY`` sends before the window, taken as at least ``RATE_FLOOR``): a directory failing.
* dns: the same for host-unknown (NXDOMAIN) bounces: the domain's DNS failing.

Hard and dns storms *hold* their hard bounces: recorded in full, they suppress no one alone
(bounced/policy.py).  An address already held by an earlier storm is never held again: its next
hard bounce counts.  A domain with fewer than ``MIN_HISTORY`` sends before the window needs
``hard_storm_new_domain_threshold``.

Per MX: at a big domain (``hard_storm_mx_domain_sends`` sends within the window, and
``MIN_HISTORY`` before it), hard bounces are also counted per answering MX (``mx_of``: the
Remote-MTA's host name, an address literal one MX of its own): one MX whose directory breaks
while the domain as a whole stays under its factor.  The MX's share of the window's sends is
taken as the window's sends over the number of MXes seen answering for the domain in its last
``MX_EVENTS`` events (sends do not say which MX took them); a burst of ``hard_storm_threshold``
at ``hard_storm_factor`` times the domain's trailing rate on that share makes a storm of kind
hard recorded with its MX, holding only that MX's bounces (held, they no longer count toward the
domain's own storm).  A storm goes on while its rejections keep coming within the window of its
last one (for hard and dns, at least half the threshold within the window; per MX, at that MX).

Cost per message is bounded: an ongoing storm marks only the message's own events; the count that
may start one stops at the threshold; the trailing rate reads at most HISTORY sends (once per
domain and hour); the window's sends are counted up to WINDOW_SENDS, its bounces up to the number
that makes the rate; per MX the same counts go by index idx_events_domain_mx, and the MXes seen
are read from at most MX_EVENTS events (once per domain and hour).
"""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta
from typing import Any

from bounced.config import Settings
from bounced.schema import EVENT_MX, POLICY_REASONS
from bounced.store import Store

log = logging.getLogger("bounced.pipeline")  # the name operators filter storm lines by, as before

HISTORY = 1000
MIN_HISTORY = 200
RATE_FLOOR = 0.005
MX_EVENTS = 1000  # the domain's latest events read for the number of MXes answering for it
WINDOW_SENDS = 20_000  # sends in the window counted at most (a rate of one in a thousand still shows)
_POLICY = ", ".join(f"'{r}'" for r in POLICY_REASONS)
PREDICATE = {
    "policy": f"reason IN ({_POLICY})",
    "dns": "reason = 'hostunknown' AND bounce_type = 'hard' AND counts = 1",
    "hard": f"bounce_type = 'hard' AND counts = 1 AND reason NOT IN ({_POLICY}, 'hostunknown')",
}
# An address held by an earlier hard or dns storm is not held again: this hard bounce is its second.
_FRESH = (f"NOT EXISTS (SELECT 1 FROM events h WHERE h.address = events.address AND h.storm_id IS NOT NULL"
          f" AND h.storm_id != ? AND h.bounce_type = 'hard' AND h.reason NOT IN ({_POLICY}) AND h.report_at < events.report_at)")
SENT_DOMAIN = "substr(recipient, instr(recipient, '@') + 1)"  # the expression of index idx_sent_domain


def kind_of(event: dict[str, Any]) -> str | None:
    if event["reason"] in POLICY_REASONS:
        return "policy"
    if not event["counts"] or event["bounce_type"] != "hard":
        return None
    return "dns" if event["reason"] == "hostunknown" else "hard"


def mx_of(remote_mta: str | None) -> str | None:
    """The answering MX as the guard counts it (EVENT_MX in SQL): the first word, brackets and a
    final dot stripped, lower case; ``mx1.example`` and ``mx2.example`` are two MXes."""
    word = (remote_mta or "").strip(" ").split(" ")[0].strip("[]").rstrip(".").lower()
    return word or None


def _scope(domain: str, mx: str | None) -> tuple[str, tuple[str, ...]]:
    """The events of a domain, or of one MX of it (index idx_events_domain_mx)."""
    return (f"domain = ? AND {EVENT_MX} = ?", (domain, mx)) if mx else ("domain = ?", (domain,))


def _shift(at: str, minutes: float) -> str:
    return (datetime.fromisoformat(at) + timedelta(minutes=minutes)).isoformat(timespec="seconds")


class StormGuard:
    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self._trailing: dict[tuple[str, str, bool], tuple[int, float]] = {}
        self._mxes: dict[tuple[str, str], int] = {}

    def check(self, events: list[dict[str, Any]]) -> list[str]:
        """Mark the events of one message that fall in a storm (starting one if they complete it).
        Returns the addresses whose events were newly marked (their states must be derived again)."""
        groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for event in events:
            kind = kind_of(event)
            if kind and event["domain"]:
                groups.setdefault((event["domain"], kind), []).append(event)
        touched: list[str] = []
        for (domain, kind), mine in groups.items():
            at = max(e["report_at"] for e in mine)
            since = _shift(at, -self.settings.storm_window_minutes)
            ongoing = self._ongoing(domain, kind, None, since, at)
            if ongoing:
                touched += self._mark(ongoing, kind, "raw_id = ? AND domain = ?", (mine[0]["raw_id"], domain))
            elif self._starts(domain, kind, since, at):
                touched += self._start(domain, kind, since, at)
            elif kind == "hard":
                for mx in dict.fromkeys(filter(None, (mx_of(e.get("remote_mta")) for e in mine))):
                    touched += self._per_mx(domain, mx, mine[0]["raw_id"], since, at)
        return touched

    def _ongoing(self, domain: str, kind: str, mx: str | None, since: str, at: str) -> int | None:
        """The storm of the domain (or of its MX) that this time falls in or that goes on, if any."""
        row = self.store.conn.execute(
            f"SELECT id, first_at <= ? AND last_at >= ? FROM storms WHERE domain = ? AND kind = ?"
            f" AND {'remote_mta = ?' if mx else 'remote_mta IS NULL'} AND last_at >= ? AND first_at <= ?"
            " ORDER BY id DESC LIMIT 1",
            (at, at, domain, kind, *((mx,) if mx else ()), since, _shift(at, self.settings.storm_window_minutes)),
        ).fetchone()
        # inside the storm's known span (a report processed again), or it goes on
        return int(row[0]) if row and (row[1] or self._going_on(domain, kind, since, at, mx)) else None

    def _per_mx(self, domain: str, mx: str, raw_id: int, since: str, at: str) -> list[str]:
        where, params = _scope(domain, mx)
        ongoing = self._ongoing(domain, "hard", mx, since, at)
        if ongoing:
            return self._mark(ongoing, "hard", f"raw_id = ? AND {where}", (raw_id, *params))
        if self._mx_starts(domain, mx, since, at):
            return self._start(domain, "hard", since, at, mx)
        return []

    def _mark(self, storm_id: int, kind: str, where: str, params: tuple[Any, ...]) -> list[str]:
        fresh = f" AND {_FRESH}" if kind != "policy" else ""
        rows = self.store.conn.execute(
            f"UPDATE events SET storm = 1, storm_id = ? WHERE {where} AND {PREDICATE[kind]} AND storm_id IS NULL{fresh}"
            " RETURNING address, report_at, reason",
            (storm_id, *params, *((storm_id,) if fresh else ())),
        ).fetchall()
        if rows:
            reasons = self.store.conn.execute("SELECT reasons FROM storms WHERE id = ?", (storm_id,)).fetchone()[0]
            merged = ",".join(sorted(set(filter(None, (reasons or "").split(","))) | {r[2] for r in rows if r[2]}))
            # the count is counted (index idx_events_storm), not added to: a report processed again counts once
            self.store.conn.execute(
                "UPDATE storms SET first_at = min(first_at, ?), last_at = max(last_at, ?), reasons = ?,"
                " count = (SELECT count(*) FROM events WHERE storm_id = ?) WHERE id = ?",
                (min(r[1] for r in rows), max(r[1] for r in rows), merged, storm_id, storm_id))
        return [r[0] for r in rows if r[0]]

    def _start(self, domain: str, kind: str, since: str, at: str, mx: str | None = None) -> list[str]:
        cur = self.store.conn.execute(
            "INSERT INTO storms (domain, kind, first_at, last_at, count, reasons, state, remote_mta)"
            " VALUES (?, ?, ?, ?, 0, '', 'open', ?)", (domain, kind, at, at, mx))
        storm_id = int(cur.lastrowid or 0)
        where, params = _scope(domain, mx)
        touched = self._mark(storm_id, kind, f"{where} AND report_at >= ? AND report_at <= ?", (*params, since, at))
        count, reasons = self.store.conn.execute("SELECT count, reasons FROM storms WHERE id = ?", (storm_id,)).fetchone()
        if kind == "policy":
            log.warning("storm guard: %d policy rejections from %s within %d minutes; they count against no one",
                        count, domain, self.settings.storm_window_minutes)
        else:
            log.warning("storm guard: storm %d: %d %s bounces (%s) from %s%s within %d minutes, far above its usual rate;"
                        " held, not suppressed", storm_id, count, kind, reasons, domain, f" at MX {mx}" if mx else "",
                        self.settings.storm_window_minutes)
        return touched

    def _starts(self, domain: str, kind: str, since: str, at: str) -> bool:
        settings = self.settings
        if kind == "policy":
            return self._count(domain, kind, since, at, settings.storm_threshold) >= settings.storm_threshold
        floor = min(settings.hard_storm_threshold, settings.hard_storm_new_domain_threshold)
        if self._count(domain, kind, since, at, floor) < floor:  # the usual answer, before any look at history
            return False
        sends, rate = self._trailing_rate(domain, since, kind == "dns")
        threshold = settings.hard_storm_threshold if sends >= MIN_HISTORY else settings.hard_storm_new_domain_threshold
        if self._count(domain, kind, since, at, threshold) < threshold:
            return False
        # the window's rate per send must reach factor x the trailing rate: at least `needed` bounces
        window_sends = self._window_sends(domain, since, at)
        needed = max(threshold, math.ceil(window_sends * settings.hard_storm_factor * max(rate, RATE_FLOOR)))
        return self._count(domain, kind, since, at, needed) >= needed

    def _mx_starts(self, domain: str, mx: str, since: str, at: str) -> bool:
        """One MX of a big domain: threshold hard bounces, at factor x the domain's trailing rate on
        the MX's share of the window's sends (the window's sends over the MXes seen answering)."""
        settings = self.settings
        threshold = settings.hard_storm_threshold
        if self._count(domain, "hard", since, at, threshold, mx) < threshold:  # the usual answer
            return False
        window_sends = self._window_sends(domain, since, at)
        if window_sends < settings.hard_storm_mx_domain_sends:
            return False  # not big: the domain's own guard alone
        sends, rate = self._trailing_rate(domain, since, False)
        mxes = self._mx_count(domain, at)
        if sends < MIN_HISTORY or mxes < 2:
            return False  # no trusted rate, or one MX only: the domain's own guard is the MX's
        needed = max(threshold, math.ceil(window_sends / mxes * settings.hard_storm_factor * max(rate, RATE_FLOOR)))
        return self._count(domain, "hard", since, at, needed, mx) >= needed

    def _window_sends(self, domain: str, since: str, at: str) -> int:
        (window_sends,) = self.store.conn.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM sent WHERE {SENT_DOMAIN} = ? AND sent_at >= ? AND sent_at <= ? LIMIT ?)",
            (domain, since, at, WINDOW_SENDS),
        ).fetchone()
        return int(window_sends)

    def _mx_count(self, domain: str, at: str) -> int:
        """The MXes seen answering for the domain in its last MX_EVENTS events; kept for the hour."""
        key = (domain, at[:13])
        if key not in self._mxes:
            (count,) = self.store.conn.execute(
                f"SELECT count(DISTINCT mx) FROM (SELECT {EVENT_MX} AS mx FROM events WHERE domain = ? AND report_at <= ?"
                f" AND remote_mta IS NOT NULL ORDER BY report_at DESC LIMIT {MX_EVENTS}) WHERE mx != ''",
                (domain, at)).fetchone()
            if len(self._mxes) > 10_000:
                self._mxes.clear()
            self._mxes[key] = int(count)
        return self._mxes[key]

    def _going_on(self, domain: str, kind: str, since: str, at: str, mx: str | None = None) -> bool:
        """A hard or dns storm goes on while half its threshold still comes within a window: when the
        domain is back to its usual few, their bounces count again."""
        if kind == "policy":
            return True
        half = max(min(self.settings.hard_storm_threshold, self.settings.hard_storm_new_domain_threshold) // 2, 1)
        where, params = _scope(domain, mx)
        (count,) = self.store.conn.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM events WHERE {where} AND report_at >= ? AND report_at <= ?"
            f" AND {PREDICATE[kind]} LIMIT ?)", (*params, since, at, half)).fetchone()
        return bool(count >= half)

    def _count(self, domain: str, kind: str, since: str, at: str, limit: int, mx: str | None = None) -> int:
        fresh = f" AND {_FRESH}" if kind != "policy" else ""
        where, params = _scope(domain, mx)
        (count,) = self.store.conn.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM events WHERE {where} AND report_at >= ? AND report_at <= ?"
            f" AND {PREDICATE[kind]} AND storm_id IS NULL{fresh} LIMIT ?)",
            (*params, since, at, *((0,) if fresh else ()), limit),
        ).fetchone()
        return int(count)

    def _trailing_rate(self, domain: str, since: str, held_too: bool) -> tuple[int, float]:
        """(sends, hard-bounce rate per send) over the domain's last HISTORY sends before ``since``; kept
        for the hour.  Bounces held by a storm are left out (a directory that failed once may fail
        again), except for dns (``held_too``): a domain whose DNS failed before and fails again is gone."""
        key = (domain, since[:13], held_too)
        if key not in self._trailing:
            sends, hard = self.store.conn.execute(
                f"SELECT count(*), sum(EXISTS (SELECT 1 FROM events e WHERE e.sent_id = s.id AND e.bounce_type = 'hard'"
                f" AND (e.storm = 0 OR ?))) FROM (SELECT id FROM sent WHERE {SENT_DOMAIN} = ? AND sent_at < ?"
                f" ORDER BY sent_at DESC LIMIT {HISTORY}) s",
                (held_too, domain, since),
            ).fetchone()
            if len(self._trailing) > 10_000:
                self._trailing.clear()
            self._trailing[key] = (sends, (hard or 0) / sends if sends else 0.0)
        return self._trailing[key]


def confirm(store: Store, storm_id: int, actor: str) -> list[str]:
    """The operator says a hard or dns storm was real: its held bounces count.  The addresses touched."""
    row = store.conn.execute("SELECT kind, state FROM storms WHERE id = ?", (storm_id,)).fetchone()
    if row is None:
        raise LookupError(f"no storm {storm_id}")
    if row[0] == "policy":
        raise ValueError(f"storm {storm_id} is a policy storm: its rejections are the sender's problem and hold no one")
    with store.transaction():
        store.conn.execute("UPDATE storms SET state = 'confirmed', confirmed_at = datetime('now'), confirmed_by = ?"
                           " WHERE id = ?", (actor, storm_id))
        rows = store.conn.execute("UPDATE events SET storm = 0 WHERE storm_id = ? AND counts = 1 RETURNING address",
                                  (storm_id,)).fetchall()
    return list(dict.fromkeys(r[0] for r in rows))


def listing(store: Store, now: str, window_minutes: int) -> list[dict[str, Any]]:
    """Every storm, newest first, with its state: open (rejections within the window of now),
    ended, or confirmed; and how many of its addresses are held now."""
    rows = store.query(
        "SELECT id, domain, remote_mta, kind, first_at, last_at, count, reasons, state,"
        " (SELECT count(*) FROM addresses a WHERE a.held_storm = storms.id AND a.state = 'held') AS held"
        " FROM storms ORDER BY id DESC")
    ended_before = _shift(now, -window_minutes)
    for row in rows:
        if row["state"] == "open" and (row["last_at"] or "") < ended_before:
            row["state"] = "ended"
    return rows
