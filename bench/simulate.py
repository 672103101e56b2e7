"""A 90-day stream with a provider's bad days, ingested through the real pipeline; decisions against its own truth.

    python -m bench.simulate [--sends 200000] [--days 90] [--seed 1] [--db PATH]

A sender mails weekly campaigns, each spread over six hours, to every address it may send to
(suppressed ones are skipped; held and probation ones are mailed).  The stream knows which
addresses are truly dead (from the start, or dying on a day), which mailboxes are full for three
weeks and recover, and which days a provider is broken:

* bigmail.example (the largest domain) answers "550 5.1.1 user unknown" for 40 % of its live
  deliveries during 90 minutes of one campaign;
* one of bigmail.example's ten MXes (mx3.bigmail.example) answers "550 5.1.1 user unknown" for 40 %
  of its live deliveries during 90 minutes of another campaign: the domain as a whole stays under
  its factor (the storm of one MX);
* midsize.example cannot be found (NXDOMAIN) for the six hours of another campaign;
* webmail.example blocks the sender (5.7.1, Spamhaus) for 30 % of its deliveries for an hour in two
  campaigns;
* forged reports: user-unknown reports for live addresses with a VERP token signed by another key,
  and with Message-IDs never sent.

Sends are registered and reports ingested through Pipeline.ingest (real SQLite), in report-time
order, with the pipeline's clock at each report's time.  Printed: the suppressions by tier, held
and probation addresses, the storms, hard-suppression precision and recall against the truth,
the guard's delay for truly dead addresses, the same stream's decisions under other storm settings
(the storm of one MX off among them: hard_storm_mx_domain_sends out of reach) and without the
hard-bounce guard (replayed with thresholds out of reach), and the time of `reprocess --policy-only`.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import mkmail  # noqa: E402  (the tests' Postfix-style report builder)

from bounced import verp  # noqa: E402
from bounced.config import Settings  # noqa: E402
from bounced.pipeline import Pipeline  # noqa: E402
from bounced.replay import replay  # noqa: E402
from bounced.store import Store  # noqa: E402

UNKNOWN = ("5.1.1", "550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in virtual mailbox table")
NXDOMAIN = ("5.1.2", "550 5.1.2 <{rcpt}>: Recipient address rejected: Domain not found")
FULL = ("5.2.2", "552 5.2.2 <{rcpt}>: Mailbox full, quota exceeded")
BLOCKED = ("5.7.1", "554 5.7.1 Service unavailable; Client host [192.0.2.9] blocked using zen.spamhaus.org")
DOMAINS = [("bigmail.example", 0.35), ("webmail.example", 0.20), ("isp.example", 0.10), ("midsize.example", 0.04)]
SMALL = 40  # small domains share the rest
BIG_MXES = 10  # bigmail.example's MXes (the last known by its address only); every other domain has one
FAILING_MX = "mx3.bigmail.example"
DEBUG = False


@dataclass
class Truth:
    dead_from: dict[str, float] = field(default_factory=dict)  # address -> day it died (0: dead from the start)
    full: dict[str, tuple[float, float]] = field(default_factory=dict)  # address -> (first, last) day full


def addresses(count: int, rng: random.Random) -> list[str]:
    shares = DOMAINS + [(f"small{i:02d}.example", (1 - sum(s for _, s in DOMAINS)) / SMALL) for i in range(SMALL)]
    names, weights = zip(*shares)
    return [f"user{i:06d}@{rng.choices(names, weights)[0]}" for i in range(count)]


def truth_of(everyone: list[str], days: int, rng: random.Random, plan: dict) -> Truth:
    """2 % dead from the start, 1 % dying on a day, 1 % full for three weeks; and 2 % of the two
    broken providers' addresses dying in the week before their bad day (the dead the guard must not spare)."""
    truth = Truth()
    bad_day = {"bigmail.example": plan["directory"] * 7 + 0.5, "midsize.example": plan["nxdomain"] * 7 + 0.5}
    for address in everyone:
        roll = rng.random()
        domain = address.rpartition("@")[2]
        if domain in bad_day and rng.random() < 0.02:
            truth.dead_from[address] = bad_day[domain] - rng.uniform(0.5, 6.5)
        elif roll < 0.02:
            truth.dead_from[address] = 0.0
        elif roll < 0.03:
            truth.dead_from[address] = rng.uniform(1, days)
        elif roll < 0.04:
            start = rng.uniform(0, days - 30)
            truth.full[address] = (start, start + 21)
    return truth


def mx_for(address: str) -> str:
    """The MX that answers for an address (the reports' Remote-MTA)."""
    local, _, domain = address.rpartition("@")
    if domain != "bigmail.example":
        return f"mx.{domain}"
    n = int(local[4:]) % BIG_MXES + 1
    return f"mx{n}.bigmail.example" if n < BIG_MXES else f"[192.0.2.{n}]"


def verdict(address: str, day: float, minute: float, campaign: int, plan: dict[str, int], truth: Truth,
            rng: random.Random) -> tuple[str, str] | None:
    """What the receiving side answers to one send (None: delivered)."""
    domain = address.rpartition("@")[2]
    if campaign == plan["nxdomain"] and domain == "midsize.example":
        return NXDOMAIN
    if address in truth.dead_from and day >= truth.dead_from[address]:
        return UNKNOWN
    if campaign == plan["directory"] and domain == "bigmail.example" and 120 <= minute < 210 and rng.random() < 0.4:
        return UNKNOWN
    if campaign == plan["mx"] and mx_for(address) == FAILING_MX and 120 <= minute < 210 and rng.random() < 0.4:
        return UNKNOWN
    if campaign in plan["blocks"] and domain == "webmail.example" and 60 <= minute < 120 and rng.random() < 0.3:
        return BLOCKED
    full = truth.full.get(address)
    if full and full[0] <= day <= full[1]:
        return FULL
    return None


def run(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    campaigns = args.days // 7
    population = int(args.sends / campaigns * 1.04)
    everyone = addresses(population, rng)
    plan = {"directory": campaigns // 3, "nxdomain": 2 * campaigns // 3, "blocks": {2, campaigns - 3},
            "mx": campaigns // 2}
    truth = truth_of(everyone, args.days, rng, plan)
    path = Path(args.db or tempfile.mkdtemp(prefix="bounced-sim-")) / "sim.db" if not args.db else Path(args.db)
    secret = path.with_name("sim.key")
    secret.write_text("simulation-secret-0123456789abcdef\n")
    settings = Settings(database=str(path), bounce_domains=("bounce.example.com",), verp_secret_file=str(secret))
    store = Store(path, durable=False)
    now = [""]
    pipeline = Pipeline(store, settings, clock=lambda: now[0])
    start = datetime.now(UTC).replace(hour=6, minute=0, second=0, microsecond=0) - timedelta(days=args.days + 1)
    sends = reports = forged = 0
    ingest_seconds = 0.0
    first_hard: dict[str, tuple[str, int]] = {}  # dead address -> (report time, send number) of its first hard bounce
    sends_to: dict[str, int] = {}
    for campaign in range(campaigns):
        day0 = campaign * 7 + 0.5
        when0 = start + timedelta(days=day0)
        now[0] = when0.isoformat(timespec="seconds")
        pipeline.lapse_due(limit=-1)
        blocked = {r[0] for r in store.conn.execute("SELECT address FROM addresses WHERE state = 'suppressed'")}
        targets = [a for a in everyone if a not in blocked]
        rows, queue = [], []
        for i, address in enumerate(targets):
            minute = 360 * i / len(targets)
            when = when0 + timedelta(minutes=minute)
            mid = f"<c{campaign}.{i}@sender.example.com>"
            rows.append({"message_id": mid, "recipient": address, "campaign": f"c{campaign}", "sent_at": when.isoformat(timespec="seconds")})
            sends_to[address] = sends_to.get(address, 0) + 1
            answer = verdict(address, day0 + minute / 1440, minute, campaign, plan, truth, rng)
            if answer:
                at = when + timedelta(minutes=rng.uniform(0.5, 15))
                queue.append((at, address, mid, answer, None))
                dead = address in truth.dead_from and day0 + minute / 1440 >= truth.dead_from[address]
                if dead and answer in (UNKNOWN, NXDOMAIN) and address not in first_hard:
                    first_hard[address] = (at.isoformat(timespec="seconds"), sends_to[address])
        store.register(rows)
        sends += len(rows)
        for _ in range(40):  # forged reports: live addresses said to be unknown
            victim = rng.choice(targets)
            at = when0 + timedelta(minutes=rng.uniform(0, 360))
            token = verp.encode(f"forged{rng.randrange(1 << 30):x}", b"not-our-secret-0123456789abcdef", "bounces", "bounce.example.com")
            fake_mid = f"<never-sent-{rng.randrange(1 << 30)}@sender.example.com>" if rng.random() < 0.5 else None
            queue.append((at, victim, fake_mid, UNKNOWN, token if fake_mid is None else None))
            forged += 1
        queue.sort(key=lambda q: q[0])
        began = time.perf_counter()
        with store.batch(every=200) as tick:
            for at, address, mid, (status, diagnostic), rcpt_to in queue:
                now[0] = at.isoformat(timespec="seconds")
                report = mkmail.dsn(address, status=status, diagnostic=diagnostic, message_id=mid, arrival=at,
                                    envelope_to=rcpt_to or "bounces@bounce.example.com", remote_mta=mx_for(address))
                pipeline.ingest(report, f"sim/{reports}", rcpt_to=rcpt_to)
                reports += 1
                tick()
        ingest_seconds += time.perf_counter() - began
    now[0] = (start + timedelta(days=args.days)).isoformat(timespec="seconds")
    pipeline.lapse_due(limit=-1)
    print(f"stream: {sends} sends in {campaigns} weekly campaigns over {args.days} days to {population} addresses"
          f" in {len(DOMAINS) + SMALL} domains; {reports} reports ({forged} forged); database {path}")
    print(f"ingest: {reports} reports in {ingest_seconds:.1f} s ({reports / ingest_seconds:.0f}/s) through Pipeline.ingest,"
          " report-time order")
    summarise(store, truth, first_hard, start, "with the guard")
    print("storms:")
    for row in store.query("SELECT id, domain, remote_mta, kind, first_at, last_at, count, reasons, state FROM storms ORDER BY id"):
        print(f"  {row['id']:>3} {row['domain']:<18} {row['remote_mta'] or '-':<20} {row['kind']:<6} {row['first_at']} .. {row['last_at']}"
              f" {row['count']:>5} {row['reasons']}")
    began = time.perf_counter()
    result = replay(store, settings, dry_run=True, clock=lambda: now[0])
    seconds = time.perf_counter() - began
    events = store.conn.execute("SELECT count(*) FROM events").fetchone()[0]
    print(f"reprocess --policy-only --dry-run: {result.addresses} addresses, {events} events, {sends} sends in {seconds:.1f} s;"
          f" changes {result.counts()}")
    print("the defaults measured: the same events replayed with other storm settings (the sender's choices of whom"
          " to mail stay those made online)")
    print("  threshold factor new-domain mx-sends: storms (of one MX)  hard  precision  recall  live-hard  dead-held")
    for threshold, factor, fresh, mx_sends in ((10, 10, 50, 500), (20, 10, 50, 500), (40, 10, 50, 500), (20, 3, 50, 500),
                                               (20, 30, 50, 500), (20, 10, 20, 500), (20, 10, 50, 250), (20, 10, 50, 1000),
                                               (20, 10, 50, 100_000_000)):
        trial = dataclasses.replace(settings, hard_storm_threshold=threshold, hard_storm_factor=factor,
                                    hard_storm_new_domain_threshold=fresh, hard_storm_mx_domain_sends=mx_sends)
        replay(store, trial, clock=lambda: now[0])
        m = measure(store, truth, first_hard)
        storms, of_mx = store.conn.execute(
            "SELECT count(*), count(remote_mta) FROM storms WHERE kind != 'policy'").fetchone()
        print(f"  {threshold:>9} {factor:>6} {fresh:>10} {'off' if mx_sends > 1e7 else mx_sends:>8}: {storms:>6} {f'({of_mx})':>8}"
              f" {m['hard']:>5} {m['precision']:>10.4f} {m['recall']:>7.4f} {m['false']:>10} {m['late']:>10}")
    off = dataclasses.replace(settings, hard_storm_threshold=1_000_000, hard_storm_new_domain_threshold=1_000_000)
    replay(store, off, clock=lambda: now[0])
    summarise(store, truth, first_hard, start, "without the hard-bounce guard (same events, replayed)")


def measure(store: Store, truth: Truth, first_hard: dict[str, tuple[str, int]]) -> dict[str, float]:
    hard = {r[0]: r[1] for r in store.conn.execute(
        "SELECT address, suppressed_at FROM addresses WHERE state = 'suppressed' AND tier = 'hard'")}
    dead = {a for a in truth.dead_from if a in first_hard}
    caught = dead & set(hard)
    late = sum(1 for a in caught if hard[a] > first_hard[a][0])
    return {"hard": len(hard), "precision": len(caught) / max(len(hard), 1), "recall": len(caught) / max(len(dead), 1),
            "false": len(set(hard) - set(truth.dead_from)), "late": late}


def summarise(store: Store, truth: Truth, first_hard: dict[str, tuple[str, int]], start: datetime, title: str) -> None:
    rows = store.query("SELECT address, state, tier, suppressed_at, suppressed_sent_id FROM addresses")
    by_state: dict[tuple[str, str | None], int] = {}
    for row in rows:
        key = (row["state"], row["tier"])
        by_state[key] = by_state.get(key, 0) + 1
    hard = {r["address"]: r for r in rows if r["state"] == "suppressed" and r["tier"] == "hard"}
    dead = {a for a, day in truth.dead_from.items() if a in first_hard}  # dead and mailed after dying
    caught = dead & set(hard)
    false = set(hard) - set(truth.dead_from)
    print(f"{title}:")
    print("  states: " + ", ".join(f"{s}{'/' + t if t else ''} {n}" for (s, t), n in sorted(by_state.items(), key=str)))
    print(f"  hard suppressions: {len(hard)}; precision {len(caught) / max(len(hard), 1):.4f}"
          f" ({len(false)} live address(es) suppressed hard); recall {len(caught) / max(len(dead), 1):.4f}"
          f" ({len(caught)} of {len(dead)} truly dead addresses that were mailed after dying)")
    full_live = [a for a in truth.full if a in {r['address'] for r in rows}]
    full_states = {}
    for row in rows:
        if row["address"] in truth.full:
            full_states[row["state"]] = full_states.get(row["state"], 0) + 1
    print(f"  mailbox-full addresses (live, recovered after three weeks): {len(full_live)} with events: {full_states}")
    delays = []
    for address in caught:
        first_at, _ = first_hard[address]
        delay = datetime.fromisoformat(hard[address]["suppressed_at"]) - datetime.fromisoformat(first_at)
        delays.append(delay.total_seconds() / 86400)
        if delay.total_seconds() > 864 and DEBUG:
            print("   late:", address, first_at, hard[address]["suppressed_at"])
    late = [d for d in delays if d > 0.01]
    if delays:
        print(f"  guard delay for truly dead addresses: {len(late)} of {len(delays)} suppressed after their first hard bounce,"
              f" median {statistics.median(late) if late else 0:.1f} days, max {max(delays):.1f} days (the next weekly send)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sends", type=int, default=200_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", help="database file to write (default: a new temporary directory)")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
