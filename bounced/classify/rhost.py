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


_YAHOO_VOLUME = _words(r"unexpected volume or user complaints")
_YAHOO_DEFERRED = _words(r"\bpermanently deferred\b")
_YAHOO_POLICY = _words(r"not accepted for policy reasons")


def _yahoo(status: str | None, code: int | None, text: str, command: str | None) -> str | None:
    # Yahoo answers "[TSS04] ... temporarily deferred due to unexpected volume or user complaints" also
    # to senders without SPF, DKIM or DMARC: it refuses the sending domain rather than the IP.
    if _YAHOO_VOLUME.search(text):
        return "rejected"
    # "[TSS09] All messages from x will be permanently deferred; Retrying will NOT succeed."
    if _YAHOO_DEFERRED.search(text) and "dkim" not in text.lower():
        return "blocked"
    if _YAHOO_POLICY.search(text):
        return "policyviolation"
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


# Mimecast's "Host network not allowed", "Anti-Spoofing policy" and "Blocked Senders" come from an
# administrator's policy, not from a blocklist.
_MIMECAST_POLICY = _words(r"host network not allowed|anti-spoofing|blocked senders|envelope blocked")


def _mimecast(status: str | None, code: int | None, text: str, command: str | None) -> str | None:
    return "policyviolation" if _MIMECAST_POLICY.search(text) else None


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
    "mimecast.com": _mimecast,
}


def reason(
    remote_mta: str | None, status: str | None, code: int | None, text: str, command: str | None = None
) -> str | None:
    """The reason a provider's own rule gives, or None."""
    if not remote_mta or not remote_mta.split():
        return None
    host = remote_mta.split()[0].strip("[]").rstrip(".").lower()
    for suffix, rule in RULES.items():
        if host == suffix or host.endswith("." + suffix):
            return rule(status, code, text, command)
    return None
