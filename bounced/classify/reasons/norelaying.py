"""`norelaying`: The receiver refused to relay."""

import re

NAME = "norelaying"
PHRASES = re.compile(
    r"(?:"
    r"relay(?:ing)? (?:access )?(?:denied|not (?:allowed|permitted)|prohibited|refused|rejected)|"
    r"not permitted to relay|"
    r"unable to relay|"
    r"relay not|"
    r"we do not relay|"
    r"no relaying|"
    r"cannot relay|"
    r"relaying (?:mail )?(?:to .* )?(?:is )?(?:not|denied)|"
    r"not (?:a )?(?:local|authorized) (?:host|domain)|"
    r"open relay|"
    r"relay"
    r")",
    re.I,
)
STATUSES = frozenset({'5.7.64'})
REPLY_CODES: frozenset[int] = frozenset()
