"""Wording families of the servers and services that send most bounces, as their documentation or
their source words them: full replies, (family, status, reply code, diagnostic, action, extra Finding
fields) -> (reason, bounce type).

The rows are written per family, not per corpus file: a family's rejections for the recipient, the
sender, the sending host, the content and the system side by side, so that a rule that reads one of
them wrongly shows up beside the ones it must not disturb.
"""

from __future__ import annotations

import pytest

from bounced.classify import classify
from bounced.model import Action, Finding

F, D = Action.FAILED, Action.DELAYED
GMAIL = {"remote_mta": "gmail-smtp-in.l.google.com"}
YAHOO = {"remote_mta": "mta7.am0.yahoodns.net"}
ORANGE = {"remote_mta": "smtp-in.orange.fr"}

# Microsoft 365 / Exchange Online / Exchange Server NDR codes (Microsoft's "Email non-delivery reports
# and SMTP errors in Exchange Online")
MICROSOFT = [
    ("5.1.0", 554, "554 5.1.0 Sender denied", F, {}, "rejected", "soft"),
    ("5.1.1", 550, "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found", F, {}, "userunknown", "hard"),
    ("5.1.8", 550, "550 5.1.8 Access denied, bad outbound sender", F, {}, "rejected", "soft"),
    ("5.1.10", 550, "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient x@example.org not found by SMTP address lookup", F, {}, "userunknown", "hard"),
    ("5.2.2", 554, "554 5.2.2 mailbox full; STOREDRV.Deliver.Exceptions:QuotaExceededException.MapiExceptionShutoffQuotaExceeded", F, {}, "mailboxfull", "soft"),
    # the sender's own submission quota, not the recipient's mailbox
    ("5.2.2", 550, "550 5.2.2 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Submission quota exceeded", F, {}, "ratelimited", "soft"),
    ("5.3.4", 550, "550 5.3.4 ROUTING.SizeLimit; message size exceeds fixed maximum size for route", F, {}, "emailtoolarge", "soft"),
    ("5.4.1", 550, "550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [DB5EUR03FT012.eop-EUR03.prod.protection.outlook.com]", F, {}, "userunknown", "hard"),
    ("5.4.14", 554, "554 5.4.14 Hop count exceeded - possible mail loop ATTR34", F, {}, "networkerror", "soft"),
    ("5.4.310", 550, "550 5.4.310 DNS domain example.invalid does not exist [Message=InfoDomainNonexistent] [LastAttemptedServerName=example.invalid]", F, {}, "hostunknown", "hard"),
    ("5.4.312", 550, "550 5.4.312 DNS query failed [Message=ServerFailure]", F, {}, "networkerror", "soft"),
    ("5.4.316", 550, "550 5.4.316 Message expired, connection refused(Socket error code 10061)", F, {}, "networkerror", "soft"),
    ("5.4.300", 550, "550 5.4.300 Message expired", F, {}, "expired", "soft"),
    ("5.7.1", 550, "550 5.7.1 Delivery not authorized, message refused", F, {}, "filtered", "soft"),
    ("5.7.124", 550, "550 5.7.124 RESOLVER.RST.RestrictedToRecipientsPermission; sender not in allowed-senders list", F, {}, "filtered", "soft"),
    ("5.7.133", 550, "550 5.7.133 RESOLVER.RST.SenderNotAuthenticatedForGroup; authentication required; Delivery restriction check failed as sender not authenticated", F, {}, "filtered", "soft"),
    ("5.7.134", 550, "550 5.7.134 RESOLVER.RST.SenderNotAuthenticatedForMailbox; authentication required", F, {}, "filtered", "soft"),
    ("5.7.501", 550, "550 5.7.501 Access denied, spam abuse detected. The sending account has been banned due to detected spam activity.", F, {}, "spamdetected", "soft"),
    ("5.7.506", 550, "550 5.7.506 Access Denied, Bad HELO", F, {}, "blocked", "soft"),
    ("5.7.508", 550, "550 5.7.508 Access denied, [192.0.2.1] has exceeded permitted limits within 192.0.2.0/24 range", F, {}, "ratelimited", "soft"),
    ("5.7.509", 550, "550 5.7.509 Access denied, sending domain shop.example does not pass DMARC verification and has a DMARC policy of reject.", F, {}, "authfailure", "soft"),
    ("5.7.510", 550, "550 5.7.510 Access denied, example.org does not accept email over IPv6", F, {}, "blocked", "soft"),
    ("5.7.510", 550, "550 5.7.510 Access denied", F, {}, "blocked", "soft"),
    ("5.7.511", 550, "550 5.7.511 Access denied, banned sender[192.0.2.1]. To request removal from this list, forward this message to delist@microsoft.com", F, {}, "blocked", "soft"),
    ("5.7.512", 550, "550 5.7.512 Access denied, message must be RFC 5322 section 3.6.2 compliant and include a valid From address", F, {}, "notcompliantrfc", "soft"),
    ("5.7.512", 550, "550 5.7.512 Access denied", F, {}, "notcompliantrfc", "soft"),
    ("5.7.520", 550, "550 5.7.520 Access denied, Your organization does not allow external forwarding. Please contact your administrator for further assistance. AS(7555)", F, {}, "policyviolation", "soft"),
    ("5.7.606", 550, "550 5.7.606 Access denied, banned sending IP [192.0.2.1]. To request removal from this list please visit https://sender.office.com/", F, {}, "blocked", "soft"),
    ("5.7.705", 550, "550 5.7.705 Access denied, tenant has exceeded threshold", F, {}, "ratelimited", "soft"),
    ("5.7.708", 550, "550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.", F, {}, "blocked", "soft"),
    ("5.7.750", 550, "550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains.", F, {}, "rejected", "soft"),
    ("5.7.1", 550, "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3140).", F, {}, "blocked", "soft"),
    ("5.7.1", 550, "550 5.7.1 Service unavailable, Client host [192.0.2.1] blocked using Spamhaus. To request removal from this list see https://www.spamhaus.org/query/ip/192.0.2.1 (AS3130).", F, {}, "blocked", "soft"),
    ("5.7.1", 550, "550 5.7.1 Service unavailable, Client host [192.0.2.1] blocked using Customer Block list (AS16012607)", F, {}, "blocked", "soft"),
    ("5.1.351", 550, "550 5.1.351 Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'", F, {}, "userunknown", "hard"),
    ("5.7.57", 550, "550 5.7.57 SMTP; Client was not authenticated to send anonymous mail during MAIL FROM", F, {}, "securityerror", "soft"),
    ("5.7.23", 550, "550 5.7.23 The message was rejected because of Sender Policy Framework violation", F, {}, "authfailure", "soft"),
    ("5.7.129", 550, "550 5.7.129 RESOLVER.RST.RestrictedToRecipientsPermission; you aren't allowed to send to this recipient", F, {}, "filtered", "soft"),
    ("5.1.90", 550, "550 5.1.90 Your message can't be sent because you've reached your daily limit for message recipients.", F, {}, "ratelimited", "soft"),
    ("5.2.252", 554, "554 5.2.252 SendAsDenied; x@shop.example not allowed to send as news@shop.example", F, {}, "rejected", "soft"),
    # the codes alone, as a report that drops the words shows them
    ("5.7.124", 550, "550 5.7.124", F, {}, "filtered", "soft"),
    ("5.7.133", 550, "550 5.7.133", F, {}, "filtered", "soft"),
    ("5.7.508", 550, "550 5.7.508 Access denied", F, {}, "ratelimited", "soft"),
    ("5.7.520", 550, "550 5.7.520 Access denied", F, {}, "policyviolation", "soft"),
    ("5.7.612", 550, "550 5.7.612 Access denied", F, {}, "blocked", "soft"),
    ("5.7.750", 550, "550 5.7.750", F, {}, "rejected", "soft"),
    ("4.4.7", 450, "450 4.4.7 Message delayed", D, {}, "expired", "none"),
    ("4.7.500", 451, "451 4.7.500 Server busy. Please try again later from [192.0.2.1]. (S77714)", D, {}, "systemerror", "none"),
    ("4.7.650", 451, "451 4.7.650 The mail server [192.0.2.1] has been temporarily rate limited due to IP reputation.", D, {}, "badreputation", "none"),
    (None, 550, "550 SC-001 (BAY004-MC1F12) Unfortunately, messages from 192.0.2.1 weren't sent. Please contact your Internet service provider since part of their network is on our block list.", F, {}, "blocked", "soft"),
]

# Gmail's "SMTP errors and codes" reference
GOOGLE = [
    ("4.7.0", 421, "421-4.7.0 [192.0.2.1 15] Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited.", D, GMAIL, "ratelimited", "none"),
    ("4.7.0", 421, "421-4.7.0 This message does not have authentication information or fails to pass authentication checks (SPF or DKIM). To best protect our users from spam, the message has been blocked.", D, {}, "authfailure", "none"),
    ("4.7.28", 421, "421-4.7.28 [192.0.2.1 15] Our system has detected an unusual rate of unsolicited mail originating from your IP address.", D, {}, "ratelimited", "none"),
    ("4.2.1", 450, "450-4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered. Please resend your message at a later time.", D, {}, "ratelimited", "none"),
    ("4.2.2", 452, "452-4.2.2 The email account that you tried to reach is over quota. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp", D, {}, "mailboxfull", "none"),
    ("5.1.1", 550, "550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces.", F, {}, "userunknown", "hard"),
    ("5.2.1", 550, "550-5.2.1 The email account that you tried to reach is disabled.", F, {}, "suspend", "soft"),
    ("5.7.1", 550, "550-5.7.1 [192.0.2.1] Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked.", F, {}, "spamdetected", "soft"),
    ("5.7.1", 550, "550-5.7.1 The user or domain that you are sending to (or from) has a policy that prohibited the mail that you sent.", F, {}, "policyviolation", "soft"),
    ("5.7.1", 550, "550-5.7.1 [192.0.2.1] The IP you're using to send mail is not authorized to send email directly to our servers. Please use the SMTP relay at your service provider instead.", F, {}, "blocked", "soft"),
    ("5.7.1", 550, "550-5.7.1 This message is not RFC 5322 compliant. There are multiple Subject headers.", F, {}, "notcompliantrfc", "soft"),
    ("5.7.1", 550, "550-5.7.1 Messages missing a valid address in From: header, or having no From: header, are not accepted.", F, {}, "notcompliantrfc", "soft"),
    ("5.7.26", 550, "550-5.7.26 Unauthenticated email from shop.example is not accepted due to domain's DMARC policy.", F, {}, "authfailure", "soft"),
    ("5.7.25", 550, "550-5.7.25 The IP address sending this message does not have a PTR record setup, or the corresponding forward DNS entry does not point to the sending IP.", F, {}, "requireptr", "soft"),
    ("5.2.2", 552, "552-5.2.2 The email account that you tried to reach is over quota and inactive.", F, {}, "mailboxfull", "soft"),
    ("5.2.3", 552, "552-5.2.3 Your message exceeded Google's message size limits.", F, {}, "emailtoolarge", "soft"),
    ("5.1.2", 553, "553-5.1.2 We weren't able to find the recipient domain. Please check for any spelling errors.", F, {}, "hostunknown", "hard"),
    ("5.6.0", 554, "554 5.6.0 Mail message is malformed. Not accepted.", F, {}, "contenterror", "soft"),
    ("5.7.0", 552, "552-5.7.0 This message was blocked because its content presents a potential security issue.", F, {}, "policyviolation", "soft"),
    ("4.7.0", 421, "421-4.7.0 [192.0.2.1] Our system has detected that this message is suspicious due to the very low reputation of the sending IP address.", D, {}, "badreputation", "none"),
    ("4.7.0", 421, "421-4.7.0 TLS required for RCPT domain, closing connection.", D, {}, "failedstarttls", "none"),
    ("5.7.1", 550, "550-5.7.1 [2001:db8::1] Our system has detected that this message does not meet IPv6 sending guidelines regarding PTR records and authentication.", F, {}, "requireptr", "soft"),
    ("4.7.0", 421, "421-4.7.0 [192.0.2.1] Gmail has detected that this message is likely suspicious due to the very low reputation of the sending domain.", D, {}, "badreputation", "none"),
    ("4.7.0", 454, "454-4.7.0 Too many login attempts, please try again later.", D, {}, "ratelimited", "none"),
    ("5.7.0", 552, "552-5.7.0 Our system detected an illegal attachment on your message.", F, {}, "policyviolation", "soft"),
    ("5.7.0", 530, "530-5.7.0 Authentication Required.", F, {}, "securityerror", "soft"),
    ("5.4.5", 550, "550-5.4.5 Daily user sending quota exceeded.", F, {}, "ratelimited", "soft"),
    ("4.3.0", 421, "421-4.3.0 Temporary System Problem. Try again later.", D, {}, "systemerror", "none"),
]

# Yahoo and AOL (Yahoo's "SMTP error codes" page; AOL's postmaster pages before the merger)
YAHOO_AOL = [
    ("4.7.0", 421, "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes", D, YAHOO, "badreputation", "none"),
    ("5.7.1", 553, "553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.1, because the ip is in Spamhaus's list; see https://postmaster.yahooinc.com/error-codes", F, YAHOO, "blocked", "soft"),
    ("5.7.2", 553, "553 5.7.2 [TSS09] All messages from 192.0.2.1 will be permanently deferred; Retrying will NOT succeed. See https://postmaster.yahooinc.com/error-codes", F, YAHOO, "blocked", "soft"),
    ("5.7.9", 554, "554 5.7.9 Message not accepted for policy reasons. See https://postmaster.yahooinc.com/error-codes", F, YAHOO, "policyviolation", "soft"),
    (None, 554, "554 delivery error: dd This user doesn't have a yahoo.com account (x@yahoo.com) [0] - mta1019.mail.gq1.yahoo.com", F, YAHOO, "userunknown", "hard"),
    (None, 554, "554 delivery error: dd Sorry your message to x@yahoo.com cannot be delivered. This mailbox is disabled (554.30). - mta1019.mail.gq1.yahoo.com", F, YAHOO, "suspend", "soft"),
    (None, 554, "554 delivery error: dd Sorry, your message to x@aol.com cannot be delivered. This account is over quota. - mta1234.mail.bf1.yahoo.com", F, YAHOO, "mailboxfull", "soft"),
    ("4.7.0", 421, "421 4.7.0 [TSS11] Excessive unknown recipients - possible Open Relay (#4.7.0)", D, YAHOO, "blocked", "none"),
    ("5.7.1", 554, "554 5.7.1 : (RLY:B1) http://postmaster.info.aol.com/errors/554rlyb1.html", F, {}, "blocked", "soft"),
    ("5.2.1", 521, "521 5.2.1 : (DYN:T1) http://postmaster.info.aol.com/errors/554rlydyn1.html", F, {}, "blocked", "soft"),
]

# Apple iCloud, Comcast, Orange, GMX/web.de, mail.ru, Yandex, QQ, 163.com
MAILBOX_PROVIDERS = [
    ("5.1.1", 550, "550 5.1.1 <x@icloud.com>: user does not exist", F, {}, "userunknown", "hard"),
    ("5.1.1", 550, "550 5.1.1 unknown or illegal alias: x@icloud.com", F, {}, "userunknown", "hard"),
    ("5.7.1", 554, "554 5.7.1 [CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137", F, {}, "policyviolation", "soft"),
    ("5.7.1", 550, "550 5.7.1 Your message was rejected due to icloud.com's DMARC policy.", F, {}, "authfailure", "soft"),
    (None, 554, "554 resimta-po-01v.sys.comcast.net comcast 192.0.2.1 found on one or more DNSBLs, see http://postmaster.comcast.net/smtp-error-codes.php#BL000001", F, {}, "blocked", "soft"),
    (None, 554, "554 resimta-ch2-18v.sys.comcast.net comcast 192.0.2.1 Comcast block for spam. Please see http://postmaster.comcast.net/smtp-error-codes.php#BL000000", F, {}, "blocked", "soft"),
    ("4.1.0", 421, "421 4.1.0 192.0.2.1 Throttled - try again later. Please see http://postmaster.comcast.net/smtp-error-codes.php#RL000010", D, {}, "ratelimited", "none"),
    ("5.1.1", 550, "550 5.1.1 Adresse d au moins un destinataire invalide. Invalid recipient. OFR_416 [416]", F, ORANGE, "userunknown", "hard"),
    (None, 421, "421 mwinf5c10 ME Trop de connexions, veuillez verifier votre configuration. Too many connections, slow down. OFR005_104 [104]", D, ORANGE, "ratelimited", "none"),
    ("5.2.2", 552, "552 5.2.2 Boite du destinataire pleine. Recipient overquota. OFR_417 [417]", F, ORANGE, "mailboxfull", "soft"),
    (None, 554, "554-gmx.net (mxgmx116) Nemesis ESMTP Service not available 554-No SMTP service 554-Bad DNS PTR resource record. 554 For explanation visit http://postmaster.gmx.com/en/case?c=r0601&i=ip&v=192.0.2.1&r=1ABCDE", F, {}, "requireptr", "soft"),
    (None, 554, "554-web.de (mxweb112) Nemesis ESMTP Service not available 554-No SMTP service 554-IP address is block listed. 554 For explanation visit https://postmaster.web.de/en/case?c=hi&i=ip&v=192.0.2.1&r=1ABC", F, {}, "blocked", "soft"),
    (None, 550, "550 Message was not accepted -- invalid mailbox.  Local mailbox x@mail.ru is unavailable: user not found", F, {}, "userunknown", "hard"),
    (None, 550, "550 Message was not accepted -- invalid mailbox.  Local mailbox x@mail.ru is unavailable: account is disabled", F, {}, "suspend", "soft"),
    (None, 550, "550 spam message rejected. Please visit http://help.mail.ru/notspam-support/id?c=ABC or report details to abuse@corp.mail.ru.", F, {}, "spamdetected", "soft"),
    ("5.7.1", 550, "550 5.7.1 No such user!", F, {}, "userunknown", "hard"),
    ("5.7.1", 554, "554 5.7.1 [2] Message rejected under suspicion of SPAM; https://ya.cc/1IrBc 1702398012-abcdEF", F, {}, "spamdetected", "soft"),
    ("5.7.1", 550, "550 5.7.1 Policy rejection on the target address", F, {}, "policyviolation", "soft"),
    (None, 550, "550 Mailbox not found. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000728", F, {}, "userunknown", "hard"),
    (None, 550, "550 Mailbox unavailable or access denied [MN5d1x0bX0p]", F, {}, "onhold", "soft"),
    (None, 550, "550 Connection frequency limited. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000722", F, {}, "ratelimited", "soft"),
    (None, 550, "550 Ip frequency limited. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000725", F, {}, "ratelimited", "soft"),
    (None, 550, "550 Mail content denied. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000726", F, {}, "spamdetected", "soft"),
    (None, 550, "550 User not found: x@163.com", F, {}, "userunknown", "hard"),
    (None, 554, "554 DT:SPM 163 smtp10,DsCowAC4z5p1ZlNnFHgIBA--.41234S2 1702398012, please see http://mail.163.com/help/help_spam_16.htm?ip=192.0.2.1", F, {}, "spamdetected", "soft"),
    (None, 550, "550 User suspended: x@163.com", F, {}, "suspend", "soft"),
]

# Security gateways and filters: Proofpoint, Mimecast, Barracuda, Cisco IronPort, Sophos, Trend Micro,
# SpamAssassin, rspamd, amavisd-new
GATEWAYS = [
    ("5.7.1", 550, "550 5.7.1 Blocked - see https://ipcheck.proofpoint.com/?ip=192.0.2.1", F, {}, "blocked", "soft"),
    ("5.1.1", 550, "550 5.1.1 User Unknown", F, {"remote_mta": "mx0a-00123401.pphosted.com"}, "userunknown", "hard"),
    (None, 550, "550 Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550", F, {}, "userunknown", "hard"),
    (None, 550, "550 Administrative prohibition - envelope blocked - https://community.mimecast.com/docs/DOC-1369#550", F, {}, "rejected", "soft"),
    (None, 554, "554 Email rejected due to security policies - https://community.mimecast.com/docs/DOC-1369#554", F, {}, "policyviolation", "soft"),
    (None, 451, "451 Message temporarily deferred due to unresolvable RFC.5321 from address - https://community.mimecast.com/docs/DOC-1369#451", D, {}, "rejected", "none"),
    (None, 550, "550 Rejected by header based Anti-Spoofing policy: x@example.org - https://community.mimecast.com/docs/DOC-1369#550", F, {}, "policyviolation", "soft"),
    (None, 554, "554 Maximum email size exceeded - https://community.mimecast.com/docs/DOC-1369#554", F, {}, "emailtoolarge", "soft"),
    (None, 554, "554 Service unavailable; Client host [192.0.2.1] blocked using Barracuda Reputation; http://www.barracudanetworks.com/reputation/?r=1&ip=192.0.2.1", F, {}, "blocked", "soft"),
    (None, 550, "550 permanent failure for one or more recipients (x@example.org:550 5.1.1 <x@example.org>: Recipient address rejected: User unknown in virtual mailbox table)", F, {}, "userunknown", "hard"),
    (None, 571, "571 Delivery not authorized, message refused", F, {}, "filtered", "soft"),
    ("5.7.1", 554, "554 5.7.1 Message 1234567-001-001 was rejected (Message content rejected as spam)", F, {}, "spamdetected", "soft"),
    # Cisco IronPort: an LDAP accept query that did not find the address answers this, and so does a policy
    ("5.1.0", 550, "550 #5.1.0 Address rejected x@example.org", F, {}, "onhold", "soft"),
    ("5.7.1", 554, "554 5.7.1 Your access to this mail system has been rejected due to the sending MTA's poor reputation. If you believe that this failure is in error, please contact the intended recipient via alternate means.", F, {}, "badreputation", "soft"),
    ("5.7.1", 550, "550 5.7.1 Blocked by Trend Micro Email Reputation Service. Please see http://www.mail-abuse.com/cgi-bin/lookup?ip_address=192.0.2.1", F, {}, "blocked", "soft"),
    ("5.7.1", 550, "550 5.7.1 Message rejected as spam by Sophos Email Appliance", F, {}, "spamdetected", "soft"),
    ("5.7.1", 554, "554 5.7.1 Spam message rejected", F, {}, "spamdetected", "soft"),
    ("5.7.1", 550, "550 5.7.1 Blocked by SpamAssassin", F, {}, "spamdetected", "soft"),
    ("5.7.0", 554, "554 5.7.0 Reject, id=12345-01 - spam", F, {}, "spamdetected", "soft"),
    ("5.7.0", 554, "554 5.7.0 Reject, id=12345-01 - INFECTED: Eicar-Signature", F, {}, "virusdetected", "soft"),
    ("5.7.0", 554, "554 5.7.0 Reject, id=12345-01 - BANNED: P=p003,L=1,M=multipart/mixed | P=p002,L=1/2,M=application/x-msdownload,T=exe", F, {}, "policyviolation", "soft"),
]

# The MTAs' own texts: Postfix, Exim, Sendmail, qmail
MTAS = [
    ("4.7.1", 450, "450 4.7.1 Client host rejected: cannot find your hostname, [192.0.2.1]", D, {}, "requireptr", "none"),
    ("5.7.1", 554, "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.1", F, {}, "blocked", "soft"),
    ("4.5.3", 452, "452 4.5.3 Error: too many recipients", D, {}, "ratelimited", "none"),
    ("5.5.2", 504, "504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname", F, {}, "blocked", "soft"),
    ("4.3.5", 451, "451 4.3.5 Server configuration error", D, {}, "systemerror", "none"),
    ("4.4.1", None, "connect to mx.example.org[192.0.2.1]:25: Connection timed out", D, {}, "networkerror", "none"),
    ("5.2.2", None, "cannot update mailbox /var/mail/x for user x. error writing message: Disk quota exceeded", F, {}, "mailboxfull", "soft"),
    ("5.4.6", None, "mail forwarding loop for x@example.org", F, {}, "networkerror", "soft"),
    ("5.1.1", None, "unknown user: \"x\"", F, {}, "userunknown", "hard"),
    ("4.7.5", None, "TLS is required, but was not offered by host mx.example.org[192.0.2.1]", D, {}, "failedstarttls", "none"),
    ("5.3.4", None, "message size 20000000 exceeds size limit 10240000 of server mx.example.org[192.0.2.1]", F, {}, "emailtoolarge", "soft"),
    ("4.4.2", None, "conversation with mx.example.org[192.0.2.1] timed out while receiving the initial server greeting", D, {}, "networkerror", "none"),
    ("4.7.1", 450, "450 4.7.1 <x@example.org>: Recipient address rejected: Service is unavailable", D, {}, "systemerror", "none"),
    ("5.1.1", 550, "550 5.1.1 <x@example.org>: Recipient address rejected: undeliverable address: host mx2.example.org[192.0.2.2] said: 550 5.1.1 <x@example.org>: Recipient address rejected: User unknown in virtual alias table", F, {}, "userunknown", "hard"),
    (None, 550, "550-Callout verification failed: 550 550 5.7.1 Relaying denied", F, {}, "norelaying", "soft"),
    (None, 553, "553 5.3.0 <x@example.org>... Addressee unknown, relay=[192.0.2.1]", F, {}, "userunknown", "hard"),
    (None, 554, "554 mail server permanently rejected message (#5.3.0)", F, {}, "systemerror", "soft"),
    (None, 550, "550 Sorry, no valid recipients (#5.1.3)", F, {}, "userunknown", "hard"),
    (None, 550, "550 5.7.1 Unroutable sender address", F, {}, "rejected", "soft"),
    (None, 550, "SMTP error from remote mail server after RCPT TO:<x@example.org>: 550 5.1.1 <x@example.org>: Recipient address rejected: User unknown", F, {}, "userunknown", "hard"),
    (None, 550, "SMTP error from remote mail server after MAIL FROM:<news@shop.example> SIZE=1234: 550 5.7.1 Sender rejected", F, {}, "rejected", "soft"),
    (None, None, "retry timeout exceeded", F, {}, "expired", "soft"),
    (None, 550, "550 rejected because 192.0.2.1 is in a black list at zen.spamhaus.org", F, {}, "blocked", "soft"),
    (None, 550, "550 relay not permitted", F, {}, "norelaying", "soft"),
    (None, 550, "SMTP error from remote mail server after end of data: 550 5.7.1 Message rejected due to content restrictions", F, {}, "policyviolation", "soft"),
    (None, 550, "550 Unrouteable address", F, {}, "hostunknown", "hard"),
    (None, 550, "550-Callout verification failed: 550 550 5.1.1 No such user", F, {}, "userunknown", "hard"),
    (None, 550, "550 Mailbox is frozen.", F, {}, "suspend", "soft"),
    (None, 550, "550 This message has been rejected by our spam filter", F, {}, "spamdetected", "soft"),
    (None, 550, "550 Rejected: SPF fail for news@shop.example", F, {}, "authfailure", "soft"),
    (None, 451, "451 Temporary local problem - please try later", D, {}, "systemerror", "none"),
    # Courier
    (None, 550, "550 User <x@example.org> unknown", F, {}, "userunknown", "hard"),
    (None, 511, "511 5.1.1 Mailbox not found", F, {}, "userunknown", "hard"),
    (None, 517, "517 Sender address rejected", F, {}, "rejected", "soft"),
    # Sendmail and its milters
    ("5.7.1", 550, "550 5.7.1 Mail from 192.0.2.1 rejected: BLOCKED", F, {}, "blocked", "soft"),
    ("5.7.1", 554, "554 5.7.1 Rejected by MIMEDefang: spam", F, {}, "spamdetected", "soft"),
    ("5.7.1", 550, "550 5.7.1 Rejected: sender is on the sender blocklist", F, {}, "rejected", "soft"),
    ("5.1.1", 550, "550 5.1.1 <x@example.org>... User unknown", F, {}, "userunknown", "hard"),
    ("5.7.1", 550, "550 5.7.1 <x@example.org>... Relaying denied", F, {}, "norelaying", "soft"),
    ("4.4.5", 452, "452 4.4.5 Insufficient disk space; try again later", D, {}, "systemfull", "none"),
    ("5.0.0", None, "Cannot send message for 5 days", F, {}, "expired", "soft"),
    ("5.1.1", None, "Sorry, no mailbox here by that name. (#5.1.1)", F, {}, "userunknown", "hard"),
    ("5.7.1", None, "Connected to 192.0.2.1 but sender was rejected. Remote host said: 553 sorry, your envelope sender is in my badmailfrom list (#5.7.1)", F, {}, "rejected", "soft"),
    ("5.4.6", None, "This message is looping: it already has my Delivered-To line. (#5.4.6)", F, {}, "networkerror", "soft"),
    ("5.2.2", None, "The users mailfolder is over the allowed quota (size). (#5.2.2)", F, {}, "mailboxfull", "soft"),
    ("5.5.2", None, "Connected to 192.0.2.1 but my name was rejected. Remote host said: 501 5.5.2 <mail>: Helo command rejected: Invalid name", F, {}, "blocked", "soft"),
    ("4.4.1", None, "Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)", D, {}, "networkerror", "none"),
]

# The ESPs' own notices: Amazon SES, SendGrid, Mailgun, Postmark, SparkPost
ESPS = [
    (None, None, "Amazon SES has suppressed sending to this address because it has a recent history of bouncing as an invalid address.", F, {}, "suppressed", "hard"),
    (None, 554, "554 Message rejected: Email address is not verified. The following identities failed the check in region US-EAST-1: news@shop.example", F, {}, "rejected", "soft"),
    (None, None, "Will not deliver to previously bounced address", F, {}, "suppressed", "hard"),
    (None, None, "Not delivering to previously bounced address", F, {}, "suppressed", "hard"),
    (None, None, "Not delivering to a user who marked your messages as spam", F, {}, "suppressed", "hard"),
    (None, None, "Not delivering to unsubscribed address", F, {}, "suppressed", "hard"),
    (None, None, "You tried to send to recipient(s) that have been marked as inactive. Found inactive addresses: x@example.org. Inactive recipients are ones that have generated a hard bounce, a spam complaint, or a manual suppression.", F, {}, "suppressed", "hard"),
    ("5.7.1", 554, "554 5.7.1 recipient address was suppressed due to customer policy", F, {}, "suppressed", "hard"),
    # an ESP relaying the remote server's reply: the quoted reply decides (spec rule 4)
    ("5.0.0", 550, "550 5.0.0 Remote server said: 550 5.7.1 Message rejected due to content restrictions", F, {}, "policyviolation", "soft"),
]

# Other mailbox providers and generic filter wordings (Zoho, Fastmail, Proton, Amazon SES's account list)
OTHERS = [
    (None, 550, "550 5.1.1 User does not exist - <x@zoho.com>", F, {}, "userunknown", "hard"),
    (None, 554, "554 5.7.1 : Relay access denied", F, {}, "norelaying", "soft"),
    (None, 550, "550 5.2.1 <x@fastmail.com>: Recipient address rejected: This account is disabled", F, {}, "suspend", "soft"),
    (None, 550, "550 5.1.1 <x@fastmail.com>: Recipient address rejected: Recipient not found", F, {}, "userunknown", "hard"),
    (None, 550, "550 5.1.1 Address does not exist", F, {}, "userunknown", "hard"),
    (None, None, "Amazon SES did not send the message to this address because it is on the suppression list for your account.", F, {}, "suppressed", "hard"),
    (None, 550, "550 5.7.1 Your message looks like spam to us", F, {}, "spamdetected", "soft"),
    (None, 550, "550 5.7.0 Local Policy Violation", F, {}, "policyviolation", "soft"),
    (None, 550, "550 5.7.1 Recipient address rejected: Your IP is not allowed to send to this domain", F, {}, "blocked", "soft"),
    (None, 550, "550 No such recipient here (relay denied)", F, {}, "norelaying", "soft"),
    (None, 550, "550 5.1.1 Recipient address rejected: unknown user (and relaying denied)", F, {}, "norelaying", "soft"),
    (None, 550, "550 Recipient Rejected: Account Unavailable", F, {}, "onhold", "soft"),
    (None, 550, "550 5.1.1 mailbox temporarily disabled: x@example.org", F, {}, "suspend", "soft"),
    (None, 550, "550 5.1.1 Recipient address rejected: Message was rejected by recipient filter", F, {}, "filtered", "soft"),
    (None, 550, "550 5.1.1 This mailbox has been blocked due to inactivity", F, {}, "suspend", "soft"),
    (None, 550, "550 5.1.1 <x@example.org>: Email address could not be found, or was misspelled (G8)", F, {}, "userunknown", "hard"),
    (None, 550, "550 Mailbox quota exceeded / Mailbox full", F, {}, "mailboxfull", "soft"),
    (None, 554, "554 5.7.1 Rejected: DMARC policy of shop.example is reject", F, {}, "authfailure", "soft"),
]

FAMILIES = {
    "microsoft": MICROSOFT, "google": GOOGLE, "yahoo-aol": YAHOO_AOL, "providers": MAILBOX_PROVIDERS,
    "gateways": GATEWAYS, "mtas": MTAS, "esps": ESPS, "others": OTHERS,
}
ROWS = [(family, *row) for family, rows in FAMILIES.items() for row in rows]


@pytest.mark.parametrize("row", ROWS, ids=[f"{r[0]}:{r[3][:48]}" for r in ROWS])
def test_wording_family(row: tuple) -> None:
    _family, status_code, reply, diagnostic, action, extra, reason, bounce_type = row
    finding = Finding("x@example.org", action=action, status=status_code, reply_code=reply, diagnostic=diagnostic, **extra)
    got_reason, got_type, rule = classify(finding)
    assert (got_reason, got_type.value) == (reason, bounce_type), rule
