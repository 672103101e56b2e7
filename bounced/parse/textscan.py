"""Read the plain-text reports that MTAs write when they do not send RFC 3464 DSNs.

Most such reports share one shape: an opening sentence, then each failed address on a line of
its own (bare, in angle brackets, or followed by a colon), then the server's words about it,
until the returned message starts.  A Format names the opening and closing lines of one MTA's
report; scan() does the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from bounced.model import Action, Detection, Finding
from bounced.parse.mime import (
    MAX_RECIPIENTS,
    Mail,
    find_addresses,
    find_reply_code,
    find_status,
    normalize_address,
    returned_text_start,
)
from bounced.regexlits import required_literals

# An address that opens a recipient entry: at the start of a line, maybe quoted or bracketed,
# maybe followed by a colon, "...", or text.
_ENTRY = re.compile(
    r"^[ \t]{0,8}(?:RCPT To:|Recipient address:|Recipient:|Original-Recipient:|Failed recipient:|Address:)?[ \t]*"
    r"[<\"(]?(?P<addr>[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+)[>\")]?"
    r"(?:[ \t]+\(expanded from [^()\n]{1,300}\))?"  # Postfix: "<user@example.org> (expanded from <alias@example.org>): ..."
    r"(?P<rest>[ \t]*(?::|\.\.\.|\s-\s|$).*)$",
    re.I,
)
_REMOTE = re.compile(
    r"(?:host|remote (?:host|server)|server|by)\s+\[?([a-z0-9][\w.-]*\.[a-z]{2,}|\d+\.\d+\.\d+\.\d+)\]?(?:\s*\[[\d.:a-f]+\])?\s*(?:said|:|\(|returned)",
    re.I,
)
_COMMAND = re.compile(r"\b(?:after|in reply to(?: end of)?|response to)\s+(RCPT TO|MAIL FROM|DATA|RCPT|MAIL|HELO|EHLO|connect|end of data)", re.I)


@dataclass(frozen=True)
class Format:
    """One MTA's plain-text report: where the recipient list starts and where it ends."""

    start: re.Pattern[str]
    end: re.Pattern[str] | None = None
    action: Action = Action.FAILED
    entry: re.Pattern[str] = field(default=_ENTRY)
    reason: str | None = None  # where the report states it for every address it lists


@dataclass
class _Entry:
    address: str
    lines: list[str]


def scan(text: str, fmt: Format) -> list[Finding]:
    """The recipients of a plain-text report in ``fmt``, with their diagnostics."""
    start = fmt.start.search(text)
    if start is None:
        return []
    body = text[start.end():]
    stop = fmt.end.search(body) if fmt.end else None
    body = body[: stop.start()] if stop else body[: returned_text_start(body)]
    entries = _entries(body.split("\n"), fmt.entry)
    return [replace(_finding(e, fmt.action), reason=fmt.reason) if fmt.reason else _finding(e, fmt.action) for e in entries]


def _entries(lines: list[str], entry_re: re.Pattern[str]) -> list[_Entry]:
    entries: dict[str, _Entry] = {}
    current: _Entry | None = None
    for line in lines:
        match = entry_re.match(line)
        if match is not None:
            address = normalize_address(match.group("addr"))
            if current is None or address != current.address:
                known = entries.get(address)
                if known is not None:
                    current = known
                elif len(entries) >= MAX_RECIPIENTS:
                    current = None  # the rest of the list is not read
                    continue
                else:
                    current = _Entry(address, [])
                    entries[address] = current
                rest = match.group("rest").lstrip(" \t:.").strip()
                if rest:
                    current.lines.append(rest)
                continue
        if current is not None and line.strip():
            current.lines.append(line.strip())
    return list(entries.values())


def _finding(entry: _Entry, action: Action) -> Finding:
    return finding_from_text(entry.address, " ".join(entry.lines), action)


# Characters of a diagnostic read from a report's text. Servers' replies are a line or a few (the
# longest in the development corpus: 920); a report that gives many recipients one text of its
# own (IMail, the bulleted DSN, Gmail) would otherwise have it copied into each of them.
MAX_DIAGNOSTIC = 4000


def finding_from_text(address: str, diagnostic: str, action: Action = Action.FAILED) -> Finding:
    """A Finding for ``address`` whose status, reply code, remote host and command come from text."""
    diagnostic, status, reply_code, remote, command = _reading(diagnostic, action in (Action.FAILED, Action.DELAYED))
    return Finding(
        address=address,
        action=action,
        status=status,
        reply_code=reply_code,
        diagnostic=diagnostic,
        remote_mta=remote,
        command=command,
    )


@lru_cache(maxsize=64)  # one text read once for all the recipients it is about
def _reading(text: str, failure: bool) -> tuple[str, str | None, int | None, str | None, str | None]:
    diagnostic = " ".join(text[: 4 * MAX_DIAGNOSTIC].split())[:MAX_DIAGNOSTIC]
    remote = _REMOTE.search(diagnostic)
    command = _COMMAND.search(diagnostic)
    return (
        diagnostic,
        find_status(diagnostic, failure),
        find_reply_code(diagnostic, failure),
        remote.group(1).lower() if remote else None,
        command.group(1).upper() if command else None,
    )


def addresses_in(text: str) -> list[str]:
    return list(dict.fromkeys(normalize_address(a) for a in find_addresses(text)))


@lru_cache(maxsize=None)
def _needles(start: re.Pattern[str]) -> tuple[str, ...] | None:
    """Lower-cased literals one of which the text must hold for a case-insensitive ``start`` to match."""
    if not start.flags & re.IGNORECASE:
        return None
    needles = required_literals(start.pattern)
    return tuple(n.lower() for n in needles) if needles is not None else None


class TextDetector:
    """A detector for one MTA's plain-text reports: a cheap test on the headers, then its Formats."""

    name = "text"
    formats: tuple[Format, ...] = ()
    # Matched against "From: ...\nSubject: ..." of the report; None means any message.
    sender: re.Pattern[str] | None = None

    def matches(self, mail: Mail) -> bool:
        if self.sender is None:
            return True
        return self.sender.search(mail.sender_line) is not None

    def detect(self, mail: Mail) -> Detection:
        if not self.matches(mail):
            return Detection(self.name)
        text = mail.body_text
        for fmt in self.formats:
            needles = _needles(fmt.start)
            if needles is not None and not any(n in mail.body_lower for n in needles):
                continue  # the opening sentence cannot be there: skip the regex scan of the body
            findings = scan(text, fmt)
            if findings:
                return Detection(self.name, tuple(findings))
        return Detection(self.name)
