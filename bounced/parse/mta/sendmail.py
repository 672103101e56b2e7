"""Sendmail's plain-text reports (V5, V8 without DSN, and the many MTAs that copy its wording).

"----- The following addresses had permanent fatal errors -----" (or "delivery problems",
"delivery errors", "transient non-fatal errors") lists the addresses, each maybe followed by
"(reason: ...)" or with the reason in parentheses on the same line; "----- Transcript of
session follows -----" gives the SMTP exchange (">>> RCPT To:<addr>", "<<< 550 ...") or
Sendmail's own lines ("550 <addr>... User unknown").  V5 reports may name the recipient
only in the returned message: then its To is the recipient.  A pipe that failed is listed as
``"|command"`` with "(expanded from: <addr>)" below it: the address is the recipient.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bounced.model import Action, Detection
from bounced.parse.mime import ADDRESS_RE, Mail, normalize_address
from bounced.parse.original import sole_recipient
from bounced.parse.textscan import finding_from_text
from bounced.parse.transcript import SECTION_END, SAYS, TRANSCRIPT, failed_command, transcript_of, transcript_reply, whole

PRIORITY = 40

# "(?<!--)": the closing dashes are tried from the first two dashes of a run only, not from each of
# them to the end of the line (cubic in a long run); the same lines match, at most a trailing blank
# or dash of the words differs.
_LISTED = re.compile(r"^[ \t]*-{2,} ?The following addresses? (?:had|has) ([\w -]+?)(?<!--) ?-{2,}[ \t]*$", re.M | re.I)
_ADDRESS = re.compile(r"<?(" + ADDRESS_RE.pattern + r")>?", re.A)
_EXPANDED = re.compile(r"^\(expanded from:?\s*<?([^<>()\s]+@[^<>()\s]+)>?\)$", re.I)
_REASON = re.compile(r"^[(\[]?(?:reason:)?\s*(.*?)[)\]]?$", re.I)


def _section(text: str, header: re.Match[str]) -> str:
    end = SECTION_END.search(text, header.end())
    return text[header.end() : end.start() if end else header.end() + 4000]


def _listed(section: str) -> tuple[dict[str, str], set[str]]:
    """Listed address -> its reason, from the lines under "The following addresses had ...", and
    the addresses whose delivery was a program's (a listed ``"|command"`` expanded from them)."""
    listed: dict[str, str] = {}
    programs: set[str] = set()
    current = None
    program = False  # the last listed entry was a pipe to a program
    for line in section.split("\n"):
        stripped = line.strip().lstrip(">").strip()
        match = _ADDRESS.match(stripped)
        if not line[:1].isspace() and stripped.startswith(('"|', "|")):
            current, program = None, True
        elif program and (expanded := _EXPANDED.match(stripped)) is not None:
            address = normalize_address(expanded.group(1))
            listed.setdefault(address, "")  # the transcript says how the program failed
            programs.add(address)
        elif match is not None and not line[:1].isspace() or (match is not None and current is None):
            program = False
            current = normalize_address(match.group(1))
            rest = stripped[match.end() :].strip()
            rest = _ADDRESS.sub("", rest, count=1).strip() if normalize_address(rest) == current else rest
            listed.setdefault(current, _REASON.match(rest).group(1) if rest else "")
        elif current and stripped.lower().startswith("(reason:"):
            listed[current] = _REASON.match(stripped).group(1)
    return listed, programs


class Sendmail:
    name = "sendmail"

    def detect(self, mail: Mail) -> Detection:
        text = mail.body_text
        listed_at = _LISTED.search(text)
        transcript_at = TRANSCRIPT.search(text)
        if listed_at is None and transcript_at is None:
            return Detection(self.name)
        action = Action.DELAYED if listed_at and "transient" in listed_at.group(1).lower() else Action.FAILED
        listed, programs = _listed(_section(text, listed_at)) if listed_at else ({}, set())
        transcript = transcript_of(text, transcript_at)
        if not listed:
            for line in transcript.split("\n"):
                said = SAYS.match(line.strip())
                if said and line.strip()[:1] in "0123456789>":
                    listed.setdefault(normalize_address(said.group(1)), "")
        if not listed and (sole := sole_recipient(mail)):
            listed = {sole: ""}
        findings = []
        whole_text, whole_command = whole(transcript), failed_command(transcript)
        for address, reason in listed.items():
            said, command = transcript_reply(transcript, address) if not reason else (reason, None)
            if not said and len(listed) == 1:  # the whole transcript is about the only recipient
                said, command = whole_text, whole_command
            finding = finding_from_text(address, said, action)
            # a program the address was expanded to failed: Sendmail states it (mailererror)
            findings.append(replace(finding, command=finding.command or command,
                                    reason="mailererror" if address in programs else None))
        return Detection(self.name, tuple(f for f in findings if f.address))


DETECTOR = Sendmail()
