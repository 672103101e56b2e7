"""`contenterror`: Malformed content, headers or MIME that the receiver rejects."""

import re

NAME = "contenterror"
PHRASES = re.compile(
    r"(?:"
    r"(?:header|mime|content) (?:error|syntax|invalid|is malformed)|"
    r"malformed (?:message|mime|header)|"
    r"improper use of 8-bit data|"
    r"(?:bad|illegal|invalid) (?:header|character|content|mime)|"
    r"line too long|"
    r"message (?:contains|has) (?:invalid|illegal)|"
    r"content.{0,10}not supported|"
    r"headers? (?:too|are too) (?:long|large|many)|"
    r"message header size"
    r")",
    re.I,
)
STATUSES = frozenset({'5.6.0', '5.6.1', '5.6.3', '5.6.2'})
REPLY_CODES: frozenset[int] = frozenset()
