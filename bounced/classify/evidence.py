"""Whether a hard reading has evidence about the recipient (spec/reasons.md rule 7): the checks that
turn a hard reason's words or status into soft where the reply is about something else."""

from __future__ import annotations

import re

from bounced.classify import sender, status
from bounced.classify.reasons import HARD, MODULES
from bounced.model import Finding

# Reasons whose words, beside a hard status, say the reply was not about the recipient's mailbox:
# "550 5.1.1 <x>... No such user here (relaying denied)" is a server that is not the recipient's, and
# "550 5.1.1 <x>: Recipient address rejected: Sender is not allowed to send to this recipient" refuses
# the sender.
NOT_THE_MAILBOX = frozenset({"norelaying", "blocked", "requireptr", "authfailure", "rejected", "securityerror"})
# Reasons about the sender's own side (its credentials, its address), ordered after the hard reasons in
# TEXT_ORDER: a reply that uses their words and a hard reason's ("535 5.7.8 Error: authentication
# failed: no such user", a relay refusing the sender's SASL login) is not about the recipient.
_SENDER_SIDE = ("securityerror", "rejected")
# RFC 4954's reply codes answer AUTH only: "535 5.7.0 Account not found" is the sender's login.
_AUTH_CODES = frozenset({530, 534, 535, 538})
_AUTH_REPLY = re.compile(r"\s*(?:smtp;\s*)?53[0458][ -]")
# Postfix's reject_unverified_recipient reports its probe's result under its own status ("550 5.1.1
# <x>: Recipient address rejected: undeliverable address: connect to ...: Connection refused").
_VERIFY_PROBE = re.compile(r"(?:unverified|undeliverable) address: ")
# A header check of the original's From ("Invalid domain in From: header", "header From: domain does
# not exist"): the author's domain, not the recipient's.
_HEADER_FROM = re.compile(r"\bheader:? from\b|\bfrom:? header\b|\bdomain of the from\b")
# Exchange Online's directory-based edge blocking uses Postfix's default words for an access(5) REJECT
# on a recipient ("Recipient address rejected: Access denied", a per-recipient rule): only Microsoft's
# marks (its 5.4.1 status, the AS(201806281) tag, an outlook.com host) make them a directory verdict.
_MICROSOFT = re.compile(r"as\(201806281\)|\.outlook\.com\b")
_LEADING_CODE = re.compile(r"\s*(?:smtp;\s*)?([245])\d\d\b")


def doubtful_status(code: str, lowered: str, text: str, said: str | None) -> bool:
    """Whether a hard status needs the reason's own words too: a temporary code; the status of Postfix's
    address verification, a wrapper of its probe's result; or a status that only the report's Status
    field gives (the reply's words carry none) while the words name another reason: the reporting
    MTA's reading of a bare reply code, weaker than the server's words."""
    return (
        code[0] == "4"
        or _VERIFY_PROBE.search(lowered) is not None
        or (said is not None and status.in_text(text) is None)
    )


def doubted(said: str, f: Finding, text: str) -> tuple[str, str] | None:
    """The soft reading of hard words ``said`` that a reply about the sender's side uses, if it is one."""
    if said not in HARD:
        return None
    if f.reply_code in _AUTH_CODES or _AUTH_REPLY.match(text):
        return "securityerror", f"text:{said} in a reply to AUTH (RFC 4954 530/534/535/538): the sender's login"
    for other in _SENDER_SIDE:
        # (a reply about the sender's address is left to classify's last step, whose rule says so)
        if MODULES[other].PHRASES.search(text) and not (other == "rejected" and sender.spoken_of(text)):
            return other, f"text:{other}, beside {said}'s words (spec rule 7)"
    if said in ("hostunknown", "userunknown") and _HEADER_FROM.search(text):
        return "rejected", f"text:{said} about the From header's address or domain"
    return None


def ambiguous_unknown(f: Finding, text: str, code: str | None, command: str | None) -> tuple[str, str] | None:
    """What an ambiguous refusal of the recipient ("550 Requested action not taken: mailbox
    unavailable") says: the address is unknown on a 5xx reply at RCPT or at a phase nobody names with
    no status, or an addressing (X.1.x) or generic one; a busy mailbox on a 4xx; else nothing."""
    if command not in (None, "RCPT") or not text or not MODULES["userunknown"].AMBIGUOUS.search(text):
        return None
    if code and code[2:4] != "1." and code not in status.GENERIC:
        return None
    klass = reply_class(f, text, code)
    if klass == "4":
        return "onhold", "text:userunknown with a 4xx code: RFC 5321's busy or temporarily blocked mailbox"
    if klass == "5":
        return "userunknown", "text:userunknown, RFC 5321's mailbox unavailable on a 5xx at RCPT"
    return None


def reply_class(f: Finding, text: str, code: str | None) -> str:
    """The class of the reply: its status's, its reply code's, or the code the text starts with."""
    if code:
        return code[:1]
    if f.reply_code:
        return str(f.reply_code)[:1]
    leading = _LEADING_CODE.match(text)
    return leading.group(1) if leading else ""


def microsoft(f: Finding, lowered: str, code: str | None) -> bool:
    """Whether Microsoft's own marks are on the reply (for its directory-based edge blocking)."""
    return code in ("5.4.1", "4.4.1") or _MICROSOFT.search(lowered + " " + (f.remote_mta or "").lower()) is not None
