"""Whether a reply is about the sender: it answered the connection, HELO or MAIL FROM, or it names
the envelope sender's address or domain (spec/reasons.md rule 6)."""

from __future__ import annotations

import re

from bounced.model import Finding

# Where a transcript or a log line names the sender only to say what was sent ("MAIL FROM:<x>",
# Postfix's "from=<x>"): that is not the reply naming it.
_ENVELOPE_WORDS = re.compile(r"from[:=]\s*<?\s*$|envelope-from\s*<?\s*$")
# A reply about the sender's address or domain in any server's words: "Sender address rejected", "sender
# domain has no MX record", "Domain of sender address x does not exist", "sender's domain is unknown".
_ABOUT_SENDER = re.compile(
    r"\b(?:sender|sender'?s|envelope sender|return[- ]path|mail from)(?: e-?mail)? (?:address|domain)\b[^.;]{0,40}?"
    r"(?:rejected|refused|denied|blocked|unknown|not found|(?:does not|doesn'?t) exist|invalid|not valid|not allowed|no mx|has no)"
    r"|\bdomain of sender address\b|\bsender verif(?:y|ication) failed"
    # the client's own address ("550 Your e-mail address is invalid", "Your address has been blocked"): the
    # SMTP client is the sender's side
    r"|\byour (?:e-?mail |sender |from )?address\b[^.;]{0,30}?(?:rejected|refused|denied|blocked|unknown|not found|(?:does not|doesn'?t) exist|invalid|not valid|not allowed|blacklisted)"
    # "No MX record for sender domain x", "cannot resolve the MX of the sender's domain"
    r"|\b(?:for|of) (?:the )?(?:sender|sender'?s|envelope sender|mail from|return[- ]path)(?: e-?mail)? (?:address|domain)\b"
)
# Where a report's copy of the returned message (or of its header) starts inside the diagnostic.
_COPY = re.compile(
    r"original message follows|message (?:text|header)s? follows|copy of the (?:original )?message"
    r"|\b(?:received|return-path|from|to|message-id|subject|date):\s"
)
# A reply code at the start of a reply: a success (2xx, 3xx) or a failure (4xx, 5xx).
_SUCCESS = re.compile(r"(?<![\w.-])[23]\d\d[ -]")
_FAILURE = re.compile(r"(?<![\w.-])[45]\d\d[ -]")
# Reasons about the recipient's address or mailbox: a refusal of the sender is never one of them.
ABOUT_RECIPIENT = frozenset({"userunknown", "hostunknown", "hasmoved", "notaccept", "suppressed", "mailboxfull", "suspend", "filtered"})


def refused(command: str | None) -> str | None:
    """The reason a refusal at ``command`` gives when the words name nothing about the sender."""
    if command in ("CONNECT", "HELO"):
        return "blocked"  # the client host or its HELO name
    if command == "MAIL":
        return "rejected"  # the envelope sender
    return None


def spoken_of(text: str) -> bool:
    """Whether the (lower-cased) reply says that the sender's address or domain is what it refuses."""
    return _ABOUT_SENDER.search(_failing_reply(text)) is not None


def named(finding: Finding, text: str) -> bool:
    """Whether the (lower-cased) reply names one of the original's senders, their address or domain,
    where that is not also the recipient's. The copy of the message that some reports append to the
    reply ("Original message follows", its Received and From fields) is not read."""
    if not finding.senders or not text:
        return False
    text = _failing_reply(text)
    recipient = finding.address.lower()
    own_domain = recipient.rpartition("@")[2]
    for sender in finding.senders:
        sender = sender.lower()
        if not sender or sender == recipient:
            continue
        if _mentioned(text, sender):
            return True
        domain = sender.rpartition("@")[2]
        if domain and "." in domain and domain != own_domain and _mentioned(text.replace(recipient, ""), domain, whole=True):
            return True
    return False


def _mentioned(text: str, needle: str, whole: bool = False) -> bool:
    start = text.find(needle)
    while start >= 0:
        end = start + len(needle)
        bounded = not whole or (_edge(text, start - 1) and _edge(text, end, after=True))
        if bounded and not _ENVELOPE_WORDS.search(text[max(0, start - 16):start]):
            return True
        start = text.find(needle, end)
    return False


def _edge(text: str, i: int, after: bool = False) -> bool:
    """Whether position ``i`` is outside a host name: a domain "example.org" is not "mx.example.org"
    nor "example.org.uk"; "x@example.org" is another address at the domain, which the reply may be
    about (a recipient that forwards there), so it does not name the sender."""
    if i < 0 or i >= len(text):
        return True
    c = text[i]
    if c.isalnum() or c in "-_":
        return False
    if c == ".":
        return after and not (i + 1 < len(text) and text[i + 1].isalnum())
    return c != "@"


def _failing_reply(text: str) -> str:
    """The reply that refused, without the copy of the message after it, nor the successful replies a
    transcript quotes before it ("<<< 250 2.1.0 <news@example.com>... Sender ok" names the sender to
    accept it)."""
    end = _copy_start(text)
    failure = _FAILURE.search(text, 0, end)
    start = failure.start() if failure and _SUCCESS.search(text, 0, failure.start()) else 0
    return text[start:end]


def _copy_start(text: str) -> int:
    found = _COPY.search(text)
    return found.start() if found else len(text)
