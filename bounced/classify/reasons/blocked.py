"""`blocked`: The sending IP is refused: blocklist, no reverse DNS match, reputation block at connect."""

import re

NAME = "blocked"
PHRASES = re.compile(
    r"(?:"
    r"(?:ip|address|host|client|connection|server).{0,40}(?:is )?(?:listed|blacklisted|blocklisted|blocked|banned|refused|rejected|denied)|"
    r"(?:listed|blacklisted|blocklisted|blocked) (?:at|on|in|by) |"
    r"\b(?:dnsbl|rbl|spamhaus|spamcop|sorbs|barracuda ?central|blacklist|blocklist)|"
    r"client host .* blocked|"
    r"access denied|"
    r"connection refused|"
    r"rejected because .* (?:ip|host)|"
    r"poor reputation|"
    r"bad ip|"
    r"has been blocked|"
    r"blocked using|"
    r"not allowed to connect|"
    r"service (?:is )?unavailable;? client host|"
    r"temporarily (?:deferred|rejected|blocked)|"
    r"your (?:ip|network|server|host)|"
    r"dynamic (?:ip|address|pool)|"
    r"(?:residential|dial-?up)|"
    r"mail server (?:ip )?(?:is )?(?:blocked|rejected)|"
    r"rejected due to .* ip|"
    r"\bip\b.*(?:block|reject|reputation)|"
    r"connection (?:rejected|dropped)|"
    r"blocked"
    r")",
    re.I,
)
STATUSES: frozenset[str] = frozenset()
REPLY_CODES: frozenset[int] = frozenset()
