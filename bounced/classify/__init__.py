"""classify(finding) -> (reason, bounce_type, rule): one reason of reasons.md for every recipient.

The order, first match wins:

1. a reason the format itself states (ARF -> feedback, auto-reply -> vacation);
2. delivered, relayed or expanded actions -> delivered;
3. a provider rule keyed on the remote host (rhost.py);
4. an enhanced status code whose meaning is unambiguous (status.DEFINITIVE, e.g. 5.1.1);
5. the diagnostic text, reason by reason in TEXT_ORDER (the text says more than a 5.7.1 or 5.0.0);
6. any other status code a reason claims, then the SMTP reply code;
7. a failed action with a 4.x.x status or retry wording -> expired; else onhold (we have text) or undefined.
"""

from __future__ import annotations

from bounced.classify import rhost, status
from bounced.classify.reasons import HARD, MODULES
from bounced.model import Action, BounceType, Finding

# Most specific wording first: "mailbox full" beats "user", "relay denied" beats "denied".
TEXT_ORDER = (
    "notcompliantrfc", "hasmoved", "mailboxfull", "mesgtoobig", "exceedlimit", "systemfull",
    "virusdetected", "requireptr", "authfailure", "badreputation", "speeding", "toomanyconn",
    "notaccept", "norelaying", "hostunknown", "suspend", "userunknown", "spamdetected",
    "policyviolation", "blocked", "rejected", "filtered", "contenterror", "expired",
    "securityerror", "mailererror", "networkerror", "syntaxerror", "systemerror",
)


def classify(finding: Finding) -> tuple[str, BounceType, str]:
    """The reason, bounce type and the rule that decided, for one recipient."""
    reason, rule = _reason(finding)
    return reason, bounce_type(reason, finding), rule


def bounce_type(reason: str, finding: Finding) -> BounceType:
    if finding.action is not Action.FAILED or reason in ("delivered", "feedback", "vacation"):
        return BounceType.NONE
    if reason == "notaccept":
        klass = (finding.status or str(finding.reply_code or ""))[:1]
        return BounceType.SOFT if klass == "4" else BounceType.HARD
    return BounceType.HARD if reason in HARD else BounceType.SOFT


def _reason(f: Finding) -> tuple[str, str]:
    if f.reason:
        return f.reason, "format"
    if f.action in (Action.DELIVERED, Action.RELAYED, Action.EXPANDED):
        return "delivered", "action"
    text = f.diagnostic
    by_host = rhost.reason(f.remote_mta, f.status, f.reply_code, text)
    if by_host:
        return by_host, "rhost"
    if f.status in status.DEFINITIVE:
        return status.DEFINITIVE[f.status], f"status {f.status}"
    for name in TEXT_ORDER:
        phrases = MODULES[name].PHRASES
        if phrases is not None and text and phrases.search(text):
            return name, f"text:{name}"
    for name, module in MODULES.items():
        if f.status in module.STATUSES:
            return name, f"status {f.status}"
    for name, module in MODULES.items():
        if f.reply_code in module.REPLY_CODES:
            return name, f"reply {f.reply_code}"
    if f.status and f.status[0] == "4" and f.action is Action.FAILED:
        return "expired", "gave up on a transient status"
    return ("onhold", "no rule") if (text or f.status) else ("undefined", "nothing to read")
