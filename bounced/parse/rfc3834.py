"""RFC 3834 automatic responses: vacation, out-of-office and challenge-response mail; never bounces."""

from __future__ import annotations

import re

from bounced.model import Action, Detection, Finding, Kind
from bounced.parse.mime import Mail, normalize_address

_SUBJECT = re.compile(
    r"^(?:auto(?:matic)?[ -]?(?:reply|response|antwort)|auto:|out of (?:the )?office|vacation|"
    r"abwesenheitsnotiz|r[ée]ponse automatique|on vacation|away from (?:the|my) office|"
    r"please confirm your (?:message|e-?mail)|confirm your message|spam protection)",
    re.I,
)
# Headers that auto-responders set (RFC 3834 section 5; Microsoft, Apple and common vacation programs).
_MARKERS = ("X-Autoreply", "X-Autorespond", "X-Apple-Action", "X-Vacation")
_SENDER_DAEMON = re.compile(r"mailer-daemon|postmaster|mail delivery", re.I)


class RFC3834:
    """Auto-replies: the away recipient is the message's From."""

    name = "rfc3834"

    def detect(self, mail: Mail) -> Detection:
        msg = mail.msg
        if mail.content_type == "multipart/report" or _SENDER_DAEMON.search(mail.from_):
            return Detection(self.name)
        auto = mail.header("Auto-Submitted").lower()
        precedence = mail.header("Precedence").lower()
        marked = (
            auto.startswith("auto-replied")
            or precedence in ("auto_reply", "auto-reply")
            or any(msg.get(name) for name in _MARKERS)
            or mail.header("X-Auto-Response-Suppress") != "" and _SUBJECT.search(mail.subject) is not None
        )
        if not marked and not _SUBJECT.search(mail.subject):
            return Detection(self.name)
        address = normalize_address(mail.header("From")) or normalize_address(mail.header("Return-Path"))
        if not address:
            return Detection(self.name)
        finding = Finding(address=address, action=Action.DELIVERED, diagnostic=mail.subject, reason="vacation")
        return Detection(self.name, (finding,), kind=Kind.AUTOREPLY)


DETECTOR = RFC3834()
