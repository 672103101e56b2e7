"""Which SMTP command a reply answered: the detector's word for it, or the MTA's own wording."""

from __future__ import annotations

import re

# The detector's names ("RCPT TO", "END OF DATA", "connect", ...) -> RFC 5321 verbs.
_NAMES = {
    "RCPT": "RCPT", "MAIL": "MAIL", "DATA": "DATA", "END": "DATA", "BDAT": "DATA",
    "CONNECT": "CONNECT", "INITIAL": "CONNECT", "GREETING": "CONNECT", "BANNER": "CONNECT",
    "HELO": "HELO", "EHLO": "HELO", "STARTTLS": "HELO", "AUTH": "HELO",
}

# How MTAs say it: Postfix "(in reply to end of DATA command)", Exim "SMTP error from remote mail
# server after RCPT TO:", qmail "does not like recipient" / "failed after I sent the message" /
# "but sender was rejected", Yahoo "[RCPT_TO]", Sendmail transcripts ">>> DATA".
_WORDING = (
    ("CONNECT", re.compile(r"after initial connection|refused to talk to me|greeting failed|in reply to (?:the )?(?:initial )?greeting"
                           r"|after connect(?:ing)?\b|(?:in reply|response) to (?:the )?banner", re.IGNORECASE)),
    ("DATA", re.compile(r"in reply to (?:end of )?data command|after (?:end of )?data\b|>>> data"
                        r"|failed after i sent the message|failed on data command|\[data\]", re.IGNORECASE)),
    ("RCPT", re.compile(r"in reply to rcpt to command|after rcpt(?: to)?\b|does not like recipient|\[rcpt_to\]", re.IGNORECASE)),
    ("MAIL", re.compile(r"in reply to mail from command|after mail from\b|sender was rejected|\[mail_from\]", re.IGNORECASE)),
    ("HELO", re.compile(r"in reply to (?:helo|ehlo) command|after (?:helo|ehlo)\b", re.IGNORECASE)),
)


def command_of(named: str | None, text: str) -> str | None:
    """RCPT, MAIL, DATA, CONNECT or HELO, or None when neither the detector nor the text says."""
    if named:
        verb = _NAMES.get(named.split()[0].upper())
        if verb:
            return verb
    for verb, pattern in _WORDING:
        if pattern.search(text):
            return verb
    return None
