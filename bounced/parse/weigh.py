"""A hard verdict weighed against the report's own words (spec/reasons.md, rule 7).

A standard DSN carries two accounts of one failure: its delivery-status fields and the notice a
person reads above them. Where the notice states a cause about a mailbox that exists (full,
out of space, too large, disabled) and says nothing of an address that does not, the report
contradicts itself about the recipient; the evidence is ambiguous, so the verdict is soft and
the notice's cause is the reason.
"""

from __future__ import annotations

from dataclasses import replace

from bounced.classify import classify
from bounced.classify.reasons import MODULES
from bounced.model import Action, BounceType, Finding, Recipient

# Causes of a notice that say the mailbox exists
EXISTING_MAILBOX = frozenset({"mailboxfull", "systemfull", "emailtoolarge", "suspend"})
NOTICE_LIMIT = 2000  # characters of the notice read: its opening states the cause


def weighed(recipients: tuple[Recipient, ...], notice: str) -> tuple[Recipient, ...]:
    """``recipients``, the sole one made soft where the notice contradicts its hard verdict."""
    if len(recipients) != 1 or recipients[0].bounce_type is not BounceType.HARD:
        return recipients
    (recipient,) = recipients
    notice = " ".join(notice[:NOTICE_LIMIT].split())
    lowered = notice.lower()
    if not notice or MODULES[recipient.reason].PHRASES.search(lowered):
        return recipients  # the notice says what the fields say
    if not any(MODULES[name].PHRASES.search(lowered) for name in EXISTING_MAILBOX):
        return recipients  # (a few substring tests; most notices name no such cause)
    said, bounce_type, rule = classify(Finding(recipient.address, action=Action.FAILED, diagnostic=notice))
    if said not in EXISTING_MAILBOX or bounce_type is not BounceType.SOFT or not rule.startswith("text:"):
        return recipients
    return (replace(recipient, reason=said, bounce_type=BounceType.SOFT,
                    rule=f"notice says {said}, against {recipient.rule}: ambiguous, soft"),)
