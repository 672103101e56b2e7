"""RFC 3463 enhanced status codes and RFC 5321 reply codes: what each says on its own."""

from __future__ import annotations

# Enhanced status codes that name one reason whatever text follows them (RFC 3463, RFC 5248 registry).
DEFINITIVE: dict[str, str] = {
    "5.1.1": "userunknown",
    "4.1.1": "userunknown",
    "5.1.2": "hostunknown",
    "5.1.6": "hasmoved",
    "5.1.10": "notaccept",  # RFC 7505 null MX
    "5.7.27": "notaccept",  # RFC 7505: sender domain has null MX
    "5.2.2": "mailboxfull",
    "4.2.2": "mailboxfull",
    "5.3.4": "mesgtoobig",
    "5.2.3": "exceedlimit",
    "4.3.1": "systemfull",
    "4.4.7": "expired",
    "5.4.7": "expired",
    "5.7.23": "authfailure",  # SPF validation failed
    "5.7.24": "authfailure",  # SPF validation error
    "5.7.26": "authfailure",  # multiple authentication checks failed
    "5.7.25": "requireptr",  # reverse DNS validation failed
    "4.7.25": "requireptr",
    "5.4.6": "networkerror",  # routing loop detected
    "4.4.6": "networkerror",
    "4.7.28": "speeding",
    "5.1.8": "rejected",  # bad sender's system address
}

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
