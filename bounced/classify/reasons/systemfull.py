"""`systemfull`: The receiving system is out of disk or storage."""

import re

NAME = "systemfull"
PHRASES = re.compile(
    r"(?:"
    r"(?:mail|file ?)system (?:is )?full|"
    r"insufficient system storage|"
    r"disk (?:is )?full|"
    r"no space on device|"
    r"out of disk space|"
    r"insufficient disk space on"
    r")",
    re.I,
)
STATUSES = frozenset({'4.3.1', '5.3.1'})
REPLY_CODES: frozenset[int] = frozenset()
