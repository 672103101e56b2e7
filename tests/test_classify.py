"""The classifier on real server wordings: (status, reply code, diagnostic, action) -> (reason, bounce type).

Each row is a reply that a mail server or service is known to send (Postfix, Exim, Sendmail, qmail,
Courier, Exchange / Office 365, Gmail, Yahoo, Outlook.com, Japanese carriers, ...), with the host
name or the SMTP command only where the classifier is meant to use them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bounced.classify import OUTRANKS_STATUS, TEXT_ORDER, classify, rhost, status
from bounced.classify.reasons import HARD, MODULES, NAMES, NOT_FAILURES
from bounced.model import Action, Finding
from wordings_mailbox import ROWS as MAILBOX_ROWS
from wordings_policy import ROWS as POLICY_ROWS
from wordings_system import ROWS as SYSTEM_ROWS

F, D = Action.FAILED, Action.DELAYED

# (status, reply code, diagnostic, action, extra Finding fields) -> (reason, bounce type)
ROWS = [
    # userunknown
    (None, 550, "550 Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550", F, {"remote_mta": "eu-smtp-inbound-1.mimecast.com"}, "userunknown", "hard"),
    ("5.1.1", 550, "550 5.1.1 <x@example.org>: Recipient address rejected: User unknown; 552 5.2.2 <y@example.org>: Mailbox full", F, {}, "userunknown", "hard"),
    ("5.1.1", 550, "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in local recipient table", F, {}, "userunknown", "hard"),
    ("5.1.1", 550, "550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address", F, {"remote_mta": "gmail-smtp-in.l.google.com"}, "userunknown", "hard"),
    ("5.0.0", 550, "550 5.0.0 <nobody@example.org>... No such user", F, {}, "userunknown", "hard"),
    (None, None, "Sorry, no mailbox here by that name. (#5.1.1)", F, {}, "userunknown", "hard"),
    ("5.1.10", 550, "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup", F, {}, "userunknown", "hard"),
    (None, 550, "550 Requested action not taken: mailbox unavailable", F, {}, "userunknown", "hard"),
    (None, 554, "554 delivery error: dd This user doesn't have a yahoo.com account (nobody@yahoo.com) [0]", F, {}, "userunknown", "hard"),
    ("4.1.1", 450, "450 4.1.1 <nobody@example.org>: Recipient address rejected: User unknown in local recipient table", D, {}, "userunknown", "none"),
    ("4.1.1", 450, "450 4.1.1 <nobody@example.org>: Recipient address rejected: unverified address: unknown user", F, {}, "userunknown", "hard"),
    (None, 550, "550 Unknown user nobody@docomo.ne.jp", F, {"command": "RCPT TO", "remote_mta": "mfsmax.docomo.ne.jp"}, "userunknown", "hard"),
    # OpenSMTPD's local delivery through OpenBSD's mail.local, with its generic 5.3.0
    ("5.3.0", None, '"mail.local: unknown name: ghost"', F, {}, "userunknown", "hard"),
    # hostunknown
    (None, 550, "550 5.1.2 <x@example.invalid>: Recipient address rejected: Domain not found", F, {}, "hostunknown", "hard"),
    ("4.4.3", None, "Host or domain name not found. Name service error for name=example.org type=MX: Host not found, try again", D, {}, "networkerror", "none"),
    (None, None, "Name service error for name=example.org type=MX: Host not found, try again", F, {}, "networkerror", "soft"),
    ("5.4.4", None, "Host or domain name not found. Name service error for name=example.invalid type=A: Host not found", F, {}, "hostunknown", "hard"),
    ("5.1.2", None, "Sorry, I couldn't find any host named example.invalid. (#5.1.2)", F, {}, "hostunknown", "hard"),
    (None, None, "Unrouteable address", F, {}, "hostunknown", "hard"),
    (None, None, "DNS lookup failure: host example.invalid not found", F, {}, "hostunknown", "hard"),
    # hasmoved
    ("5.1.6", 550, "550 5.1.6 recipient no longer on server: nobody@example.org", F, {}, "hasmoved", "hard"),
    (None, 551, "551 User not local; please try <someone@example.net>", F, {}, "hasmoved", "hard"),
    (None, 550, "550 Address nobody@example.org has been replaced by someone@example.net", F, {}, "hasmoved", "hard"),
    # notaccept
    ("5.1.10", 556, "556 5.1.10 Recipient address has null MX", F, {}, "notaccept", "hard"),
    ("4.0.0", None, "DNS Error: DNS type 'mx' lookup of example.org responded with code NOERROR The domain example.org doesn't receive email according to the administrator: returned Null MX", F, {}, "notaccept", "soft"),
    (None, None, "No mx record found for domain=example.org", F, {}, "notaccept", "hard"),
    (None, 521, "521 5.3.2 mx.example.org does not accept mail", F, {}, "notaccept", "hard"),
    # mailboxfull
    ("5.2.2", 552, "552 5.2.2 <nobody@example.org>: user is over quota", F, {}, "mailboxfull", "soft"),
    ("4.2.2", 452, "452-4.2.2 The email account that you tried to reach is over quota.", D, {}, "mailboxfull", "none"),
    ("5.1.1", 552, "552 5.2.2 Over quota", F, {}, "mailboxfull", "soft"),
    (None, None, "Quota exceeded message delivery failed to /var/mail/nobody", F, {}, "mailboxfull", "soft"),
    (None, 552, "552 Requested mail action aborted: exceeded storage allocation", F, {}, "mailboxfull", "soft"),
    (None, None, "User mailbox exceeds allowed size: nobody@example.org", F, {}, "mailboxfull", "soft"),
    # emailtoolarge
    ("5.3.4", 552, "552 5.3.4 Message is too large; 10485760 bytes max", F, {}, "emailtoolarge", "soft"),
    ("5.3.4", 552, "552 5.3.4 Error: message file too big", F, {}, "emailtoolarge", "soft"),
    ("5.2.3", 550, "550 5.2.3 RESOLVER.RST.RecipSizeLimit; message too large for this recipient", F, {}, "emailtoolarge", "soft"),
    (None, None, "Mail size limit exceeded. For explanation visit http://postmaster.1and1.com/en/error-messages", F, {}, "emailtoolarge", "soft"),
    (None, 552, "552 Message size exceeds maximum permitted", F, {}, "emailtoolarge", "soft"),
    # emailtoolarge
    ("5.2.3", 552, "552 5.2.3 Message size exceeds fixed maximum message size (10485760)", F, {}, "emailtoolarge", "soft"),
    ("5.2.3", 552, "552 5.2.3 Message exceeds the recipient's limit", F, {}, "emailtoolarge", "soft"),
    ("5.2.3", 552, "552 5.2.3 Message length exceeds administrative limit", F, {}, "emailtoolarge", "soft"),
    # systemfull
    ("4.3.1", 452, "452 4.3.1 Insufficient system storage", D, {}, "systemfull", "none"),
    (None, 452, "452 Mail system full, try again later", F, {}, "systemfull", "soft"),
    (None, None, "write error: No space left on device", F, {}, "systemfull", "soft"),
    # suspend
    ("5.2.1", 550, "550-5.2.1 The email account that you tried to reach is disabled.", F, {}, "suspend", "soft"),
    ("5.7.13", 525, "525 5.7.13 Disabled recipient address", F, {}, "suspend", "soft"),
    (None, None, "vdelivermail: account is locked email bounced", F, {}, "suspend", "soft"),
    (None, 550, "550 Mailbox disabled due to inactivity", F, {}, "suspend", "soft"),
    # filtered
    ("5.1.1", 550, "550 5.1.1 RCP-P2 http://postmaster.facebook.com/response_codes Refused due to recipient preferences", F, {}, "filtered", "soft"),
    ("5.2.0", 550, "550 : User unknown", F, {"remote_mta": "lsean.ezweb.ne.jp"}, "filtered", "soft"),
    # spec rule 1: unknown-user wording after DATA is userunknown, except at the Japanese carriers
    (None, 550, "SMTP error from remote mail server after end of data: 550 : User unknown", F, {}, "userunknown", "hard"),
    (None, 550, "SMTP error from remote mail server after end of data: 550 : User unknown", F, {"remote_mta": "lsean.ezweb.ne.jp"}, "filtered", "soft"),
    ("5.2.1", 550, "550 5.2.1 <nobody@example.jp>... User Unknown", F, {}, "filtered", "soft"),
    ("5.2.0", 550, "550 5.2.0 Message Filtered", F, {}, "filtered", "soft"),
    (None, 550, "550 Delivery not authorized, message refused", F, {}, "filtered", "soft"),
    # rejected
    ("4.1.8", 450, "450 4.1.8 <sender@example.invalid>: Sender address rejected: Domain not found", F, {}, "rejected", "soft"),
    (None, 550, "550 Sender address rejected: Domain not found", F, {}, "rejected", "soft"),
    ("5.7.27", 550, "550 5.7.27 Sender address has null MX", F, {}, "rejected", "soft"),
    (None, 550, "550 You are not a member of this mailing list <list@example.org>.", F, {}, "rejected", "soft"),
    (None, None, "The group you tried to contact (g) may not exist, or you may not have permission to post messages to the group.", F, {}, "rejected", "soft"),
    (None, 550, "550 Sender address does not exist", F, {}, "rejected", "soft"),
    ("5.1.8", 553, "553 5.1.8 <sender@example.com>... Domain of sender address sender@example.com does not exist", F, {}, "rejected", "soft"),
    (None, 550, "550 Unroutable sender address", F, {"command": "MAIL FROM"}, "rejected", "soft"),
    ("5.7.1", 550, "Connected to 192.0.2.1 but sender was rejected. Remote host said: 550 5.7.1 <sender@example.com>... Access denied", F, {}, "rejected", "soft"),
    (None, 550, "550 Sender verify failed", F, {}, "rejected", "soft"),
    ("4.7.0", 421, "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes", F, {"remote_mta": "mta7.am0.yahoodns.net"}, "badreputation", "soft"),
    (None, 550, "550 5.7.1 <root@example.org>: Sender address rejected: Access denied", F, {}, "rejected", "soft"),
    # blocked
    ("4.7.0", 421, "421 4.7.0 [TSS09] All messages from 192.0.2.1 will be permanently deferred; Retrying will NOT succeed.", F, {"remote_mta": "mta5.am0.yahoodns.net"}, "blocked", "soft"),
    ("5.7.0", 550, "550 5.7.0 Blocked - see https://support.proofpoint.com/dnsbl-lookup.cgi?ip=192.0.2.1", F, {}, "blocked", "soft"),
    (None, 554, "SMTP error from remote mail server after initial connection: 554 mx.example.org ESMTP not accepting messages", F, {}, "blocked", "soft"),
    ("5.7.1", 554, "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org", F, {}, "blocked", "soft"),
    ("5.7.606", 550, "550 5.7.606 Access denied, banned sending IP [192.0.2.1]. To request removal from this list please visit https://sender.office.com/", F, {}, "blocked", "soft"),
    ("5.1.1", 550, "550 5.7.1 IP address blacklisted by recipient", F, {}, "blocked", "soft"),
    ("4.7.1", 450, "450 4.7.1 <host.example.net[192.0.2.1]>: Client host rejected: may not be mail exchanger", F, {}, "blocked", "soft"),
    (None, 421, "host mx.example.org refused to talk to me: 421 Service not available, closing transmission channel", F, {}, "blocked", "soft"),
    (None, 550, "550 SC-001 (BAY0-MC1-F1) Unfortunately, messages from 192.0.2.1 weren't sent. Please contact your Internet service provider since part of their network is on our block list.", F, {}, "blocked", "soft"),
    # badreputation
    ("5.7.1", 550, "550-5.7.1 Our system has detected that this message is likely suspicious due to the very low reputation of the sending IP address", F, {"remote_mta": "gmail-smtp-in.l.google.com"}, "badreputation", "soft"),
    ("4.7.650", 451, "451 4.7.650 The mail server [192.0.2.1] has been temporarily rate limited due to IP reputation.", F, {}, "badreputation", "soft"),
    ("4.7.0", 421, "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints", F, {}, "badreputation", "soft"),
    # spamdetected
    ("5.7.1", 550, "550 5.7.1 Message content rejected, UBE, id=00000-22-225", F, {}, "spamdetected", "soft"),
    ("5.7.0", 554, "554 5.7.0 Reject, id=20025-09 - SPAM", F, {}, "spamdetected", "soft"),
    ("5.7.1", 550, "550-5.7.1 Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked.", F, {}, "spamdetected", "soft"),
    ("5.0.0", None, "Your email to group g@example.com was rejected due to spam classification. Set up SPF records for your sending domain if you have not done so already.", F, {}, "spamdetected", "soft"),
    # virusdetected
    (None, 550, "550 Virus detected: Eicar-Test-Signature", F, {}, "virusdetected", "soft"),
    ("5.7.1", 554, "554 5.7.1 The message was rejected because it contains malware", F, {}, "virusdetected", "soft"),
    (None, 554, "554 Message infected with Win.Trojan.Agent", F, {}, "virusdetected", "soft"),
    # contenterror
    ("5.6.9", 550, "550 5.6.9 improper use of 8-bit data in message header", F, {}, "contenterror", "soft"),
    ("5.6.0", 554, "554 5.6.0 Message contains invalid header", F, {}, "contenterror", "soft"),
    (None, 552, "552 Header line too long", F, {}, "contenterror", "soft"),
    # policyviolation
    ("5.7.0", 552, "552-5.7.0 This message was blocked because its content presents a potential security issue.", F, {}, "policyviolation", "soft"),
    (None, 554, "554 Message not allowed - [PH01] Email not accepted for policy reasons.", F, {}, "policyviolation", "soft"),
    ("5.7.1", 550, "550 5.7.1 TRANSPORT.RULES.RejectMessage; the message was rejected by organization policy", F, {}, "policyviolation", "soft"),
    (None, 554, "554 Host network not allowed - https://community.mimecast.com/docs/DOC-1369#554", F, {"remote_mta": "us-smtp-inbound-1.mimecast.com"}, "policyviolation", "soft"),
    ("5.7.1", 554, "554 5.7.1 <x.example.net[192.0.2.1]>: Client host rejected: LPN000_630", F, {"remote_mta": "smtpz4.laposte.net"}, "policyviolation", "soft"),
    # authfailure
    ("5.7.26", 550, "550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy.", F, {}, "authfailure", "soft"),
    ("5.7.1", 550, "550-5.7.1 This message does not have authentication information or fails to pass authentication checks (SPF or DKIM).", F, {}, "authfailure", "soft"),
    ("5.7.509", 550, "550 5.7.509 Access denied, sending domain [EXAMPLE.COM] does not pass DMARC verification and has a DMARC policy of reject.", F, {}, "authfailure", "soft"),
    (None, 550, "550 DMARC check failed.", F, {}, "authfailure", "soft"),
    ("5.7.23", 550, "550 5.7.23 SPF validation failed", F, {}, "authfailure", "soft"),
    # requireptr
    ("5.7.25", 550, "550-5.7.25 The IP address sending this message does not have a PTR record setup", F, {}, "requireptr", "soft"),
    ("4.7.1", 450, "450 4.7.1 Client host rejected: cannot find your hostname, [192.0.2.1]", F, {}, "requireptr", "soft"),
    (None, 554, "554 5.7.1 Reverse DNS failed.", F, {}, "requireptr", "soft"),
    # securityerror
    ("5.7.1", 550, "550 5.7.1 RESOLVER.RST.AuthRequired; authentication required", F, {}, "securityerror", "soft"),
    # failedstarttls
    ("5.7.0", 530, "530 5.7.0 Must issue a STARTTLS command first", F, {}, "failedstarttls", "soft"),
    ("5.7.10", 523, "523 5.7.10 Encryption Needed", F, {}, "failedstarttls", "soft"),
    ("4.7.5", 454, "TLS is required, but was not offered by host mx.example.org[192.0.2.1]", D, {}, "failedstarttls", "none"),
    # suppressed: a relay's own suppression list (hard: that relay will never deliver)
    ("5.1.1", 550, "Amazon SES did not send the message to this address because it is on the suppression list for your account.", F, {}, "suppressed", "hard"),
    (None, 550, "550 The recipient is on the account-level suppression list", F, {}, "suppressed", "hard"),
    (None, 550, "550 Unauthenticated senders not allowed", F, {}, "securityerror", "soft"),
    ("5.7.1", 530, "530 5.7.1 Client was not authenticated", F, {}, "securityerror", "soft"),
    ("5.7.9", 550, "550 5.7.9 Rejected", F, {}, "securityerror", "soft"),
    # norelaying
    ("5.7.1", 554, "554 5.7.1 <someone@example.org>: Relay access denied", F, {}, "norelaying", "soft"),
    ("5.7.1", 550, "550 5.7.1 Unable to relay", F, {}, "norelaying", "soft"),
    (None, 553, "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)", F, {}, "norelaying", "soft"),
    # notcompliantrfc
    ("5.7.1", 550, "550-5.7.1 This message is not RFC 5322 compliant. There are multiple Subject headers.", F, {"remote_mta": "aspmx.l.google.com"}, "notcompliantrfc", "soft"),
    ("5.7.1", 550, "550-5.7.1 [192.0.2.1 13] Messages with multiple addresses in From: header are not accepted.", F, {}, "notcompliantrfc", "soft"),
    (None, 554, "554 Message headers are not RFC compliant", F, {}, "notcompliantrfc", "soft"),
    # syntaxerror
    ("5.5.0", 503, "503 Improper sequence of commands", F, {}, "syntaxerror", "soft"),
    (None, 500, "500 5.5.1 Command unrecognized", F, {}, "syntaxerror", "soft"),
    (None, 501, "501 5.5.4 Syntax error in parameters or arguments", F, {}, "syntaxerror", "soft"),
    # ratelimited
    ("4.3.2", 452, "452 4.3.2 Connection rate limit exceeded.", F, {}, "ratelimited", "soft"),
    ("4.5.3", 452, "452 4.5.3 Error: too many recipients", F, {}, "ratelimited", "soft"),
    (None, 550, "550 Connection frequency limited. http://service.mail.qq.com/", F, {}, "ratelimited", "soft"),
    (None, 421, "421 Too many concurrent SMTP connections; please try again later.", D, {}, "ratelimited", "none"),
    # ratelimited
    ("5.4.5", 550, "550 5.4.5 Daily user sending quota exceeded.", F, {}, "ratelimited", "soft"),
    ("4.7.28", 421, "421-4.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP address.", F, {}, "ratelimited", "soft"),
    ("5.2.1", 550, "550-5.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered.", F, {}, "ratelimited", "soft"),
    ("5.1.1", 550, "550 5.1.1 <x@example.com> - 192.0.2.1 has sent to too many recipients this hour. IB607", F, {}, "ratelimited", "soft"),
    (None, 451, "451 Throttled - try again later", F, {}, "ratelimited", "soft"),
    # networkerror
    (None, None, "Too many \"Received\" headers - suspected mail loop", F, {}, "networkerror", "soft"),
    ("5.4.6", 554, "554 5.4.6 Too many hops", F, {}, "networkerror", "soft"),
    ("5.4.312", 550, "550 5.4.312 Message expired, DNS query failed", F, {}, "networkerror", "soft"),
    ("4.4.1", None, "connect to mx.example.org[192.0.2.1]:25: Connection refused", D, {}, "networkerror", "none"),
    ("5.4.6", 554, "mail for example.org loops back to myself", F, {}, "networkerror", "soft"),
    ("4.0.0", None, "DNS Error: DNS type 'mx' lookup of example.comn responded with code NXDOMAIN Domain name not found: example.comn", F, {}, "hostunknown", "hard"),
    # expired
    ("4.4.7", None, "", F, {}, "expired", "soft"),
    (None, None, "Delivery to the following recipients was aborted after 5.0 hour(s): Routing: Could not find a gateway", F, {}, "expired", "soft"),
    ("4.4.1", None, "connect to mx.example.org[192.0.2.1]:25: Connection timed out", F, {}, "expired", "soft"),
    ("4.4.1", None, "connect to mx.example.org[192.0.2.1]:25: Connection timed out", D, {}, "networkerror", "none"),
    # Postfix at the end of its queue lifetime: every attempt was refused, and it gave up
    ("4.4.1", None, "connect to mx.example.org[192.0.2.1]:25: Connection refused", F, {}, "expired", "soft"),
    ("4.4.1", None, "connect to mx.example.org[192.0.2.1]:25: Connection refused", D, {}, "networkerror", "none"),
    (None, None, "retry timeout exceeded", F, {}, "expired", "soft"),
    (None, None, "all hosts have been failing for a long time and were last tried after this message arrived", F, {}, "expired", "soft"),
    ("4.4.0", None, "", D, {}, "expired", "none"),
    # systemerror
    ("5.3.5", 550, "550 5.3.5 <x@example.org>... Internal System Error", F, {}, "systemerror", "soft"),
    ("4.3.0", 451, "451 4.3.0 Temporary local problem - please try later", D, {}, "systemerror", "none"),
    ("4.4.3", None, "Unable to contact LDAP server. (#4.4.3)I'm not going to try again; this message has been in the queue too long.", F, {}, "systemerror", "soft"),
    (None, 554, "554 Service currently unavailable", F, {}, "systemerror", "soft"),
    # mailererror
    (None, None, "pipe to |/usr/local/bin/procmail-wrapper generated by nobody@example.org", F, {}, "mailererror", "soft"),
    ("4.5.0", None, "71", D, {}, "mailererror", "none"),
    ("5.3.0", None, "Command died with status 127: \"/usr/bin/procmail\"", F, {}, "mailererror", "soft"),
    # onhold, undefined
    ("4.0.0", 450, "450 4.0.0 Temporary failure", F, {}, "onhold", "soft"),
    ("5.0.0", 550, "550 Rejected", F, {}, "onhold", "soft"),
    (None, None, "", F, {}, "undefined", "soft"),
    # not failures
    (None, None, "", Action.DELIVERED, {}, "delivered", "none"),
    (None, None, "Feedback-Type: abuse", F, {"reason": "feedback"}, "feedback", "none"),
    (None, None, "Out of office", Action.DELIVERED, {"reason": "vacation"}, "vacation", "none"),
]

# More rows, by group: wordings servers send as Sisimai's tables document them.
ROWS += MAILBOX_ROWS + POLICY_ROWS + SYSTEM_ROWS


def _id(row: tuple) -> str:
    return f"{row[5]}:{row[2][:40] or row[0]}"


@pytest.mark.parametrize("row", ROWS, ids=[_id(r) for r in ROWS])
def test_reason_and_type(row: tuple) -> None:
    status_code, reply, diagnostic, action, extra, reason, bounce_type = row
    finding = Finding("x@example.org", action=action, status=status_code, reply_code=reply, diagnostic=diagnostic, **extra)
    got_reason, got_type, rule = classify(finding)
    assert (got_reason, got_type.value) == (reason, bounce_type), rule


def test_every_reason_has_rows() -> None:
    named = {row[5] for row in ROWS}
    assert set(NAMES) - named == set()


def _spec_reasons() -> list[str] | None:
    spec = Path(__file__).resolve().parents[2] / "shared" / "spec" / "reasons.md"
    if not spec.exists():
        return None
    return re.findall(r"^\| `(\w+)` \|", spec.read_text(), re.MULTILINE)


def test_every_reason_has_a_module() -> None:
    listed = _spec_reasons()
    if listed is None:
        pytest.skip("spec/reasons.md is not beside the checkout")
    assert set(listed) == set(NAMES) | set(NOT_FAILURES)
    for name in NAMES:
        assert MODULES[name].NAME == name
        assert MODULES[name].__name__.rsplit(".", 1)[1] == name


def test_module_shape() -> None:
    for name, module in MODULES.items():
        assert module.NAME == name
        assert isinstance(module.STATUSES, frozenset) and isinstance(module.REPLY_CODES, frozenset)
        assert (module.PHRASES is None) == (name in ("onhold", "undefined"))
    assert set(TEXT_ORDER) == set(NAMES) - {"onhold", "undefined"}
    assert len(TEXT_ORDER) == len(set(TEXT_ORDER))
    assert OUTRANKS_STATUS <= set(TEXT_ORDER)
    assert HARD <= set(NAMES)
    assert set(status.DEFINITIVE.values()) <= set(NAMES)
    assert set(status.EXCHANGE_CODES.values()) <= set(NAMES)


def test_a_status_code_is_claimed_by_one_reason_at_most() -> None:
    claimed: dict[str, str] = {}
    for name, module in MODULES.items():
        for code in module.STATUSES:
            assert code not in claimed, f"{code}: {claimed.get(code)} and {name}"
            claimed[code] = name
    for code, name in status.DEFINITIVE.items():
        assert claimed.get(code, name) == name, code


def test_status_in_text_is_not_part_of_a_longer_number() -> None:
    assert status.in_text("421 4.7.0 deferred - 4.16.55.1; see") == "4.7.0"
    assert status.in_text("host 192.0.2.22 said 550 rejected") is None
    assert status.in_text("Sorry (#5.4.4)") == "5.4.4"


def test_rhost_reads_the_first_word_of_the_remote_mta() -> None:
    text = "550-5.2.1 The email account that you tried to reach is disabled. https://support.google.com/mail/?p=DisabledUser"
    assert rhost.reason("gmail-smtp-in.l.google.com. (192.0.2.1, the server for the domain gmail.com.)", "5.2.1", 550, text) == ("suspend", "provider google.com")
    assert rhost.reason("mx.example.org", "5.2.1", 550, text) is None
    assert rhost.reason(None, "5.2.1", 550, text) is None
