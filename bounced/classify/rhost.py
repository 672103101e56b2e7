"""Provider-specific overrides keyed on the remote MTA's host name, where a provider's wording is its own."""

from __future__ import annotations

import re
from collections.abc import Callable

# (status, reply code, diagnostic, SMTP command) -> a reason, or None to let the general rules decide.
Rule = Callable[[str | None, int | None, str, str | None], str | None]


def _words(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# Gmail names the help topic of each rejection: "https://support.google.com/mail/?p=NoSuchUser".
_GMAIL_TOPICS = {
    "nosuchuser": "userunknown",
    "disableduser": "suspend",
    "overquotatemp": "mailboxfull",
    "overquotaperm": "mailboxfull",
    "receivingrate": "ratelimited",
    "receivingrateperm": "ratelimited",
    "unsolicitedratelimiterror": "ratelimited",
    "unsolicitedmessageerror": "spamdetected",
    "rfcmessagenoncompliant": "notcompliantrfc",
    "dmarcrejection": "authfailure",
    "invalidsecondarymx": "networkerror",
}
_GMAIL_TOPIC = re.compile(r"\?p=(\w+)")
_GMAIL_RFC5322 = _words(r"rfc ?5322|multiple (?:from|to|subject|date|sender) headers")
_GMAIL_REPUTATION = _words(r"very low reputation")


def _google(status: str | None, code: int | None, text: str, command: str | None) -> str | None:
    topic = _GMAIL_TOPIC.search(text)
    if topic and topic.group(1).lower() in _GMAIL_TOPICS:
        return _GMAIL_TOPICS[topic.group(1).lower()]
    # Gmail explains its 5.7.1/4.7.0 rejections in the text after the code.
    if _GMAIL_RFC5322.search(text):
        return "notcompliantrfc"
    if _GMAIL_REPUTATION.search(text):
        return "badreputation"
    return None


_YAHOO_DEFERRED = _words(r"\bpermanently deferred\b")


def _yahoo(status: str | None, code: int | None, text: str, command: str | None) -> str | None:
    # "[TSS09] All messages from x will be permanently deferred; Retrying will NOT succeed.": the IP.
    # ("[TSS04] ... temporarily deferred due to unexpected volume or user complaints" is badreputation
    # by its words, as everywhere.)
    if _YAHOO_DEFERRED.search(text) and "dkim" not in text.lower():
        return "blocked"
    return None


_DOCOMO_UNKNOWN = _words(r"unknown user")


def _docomo(status: str | None, code: int | None, text: str, command: str | None) -> str | None:
    # NTT docomo answers "550 Unknown user" at DATA when the recipient's domain-designated reception
    # refuses the sender; at RCPT it means the address does not exist.
    if command == "DATA" and _DOCOMO_UNKNOWN.search(text):
        return "rejected"
    return None


# Orange and La Poste end each reply with their own code: "OFR006_102 ... [102]", "LPN000_630".
_ORANGE_CODES = {
    "102": "blocked", "103": "blocked", "104": "ratelimited", "305": "securityerror", "401": "authfailure",
    "402": "securityerror", "403": "rejected", "405": "rejected", "415": "rejected", "416": "userunknown",
    "417": "mailboxfull", "418": "userunknown", "420": "suspend", "421": "rejected", "505": "systemerror",
    "506": "spamdetected", "510": "blocked", "514": "emailtoolarge", "571": "blocked", "630": "policyviolation",
}
_ORANGE_CODE = re.compile(r"\b(?:OFR|LPN|OUK)\d*_(\d{3})\b")


def _orange(status: str | None, code: int | None, text: str, command: str | None) -> str | None:
    found = _ORANGE_CODE.search(text)
    return _ORANGE_CODES.get(found.group(1)) if found else None


# host suffix -> rule; the first suffix that ends the remote MTA's name is asked.
RULES: dict[str, Rule] = {
    "google.com": _google,
    "googlemail.com": _google,
    "gmail.com": _google,
    "yahoodns.net": _yahoo,
    "docomo.ne.jp": _docomo,
    "orange.fr": _orange,
    "wanadoo.fr": _orange,
    "laposte.net": _orange,
}


def reason(
    remote_mta: str | None, status: str | None, code: int | None, text: str, command: str | None = None
) -> tuple[str, str] | None:
    """The reason a provider's own rule gives, and the rule ("provider google.com"), or None."""
    host = _host(remote_mta)
    if host is None:
        return None
    for suffix, rule in RULES.items():
        if host == suffix or host.endswith("." + suffix):
            said = rule(status, code, text, command)
            return (said, f"provider {suffix}") if said else None
    return None


def _host(remote_mta: str | None) -> str | None:
    if not remote_mta or not remote_mta.split():
        return None
    return remote_mta.split()[0].strip("[]").rstrip(".").lower()


# The Japanese mobile carriers, whose users' sender filters answer "user unknown" after DATA
# (spec/reasons.md rule 1): NTT docomo, au (KDDI), SoftBank and their MVNO/legacy domains.
_CARRIERS = (
    "docomo.ne.jp", "ezweb.ne.jp", "au.com", "softbank.ne.jp", "i.softbank.jp", "vodafone.ne.jp",
    "disney.ne.jp", "ymobile.ne.jp", "y-mobile.ne.jp", "emobile.ne.jp", "willcom.com", "pdx.ne.jp",
)


def japanese_carrier(address: str, remote_mta: str | None) -> bool:
    """Whether the recipient's domain, or the host that answered, is a Japanese mobile carrier's."""
    names = (address.rpartition("@")[2].lower(), _host(remote_mta) or "")
    return any(name == c or name.endswith("." + c) for name in names for c in _CARRIERS)
