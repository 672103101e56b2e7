"""Find what a report carries of the message that bounced: its headers, Message-ID, From, Subject."""

from __future__ import annotations

import re
from email.message import Message

from bounced.model import Original
from bounced.parse.mime import Mail, decode_header, find_addresses, headers_from_text, normalize_address, part_text

_HEADER_START = re.compile(r"^(?:Return-Path|Received|From|Message-I[dD]|Date|To|Subject|X-[\w-]+|DKIM-Signature|MIME-Version|Content-Type):", re.M | re.I)


def returned_headers(mail: Mail) -> Message | None:
    """The headers of the returned message, from a MIME part or from quoted text."""
    for ctype, part in mail.parts_with_types:
        if ctype in ("message/rfc822", "message/global"):
            payload = part.get_payload()
            if isinstance(payload, list) and payload and isinstance(payload[0], Message):
                inner = payload[0]
                if len(inner.keys()) == 0 and not isinstance(inner.get_payload(), list):
                    return headers_from_text(str(inner.get_payload()))  # encoded original
                return inner
            return headers_from_text(part_text(part))
        if ctype in ("text/rfc822-headers", "message/rfc822-headers", "message/global-headers"):
            return headers_from_text(part_text(part))
    return _quoted_headers(mail)


def _quoted_headers(mail: Mail) -> Message | None:
    marker = mail.returned_marker
    if marker is None:
        return None
    rest = mail.body_text[marker.end():]
    start = _HEADER_START.search(rest)
    if start is None or start.start() > 2000:
        return None
    block = rest[start.start():]
    lines = []
    for line in block.split("\n"):
        if not line.strip():
            break
        lines.append(line.lstrip() if lines and not line[:1].isspace() else line)
    return headers_from_text("\n".join(lines) + "\n")


def sole_recipient(mail: Mail) -> str | None:
    """The one address the returned message was sent to (To and Cc), when there is exactly one.

    For reports that name no recipient (Sendmail V5, DSNs without recipient blocks): with one
    address the recipient is certain; with several it is a guess, and we do not guess.
    """
    headers = returned_headers(mail)
    if headers is None:
        return None
    found = {normalize_address(a) for name in ("To", "Cc") for a in find_addresses(decode_header(headers.get(name)))}
    found.discard("")
    return found.pop() if len(found) == 1 else None


def describe(headers: Message | None, envelope_id: str | None = None) -> Original:
    if headers is None:
        return Original(envelope_id=envelope_id)
    fields = _first_fields(headers, ("message-id", "from", "subject", "to"))
    message_id = decode_header(fields.get("message-id")) or None
    if message_id:
        message_id = message_id.split()[0]
    return Original(
        message_id=message_id,
        envelope_id=envelope_id,
        from_=normalize_address(decode_header(fields.get("from"))) or None,
        subject=decode_header(fields.get("subject")) or None,
        to=decode_header(fields.get("to")) or None,
    )


def _first_fields(headers: Message, names: tuple[str, ...]) -> dict[str, object]:
    """What ``headers.get(name)`` gives for each of the (lower-case) ``names`` that is there, in one
    pass over the fields: Message.get lower-cases every name before the one it looks for, each call."""
    found: dict[str, object] = {}
    for name, value in headers._headers:
        key = name.lower()
        if key in names and key not in found:
            found[key] = headers.policy.header_fetch_parse(name, value)
    return found
