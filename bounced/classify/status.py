"""RFC 3463 enhanced status codes and RFC 5321 reply codes: what each says on its own."""

from __future__ import annotations

import re

# Enhanced status codes that name one reason whatever text follows them (RFC 3463, RFC 5248 registry),
# unless the text names one of the reasons in OUTRANKS_STATUS (see classify()).
DEFINITIVE: dict[str, str] = {
    "5.1.1": "userunknown",
    "4.1.1": "userunknown",
    "5.1.2": "hostunknown",
    "5.1.6": "hasmoved",
    "5.1.10": "notaccept",  # RFC 7505 null MX
    "5.7.27": "rejected",  # RFC 7505 section 4.2: the *sender* domain has a null MX
    "5.2.2": "mailboxfull",
    "4.2.2": "mailboxfull",
    "5.3.4": "emailtoolarge",
    "5.2.3": "emailtoolarge",
    "4.3.1": "systemfull",
    "4.4.7": "expired",
    "5.4.7": "expired",
    "5.7.13": "suspend",  # user account disabled
    "5.7.23": "authfailure",  # SPF validation failed
    "5.7.24": "authfailure",  # SPF validation error
    "5.7.26": "authfailure",  # multiple authentication checks failed
    "5.7.25": "requireptr",  # reverse DNS validation failed
    "4.7.25": "requireptr",
    "5.4.6": "networkerror",  # routing loop detected
    "4.4.6": "networkerror",
    "4.7.28": "ratelimited",
    "5.1.8": "rejected",  # bad sender's system address
    "5.1.7": "rejected",  # bad sender's mailbox address syntax
    "4.1.8": "rejected",
}

# Exchange and Office 365 put their own diagnostic code after the status ("550 5.2.3
# RESOLVER.RST.RecipSizeLimit; message too large for this recipient"); it is more precise than both.
EXCHANGE_CODES: dict[str, str] = {
    "resolver.adr.recipnotfound": "userunknown",
    "resolver.adr.exrecipnotfound": "userunknown",
    "resolver.adr.recipientnotfound": "userunknown",
    "resolver.rst.recipsizelimit": "emailtoolarge",
    "resolver.rst.sendsizelimit": "emailtoolarge",
    "resolver.rst.authrequired": "securityerror",
    "resolver.rst.notauthorized": "filtered",
    "resolver.rst.restrictedtorecipientspermission": "filtered",
    "resolver.rst.sendernotauthenticatedforgroup": "filtered",
    "resolver.rst.sendernotauthenticatedformailbox": "filtered",
    "storedrv.deliver.exceptions:quotaexceededexception": "mailboxfull",
    "queue.expired": "expired",
    "transport.rules.rejectmessage": "policyviolation",
}
EXCHANGE_RE = re.compile(r"\b(resolver\.\w+\.\w+|storedrv\.\w+\.exceptions:\w+|queue\.expired|transport\.rules\.\w+)", re.IGNORECASE)

# An enhanced status code in a server's reply: not part of a longer dotted number (an IP address,
# Yahoo's "4.16.55.1"), its subject one digit 0-7 as RFC 3463 defines them (so not a version string
# quoted from a Received header, "Exim 4.94.2", "(8.14.4/8.14.4)"), not after a slash or "version".
STATUS_IN_TEXT = re.compile(r"(?<![\w./])(?<!version )(?<!exim )([45]\.[0-7]\.\d{1,3})(?![\w./]*\d)", re.IGNORECASE)

# The reply that a relay, an ESP or a gateway quotes inside its own ("550 5.0.0 ... remote server said:
# 550 5.7.1 ...", "Remote Server returned '554 5.7.1 ...'", "5.1.351 ... -> 550 5.1.1 ...", "<421 4.4.2
# Connection timed out>", Google's "The response from the remote server was: 550 5.7.1 ..."): the marker
# that introduces it, a reply code, and its enhanced status.
QUOTED_REPLY = re.compile(
    r"(?:said|returned|replied|reply|response|responded|answered|was|->|<|'|\")\s*:?\s*['\"<(\[]?\s*"
    r"[245]\d\d[ -]+([245]\.[0-7]\.\d{1,3})(?![\w./]*\d)",
    re.IGNORECASE,
)
# Statuses that say nothing of their own: "other or undefined", and Sendmail's 5.5.0 on any 550 reply.
GENERIC = frozenset({"5.0.0", "4.0.0", "2.0.0", "5.5.0", "4.5.0"})
# A give-up after retries names its own verdict (spec rule 3): the reply it quotes is the last attempt's.
GAVE_UP = frozenset({"4.4.7", "5.4.7"})

# RFC 5321 section 4.2.3 reply codes, for reports and docs.
REPLY_CODES: dict[int, str] = {
    421: "service not available, closing transmission channel",
    450: "mailbox unavailable (busy or temporarily blocked)",
    451: "local error in processing",
    452: "insufficient system storage",
    455: "server unable to accommodate parameters",
    500: "syntax error, command unrecognized",
    501: "syntax error in parameters or arguments",
    502: "command not implemented",
    503: "bad sequence of commands",
    504: "command parameter not implemented",
    521: "host does not accept mail",
    550: "mailbox unavailable or policy",
    551: "user not local",
    552: "exceeded storage allocation",
    553: "mailbox name not allowed",
    554: "transaction failed",
    556: "domain does not accept mail",
}


def in_text(text: str) -> str | None:
    """The first enhanced status code that the server's own words carry, if any."""
    match = STATUS_IN_TEXT.search(text)
    return match.group(1) if match else None


def innermost(text: str) -> tuple[str | None, bool]:
    """The enhanced status of the innermost reply quoted in ``text``, and whether it was wrapped.

    A relay's or ESP's status around a quoted reply is a summary (spec rule 4): the quoted reply's
    own status decides, unless the wrapper is a give-up after retries. Followed to three levels."""
    outer = in_text(text)
    if outer is None or outer in GAVE_UP:
        return outer, False
    found, start = outer, 0
    for _ in range(3):
        quoted = QUOTED_REPLY.search(text, start)
        if quoted is None:
            break
        found, start = quoted.group(1), quoted.end()
    return found, found != outer


def exchange_reason(text: str) -> str | None:
    """The reason an Exchange diagnostic code in ``text`` names, if any."""
    match = EXCHANGE_RE.search(text)
    return EXCHANGE_CODES.get(match.group(1).lower()) if match else None
