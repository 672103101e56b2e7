"""Hard needs evidence about the recipient (spec/reasons.md rule 7): replies that use a hard reason's
wording, or a hard status, about something else than a dead address.

Each row is (whose wording, status, reply code, diagnostic, action, extra Finding fields, reason, bounce
type). NEGATIVE rows are wordings that a server sends about a live address (a policy or relay refusal,
a refused sender, a temporary directory error, a greylist, a disabled mailbox, a filter): they must be
soft. KEEP_HARD rows are the same families where the evidence is about the recipient: they stay hard,
so that the negative rows are not won by giving up hard altogether.
"""

from __future__ import annotations

import pytest

from bounced.classify import classify
from bounced.model import Action, Finding

F, D = Action.FAILED, Action.DELAYED
SENDER = {"senders": ("news@shop.example",)}

NEGATIVE = [
    # RFC 5321's default text of 550 says nothing about which mailbox nor why: after DATA it answers
    # the content (the recipient was accepted at RCPT), and under a 5.7.x status it is a policy refusal
    ("Exchange, hMailServer after DATA", None, 550, "550 Requested action not taken: mailbox unavailable (in reply to end of DATA command)", F, {}, "onhold", "soft"),
    ("Exchange transport agent", "5.7.1", 550, "550 5.7.1 Requested action not taken: mailbox unavailable", F, {}, "securityerror", "soft"),
    # MailEnable: an unknown local mailbox or a non-local domain it will not relay to
    ("MailEnable", None, 550, "550 Requested action not taken: mailbox unavailable or not local", F, {}, "norelaying", "soft"),
    # relay refusals that also say "no such user": the server is not the recipient's, it knows nothing of the mailbox
    ("Sendmail relay check", "5.1.1", 550, "550 5.1.1 <x@example.org>... No such user here (relaying denied)", F, {}, "norelaying", "soft"),
    ("relay words under 5.1.1", None, 550, "550 5.1.1 <x@example.org>: Recipient address rejected: Relay access denied", F, {}, "norelaying", "soft"),
    ("Exchange non-accepted domain", "5.7.54", 550, "550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain", F, {}, "norelaying", "soft"),
    ("qmail rcpthosts", "5.7.1", 553, "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)", F, {}, "norelaying", "soft"),
    ("Postfix relay", "5.7.1", 554, "554 5.7.1 <x@example.org>: Relay access denied (in reply to RCPT TO command)", F, {}, "norelaying", "soft"),
    ("Exchange Online", "5.4.1", 550, "550 5.4.1 Relay Access Denied", F, {}, "norelaying", "soft"),
    # "User unknown" and "Domain not found" about the sender: a reply to MAIL FROM, or one that names the sender
    ("Postfix reject_unlisted_sender", "5.1.0", 550, "550 5.1.0 <news@shop.example>: Sender address rejected: User unknown in local recipient table (in reply to MAIL FROM command)", F, {}, "rejected", "soft"),
    ("Exim after MAIL FROM", "5.1.1", 550, "SMTP error from remote mail server after MAIL FROM:<news@shop.example> SIZE=2048: 550 5.1.1 User unknown", F, {}, "rejected", "soft"),
    ("Sendmail transcript", "5.1.1", 550, ">>> MAIL From:<news@shop.example> SIZE=2048\n<<< 550 5.1.1 <news@shop.example>... User unknown", F, {}, "rejected", "soft"),
    ("Postfix reject_unknown_sender_domain", "4.1.8", 450, "450 4.1.8 <news@shop.example>: Sender address rejected: Domain not found", F, {}, "rejected", "soft"),
    ("a reply naming the sender", "5.1.2", 553, "553 5.1.2 <news@shop.example>: Domain not found", F, SENDER, "rejected", "soft"),
    ("a sender refusal under 5.1.1", "5.1.1", 550, "550 5.1.1 <x@example.org>: Recipient address rejected: Sender is not allowed to send to this recipient", F, {}, "rejected", "soft"),
    ("Postfix, sender", "5.1.1", 550, "550 5.1.1 <news@shop.example>: Sender address rejected: undeliverable address", F, {}, "rejected", "soft"),
    ("Exim sender callout", None, 550, "550-Verification failed for <news@shop.example> 550-Called: 192.0.2.1 550-Sent: RCPT TO:<news@shop.example> 550-Response: 550 5.1.1 <news@shop.example>: Recipient address rejected: User unknown 550 Sender verify failed", F, {}, "rejected", "soft"),
    ("no MX for the sender's domain", "5.7.1", 550, "550 5.7.1 No MX record for sender domain shop.example", F, {}, "rejected", "soft"),
    ("Sendmail, sender's domain", "5.1.8", 553, "553 5.1.8 <news@shop.example>... Domain of sender address news@shop.example does not exist", F, {}, "rejected", "soft"),
    # the sending side's own relay refusing its SASL login: the words "no such user" are about the sender's account
    ("Postfix smtp client, SASL", None, None, "SASL authentication failed; server smtp.relay.example[192.0.2.1] said: 535 5.7.8 Error: authentication failed: no such user", F, {}, "securityerror", "soft"),
    ("a smarthost's login", None, 535, "535 5.7.8 Invalid user or password", F, {}, "securityerror", "soft"),
    ("a reply to AUTH", None, 535, "535 5.7.0 Account not found", F, {}, "securityerror", "soft"),
    ("a reply to AUTH", None, None, "smtp; 535 5.7.8 No such user", F, {}, "securityerror", "soft"),
    ("a client check", None, 550, "550 5.7.1 Client address unknown", F, {}, "securityerror", "soft"),
    ("a sender refusal with unknown-user words", None, 550, "550 Invalid sender <news@shop.example>: unknown user", F, {}, "rejected", "soft"),
    ("Postfix HELO check", "4.7.1", 450, "450 4.7.1 <mail.shop.example>: Helo command rejected: Host not found", F, {}, "blocked", "soft"),
    # Postfix's access(5) REJECT on a recipient, default text: a per-recipient rule, not a dead address
    # (Exchange Online's directory-based edge blocking uses the same words with 5.4.1 and AS(201806281))
    ("Postfix check_recipient_access", "5.7.1", 554, "554 5.7.1 <x@example.org>: Recipient address rejected: Access denied", F, {}, "filtered", "soft"),
    ("Postfix check_recipient_access, 4xx", "4.7.1", 450, "450 4.7.1 <x@example.org>: Recipient address rejected: Access denied", F, {}, "filtered", "soft"),
    ("Postfix, generic recipient refusal", "5.7.1", 550, "550 5.7.1 <x@example.org>: Recipient address rejected. (in reply to RCPT TO command)", F, {}, "securityerror", "soft"),
    # Postfix's reject_unverified_recipient reports its probe's result under its own 5.1.1: the result decides
    ("Postfix address verification", "5.1.1", 550, "550 5.1.1 <x@example.org>: Recipient address rejected: undeliverable address: connect to mx.example.org[192.0.2.2]:25: Connection refused", F, {}, "networkerror", "soft"),
    ("Postfix address verification", "5.1.1", 550, "550 5.1.1 <x@example.org>: Recipient address rejected: undeliverable address: mail for example.org loops back to myself", F, {}, "networkerror", "soft"),
    ("Postfix address verification", "5.1.1", 550, "550 5.1.1 <x@example.org>: Recipient address rejected: undeliverable address: host mx.example.org[192.0.2.2] said: 554 5.7.1 Service unavailable; Client host [192.0.2.3] blocked using zen.spamhaus.org", F, {}, "blocked", "soft"),
    # IP blocks and bare refusals that borrow the mailbox's words
    ("an IP block", None, 550, "550 Your IP address 192.0.2.1 is listed in the blacklist, user unknown", F, {}, "blocked", "soft"),
    ("an IP block under 5.2.1", None, 550, "550 5.2.1 Mailbox unavailable. Your IP has been found on a block list", F, {}, "blocked", "soft"),
    ("Cisco IronPort", None, 550, "550 #5.1.0 Address rejected.", F, {}, "onhold", "soft"),
    ("RFC 5321 553", None, 553, "553 Requested action not taken: mailbox name not allowed", F, {}, "onhold", "soft"),
    ("a greylist at 5xx", None, 550, "550 <x@example.org>: Recipient address rejected: Greylisted, please try again later", F, {}, "onhold", "soft"),
    ("an inactive mailbox under 5.1.1", None, 550, "550 5.1.1 Mailbox x@example.org is not active", F, {}, "suspend", "soft"),
    # a hard Status field that the reply's words do not carry, beside words that name another reason: the
    # reporting MTA's reading of a bare reply code, weaker than the server's words
    ("a DSN Status field", "5.1.1", 554, "smtp; 554 Transaction failed: message contains invalid header", F, {}, "contenterror", "soft"),
    ("a DSN Status field", "5.1.1", 550, "smtp; 550 Service unavailable", F, {}, "systemerror", "soft"),
    ("a DSN Status field", "5.1.2", 451, "smtp; 451 Temporary local problem - please try later", F, {}, "systemerror", "soft"),
    # domains that are not the recipient's: the HELO name, the From header's author domain
    ("a header check", "5.7.1", 550, "550 5.7.1 Invalid domain in From: header", F, {}, "rejected", "soft"),
    ("a header check", None, 550, "550 Message rejected: header From: domain does not exist", F, {}, "rejected", "soft"),
    ("a header check", None, 550, "550 Domain not found in From header", F, {}, "rejected", "soft"),
    ("a HELO check", None, 501, "501 5.5.2 Unknown domain in HELO: mail.shop.example", F, {}, "blocked", "soft"),
    ("cPanel Exim", None, 550, "550 Access denied - Invalid HELO name (See RFC2821 4.1.1.1)", F, {}, "blocked", "soft"),
    ("a HELO check", None, 550, "550 HELO hostname mail.shop.example not found", F, {}, "blocked", "soft"),
    ("a HELO check", None, 550, "550 5.7.1 Host mail.shop.example not found in DNS (HELO)", F, {}, "blocked", "soft"),
    ("Postfix access map on the client", None, 554, "554 5.7.1 <unknown[192.0.2.1]>: Client host rejected: Access denied", F, {}, "blocked", "soft"),
    ("a sender check after RFC 5321's text", None, 550, "550-Requested action not taken: mailbox unavailable 550 Sender address is not valid", F, {}, "rejected", "soft"),
    ("Sendmail, sender's domain", None, 451, "451 4.1.8 Domain of sender address news@shop.example does not resolve", F, {}, "rejected", "soft"),
    # a bare "invalid domain" does not say whose domain
    ("a bare invalid domain", None, 554, "554 invalid domain, see <URL:http://www.example.net/policy.html>", F, {}, "onhold", "soft"),
    # "your address" is the SMTP client's side: the sender
    ("a reply to the client", None, 550, "550 Your e-mail address is invalid", F, {}, "rejected", "soft"),
    ("a reply to the client", None, 550, "550 5.1.1 Your email address does not exist on this server, so you may not send mail here", F, {}, "rejected", "soft"),
    # temporary directory errors and greylists
    ("Postfix proxymap failure", "4.3.0", 451, "451 4.3.0 <x@example.org>: Temporary lookup failure", F, {}, "systemerror", "soft"),
    ("qmail-ldap", "4.4.3", None, "Unable to contact LDAP server. (#4.4.3)", F, {}, "systemerror", "soft"),
    ("Postfix address verification", "4.1.1", 450, "450 4.1.1 <x@example.org>: Recipient address rejected: unverified address: Address verification in progress", F, {}, "onhold", "soft"),
    ("postgrey", "4.2.0", 450, "450 4.2.0 <x@example.org>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.org.html", F, {}, "filtered", "soft"),
    ("RFC 5321 450", None, 450, "450 Requested action not taken: mailbox unavailable", F, {}, "onhold", "soft"),
    # disabled, suspended or inactive mailboxes exist: soft (suspend), whatever the status says
    ("mailbox disabled under 5.1.1", "5.1.1", 550, "550 5.1.1 <x@example.org>: mailbox disabled", F, {}, "suspend", "soft"),
    ("account disabled", "5.2.1", 550, "550 5.2.1 <x@example.org>: account is disabled", F, {}, "suspend", "soft"),
    ("Gmail", "5.2.1", 550, "550-5.2.1 The email account that you tried to reach is inactive.", F, {}, "suspend", "soft"),
    ("Yahoo", None, 554, "554 delivery error: dd Sorry your message to x@yahoo.com cannot be delivered. This mailbox is disabled (554.30)", F, {}, "suspend", "soft"),
    ("RFC 3463 X.7.13", "5.7.13", 550, "550 5.7.13 User account disabled", F, {}, "suspend", "soft"),
    # per-recipient filters
    ("Exchange", "5.7.1", 550, "550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized", F, {}, "filtered", "soft"),
    ("Facebook", "5.1.1", 550, "550 5.1.1 Refused due to recipient preferences", F, {}, "filtered", "soft"),
    ("Postfix, user rules", "5.7.1", 550, "550 5.7.1 <x@example.org>: Recipient address rejected: Message rejected due to user rules", F, {}, "filtered", "soft"),
    # hard wordings that speak of something else: a null-MX phrase with "without", "at this time"
    ("a PTR requirement", "5.7.1", 550, "550 5.7.1 This server does not accept mail without a valid PTR record", F, {}, "requireptr", "soft"),
    ("a busy server", None, 554, "554 mx.example.org does not accept mail at this time, try again later", F, {}, "onhold", "soft"),
    # an IP block at RCPT under 5.1.1 (servers put 5.1.1 on anything at RCPT)
    ("Spamhaus at RCPT", "5.1.1", 550, "550 5.1.1 <x@example.org>: Recipient address rejected: client 192.0.2.1 blocked using zen.spamhaus.org", F, {}, "blocked", "soft"),
    # a bare 551 (RFC 5321 "user not local") with other words: used for relay refusals
    ("551 relay refusal", None, 551, "551 sorry, not our customer", F, {}, "onhold", "soft"),
    # delays are never hard (spec rule 2)
    ("a delayed unknown user", "4.1.1", 450, "450 4.1.1 <x@example.org>: Recipient address rejected: User unknown in local recipient table", D, {}, "userunknown", "none"),
]

KEEP_HARD = [
    ("Yahoo", None, 554, "554 delivery error: dd This user doesn't have a yahoo.com account (x@yahoo.com) [0] - mta1234.mail.ne1.yahoo.com", F, {}, "userunknown", "hard"),
    ("Gmail", "5.1.1", 550, "550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser", F, {"remote_mta": "gmail-smtp-in.l.google.com"}, "userunknown", "hard"),
    ("Microsoft 365", "5.1.10", 550, "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient x@example.org not found by SMTP address lookup", F, {}, "userunknown", "hard"),
    ("Exchange Online DBEB", "5.4.1", 550, "550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [AM4PEPF00012345.eurprd04.prod.outlook.com]", F, {}, "userunknown", "hard"),
    # GMX/web.de answer RFC 5321's default 550 text at RCPT for an address they do not have
    ("GMX at RCPT", None, 550, "550 Requested action not taken: mailbox unavailable (in reply to RCPT TO command)", F, {"remote_mta": "mx00.emig.gmx.net"}, "userunknown", "hard"),
    ("Outlook.com", "5.5.0", 550, "550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). [AM5EUR03FT007.eop-EUR03.prod.protection.outlook.com]", F, {}, "userunknown", "hard"),
    # a 5.1.1 with words that restate it (an ESP refusing an address it knows as bad: a relay that will never deliver)
    ("an ESP's 5.1.1", "5.1.1", 550, "550 5.1.1 bad address x@example.org", F, {}, "userunknown", "hard"),
    ("Exim recipient callout", None, 550, "550-Callout verification failed: 550 550 5.1.1 <x@example.org>: Recipient address rejected: User unknown in virtual mailbox table", F, {}, "userunknown", "hard"),
    ("Postfix relay_recipient_maps", "5.1.1", 550, "550 5.1.1 <x@example.org>: Recipient address rejected: User unknown in relay recipient table", F, {}, "userunknown", "hard"),
    ("Dovecot LMTP", "5.1.1", 550, "550 5.1.1 <x@example.org> User doesn't exist: x@example.org", F, {}, "userunknown", "hard"),
    ("Postfix, recipient domain", "5.1.2", 550, "550 5.1.2 <x@example.invalid>: Recipient address rejected: Domain not found", F, SENDER, "hostunknown", "hard"),
    ("a recipient domain without MX", None, 550, "550 Recipient domain has no MX record", F, {}, "hostunknown", "hard"),
    ("RFC 3463 X.1.2", None, 550, "550 5.1.2 Bad destination system address", F, {}, "hostunknown", "hard"),
    ("Amazon SES", "5.4.4", 550, "550 5.4.4 Invalid domain", F, {}, "hostunknown", "hard"),
    ("RFC 7505", "5.1.10", 556, "556 5.1.10 Recipient address has null MX", F, {}, "notaccept", "hard"),
    ("RFC 1846 / 7504", None, 521, "521 5.3.2 mx.example.org does not accept mail", F, {}, "notaccept", "hard"),
    ("RFC 5321 551", None, 551, "551 User not local; please try <y@example.net>", F, {}, "hasmoved", "hard"),
    ("Amazon SES", None, 550, "550 Address is on the suppression list", F, {}, "suppressed", "hard"),
    # explicit unknown-user words after DATA stay userunknown (spec rule 1)
    ("after DATA", "5.1.1", 550, "550 5.1.1 <x@example.org>: Recipient address rejected: User unknown (in reply to end of DATA command)", F, {}, "userunknown", "hard"),
]


def _id(row: tuple) -> str:
    return f"{row[0]}:{row[3][:40]}"


@pytest.mark.parametrize("row", NEGATIVE + KEEP_HARD, ids=[_id(r) for r in NEGATIVE + KEEP_HARD])
def test_hard_only_on_evidence(row: tuple) -> None:
    _server, status_code, reply, diagnostic, action, extra, reason, bounce_type = row
    finding = Finding("x@example.org", action=action, status=status_code, reply_code=reply, diagnostic=diagnostic, **extra)
    got_reason, got_type, rule = classify(finding)
    assert (got_reason, got_type.value) == (reason, bounce_type), rule


def test_negative_rows_are_never_hard() -> None:
    assert all(row[7] != "hard" for row in NEGATIVE)
    assert all(row[7] == "hard" for row in KEEP_HARD)
