"""`bounced reprocess --policy-only` on a database of N sends, against reading the same events once.

    python -m bench.policy_replay [--sends 100000] [--events-per-send 0.3] [--seed 1]

Builds a database (real SQLite) of N registered sends over 90 days to N/10 addresses and, for a
share of the sends, recorded events: hard bounces, soft bounces (mailbox full), policy blocks,
positive DSNs, and a burst of user-unknown bounces from one domain (a storm).  Times the replay
(storms found again, every address's decision derived again, in a rolled-back transaction as
``--dry-run`` does), and, in the same run, the floor: reading every event once and running the pure
policy over each address's history in memory.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bounced import policy
from bounced.config import Settings
from bounced.model import Event
from bounced.replay import replay
from bounced.store import Store

KINDS = [  # (share, kind, reason, bounce_type, status)
    (0.25, "bounce", "userunknown", "hard", "5.1.1"),
    (0.40, "bounce", "mailboxfull", "soft", "5.2.2"),
    (0.15, "bounce", "blocked", "soft", "5.7.1"),
    (0.20, "delivered", "delivered", "none", "2.0.0"),
]


def build(path: Path, sends: int, per_send: float, rng: random.Random) -> int:
    store = Store(path, durable=False)
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=91)
    people = [f"user{i:06d}@d{i % 50:02d}.example" for i in range(max(sends // 10, 1))]
    rows = []
    for n in range(sends):
        when = start + timedelta(seconds=n * 90 * 86400 // sends)
        rows.append((f"k{n}", f"<m{n}@sender.example>", people[n % len(people)], "c", when.isoformat(), when.isoformat()))
    conn = store.conn
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO sent (key, message_id, recipient, campaign, sent_at, registered_at) VALUES (?, ?, ?, ?, ?, ?)", rows)
    events = 0
    storm_at = len(rows) // 2
    for n, (_, mid, rcpt, _, sent_at, _) in enumerate(rows, 1):
        in_storm = storm_at <= n < storm_at + 3000 and rcpt.endswith("@d07.example")
        if not in_storm and rng.random() >= per_send:
            continue
        kind, reason, bounce_type, status = ("bounce", "userunknown", "hard", "5.1.1") if in_storm else _pick(rng)
        report_at = (datetime.fromisoformat(sent_at) + timedelta(minutes=rng.uniform(1, 20))).isoformat(timespec="seconds")
        if in_storm:  # the domain's directory fails for an hour: its bounces for the last days' sends come at once
            report_at = (datetime.fromisoformat(rows[storm_at + 3000][4]) + timedelta(minutes=rng.uniform(0, 60))).isoformat(timespec="seconds")
        cur = conn.execute("INSERT INTO raw_messages (sha256, raw, size, source, received_at, state, reported_at, reported_from)"
                           " VALUES (?, x'00', 1, 'bench', ?, 'parsed', ?, 'date')", (f"h{n}", report_at, report_at))
        conn.execute(
            "INSERT INTO events (raw_id, report_key, address, domain, kind, action, status, reason, bounce_type, sent_id,"
            " correlation, storm, counts, event_at, received_at, report_at, message_id)"
            " VALUES (?, ?, ?, ?, ?, 'failed', ?, ?, ?, ?, 'message-id', 0, 1, ?, ?, ?, ?)",
            (cur.lastrowid, f"r{n}", rcpt, rcpt.partition("@")[2], kind, status, reason, bounce_type, n, sent_at, report_at,
             report_at, mid))
        events += 1
    conn.execute("COMMIT")
    store.close()
    return events


def _pick(rng: random.Random) -> tuple[str, str, str, str]:
    roll, total = rng.random(), 0.0
    for share, *rest in KINDS:
        total += share
        if roll < total:
            return tuple(rest)  # type: ignore[return-value]
    return tuple(KINDS[-1][1:])  # type: ignore[return-value]


def floor(store: Store, settings: Settings) -> float:
    """Read every event once and decide each address in memory: the least a replay can do."""
    began = time.perf_counter()
    histories: dict[str, list[Event]] = {}
    for row in store.conn.execute("SELECT address, kind, action, reason, bounce_type, event_at, counts, report_key,"
                                  " sent_id, status, report_at FROM events ORDER BY address, event_at"):
        address, kind, action, reason, bounce_type, event_at, counts, key, sent_id, status, report_at = row
        histories.setdefault(address, []).append(
            Event(address, kind, action, reason, bounce_type, event_at, bool(counts), key, sent_id, status, report_at=report_at))
    for history in histories.values():
        policy.decide(history, settings, now=datetime.now(UTC).isoformat(timespec="seconds"))
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sends", type=int, default=100_000)
    parser.add_argument("--events-per-send", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp(prefix="bounced-replay-")) / "replay.db"
    events = build(path, args.sends, args.events_per_send, random.Random(args.seed))
    settings = Settings(database=str(path))
    store = Store(path)
    began = time.perf_counter()
    result = replay(store, settings)
    first = time.perf_counter() - began
    began = time.perf_counter()
    again = replay(store, settings, dry_run=True)
    dry = time.perf_counter() - began
    base = floor(store, settings)
    print(f"database: {args.sends} sends, {events} events, {result.addresses} addresses, {result.storms} storm(s)")
    print(f"reprocess --policy-only: {first:.2f} s (first derivation, {len(result.changes)} state(s) set);"
          f" --dry-run again: {dry:.2f} s ({len(again.changes)} change(s))")
    print(f"floor (read every event once, pure policy in memory): {base:.2f} s; replay / floor = {dry / base:.1f}x")


if __name__ == "__main__":
    main()
