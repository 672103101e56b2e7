"""The Detector protocol and the ordered list of detectors: standards, then MTA formats, then heuristics."""

from __future__ import annotations

from typing import Protocol

from bounced.model import Detection
from bounced.parse.mime import Mail


class Detector(Protocol):
    """Reads one report format.  "Not mine" is an empty Detection, never None or an exception."""

    name: str

    def detect(self, mail: Mail) -> Detection: ...


def detectors() -> list[Detector]:
    """The registered detectors in the order they are tried; the first non-empty result wins."""
    from bounced.parse import arf, fallback, mdn, notice, rfc3464, rfc3834
    from bounced.parse.mta import ORDER

    return [arf.DETECTOR, rfc3464.DETECTOR, mdn.DETECTOR, *ORDER, rfc3834.DETECTOR, notice.DETECTOR, fallback.DETECTOR]
