"""Changes of address states since a time, for a sending application that syncs incrementally."""

from __future__ import annotations

from typing import Any

from bounced.store import Store
from bounced.times import iso_utc

# audit action -> the change it records (unsuppress and manual_suppress are requests; the state
# change they cause is recorded beside them as suppress or reactivate)
CHANGES = {"suppress": "added", "lapse": "lapsed", "reactivate": "lifted", "hold": "held", "release": "released"}


def changes_since(store: Store, since: str) -> list[dict[str, Any]]:
    """One row per change recorded at or after ``since`` (ISO date or time; ValueError otherwise), oldest
    first: when, the address, the change, and the address's tier and state now."""
    try:
        when = iso_utc(since)
    except ValueError as exc:
        raise ValueError(f"{since!r} is not an ISO date or time (2026-11-30 or 2026-11-30T12:00:00+00:00)") from exc
    marks = ", ".join("?" for _ in CHANGES)
    rows = store.query(
        "SELECT u.at, u.address, u.action, a.tier, a.state, a.suppressed_at, a.lapses_at, u.why FROM audit u"
        f" LEFT JOIN addresses a ON a.address = u.address WHERE u.at >= ? AND u.action IN ({marks}) ORDER BY u.id",
        [when, *CHANGES],
    )
    for row in rows:
        row["change"] = CHANGES[row.pop("action")]
    return [{k: row[k] for k in ("at", "address", "change", "tier", "state", "suppressed_at", "lapses_at", "why")} for row in rows]
