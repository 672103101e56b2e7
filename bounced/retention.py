"""Bounded growth: `bounced prune` empties the raw bytes of processed messages older than retention_days.

The row stays (its hash, so a replay is still a duplicate; its state, kind and report key; its
events, the address states and the audit), with ``raw`` emptied and ``pruned_at`` set, so that the
report's counts stay and reprocessing knows it cannot parse it again.  Messages still waiting
(``stored``) or whose processing failed (``failed``, kept for `bounced reprocess --failed`) are
never pruned.  The work goes in small transactions, so that a large prune holds the write lock a
few milliseconds at a time and the listener keeps answering.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bounced.store import Store, now

PRUNABLE = ("parsed", "unknown", "duplicate")
BATCH = 200  # messages per transaction


@dataclass
class Pruned:
    """What a prune removed (or, dry, would remove)."""

    before: str
    messages: int = 0
    bytes: int = 0
    states: dict[str, int] = field(default_factory=dict)
    oldest: str | None = None
    newest: str | None = None


def cutoff(days: int, at: datetime | None = None) -> str:
    """The received_at before which raw bytes go, ``days`` before ``at`` (now)."""
    return ((at or datetime.now(UTC)) - timedelta(days=days)).isoformat(timespec="seconds")


_WHERE = (f"pruned_at IS NULL AND received_at < ? AND state IN ({', '.join(repr(s) for s in PRUNABLE)})")


def prune(store: Store, before: str, dry_run: bool = False, batch: int = BATCH,
          advance: Callable[[int], None] = lambda n: None) -> Pruned:
    """Empty the raw bytes of processed messages received before ``before``; with ``dry_run`` only count."""
    result = Pruned(before)
    last = 0
    conn = store.conn
    while True:
        rows = conn.execute(f"SELECT id, size, state, received_at FROM raw_messages WHERE id > ? AND {_WHERE}"
                            " ORDER BY id LIMIT ?", (last, before, batch)).fetchall()
        if not rows:
            return result
        last = rows[-1][0]
        if not dry_run:
            started = time.monotonic()
            with store.transaction():  # one short write per batch
                conn.executemany(f"UPDATE raw_messages SET raw = x'', pruned_at = ? WHERE id = ? AND {_WHERE}",
                                 [(now(), raw_id, before) for raw_id, *_ in rows])
            # as long unlocked as locked: a writer waiting in its busy handler (the listener) gets in
            time.sleep(max(0.002, time.monotonic() - started))
        for _, size, state, received_at in rows:
            result.messages += 1
            result.bytes += size or 0
            result.states[state] = result.states.get(state, 0) + 1
            result.oldest = min(result.oldest or received_at, received_at)
            result.newest = max(result.newest or received_at, received_at)
        advance(len(rows))


def describe(result: Pruned, dry_run: bool) -> list[str]:
    """The lines `bounced prune` prints."""
    verb = "would empty" if dry_run else "emptied"
    if not result.messages:
        return [f"no raw message received before {result.before} to prune"]
    states = ", ".join(f"{n} {state}" for state, n in sorted(result.states.items()))
    return [
        f"{verb} the raw bytes of {result.messages} message(s) received before {result.before} "
        f"({result.oldest} .. {result.newest}; {states}): {result.bytes} bytes",
        "kept: their rows, hashes and states, every event, address state and audit line",
        "the file does not shrink by itself: the space is reused by new messages; VACUUM (after a backup) returns it",
    ]
