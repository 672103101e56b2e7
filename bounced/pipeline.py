"""Ingest: store the raw message, parse, correlate, record events, apply policy.

The raw message is committed before anything else happens to it; a failure after that leaves
it stored with state ``failed`` and its traceback, for ``bounced reprocess --failed``.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bounced import policy
from bounced.config import Settings
from bounced.correlate import correlate_all, counts, decode_verp, owner
from bounced.errors import StoreError
from bounced.model import Bounce, Kind
from bounced.outcomes import log_outcomes
from bounced.parse import parse_message
from bounced.store import Store, now
from bounced.storms import StormGuard
from bounced.times import report_time

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What happened to one message."""

    raw_id: int
    state: str  # parsed, unknown, failed, duplicate
    kind: str | None = None
    events: int = 0
    error: str | None = None
    duplicate: bool = False


class Pipeline:
    def __init__(self, store: Store, settings: Settings, clock: Callable[[], str] = now) -> None:
        """``clock``: the time lapses are judged at (a simulation passes its own)."""
        self.store = store
        self.settings = settings
        self.clock = clock
        self.guard = StormGuard(store, settings)

    @functools.cached_property
    def secret(self) -> bytes | None:
        """Read (or made) when the first message is parsed: policy alone needs none."""
        return self.settings.verp_secret()

    def ingest(self, data: bytes, source: str, mail_from: str | None = None, rcpt_to: str | None = None) -> Outcome:
        """Store durably (StoreError propagates: the caller must not acknowledge), then process."""
        raw_id, duplicate = self.store.store_raw(data, source, mail_from, rcpt_to)
        if duplicate:
            log.info("%s: already stored as raw message %s", source, raw_id)
            return Outcome(raw_id, "duplicate", duplicate=True)
        row = {"id": raw_id, "raw": data, "source": source, "rcpt_to": rcpt_to, "received_at": self.store.received_at(raw_id)}
        return self.process(raw_id, row)

    def process_stored(self, where: str = "1", params: Iterable[Any] = (), limit: int = -1) -> list[Outcome]:
        """Process what was stored and not yet processed (state ``stored``), oldest first: the second
        half of every intake that acknowledges on the commit (the listener's processor, the poller)."""
        ids = self.store.raw_ids(f"state = 'stored' AND ({where})", params, limit)
        return [self.process(raw_id) for raw_id in ids]

    def process(self, raw_id: int, row: dict[str, Any] | None = None) -> Outcome:
        """Parse a stored message and (re-)derive its events and the states of the addresses they touch."""
        row = row or self.store.raw(raw_id)
        try:
            return self._process(row)
        except StoreError:
            raise
        # The outermost per-message loop: anything else is a bug on this input; keep it and go on.
        except Exception as exc:  # noqa: BLE001
            log.exception("raw message %s (%s) failed", raw_id, row["source"])
            self.store.mark_raw(raw_id, state="failed", error=traceback.format_exc(), parsed_at=now())
            return Outcome(raw_id, "failed", error=f"{type(exc).__name__}: {exc}")

    def _process(self, row: dict[str, Any]) -> Outcome:
        raw_id = row["id"]
        bounce = parse_message(
            row["raw"], source=row["source"], envelope_to=self._envelope_to(row["rcpt_to"]),
            decode_verp=lambda address: decode_verp(address, self.settings, self.secret),
        )
        report_key = _report_key(row["raw"], bounce.message_id)
        reported_at, reported_from = report_time(row["raw"], row["source"], row["received_at"], bounce.arrival_date)
        with self.store.transaction():  # what one message changes, it changes at once
            self.store.mark_raw(raw_id, reported_at=reported_at, reported_from=reported_from)
            outcome = self._record(bounce, raw_id, report_key, row["received_at"], reported_at)
        if outcome is not None:
            return outcome
        events = self.store.query("SELECT id FROM events WHERE raw_id = ?", [raw_id])
        log_outcomes(self.store.conn, raw_id, bounce)
        state = "unknown" if bounce.kind is Kind.UNKNOWN else "parsed"
        log.info("raw %s %s: %s, %d event(s)", raw_id, row["source"], bounce.kind.value, len(events))
        return Outcome(raw_id, state, bounce.kind.value, len(events), bounce.error)

    def _record(self, bounce: Bounce, raw_id: int, report_key: str, received_at: str, reported_at: str) -> Outcome | None:
        """Events, storm guard, policy and the raw row's state; an Outcome only for a duplicate report."""
        earlier = self.store.query(
            "SELECT id FROM raw_messages WHERE report_key = ? AND id < ? ORDER BY id LIMIT 1", [report_key, raw_id]
        )
        if earlier:  # the same report delivered twice: keep the copy, count it once
            self.store.mark_raw(raw_id, state="duplicate", report_key=report_key, duplicate_of=earlier[0]["id"],
                                kind=bounce.kind.value, parsed_at=now())
            return Outcome(raw_id, "duplicate", bounce.kind.value, duplicate=True)
        events = self._events(bounce, raw_id, report_key, received_at, reported_at)
        changed = self.store.replace_events(raw_id, report_key, events)
        changed += self.guard.check(events)
        self.apply_policy([a for a in dict.fromkeys(changed) if a])  # "": a complaint that names no one
        self.lapse_due()
        state = "unknown" if bounce.kind is Kind.UNKNOWN else "parsed"
        self.store.mark_raw(raw_id, state=state, kind=bounce.kind.value, detector=bounce.detector,
                            error=bounce.error, report_key=report_key, parsed_at=now())
        return None

    def _envelope_to(self, rcpt_to: str | None) -> str | None:
        """Of the SMTP recipients (comma-separated), the one that is our VERP address, else the first."""
        if not rcpt_to:
            return None
        rcpts = [r.strip() for r in rcpt_to.split(",") if r.strip()]
        for rcpt in rcpts:
            if decode_verp(rcpt, self.settings, self.secret) is not None:
                return rcpt
        return rcpts[0] if rcpts else None

    def _events(self, bounce: Bounce, raw_id: int, report_key: str, received_at: str, reported_at: str) -> list[dict[str, Any]]:
        rows = []
        matches = correlate_all(bounce, self.store, self.settings, reported_at)
        for recipient, match in zip(bounce.recipients, matches):
            sent = match.sent
            # A bound send says whom the message went to: a redacted complaint, a forward or an alias
            # is recorded against that registered recipient, with the address the report named beside it.
            address = owner(match, recipient)
            event_at = sent.sent_at if sent else (_utc(bounce.arrival_date) or reported_at)
            report_at = max(reported_at, _utc(sent.sent_at) or reported_at) if sent else reported_at  # never before its send
            rows.append({
                "raw_id": raw_id, "report_key": report_key, "address": address,
                "domain": address.rpartition("@")[2], "kind": bounce.kind.value,
                "action": recipient.action.value, "status": recipient.status, "reply_code": recipient.reply_code,
                "reason": recipient.reason, "bounce_type": recipient.bounce_type.value,
                "diagnostic": recipient.diagnostic, "remote_mta": recipient.remote_mta, "rule": recipient.rule,
                "sent_id": sent.id if sent else None, "sent_key": match.sent_key or (sent.key if sent else None),
                "campaign": sent.campaign if sent else None, "message_id": bounce.original.message_id,
                "correlation": match.method, "verp": match.verp, "storm": 0,
                "counts": int(counts(match, address, self.settings)),
                "event_at": event_at, "received_at": received_at, "feedback_type": recipient.feedback_type,
                "reported": recipient.address, "report_at": report_at, "storm_id": None,
            })
        return rows

    def apply_policy(self, addresses: list[str]) -> None:
        """Derive each address's state again from its recorded history; a change is audited."""
        at = self.clock()
        for address in addresses:
            since = self.store.last_unsuppress(address)
            decision = policy.decide(self.store.history(address, counted_only=True, since=since), self.settings, since,
                                     now=at, manual=self.store.last_manual(address, since))
            before = (self.store.address_state(address) or {}).get("state", "active")
            state = decision.state or ("suppressed" if decision.suppressed else "active")
            action = _transition(before, state)
            self.store.save_state(address, {
                "state": state, **self.store.summary(address), "suppressed_at": decision.suppressed_at,
                "rule": decision.rule, "why": decision.why, "tier": decision.tier, "lapses_at": decision.lapses_at,
                "suppressed_sent_id": decision.sent_id if decision.suppressed else None, "held_storm": decision.storm,
            }, (action, decision.why) if action else None)

    def lapse_due(self, limit: int = 100) -> int:
        """Soft suppressions whose time is up turn to probation (an indexed look, cheap when none is due)."""
        due = self.store.lapse_due(self.clock(), limit)
        self.apply_policy(due)
        return len(due)


def _transition(before: str, after: str) -> str | None:
    """The audit action of a change of state."""
    if before == after:
        return None
    if after in ("suppressed", "held"):
        return "suppress" if after == "suppressed" else "hold"
    if before == "suppressed":
        return "lapse" if after == "probation" else "reactivate"
    return "release"


def _report_key(raw: bytes, message_id: str | None) -> str:
    """A report's natural key: its Message-ID and body.  Copies delivered twice differ only in the
    transport headers above them (Received, Delivered-To), so they share the key."""
    message_id = message_id or ""
    normal = raw.replace(b"\r\n", b"\n")
    body = normal.split(b"\n\n", 1)[1] if b"\n\n" in normal else normal
    return hashlib.sha256(message_id.encode("utf-8", "replace") + b"\0" + body).hexdigest()


def _utc(value: str | None) -> str | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC).isoformat(timespec="seconds")
    except (ValueError, OverflowError):  # a report's date that is no date, or none in UTC (9999-12-31 -0500)
        return None
