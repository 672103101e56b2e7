"""Server wordings of the system group (systemerror, networkerror, expired, syntaxerror, ratelimited, mailererror), as the servers send them: (status, reply code, diagnostic, action, extra Finding
fields) -> (reason, bounce type), in the row format of tests/test_classify.py."""

from __future__ import annotations

from bounced.model import Action

F, D = Action.FAILED, Action.DELAYED

ROWS = [
    # systemerror
    ("4.7.500", 451, "451 4.7.500 Server busy. Please try again later from [192.0.2.2]. (AS761)", D, {}, "systemerror", "none"),
    ("4.4.5", 421, "421 4.4.5 Server busy, try again later. d2-20020a170902c1c200b001b8b0e5ae3dsi1234567plc.123 - gsmtp", D, {}, "systemerror", "none"),
    ("5.1.4", 550, "550 5.1.4 Destination mailbox address ambiguous", F, {}, "systemerror", "soft"),
    ("4.4.3", None, "Temporary failure in LDAP lookup. (#4.4.3)", D, {}, "systemerror", "none"),
    # networkerror
    ("4.0.0", None, "Temporary failure in MX lookup", D, {}, "networkerror", "none"),
    ("5.3.0", 554, "554 5.3.0 <x@example.org>... aliasing/forwarding loop broken (11 aliases deep; 10 max)", F, {}, "networkerror", "soft"),
    ("5.0.0", None, "Message has exceeded maximum hop count", F, {}, "networkerror", "soft"),
    ("4.4.1", None, "The recipient server did not accept our requests to connect. Learn more at https://support.google.com/mail/answer/7720 [mx.example.org. 192.0.2.1: FAILED_PRECONDITION: connect error (0): error]", D, {}, "networkerror", "none"),
    # expired
    (None, None, "Envelope expired", F, {}, "expired", "soft"),
    ("4.4.1", None, "The recipient server did not accept our requests to connect. Learn more at https://support.google.com/mail/answer/7720 [mx.example.org. 192.0.2.1: FAILED_PRECONDITION: connect error (0): error]", F, {}, "expired", "soft"),
    ("4.4.2", 451, "451 4.4.2 Timeout - closing connection. d2si1234567plc.123 - gsmtp", F, {}, "expired", "soft"),
    ("5.0.0", None, "Delivery timeout", F, {}, "expired", "soft"),
    # syntaxerror
    ("5.5.1", 503, "503 5.5.1 RCPT first. d2si1234567plc.123 - gsmtp", F, {}, "syntaxerror", "soft"),
    ("5.5.2", 503, "503 5.5.2 Send hello first [BN8NAM12FT042.eop-nam12.prod.protection.outlook.com]", F, {}, "syntaxerror", "soft"),
    ("5.7.0", 554, "554 5.7.0 Too many unauthenticated commands. d2si1234567plc.123 - gsmtp", F, {}, "syntaxerror", "soft"),
    (None, 501, "501 <x@example.org>: malformed address: <y@example.org> may not follow <x@example.org>", F, {}, "syntaxerror", "soft"),
    # ratelimited
    ("4.3.2", 432, "432 4.3.2 STOREDRV.Deliver; recipient thread limit exceeded", D, {}, "ratelimited", "none"),
    ("4.3.0", 451, "451 4.3.0 Multiple destination domains per transaction is unsupported. Please try again. d2si1234567plc.123 - gsmtp", D, {}, "ratelimited", "none"),
    (None, 421, "421 Too many errors from your IP (192.0.2.1)", D, {}, "ratelimited", "none"),
    (None, 421, "421 mwinf5c41 ME Trop de connexions, veuillez verifier votre configuration.", D, {}, "ratelimited", "none"),
    # ratelimited
    ("5.2.122", 550, "550 5.2.122 The recipient has exceeded their limit for the number of messages they can receive per hour. For more information, go to http://go.microsoft.com/fwlink/?LinkId=526653.", F, {}, "ratelimited", "soft"),
    ("5.4.5", 550, "550 5.4.5 Daily SMTP relay limit exceeded for user. For more information on SMTP relay limits, please contact your administrator or visit https://support.google.com/a/answer/166852 d2si1234567plc.123 - gsmtp", F, {}, "ratelimited", "soft"),
    ("5.7.508", 550, "550 5.7.508 Access denied, [2001:db8::1] has exceeded permitted limits within 2001:db8::/48 range.", F, {}, "ratelimited", "soft"),
    # mailererror
    (None, None, "/home/x/bin/filter: /usr/bin/perl5: bad interpreter: No such file or directory (#5.3.0)", F, {}, "mailererror", "soft"),
    ("4.3.0", None, "|/usr/bin/maildrop -d x@example.org: exit 75", D, {}, "mailererror", "none"),
    # cross-checks: a rate limit is not a full mailbox, a local fault is not a policy or a relay refusal
    ("5.7.0", 554, "554 5.7.0 Throttling failure: Daily message quota exceeded.", F, {}, "ratelimited", "soft"),
    ("5.7.1", 550, "550 5.7.1 Submission quota exceeded", F, {}, "ratelimited", "soft"),
    (None, None, "delivery to file forbidden", F, {}, "systemerror", "soft"),
    ("4.5.0", 451, "451 4.5.0 Unable to relay message back to MTA", F, {}, "systemerror", "soft"),
]
