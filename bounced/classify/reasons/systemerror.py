"""`systemerror`: A fault in the receiving system."""

import re

NAME = "systemerror"
PHRASES = re.compile(
    r"(?:"
    r"(?:internal|system|server|local|temporary|configuration) (?:error|failure|problem)|"
    r"i/o error|"
    r"service (?:not available|temporarily unavailable|unavailable)|"
    r"try again later|"
    r"(?:local|temporary) (?:problem|failure)|"
    r"mail system (?:error|failure)|"
    r"cannot (?:process|deliver)|"
    r"server is (?:busy|down)|"
    r"resources? (?:temporarily )?(?:unavailable|exhausted)|"
    r"too many (?:errors|hops)|"
    r"unable to (?:process|accept)|"
    r"local error|"
    r"an error occurred|"
    r"mail (?:for .* )?loops|"
    r"misconfigur|"
    r"insufficient system resources"
    r")",
    re.I,
)
STATUSES = frozenset({'4.3.0', '5.3.0', '4.3.5', '5.3.5', '4.3.3', '5.3.3', '5.3.2', '4.3.2'})
REPLY_CODES = frozenset({421, 451})
