"""Every registered detector keeps the Detector protocol; the generic readers come last."""

from __future__ import annotations

import pytest

from bounced.model import Detection
from bounced.parse.mime import Mail, parse_bytes
from bounced.parse.registry import detectors

NOT_MINE = [
    b"From: Amy <amy@example.com>\nTo: bob@example.org\nSubject: Lunch\n\nAt noon? 550 metres from the office.\n",
    b"Subject: \n\n",
    b"Content-Type: multipart/mixed; boundary=x\n\n--x\n\n--x--\n",
]


@pytest.mark.parametrize("detector", detectors(), ids=lambda d: d.name)
@pytest.mark.parametrize("data", NOT_MINE, ids=["human", "empty", "empty-multipart"])
def test_not_mine_is_an_empty_detection(detector, data):
    found = detector.detect(Mail(parse_bytes(data)))
    assert isinstance(found, Detection)
    assert not found
    assert found.detector == detector.name


def test_generic_readers_run_last():
    names = [d.name for d in detectors()]
    assert names[-3:] == ["rfc3834", "notice", "fallback"]
    assert len(set(names)) == len(names)
