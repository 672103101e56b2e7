"""`expired`: The sending MTA gave up after retrying."""

import re

NAME = "expired"
PHRASES = re.compile(
    r"(?:"
    r"delivery time expired|"
    r"retry time(?:out)? (?:not reached|exceeded)|"
    r"message (?:has been|was) (?:in the )?queue(?:d)? too long|"
    r"(?:message |mail )?expired|"
    r"could not be delivered (?:for|within) \d+ (?:days|hours)|"
    r"(?:gave|giving) up|"
    r"timeout waiting|"
    r"has not been delivered (?:for|within)|"
    r"too long in queue|"
    r"delivery attempts? (?:will continue|timed out|have (?:failed|expired))|"
    r"retry timeout exceeded|"
    r"was not delivered within|"
    r"undelivered for|"
    r"maximum (?:time|delivery time)|"
    r"queue ?time ?(?:limit|out)|"
    r"exceeded the maximum|"
    r"delivery (?:period|time) (?:exceeded|expired)"
    r")",
    re.I,
)
STATUSES = frozenset({'4.4.7', '5.4.7'})
REPLY_CODES: frozenset[int] = frozenset()
