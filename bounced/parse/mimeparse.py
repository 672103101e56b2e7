"""A faster way to the same Message tree that email.feedparser (compat32) builds, for well-formed mail.

The standard parser reads a message line by line through a stack of generators and compiles one
regular expression per MIME boundary, which makes it the largest single cost of parsing a bounce.
This module walks a list of the message's lines by index and recognises boundaries with plain
string tests, following feedparser's algorithm step by step, so that the tree it returns is the
one feedparser returns: the same headers, payloads, preambles and epilogues.

It handles only what feedparser handles without noting a defect.  At the first thing that would
make feedparser note one (a header line without a colon, a multipart without a boundary or
without its closing boundary, a Unix "From " line, nesting deeper than MAX_NESTING, more than
MAX_PARTS parts or MAX_DASH_LINES lines that start with "--"), it gives up
with Fallback, and the caller parses the message with feedparser itself; tests/test_mimeparse.py
checks the two trees against each other over every message it can find.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from email import errors
from email.feedparser import headerRE
from email.message import Message

MAX_NESTING = 40  # message/multipart levels; deeper input goes to feedparser (which cuts it, see mime.py)
# Parts in all: a report has a handful, a digest of reports some hundreds. Each costs some tens of
# microseconds here and in every walk over the tree; more go to feedparser, which is given the
# message cut before its MAX_PARTS-th "--" line (see mime.py).
MAX_PARTS = 1000
MAX_DASH_LINES = 10 * MAX_PARTS  # lines starting with "--" that are indexed as possible boundaries


class Fallback(Exception):
    """This message needs the standard parser: it has something feedparser would note as a defect."""


class TooDeep(Fallback):
    """Parts nested deeper than MAX_NESTING: ``offset`` is where, in the text, the first part too deep starts."""

    def __init__(self, offset: int) -> None:
        super().__init__("nested too deeply")
        self.offset = offset


def parse_text(text: str, headersonly: bool = False) -> Message:
    """The Message tree of ``text`` (LF line endings only), as feedparser with compat32 builds it."""
    if "\r" in text:
        raise Fallback("CR line endings")  # the caller normalises them first
    return _Parser(text).parse(headersonly)


# Line boundaries other than "\n" that str.splitlines also splits at (CR is gone already).
_OTHER_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_ASCII_BREAKS = "\x0b\x0c\x1c\x1d\x1e"  # the ones ASCII text can hold: a few substring tests, in C, beat the search


def _other_breaks(text: str) -> bool:
    if text.isascii():
        return any(c in text for c in _ASCII_BREAKS)
    return _OTHER_BREAKS.search(text) is not None


def _dash_lines(text: str) -> Iterator[int]:
    """Where the lines that start with "--" start (a regex anchored at "^" is tried at every character)."""
    if text.startswith("--"):
        yield 0
    at = text.find("\n--")
    while at >= 0:
        yield at + 1
        at = text.find("\n--", at + 1)


def _lines(text: str) -> list[str]:
    if not _other_breaks(text):
        return text.splitlines(keepends=True)  # the same lines, made in C: 10 MB of blank lines in 0.2 s, not 1 s
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _strip_eol(value: str) -> str:
    return value[:-1] if value.endswith("\n") else value


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = _lines(text)
        self._dashes: list[int] | None = None
        self._by_text: dict[str, list[int]] | None = None
        self.parts = 0
        # feedparser's _last: where the newline before a boundary is taken off (and whether it is a multipart)
        self.last: Message | None = None
        self.last_multipart = False

    @property
    def dashes(self) -> list[int]:
        """Indexes of the lines that start with "--": the only ones that can be boundaries."""
        if self._dashes is None:
            # found in the text and numbered by counting line breaks: a loop over every line in
            # Python took a second for 10 MB of short lines
            dashes, line, last = [], 0, 0
            for start in _dash_lines(self.text):
                line += self.text.count("\n", last, start)
                last = start
                dashes.append(line)
                if len(dashes) > MAX_DASH_LINES:
                    raise Fallback("too many lines that may be boundaries")
            self._dashes = dashes
        return self._dashes

    @property
    def by_text(self) -> dict[str, list[int]]:
        """The "--" lines by their text without line break and trailing blanks: a multipart finds
        its boundary lines here, not by testing every "--" line of its range (which, part within
        part, tested each line once per level)."""
        if self._by_text is None:
            by_text: dict[str, list[int]] = {}
            lines = self.lines
            for i in self.dashes:
                text = lines[i].rstrip(" \t\n")  # a line has one "\n", at its end
                found = by_text.get(text)
                if found is None:
                    by_text[text] = [i]
                else:
                    found.append(i)
            self._by_text = by_text
        return self._by_text

    def parse(self, headersonly: bool) -> Message:
        if headersonly:
            root = Message()
            at = self._headers(root, 0, len(self.lines))
            root._payload = "".join(self.lines[at:])
        else:
            root = self._message(0, len(self.lines), None, 0)
        if not headersonly and root.get_content_maintype() == "multipart" and not root.is_multipart():
            root.defects.append(errors.MultipartInvariantViolationDefect())  # as feedparser's close() notes
        return root

    # -- one message ---------------------------------------------------------------------------

    def _message(self, lo: int, hi: int, parent: Message | None, depth: int, digest: bool = False) -> Message:
        """The message in lines[lo:hi] (hi: where an enclosing boundary stops it); ``digest``: its
        parent is a multipart/digest, whose parts are messages unless they say otherwise."""
        if depth > MAX_NESTING:
            raise TooDeep(sum(map(len, self.lines[:lo])))
        self.parts += 1
        if self.parts > MAX_PARTS:
            raise Fallback("too many parts")
        msg = Message()
        if digest:
            msg.set_default_type("message/rfc822")
        if parent is not None:
            parent.attach(msg)
        self.last, self.last_multipart = msg, False
        at = self._headers(msg, lo, hi)
        ctype = msg.get_content_type()
        if ctype == "message/delivery-status":
            self._delivery_status(msg, at, hi, depth)
        elif ctype.startswith("message/"):
            self._message(at, hi, msg, depth + 1)
        elif ctype.startswith("multipart/"):
            self.last_multipart = True
            self._multipart(msg, at, hi, depth, ctype == "multipart/digest")
        else:
            msg._payload = "".join(self.lines[at:hi])
        return msg

    def _headers(self, msg: Message, lo: int, hi: int) -> int:
        """Read the header lines from ``lo`` into ``msg`` (feedparser's _parse_headers); the index of
        the body's first line."""
        lines = self.lines
        fields = msg._headers
        is_header = headerRE.match
        first = -1  # where the current field's first line is (its continuation lines follow it)
        at = lo
        while at < hi:
            line = lines[at]
            lead = line[0]
            if lead == "\n":
                break  # the blank line between the headers and the body
            if lead == " " or lead == "\t":
                if first < 0:
                    raise Fallback("the first header line is a continuation")
                at += 1
                continue
            if not is_header(line):
                # Not a header line: the body starts here, without the blank line.
                msg.defects.append(errors.MissingHeaderBodySeparatorDefect())
                break
            if first >= 0:
                fields.append(_field(lines, first, at))
                first = -1
            if lead == ":":
                raise Fallback("a header without a name")
            if line.startswith("From "):
                if at != lo:
                    raise Fallback("a Unix From line among the headers")
                msg.set_unixfrom(_strip_eol(line))  # the mbox envelope line
            else:
                first = at
            at += 1
        if first >= 0:
            fields.append(_field(lines, first, at))
        return at + 1 if at < hi and lines[at][0] == "\n" else at

    # -- message/delivery-status ---------------------------------------------------------------

    def _delivery_status(self, msg: Message, at: int, hi: int, depth: int) -> None:
        """Blocks of fields separated by blank lines, each one Message (feedparser's special case)."""
        lines = self.lines
        while True:
            end = at
            while end < hi and lines[end][0] != "\n":
                end += 1
            block = Message()
            msg.attach(block)
            self.last, self.last_multipart = block, False
            body = self._headers(block, at, end)
            if body != end or block.get("content-type") is not None:
                raise Fallback("a delivery-status block that is not only fields")
            block._payload = ""
            at = end + 1  # the blank line that ended the block (or the end)
            if at >= hi:
                return

    # -- multipart -----------------------------------------------------------------------------

    def _multipart(self, msg: Message, at: int, hi: int, depth: int, digest: bool) -> None:
        lines = self.lines
        boundary = _boundary(msg)
        if boundary is None:
            msg.defects.append(errors.NoBoundaryInMultipartDefect())
            msg._payload = "".join(lines[at:hi])
            return
        if str(msg.get("content-transfer-encoding", "8bit")).lower() not in ("7bit", "8bit", "binary"):
            msg.defects.append(errors.InvalidMultipartContentTransferEncodingDefect())
        candidates = self._boundaries("--" + boundary, at, hi)
        if not candidates or candidates[0][1]:
            # No part ever starts: what there is, up to a closing boundary, is the payload.
            msg.defects.append(errors.StartBoundaryNotFoundDefect())
            msg._payload = "".join(lines[at : candidates[0][0] if candidates else hi])
            msg.epilogue = ""
            return
        first = candidates[0][0]
        if first > at:
            preamble = lines[at:first]
            preamble[-1] = _strip_eol(preamble[-1])
            msg.preamble = "".join(preamble)
        index = 0  # into candidates: the boundary line that opens the next part
        while True:
            # Consecutive boundary lines (closing ones too) open one part.
            while index + 1 < len(candidates) and candidates[index + 1][0] == candidates[index][0] + 1:
                index += 1
            start = candidates[index][0] + 1
            end = candidates[index + 1][0] if index + 1 < len(candidates) else hi
            self._message(start, end, msg, depth + 1, digest)
            _take_newline(self.last, self.last_multipart)
            self.last, self.last_multipart = msg, True
            if index + 1 >= len(candidates):
                msg.defects.append(errors.CloseBoundaryNotFoundDefect())  # truncated: no epilogue
                return
            index += 1
            line_no, closing, linesep = candidates[index]
            if closing:
                break
        epilogue = ([""] if linesep else []) + lines[line_no + 1 : hi]
        if epilogue and epilogue[0].startswith("\n"):
            epilogue[0] = epilogue[0][1:]
        msg.epilogue = "".join(epilogue)

    def _boundaries(self, separator: str, lo: int, hi: int) -> list[tuple[int, bool, bool]]:
        """(line, closing, ends in a newline) for every boundary line of ``separator`` in lines[lo:hi]."""
        found = []
        for line_no in self._candidates(separator, lo, hi):
            line = self.lines[line_no]
            if not line.startswith(separator):
                continue
            rest = line[len(separator) :]
            closing = rest.startswith("--")
            if closing:
                rest = rest[2:]
            newline = rest.endswith("\n")
            if (rest[:-1] if newline else rest).strip(" \t"):
                continue  # the boundary string followed by more: not a boundary line
            found.append((line_no, closing, newline))
            if len(found) > MAX_PARTS:
                raise Fallback("too many parts")
        return found

    def _candidates(self, separator: str, lo: int, hi: int) -> list[int]:
        """The "--" lines in lines[lo:hi] that may be boundary lines of ``separator``: the separator
        alone or with "--" after it, but for blanks (every "--" line if the boundary ends in a blank)."""
        if separator != separator.rstrip(" \t"):
            lines = self.dashes
            return lines[bisect_left(lines, lo) : bisect_left(lines, hi)]
        found = []
        for text in (separator, separator + "--"):
            lines = self.by_text.get(text, [])
            found.extend(lines[bisect_left(lines, lo) : bisect_left(lines, hi)])
        return sorted(found)


def _boundary(msg: Message) -> str | None:
    """The boundary parameter.  An RFC 2231 one in a charset that is none (``boundary*=punycode''%FF``,
    a NUL) makes Message.get_boundary raise, and feedparser with it: its text is taken as it came."""
    try:
        return msg.get_boundary()
    except (ValueError, LookupError):  # UnicodeError is a ValueError
        param = msg.get_param("boundary")
        text = param[2] if isinstance(param, tuple) else param
        return text.strip().strip('"').rstrip() or None if isinstance(text, str) else None


def _field(lines: list[str], first: int, end: int) -> tuple[str, str]:
    """compat32's header_source_parse of lines[first:end] (a field and its continuation lines):
    (name, value), the folding kept."""
    name, _, value = lines[first].partition(":")
    value = value.lstrip(" \t")
    if end - first > 1:
        value += "".join(lines[first + 1 : end])
    return name, value.rstrip("\r\n")


def _take_newline(last: Message | None, multipart: bool) -> None:
    """RFC 2046: the newline before a boundary belongs to the boundary (feedparser takes it off the
    last message it made, or the epilogue of the last multipart it finished)."""
    if last is None:
        return
    if multipart:
        if last.epilogue == "":
            last.epilogue = None
        elif last.epilogue is not None:
            last.epilogue = _strip_eol(last.epilogue)
    elif isinstance(last._payload, str):
        last._payload = _strip_eol(last._payload)
