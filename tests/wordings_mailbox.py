"""Wordings of the mailbox group (userunknown, hostunknown, mailboxfull, systemfull, suspend, emailtoolarge, notaccept) that servers send and that Sisimai's tables document: rows in the format of
test_classify.ROWS, (status, reply code, diagnostic, action, extra Finding fields, reason, bounce type).
"""

from __future__ import annotations

from bounced.model import Action

F, D = Action.FAILED, Action.DELAYED

ROWS = [
    # userunknown
    (None, 550, "550 Mailbox <nobody@example.org> does not exist", F, {}, "userunknown", "hard"),
    (None, 550, "550 <nobody@example.org>: Recipient address rejected: User nobody does not exist", F, {}, "userunknown", "hard"),
    ("5.0.0", 553, "553 sorry, your envelope recipient is in my badrcptto list (#5.7.1)", F, {}, "userunknown", "hard"),
    # Google Workspace's own notice: "... because the address couldn't be found, or is unable to receive mail."
    (None, None, "Your message wasn't delivered to nobody@example.org because the address couldn't be found, or is unable to receive mail.", F, {}, "userunknown", "hard"),
    (None, 550, "550 Invalid final delivery userid: nobody@example.org", F, {}, "userunknown", "hard"),
    # hostunknown
    (None, 450, "450 4.1.2 <x@example.invalid>: Recipient address rejected: unknown domain name", D, {}, "hostunknown", "none"),
    (None, 550, "550 <x@example.invalid>: Recipient address rejected: unknown domain name", F, {}, "hostunknown", "hard"),
    (None, None, "Sorry, I couldn't find any host by that name. (#5.1.2)", F, {}, "hostunknown", "hard"),
    (None, None, "all host address lookups failed permanently", F, {}, "hostunknown", "hard"),
    # mailboxfull
    ("5.0.0", 552, "552 Recipient rejected: mailbox would exceed maximum allowed storage", F, {}, "mailboxfull", "soft"),
    ("4.0.0", 452, "452 Sorry, the user's space has been used up", D, {}, "mailboxfull", "none"),
    (None, 552, "552 Maildir delivery failed: Userdisk quota 104857600 exceeded", F, {}, "mailboxfull", "soft"),
    ("5.0.0", 552, "552 5.2.2 mailbox size limit exceeded", F, {}, "mailboxfull", "soft"),
    # systemfull
    ("4.3.1", 452, "452 4.3.1 Insufficient system resources", D, {}, "systemfull", "none"),
    (None, 452, "452 Requested action not taken: mailbox unavailable (not enough free space)", F, {}, "systemfull", "soft"),
    # suspend
    (None, 550, "550 5.0.0 Recipient rejected: Temporarily inactive", F, {}, "suspend", "soft"),
    (None, 550, "550 Access denied, banned recipient [BN8NAM11FT012.eop-nam11.prod.protection.outlook.com]", F, {}, "suspend", "soft"),
    (None, 550, "550 Mailaddress is administrativley disabled. (#5.2.1)", F, {}, "suspend", "soft"),
    # emailtoolarge
    ("5.0.0", 552, "552 Message header size exceeds limit", F, {}, "emailtoolarge", "soft"),
    (None, 552, "552 5.2.3 Message header size exceeds the limit", F, {}, "emailtoolarge", "soft"),
    # emailtoolarge
    (None, 550, "550 Maximum email size exceeded - https://community.mimecast.com/docs/DOC-1369#550", F, {}, "emailtoolarge", "soft"),
    (None, 552, "552 The message exeeded the maximum size the user accepts (#5.3.4)", F, {}, "emailtoolarge", "soft"),
    # notaccept
    (None, None, "Name server: .: host not found", F, {}, "notaccept", "hard"),
    ("5.0.0", None, "an MX or SRV record indicated no SMTP service", F, {}, "notaccept", "hard"),
    ("4.0.0", None, "Destination seem to reject all mails", F, {}, "notaccept", "soft"),
    # qmail: no MX and no A record: the spec's "no usable MX/A"
    ("5.4.4", None, "Sorry, I couldn't find a mail exchanger or IP address. (#5.4.4)", F, {}, "notaccept", "hard"),
]
