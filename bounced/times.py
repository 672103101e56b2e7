"""A report's own time: when it reached us, read from the message where it was not received live.

Order of trust (the first that gives a plausible time wins):

1. a report received live (SMTP, LMTP, IMAP): the time we received it;
2. the topmost ``Received`` header: the stamp our own mail system wrote when it took the report;
3. the report's ``Date``: written by the reporting MTA, whose clock may be off;
4. the ``Arrival-Date`` of its delivery-status block: when the original reached the reporting MTA,
   earlier than the report by the retry time (days, for a delay that became a bounce);
5. the file's modification time (a Maildir file keeps its delivery time unless copied without it);
6. the time we stored it.

A time is plausible when it is not before 1990 and not more than a day after we stored the report
(clock skew).  The mbox ``From `` line is not read: the mbox reader drops it, and the topmost
``Received`` header below it carries the same delivery stamp.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
SKEW = timedelta(days=1)
LIVE = ("smtp:", "lmtp:", "imap:")
_HEADER_LIMIT = 64 * 1024  # headers beyond this are not read for a time
_FIELD = re.compile(rb"^(received|date)[ \t]*:", re.IGNORECASE)


def report_time(raw: bytes, source: str, received_at: str, arrival_date: str | None = None) -> tuple[str, str]:
    """(ISO-8601 UTC time, where it came from: live, received, date, arrival-date, file, stored)."""
    stored = _as_utc(received_at)
    assert stored is not None
    if source.startswith(LIVE):
        return _iso(stored), "live"
    received, date = _header_dates(raw)
    candidates = (("received", received), ("date", date), ("arrival-date", arrival_date), ("file", _file_time(source)))
    for how, value in candidates:
        when = _as_utc(value)
        if when is not None and EARLIEST <= when <= stored + SKEW:
            return _iso(when), how
    return _iso(stored), "stored"


def _header_dates(raw: bytes) -> tuple[str | None, str | None]:
    """The date of the topmost Received header and the Date header (unfolded), in linear time."""
    head = raw[:_HEADER_LIMIT].replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    fields: dict[bytes, bytes] = {}
    name: bytes | None = None
    for line in head.split(b"\n"):
        if line[:1] in (b" ", b"\t") and name is not None:
            fields[name] += b" " + line.strip()
            continue
        name = None
        match = _FIELD.match(line)
        if match and match.group(1).lower() not in fields:
            name = match.group(1).lower()
            fields[name] = line[match.end():].strip()
    received = fields.get(b"received", b"").rpartition(b";")[2].strip()
    return received.decode("latin-1") or None, fields.get(b"date", b"").decode("latin-1") or None


def _file_time(source: str) -> str | None:
    """The modification time of a message read from a file of its own (not an mbox, not stdin)."""
    if "#" in source or source == "-":
        return None
    try:
        return datetime.fromtimestamp(os.stat(source).st_mtime, UTC).isoformat()
    except (OSError, ValueError):  # gone since, or not a path at all
        return None


def _as_utc(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):  # an unreadable date: not this one
            return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC)


def iso_utc(value: str) -> str:
    """An ISO 8601 date or time (one without an offset is UTC) as UTC text; ValueError for anything else."""
    when = datetime.fromisoformat(value.strip())
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return _iso(when)


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="seconds")
