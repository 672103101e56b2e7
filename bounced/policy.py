"""Pure policy: an address's recorded history + Settings -> Decision (with the rule that fired and why).

Tiers, strongest first:

* hard: a hard bounce suppresses at once and never lapses (a recycled address becomes a spam
  trap); only ``bounced unsuppress`` lifts it.  A hard bounce *held* by a storm (the domain's
  directory or DNS failing for everyone, bounced/storms.py) suppresses nothing alone: the address is
  "held" until a delivery clears it, or a later hard bounce outside a storm, or the operator
  confirming the storm, makes it count.
* complaint: suppresses (``suppress_complaints``) and never lapses.
* manual: ``bounced suppress ADDRESS --why``; never lapses.
* soft: ``soft_limit`` soft bounces, with no success between, inside ``soft_window_days``
  (counted on the send time).  It lapses to "probation" ``soft_suppression_days`` after the
  report that decided it (0 keeps it): the next send is allowed, and one more soft bounce of the
  same reason suppresses again at once.  A delivery ends probation.

Delays count for nothing; a delivery or an auto-reply to a send resets the soft count.  Events that
may not count (forged or expired VERP, uncorrelated, policy storms) are never given here.  Only
events after the last unsuppress count.  Time enters only as ``now`` (for lapses), never read here.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bounced.config import Settings
from bounced.model import Decision, Event

SUCCESS = ("delivered", "autoreply")  # the mailbox took a message


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _at(event: Event) -> str:
    return event.report_at or event.event_at


def decide(history: list[Event], settings: Settings, since: str | None = None, now: str | None = None,
           manual: str | None = None) -> Decision:
    """The decision for one address.

    ``since``: its last unsuppress; ``manual``: the time of a manual suppression after it, if any;
    ``now``: the time lapses are judged at (None: no lapse).  ``history`` may hold every event or
    only those that may count or are held: the others never decide."""
    counted = sorted((e for e in history if (e.counts or e.held is not None) and (since is None or e.event_at > since)),
                     key=lambda e: (e.event_at, _at(e)))
    live = [e for e in counted if e.held is None]
    hard = [e for e in live if e.bounce_type == "hard"]
    if hard:
        first = hard[0]
        why = f"hard bounce: {first.reason} {first.status or ''}".rstrip() + f" at {_at(first)}"
        return Decision(True, "hard", why, suppressed_at=_at(first), state="suppressed", tier="hard", sent_id=first.sent_id)
    complaints = [e for e in live if e.kind == "feedback"]
    if complaints and settings.suppress_complaints:
        first = complaints[0]
        return Decision(True, "complaint", f"complaint (feedback) at {_at(first)}", suppressed_at=_at(first),
                        state="suppressed", tier="complaint", sent_id=first.sent_id)
    if manual:
        return Decision(True, "manual", f"suppressed by hand at {manual}", suppressed_at=manual, state="suppressed", tier="manual")
    soft = _soft(live, settings, now)
    if soft is not None:
        return soft
    held = _held(counted)
    if held is not None:
        return Decision(False, "held", f"held: hard bounce during storm {held.held} ({held.reason} at {_at(held)})",
                        state="held", storm=held.held, sent_id=held.sent_id)
    count = sum(1 for e in live if e.bounce_type == "soft")
    return Decision(False, "active", f"{count} counted soft bounce(s) in the history, below the limit of {settings.soft_limit}"
                    f" within {settings.soft_window_days} days" if live else "no event that counts", state="active")


def _held(counted: list[Event]) -> Event | None:
    """The latest held hard bounce with no success after it."""
    found = None
    for event in counted:
        if event.held is not None and event.bounce_type == "hard":
            found = event
        elif event.kind in SUCCESS:
            found = None
    return found


def _lapse(event: Event, settings: Settings) -> str | None:
    if not settings.soft_suppression_days:
        return None
    return (_time(_at(event)) + timedelta(days=settings.soft_suppression_days)).isoformat(timespec="seconds")


def _soft(live: list[Event], settings: Settings, now: str | None) -> Decision | None:
    """Soft suppression, its lapse to probation and a repeat in probation, walked in time order."""
    window = timedelta(days=settings.soft_window_days)
    run: list[Event] = []
    seen_sends: set[object] = set()
    streak: list[Event] = []  # the soft suppression in force
    lapses: str | None = None
    probation: str | None = None  # the reason whose repeat suppresses at once
    repeat = False  # the suppression in force is a repeat in probation
    for event in live:
        if streak:
            if lapses is None or event.event_at <= lapses:
                continue  # sends should not happen while suppressed; what does happen changes nothing
            probation, streak, run, seen_sends = streak[-1].reason, [], [], set()
        if event.kind in SUCCESS:
            run, seen_sends, probation = [], set(), None
            continue
        if event.bounce_type != "soft":
            continue
        send = event.sent_id if event.sent_id is not None else event.report_key
        if send in seen_sends:  # two reports about one send (a relay's and the final MX's) count once
            continue
        seen_sends.add(send)
        if probation is not None and event.reason == probation:
            streak, probation, repeat = [event], None, True
            lapses = _lapse(event, settings)
            continue
        run.append(event)
        while run and _time(event.event_at) - _time(run[0].event_at) > window:
            run.pop(0)
        if len(run) >= settings.soft_limit:
            streak, run, repeat = list(run), [], False
            lapses = _lapse(streak[-1], settings)
    if streak and (lapses is None or now is None or now < lapses):
        last = streak[-1]
        if repeat:
            why = f"a soft bounce ({last.reason}) in probation at {_at(last)}"
        else:
            why = (f"{len(streak)} soft bounces within {settings.soft_window_days} days with no success between "
                   f"({streak[0].event_at} .. {last.event_at}; last {last.reason})")
        return Decision(True, "soft_limit", why, suppressed_at=_at(last), state="suppressed", tier="soft",
                        sent_id=last.sent_id, lapses_at=lapses)
    if streak:
        probation = streak[-1].reason
    if probation is not None:
        return Decision(False, "probation", f"a soft suppression ({probation}) lapsed after {settings.soft_suppression_days}"
                        f" days: the next {probation} bounce suppresses again", state="probation", tier="soft")
    return None
