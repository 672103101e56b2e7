"""The pipeline on real SQLite files: correlation, policy, duplicates, reprocess, storm guard."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

import mkmail
from bounced.pipeline import Pipeline
from bounced.reports import reprocess, stats_rows
from bounced.sending import Sender

# VERP tokens carry their send day and expire (verp_max_age_days): the sends are dated a week ago,
# so that the tests read the same on any day they run.
T0 = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(days=7)


def send(store, settings, n, recipient="user@example.org", when=T0, campaign="news"):
    """Register send number n; return (message id, VERP return path)."""
    mid = f"<m{n}@sender.example.com>"
    path = Sender(store, settings).register(mid, recipient, campaign=campaign, sent_at=when)
    return mid, path


def state(store, address="user@example.org"):
    row = store.address_state(address)
    return row["state"] if row else None


def test_hard_bounce_through_verp_suppresses(store, settings):
    mid, path = send(store, settings, 1)
    out = Pipeline(store, settings).ingest(mkmail.dsn("user@example.org", message_id=None, envelope_to=path), "t")
    assert out.state == "parsed" and out.events == 1
    event = store.query("SELECT correlation, verp, counts, sent_id FROM events")[0]
    assert event == {"correlation": "verp", "verp": "valid", "counts": 1, "sent_id": 1}
    assert state(store) == "suppressed"
    assert store.address_state("user@example.org")["rule"] == "hard"


def test_forged_token_never_suppresses(store, settings, tmp_path):
    send(store, settings, 1)
    other = dataclasses.replace(settings, verp_secret_file=str(tmp_path / "other.key"))
    (tmp_path / "other.key").write_text("a-different-secret-that-an-attacker-has-9\n")
    forged = Sender(store, other).return_path("1", "bounce.example.com")
    # the forger also names our real Message-ID: the bad signature must still win
    Pipeline(store, settings).ingest(mkmail.dsn("user@example.org", message_id="<m1@sender.example.com>", envelope_to=forged), "t")
    event = store.query("SELECT correlation, verp, counts FROM events")[0]
    assert event == {"correlation": "forged", "verp": "forged", "counts": 0}
    assert state(store) == "active"


def test_expired_token_does_not_count(store, settings):
    sender = Sender(store, settings)
    sent = store.register([{"message_id": "<old@x>", "recipient": "user@example.org", "sent_at": "2026-01-01T00:00:00+00:00"}])[0]
    old_path = sender.return_path(sent.key, day=int(T0.timestamp() // 86400) - 400)
    Pipeline(store, settings).ingest(mkmail.dsn("user@example.org", message_id=None, envelope_to=old_path), "t")
    assert store.query("SELECT verp, counts FROM events")[0] == {"verp": "expired", "counts": 0}
    assert state(store) == "active"


def test_malformed_verp_is_kept_and_counts_for_no_one(store, settings):
    out = Pipeline(store, settings).ingest(mkmail.dsn("user@example.org", envelope_to="bounces+!!notatoken@bounce.example.com"), "t")
    assert out.state == "parsed"
    assert store.query("SELECT counts FROM events")[0]["counts"] == 0
    assert state(store) == "active"


def test_late_bounce_correlates_by_message_id(store, settings):
    mid, _ = send(store, settings, 1, when=T0)
    Pipeline(store, settings).ingest(mkmail.dsn("user@example.org", message_id=mid, arrival=T0 + timedelta(days=5)), "t")
    event = store.query("SELECT correlation, event_at FROM events")[0]
    assert event["correlation"] == "message-id"
    assert event["event_at"] == T0.isoformat(timespec="seconds")  # counted on the send time
    assert state(store) == "suppressed"


def test_envelope_id_correlates(store, settings):
    store.register([{"message_id": "<a@x>", "recipient": "user@example.org", "sent_at": T0.isoformat(), "envelope_id": "ENV123"}])
    Pipeline(store, settings).ingest(mkmail.dsn("user@example.org", message_id=None, envelope_id="ENV123"), "t")
    assert store.query("SELECT correlation FROM events")[0]["correlation"] == "envid"


def test_never_registered_message_is_foreign_and_kept(store, settings):
    send(store, settings, 1)
    out = Pipeline(store, settings).ingest(mkmail.dsn("user@example.org", message_id="<never-sent@elsewhere.example>"), "t")
    assert out.state == "parsed"
    assert store.query("SELECT correlation, counts FROM events")[0] == {"correlation": "foreign", "counts": 0}
    assert store.query("SELECT count(*) AS n FROM raw_messages")[0]["n"] == 1
    assert state(store) == "active"


@pytest.mark.parametrize(("count_orphans", "expected"), [(False, "active"), (True, "suppressed")])
def test_no_message_id_matches_the_recipients_latest_send(store, settings, count_orphans, expected):
    """Anyone can name an address: a match on it alone counts only where count_orphans says so."""
    settings = dataclasses.replace(settings, count_orphans=count_orphans)
    send(store, settings, 1, when=T0 - timedelta(days=3))
    report = mkmail.dsn("user@example.org", message_id=None, envelope_to="bounces@bounce.example.com", arrival=T0)
    Pipeline(store, settings).ingest(report, "t")
    event = store.query("SELECT correlation, sent_id, counts FROM events")[0]
    assert event == {"correlation": "recent", "sent_id": 1, "counts": int(count_orphans)}
    assert state(store) == expected


def test_no_message_id_and_no_send_in_the_window_is_an_orphan(store, settings):
    send(store, settings, 1, when=T0 - timedelta(days=30))
    report = mkmail.dsn("user@example.org", message_id=None, envelope_to="bounces@bounce.example.com", arrival=T0)
    Pipeline(store, settings).ingest(report, "t")
    assert store.query("SELECT correlation, counts FROM events")[0] == {"correlation": "orphan", "counts": 0}


def test_orphan_is_correlated_when_its_registration_arrives(store, settings):
    Pipeline(store, settings).ingest(mkmail.dsn("user@example.org", message_id="<m1@sender.example.com>"), "t")
    assert state(store) == "active"
    send(store, settings, 1)  # registration arrives after the bounce
    assert store.query("SELECT correlation, counts FROM events")[0] == {"correlation": "message-id", "counts": 1}
    assert state(store) == "suppressed"


SOFT = dict(status="4.2.2", diagnostic="452 4.2.2 <{rcpt}>: Mailbox full", action="failed")


@pytest.mark.parametrize(("spacing_days", "expected"), [(10, "suppressed"), (30, "active")])
def test_three_soft_bounces(store, settings, spacing_days, expected):
    """3 soft bounces in 20 days suppress; 3 spread over 60 days do not (window 21 days)."""
    pipeline = Pipeline(store, settings)
    for n in range(3):
        mid, _ = send(store, settings, n, when=T0 + timedelta(days=spacing_days * n))
        pipeline.ingest(mkmail.dsn("user@example.org", message_id=mid, **SOFT), f"t{n}")
    assert state(store) == expected
    assert store.address_state("user@example.org")["soft"] == 3


def test_success_between_resets_the_soft_count(store, settings):
    pipeline = Pipeline(store, settings)
    for n, action in enumerate(["failed", "failed", "delivered", "failed"]):
        mid, _ = send(store, settings, n, when=T0 + timedelta(days=n))
        kwargs = SOFT | {"action": action} if action == "failed" else {"status": "2.0.0", "action": "delivered", "diagnostic": "250 2.0.0 Ok"}
        pipeline.ingest(mkmail.dsn("user@example.org", message_id=mid, **kwargs), f"t{n}")
    assert state(store) == "active"


@pytest.mark.parametrize(("reports", "expected"), [
    (["failed", "failed", "vacation", "failed"], "active"),
    (["failed", "failed", "failed"], "suppressed"),  # the same soft bounces without the reply between
])
def test_an_auto_reply_between_resets_the_soft_count(store, settings, reports, expected):
    """A vacation reply to a send proves the mailbox took that message: a success between."""
    pipeline = Pipeline(store, settings)
    for n, what in enumerate(reports):
        mid, _ = send(store, settings, n, when=T0 + timedelta(days=n))
        report = mkmail.vacation("user@example.org", mid) if what == "vacation" else mkmail.dsn("user@example.org", message_id=mid, **SOFT)
        pipeline.ingest(report, f"t{n}")
    replies = store.query("SELECT correlation FROM events WHERE kind = 'autoreply'")
    assert replies == [{"correlation": "message-id"}] * reports.count("vacation")
    assert state(store) == expected


def test_delayed_then_failed_counts_once(store, settings):
    settings = dataclasses.replace(settings, soft_limit=2)
    pipeline = Pipeline(store, settings)
    mid, _ = send(store, settings, 1)
    pipeline.ingest(mkmail.dsn("user@example.org", message_id=mid, status="4.4.1", action="delayed",
                               diagnostic="connect to mx.example.org: Connection timed out"), "delay")
    pipeline.ingest(mkmail.dsn("user@example.org", message_id=mid, status="4.4.7", action="failed",
                               diagnostic="delivery time expired"), "failed")
    row = store.address_state("user@example.org")
    assert (row["state"], row["soft"], row["delays"]) == ("active", 1, 1)


def test_duplicate_delivery_counts_once(store, settings):
    settings = dataclasses.replace(settings, soft_limit=2)
    pipeline = Pipeline(store, settings)
    mid, _ = send(store, settings, 1)
    report = mkmail.dsn("user@example.org", message_id=mid, report_id="<same@mx>", **SOFT)
    first = pipeline.ingest(report, "copy1")
    again = pipeline.ingest(report, "copy1-again")  # byte-identical
    relayed = pipeline.ingest(b"Received: from mx2.example.net by bounce.example.com; Fri, 20 Nov 2026 10:05:00 +0000\n" + report, "copy2")
    assert (first.state, again.state, relayed.state) == ("parsed", "duplicate", "duplicate")
    assert store.query("SELECT count(*) AS n FROM events")[0]["n"] == 1
    assert store.query("SELECT count(*) AS n FROM raw_messages")[0]["n"] == 2  # both copies kept
    assert store.address_state("user@example.org")["state"] == "active"


def test_reprocess_after_rule_change_updates_states(store, settings):
    pipeline = Pipeline(store, settings)
    for n in range(2):
        mid, _ = send(store, settings, n, when=T0 + timedelta(days=n))
        pipeline.ingest(mkmail.dsn("user@example.org", message_id=mid, **SOFT), f"t{n}")
    assert state(store) == "active"
    stricter = dataclasses.replace(settings, soft_limit=2)
    dry = reprocess(stricter, "all", dry_run=True)
    assert dry.changed == [("user@example.org", "active", "suppressed")]
    assert state(store) == "active"  # a dry run writes nothing
    done = reprocess(stricter, "all")
    assert done.messages == 2 and done.changed == [("user@example.org", "active", "suppressed")]
    assert store.query("SELECT count(*) AS n FROM events")[0]["n"] == 2  # no double counting
    assert state(store) == "suppressed"


def test_complaint_suppresses(store, settings):
    mid, _ = send(store, settings, 1)
    Pipeline(store, settings).ingest(mkmail.arf("user@example.org", message_id=mid), "arf")
    row = store.address_state("user@example.org")
    assert (row["state"], row["rule"], row["complaints"]) == ("suppressed", "complaint", 1)


def test_unsuppress_is_audited_and_old_events_stop_counting(store, settings):
    mid, _ = send(store, settings, 1)
    pipeline = Pipeline(store, settings)
    pipeline.ingest(mkmail.dsn("user@example.org", message_id=mid), "t")
    assert state(store) == "suppressed"
    store.add_audit("user@example.org", "unsuppress", "customer confirmed the address", "tester")
    pipeline.apply_policy(["user@example.org"])
    assert state(store) == "active"
    actions = [r["action"] for r in store.query("SELECT action FROM audit ORDER BY id")]
    assert actions == ["suppress", "unsuppress", "reactivate"]
    # a bounce for a send after the unsuppress counts again
    mid2, _ = send(store, settings, 2, when=datetime.now(UTC) + timedelta(seconds=5))
    pipeline.ingest(mkmail.dsn("user@example.org", message_id=mid2), "t2")
    assert state(store) == "suppressed"


def test_storm_guard_suppresses_no_one_and_reports_the_domain(store, settings):
    settings = dataclasses.replace(settings, storm_threshold=5, soft_limit=1)
    pipeline = Pipeline(store, settings)
    for n in range(6):
        rcpt = f"user{n}@bigmail.example"
        mid, _ = send(store, settings, n, recipient=rcpt)
        pipeline.ingest(mkmail.dsn(rcpt, message_id=mid, status="5.7.1",
                                   diagnostic="554 5.7.1 Service unavailable; Client host [192.0.2.9] blocked using zen.spamhaus.org"), f"t{n}")
    assert store.query("SELECT domain, count FROM storms") == [{"domain": "bigmail.example", "count": 6}]
    assert store.query("SELECT count(*) AS n FROM addresses WHERE state = 'suppressed'")[0]["n"] == 0


def test_campaign_rates(store, settings):
    pipeline = Pipeline(store, settings)
    for n in range(4):
        send(store, settings, n, recipient=f"u{n}@example.org", campaign="nov")
    pipeline.ingest(mkmail.dsn("u0@example.org", message_id="<m0@sender.example.com>"), "hard")
    pipeline.ingest(mkmail.dsn("u1@example.org", message_id="<m1@sender.example.com>", **SOFT), "soft")
    assert stats_rows(store) == [{"campaign": "nov", "sent": 4, "hard": 1, "soft": 1, "complaints": 0,
                                  "hard_rate": 0.25, "soft_rate": 0.25}]


def test_unparseable_message_is_kept(store, settings):
    out = Pipeline(store, settings).ingest(b"\x00\x01\x02 binary junk \xff" * 10, "junk")
    assert out.state == "unknown"
    row = store.query("SELECT state, error, length(raw) AS n FROM raw_messages")[0]
    assert row["state"] == "unknown" and row["n"] == 170 and row["error"]


def test_redacted_complaint_suppresses_whom_the_message_was_sent_to(store, settings):
    mid, _ = send(store, settings, 1)
    Pipeline(store, settings).ingest(mkmail.arf("", message_id=mid), "arf")
    event = store.query("SELECT address, correlation, counts FROM events")[0]
    assert event == {"address": "user@example.org", "correlation": "message-id", "counts": 1}
    assert state(store) == "suppressed"


def test_redacted_complaint_about_an_unknown_message_counts_for_no_one(store, settings):
    out = Pipeline(store, settings).ingest(mkmail.arf("", message_id="<never-sent@elsewhere.example>"), "arf")
    assert out.state == "parsed"
    assert store.query("SELECT address, correlation, counts FROM events")[0] == {"address": "", "correlation": "foreign", "counts": 0}
    assert store.query("SELECT count(*) AS n FROM addresses")[0]["n"] == 0
