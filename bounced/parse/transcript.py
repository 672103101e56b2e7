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


# ">>> MAIL From:<...>", ">>> DATA", ">>> ." -> the verb the command package reads
_VERBS = {"MAIL": "MAIL", "DATA": "DATA", ".": "DATA", "RCPT": "RCPT", "HELO": "HELO", "EHLO": "HELO", "STARTTLS": "HELO"}
_FAILURE = re.compile(r"^[45]\d\d\b")
# Failure replies to one command kept for the recipient line after them (a reply to DATA, say):
# Sendmail writes one or two; more is a hostile transcript, and each recipient would copy them all.
_EARLIER_KEPT = 4


@dataclass(frozen=True)
class _Index:
    """A transcript read once for all the recipients it is asked about."""

    sent: str  # our commands (">>>" lines), lower-cased, one per line
    sent_at: list[int]  # where each starts in ``sent``
    replies: list[str | None]  # the first "<<<" reply after each command, if any
    says: dict[str, tuple[str, str | None]]  # address -> (Sendmail's first line about it, with the replies before it; phase)


@lru_cache(maxsize=4)
def _index(transcript: str) -> _Index:
    lines = [line.strip() for line in transcript.split("\n") if line.strip()]
    sent = [(i, line.lower()) for i, line in enumerate(lines) if line.startswith(">>>")]
    replies: list[str | None] = []
    reply: str | None = None
    commands = iter(reversed(sent))
    command_at = next(commands, None)
    for i in range(len(lines) - 1, -1, -1):  # backwards: the reply after each command is the last one seen
        while command_at is not None and command_at[0] == i:
            replies.append(reply)
            command_at = next(commands, None)
        if lines[i].startswith("<<<"):
            reply = lines[i][3:].strip()
    replies.reverse()
    starts, at = [], 0
    for _, line in sent:
        starts.append(at)
        at += len(line) + 1
    return _Index("\n".join(line for _, line in sent), starts, replies, _says(lines))


def _says(lines: list[str]) -> dict[str, tuple[str, str | None]]:
    """For each address, Sendmail's first line about it, after the failure replies to the command
    before it when that command named no recipient (MAIL FROM, DATA, the greeting), and that phase."""
    says: dict[str, tuple[str, str | None]] = {}
    command: str | None = "CONNECT"  # replies before any command of ours answer the greeting
    earlier: list[str] = []
    for line in lines:
        if line.startswith(">>>"):
            command, earlier = _verb(line), []
        elif line.startswith("<<<"):
            reply = line[3:].strip()
            if command not in (None, "RCPT") and _FAILURE.match(reply) and len(earlier) < _EARLIER_KEPT:
                earlier.append(reply)
        elif (said := SAYS.match(line)) and said.group(2):
            says.setdefault(normalize_address(said.group(1)), (" ".join([*earlier, line]), command) if earlier else (line, None))
    return says


def transcript_about(transcript: str, address: str) -> str:
    """The server's reply to the RCPT of ``address``, or Sendmail's line about it."""
    return transcript_reply(transcript, address)[0]


def transcript_reply(transcript: str, address: str) -> tuple[str, str | None]:
    """What the transcript says of ``address`` and the SMTP command it answered (None: RCPT or unknown).

    The remote's reply to RCPT TO names the recipient; a reply to the greeting, MAIL FROM or DATA
    does not, and old Sendmail writes it before its own line about each recipient:

        >>> DATA
        <<< 554 5.7.1 Message rejected
        554 5.0.0 <user@example.org>... Service unavailable

    Then that reply is the recipient's (it comes first in the diagnostic) and its command is the phase.
    The transcript is indexed once (_index), so a report with many recipients stays linear.
    """
    index = _index(transcript)
    at = index.sent.find(address) if index.sent_at else -1
    while at >= 0:  # our commands naming the address, in order: the first whose reply failed
        reply = index.replies[bisect_right(index.sent_at, at) - 1]
        if reply is not None and _FAILURE.match(reply):
            return reply, None
        line_end = index.sent.find("\n", at)
        at = index.sent.find(address, line_end) if line_end >= 0 else -1
    return index.says.get(address, ("", None))


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
