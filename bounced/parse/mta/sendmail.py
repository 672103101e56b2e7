"""Sendmail's plain-text reports (V5, V8 without DSN, and the many MTAs that copy its wording).

"----- The following addresses had permanent fatal errors -----" (or "delivery problems",
"delivery errors", "transient non-fatal errors") lists the addresses, each maybe followed by
"(reason: ...)" or with the reason in parentheses on the same line; "----- Transcript of
session follows -----" gives the SMTP exchange (">>> RCPT To:<addr>", "<<< 550 ...") or
Sendmail's own lines ("550 <addr>... User unknown").  V5 reports may name the recipient
only in the returned message: then its To is the recipient.
"""

from __future__ import annotations

import re

from bounced.model import Action, Detection
from bounced.parse.mime import ADDRESS_RE, Mail, normalize_address
from bounced.parse.original import returned_text_start, sole_recipient
from bounced.parse.textscan import finding_from_text

PRIORITY = 40

_LISTED = re.compile(r"^[ \t]*-{2,} ?The following addresses? (?:had|has) ([\w -]+?) ?-{2,}[ \t]*$", re.M | re.I)
_TRANSCRIPT = re.compile(
    r"^[ \t]*-{2,} ?(?:Transcript of (?:the )?session follows|Non-delivered information) ?-{2,}[ \t]*$", re.M | re.I
)
_SECTION_END = re.compile(r"^[ \t]*-{2,}|^(?:Reporting-MTA|Received|Return-Path):", re.M | re.I)
_ADDRESS = re.compile(r"<?(" + ADDRESS_RE.pattern + r")>?", re.A)
_REASON = re.compile(r"^[(\[]?(?:reason:)?\s*(.*?)[)\]]?$", re.I)
# "550 <user@example.org>... User unknown", "<user@example.org>... Deferred: ...", ">>> RCPT To:<...>"
_SAYS = re.compile(r"^(?:\d{3} |>>> RCPT To:)?<?(" + ADDRESS_RE.pattern + r")>?(?:\.\.\.|,)?\s*(.*)$", re.A | re.I)


def _section(text: str, header: re.Match[str]) -> str:
    end = _SECTION_END.search(text, header.end())
    return text[header.end() : end.start() if end else header.end() + 4000]


def _listed(section: str) -> dict[str, str]:
    """Listed address -> its reason, from the lines under "The following addresses had ..."."""
    listed: dict[str, str] = {}
    current = None
    for line in section.split("\n"):
        stripped = line.strip().lstrip(">").strip()
        match = _ADDRESS.match(stripped)
        if match is not None and not line[:1].isspace() or (match is not None and current is None):
            current = normalize_address(match.group(1))
            rest = stripped[match.end() :].strip()
            rest = _ADDRESS.sub("", rest, count=1).strip() if normalize_address(rest) == current else rest
            listed.setdefault(current, _REASON.match(rest).group(1) if rest else "")
        elif current and stripped.lower().startswith("(reason:"):
            listed[current] = _REASON.match(stripped).group(1)
    return listed


def _transcript_about(transcript: str, address: str) -> str:
    """The server's reply to the RCPT of ``address``, or Sendmail's line about it."""
    lines = [line.strip() for line in transcript.split("\n") if line.strip()]
    for i, line in enumerate(lines):
        if line.startswith(">>>") and address in line.lower():
            replies = [x[3:].strip() for x in lines[i + 1 :] if x.startswith("<<<")][:1]
            if replies:
                return replies[0]
    for line in lines:
        said = _SAYS.match(line)
        if said and normalize_address(said.group(1)) == address and said.group(2):
            return line
    return ""


class Sendmail:
    name = "sendmail"

    def detect(self, mail: Mail) -> Detection:
        text = mail.body_text
        listed_at = _LISTED.search(text)
        transcript_at = _TRANSCRIPT.search(text)
        if listed_at is None and transcript_at is None:
            return Detection(self.name)
        action = Action.DELAYED if listed_at and "transient" in listed_at.group(1).lower() else Action.FAILED
        listed = _listed(_section(text, listed_at)) if listed_at else {}
        transcript = (
            text[transcript_at.end() : returned_text_start(text[transcript_at.end() :]) + transcript_at.end()]
            if transcript_at
            else ""
        )
        transcript = (
            transcript[: _SECTION_END.search(transcript).start()] if _SECTION_END.search(transcript) else transcript
        )
        if not listed:
            for line in transcript.split("\n"):
                said = _SAYS.match(line.strip())
                if said and line.strip()[:1] in "0123456789>":
                    listed.setdefault(normalize_address(said.group(1)), "")
        if not listed and (sole := sole_recipient(mail)):
            listed = {sole: ""}
        findings = []
        whole = " ".join(
            line.strip() for line in transcript.split("\n") if line.strip() and not line.strip().startswith(">>>")
        )
        for address, reason in listed.items():
            said = reason or _transcript_about(transcript, address) or whole
            findings.append(finding_from_text(address, said, action))
        return Detection(self.name, tuple(f for f in findings if f.address))


DETECTOR = Sendmail()
