"""Which SMTP command a reply answered: the detector's word for it, or the MTA's own wording."""

from __future__ import annotations

from bounced.classify.reasons import phrases

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
    ("CONNECT", phrases(r"after initial connection", r"refused to talk to me", r"greeting failed",
                        r"in reply to (?:the )?(?:initial )?greeting", r"after connect(?:ing)?\b",
                        r"(?:in reply|response) to (?:the )?banner")),
    ("DATA", phrases(r"in reply to (?:end of )?data command", r"after (?:end of )?data\b", r">>> data",
                     r"failed after i sent the message", r"failed on data command", r"\[data\]")),
    ("RCPT", phrases(r"in reply to rcpt to command", r"after rcpt(?: to)?\b", r"does not like recipient", r"\[rcpt_to\]")),
    ("MAIL", phrases(r"in reply to mail from command", r"after mail from\b", r"sender was rejected", r"\[mail_from\]")),
    ("HELO", phrases(r"in reply to (?:helo|ehlo) command", r"after (?:helo|ehlo)\b")),
)


def command_of(named: str | None, text: str) -> str | None:
    """RCPT, MAIL, DATA, CONNECT or HELO, or None when neither the detector nor the text says."""
    if named:
        verb = _NAMES.get(named.split()[0].upper())
        if verb:
            return verb
    lowered = text.lower()  # the wordings are written in lower case (see reasons.Phrases)
    for verb, wording in _WORDING:
        if wording.search(lowered):
            return verb
    return None
