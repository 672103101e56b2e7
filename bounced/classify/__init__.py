"""classify(finding) -> (reason, bounce_type, rule): one reason of reasons.md for every recipient."""

from __future__ import annotations

import re

from bounced.classify import evidence, reply, rhost, sender, status
from bounced.classify.command import command_of
from bounced.classify.reasons import HARD, MODULES, NEEDLES, phrases, spamdetected
from bounced.classify.reasons.networkerror import NO_ANSWER as _NO_ANSWER
from bounced.model import Action, BounceType, Finding

# Most specific wording first: "mailbox full" beats "user", "relay denied" beats "denied", a PTR
# requirement beats "blocked", an IP block beats "mailbox unavailable" and the word "spam".
TEXT_ORDER = (
    "suppressed", "notcompliantrfc", "virusdetected", "hasmoved", "emailtoolarge", "systemfull",
    "mailboxfull", "suspend", "requireptr", "authfailure", "badreputation", "ratelimited",
    "notaccept", "norelaying", "filtered", "blocked", "hostunknown", "userunknown", "failedstarttls", "securityerror",
    "spamdetected", "policyviolation", "rejected", "contenterror", "mailererror", "networkerror",
    "systemerror", "expired", "syntaxerror",
)
# Wordings precise enough to overrule even an unambiguous status: servers put 5.1.1 or 5.2.2 on
# rejections that are really rate limits, IP blocks or recipient preferences.
OUTRANKS_STATUS = frozenset({
    "suppressed",
    "notcompliantrfc", "virusdetected", "hasmoved", "mailboxfull", "suspend", "requireptr", "authfailure",
    "badreputation", "ratelimited", "notaccept", "norelaying", "filtered", "blocked", "spamdetected",
    "policyviolation",
})
# Enhanced status codes of a mailbox that exists but refused ("X.2.0 other mailbox status",
# "X.2.1 mailbox disabled"): a "user unknown" with them comes from a filter.
_MAILBOX_REFUSED = frozenset({"5.2.0", "5.2.1", "4.2.0", "4.2.1"})
# Exchange Online's directory-based edge blocking, "550 5.4.1 Recipient address rejected: Access denied.
# AS(201806281)": Microsoft documents it as a recipient that is not in the tenant's directory, so the
# words say the address is unknown whatever the routing status (5.4.1) says; with a 4xx code it is a
# directory that may still be synchronising (spec rule 7: soft).
_EDGE_BLOCKING = re.compile(r"recipient address(?:es)? rejected ?: access denied")
# Postfix's "Host or domain name not found. ... type=MX: Host not found, try again" is a DNS server failure
# (SERVFAIL, a timeout), not a name that does not exist (spec rule 5 is about NXDOMAIN and no MX/A).
_DNS_TEMPORARY = re.compile(r"not found, try again|temporary failure in name resolution|servfail")
_TEXT_LIMIT = 1500  # a diagnostic longer than this has quoted more than the reply; its head is what counts
# RFC 5321's default text of 450 and 550, "Requested action not taken: mailbox unavailable": with a 4xx
# code it means busy or temporarily blocked; only plainer words then say the user is unknown.
_BUSY = re.compile(r"mailbox (?:is )?unavailable")
_UNKNOWN_PLAIN = re.compile(r"user unknown|unknown user|no such user|does not exist|not found|unknown recipient")


def classify(finding: Finding) -> tuple[str, BounceType, str]:
    """The reason, bounce type and the rule that decided, for one recipient.

    The reply is read as one sentence (multi-line prefixes taken out, reply.py), and the status that
    counts is the innermost quoted reply's, not a relay's or an ESP's wrapper around it (status.innermost).
    The order, first match wins:

    1. a reason the format itself states (ARF -> feedback, auto-reply -> vacation);
    2. delivered, relayed or expanded actions -> delivered;
    3. a provider rule keyed on the remote host (rhost.py);
    4. an Exchange diagnostic code in the text (RESOLVER.RST.RecipSizeLimit, ...: status.EXCHANGE_CODES);
       Exchange Online's directory-based edge blocking ("Recipient address rejected: Access denied")
       -> userunknown on a 5xx code (not in the tenant's directory), onhold on a 4xx;
    5. an enhanced status code whose meaning is unambiguous (status.DEFINITIVE, e.g. 5.1.1), unless the
       text names a reason in OUTRANKS_STATUS and not the status's own ("550 5.1.1 ... has sent to too
       many recipients this hour"), or the code is temporary (4.1.1) and the words do not say the
       address is dead;
    6. the diagnostic text, reason by reason in TEXT_ORDER (the text says more than a 5.7.1 or 5.0.0).
       Some readings depend on more than the words (_reading): "user unknown" after DATA at a Japanese
       mobile carrier, or beside a x.2.x status of a mailbox that exists, is filtered; RFC 5321's
       "mailbox unavailable" with a 4xx code is a busy mailbox; a DNS failure that says "try again"
       is networkerror, not hostunknown; a failed report whose host never answered is expired;
       content refused without spam words is contenterror;
    7. any other status code a reason claims (RFC 3463 / RFC 5248 for the 5.7.x details);
    8. weak wordings (a bare sysexits exit status), then the SMTP command that was refused: the
       connection or HELO -> blocked (the client host), MAIL FROM -> rejected (the sender);
    9. the SMTP reply code a reason claims;
    10. nothing more to read: a delayed action, or a failed one with a 4.x.x status and no text ->
        expired (the sending MTA retries, or retried and gave up); else onhold (there is text or a
        status) or undefined.

    Hard needs evidence about the recipient (spec rule 7, evidence.py): a hard status yields to the words
    when it is temporary, a verification probe's wrapper or only the report's Status field, and to words
    of a relay or host refusal; hard words in a reply to AUTH, beside a refusal of the sender's side or
    about the From header are soft; RFC 5321's "mailbox unavailable" decides only after every other
    wording, on a 5xx at RCPT; Exchange's edge-blocking words need Microsoft's marks.

    Last, a verdict about the recipient (its address, mailbox or domain) becomes blocked or rejected
    when the reply answered the connection, HELO or MAIL FROM, names the original's sender, or
    speaks of the sender's address (spec rule 6, sender.py).
    """
    reason, rule = _reason(finding)
    return reason, bounce_type(reason, finding), rule


def bounce_type(reason: str, finding: Finding) -> BounceType:
    """hard only where the address itself is dead; none for anything but a failed action."""
    if finding.action is not Action.FAILED or reason in ("delivered", "feedback", "vacation"):
        return BounceType.NONE
    if reason == "notaccept":
        return BounceType.SOFT if _klass(finding) == "4" else BounceType.HARD
    return BounceType.HARD if reason in HARD else BounceType.SOFT


def _klass(f: Finding) -> str:
    code = status.in_text(f.diagnostic or "") or f.status or str(f.reply_code or "")
    return code[:1]


def _said(text: str, present: set[str] | None = None) -> str | None:
    """The first reason in TEXT_ORDER whose wording the (lower-cased) diagnostic uses."""
    if not text:
        return None
    present = NEEDLES.present(text) if present is None else present
    hopeful = NEEDLES.hopeful(present)  # most reasons' literals are not in the text: skip them at once
    for name in TEXT_ORDER:
        phrases = MODULES[name].PHRASES
        if phrases in hopeful and phrases.search(text, present):
            return name
    return None


def _reason(f: Finding) -> tuple[str, str]:
    if f.reason:
        return f.reason, f"format states {f.reason}"
    if f.action in (Action.DELIVERED, Action.RELAYED, Action.EXPANDED):
        return "delivered", f"action {f.action.value}"
    text = reply.normalise(f.diagnostic or "")[:_TEXT_LIMIT]
    lowered = text.lower()
    inner, wrapped = status.innermost(text)
    code = inner or f.status
    command = command_of(f.command, text)
    reason, rule = _decided(f, text, lowered, code, command)
    if wrapped and rule.startswith(("status", "text")):
        rule += f" (the quoted reply's, inside wrapper status {status.in_text(text)})"
    return _about_sender(reason, rule, f, lowered, command)


def _decided(f: Finding, text: str, lowered: str, code: str | None, command: str | None) -> tuple[str, str]:
    by_host = rhost.reason(f.remote_mta, code, f.reply_code, text, command)
    if by_host:
        return by_host
    by_exchange = status.exchange_reason(text)
    if by_exchange:
        return by_exchange, "exchange code " + status.EXCHANGE_RE.search(text).group(1)
    if _EDGE_BLOCKING.search(lowered) and evidence.microsoft(f, lowered, code):
        if (code or str(f.reply_code or ""))[:1] == "5":
            return "userunknown", "directory-based edge blocking: not in the tenant's directory"
        return "onhold", "directory-based edge blocking with a 4xx code: the directory may be synchronising"
    present = NEEDLES.present(lowered)
    said = _said(lowered, present)
    if code in status.DEFINITIVE:
        by_status = status.DEFINITIVE[code]
        own_words = said == by_status or MODULES[by_status].PHRASES.search(lowered, present)
        # a temporary code is not evidence that the address is dead: "450 4.1.1 ... unverified address:
        # Address verification in progress" (spec rule 7); nor a verification probe's wrapper, nor a bare
        # Status field beside words that name another reason: the words must say so too (evidence.py)
        weak = evidence.doubtful_status(code, lowered, text, said) and by_status in HARD and not own_words
        # words that say the server refused to relay or refused the sending host make a hard status's
        # own words unreliable too: "550 5.1.1 <x>... No such user here (relaying denied)" is a server
        # that is not the recipient's and knows nothing of the mailbox (spec rule 7)
        beside = by_status in HARD and said in evidence.NOT_THE_MAILBOX
        if not weak and not beside and (said not in OUTRANKS_STATUS or own_words):
            return by_status, f"status {code}"
    if said:
        return _reading(said, f, lowered, code or str(f.reply_code or ""), command)
    return _without_words(f, lowered, code, command)


def _about_sender(reason: str, rule: str, f: Finding, lowered: str, command: str | None) -> tuple[str, str]:
    """A refusal of the sender or the sending host is never about the recipient (spec rule 6)."""
    if reason not in sender.ABOUT_RECIPIENT:
        return reason, rule
    by_phase = sender.refused(command)
    if by_phase:
        return by_phase, f"refused at {_PHASES[command or '']}"
    if sender.named(f, lowered):
        return "rejected", "sender named in reply"
    if sender.spoken_of(lowered):
        return "rejected", "reply about the sender's address"
    return reason, rule


_PHASES = {"CONNECT": "connection", "HELO": "HELO/EHLO", "MAIL": "MAIL FROM"}


def _reading(said: str, f: Finding, text: str, code: str, command: str | None) -> tuple[str, str]:
    """What the words mean given the action, the command they answered and the code that came with them."""
    rule = f"text:{said}"
    doubted = evidence.doubted(said, f, text)
    if doubted:
        return doubted
    if said == "userunknown" and command == "DATA" and rhost.japanese_carrier(f.address, f.remote_mta):
        return "filtered", rule + " after DATA, a Japanese carrier's sender filter"
    if said == "userunknown" and code in _MAILBOX_REFUSED and command != "RCPT":
        return "filtered", rule + f" against status {code} (a mailbox that exists)"
    if said == "spamdetected" and _content_refused_only(text) and code[:3] not in ("5.7", "4.7"):
        return "contenterror", rule + ", content refused without spam words"
    if said == "virusdetected" and _SPAM_SIGNATURE.search(text, _present(text)):
        return "spamdetected", "text:spamdetected, a spam signature of a virus scanner"
    if said == "userunknown" and code[:1] == "4" and _BUSY.search(text) and not _UNKNOWN_PLAIN.search(text):
        return "onhold", rule + " with a 4xx code: RFC 5321's busy or temporarily blocked mailbox"
    if said == "hostunknown" and _DNS_TEMPORARY.search(text):
        return "networkerror", rule + ", a temporary DNS failure"  # SERVFAIL or a timeout, not NXDOMAIN
    if said == "networkerror" and f.action is Action.FAILED and (code[:1] != "5" or code == "5.0.0") and _NO_ANSWER.search(text):
        return "expired", rule + ", gave up"  # on a host that never answered (spec rule 3: cause or expired)
    if said == "systemerror" and command == "CONNECT":
        return "blocked", "refused at connection"  # "421 Service not available" to the greeting
    return said, rule


def _without_words(f: Finding, text: str, code: str | None, command: str | None) -> tuple[str, str]:
    for candidate in dict.fromkeys((code, f.status)):
        for name, module in MODULES.items():
            if candidate and candidate in module.STATUSES and not (candidate[0] == "4" and name in HARD and text):
                return name, f"status {candidate}"  # (a temporary code with words that do not say dead is weak)
    ambiguous = evidence.ambiguous_unknown(f, text, code, command)
    if ambiguous:
        return ambiguous
    for name, module in MODULES.items():
        weak = getattr(module, "WEAK", None)
        if weak is not None and text and weak.search(text):
            return name, f"weak text:{name}"
    klass = (code or str(f.reply_code or ""))[:1]
    if command in _PHASES and klass in ("4", "5"):
        return sender.refused(command) or "blocked", f"refused at {_PHASES[command]}"
    for name, module in MODULES.items():
        if f.reply_code in module.REPLY_CODES:
            return name, f"reply {f.reply_code}"
    if f.action is Action.DELAYED or (not text and klass == "4"):
        return "expired", "still retrying, or retried without an answer"
    return ("onhold", "no rule") if (text or code) else ("undefined", "nothing to read")


def _present(text: str) -> set[str]:
    return NEEDLES.present(text)


def _content_refused_only(text: str) -> bool:
    """Whether the only spam wording is a bare "content rejected" (no spam word: spec, class contenterror)."""
    without = _SPAM_CONTENT_REFUSED_RE.sub(" ", text)
    return without != text and not MODULES["spamdetected"].PHRASES.search(without)


_SPAM_CONTENT_REFUSED_RE = re.compile("|".join(spamdetected.CONTENT_REFUSED.alternatives))
_SPAM_SIGNATURE = phrases(r"spam ?signature", r"sanesecurity\.(?:spam|junk|jurlbl|scam|phish)")

