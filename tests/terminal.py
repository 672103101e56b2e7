"""Reading what a real process writes to a pseudo-terminal, for tests of terminal-only output."""

from __future__ import annotations

import os


def read_all(fd: int) -> bytes:
    """Everything written to the terminal whose controlling side is ``fd``, until the process closes it."""
    out = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the process closed its end
            return out
        if not chunk:
            return out
        out += chunk
