"""Sendmail's "Transcript of session follows" section, which many DSNs carry beside their fields."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

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


@dataclass(frozen=True)
class _Index:
    """A transcript read once for all the recipients it is asked about."""

    sent: str  # our commands (">>>" lines), lower-cased, one per line
    sent_at: list[int]  # where each starts in ``sent``
    replies: list[str | None]  # the first "<<<" reply after each command, if any
    says: dict[str, str]  # address -> the first line that says something of it (SAYS)


@lru_cache(maxsize=4)
def _index(transcript: str) -> _Index:
    lines = [line.strip() for line in transcript.split("\n") if line.strip()]
    sent = [(i, line.lower()) for i, line in enumerate(lines) if line.startswith(">>>")]
    replies: list[str | None] = []
    reply: str | None = None
    commands = iter(reversed(sent))
    command = next(commands, None)
    for i in range(len(lines) - 1, -1, -1):  # backwards: the reply after each command is the last one seen
        while command is not None and command[0] == i:
            replies.append(reply)
            command = next(commands, None)
        if lines[i].startswith("<<<"):
            reply = lines[i][3:].strip()
    replies.reverse()
    starts, at = [], 0
    for _, line in sent:
        starts.append(at)
        at += len(line) + 1
    says: dict[str, str] = {}
    for line in lines:
        said = SAYS.match(line)
        if said and said.group(2):
            says.setdefault(normalize_address(said.group(1)), line)
    return _Index("\n".join(line for _, line in sent), starts, replies, says)


def transcript_about(transcript: str, address: str) -> str:
    """The server's reply to the RCPT of ``address``, or Sendmail's line about it."""
    index = _index(transcript)
    at = index.sent.find(address) if index.sent_at else -1
    if at >= 0:
        # the first reply after our first command naming the address (none after it: none after a later one)
        reply = index.replies[bisect_right(index.sent_at, at) - 1]
        if reply is not None:
            return reply
    return index.says.get(address, "")


def whole(transcript: str) -> str:
    """The transcript's lines but our own commands, as one line."""
    return " ".join(line.strip() for line in transcript.split("\n") if line.strip() and not line.strip().startswith(">>>"))


def transcript_said(transcript: str, address: str, sole: bool) -> str:
    """What the transcript says of ``address``; for the report's only recipient the whole of it,
    since a local mailer's line ("mail.local: unknown user") comes before Sendmail's summary."""
    return whole(transcript) if sole else transcript_about(transcript, address)
