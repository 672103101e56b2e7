"""A server's reply as one sentence: multi-line continuation prefixes taken out of re-wrapped text."""

from __future__ import annotations

import re

# The first continuation line of a multi-line reply (RFC 5321 section 4.2.1): "550-5.7.1 ", "421-".
_CONTINUED = re.compile(r"(?<![\w.-])([245]\d\d)-(?:([245]\.\d{1,3}\.\d{1,3})[ \t]+)?")


def normalise(text: str) -> str:
    """``text`` with the code and status that begin each later line of a multi-line reply removed.

    Reports re-wrap multi-line replies into one line ("550-5.7.1 [192.0.2.1] The user or domain that
    you are sending to (or 550-5.7.1 from) has a policy ..."), and the prefixes left in the middle of
    sentences defeat the wordings. The first prefix stays (with a space for its hyphen), so that the
    reply still starts with its code and status; only the same code (and status) is taken out later."""
    first = _CONTINUED.search(text)
    if first is None:
        return text
    code, status = first.group(1), first.group(2)
    prefix = re.escape(code) + r"[ -]" + (rf"(?:{re.escape(status)}[ \t]+)?" if status else "")
    head = text[: first.start()] + code + " " + (status + " " if status else "")
    rest = re.sub(r"(?:(?<=\s)|^)" + prefix, "", text[first.end():])
    return head + " ".join(rest.split())
