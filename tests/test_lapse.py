"""Suppressions that end when their cause ends: tiers, lapse to probation, manual suppressions, sync by --since."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

import mkmail
from bounced import policy
from bounced.cli import cli
from bounced.config import Settings
from bounced.model import Event
from bounced.pipeline import Pipeline
from bounced.sending import Sender

DAY0 = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0) - timedelta(days=120)
FULL = ("5.2.2", "552 5.2.2 <{rcpt}>: Mailbox full, quota exceeded")
DISABLED = ("4.2.1", "450 4.2.1 <{rcpt}>: Recipient address rejected: this mailbox has been suspended")
UNKNOWN = ("5.1.1", "550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in local recipient table")
DELIVERED = ("2.0.0", "250 2.0.0 Ok: queued as 4BXY")


class Mailer:
    """Sends on given days and Postfix reports about them, with the pipeline's clock on the same day."""

    def __init__(self, store, settings):
        self.today = DAY0
        self.pipeline = Pipeline(store, settings, clock=lambda: self.today.isoformat(timespec="seconds"))
        self.sender = Sender(store, settings)
        self.store = store
        self.n = 0

    def send(self, rcpt, day, verdict=None):
        self.n += 1
        when = DAY0 + timedelta(days=day)
        self.today = when + timedelta(hours=1)
        mid = f"<l{self.n}@sender.example.com>"
        self.sender.register(mid, rcpt, campaign="news", sent_at=when)
        if verdict:
            status, diagnostic = verdict
            report = mkmail.dsn(rcpt, status=status, diagnostic=diagnostic, message_id=mid,
                                action="delivered" if status.startswith("2") else "failed", arrival=when + timedelta(minutes=5))
            assert self.pipeline.ingest(report, f"mail/{self.n}").state == "parsed"

    def on(self, day):
        self.today = DAY0 + timedelta(days=day)
        self.pipeline.lapse_due()

    def state(self, rcpt):
        row = self.store.address_state(rcpt)
        return (row["state"], row["tier"]) if row else None


def test_a_soft_suppressed_mailbox_emptied_after_three_weeks(store, settings):
    m = Mailer(store, settings)
    for day in (0, 4, 8):
        m.send("full@example.org", day, FULL)
        m.send("stays-full@example.org", day, FULL)
        m.send("other-reason@example.org", day, FULL)
    assert m.state("full@example.org") == ("suppressed", "soft")
    row = store.address_state("full@example.org")
    assert row["lapses_at"] == (DAY0 + timedelta(days=68, minutes=5)).isoformat(timespec="seconds")
    assert row["suppressed_at"] == (DAY0 + timedelta(days=8, minutes=5)).isoformat(timespec="seconds")
    m.on(29)  # the owner emptied the mailbox after three weeks; the suppression still holds
    assert m.state("full@example.org") == ("suppressed", "soft")
    m.on(69)
    assert {a: m.state(a) for a in ("full@example.org", "stays-full@example.org")} == dict.fromkeys(
        ("full@example.org", "stays-full@example.org"), ("probation", "soft"))
    m.send("full@example.org", 70, DELIVERED)  # a positive DSN ends probation
    m.send("stays-full@example.org", 70, FULL)  # one more bounce of the same kind: suppressed at once
    m.send("other-reason@example.org", 70, DISABLED)  # another kind counts as one of soft_limit
    assert m.state("full@example.org") == ("active", None)
    assert m.state("stays-full@example.org") == ("suppressed", "soft")
    assert store.address_state("stays-full@example.org")["why"].startswith("a soft bounce (mailboxfull) in probation at ")
    assert m.state("other-reason@example.org") == ("probation", "soft")
    actions = [r["action"] for r in store.query("SELECT action FROM audit WHERE address = 'stays-full@example.org' ORDER BY id")]
    assert actions == ["suppress", "lapse", "suppress"]


@pytest.mark.parametrize(("verdicts", "days", "expected"), [
    ([UNKNOWN], 0, ("suppressed", "hard")),  # hard never lapses
    ([FULL, FULL, FULL], 0, ("suppressed", "soft")),  # 0 keeps soft suppressions
], ids=["hard", "kept"])
def test_suppressions_that_do_not_lapse(store, settings, verdicts, days, expected):
    m = Mailer(store, settings)
    m.pipeline.settings = dataclasses.replace(settings, soft_suppression_days=days)
    for i, verdict in enumerate(verdicts):
        m.send("a@example.org", i, verdict)
    m.on(110)
    assert m.state("a@example.org") == expected
    assert store.address_state("a@example.org")["lapses_at"] is None


def test_manual_suppression_is_audited_never_lapses_and_syncs(store, settings):
    m = Mailer(store, settings)
    for day in (0, 1, 2):
        m.send("full@example.org", day, FULL)
    env = {"BOUNCED_VERP_SECRET_FILE": settings.verp_secret_file}
    run = CliRunner().invoke
    out = run(cli, ["suppress", "--db", settings.database, "Owner@Example.org", "--why", "asked by phone, ticket 42"], env=env)
    assert out.exit_code == 0 and out.output.startswith("Owner@example.org: suppressed (manual): suppressed by hand at "), out.output
    (audit,) = store.query("SELECT action, why FROM audit WHERE address = 'Owner@example.org'")[:1]
    assert audit == {"action": "manual_suppress", "why": "asked by phone, ticket 42"}
    out = run(cli, ["suppress", "--db", settings.database, "not-an-address", "--why", "x"], env=env)
    assert out.exit_code == 2 and "is not an address" in out.output
    today = datetime.now(UTC).date().isoformat()
    out = run(cli, ["suppressed", "--db", settings.database, "--since", today, "--nl"], env=env)
    assert out.exit_code == 0, out.output
    import json

    rows = [json.loads(line) for line in out.output.splitlines()]
    # the soft suppression of 120 days ago has lapsed by now: listing first lapses what is due
    assert [(r["address"], r["change"], r["tier"], r["state"]) for r in rows] == [
        ("full@example.org", "added", "soft", "probation"),
        ("Owner@example.org", "added", "manual", "suppressed"),
        ("full@example.org", "lapsed", "soft", "probation"),
    ]
    for bad in ("yesterday", "2026-13-01"):
        out = run(cli, ["suppressed", "--db", settings.database, "--since", bad], env=env)
        assert out.exit_code == 2 and "is not a date (YYYY-MM-DD)" in out.output, out.output
    out = run(cli, ["unsuppress", "--db", settings.database, "Owner@example.org", "--why", "mistake"], env=env)
    assert out.exit_code == 0 and store.address_state("Owner@example.org")["state"] == "active"


def _e(kind, bounce, reason, at, sent=None, held=None):
    at = f"2026-01-{at:02d}T10:00:00+00:00"
    return Event("a@x.example", kind, "failed", reason, bounce, at, held is None, f"r{at}{reason}", sent, rule=None,
                 report_at=at, held=held)


S = Settings(soft_limit=2, soft_window_days=10, soft_suppression_days=5)


@pytest.mark.parametrize(("history", "now", "expected"), [
    ([], None, ("active", None, None)),
    ([_e("bounce", "soft", "mailboxfull", 1, 1), _e("bounce", "soft", "mailboxfull", 2, 2)], "2026-01-05T00:00:00+00:00",
     ("suppressed", "soft", "2026-01-07T10:00:00+00:00")),
    ([_e("bounce", "soft", "mailboxfull", 1, 1), _e("bounce", "soft", "mailboxfull", 2, 2)], "2026-01-08T00:00:00+00:00",
     ("probation", "soft", None)),
    ([_e("bounce", "soft", "mailboxfull", 1, 1), _e("bounce", "soft", "mailboxfull", 2, 2),
      _e("bounce", "soft", "mailboxfull", 9, 3)], "2026-01-10T00:00:00+00:00", ("suppressed", "soft", "2026-01-14T10:00:00+00:00")),
    ([_e("bounce", "soft", "mailboxfull", 1, 1), _e("bounce", "soft", "mailboxfull", 2, 2),
      _e("delivered", "none", "delivered", 9, 3), _e("bounce", "soft", "mailboxfull", 10, 4)], "2026-01-11T00:00:00+00:00",
     ("active", None, None)),
    ([_e("bounce", "hard", "userunknown", 1, 1, held=7)], None, ("held", None, None)),
    ([_e("bounce", "hard", "userunknown", 1, 1, held=7), _e("delivered", "none", "delivered", 3, 2)], None, ("active", None, None)),
    ([_e("bounce", "hard", "userunknown", 1, 1, held=7), _e("bounce", "hard", "userunknown", 4, 2)], None,
     ("suppressed", "hard", None)),
], ids=["nothing", "soft", "lapsed", "repeat", "delivered-in-probation", "held", "released", "held-then-hard"])
def test_decide(history, now, expected):
    decision = policy.decide(history, S, now=now)
    assert (decision.state, decision.tier, decision.lapses_at) == expected
    if expected[0] == "held":
        assert decision.why == "held: hard bounce during storm 7 (userunknown at 2026-01-01T10:00:00+00:00)" and decision.storm == 7
    if expected[1] == "hard":
        assert decision.sent_id == 2 and decision.suppressed_at == "2026-01-04T10:00:00+00:00"


def test_the_suppressed_view_leaves_out_a_lapse_not_yet_recorded(store, settings):
    m = Mailer(store, settings)
    for day in (0, 1, 2):
        m.send("full@example.org", day, FULL)
    m.send("gone@example.org", 3, UNKNOWN)
    assert m.state("full@example.org") == ("suppressed", "soft")  # the clock of the mailer: day 3
    view = store.query("SELECT address, tier FROM suppressed")
    assert view == [{"address": "gone@example.org", "tier": "hard"}]  # 60 days after day 2 is long past today
