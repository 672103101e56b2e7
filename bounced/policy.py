"""Pure policy: an address's recorded history + Settings -> Decision (with the rule that fired and why).

Hard bounce -> suppress at once.  Complaint -> suppress (a setting).  Soft bounces suppress only
when ``soft_limit`` of them, with no success between, fall inside ``soft_window_days``, counted
on the send time (or the report's Arrival-Date), not when the report arrived.  Delays count for
nothing; a delivery resets the soft count, and so does an auto-reply to a send (the mailbox
took that message).  Events that may not count (forged or expired VERP,
uncorrelated, storm) are shown but never decide.  Only events after the last unsuppress count.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bounced.config import Settings
from bounced.model import Decision, Event


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def decide(history: list[Event], settings: Settings, since: str | None = None) -> Decision:
    """The decision for one address; ``since`` is the time of its last unsuppress, if any.

    ``history`` may hold every event or only those that may count: the others never decide."""
    counted = sorted((e for e in history if e.counts and (since is None or e.event_at > since)), key=lambda e: e.event_at)
    hard = [e for e in counted if e.bounce_type == "hard"]
    complaints = [e for e in counted if e.kind == "feedback"]
    if hard:
        first = hard[0]
        why = f"hard bounce: {first.reason} {first.status or ''}".rstrip() + f" at {first.event_at}"
        return Decision(True, "hard", why, suppressed_at=first.event_at)
    if complaints and settings.suppress_complaints:
        first = complaints[0]
        return Decision(True, "complaint", f"complaint (feedback) at {first.event_at}", suppressed_at=first.event_at)
    streak = _soft_streak(counted, settings)
    if streak:
        return Decision(
            True,
            "soft_limit",
            f"{len(streak)} soft bounces within {settings.soft_window_days} days with no success between "
            f"({streak[0].event_at} .. {streak[-1].event_at}; last {streak[-1].reason})",
            suppressed_at=streak[-1].event_at,
        )
    soft = sum(1 for e in counted if e.bounce_type == "soft")
    return Decision(False, "active", f"{soft} counted soft bounce(s) in the history, below the limit of {settings.soft_limit}"
                    f" within {settings.soft_window_days} days" if counted else "no event that counts")


def _soft_streak(counted: list[Event], settings: Settings) -> list[Event]:
    """The first run of soft_limit soft bounces inside the window with no success between."""
    window = timedelta(days=settings.soft_window_days)
    run: list[Event] = []
    seen_sends: set[object] = set()
    for event in counted:
        if event.kind in ("delivered", "autoreply"):  # the mailbox took a message
            run, seen_sends = [], set()
            continue
        if event.bounce_type != "soft":
            continue
        send = event.sent_id if event.sent_id is not None else event.report_key
        if send in seen_sends:  # two reports about one send (a relay's and the final MX's) count once
            continue
        seen_sends.add(send)
        run.append(event)
        while run and _time(event.event_at) - _time(run[0].event_at) > window:
            run.pop(0)
        if len(run) >= settings.soft_limit:
            return run
    return []
