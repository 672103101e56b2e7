"""The decoding edges: bytes, header values, part bodies and dates to text, each failing soft.

A bounce often carries one broken thing (an encoded word with bad base64, a charset that is NUL,
unknown or a codec that is no charset at all, 8-bit bytes in a header, a date in year 9999) beside
a report that reads fine.  Whatever cannot be decoded here degrades that one value (kept as it
came, or None for a date), never the message.  Every function is linear in its input.
"""

from __future__ import annotations

import binascii
import codecs
import email.utils
import re
from datetime import UTC, datetime
from email.errors import MessageError
from email.header import Header
from email.message import Message
from functools import lru_cache

# Codecs that Python will look up by a charset name but that are not charsets: they read bytes
# as something else (IDNA, Punycode, escapes), fail on anything (undefined), or run in more than
# linear time (punycode).  A part or word that names one is read as if it named none.
_NOT_CHARSETS = frozenset({"punycode", "idna", "undefined", "unicode-escape", "raw-unicode-escape"})

# RFC 2047 section 2: =?charset?encoding?encoded-text?=; the charset may carry an RFC 2231
# language (utf-8*en).  Neither charset nor text may hold "?", so every match is found by one scan.
_ENCODED_WORD = re.compile(r"=\?([^?\s]*)\?([bBqQ])\?([^?]*)\?=")
_BETWEEN_WORDS = re.compile(r"[ \t\r\n]*")
_SURROGATE = re.compile("[\ud800-\udfff]")


@lru_cache(maxsize=128)
def codec(charset: str | None) -> str | None:
    """The Python codec for a MIME charset name, or None when there is no usable one."""
    if not charset:
        return None
    name = charset.strip().strip('"').split("*", 1)[0]
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):  # unknown, or not a name at all (NUL, surrogates)
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return None
    return info.name


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Bytes as text by their charset; where it is unusable or the bytes do not fit it, as UTF-8,
    and failing that as Latin-1, which reads any bytes."""
    name = codec(charset)
    if name is not None and name != "utf-8":
        try:
            text = data.decode(name)
        except (UnicodeError, ValueError):  # bytes that lie about their charset
            pass
        else:
            if text.isascii() or not _SURROGATE.search(text):
                return text
            # UTF-7 decodes "+2D0-" to a lone surrogate, which no UTF-8 output (JSON, SQLite) can hold
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _unescape_8bit(text: str) -> str:
    """compat32 keeps a header's 8-bit bytes as surrogate escapes: read them as UTF-8 (RFC 6532)."""
    if text.isascii():
        return text
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that is no escaped byte
        return text.encode("utf-8", "replace").decode("utf-8")
    return decode_bytes(raw, None)


def _decode_word(match: re.Match[str]) -> str:
    charset, encoding, text = match.groups()
    data = text.encode("utf-8", "surrogateescape")
    if encoding in "bB":
        data = b"".join(data.split())
        try:
            data = binascii.a2b_base64(data + b"=" * (-len(data) % 4))
        except binascii.Error:  # not base64: the word is kept as it came
            return match.group(0)
    else:
        data = binascii.a2b_qp(data, header=True)
    return decode_bytes(data, charset)


def decode_header(value: object) -> str:
    """A header value as one line of text, its RFC 2047 encoded words decoded.

    A word that cannot be decoded is kept as it came; whitespace between two encoded words is
    dropped (RFC 2047 section 6.2), other runs of whitespace become one space."""
    if value is None:
        return ""
    if isinstance(value, Header):
        try:
            value = str(value)
        except (UnicodeError, LookupError, ValueError):  # a Header built from a broken charset
            value = "".join(str(chunk) for chunk, _ in value._chunks)
    text = str(value)
    if "=?" not in text:
        return " ".join(_unescape_8bit(text).split())
    out: list[str] = []
    at = 0
    after_word = False
    for match in _ENCODED_WORD.finditer(text):
        between = text[at : match.start()]
        if not (after_word and _BETWEEN_WORDS.fullmatch(between)):
            out.append(_unescape_8bit(between))
        out.append(_decode_word(match))
        at, after_word = match.end(), True
    out.append(_unescape_8bit(text[at:]))
    return " ".join("".join(out).split())


def message_text(msg: Message) -> str:
    """A whole (attached) message as text: as the email package writes it, or, where that fails on
    a broken header or charset, its header lines and payload as they came."""
    try:
        return msg.as_string()
    except (UnicodeError, LookupError, ValueError, TypeError, MessageError):
        pass
    head = "".join(f"{name}: {value}\n" for name, value in msg.raw_items())
    payload = msg.get_payload() if msg.is_multipart() else msg._payload
    if isinstance(payload, list):
        body = "\n".join(message_text(p) if isinstance(p, Message) else str(p) for p in payload)
    else:
        body = str(payload or "")
    return _unescape_8bit(head + "\n" + body)


def part_text(part: Message) -> str:
    """The decoded body of a part as text, whatever its charset and transfer encoding claim.

    (Message.get_payload() itself decodes 8-bit bodies by the charset parameter and raises on a
    NUL or non-charset codec there, so it is not asked for the text.)"""
    if part.is_multipart():  # message/* parts: their sub-messages, flattened
        return "\n".join(message_text(p) if isinstance(p, Message) else str(p) for p in part.get_payload())
    try:
        raw = part.get_payload(decode=True)
    except (ValueError, LookupError, TypeError):  # a transfer encoding that does not decode
        raw = None
    if not isinstance(raw, bytes):
        payload = part._payload
        raw = payload.encode("utf-8", "surrogateescape") if isinstance(payload, str) else b""
    try:
        charset = part.get_content_charset()
    except (UnicodeError, LookupError, ValueError):  # a charset parameter that is no name
        charset = None
    text = decode_bytes(raw, charset)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


# Report dates are compared in UTC and moved by windows of days to years (correlation, policy):
# a date outside these bounds is no date of a mail report, and near datetime's limits it overflows.
_EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
_LATEST = datetime(9000, 1, 1, tzinfo=UTC)


def parse_date(value: str | None) -> str | None:
    """An RFC 5322 date as ISO 8601, or None when it cannot be read or lies outside 1970..9000
    in UTC (an Arrival-Date in year 9999)."""
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value.strip())
        in_utc = parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (TypeError, ValueError, IndexError, OverflowError):  # unreadable dates are common
        return None
    return parsed.isoformat() if _EARLIEST <= in_utc < _LATEST else None
