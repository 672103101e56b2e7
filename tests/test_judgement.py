"""The spec's rules of evidence (reasons.md, "Judging from the message's own evidence"), class by class.

Each table is a set of replies in the documented formats of real servers (Postfix, Exim, Sendmail,
qmail, Exchange Online, Gmail, OpenSMTPD, Mimecast, ...), classified as one recipient's Finding:
(finding fields) -> (reason, bounce type, the start of the rule that decided). Negative cases are
beside the positive ones: a refusal of the sender must stay soft, a recipient refusal must stay hard.
"""

from __future__ import annotations

import pytest

from bounced.classify import classify, reply, status
from bounced.model import Action, Finding

F, D = Action.FAILED, Action.DELAYED
RCPT = "nobody@example.org"
SENDERS = ("bounces+x1@mail.example.com", "news@example.com")


def _check(fields: dict, reason: str, bounce_type: str, rule: str) -> None:
    finding = Finding(RCPT, **{"action": F, **fields})
    got_reason, got_type, got_rule = classify(finding)
    assert (got_reason, got_type.value) == (reason, bounce_type), got_rule
    assert got_rule.startswith(rule), got_rule


# Rule 1: unknown-user wording is userunknown at RCPT or after DATA; only the Japanese mobile
# carriers' sender filters answer it after DATA (filtered).
UNKNOWN_AFTER_DATA = [
    ({"diagnostic": "SMTP error from remote mail server after end of data: 550 5.1.1 No such user", "reply_code": 550},
     "userunknown", "hard", "status 5.1.1"),
    ({"diagnostic": "550 Unknown user nobody@example.org", "command": "DATA", "reply_code": 550}, "userunknown", "hard", "text:userunknown"),
    ({"diagnostic": "550 : User unknown", "command": "DATA", "remote_mta": "lsean.ezweb.ne.jp", "reply_code": 550},
     "filtered", "soft", "text:userunknown after DATA"),
    ({"diagnostic": "550 : User unknown", "command": "RCPT", "remote_mta": "lsean.ezweb.ne.jp", "reply_code": 550},
     "userunknown", "hard", "text:userunknown"),
]

# Rule 5: NXDOMAIN or no usable MX/A in a final failure is hostunknown even with 4.x.x; a DNS server
# failure (SERVFAIL, "try again") is not; a delay keeps its cause and is never hard.
DNS = [
    ({"status": "4.0.0", "diagnostic": "DNS Error: DNS type 'mx' lookup of example.invalid responded with code NXDOMAIN Domain name not found: example.invalid"},
     "hostunknown", "hard", "text:hostunknown"),
    ({"status": "4.0.0", "diagnostic": "DNS Error: DNS type 'mx' lookup of example.org responded with code NOERROR DNS type 'mx' lookup of example.org had no relevant answers."},
     "hostunknown", "hard", "text:hostunknown"),
    ({"status": "4.4.3", "diagnostic": "Host or domain name not found. Name service error for name=example.org type=MX: Host not found, try again"},
     "networkerror", "soft", "text:hostunknown, a temporary DNS failure"),
    ({"action": D, "status": "4.4.3", "diagnostic": "DNS Error: DNS type 'mx' lookup of example.invalid responded with code NXDOMAIN"},
     "hostunknown", "none", "text:hostunknown"),
    ({"status": "5.0.0", "diagnostic": "No MX found for domain"}, "hostunknown", "hard", "text:hostunknown"),
    ({"status": "5.4.4", "diagnostic": "Sorry, I couldn't find a mail exchanger or IP address. (#5.4.4)"}, "notaccept", "hard", "text:notaccept"),
]

# Rule 2 and 3: a delay keeps the cause it names (Exim's delay warning for a refused connection); a
# final give-up may say expired.
DELAYS = [
    ({"action": D, "status": "4.0.0", "diagnostic": "retry time not reached for any host after a long failure period; mx.example.org [192.0.2.1]: Connection refused"},
     "networkerror", "none", "text:networkerror"),
    ({"action": D, "reply_code": 421, "diagnostic": "421 Host not reachable."}, "networkerror", "none", "text:networkerror"),
    ({"action": D, "status": "4.2.2", "diagnostic": "452 4.2.2 Mailbox full"}, "mailboxfull", "none", "status 4.2.2"),
    ({"status": "4.4.1", "diagnostic": "connect to mx.example.org[192.0.2.1]:25: Connection timed out"}, "expired", "soft", "text:networkerror, gave up"),
    ({"status": "5.4.7", "diagnostic": "Message could not be delivered for 5 days"}, "expired", "soft", "status 5.4.7"),
    ({"diagnostic": "message is older than 5 days: giving up"}, "expired", "soft", "text:expired"),
]

# Class 2 (rule 6): refusals of the sender or the sending host are never recipient failures, never hard.
SENDER_REFUSALS = [
    # Postfix reject_unlisted_sender: "User unknown in local recipient table" about the *sender*
    ({"status": "5.1.1", "reply_code": 550, "senders": SENDERS,
      "diagnostic": "550 5.1.1 <bounces+x1@mail.example.com>: Sender address rejected: User unknown in local recipient table"},
     "rejected", "soft", "sender named in reply"),
    ({"status": "5.1.1", "reply_code": 550,
      "diagnostic": "550 5.1.1 <bounces+x1@mail.example.com>: Sender address rejected: User unknown in local recipient table"},
     "rejected", "soft", "reply about the sender's address"),
    ({"reply_code": 550, "diagnostic": "SMTP error from remote mail server after MAIL FROM:<bounces+x1@mail.example.com> SIZE=2048: 550 5.1.1 User unknown"},
     "rejected", "soft", "refused at MAIL FROM"),
    ({"reply_code": 550, "diagnostic": "host mx.example.org said: 550 5.1.2 Domain not found (in reply to MAIL FROM command)"},
     "rejected", "soft", "refused at MAIL FROM"),
    ({"reply_code": 553, "diagnostic": ">>> MAIL From:<bounces+x1@mail.example.com> SIZE=2048 <<< 553 5.1.2 Host unknown"},
     "rejected", "soft", "refused at MAIL FROM"),
    ({"diagnostic": "Connected to 192.0.2.1 but my name was rejected. Remote host said: 550 5.1.1 unknown"},
     "blocked", "soft", "refused at HELO/EHLO"),
    ({"reply_code": 550, "command": "CONNECT", "diagnostic": "550 5.1.1 No such user here"}, "blocked", "soft", "refused at connection"),
    ({"reply_code": 554, "senders": SENDERS, "diagnostic": "554 5.7.1 Mail from example.com is not accepted: no such domain"},
     "rejected", "soft", "sender named in reply"),
    ({"reply_code": 553, "diagnostic": "553 5.1.8 Sender domain has no MX record"}, "rejected", "soft", "status 5.1.8"),
    ({"reply_code": 550, "diagnostic": "550 Sender domain has no MX record"}, "rejected", "soft", "reply about the sender's address"),
    ({"reply_code": 550, "senders": SENDERS, "diagnostic": "550 5.7.1 Client host rejected: cannot find your reverse hostname"},
     "requireptr", "soft", "text:requireptr"),
]
# ... and the recipient refusals beside them stay hard: the sender named only in the copy of the
# message, in "MAIL FROM:<x>" of a transcript, or an address at the sender's domain that is the recipient's.
RECIPIENT_REFUSALS = [
    ({"status": "5.1.1", "reply_code": 550, "senders": SENDERS,
      "diagnostic": "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in local recipient table "
                    "Original message follows. Received: from mail.example.com (envelope-from bounces+x1@mail.example.com)"},
     "userunknown", "hard", "status 5.1.1"),
    ({"reply_code": 550, "senders": SENDERS,
      "diagnostic": ">>> MAIL From:<bounces+x1@mail.example.com> SIZE=2048 <<< 250 ok >>> RCPT To:<nobody@example.org> <<< 550 5.1.1 User unknown"},
     "userunknown", "hard", "status 5.1.1"),
    ({"status": "5.1.1", "reply_code": 550, "senders": ("news@example.org",),
      "diagnostic": "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in virtual mailbox table"},
     "userunknown", "hard", "status 5.1.1"),
    ({"reply_code": 550, "command": "RCPT", "senders": SENDERS, "diagnostic": "550 5.1.1 <nobody@example.org>... User unknown"},
     "userunknown", "hard", "status 5.1.1"),
]

# Class 3 (rules 4 and 7): generic and wrapper statuses are weak; the innermost quoted reply decides.
WRAPPERS = [
    ({"status": "5.0.0", "reply_code": 550, "diagnostic": "550 5.0.0 Remote server said: 550 5.7.1 Relaying denied"},
     "norelaying", "soft", "text:norelaying (the quoted reply's, inside wrapper status 5.0.0)"),
    ({"status": "5.1.1", "reply_code": 554, "diagnostic": "554 5.1.1 Remote Server returned '550 5.7.1 Message rejected as spam by Content Filtering'"},
     "spamdetected", "soft", "text:spamdetected"),
    ({"status": "5.0.0", "reply_code": 550, "diagnostic": "550 Rejected"}, "onhold", "soft", "no rule"),
    ({"status": "5.5.0", "reply_code": 550, "diagnostic": "550 Access refused"}, "onhold", "soft", "no rule"),
    ({"reply_code": 550}, "undefined", "soft", "nothing to read"),
    ({"reply_code": 521}, "undefined", "soft", "nothing to read"),
    ({"status": "5.1.0", "reply_code": 550, "diagnostic": "550 5.1.0 Address rejected."}, "onhold", "soft", "no rule"),
    # Exchange Online's directory-based edge blocking: the words, not the routing status 5.4.1, decide
    ({"status": "5.4.1", "reply_code": 550, "diagnostic": "550 5.4.1 Recipient address rejected: Access denied. AS(201806281)"},
     "userunknown", "hard", "directory-based edge blocking"),
    ({"status": "4.4.1", "reply_code": 450, "diagnostic": "450 4.4.1 Recipient address rejected: Access denied"},
     "onhold", "soft", "directory-based edge blocking"),
    # rule 7: a temporary code is no evidence that the address is dead unless the words say so
    ({"status": "4.1.1", "reply_code": 450,
      "diagnostic": "450 4.1.1 <nobody@example.org>: Recipient address rejected: unverified address: Address verification in progress"},
     "onhold", "soft", "no rule"),
    ({"status": "4.1.1", "reply_code": 450, "diagnostic": "450 4.1.1 <nobody@example.org>: Recipient address rejected: User unknown in local recipient table"},
     "userunknown", "hard", "status 4.1.1"),
    ({"reply_code": 450, "diagnostic": "450 Requested action not taken: mailbox unavailable"}, "onhold", "soft", "text:userunknown with a 4xx code"),
    ({"reply_code": 550, "diagnostic": "550 Requested action not taken: mailbox unavailable"}, "userunknown", "hard", "text:userunknown"),
    ({"reply_code": 550, "diagnostic": "550 Mailbox unavailable or access denied"}, "onhold", "soft", "no rule"),
    ({"reply_code": 552, "diagnostic": "552 This server does not accept mail larger than 10 MB"}, "onhold", "soft", "no rule"),
    ({"reply_code": 550, "diagnostic": "550 example.org does not accept mail (nullMX)"}, "notaccept", "hard", "text:notaccept"),
    ({"status": "4.4.7", "reply_code": 554, "diagnostic": "554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>"},
     "expired", "soft", "status 4.4.7"),
    ({"status": "5.0.0", "reply_code": 550, "diagnostic": "550 5.0.0 <nobody@example.org>... No such user"}, "userunknown", "hard", "text:userunknown"),
]

# Class 5: multi-line replies re-wrapped into one line.
MULTILINE = [
    ({"status": "5.7.1", "reply_code": 550,
      "diagnostic": "550-5.7.1 [192.0.2.1] The user or domain that you are sending to (or 550-5.7.1 from) has a policy that prohibited the mail that you sent. 550 5.7.1 Please contact your administrator"},
     "policyviolation", "soft", "text:policyviolation"),
    ({"status": "5.2.2", "reply_code": 552, "diagnostic": "552-5.2.2 The email account that you tried to reach is over 552-5.2.2 quota."},
     "mailboxfull", "soft", "status 5.2.2"),
    ({"reply_code": 550, "diagnostic": "550-Verification failed for <bounces+x1@mail.example.com> 550-Unrouteable address 550 Sender verify failed"},
     "rejected", "soft", "reply about the sender's address"),
]

# Class 7: wording families, and 5.7.x detail codes with no words read by the RFC 3463 / 5248 registry.
WORDINGS = [
    ({"status": "5.7.1", "reply_code": 550, "diagnostic": "550 5.7.1"}, "securityerror", "soft", "status 5.7.1"),
    ({"status": "5.7.20", "reply_code": 550}, "authfailure", "soft", "status 5.7.20"),
    ({"status": "5.7.30", "reply_code": 550}, "failedstarttls", "soft", "status 5.7.30"),
    ({"status": "5.7.2", "reply_code": 550}, "policyviolation", "soft", "status 5.7.2"),
    ({"reply_code": 554, "diagnostic": "554 5.6.0 Message content rejected"}, "contenterror", "soft", "text:spamdetected, content refused"),
    ({"reply_code": 550, "diagnostic": "550 5.7.1 message content rejected"}, "spamdetected", "soft", "text:spamdetected"),
    ({"reply_code": 554, "diagnostic": "554 5.6.0 Message content rejected as spam"}, "spamdetected", "soft", "text:spamdetected"),
    ({"reply_code": 554, "diagnostic": "554 5.7.1 Message rejected: Sanesecurity.Spam.8545.UNOFFICIAL infected"}, "spamdetected", "soft", "text:spamdetected"),
    ({"reply_code": 554, "diagnostic": "554 Email rejected due to security policies - MCSpamSignature.sa.5.1"}, "spamdetected", "soft", "text:spamdetected"),
    ({"reply_code": 452, "diagnostic": "452 4.3.1 Insufficient disk space; try again later"}, "systemfull", "soft", "status 4.3.1"),
    ({"reply_code": 452, "diagnostic": "452 Not enough disk space on the server"}, "systemfull", "soft", "text:systemfull"),
    ({"reply_code": 552, "diagnostic": "552 5.2.2 Disk quota exceeded"}, "mailboxfull", "soft", "status 5.2.2"),
    ({"reply_code": 554, "diagnostic": "554 SMTP protocol violation"}, "syntaxerror", "soft", "text:syntaxerror"),
    ({"reply_code": 550, "diagnostic": "550 Bad header line: Subject"}, "contenterror", "soft", "text:contenterror"),
    ({"reply_code": 550, "diagnostic": "550 5.7.1 Message has a malformed From: header"}, "notcompliantrfc", "soft", "text:notcompliantrfc"),
    ({"reply_code": 530, "diagnostic": "530 5.7.0 Must issue a STARTTLS command first"}, "failedstarttls", "soft", "text:failedstarttls"),
    ({"reply_code": 500, "diagnostic": "500 Remote server does not support TLS (state 6)."}, "failedstarttls", "soft", "text:failedstarttls"),
    ({"diagnostic": "TLS is required, but was not offered by host mx.example.org[192.0.2.1]"}, "failedstarttls", "soft", "text:failedstarttls"),
    ({"reply_code": 550, "diagnostic": "550 Address is on the suppression list"}, "suppressed", "hard", "text:suppressed"),
    ({"reply_code": 550, "diagnostic": "550 Not delivering to previously bounced address"}, "suppressed", "hard", "text:suppressed"),
    ({"diagnostic": "Amazon SES has suppressed sending to this address because it has a recent history of bouncing as an invalid address."},
     "suppressed", "hard", "text:suppressed"),
    ({"diagnostic": "You tried to send to recipient(s) that have been marked as inactive."}, "suppressed", "hard", "text:suppressed"),
    ({"reply_code": 550, "diagnostic": "550 5.7.1 Service does not accept email over IPv6"}, "blocked", "soft", "text:blocked"),
    ({"reply_code": 550, "diagnostic": "550 5.7.705 Access denied, tenant has exceeded threshold"}, "ratelimited", "soft", "text:ratelimited"),
    ({"action": D, "diagnostic": "Connection was dropped by remote host"}, "networkerror", "none", "text:networkerror"),
]

# Class 8: fields read from the wrong place.
WRONG_PLACE = [
    ({"reply_code": 550, "diagnostic": "550 Message refused. Received: from mx.example.org by relay.example.net (Exim 4.94.2) with esmtp"},
     "onhold", "soft", "no rule"),
]

TABLES = {
    "rule1": UNKNOWN_AFTER_DATA, "rule5": DNS, "delays": DELAYS, "sender": SENDER_REFUSALS,
    "recipient": RECIPIENT_REFUSALS, "wrapper": WRAPPERS, "multiline": MULTILINE, "wordings": WORDINGS,
    "wrongplace": WRONG_PLACE,
}
CASES = [(name, i, *row) for name, rows in TABLES.items() for i, row in enumerate(rows)]


@pytest.mark.parametrize(("table", "index", "fields", "reason", "bounce_type", "rule"), CASES,
                         ids=[f"{c[0]}-{c[1]}-{c[3]}" for c in CASES])
def test_judgement(table, index, fields, reason, bounce_type, rule):
    _check(fields, reason, bounce_type, rule)


@pytest.mark.parametrize(("text", "normalised"), [
    ("550-5.7.1 a b (or 550-5.7.1 from) c 550 5.7.1 d", "550 5.7.1 a b (or from) c d"),
    ("host x said: 421-4.7.0 try\n421-4.7.0 again\n421 4.7.0 later", "host x said: 421 4.7.0 try again later"),
    ("550 5.1.1 user unknown", "550 5.1.1 user unknown"),
    ("550-Verification failed\n550 Sender verify failed", "550 Verification failed Sender verify failed"),
])
def test_multiline_replies_are_normalised(text, normalised):
    assert reply.normalise(text) == normalised


@pytest.mark.parametrize(("text", "found"), [
    ("550 5.0.0 Remote server said: 550 5.7.1 Relaying denied", ("5.7.1", True)),
    ("554 4.4.7 Message expired <421 4.4.2 Connection timed out>", ("4.4.7", False)),
    ("550 5.1.1 <x@example.org>: User unknown; y@example.org: 552 5.2.2 Mailbox full", ("5.1.1", False)),
    ("Received: by mx.example.org (Exim 4.94.2) id 1abc; 550 rejected", (None, False)),
    ("(8.14.4/8.14.4) 550 5.1.1 user unknown", ("5.1.1", False)),
    ("Server version 5.2.11 says 550", (None, False)),
])
def test_the_innermost_status_and_not_a_version_string(text, found):
    assert status.innermost(text) == found


def _dsn(diagnostic_lines: str) -> bytes:
    """A Postfix-style multipart/report whose Diagnostic-Code is written as given (CRLF line ends)."""
    text = (
        "From: MAILER-DAEMON@mail.example.com\nTo: bounces+x1@mail.example.com\nSubject: Undelivered Mail Returned to Sender\n"
        "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n"
        "--B\nContent-Type: text/plain\n\nDelivery failed.\n\n"
        "--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mail.example.com\n\n"
        "Final-Recipient: rfc822; nobody@example.org\nAction: failed\nStatus: 5.7.1\n"
        f"{diagnostic_lines}\nRemote-MTA: dns; mx.example.org\n\n--B--\n"
    )
    return text.replace("\n", "\r\n").encode()


# Class 5 in the report: a Diagnostic-Code whose later lines were written unindented, each starting with
# the reply code (the multi-line reply copied line by line), read whole, with the fields after it.
@pytest.mark.parametrize("lines", [
    "Diagnostic-Code: smtp; 550-5.7.1 [192.0.2.1] The user or domain that you are sending to (or\n"
    "550-5.7.1 from) has a policy that prohibited the mail that you sent. Please\n"
    "550 5.7.1 contact your domain administrator for further details.",
    "Diagnostic-Code: smtp; 550-5.7.1 [192.0.2.1] The user or domain that you are sending to (or\n"
    " 550-5.7.1 from) has a policy that prohibited the mail that you sent. Please\n"
    " 550 5.7.1 contact your domain administrator for further details.",
])
def test_a_multiline_diagnostic_code_is_read_whole(lines):
    from bounced.parse import parse_message

    (got,) = parse_message(_dsn(lines)).recipients
    assert (got.status, got.reply_code, got.reason, got.bounce_type.value, got.remote_mta, got.rule) == (
        "5.7.1", 550, "policyviolation", "soft", "mx.example.org", "text:policyviolation")
    assert got.diagnostic.endswith("contact your domain administrator for further details.")


# Class 8 in the report: a reply code from a "220-" greeting banner, a status from a version string.
@pytest.mark.parametrize(("text", "reply_code", "status_code"), [
    ("220-mx.example.org ESMTP Exim 4.94.2 ready\n550 5.7.1 rejected", 550, "5.7.1"),
    ("(Exim 4.94.2) 550 Administrative prohibition", 550, None),
    ("Received: from relay (8.14.4/8.14.4) 554 5.7.1 denied", 554, "5.7.1"),
])
def test_report_fields_are_not_read_from_banners_or_versions(text, reply_code, status_code):
    from bounced.parse.mime import find_reply_code, find_status

    assert (find_reply_code(text), find_status(text)) == (reply_code, status_code)


def test_parse_gives_the_sender_to_the_classifier():
    """The report's To (the original's envelope sender) is compared with the reply (rule 6)."""
    from bounced.parse import parse_message

    lines = "Diagnostic-Code: smtp; 550 5.1.1 <bounces+x1@mail.example.com>: Sender address unknown"
    (got,) = parse_message(_dsn(lines)).recipients
    assert (got.reason, got.bounce_type.value, got.rule) == ("rejected", "soft", "sender named in reply")


EXIM_DELAY = """From: Mail Delivery System <Mailer-Daemon@mail.example.com>
To: bounces+x1@mail.example.com
Subject: Warning: message 1pXyZa-000abc-7Q delayed 24 hours
Auto-Submitted: auto-replied

This message was created automatically by mail delivery software.
A message that you sent has not yet been delivered to one or more of its
recipients after more than 24 hours on the queue on mail.example.com.

The message identifier is:     1pXyZa-000abc-7Q

The address to which the message has not yet been delivered is:

  nobody@example.org
    host mx.example.org [192.0.2.1]: Connection refused
    Delay reason: SMTP error from remote mail server after initial connection:

No action is required on your part. Delivery attempts will continue for
some time, and this warning may be repeated at intervals if the message
remains undelivered. Eventually the mail delivery software will give up,
and when that happens, the message will be returned to you.
"""


def test_exims_delay_warning_keeps_its_cause():
    """Exim's delay warning names a refused connection: networkerror, and a delay is never a failure (rules 2, 3)."""
    from bounced.parse import parse_message

    bounce = parse_message(EXIM_DELAY.encode())
    (got,) = bounce.recipients
    assert (bounce.kind.value, got.action.value, got.reason, got.bounce_type.value, got.rule) == (
        "delay", "delayed", "networkerror", "none", "text:networkerror")


# The kinds of rule that docs/parse-output.md explains; every verdict's rule starts with one of them.
RULE_KINDS = (
    "format", "action", "provider ", "exchange code ", "status ", "text:", "refused at ", "sender named in reply",
    "reply about the sender's address", "directory-based edge blocking", "weak text:", "reply ",
    "still retrying", "no rule", "nothing to read",
)


def test_every_rule_is_of_a_documented_kind():
    from pathlib import Path

    from bounced.output import to_dict
    from bounced.parse import parse_message

    docs = (Path(__file__).resolve().parents[1] / "docs" / "parse-output.md").read_text()
    for kind in RULE_KINDS:
        assert f"`{kind.strip()}" in docs, kind
    for name, index, fields, *_ in CASES:
        rule = classify(Finding(RCPT, **{"action": F, **fields}))[2]
        assert rule.startswith(RULE_KINDS), (name, index, rule)
    (recipient,) = to_dict(parse_message(EXIM_DELAY.encode()))["recipients"]
    for field in recipient:
        assert f"`{field}`" in docs, field
