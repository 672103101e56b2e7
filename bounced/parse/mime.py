"""Shared helpers for reading mail: bytes in, decoded headers, texts and field blocks out."""

from __future__ import annotations

import email.errors
import re
from collections.abc import Callable, Iterable, Iterator
from email._policybase import compat32  # what email.policy.compat32 is, without importing email.policy
from email.message import Message
from email.parser import BytesParser, HeaderParser
from typing import Any, Generic, TypeVar

from bounced.parse import mimeparse
from bounced.parse.decode import decode_header, part_text
from bounced.parse.decode import parse_date as parse_date  # detectors import it from here

# compat32 is the policy that is fast enough for a bounce stream (email.policy.default is
# about five times slower); headers are decoded only where a value is needed.
_PARSER = BytesParser(policy=compat32)
_HEADER_PARSER = HeaderParser(policy=compat32)

MAX_DEPTH = 8  # multipart / message nesting we look into; deeper parts are not report parts
MAX_TEXT = 256 * 1024  # characters of notification text that detectors scan
# Recipients read from one report. SMTP servers take at least 100 RCPTs per transaction (RFC 5321
# 4.5.3.1.8), and a report covers one; each recipient costs a search of the report's text.
MAX_RECIPIENTS = 1000
# Characters of From and Subject that the detectors' sender patterns read (a score of patterns):
# the words that name a report ("Mail delivery failed", "MAILER-DAEMON") open the field.
SENDER_FIELD = 1000

# The lookbehind starts a match only where a run of local-part characters starts: tried from
# every character of a long run without an "@", the local part would rescan the run each time
# (quadratic). Every start in one run fares alike (the local part reaches the run's end from each,
# and what follows decides), so a search finds what it found without it; find_addresses does the
# same for a whole text, where a match may also start in the run a previous one ended in.
_LOCAL = r"[\w.!#$%&'*+/=?^`{|}~-]"
_ADDRESS_AT = re.compile(_LOCAL + r"+@[\w-]+(?:\.[\w-]+)+", re.ASCII)
ADDRESS_RE = re.compile(rf"(?<!{_LOCAL}){_ADDRESS_AT.pattern}", re.ASCII)
_LOCAL_CHAR = re.compile(_LOCAL, re.ASCII)
# (RFC 3463 subjects are 0-7: "Exim 4.94.2" in a quoted Received field is a version, not a status)
_STATUS_RE = re.compile(r"(?<![\d.])([245])\.([0-7])\.(\d{1,3})(?![\d]|\.\d)")
# (not a "220-" line of a multi-line greeting banner quoted before the reply that failed)
_REPLY_RE = re.compile(r"(?<![\d.#-])(?!2\d\d-)([245][0-5]\d)(?:[ -]|$)(?![\d.]*\.\d+\.\d+\.)")
# In a failure, 2xx and 3xx are other replies (a "220-" greeting banner, "250 Sender ok", a
# version string like "2.10.1"), and a 255 is a program's exit status: only 4xx and 5xx count.
_FAILURE_STATUS_RE = re.compile(_STATUS_RE.pattern.replace("[245]", "[45]", 1))
_FAILURE_REPLY_RE = re.compile(_REPLY_RE.pattern.replace("[245]", "[45]", 1))
_NEWLINES = re.compile(rb"\r\n?")


_NESTED = re.compile(rb"^content-type:[ \t]*(?:message/(?:rfc822|global)|multipart/)", re.I | re.M)


# What feedparser reads of a message mimeparse declines (a defect: often a report that lost the end
# of the message it returns). feedparser spends about 1 s per MB of short lines, and as much again
# per level of nesting (it tests every line against every open boundary, and recurses per level):
# the report parts come first, and detectors read MAX_TEXT of text and MAX_DEPTH levels.
FEED_BYTES = 512 * 1024


class NestedTooDeeply(email.errors.MessageDefect):
    """The message nests parts deeper than we read (a MIME depth limit, as Sisimai has): it was cut
    before the first part too deep, and what is above is read."""


def parse_bytes(data: bytes) -> Message:
    """Parse a raw message into compat32's Message tree, every line ending turned into LF first.

    mimeparse builds the tree feedparser would, faster; what it declines, feedparser parses, cut to
    what it reads in time (_for_feedparser), so that a readable report on top is still read.

    The MIME depth limit: parts nested deeper than mimeparse.MAX_NESTING levels are not read.  The
    message is cut where the first of them starts, what is above is parsed, and the tree is marked
    with a NestedTooDeeply defect (parse_message reports it)."""
    if b"\r" in data:
        data = _NEWLINES.sub(b"\n", data)
    try:
        return mimeparse.parse_text(data.decode("ascii", "surrogateescape"))  # compat32 BytesParser's decoding
    except mimeparse.TooDeep as deep:  # (one character a byte, so the offset is one in the bytes)
        return _cut(data, deep.offset)
    except mimeparse.Fallback:  # something feedparser notes a defect for: let it build that tree
        pass
    return _PARSER.parsebytes(_for_feedparser(data))


def _cut(data: bytes, offset: int) -> Message:
    """The message above ``offset`` (where a part too deep starts), marked NestedTooDeeply."""
    msg = _PARSER.parsebytes(data[:offset])
    msg.defects.append(NestedTooDeeply())
    return msg


def _for_feedparser(data: bytes) -> bytes:
    """``data`` cut to its first FEED_BYTES, before its MAX_DEPTH-th nested multipart or message
    part and before its MAX_PARTS-th line that starts with "--" (a boundary line, maybe)."""
    data = data[:FEED_BYTES]
    nested = [m.start() for m, _ in zip(_NESTED.finditer(data), range(MAX_DEPTH + 1))]
    if len(nested) > MAX_DEPTH:
        data = data[: nested[MAX_DEPTH]]
    at = 0
    for _ in range(mimeparse.MAX_PARTS):
        at = data.find(b"\n--", at) + 1
        if not at:
            return data
    return data[:at]


def find_addresses(text: str) -> list[str]:
    """Every address in ``text``, as the lookbehind-free pattern's findall would give them."""
    found = []
    at = 0
    while True:
        match = None
        if 0 < at < len(text) and _LOCAL_CHAR.match(text, at - 1):
            match = _ADDRESS_AT.match(text, at)  # in the run the last address ended in: as its next start would
        match = match or ADDRESS_RE.search(text, at)
        if match is None:
            return found
        found.append(match.group())
        at = match.end()


def _readable(ctype: str) -> str:
    """A content type whose parameters lack the ";" (seen in the wild) still reads."""
    return ctype.split(None, 1)[0] if " " in ctype or "\n" in ctype or "\t" in ctype else ctype


def typed_parts(msg: Message, depth: int = 0) -> Iterator[tuple[str, Message]]:
    """Every leaf and message/* part of ``msg`` with its content type, without descending into
    attached originals; each type read once."""
    ctype = msg.get_content_type()
    yield _readable(ctype), msg
    if depth >= MAX_DEPTH or not msg.is_multipart() or ctype.split("/", 1)[0] == "message":
        return
    payload = msg.get_payload()
    if not isinstance(payload, list):
        return
    for sub in payload:
        if isinstance(sub, Message):
            yield from typed_parts(sub, depth + 1)


_FIELD_RE = re.compile(r"^([A-Za-z][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*)$")


_REPLY_LINE = re.compile(r"[245]\d\d[ -]")


def field_blocks(text: str) -> list[dict[str, str]]:
    """Split RFC 822 style field blocks (as in a delivery-status part) into dicts.

    Names are lower-cased, folded lines unfolded; a repeated field keeps its first value.
    Blocks are separated by blank lines (or by a repeated recipient field, see split_fields);
    lines that are not fields are skipped.
    """
    blocks: list[dict[str, str]] = []
    current: list[tuple[str, list[str]]] = []  # (name, the value's lines): joined once, not grown line by line
    last: list[str] | None = None
    last_name = ""
    for line in text.split("\n"):
        if not line.strip():
            if current:
                blocks.extend(split_fields((k, " ".join(v)) for k, v in current))
            current, last = [], None
            continue
        if last is not None and (line[0] in " \t" or (last_name == "diagnostic-code" and _REPLY_LINE.match(line))):
            last.append(line.strip())  # folded, or an unindented line of a multi-line reply ("550-5.7.1 ...")
            continue
        match = _FIELD_RE.match(line)
        if match is None:
            last = None
            continue
        last, last_name = [match.group(2).strip()], match.group(1).lower()
        current.append((last_name, last))
    if current:
        blocks.extend(split_fields((k, " ".join(v)) for k, v in current))
    return blocks


# Some MTAs (AOL, a few appliances) run recipient blocks together without the blank line that
# RFC 3464 section 2.1 asks for; a second Final-Recipient or Original-Recipient opens a new block.
_RECIPIENT_FIELDS = ("final-recipient", "original-recipient")


def split_fields(fields: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    """Field (name, value) pairs as blocks: first value of a name wins, a repeated recipient field splits."""
    blocks: list[dict[str, str]] = []
    current: dict[str, str] = {}
    for name, value in fields:
        if name in current:
            if name not in _RECIPIENT_FIELDS:
                continue
            blocks.append(current)
            current = {}
        current[name] = value
    if current:
        blocks.append(current)
    return blocks


def headers_from_text(text: str) -> Message:
    """Parse a block of header lines (a returned message or text/rfc822-headers)."""
    text = text.lstrip("\n")
    try:
        return mimeparse.parse_text(text, headersonly=True)
    except mimeparse.Fallback:
        return _HEADER_PARSER.parsestr(text, headersonly=True)


def strip_type(value: str | None) -> str:
    """``rfc822; user@example.org`` -> ``user@example.org`` (RFC 3464 address-type / mta-type)."""
    if not value:
        return ""
    if ";" in value:
        value = value.split(";", 1)[1]
    return value.strip()


# Characters of a field read for its address: an address has at most 254 (RFC 5321 4.5.3.1.3), the
# rest of a field is its type, a display name or a comment. Read whole, a 10 MB X-Failed-Recipients
# was searched once per detector that asks (a quarter of a second each).
MAX_ADDRESS_FIELD = 1000
_XTEXT = re.compile(r"\\x\{([0-9A-Fa-f]{1,6})\}")
# The lookahead checks the domain's characters once: without it, a domain with many dots and a
# blank before its end was retried from every dot to the end (quadratic).
_WHOLE = re.compile(r"^[^\s@<>\"(),;:]+@(?=[^\s@<>\"(),;:]*$)[^\s@<>\"(),;:]+\.[^\s@<>\"(),;:]+$")
# What the output contract takes for an address: a local part without spaces, brackets or a
# type prefix, and a domain of labels or an address literal.  An undecodable byte (U+FFFD) is
# not part of any real domain.
_LOCAL_PART = re.compile(r"[^\s@<>\"(),;:\\\x00-\x1f\x7f]+")
_LABEL = r"(?:[A-Za-z0-9_-]|[^\x00-\x7f\s\ufffd])+"  # any script (RFC 6531); in ASCII, letters, digits, - and _
# (an empty label is kept: "reader@example..org" is the malformed address a syntax-error notice is about)
_DOMAIN = re.compile(rf"{_LABEL}(?:\.+{_LABEL})*|\[[^\s\[\]\\@<>]+\]")


def _xtext(match: re.Match[str]) -> str:
    code = int(match.group(1), 16)
    return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group(0)


def _address(local: str, domain: str) -> str:
    """``local@domain`` with the domain lower-cased, or "" where that is no address (``@Q``, ``a@>l``)."""
    domain = domain.lower().rstrip(".")
    if _LOCAL_PART.fullmatch(local) and _DOMAIN.fullmatch(domain):
        return f"{local}@{domain}"
    return ""


def normalize_address(value: str | None) -> str:
    """An address as the output contract wants it: no brackets, no type, lower-cased domain.

    A field that holds just one address is taken whole, so internationalized addresses
    (RFC 6531; ``utf-8;`` with RFC 6533 ``\\x{HEX}`` escapes) keep their non-ASCII characters."""
    if not value:
        return ""
    value = value[:MAX_ADDRESS_FIELD]
    value = strip_type(value) if ";" in value else value.strip()
    value = _XTEXT.sub(_xtext, value) if "\\x{" in value else value
    whole = value.strip().strip("<>").strip()
    if _WHOLE.match(whole):
        local, _, domain = whole.rpartition("@")
        return _address(local, domain)
    match = ADDRESS_RE.search(value)
    if match is None:  # a dotless domain (user@localhost), or no address at all
        for token in value.split() if "@" in value else ():
            local, _, domain = token.strip("<>\"'(),;:").rpartition("@")
            if address := _address(local, domain):
                return address
        return ""
    value = match.group(0).rstrip(".")
    local, _, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def addresses_of(field: str, limit: int = MAX_RECIPIENTS) -> list[str]:
    """The distinct addresses of a comma-separated field (X-Failed-Recipients), the first ``limit``."""
    found: dict[str, None] = {}
    for item in field.split(","):
        if len(found) >= limit:
            break
        address = normalize_address(item)
        if address:
            found.setdefault(address)
    return list(found)


def find_status(text: str, failure: bool = False) -> str | None:
    """The first RFC 3463 enhanced status code in ``text`` (of class 4 or 5 only, for a ``failure``)."""
    match = (_FAILURE_STATUS_RE if failure else _STATUS_RE).search(text)
    return ".".join(match.groups()) if match else None


def find_reply_code(text: str, failure: bool = False) -> int | None:
    """An RFC 5321 reply code at the start of a reply line in ``text`` (4xx or 5xx only, for a ``failure``)."""
    match = (_FAILURE_REPLY_RE if failure else _REPLY_RE).search(text)
    return int(match.group(1)) if match else None


# Lines that non-MIME bounces put between their report and the returned message.  They are the
# senders' own wordings (Exim, qmail, Sendmail, Postfix, Gmail, Courier, Notes, ...).
_RETURNED_MARKERS = re.compile(
    r"^[ \t]*(?:"
    r"-+ ?This is a copy of (?:the|your) (?:message|headers)|"  # Exim's bounces, and its notices (moan.c)
    r"-+ ?Below this line is a copy of the message|"
    r"-+ ?Enclosed is a copy of the message|"
    r"-+ ?Original message -+|"
    r"-+ ?(?:The )?original message follows|"
    r"-+ ?Returned message -+|"
    r"-+ ?Original message headers? -+|"
    r"Original message(?: headers)?:[ \t]*$|"  # gateways' plain notices
    r"-+ ?Message d'origine -+|"
    r"-+ ?Unsent message below -+|"
    r"-+ ?Message text follows|"
    r"-+ ?Transcript of session follows|"
    r"-+ ?The header of the original message|"
    r"Original message follows|"
    r"Message headers follow|"  # the DragonFly Mail Agent, which returns the headers only
    r"\|+ ?Headers of the original message|"
    r"Content-Type: (?:message/rfc822|text/rfc822-headers)"
    r")",
    re.I | re.M,
)


def returned_text_start(text: str) -> int:
    """Where the quoted original starts in a notification text (its length if it has none)."""
    marker = _RETURNED_MARKERS.search(text)
    return marker.start() if marker else len(text)


_T = TypeVar("_T")


class _cached(Generic[_T]):  # a decorator, named like the one it stands for
    """functools.cached_property without its lock: in Python 3.11 every first access takes an RLock,
    which costs more than most of the views below. A Mail is read by one thread."""

    def __init__(self, func: Callable[[Any], _T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __get__(self, obj: Any, owner: type | None = None) -> _T:
        if obj is None:
            return self  # type: ignore[return-value]
        value = obj.__dict__[self.name] = self.func(obj)  # later reads find it in the instance
        return value


class Mail:
    """One parsed message and the views of it that detectors share, each computed once."""

    def __init__(self, msg: Message) -> None:
        self.msg = msg
        self.derived: dict[str, object] = {}  # views a detector module computes once per message

    def header(self, name: str) -> str:
        """A header field's decoded value ("" when absent); the first one where it repeats."""
        raw = self._fields.get(name.lower())
        if raw is None:
            return ""
        return decode_header(raw[1])  # the raw value: compat32's fetch would turn 8-bit bytes into U+FFFD

    @_cached
    def _fields(self) -> dict[str, tuple[str, str]]:
        # Message.get lower-cases every field name on every call; detectors ask for a dozen.
        fields: dict[str, tuple[str, str]] = {}
        for name, value in self.msg._headers:
            fields.setdefault(name.lower(), (name, value))
        return fields

    @_cached
    def subject(self) -> str:
        return self.header("Subject")

    @_cached
    def from_(self) -> str:
        return self.header("From")

    @_cached
    def sender_line(self) -> str:
        """ "From: ...\nSubject: ..." of the report, which the detectors' sender patterns read."""
        return f"From: {self.from_[:SENDER_FIELD]}\nSubject: {self.subject[:SENDER_FIELD]}"

    @_cached
    def content_type(self) -> str:
        return self.parts_with_types[0][0]

    @_cached
    def parts_with_types(self) -> list[tuple[str, Message]]:
        """Every part (typed_parts) with its content type; detectors ask often, so each is read once."""
        return list(typed_parts(self.msg))

    def parts_of(self, *types: str) -> list[Message]:
        return [p for ctype, p in self.parts_with_types if ctype in types]

    @_cached
    def returned_marker(self) -> re.Match[str] | None:
        """The line of body_text where the quoted original starts (returned_text_start), if any."""
        return _RETURNED_MARKERS.search(self.body_text)

    @_cached
    def report(self) -> str:
        """body_text up to the quoted original: the notification's own words."""
        marker = self.returned_marker
        return self.body_text[: marker.start()] if marker else self.body_text

    @_cached
    def body_lower(self) -> str:
        return self.body_text.lower()

    @_cached
    def body_text(self) -> str:
        """The human-readable notification: text parts in order, before any attached original."""
        texts = []
        for ctype, part in self.parts_with_types:
            if ctype in ("text/plain", "text/html") or (
                part is self.msg and not part.is_multipart() and part.get_content_maintype() != "message"
            ):
                if ctype == "text/html" and texts:
                    continue  # the plain alternative says the same
                text = part_text(part)
                if ctype == "text/html":
                    text = html_to_text(text)
                texts.append(text)
            elif ctype.startswith("multipart/") and isinstance(part.get_payload(), str):
                texts.append(part_text(part))  # a multipart whose boundary was lost: its raw text
            elif ctype in ("message/rfc822", "text/rfc822-headers") and texts:
                break
        return "\n".join(texts)[:MAX_TEXT]


_TAG_RE = re.compile(r"<(?:br|p|div|tr|li|/p|/div|/tr|/li|/h\d)\b[^>]*>", re.I)
_CELL_END_RE = re.compile(r"</t[dh]\s*>", re.I)
_ANY_TAG_RE = re.compile(r"<(?![^<>@\s]+@)[^>]*>")  # keeps <user@example.org>


def html_to_text(html: str) -> str:
    """Enough of an HTML body turned to text for the diagnostic scanners."""
    import html as htmllib

    text = _sub_tags(_TAG_RE, "\n", html)
    text = _sub_tags(_CELL_END_RE, " ", text)  # table cells side by side stay apart ("<td>a@x</td><td>550 ...")
    text = _sub_tags(_ANY_TAG_RE, "", text)
    return htmllib.unescape(text)


def _sub_tags(tag_re: re.Pattern[str], repl: str, html: str) -> str:
    """``tag_re.sub(repl, html)``, searched only up to the last ">": a tag's ``[^>]*`` run from a "<"
    with no ">" after it would scan to the end of the text from every such "<" (quadratic), and no
    tag can match there; before it, every run stops at the next ">"."""
    end = html.rfind(">") + 1
    return tag_re.sub(repl, html[:end]) + html[end:] if end else html
