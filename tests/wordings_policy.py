"""Wordings of the policy group (blocked, rejected, spamdetected, policyviolation, securityerror,
norelaying, contenterror, authfailure, requireptr, notcompliantrfc) on real server replies, in the
row format of tests/test_classify.py: (status, reply code, diagnostic, action, extra Finding fields)
-> (reason, bounce type).
"""

from __future__ import annotations

from bounced.model import Action

F, D = Action.FAILED, Action.DELAYED

ROWS = [
    # blocked: qmail, Earthlink, Orange, Office 365
    (None, 553, "Remote host said: 553 Blocked", F, {}, "blocked", "soft"),
    (None, 550, "550 IP 192.0.2.10 is blocked by EarthLink. Go to earthlink.net/block for details.", F, {}, "blocked", "soft"),
    ("4.0.0", 421, "421 mwinf5c10 ME Service refused, please try later. OFR_999 [103]", D, {}, "blocked", "none"),
    ("5.7.511", 550, "550 5.7.511 Access denied, banned sender[192.0.2.10]. To request removal from this list, forward this message to delist@messaging.microsoft.com.", F, {}, "blocked", "soft"),
    # rejected: Exchange Sender Filter, Mimecast, Amazon SES, BATV
    ("5.7.1", 550, "550 5.7.1 Email address is on SenderFilterConfig list", F, {}, "rejected", "soft"),
    ("5.7.1", 550, "550 5.7.1 Envelope blocked - User Entry - https://community.mimecast.com/docs/DOC-1369#550 [Ab1Cd2Ef3]", F, {}, "rejected", "soft"),
    (None, 554, "554 Message rejected: Email address is not verified. The following identities failed the check in region US-EAST-1: sender@example.com", F, {}, "rejected", "soft"),
    ("5.7.1", 550, "550 5.7.1 Recipient not accepted. (BATV: no tag)", F, {}, "rejected", "soft"),
    # spamdetected
    ("5.7.1", 554, "554 5.7.1 This message was rejected by Recurrent Pattern Detection System", F, {}, "spamdetected", "soft"),
    ("5.7.1", 550, "550 5.7.1 Cyberoam Anti Spam Engine has identified this email as a bulk email.", F, {}, "spamdetected", "soft"),
    (None, 554, "554 DT:SPM 163 mx1,Ia7gcGBkF1kCAAA1 http://mail.163.com/help/help_spam_16.htm?ip=192.0.2.10", F, {}, "spamdetected", "soft"),
    # policyviolation: Mimecast, Gmail, Exchange
    ("5.7.1", 550, "550 5.7.1 Anti-Spoofing policy - Inbound not allowed - https://community.mimecast.com/docs/DOC-1369#550", F, {}, "policyviolation", "soft"),
    ("5.7.0", 552, "552-5.7.0 This message was blocked because its content presents a potential security issue. 552-5.7.0 it has a potentially executable attachment.", F, {}, "policyviolation", "soft"),
    ("5.7.1", 550, "550 5.7.1 The user or domain that you are sending to (or from) has a policy that prohibited the mail that you sent.", F, {}, "policyviolation", "soft"),
    # securityerror: Postfix SASL, Gmail, Mimecast, Office 365 DANE
    (None, 535, "SASL authentication failed; server smtp.example.net[192.0.2.25] said: 535 5.7.8 Error: authentication failed: authentication failure", F, {}, "securityerror", "soft"),
    ("5.7.8", 535, "535-5.7.8 Username and Password not accepted. Learn more at https://support.google.com/mail/?p=BadCredentials", F, {}, "securityerror", "soft"),
    ("5.7.1", 554, "554 5.7.1 This route requires encryption (TLS) - https://community.mimecast.com/docs/DOC-1369#554", F, {}, "failedstarttls", "soft"),
    ("4.4.317", 451, "451 4.4.317 tlsa-invalid: The domain failed DANE validation", D, {}, "failedstarttls", "none"),
    # norelaying: Sendmail, qmail
    ("5.7.1", 550, "550 5.7.1 <nobody@example.net>... not local host example.net, not a gateway", F, {}, "norelaying", "soft"),
    (None, 553, "553 sorry, that domain isn't in my list of allowed rcpthost (#5.7.1)", F, {}, "norelaying", "soft"),
    ("5.7.1", 550, "550 5.7.1 Mail server requires authentication when attempting to send to a non-local e-mail address.", F, {}, "norelaying", "soft"),
    # contenterror: Gmail, amavisd-new
    ("5.6.0", 554, "554 5.6.0 Mail message is malformed. Not accepted.", F, {}, "contenterror", "soft"),
    ("5.7.0", 554, "554 5.7.0 Reject, id=12345-06 - BAD HEADER: Non-encoded 8-bit data (char E9 hex) in message header 'Subject'", F, {}, "contenterror", "soft"),
    # authfailure: Gmail, Mimecast, pobox-style SPF rejection
    ("5.7.26", 550, "550-5.7.26 Unauthenticated email is not accepted from this domain.", F, {}, "authfailure", "soft"),
    ("5.7.1", 550, "550 5.7.1 SPF Sender Invalid - envelope rejected - https://community.mimecast.com/docs/DOC-1369#550", F, {}, "authfailure", "soft"),
    (None, 550, "550 Please see http://spf.pobox.com/why.html?sender=a%40example.com&ip=192.0.2.10", F, {}, "authfailure", "soft"),
    # requireptr
    (None, 550, "550 Cannot resolve your address 192.0.2.10, please fix your reverse lookup", F, {}, "requireptr", "soft"),
    (None, 554, "554 Sorry, cannot resolve your address: 192.0.2.10", F, {}, "requireptr", "soft"),
    # notcompliantrfc: Gmail
    ("5.7.1", 550, "550-5.7.1 Messages missing a valid address in From: header, or having no From: header, are not accepted.", F, {}, "notcompliantrfc", "soft"),
    ("5.7.1", 550, "550-5.7.1 Messages missing a valid Message-ID header are not accepted.", F, {}, "notcompliantrfc", "soft"),
]

