"""The hard-bounce storm guard on real SQLite files, fed streams of Postfix-style reports at their own times."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

import mkmail
from bounced.cli import cli
from bounced.config import Settings
from bounced.pipeline import Pipeline
from bounced.replay import replay
from bounced.sending import Sender
from bounced.schema import EVENT_MX
from bounced.store import Store
from bounced.storms import mx_of

DAY0 = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0) - timedelta(days=30)
UNKNOWN = "550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in virtual mailbox table"
NXDOMAIN = "550 5.1.2 <{rcpt}>: Recipient address rejected: Domain not found"
BLOCKED = "554 5.7.1 Service unavailable; Client host [192.0.2.9] blocked using zen.spamhaus.org"


class Stream:
    """Sends registered at given times, and reports about them dated a few minutes after each send."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store, self.settings = store, settings
        self.pipeline = Pipeline(store, settings)
        self.sender = Sender(store, settings)
        self.n = 0

    def send(self, recipient: str, when: datetime) -> str:
        self.n += 1
        mid = f"<c{self.n}@sender.example.com>"
        self.sender.register(mid, recipient, campaign="news", sent_at=when)
        return mid

    def bounce(self, recipient: str, mid: str, when: datetime, status: str = "5.1.1", diagnostic: str = UNKNOWN,
               action: str = "failed", remote_mta: str = "mx.example.org") -> None:
        report = mkmail.dsn(recipient, status=status, diagnostic=diagnostic, message_id=mid, action=action,
                            arrival=when + timedelta(minutes=3), remote_mta=remote_mta)
        assert self.pipeline.ingest(report, f"maildir/{self.n}").state == "parsed"

    def campaign(self, recipients: list[str], start: datetime, minutes: float, bounce=None) -> dict[str, str]:
        """Send to each recipient, spread over ``minutes``; ``bounce(i, rcpt)`` gives (status, diagnostic) or None."""
        mids = {}
        for i, rcpt in enumerate(recipients):
            when = start + timedelta(minutes=minutes * i / max(len(recipients), 1))
            mids[rcpt] = mid = self.send(rcpt, when)
            verdict = bounce(i, rcpt) if bounce else None
            if verdict:
                self.bounce(rcpt, mid, when, *verdict)
        return mids


def states(store, addresses):
    rows = store.query("SELECT address, state, tier, rule, why, held_storm FROM addresses")
    found = {r["address"]: r for r in rows}
    return {a: (found[a]["state"] if a in found else "none") for a in addresses}


def test_provider_answering_unknown_user_for_40_percent_of_live_deliveries(store, settings):
    stream = Stream(store, settings)
    users = [f"u{i:03d}@bigmail.example" for i in range(400)]
    dead_before = users[:4]  # dead for long: a 1 % trailing rate of hard bounces
    dead_now = users[4:12]  # died since; first bounce during the storm
    live = users[12:]
    stream.campaign(users, DAY0, 120, lambda i, r: ("5.1.1", UNKNOWN) if r in dead_before else None)
    assert states(store, dead_before) == dict.fromkeys(dead_before, "suppressed")
    # ten days later the provider's directory fails for 90 minutes: 40 % of live deliveries bounce
    storm_day = DAY0 + timedelta(days=10)
    flaky = set(live[::5]) | set(live[1::5])  # 2 of every 5
    second = [u for u in users if u not in dead_before]
    stream.campaign(second, storm_day, 90, lambda i, r: ("5.1.1", UNKNOWN) if r in flaky or r in dead_now else None)
    storm = store.query("SELECT id, domain, kind, first_at, last_at, count, reasons, state FROM storms")
    assert len(storm) == 1 and storm[0]["domain"] == "bigmail.example" and storm[0]["kind"] == "hard"
    assert storm[0]["count"] == len(flaky) + len(dead_now) and storm[0]["reasons"] == "userunknown"
    first = min(store.query("SELECT report_at FROM events WHERE storm_id = ?", [storm[0]["id"]]), key=lambda r: r["report_at"])
    assert storm[0]["first_at"] == first["report_at"]  # its first rejection, at the report's own time
    assert storm[0]["first_at"].startswith(storm_day.date().isoformat())
    assert set(states(store, sorted(flaky) + dead_now).values()) == {"held"}
    why = store.address_state(live[0])["why"]
    assert why.startswith(f"held: hard bounce during storm {storm[0]['id']} (userunknown at ")
    # a positive DSN releases one; the next campaign, a week later, bounces only the dead
    stream.bounce(live[1], stream.send(live[1], storm_day + timedelta(days=2)), storm_day + timedelta(days=2),
                  "2.0.0", "250 2.0.0 Ok: queued as 4BXY", action="delivered")
    third_day = storm_day + timedelta(days=7)
    mids = stream.campaign(second, third_day, 90, lambda i, r: ("5.1.1", UNKNOWN) if r in dead_now else None)
    assert store.query("SELECT count(*) AS n FROM storms")[0]["n"] == 1
    assert states(store, dead_now) == dict.fromkeys(dead_now, "suppressed")
    row = store.address_state(dead_now[0])
    assert row["tier"] == "hard" and row["suppressed_sent_id"] == store.sent_by("message_id" if False else "key", _key(store, mids[dead_now[0]])).id
    assert row["suppressed_at"].startswith(third_day.date().isoformat())
    assert states(store, [live[0], live[1]]) == {live[0]: "held", live[1]: "active"}
    assert store.query("SELECT count(*) AS n FROM addresses WHERE state = 'suppressed'")[0]["n"] == len(dead_before) + len(dead_now)
    out = CliRunner().invoke(cli, ["storms", "--table", "--db", settings.database], env={"BOUNCED_VERP_SECRET_FILE": settings.verp_secret_file})
    assert out.exit_code == 0, out.output
    assert "bigmail.example" in out.output and " hard " in out.output and " ended " in out.output
    out = CliRunner().invoke(cli, ["status", "--db", settings.database, live[0]])
    assert out.output.startswith(f"{live[0]}: held (rule held): held: hard bounce during storm {storm[0]['id']}"), out.output


def _key(store, mid):
    return store.query("SELECT key FROM sent WHERE message_id = ?", [mid])[0]["key"]


def test_without_the_guard_the_same_stream_suppresses_live_addresses(store, settings):
    """The baseline the guard is measured against: thresholds out of reach suppress every flaky address."""
    stream = Stream(store, settings)
    users = [f"u{i:03d}@bigmail.example" for i in range(250)]
    stream.campaign(users, DAY0, 60, lambda i, r: ("5.1.1", UNKNOWN) if i % 5 < 2 else None)
    assert store.query("SELECT count(*) AS n FROM addresses WHERE state = 'held'")[0]["n"] == 100
    off = dataclasses.replace(settings, hard_storm_threshold=1_000_000, hard_storm_new_domain_threshold=1_000_000)
    result = replay(store, off, dry_run=True)
    assert result.counts()["added"] == 100 and result.counts()["released"] == 0
    assert store.query("SELECT count(*) AS n FROM addresses WHERE state = 'held'")[0]["n"] == 100  # dry run
    replay(store, off)
    assert store.query("SELECT count(*) AS n FROM addresses WHERE state = 'suppressed'")[0]["n"] == 100
    assert store.query("SELECT count(*) AS n FROM storms")[0]["n"] == 0


def test_mid_size_domain_with_nxdomain_for_six_hours(store, settings):
    stream = Stream(store, settings)
    mid_users = [f"m{i:03d}@midsize.example" for i in range(300)]
    gone_users = [f"g{i:03d}@gone.example" for i in range(300)]
    users = [u for pair in zip(mid_users, gone_users) for u in pair]
    stream.campaign(users, DAY0, 180)  # a clean history
    outage = DAY0 + timedelta(days=5)
    # the campaign goes out over eight hours; for six of them, neither domain can be found
    in_outage = lambda i, r: ("5.1.2", NXDOMAIN) if 60 <= 480 * i / len(users) <= 420 else None  # noqa: E731
    stream.campaign(users, outage, 480, in_outage)
    storms = store.query("SELECT domain, kind, count, first_at, last_at, reasons FROM storms ORDER BY domain")
    assert [(s["domain"], s["kind"], s["reasons"]) for s in storms] == [
        ("gone.example", "dns", "hostunknown"), ("midsize.example", "dns", "hostunknown")]
    for storm in storms:
        span = datetime.fromisoformat(storm["last_at"]) - datetime.fromisoformat(storm["first_at"])
        assert timedelta(hours=5, minutes=55) < span <= timedelta(hours=6), storm
    bounced = {u for i, u in enumerate(users) if in_outage(i, u)}
    assert sum(s["count"] for s in storms) == len(bounced) == 451
    assert set(states(store, sorted(bounced)).values()) == {"held"}
    # a week later midsize.example is back; gone.example is still gone: suppressed on its next bounce
    later = outage + timedelta(days=7)
    stream.campaign(users, later, 120, lambda i, r: ("5.1.2", NXDOMAIN) if r in gone_users else None)
    assert set(states(store, gone_users).values()) == {"suppressed"}
    assert store.query("SELECT count(*) AS n FROM storms")[0]["n"] == 2
    assert set(states(store, [u for u in mid_users if u in bounced]).values()) == {"held"}
    assert "suppressed" not in set(states(store, mid_users).values())


def test_a_held_address_is_suppressed_when_the_operator_confirms_the_storm(store, settings):
    stream = Stream(store, settings)
    users = [f"u{i:03d}@bigmail.example" for i in range(60)]
    stream.campaign(users, DAY0, 50, lambda i, r: ("5.1.1", UNKNOWN))
    (storm,) = store.query("SELECT id, count FROM storms")
    assert storm["count"] == 60 and set(states(store, users).values()) == {"held"}
    env = {"BOUNCED_VERP_SECRET_FILE": settings.verp_secret_file}
    out = CliRunner().invoke(cli, ["storms", "confirm", "--db", settings.database, str(storm["id"])], env=env)
    assert out.exit_code == 0 and out.output == f"storm {storm['id']} confirmed: 60 address(es) derived again, 60 suppressed\n", out.output
    assert set(states(store, users).values()) == {"suppressed"}
    assert store.query("SELECT state FROM storms")[0]["state"] == "confirmed"
    # a replay keeps a confirmed storm
    assert replay(store, settings).changes == []
    out = CliRunner().invoke(cli, ["storms", "confirm", "--db", settings.database, "99"], env=env)
    assert out.exit_code == 1 and "no storm 99" in out.output


def test_policy_storm_starts_at_its_first_rejection_with_its_reasons(store, settings):
    settings = dataclasses.replace(settings, storm_threshold=5)
    stream = Stream(store, settings)
    users = [f"p{i}@blocky.example" for i in range(8)]
    stream.campaign(users, DAY0, 20, lambda i, r: ("5.7.1", BLOCKED))
    (storm,) = store.query("SELECT kind, first_at, last_at, count, reasons FROM storms")
    first = (DAY0 + timedelta(minutes=3)).isoformat(timespec="seconds")
    assert storm == {"kind": "policy", "first_at": first, "last_at": (DAY0 + timedelta(minutes=3 + 20 * 7 / 8)).isoformat(timespec="seconds"),
                     "count": 8, "reasons": "blocked"}
    assert store.query("SELECT count(*) AS n FROM addresses WHERE state != 'active'")[0]["n"] == 0


def test_a_big_domain_with_its_usual_dead_addresses_makes_no_storm(store, settings):
    """25 unknown users within an hour among 2,500 sends is the domain's ordinary rate: each is suppressed."""
    stream = Stream(store, settings)
    users = [f"u{i:04d}@huge.example" for i in range(2500)]
    stream.campaign(users, DAY0, 600, lambda i, r: ("5.1.1", UNKNOWN) if i % 100 == 0 else None)
    stream.campaign([u for i, u in enumerate(users) if i % 100], DAY0 + timedelta(days=3), 60,
                    lambda i, r: ("5.1.1", UNKNOWN) if i % 100 == 7 else None)
    assert store.query("SELECT count(*) AS n FROM storms")[0]["n"] == 0
    assert store.query("SELECT count(*) AS n FROM addresses WHERE state = 'suppressed'")[0]["n"] == 25 + 25


def test_reprocess_policy_only_prints_what_a_setting_changes(store, settings):
    stream = Stream(store, settings)
    users = [f"u{i:02d}@bigmail.example" for i in range(30)]
    stream.campaign(users, DAY0, 30, lambda i, r: ("5.1.1", UNKNOWN))
    stream.campaign(["full@example.org"] * 3, DAY0 + timedelta(days=1), 600, lambda i, r: ("5.2.2", "552 5.2.2 Mailbox full"))
    assert store.query("SELECT count(*) AS n FROM storms")[0]["n"] == 0  # 30 < the new-domain floor of 50
    env = {"BOUNCED_VERP_SECRET_FILE": settings.verp_secret_file, "BOUNCED_HARD_STORM_NEW_DOMAIN_THRESHOLD": "25",
           "BOUNCED_SOFT_SUPPRESSION_DAYS": "7"}
    out = CliRunner().invoke(cli, ["reprocess", "--db", settings.database, "--policy-only", "--dry-run"], env=env)
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0].startswith("31 address(es) and 1 storm(s) derived again in ")
    assert lines[0].endswith("s; 0 would be added, 30 would be held, 0 would be released, 1 would be lapsed, 0 would be lifted")
    assert lines[1:] == ["  lapsed: full@example.org: suppressed -> probation"] + [
        f"  held: {u}: suppressed -> held" for u in users]
    assert store.query("SELECT count(*) AS n FROM storms")[0]["n"] == 0  # a dry run
    out = CliRunner().invoke(cli, ["reprocess", "--db", settings.database, "--policy-only"], env=env)
    assert out.exit_code == 0 and " 30 were held," in out.output
    assert store.query("SELECT kind, count FROM storms") == [{"kind": "hard", "count": 30}]


def test_reprocessing_the_reports_of_a_storm_counts_them_once(store, settings):
    from bounced.reports import reprocess

    stream = Stream(store, settings)
    users = [f"u{i:02d}@bigmail.example" for i in range(60)]
    stream.campaign(users, DAY0, 50, lambda i, r: ("5.1.1", UNKNOWN))
    before = store.query("SELECT id, kind, first_at, last_at, count, reasons FROM storms")
    assert before[0]["count"] == 60
    reprocess(settings, "all")
    assert store.query("SELECT id, kind, first_at, last_at, count, reasons FROM storms") == before
    assert set(states(store, users).values()) == {"held"}


def test_a_storm_ends_when_the_domain_is_back_to_its_usual_few(store, settings):
    stream = Stream(store, settings)
    users = [f"u{i:03d}@bigmail.example" for i in range(400)]
    stream.campaign(users, DAY0, 240)
    dead = {u for i, u in enumerate(users) if i >= 150 and i % 40 == 0}  # died since; bounce after the outage

    def answer(i, rcpt):
        if i < 120 and i % 5 < 2 or rcpt in dead:  # the first 72 minutes: 40 % unknown user
            return ("5.1.1", UNKNOWN)
        return None

    stream.campaign(users, DAY0 + timedelta(days=3), 240, answer)
    # the dead reported within a window of the outage's last bounces are held with it; the later ones are not
    early, late = sorted(u for u in dead if int(u[1:4]) < 240), sorted(u for u in dead if int(u[1:4]) >= 240)
    assert early == ["u160@bigmail.example", "u200@bigmail.example"] and len(late) == 4
    (storm,) = store.query("SELECT count, last_at FROM storms")
    assert storm["count"] == 48 + len(early)
    assert states(store, early + late) == {**dict.fromkeys(early, "held"), **dict.fromkeys(late, "suppressed")}


# One MX of four answering for a big domain: mx2 by name; mx4 known only by its address.
MXES = ["mx1.bigmail.example", "mx2.bigmail.example", "mx3.bigmail.example", "[192.0.2.4]"]


def _mx(address: str) -> str:
    return MXES[int(address[1:5]) % 4]


def _one_mx_fails(stream, users, dead_before, dead_now, minutes):
    """A history with 1.5 % dead spread over the MXes; ten days later mx2 answers unknown user for
    40 % of its live deliveries over 90 minutes.  Returns mx2's flaky addresses."""
    unknown = lambda mx: ("5.1.1", UNKNOWN, "failed", mx)  # noqa: E731
    stream.campaign(users, DAY0, 120, lambda i, r: unknown(_mx(r)) if r in dead_before else None)
    at_mx2 = [u for u in users if _mx(u) == MXES[1] and u not in dead_before and u not in dead_now]
    flaky = set(at_mx2[::5]) | set(at_mx2[1::5])
    second = [u for u in users if u not in dead_before]
    stream.campaign(second, DAY0 + timedelta(days=10), minutes,
                    lambda i, r: unknown(_mx(r)) if r in flaky or r in dead_now else None)
    return flaky


def test_one_mx_of_a_big_domain_answering_unknown_user_for_its_live_addresses(store, settings):
    """1,200 addresses over four MXes, 18 dead (a 1.5 % trailing rate): 788 sends an hour, so the
    domain's own guard needs 118 hard bounces in an hour; mx2's burst (about 80) stays under it,
    but its share of the sends (197) makes 30 enough at mx2."""
    stream = Stream(store, settings)
    users = [f"u{i:04d}@bigmail.example" for i in range(1200)]
    dead_before = users[5:1200:67]  # 18, at every MX
    dead_now = [users[i] for i in (9, 210, 403, 602, 811, 1002, 1104, 13, 417)]  # died since: six elsewhere, three at mx2
    flaky = _one_mx_fails(stream, users, dead_before, dead_now, 90)
    assert len(dead_before) == 18 and {_mx(u) for u in dead_before} == set(MXES)
    at_mx2 = {u for u in dead_now if _mx(u) == MXES[1]}
    assert len(at_mx2) == 3 and len(flaky) == 118
    storms = store.query("SELECT id, domain, remote_mta, kind, count, reasons, state FROM storms")
    assert [{k: v for k, v in s.items() if k != "id"} for s in storms] == [
        {"domain": "bigmail.example", "remote_mta": "mx2.bigmail.example", "kind": "hard", "count": len(flaky) + 3,
         "reasons": "userunknown", "state": "open"}]
    held = sorted(flaky | at_mx2)
    assert states(store, held) == dict.fromkeys(held, "held")
    elsewhere = [u for u in dead_now if u not in at_mx2]
    assert states(store, elsewhere + dead_before) == dict.fromkeys(elsewhere + dead_before, "suppressed")
    assert store.address_state(held[0])["why"].startswith(f"held: hard bounce during storm {storms[0]['id']} (userunknown at ")
    assert store.query("SELECT count(*) AS n FROM addresses WHERE state = 'suppressed'")[0]["n"] == 18 + 6
    out = CliRunner().invoke(cli, ["storms", "--table", "--db", settings.database])
    assert out.exit_code == 0, out.output
    (line,) = [row for row in out.output.splitlines() if "bigmail.example" in row]
    assert line.split()[:4] == [str(storms[0]["id"]), "bigmail.example", "mx2.bigmail.example", "hard"], line
    # without the per-MX guard (no domain is big enough) the same events suppress mx2's live addresses
    off = dataclasses.replace(settings, hard_storm_mx_domain_sends=100_000_000)
    assert replay(store, off).counts()["added"] == len(flaky) + 3
    assert store.query("SELECT count(*) AS n FROM storms")[0]["n"] == 0
    assert set(states(store, sorted(flaky)).values()) == {"suppressed"}


def test_a_small_domain_gets_no_storm_of_one_mx(store, settings):
    """400 addresses, 267 sends an hour (under hard_storm_mx_domain_sends, 500): mx2's burst of
    unknown users counts only against the domain's own guard, which it stays under."""
    stream = Stream(store, settings)
    users = [f"u{i:04d}@bigmail.example" for i in range(400)]
    dead_before = users[5:400:67]  # 6: 1.5 %
    flaky = _one_mx_fails(stream, users, dead_before, [], 90)
    assert len(flaky) == 40
    assert store.query("SELECT count(*) AS n FROM storms")[0]["n"] == 0
    assert set(states(store, sorted(flaky)).values()) == {"suppressed"}
    # the setting is what keeps it off: at 200 sends an hour the same burst is mx2's storm
    replay(store, dataclasses.replace(settings, hard_storm_mx_domain_sends=200))
    assert store.query("SELECT remote_mta, kind FROM storms") == [{"remote_mta": "mx2.bigmail.example", "kind": "hard"}]


@pytest.mark.parametrize(("remote_mta", "mx"), [
    ("mx2.bigmail.example", "mx2.bigmail.example"),
    ("MX2.BigMail.Example.", "mx2.bigmail.example"),
    ("mx2.bigmail.example [192.0.2.2]", "mx2.bigmail.example"),
    ("[192.0.2.1]", "192.0.2.1"),
    ("  [IPv6:2001:db8::1] ", "ipv6:2001:db8::1"),
    ("", None),
    (None, None),
])
def test_the_mx_an_event_is_counted_at(store, remote_mta, mx):
    assert mx_of(remote_mta) == mx
    (sql,) = store.conn.execute(f"WITH events(remote_mta) AS (VALUES (?)) SELECT {EVENT_MX} FROM events", [remote_mta]).fetchone()
    assert (sql or None) == mx
