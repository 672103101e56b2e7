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
from bounced.parse.original import sole_recipient
from bounced.parse.textscan import finding_from_text
from bounced.parse.transcript import SECTION_END, SAYS, TRANSCRIPT, transcript_about, transcript_of, whole

PRIORITY = 40

# "(?<!--)": the closing dashes are tried from the first two dashes of a run only, not from each of
# them to the end of the line (cubic in a long run); the same lines match, at most a trailing blank
# or dash of the words differs.
_LISTED = re.compile(r"^[ \t]*-{2,} ?The following addresses? (?:had|has) ([\w -]+?)(?<!--) ?-{2,}[ \t]*$", re.M | re.I)
_ADDRESS = re.compile(r"<?(" + ADDRESS_RE.pattern + r")>?", re.A)
_REASON = re.compile(r"^[(\[]?(?:reason:)?\s*(.*?)[)\]]?$", re.I)


def _section(text: str, header: re.Match[str]) -> str:
    end = SECTION_END.search(text, header.end())
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


class Sendmail:
    name = "sendmail"

    def detect(self, mail: Mail) -> Detection:
        text = mail.body_text
        listed_at = _LISTED.search(text)
        transcript_at = TRANSCRIPT.search(text)
        if listed_at is None and transcript_at is None:
            return Detection(self.name)
        action = Action.DELAYED if listed_at and "transient" in listed_at.group(1).lower() else Action.FAILED
        listed = _listed(_section(text, listed_at)) if listed_at else {}
        transcript = transcript_of(text, transcript_at)
        if not listed:
            for line in transcript.split("\n"):
                said = SAYS.match(line.strip())
                if said and line.strip()[:1] in "0123456789>":
                    listed.setdefault(normalize_address(said.group(1)), "")
        if not listed and (sole := sole_recipient(mail)):
            listed = {sole: ""}
        findings = []
        whole_text = whole(transcript)
        for address, reason in listed.items():
            said = reason or transcript_about(transcript, address) or whole_text
            findings.append(finding_from_text(address, said, action))
        return Detection(self.name, tuple(f for f in findings if f.address))


DETECTOR = Sendmail()
