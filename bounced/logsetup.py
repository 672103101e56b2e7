"""Log lines for people and for the journal: sd-daemon(3) priority prefixes when stderr is the journal.

Under systemd, stderr is a stream to journald and $JOURNAL_STREAM names it (device:inode); a line
that starts with ``<4>`` is then stored at priority 4 (warning), so ``journalctl -p warning``
shows what needs a human: storms, 451s, forged-token surges, parse failures.  Elsewhere (a
terminal, a file, cron's mail) the lines carry no prefix.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import TextIO

FORMAT = "%(levelname)s %(name)s: %(message)s"


def priority(levelno: int) -> int:
    """syslog(3) priority of a logging level: 2 crit, 3 err, 4 warning, 5 notice, 6 info, 7 debug."""
    for level, prio in ((logging.CRITICAL, 2), (logging.ERROR, 3), (logging.WARNING, 4), (logging.INFO, 6)):
        if levelno >= level:
            return prio
    return 7


def journal_stream(stream: TextIO) -> bool:
    """Whether ``stream`` is the one systemd connected to the journal (its device:inode is $JOURNAL_STREAM),
    as systemd.exec(5) asks: a child that inherits the variable but writes elsewhere gets no prefixes."""
    dev, _, ino = os.environ.get("JOURNAL_STREAM", "").partition(":")
    if not (dev.isdigit() and ino.isdigit()):
        return False
    try:
        st = os.fstat(stream.fileno())
    except (OSError, ValueError):  # no file descriptor (a test's StringIO) or a closed one
        return False
    return (st.st_dev, st.st_ino) == (int(dev), int(ino))


class JournalFormatter(logging.Formatter):
    """Every line of a record prefixed with its priority: journald splits a traceback into lines."""

    def format(self, record: logging.LogRecord) -> str:
        prefix = f"<{priority(record.levelno)}>"
        return "\n".join(prefix + line for line in super().format(record).splitlines())


def configure(level: int = logging.INFO, stream: TextIO | None = None) -> None:
    """The logging of a long-running command (serve, poll, the processor): one handler on stderr,
    unless the root logger has one already (as logging.basicConfig)."""
    stream = stream or sys.stderr
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(stream)
        handler.setFormatter(JournalFormatter(FORMAT) if journal_stream(stream) else logging.Formatter(FORMAT))
        root.addHandler(handler)
    root.setLevel(level)
    for name in ("mail.log", "flufl.bounce"):  # aiosmtpd's per-command and flufl's per-detector trace
        logging.getLogger(name).setLevel(logging.WARNING)
