"""Zoho Mail (mailer-daemon@mail.zoho.com).

Failures: "A message that you sent could not be delivered to one or more of its
recipients." then ``user@example.org Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 ...``.
Delays: a Sendmail-like "----- The following addresses had fatal errors -----" with
``[Status: Error, Address: <user@example.org>, ResponseCode 421, , Host not reachable.]``.
The returned headers follow without a marker, so the report ends at the first header line.
"""

from __future__ import annotations

import re

from bounced.model import Action, Detection
from bounced.parse.mime import Mail, normalize_address
from bounced.parse.textscan import finding_from_text

PRIORITY = 20

_SENDER = re.compile(r"@(?:[\w-]+\.)*zoho(?:mail)?\.(?:com|eu|in|jp)\b", re.I)
_FAILED = re.compile(r"^([^\s@]+@[\w.-]+)\s+(.+)$", re.M)
# The address is the whole word, asked for an "@" once; the words run to the end of the line, less a
# closing "]" (_said). Written "[^\s<>,]+@[^\s<>,]+" and "(.*?)\]?\s*$", each "@" of a long word and
# each blank of a long run was tried to its end (quadratic).
_BRACKETED = re.compile(
    r"^\[Status: *(\w+), *Address: *<?(?=[^\s<>,]*?[^\s<>,]@[^\s<>,])([^\s<>,]++)>?, *(?:ResponseCode *(\d{3}))?[, ]*(.*)$",
    re.M,
)
_HEADERS = re.compile(r"^(?:Received|Message-ID|From|To|Date|Subject) ?:", re.M | re.I)
_RETRY = re.compile(r"will be retried|WARNING MESSAGE ONLY", re.I)


def _said(rest: str) -> str:
    """The words of a bracketed line: the rest of the line without its closing "]" and blanks."""
    rest = rest.rstrip()
    return rest[:-1] if rest.endswith("]") else rest


class Zoho:
    name = "zoho"

    def detect(self, mail: Mail) -> Detection:
        if not _SENDER.search(mail.from_):
            return Detection(self.name)
        text = mail.body_text
        headers = _HEADERS.search(text)
        report = text[: headers.start()] if headers else text
        delayed = _RETRY.search(report) is not None
        findings = []
        for _status, address, code, said in (m.groups() for m in _BRACKETED.finditer(report)):
            action = Action.DELAYED if delayed else Action.FAILED
            findings.append(
                finding_from_text(normalize_address(address), f"{code or ''} {_said(said).strip(', ')}".strip(), action)
            )
        if not findings:
            for address, said in (m.groups() for m in _FAILED.finditer(report)):
                # "<description>, ERROR_CODE :<reply code>, ERROR_CODE :<the server's text>"
                description, *codes = said.split(", ERROR_CODE :")
                said = " ".join(c.strip(" ,") for c in codes if c.strip(" ,")) or description
                findings.append(finding_from_text(normalize_address(address), said))
        return Detection(self.name, tuple(f for f in findings if f.address))


DETECTOR = Zoho()
