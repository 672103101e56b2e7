"""Policy replayed on recorded history: storms and every address's state derived again, without parsing.

After a change of a policy setting (soft_limit, windows, storm thresholds, lapses) the storms that
are not confirmed are found again from the events in report-time order, and every address's
decision is derived again.  A dry run does the same in a transaction it rolls back.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from bounced.config import Settings
from bounced.pipeline import Pipeline
from bounced.schema import POLICY_REASONS
from bounced.store import Store, now
from bounced.storms import StormGuard

CHANGE = {"suppressed": "added", "held": "held", "probation": "lapsed", "active": "lifted"}


@dataclass
class Replayed:
    addresses: int = 0
    storms: int = 0
    changes: list[tuple[str, str, str, str | None]] = field(default_factory=list)  # address, before, after, tier

    def counts(self) -> dict[str, int]:
        out = {name: 0 for name in ("added", "held", "released", "lapsed", "lifted")}
        for _, before, after, _ in self.changes:
            out[change(before, after)] += 1
        return out


def change(before: str, after: str) -> str:
    if before == "held" and after in ("active", "probation"):
        return "released"
    return CHANGE.get(after, "lifted")


def replay(store: Store, settings: Settings, dry_run: bool = False, clock: Callable[[], str] = now) -> Replayed:
    before = dict(store.conn.execute("SELECT address, state FROM addresses").fetchall())
    store.begin()
    try:
        result = _replay(store, settings, clock)
        after = {a: (s, t) for a, s, t in store.conn.execute("SELECT address, state, tier FROM addresses")}
    except BaseException:
        store.rollback()
        raise
    if dry_run:
        store.rollback()
    else:
        store.commit()
    for address in sorted(after):
        state, tier = after[address]
        old = before.get(address, "active")
        if old != state:
            result.changes.append((address, old, state, tier))
    return result


def _replay(store: Store, settings: Settings, clock: Callable[[], str]) -> Replayed:
    conn = store.conn
    conn.execute("DELETE FROM storms WHERE state != 'confirmed'")
    conn.execute("UPDATE events SET storm = 0, storm_id = NULL"
                 " WHERE storm_id IS NOT NULL AND storm_id NOT IN (SELECT id FROM storms)")
    guard = StormGuard(store, settings)
    marks = ", ".join("?" for _ in POLICY_REASONS)
    rows = conn.execute(
        "SELECT raw_id, domain, reason, bounce_type, counts, report_at, address, remote_mta FROM events"
        f" WHERE (bounce_type = 'hard' OR reason IN ({marks})) AND storm_id IS NULL ORDER BY report_at, raw_id",
        POLICY_REASONS,
    ).fetchall()  # read before the guard writes to the same table
    names = ("raw_id", "domain", "reason", "bounce_type", "counts", "report_at", "address", "remote_mta")
    for _, group in itertools.groupby((dict(zip(names, r)) for r in rows), key=lambda e: e["raw_id"]):
        guard.check(list(group))
    addresses = [r[0] for r in conn.execute(
        "SELECT address FROM addresses UNION SELECT DISTINCT address FROM events WHERE address != '' AND counts = 1")]
    Pipeline(store, settings, clock).apply_policy(addresses)
    (storms,) = conn.execute("SELECT count(*) FROM storms").fetchone()
    return Replayed(len(addresses), storms)
