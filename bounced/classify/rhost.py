"""Provider-specific overrides keyed on the remote MTA's host name, where a provider's wording is its own."""

from __future__ import annotations

import re
from collections.abc import Callable

Rule = Callable[[str | None, int | None, str], str | None]


def _google(status: str | None, code: int | None, text: str) -> str | None:
    # Gmail explains its 5.7.1/4.7.0 rejections in the text after the code.
    if re.search(r"rfc ?5322|not RFC 5322 compliant|multiple (?:from|to|subject)", text, re.I):
        return "notcompliantrfc"
    if re.search(r"low reputation|unusual rate of unsolicited", text, re.I):
        return "badreputation"
    return None


# host suffix -> rule; the first suffix that ends the remote MTA's name is asked.
RULES: dict[str, Rule] = {
    "google.com": _google,
    "googlemail.com": _google,
    "gmail.com": _google,
}


def reason(remote_mta: str | None, status: str | None, code: int | None, text: str) -> str | None:
    if not remote_mta:
        return None
    host = remote_mta.lower().rstrip(".").split()[0] if remote_mta.split() else ""
    for suffix, rule in RULES.items():
        if host == suffix or host.endswith("." + suffix):
            return rule(status, code, text)
    return None
