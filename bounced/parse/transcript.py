"""Sendmail's "Transcript of session follows" section, which many DSNs carry beside their fields."""

from __future__ import annotations

import re

from bounced.parse.mime import ADDRESS_RE, normalize_address, returned_text_start

TRANSCRIPT = re.compile(
    r"^[ \t]*-{2,} ?(?:Transcript of (?:the )?session follows|Non-delivered information) ?-{2,}[ \t]*$", re.M | re.I
)
SECTION_END = re.compile(r"^[ \t]*-{2,}|^(?:Reporting-MTA|Received|Return-Path):", re.M | re.I)
# "550 <user@example.org>... User unknown", "<user@example.org>... Deferred: ...", ">>> RCPT To:<...>"
SAYS = re.compile(r"^(?:\d{3} |>>> RCPT To:)?<?(" + ADDRESS_RE.pattern + r")>?(?:\.\.\.|,)?\s*(.*)$", re.A | re.I)


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
    lines = [line.strip() for line in transcript.split("\n") if line.strip()]
    for i, line in enumerate(lines):
        if line.startswith(">>>") and address in line.lower():
            replies = [x[3:].strip() for x in lines[i + 1 :] if x.startswith("<<<")][:1]
            if replies:
                return replies[0]
    for line in lines:
        said = SAYS.match(line)
        if said and normalize_address(said.group(1)) == address and said.group(2):
            return line
    return ""


def whole(transcript: str) -> str:
    """The transcript's lines but our own commands, as one line."""
    return " ".join(line.strip() for line in transcript.split("\n") if line.strip() and not line.strip().startswith(">>>"))


def transcript_said(transcript: str, address: str, sole: bool) -> str:
    """What the transcript says of ``address``; for the report's only recipient the whole of it,
    since a local mailer's line ("mail.local: unknown user") comes before Sendmail's summary."""
    return whole(transcript) if sole else transcript_about(transcript, address)
