"""A warning when what is routine one at a time comes in a burst (forged VERP tokens, say).

Memory and time per event are constant: the last ``threshold`` times are kept, no more.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable

log = logging.getLogger(__name__)


class Surge:
    """``threshold`` events within ``window`` seconds make a surge; it is logged at most once a window."""

    def __init__(self, what: str, threshold: int = 10, window: float = 600.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.what = what
        self.window = window
        self._times: deque[float] = deque(maxlen=threshold)
        self._clock = clock
        self._warned: float | None = None

    def note(self, detail: str) -> bool:
        """Count one event; True (and a warning) when it completes a surge not yet reported."""
        now = self._clock()
        self._times.append(now)
        full = len(self._times) == self._times.maxlen and now - self._times[0] <= self.window
        if not full or (self._warned is not None and now - self._warned < self.window):
            return False
        self._warned = now
        log.warning("surge: %d %s within %d s (latest: %s)", len(self._times), self.what, now - self._times[0], detail)
        return True
