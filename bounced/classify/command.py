"""Which SMTP command a reply answered: the detector's word for it, or the MTA's own wording."""

from __future__ import annotations

import re

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
    ("RCPT", phrases(r"in reply to rcpt to command", r"after (?:pipelined )?rcpt(?: to)?\b", r"does not like recipient", r"\[rcpt_to\]")),
    ("MAIL", phrases(r"in reply to mail from command", r"after (?:pipelined )?mail from\b", r"sender was rejected",
                     r"\[mail_from\]")),
    # qmail: "Connected to 192.0.2.1 but my name was rejected."
    ("HELO", phrases(r"in reply to (?:helo|ehlo) command", r"after (?:helo|ehlo)\b", r"but my name was rejected")),
)


def command_of(named: str | None, text: str) -> str | None:
    """RCPT, MAIL, DATA, CONNECT or HELO, or None when neither the detector nor the text says."""
    if named:
        verb = _NAMES.get(named.split()[0].upper())
        if verb:
            return verb
    lowered = text.lower()  # the wordings are written in lower case (see reasons.Phrases)
    by_transcript = _transcript(lowered)
    if by_transcript:
        return by_transcript
    for verb, wording in _WORDING:
        if wording.search(lowered):
            return verb
    return None


# A Sendmail or Courier transcript: ">>> MAIL From:<x> SIZE=1" then "<<< 553 5.1.8 ...". The command
# is the last one sent before the first failing reply.
_SENT = re.compile(r">>> ?(mail from|rcpt to|data|helo|ehlo)\b")
_FAILED = re.compile(r"<<< ?[45]\d\d\b")


def _transcript(lowered: str) -> str | None:
    failed = _FAILED.search(lowered) if ">>>" in lowered else None
    if failed is None:
        return None
    sent = [m.group(1) for m in _SENT.finditer(lowered, 0, failed.start())]
    return _NAMES.get(sent[-1].split()[0].upper()) if sent else None
