"""Forged reports suppress no one: a report counts only against a recipient of the send it is bound to.

Each route by which a report without the VERP secret used to suppress an arbitrary address, beside
the genuine reports (a valid token, a registered Message-ID or ENVID, a forward) that must still
suppress the right recipient; then the same routes end to end through the CLI and `bounced serve`.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import signal
import smtplib
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

import mkmail
from ports import free_port, listening
from bounced.cli import cli
from bounced.config import Settings
from bounced.pipeline import Pipeline
from bounced.reports import reprocess
from bounced.sending import Sender
from bounced.store import Store

T0 = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(days=7)
SECRET = "a-test-secret-of-enough-length-0123456789"
_SERIAL = itertools.count(1)


@pytest.fixture
def settings(tmp_path):
    (tmp_path / "verp.key").write_text(SECRET + "\n")
    return Settings(database=str(tmp_path / "bounced.db"), bounce_domains=("bounce.example.com",),
                    verp_secret_file=str(tmp_path / "verp.key"))


def report(*recipients: tuple[str, str | None], envelope_to: str, message_id: str | None = None,
           envelope_id: str | None = None, status: str = "5.1.1") -> bytes:
    """A DSN to ``envelope_to`` failing each (Final-Recipient, Original-Recipient or None), as anyone
    can write one: the shape of the forged reports, and of the genuine ones."""
    blocks = []
    for final, original in recipients:
        orcpt = f"Original-Recipient: rfc822; {original}\n" if original else ""
        blocks.append(f"Final-Recipient: rfc822; {final}\n{orcpt}Action: failed\nStatus: {status}\n"
                      f"Diagnostic-Code: smtp; 550 {status} <{final}>: User unknown\n")
    envid = f"Original-Envelope-Id: {envelope_id}\n" if envelope_id else ""
    returned = (f"\n--b\nContent-Type: text/rfc822-headers\n\nFrom: news@sender.example.com\n"
                f"Subject: News\nMessage-ID: {message_id}\n") if message_id else ""
    return f"""From: MAILER-DAEMON@mx.elsewhere.example
To: {envelope_to}
Subject: Undelivered Mail Returned to Sender
Message-ID: <report-{next(_SERIAL)}@mx.elsewhere.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b"

--b
Content-Type: text/plain

{"".join(f"<{final}>: 550 {status} User unknown{chr(10)}" for final, _ in recipients)}
--b
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.elsewhere.example
{envid}Arrival-Date: {T0.strftime("%a, %d %b %Y %H:%M:%S +0000")}

{chr(10).join(blocks)}{returned}
--b--
""".encode()


@dataclasses.dataclass(frozen=True)
class Case:
    """Sends (message id, recipient, envelope id), a report, and what must follow.

    ``to``: the report's envelope recipient; ``token:ADDRESS`` is the valid VERP return path of the
    send to ADDRESS (which that recipient finds in every message it receives)."""

    sends: tuple[tuple[str, str, str | None], ...]
    named: tuple[tuple[str, str | None], ...]
    to: str
    message_id: str | None = None
    envelope_id: str | None = None
    count_orphans: bool = False
    events: tuple[tuple[str, str, str, str | None, int], ...] = ()  # address, reported, correlation, verp, counts
    states: tuple[tuple[str, str | None], ...] = ()  # address -> state (None: never touched)


ATTACKER = ("<m-attacker@sender.example.com>", "attacker@evil.example", None)
VICTIM = ("<m-victim@sender.example.com>", "victim@example.org", None)
NEWS = tuple(("<news-11@sender.example.com>", f"r{n}@example.org", None) for n in range(3))
LIST = ("<m-list@sender.example.com>", "team@company.example", "ENV-LIST")
CEO = "ceo@bigcustomer.example"

ROUTES = {
    # route 1: the attacker's own valid token, naming a victim: the event is the attacker's own
    "own-token-names-a-victim": Case(
        (ATTACKER,), ((CEO, None),), "token:attacker@evil.example",
        events=(("attacker@evil.example", CEO, "verp", "valid", 1),),
        states=((CEO, None), ("attacker@evil.example", "suppressed"))),
    "own-token-names-a-registered-victim-and-its-message-id": Case(
        (ATTACKER, VICTIM), ((VICTIM[1], VICTIM[1]),), "token:attacker@evil.example", message_id=VICTIM[0],
        events=(("attacker@evil.example", VICTIM[1], "verp", "valid", 1),),
        states=((VICTIM[1], None), ("attacker@evil.example", "suppressed"))),
    # route 2: no token (postmaster@ the bounce domain), no Message-ID: the victim's latest send only
    "postmaster-no-message-id": Case(
        (VICTIM,), ((VICTIM[1], None),), "postmaster@bounce.example.com",
        events=((VICTIM[1], VICTIM[1], "recent", None, 0),), states=((VICTIM[1], "active"),)),
    "postmaster-no-message-id-count-orphans": Case(
        (VICTIM,), ((VICTIM[1], None),), "postmaster@bounce.example.com", count_orphans=True,
        events=((VICTIM[1], VICTIM[1], "recent", None, 1),), states=((VICTIM[1], "suppressed"),)),
    # route 3: an unsigned classic VERP address: no evidence, whatever it names
    "classic-verp-with-the-attackers-message-id": Case(
        (ATTACKER,), ((CEO, None),), "bounces+ceo=bigcustomer.example@bounce.example.com", message_id=ATTACKER[0],
        events=(("attacker@evil.example", CEO, "message-id", "unsigned", 1),),
        states=((CEO, None), ("attacker@evil.example", "suppressed"))),
    "classic-verp-with-a-newsletter-message-id": Case(
        NEWS, ((CEO, None),), "bounces+ceo=bigcustomer.example@bounce.example.com", message_id=NEWS[0][0],
        events=((CEO, CEO, "stranger", "unsigned", 0),), states=((CEO, "active"), ("r0@example.org", None))),
    "classic-verp-no-message-id-count-orphans": Case(
        (VICTIM,), ((VICTIM[1], None),), "bounces+victim=example.org@bounce.example.com", count_orphans=True,
        events=((VICTIM[1], VICTIM[1], "recent", "unsigned", 0),), states=((VICTIM[1], "active"),)),
    # the same, with other evidence a forger can write
    "forged-token-with-the-victims-message-id": Case(
        (VICTIM,), ((VICTIM[1], None),), "bounces+" + "a" * 24 + "@bounce.example.com", message_id=VICTIM[0],
        events=((VICTIM[1], VICTIM[1], "forged", "forged", 0),), states=((VICTIM[1], "active"),)),
    "unknown-message-id": Case(
        (VICTIM,), ((VICTIM[1], None),), "postmaster@bounce.example.com", message_id="<never@elsewhere.example>",
        count_orphans=True, events=((VICTIM[1], VICTIM[1], "foreign", None, 0),), states=((VICTIM[1], "active"),)),
    "an-envid-names-another-address": Case(
        (LIST, VICTIM), ((VICTIM[1], None),), "postmaster@bounce.example.com", envelope_id="ENV-LIST",
        events=((LIST[1], VICTIM[1], "envid", None, 1),), states=((VICTIM[1], None), (LIST[1], "suppressed"))),
}

GENUINE = {
    "valid-token": Case(
        (VICTIM,), ((VICTIM[1], VICTIM[1]),), "token:victim@example.org",
        events=((VICTIM[1], VICTIM[1], "verp", "valid", 1),), states=((VICTIM[1], "suppressed"),)),
    "registered-message-id": Case(
        (VICTIM, ATTACKER), ((VICTIM[1], None),), "postmaster@bounce.example.com", message_id=VICTIM[0],
        events=((VICTIM[1], VICTIM[1], "message-id", None, 1),),
        states=((VICTIM[1], "suppressed"), (ATTACKER[1], None))),
    "newsletter-message-id-names-one-recipient": Case(
        NEWS, (("r1@example.org", None),), "postmaster@bounce.example.com", message_id=NEWS[0][0],
        events=(("r1@example.org", "r1@example.org", "message-id", None, 1),),
        states=(("r1@example.org", "suppressed"), ("r0@example.org", None), ("r2@example.org", None))),
    "newsletter-forwarded-original-recipient": Case(
        NEWS, (("r2@gmail.example", "r2@example.org"),), "postmaster@bounce.example.com", message_id=NEWS[0][0],
        events=(("r2@example.org", "r2@gmail.example", "message-id", None, 1),),
        states=(("r2@example.org", "suppressed"), ("r2@gmail.example", None))),
    "forwarded-through-the-token": Case(
        (LIST,), (("old-employee@gmail.example", None),), "token:team@company.example",
        events=((LIST[1], "old-employee@gmail.example", "verp", "valid", 1),),
        states=((LIST[1], "suppressed"), ("old-employee@gmail.example", None))),
    "forwarded-through-a-one-recipient-message-id": Case(
        (LIST,), (("old-employee@gmail.example", None),), "postmaster@bounce.example.com", message_id=LIST[0],
        events=((LIST[1], "old-employee@gmail.example", "message-id", None, 1),),
        states=((LIST[1], "suppressed"), ("old-employee@gmail.example", None))),
    # an alias expanded to two targets: one event for the address mailed, the other is kept as a stranger
    "alias-expanded-through-the-token": Case(
        (LIST,), (("a@gmail.example", None), ("b@gmail.example", None)), "token:team@company.example",
        events=((LIST[1], "a@gmail.example", "verp", "valid", 1), ("b@gmail.example", "b@gmail.example", "stranger", "valid", 0)),
        states=((LIST[1], "suppressed"), ("a@gmail.example", None), ("b@gmail.example", "active"))),
    "the-address-mailed-wins-over-a-target": Case(
        (LIST,), (("a@gmail.example", None), (LIST[1], None)), "token:team@company.example",
        events=(("a@gmail.example", "a@gmail.example", "stranger", "valid", 0), (LIST[1], LIST[1], "verp", "valid", 1)),
        states=((LIST[1], "suppressed"), ("a@gmail.example", "active"))),
    "no-evidence-count-orphans": Case(
        (), ((VICTIM[1], None),), "postmaster@bounce.example.com", count_orphans=True,
        events=((VICTIM[1], VICTIM[1], "orphan", None, 1),), states=((VICTIM[1], "suppressed"),)),
}


def run_case(store, settings, case: Case) -> None:
    settings = dataclasses.replace(settings, count_orphans=case.count_orphans)
    sender = Sender(store, settings)
    paths = {rcpt: sender.register(mid, rcpt, campaign="news", sent_at=T0, envelope_id=envid) for mid, rcpt, envid in case.sends}
    to = paths[case.to.removeprefix("token:")] if case.to.startswith("token:") else case.to
    raw = report(*case.named, envelope_to=to, message_id=case.message_id, envelope_id=case.envelope_id)
    out = Pipeline(store, settings).ingest(raw, "forgery", rcpt_to=to)
    assert out.state == "parsed"


def events(store):
    rows = store.query("SELECT address, reported, correlation, verp, counts FROM events ORDER BY id")
    return tuple(tuple(r.values()) for r in rows)


def states(store, case):
    return tuple((address, (store.address_state(address) or {}).get("state")) for address, _ in case.states)


@pytest.mark.parametrize("case", [*ROUTES.values(), *GENUINE.values()], ids=[*ROUTES, *GENUINE])
def test_a_report_counts_only_against_a_recipient_of_its_send(tmp_path, settings, case):
    store = Store(settings.database_path())
    try:
        run_case(store, settings, case)
        assert events(store) == case.events
        assert states(store, case) == case.states
    finally:
        store.close()


@pytest.mark.parametrize(("named", "message_id", "expected"), [
    ("", NEWS[0][0], ("", "", "orphan", None, 0)),  # many recipients: the complaint cannot say whose
    ("", ATTACKER[0], (ATTACKER[1], "", "message-id", None, 1)),
    ("r1@example.org", NEWS[0][0], ("r1@example.org", "r1@example.org", "message-id", None, 1)),
])
def test_redacted_complaints_through_the_message_id(settings, named, message_id, expected):
    store = Store(settings.database_path())
    try:
        for mid, rcpt, _ in (*NEWS, ATTACKER):
            Sender(store, settings).register(mid, rcpt, sent_at=T0)
        Pipeline(store, settings).ingest(mkmail.arf(named, message_id=message_id), "arf")
        assert events(store) == (expected,)
        touched = store.query("SELECT address, state FROM addresses")
        assert touched == ([{"address": expected[0], "state": "suppressed"}] if expected[4] else [])
    finally:
        store.close()


def test_a_redacted_complaint_through_a_token_is_the_registered_recipients(settings):
    store = Store(settings.database_path())
    try:
        path = Sender(store, settings).register(ATTACKER[0], ATTACKER[1], sent_at=T0)
        Pipeline(store, settings).ingest(mkmail.arf("", message_id="<whatever@x>", envelope_to=path), "arf", rcpt_to=path)
        assert events(store) == ((ATTACKER[1], "", "verp", "valid", 1),)
    finally:
        store.close()


def test_a_newsletter_registered_in_batches_is_correlated_again(settings):
    """While one recipient of a shared Message-ID is registered, it looks like a one-recipient send and
    a report naming a later recipient is given to it; the later registration gives it to its own."""
    store = Store(settings.database_path())
    try:
        sender = Sender(store, settings)
        sender.register(NEWS[0][0], "r0@example.org", sent_at=T0)
        sender.register(NEWS[0][0], "r1@example.org", sent_at=T0)
        Pipeline(store, settings).ingest(report(("r2@example.org", None), envelope_to="bounces@bounce.example.com",
                                                message_id=NEWS[0][0]), "t")
        assert events(store) == (("r2@example.org", "r2@example.org", "stranger", None, 0),)
        sender.register(NEWS[0][0], "r2@example.org", sent_at=T0)
        assert events(store) == (("r2@example.org", "r2@example.org", "message-id", None, 1),)
        assert store.address_state("r2@example.org")["state"] == "suppressed"
        Pipeline(store, settings).ingest(report(("r3@example.org", None), envelope_to="bounces@bounce.example.com",
                                                message_id="<news-12@sender.example.com>"), "t")
        sender.register("<news-12@sender.example.com>", "r0@example.org", sent_at=T0)  # the first of its batch
        assert events(store)[1:] == (("r0@example.org", "r3@example.org", "message-id", None, 1),)
        sender.register("<news-12@sender.example.com>", "r3@example.org", sent_at=T0)
        assert events(store)[1:] == (("r3@example.org", "r3@example.org", "message-id", None, 1),)
        assert [(r["address"], r["state"]) for r in store.query("SELECT * FROM addresses ORDER BY address")] == [
            ("r0@example.org", "active"), ("r2@example.org", "suppressed"), ("r3@example.org", "suppressed")]
    finally:
        store.close()


def test_an_orphan_token_becomes_the_registered_recipients_when_it_is_registered(settings):
    store = Store(settings.database_path())
    try:
        sender = Sender(store, settings)
        path = sender.return_path("k-late", day=int(T0.timestamp() // 86400))
        Pipeline(store, settings).ingest(report((CEO, None), envelope_to=path), "t", rcpt_to=path)
        assert events(store) == ((CEO, CEO, "orphan", "valid", 0),)
        sender.register_many([{"key": "k-late", "message_id": ATTACKER[0], "recipient": ATTACKER[1],
                               "sent_at": T0.isoformat()}])
        assert events(store) == ((ATTACKER[1], CEO, "verp", "valid", 1),)
        assert [(r["address"], r["state"]) for r in store.query("SELECT * FROM addresses ORDER BY address")] == [
            (ATTACKER[1], "suppressed"), (CEO, "active")]
    finally:
        store.close()


def test_reprocess_takes_back_what_the_old_matching_decided(settings):
    """A database where a forged report was counted against the victim (as before m004_trust)."""
    store = Store(settings.database_path())
    try:
        path = Sender(store, settings).register(ATTACKER[0], ATTACKER[1], sent_at=T0)
        pipeline = Pipeline(store, settings)
        pipeline.ingest(report((CEO, None), envelope_to=path), "t", rcpt_to=path)
        store.conn.execute("UPDATE events SET address = ?, domain = 'bigcustomer.example', reported = NULL", [CEO])
        pipeline.apply_policy([CEO, ATTACKER[1]])
        assert states(store, ROUTES["own-token-names-a-victim"]) == ((CEO, "suppressed"), (ATTACKER[1], "active"))
        done = reprocess(settings, "all")
        assert done.changed == [(ATTACKER[1], "active", "suppressed"), (CEO, "suppressed", "active")]
        assert events(store) == ((ATTACKER[1], CEO, "verp", "valid", 1),)
    finally:
        store.close()


# -- end to end: the reproducer's routes through the CLI and through `bounced serve` ---------------------


@pytest.fixture
def config(tmp_path, monkeypatch):
    cfg = tmp_path / "bounced.toml"
    cfg.write_text(f'database = "{tmp_path / "b.db"}"\nbounce_domains = ["bounce.example.com"]\n'
                   f'verp_secret_file = "{tmp_path / "key"}"\n')
    (tmp_path / "key").write_text(SECRET + "\n")
    (tmp_path / "key").chmod(0o600)
    monkeypatch.setenv("BOUNCED_CONFIG", str(cfg))
    return cfg


def register(sent_at: str) -> tuple[str, str]:
    rows = "message_id,recipient,campaign,sent_at\n" + "".join(
        f"{mid},{rcpt},news,{sent_at}\n" for mid, rcpt, _ in (ATTACKER, VICTIM))
    result = CliRunner().invoke(cli, ["register", "--format", "csv"], input=rows, catch_exceptions=False)
    assert result.exit_code == 0
    paths = {json.loads(line)["recipient"]: json.loads(line)["return_path"] for line in result.output.splitlines()}
    return paths[ATTACKER[1]], paths[VICTIM[1]]


def forged(token_path: str) -> list[tuple[str, bytes]]:
    """The reproducer's two reports: (envelope recipient, message)."""
    return [(token_path, report((CEO, None), envelope_to=token_path)),
            ("postmaster@bounce.example.com", report((VICTIM[1], None), envelope_to="postmaster@bounce.example.com"))]


def test_cli_register_ingest_status(config, tmp_path):
    token_path, _ = register(T0.isoformat())
    files = []
    for n, (_, raw) in enumerate(forged(token_path)):
        (tmp_path / f"r{n}.eml").write_bytes(raw)
        files.append(str(tmp_path / f"r{n}.eml"))
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", *files], catch_exceptions=False).output == "2 parsed\n"
    assert runner.invoke(cli, ["status", CEO], catch_exceptions=False).output == f"{CEO}: no events\n"
    victim = json.loads(runner.invoke(cli, ["status", VICTIM[1], "--json"], catch_exceptions=False).output)
    assert victim["state"]["state"] == "active"
    assert [(e["correlation"], e["counts"], e["reported"]) for e in victim["events"]] == [("recent", 0, None)]
    attacker = runner.invoke(cli, ["status", ATTACKER[1]], catch_exceptions=False).output
    assert attacker.startswith(f"{ATTACKER[1]}: suppressed (rule hard)")
    header, _, row = attacker.splitlines()[1:4]
    assert header.split()[-2:] == ["rule", "reported"] and row.split()[-1] == CEO  # the address the report named


def test_bounced_serve_process(config, tmp_path):
    """The reproducer over SMTP to a real `bounced serve`: the listener takes RCPT as the envelope."""
    token_path, victim_path = register(T0.isoformat())
    port = free_port()
    with open(config, "a") as fh:
        fh.write(f'listen = "127.0.0.1:{port}"\n')
    log = open(tmp_path / "serve.log", "ab")
    proc = subprocess.Popen([sys.executable, "-m", "bounced", "serve"], env={**os.environ, "BOUNCED_CONFIG": str(config)},
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        assert listening(port), (tmp_path / "serve.log").read_text()
        genuine = (victim_path, report((VICTIM[1], None), envelope_to=victim_path, status="4.2.2"))
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as c:
            for rcpt, raw in [*forged(token_path), genuine]:
                assert c.sendmail("<>", [rcpt], raw) == {}
        conn = sqlite3.connect(tmp_path / "b.db")
        deadline = time.monotonic() + 20
        while conn.execute("SELECT count(*) FROM raw_messages WHERE state = 'parsed'").fetchone()[0] < 3:
            assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            time.sleep(0.1)
        rows = conn.execute("SELECT address, reported, correlation, counts FROM events ORDER BY raw_id").fetchall()
        assert rows == [(ATTACKER[1], CEO, "verp", 1), (VICTIM[1], VICTIM[1], "recent", 0), (VICTIM[1], VICTIM[1], "verp", 1)]
        assert conn.execute("SELECT address, state FROM addresses ORDER BY address").fetchall() == [
            (ATTACKER[1], "suppressed"), (VICTIM[1], "active")]  # the genuine soft bounce alone does not suppress
        conn.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(60) == 0
        log.close()
