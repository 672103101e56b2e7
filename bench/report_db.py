"""A simulated database of N days of sending, for the HTML report's test and its picture.

    python -m bench.report_db report.db [--days 90] [--end 2026-11-30] [--scale 1.0] [--seed 15]

Sends are registered through the store; each day's bounce events are inserted through the store
(one stored raw message per report) and the real policy then decides for the addresses they
touched, so suppressions follow the rules bounced applies.  The audit rows a day's decisions
write are dated to the arrival of the report that decided.  The story: a daily transactional
stream, a weekly newsletter, a promotion with a complaint spike, a list import that bounces hard at
one provider, a week of blocks at another with a storm, mailboxes that stay full, three manual
suppressions, and a few messages bounced could not read, a forged token and a small backlog.
"""

from __future__ import annotations

import argparse
import hashlib
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bounced.config import Settings
from bounced.pipeline import Pipeline
from bounced.store import Store

DOMAINS = (("gmail.com", 34), ("outlook.com", 20), ("yahoo.com", 12), ("gmx.de", 8), ("web.de", 6),
           ("icloud.com", 6), ("orange.fr", 5), ("t-online.de", 4), ("example.net", 3), ("mail.example.org", 2))
HARD = (("userunknown", "5.1.1", 550, "550 5.1.1 <{a}>: Recipient address rejected: User unknown in virtual mailbox table"),
        ("userunknown", "5.1.1", 550, "550-5.1.1 The email account that you tried to reach does not exist. {a}"),
        ("hostunknown", "5.1.2", 550, "Host or domain name not found. Name service error for name={d} type=MX"),
        ("suspend", "5.2.1", 550, "550 5.2.1 The email account that you tried to reach is disabled."))
SOFT = (("mailboxfull", "4.2.2", 452, "452 4.2.2 The email account that you tried to reach is over quota."),
        ("systemerror", "4.3.0", 451, "451 4.3.0 Temporary server error. Please try again later."),
        ("expired", "4.4.7", None, "delivery temporarily suspended: connect to mx.{d}[192.0.2.7]:25: Connection timed out"))
BLOCK = ("blocked", "5.7.1", 550, "550 5.7.1 Service unavailable, Client host [198.51.100.4] blocked using Spamhaus.")


def _at(day: date, rng: random.Random, lag_days: int = 0) -> str:
    """A time on ``day`` (plus a lag), never in the future."""
    t = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=lag_days, seconds=rng.randrange(86400))
    return min(t, datetime.now(UTC)).isoformat(timespec="seconds")


class Simulation:
    def __init__(self, store: Store, settings: Settings, rng: random.Random, scale: float) -> None:
        self.store, self.rng, self.scale = store, rng, scale
        self.pipeline = Pipeline(store, settings)
        weights = [w for _, w in DOMAINS]
        self.people = [f"u{n}@{rng.choices(DOMAINS, weights)[0][0]}" for n in range(int(30000 * scale))]
        self.gone: set[str] = set()  # suppressed: the sender stops mailing them
        self.full = set(rng.sample(self.people, len(self.people) // 150))  # abandoned mailboxes: full, always
        self.n = 0

    def sends(self, day: date, campaign: str, count: int, domain: str | None = None) -> list[dict]:
        rows = []
        people = [p for p in self.people if p.endswith("@" + domain)] if domain else self.people
        for _ in range(int(count * self.scale)):
            rcpt = self.rng.choice(people)
            if rcpt in self.gone:
                continue
            self.n += 1
            rows.append({"message_id": f"<s{self.n}@mail.example.com>", "recipient": rcpt, "campaign": campaign,
                         "sent_at": _at(day, self.rng)})
        sent = self.store.register(rows)
        return [{**r, "id": s.id, "key": s.key} for r, s in zip(rows, sent)]

    def event(self, send: dict | None, address: str, kind: str, bounce_type: str, reason: str, status: str,
              code: int | None, diag: str, received_at: str, storm: int = 0, correlation: str = "verp") -> str:
        domain = address.rpartition("@")[2]
        raw = f"simulated report {self.n} {address} {received_at} {reason}".encode()
        self.n += 1
        raw_id = self.store.conn.execute(
            "INSERT INTO raw_messages (sha256, raw, size, source, received_at, reported_at, reported_from, state, kind, detector, parsed_at)"
            " VALUES (?, ?, ?, 'smtp', ?, ?, 'live', 'parsed', ?, 'rfc3464', ?) RETURNING id",
            (hashlib.sha256(raw).hexdigest(), raw, len(raw), received_at, received_at, kind, received_at)).fetchone()[0]
        self.store.replace_events(raw_id, f"k{raw_id}", [{
            "raw_id": raw_id, "report_key": f"k{raw_id}", "address": address, "domain": domain, "kind": kind,
            "action": "delayed" if kind == "delay" else "failed", "status": status, "reply_code": code, "reason": reason,
            "bounce_type": bounce_type, "diagnostic": diag.format(a=address, d=domain), "remote_mta": f"mx.{domain}",
            "sent_id": send and send["id"], "sent_key": send and send["key"], "campaign": send and send["campaign"],
            "message_id": send and send["message_id"], "correlation": correlation,
            "verp": "forged" if correlation == "forged" else "valid", "storm": storm,
            "counts": int(correlation != "forged" and not storm), "event_at": send["sent_at"] if send else received_at,
            "received_at": received_at, "report_at": received_at, "feedback_type": "abuse" if kind == "feedback" else None, "reported": address}])
        return address

    def outcomes(self, sends: list[dict], day: date, rates: dict[str, float], block: tuple[str, float] | None) -> list[str]:
        """What becomes of each send: mostly nothing (delivered), else one event a day or two later."""
        touched = []
        for s in sends:
            dom, r = s["recipient"].rpartition("@")[2], self.rng.random()
            lag = self.rng.choice((0, 0, 0, 1))
            at = _at(day, self.rng, lag)
            hard = rates["hard"] * (8 if s["campaign"] == "import-gmx" else 1)
            if block and dom == block[0] and self.rng.random() < block[1]:
                touched.append(self.event(s, s["recipient"], "bounce", "soft", *BLOCK, at))
            elif s["recipient"] in self.full:
                touched.append(self.event(s, s["recipient"], "bounce", "soft", *SOFT[0], at))
            elif r < hard:
                touched.append(self.event(s, s["recipient"], "bounce", "hard", *self.rng.choice(HARD), at))
            elif r < hard + rates["soft"]:
                touched.append(self.event(s, s["recipient"], "bounce", "soft", *self.rng.choice(SOFT), at))
            elif r < hard + rates["soft"] + rates["delay"]:
                self.event(s, s["recipient"], "delay", "none", "expired", "4.4.1", None,
                           "Delivery delayed: connection to mx.{d} timed out", at)
            elif r < hard + rates["soft"] + rates["delay"] + rates["complaint"]:
                touched.append(self.event(s, s["recipient"], "feedback", "none", "feedback", "", None, "", at))
        return touched

    def decide(self, addresses: list[str]) -> None:
        """The real policy over what is recorded so far; its audit rows dated when the deciding report arrived."""
        before = self.store.query("SELECT coalesce(max(id), 0) AS id FROM audit")[0]["id"]
        self.pipeline.apply_policy(sorted(set(addresses)))
        self.store.conn.execute("UPDATE audit SET at = (SELECT max(received_at) FROM events e WHERE e.address = audit.address)"
                                " WHERE id > ?", (before,))
        self.gone |= {r["address"] for r in self.store.query("SELECT address FROM addresses WHERE state = 'suppressed'")}


def simulate(path: Path, days: int = 90, end: date | None = None, scale: float = 1.0, seed: int = 15) -> None:
    end = end or datetime.now(UTC).date()
    start = end - timedelta(days=days - 1)
    store = Store(path, durable=False)
    sim = Simulation(store, Settings(database=str(path)), random.Random(seed), scale)
    base = {"hard": 0.004, "soft": 0.008, "delay": 0.006, "complaint": 0.0004}
    for n in range(days):
        day = start + timedelta(n)
        with store.transaction():
            sends = sim.sends(day, "receipts", 700 + sim.rng.randrange(300))
            if day.weekday() == 1:
                sends += sim.sends(day, f"news-{day.isocalendar().week:02d}", 5000)
            if n == days - 40:
                sends += sim.sends(day, "import-gmx", 2500, "gmx.de")
            rates = dict(base)
            if n == days - 25:
                sends += sim.sends(day, "promo-winter", 9000)
            promo = [s for s in sends if s["campaign"] == "promo-winter"]
            block = ("outlook.com", 0.35) if days - 30 <= n < days - 24 else None
            touched = sim.outcomes([s for s in sends if s["campaign"] != "promo-winter"], day, rates, block)
            touched += sim.outcomes(promo, day, {**rates, "complaint": 0.004}, block)
            if n == days - 27:
                _storm(sim, day)
            sim.decide(touched)
    _manual_and_health(sim, end)
    store.close()


def _storm(sim: Simulation, day: date) -> None:
    """A burst of policy rejections from one domain, marked by the storm guard's rule: counted against no one."""
    first = datetime(day.year, day.month, day.day, 10, 5, tzinfo=UTC)
    victims = [p for p in sim.people if p.endswith("@outlook.com")][:160]
    for i, address in enumerate(victims):
        at = (first + timedelta(seconds=40 * i)).isoformat(timespec="seconds")
        sim.event(None, address, "bounce", "soft", *BLOCK, at, storm=1, correlation="recent")
    sim.store.conn.execute("INSERT INTO storms (domain, first_at, last_at, count, reasons) VALUES (?, ?, ?, ?, ?)",
                           ("outlook.com", first.isoformat(timespec="seconds"),
                            (first + timedelta(seconds=40 * (len(victims) - 1))).isoformat(timespec="seconds"),
                            len(victims), "blocked"))


def _manual_and_health(sim: Simulation, end: date) -> None:
    store = sim.store
    for i, address in enumerate(("legal-hold@example.net", "ceo@mail.example.org", "bounces-loop@gmx.de")):
        at = datetime(end.year, end.month, end.day, 9, tzinfo=UTC) - timedelta(days=20 - 7 * i)
        store.save_state(address, {"state": "suppressed", "suppressed_at": at.isoformat(timespec="seconds"),
                                   "rule": "manual", "why": "asked to be removed by phone"})
        store.add_audit(address, "suppress", "asked to be removed by phone", "ops")
        store.conn.execute("UPDATE audit SET at = ? WHERE id = (SELECT max(id) FROM audit)", (at.isoformat(timespec="seconds"),))
    day = end - timedelta(days=3)
    for state, count in (("failed", 4), ("unknown", 9), ("stored", 2)):
        for i in range(count):
            raw = f"unreadable {state} {i}".encode()
            store.conn.execute("INSERT INTO raw_messages (sha256, raw, size, source, received_at, state, error)"
                               " VALUES (?, ?, ?, 'imap:bounces', ?, ?, ?)",
                               (hashlib.sha256(raw).hexdigest(), raw, len(raw), _at(day, sim.rng, i % 3), state,
                                "Traceback (simulated)" if state == "failed" else None))
    for i in range(3):
        sim.event(None, f"u{i}@gmail.com", "bounce", "hard", *HARD[0], _at(end, sim.rng), correlation="forged")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", type=Path)
    ap.add_argument("--days", type=int, default=90)
    ap.add_argument("--end", type=date.fromisoformat, help="the last simulated day (UTC); default today")
    ap.add_argument("--scale", type=float, default=1.0, help="sends and recipients, relative to about 1,900 a day")
    ap.add_argument("--seed", type=int, default=15)
    args = ap.parse_args()
    if args.path.exists():
        raise SystemExit(f"{args.path}: exists; the simulation writes a new database")
    simulate(args.path, args.days, args.end, args.scale, args.seed)
    print(f"wrote {args.path}")


if __name__ == "__main__":
    main()
