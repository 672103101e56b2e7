"""Sendmail's "Transcript of session follows" section, which many DSNs carry beside their fields."""

from __future__ import annotations

import re

from bounced.parse.mime import ADDRESS_RE, normalize_address, returned_text_start

TRANSCRIPT = re.compile(
    r"^[ \t]*-{2,} ?(?:Transcript of (?:the )?session follows|Non-delivered information) ?-{2,}[ \t]*$", re.M | re.I
)
SECTION_END = re.compile(r"^[ \t]*-{2,}|^(?:Reporting-MTA|Received|Return-Path):", re.M | re.I)
# "550 <user@example.org>... User unknown", "554 5.0.0 <user@example.org>... Service unavailable", "<user@example.org>... Deferred: ...", ">>> RCPT To:<...>"
SAYS = re.compile(r"^(?:\d{3} (?:[245]\.\d{1,3}\.\d{1,3} )?|>>> RCPT To:)?<?(" + ADDRESS_RE.pattern + r")>?(?:\.\.\.|,)?\s*(.*)$", re.A | re.I)


def transcript_of(text: str, transcript_at: re.Match[str] | None = None) -> str:
    """The transcript section of a report's text ("" if it has none)."""
    transcript_at = transcript_at or TRANSCRIPT.search(text)
    if transcript_at is None:
        return ""
    transcript = text[transcript_at.end() : returned_text_start(text[transcript_at.end() :]) + transcript_at.end()]
    end = SECTION_END.search(transcript)
    return transcript[: end.start()] if end else transcript


def transcript_about(transcript: str, address: str) -> str:
    """The server's reply to the RCPT of ``address``, or Sendmail's line about it."""
    return transcript_reply(transcript, address)[0]


# ">>> MAIL From:<...>", ">>> DATA", ">>> ." -> the verb the command package reads
_VERBS = {"MAIL": "MAIL", "DATA": "DATA", ".": "DATA", "RCPT": "RCPT", "HELO": "HELO", "EHLO": "HELO", "STARTTLS": "HELO"}
_FAILURE = re.compile(r"^[45]\d\d\b")


def transcript_reply(transcript: str, address: str) -> tuple[str, str | None]:
    """What the transcript says of ``address`` and the SMTP command it answered (None: RCPT or unknown).

    The remote's reply to RCPT TO names the recipient; a reply to the greeting, MAIL FROM or DATA
    does not, and old Sendmail writes it before its own line about each recipient:

        >>> DATA
        <<< 554 5.7.1 Message rejected
        554 5.0.0 <user@example.org>... Service unavailable

    Then that reply is the recipient's (it comes first in the diagnostic) and its command is the phase.
    """
    lines = [line.strip() for line in transcript.split("\n") if line.strip()]
    for i, line in enumerate(lines):
        if line.startswith(">>>") and address in line.lower():
            reply = next((x[3:].strip() for x in lines[i + 1 :] if x.startswith("<<<")), "")
            if _FAILURE.match(reply):
                return reply, None
    command: str | None = "CONNECT"  # replies before any command of ours answer the greeting
    earlier: list[str] = []  # failure replies to the last command, when it named no recipient
    for line in lines:
        if line.startswith(">>>"):
            command, earlier = _verb(line), []
        elif line.startswith("<<<"):
            reply = line[3:].strip()
            if command not in (None, "RCPT") and _FAILURE.match(reply):
                earlier.append(reply)
        elif (said := SAYS.match(line)) and normalize_address(said.group(1)) == address and said.group(2):
            return (" ".join([*earlier, line]), command) if earlier else (line, None)
    return "", None


def _verb(line: str) -> str | None:
    words = line[3:].split(None, 1)
    return _VERBS.get(words[0].upper()) if words else None


def failed_command(transcript: str) -> str | None:
    """The command (MAIL, DATA, CONNECT, ...) that the transcript's last failure reply answered."""
    command: str | None = "CONNECT"
    failed = None
    for line in transcript.split("\n"):
        line = line.strip()
        if line.startswith(">>>"):
            command = _verb(line)
        elif line.startswith("<<<") and _FAILURE.match(line[3:].strip()):
            failed = command
    return failed


def whole(transcript: str) -> str:
    """The transcript's lines but our own commands, as one line."""
    return " ".join(line.strip() for line in transcript.split("\n") if line.strip() and not line.strip().startswith(">>>"))


def transcript_said(transcript: str, address: str, sole: bool) -> tuple[str, str | None]:
    """What the transcript says of ``address``, and the command that failed (None: RCPT or unknown);
    for the report's only recipient the whole of it, since a local mailer's line ("mail.local:
    unknown user") comes before Sendmail's summary."""
    if sole:
        return whole(transcript), failed_command(transcript)
    return transcript_reply(transcript, address)
