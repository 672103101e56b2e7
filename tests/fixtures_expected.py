"""The expectations table for fixtures/: every file's full parse result, by path under fixtures/.

Each recipient is (address, action, status, reply_code, reason, bounce_type), in report order.
``error`` is True where the message cannot be read and the result must carry an "error" string.
The values are what spec/parse-output.md and spec/reasons.md say the message means, not what
the parser happens to say today.
"""

from __future__ import annotations

from typing import Any

FIELDS = ("address", "action", "status", "reply_code", "reason", "bounce_type")


def summary(result: dict[str, Any]) -> dict[str, Any]:
    """The fields this table holds, taken from one JSON object of `bounced parse --json`."""
    out = {
        "kind": result["kind"],
        "message_id": result["original"]["message_id"],
        "recipients": [{key: r[key] for key in FIELDS} for r in result["recipients"]],
    }
    if "error" in result:
        out["error"] = isinstance(result["error"], str) and bool(result["error"])
    return out


def _r(address: str | None, action: str, status: str | None, reply_code: int | None, reason: str, bounce_type: str) -> dict[str, Any]:
    return {"address": address, "action": action, "status": status, "reply_code": reply_code,
            "reason": reason, "bounce_type": bounce_type}


def _bounce(message_id: str | None, *recipients: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "bounce", "message_id": message_id, "recipients": list(recipients)}


def _unknown() -> dict[str, Any]:
    return {"kind": "unknown", "message_id": None, "recipients": [], "error": True}


EXPECTED: dict[str, dict[str, Any]] = {
    "postfix-01.eml": _bounce("<20261122101402.4711@app1.example.com>", _r("nobody@example.org", "failed", "5.1.1", 550, "userunknown", "hard")),
    "postfix-02.eml": _bounce("<20261122110239.4712@app1.example.com>", _r("full@example.org", "failed", "5.2.2", 552, "mailboxfull", "soft")),
    # a 4.2.2 in a report that gave up is still a full mailbox, and soft
    "postfix-03.eml": _bounce("<20261120101957.4699@app1.example.com>", _r("quota@example.net", "failed", "4.2.2", 452, "mailboxfull", "soft")),
    # 550 5.7.1 spam block: soft, the address exists
    "postfix-04.eml": _bounce("<20261122124004.4730@app1.example.com>", _r("reader@example.net", "failed", "5.7.1", 550, "spamdetected", "soft")),
    "postfix-05.eml": _bounce(
        "<c0ffee42-1d2e-4b8a-9f00-5e1b2c3d4e5f@example.com>",
        _r("alice@example.org", "failed", "5.1.1", 550, "userunknown", "hard"),
        _r("bob@nowhere.example.net", "failed", "5.4.4", None, "hostunknown", "hard"),
        _r("carol@example.org", "failed", "5.2.2", 552, "mailboxfull", "soft"),
    ),
    "postfix-06.eml": {
        "kind": "delay",
        "message_id": "<20261122101402.4720@app1.example.com>",
        "recipients": [
            _r("slow@example.org", "delayed", "4.4.1", None, "networkerror", "none"),
        ],
    },
    "postfix-07.eml": {
        "kind": "delivered",
        "message_id": "<order-81723.shipped@example.com>",
        "recipients": [
            _r("happy@example.org", "delivered", "2.0.0", 250, "delivered", "none"),
            _r("legacy@example.net", "relayed", "2.0.0", 250, "delivered", "none"),
        ],
    },
    "postfix-08.eml": _bounce("<ep12.20261122152229@example.com>", _r("listener@example.org", "failed", "5.7.1", 554, "blocked", "soft")),
    # Gmail's RFC 5322 rejection, told from its text and host (remote MTA google.com)
    "postfix-09.eml": _bounce("<20261125074510.4801@app1.example.com>", _r("someone@example.com", "failed", "5.7.1", 550, "notcompliantrfc", "soft")),
    # RFC 6533: utf-8 address type, message/global-delivery-status, local part kept as sent
    "rfc6533-01.eml": _bounce("<20261126091241.4810@app1.example.com>", _r("jörg.müller@example.org", "failed", "5.1.1", 550, "userunknown", "hard")),
    # delivery-status part in base64 (sent so by some Windows MTAs)
    "rfc3464-01.eml": _bounce("<inv-2026-1187@billing.example.com>", _r("inactive@example.org", "failed", "5.2.1", 550, "suspend", "soft")),
    # quoted-printable report: the Diagnostic-Code has a soft line break
    "rfc3464-02.eml": _bounce("<advent-2026-0001@shop.example.com>", _r("kunde@example.net", "failed", "5.7.23", 550, "authfailure", "soft")),
    # odd-cased, folded DSN fields; the domain is lower-cased, the local part kept; 5.1.10 here is null MX
    "rfc3464-03.eml": _bounce(
        "<partner.7781@example.com>",
        _r("Mixed.Case@example.org", "failed", "5.1.1", 550, "userunknown", "hard"),
        _r("owner@nullmx.example.net", "failed", "5.1.10", 556, "notaccept", "hard"),
    ),
    # Exim's DSN says 5.0.0; the server's 5.1.1 is the status.  "Unrouteable address" (text part only) is a dead domain
    "exim-01.eml": _bounce(
        "<winter-sale-2026.31@example.com>",
        _r("nobody@example.org", "failed", "5.1.1", 550, "userunknown", "hard"),
        _r("gone@nowhere.example.net", "failed", "5.0.0", None, "hostunknown", "hard"),
    ),
    # Exim delay warning: no DSN part and no returned message
    "exim-02.eml": {
        "kind": "delay",
        "message_id": None,
        "recipients": [
            _r("tardy@example.org", "delayed", "4.2.2", 452, "mailboxfull", "none"),
        ],
    },
    # qmail: the (#5.2.2) code of vpopmail's quota message is the status
    # PowerMTA: a 5.2.1 "User unknown" that PowerMTA itself files as bad-mailbox
    "powermta-01.eml": _bounce("<digest-2026-12.4411@example.com>", _r("closed@example.org", "failed", "5.2.1", 550, "userunknown", "hard")),
    "qmail-01.eml": _bounce(
        "<digest-1123@lists.example.com>",
        _r("nobody@example.org", "failed", "5.1.1", 550, "userunknown", "hard"),
        _r("stuffed@example.net", "failed", "5.2.2", None, "mailboxfull", "soft"),
    ),
    "sendmail-01.eml": _bounce("<weekly-48.3301@example.com>", _r("nobody@example.org", "failed", "5.1.1", 550, "userunknown", "hard")),
    # old sendmail, transcript only, no DSN
    # a Sendmail DSN without Diagnostic-Code: the transcript's local-mailer line is the diagnostic
    "sendmail-03.eml": _bounce("<order-88123@shop.example.com>", _r("departed@example.net", "failed", "5.1.1", 550, "userunknown", "hard")),
    "sendmail-02.eml": _bounce("<weekly-48.3307@example.com>", _r("friend@example.org", "failed", "5.7.1", 550, "norelaying", "soft")),
    # Exchange 2003 text NDR: status from <host #5.1.1>
    "exchange-01.eml": _bounce("<agenda-20261125@example.com>", _r("departed@example.net", "failed", "5.1.1", None, "userunknown", "hard")),
    # Office 365 writes 5.1.10 for RecipientNotFound: an unknown user, not a null MX
    "office365-01.eml": _bounce("<8d5a0b7c-20261126@example.com>", _r("former@example.org", "failed", "5.1.10", 550, "userunknown", "hard")),
    # Domino's DSN says only 5.0.0; its text says the user is not in the directory
    "domino-01.eml": _bounce("<q4-figures.20261127@example.com>", _r("hans.beispiel@example.net", "failed", "5.0.0", None, "userunknown", "hard")),
    # Google Groups refuses a post: "may not exist, or you may not have permission to post"; no status
    "googlegroups-01.eml": _bounce("<20261123161238.5521@app1.example.com>", _r("product-announce@googlegroups.com", "failed", None, None, "rejected", "soft")),
    "gmail-01.eml": _bounce("<cafe1234-5678@example.com>", _r("ghost@example.org", "failed", "5.1.1", 550, "userunknown", "hard")),
    "yahoo-01.eml": _bounce("<1234567890.1122334.1795894382000@mail.example.com>", _r("brimful@example.org", "failed", "5.2.2", 552, "mailboxfull", "soft")),
    # Courier's DSN says 5.0.0; the server's 5.1.1 is the status
    # a plain-text DSN with bulleted recipients; "553 5.3.0 ... No such user here" is an unknown user
    "bulletdsn-01.eml": _bounce("<20261124092958.7011@app1.example.com>", _r("nobody.here@example.org", "failed", "5.3.0", 553, "userunknown", "hard")),
    "courier-01.eml": _bounce("<review-2026.77@example.com>", _r("absent@example.org", "failed", "5.1.1", 550, "userunknown", "hard")),
    # a gateway's notice that decides nothing, with the next hop's Sendmail bounce attached
    "interscanmss-01.eml": _bounce("<invoice-2026-12-0042@billing.example.com>", _r("ex.employee@example.net", "failed", "5.1.1", 550, "userunknown", "hard")),
    "opensmtpd-01.eml": _bounce(
        "<sunday-reading-48@example.com>",
        _r("stuffed@example.org", "failed", "5.2.2", 552, "mailboxfull", "soft"),
        _r("missing@example.org", "failed", "5.1.1", 550, "userunknown", "hard"),
    ),
    # an SES bounce notification delivered by SNS e-mail: JSON, not a DSN
    "amazonses-01.eml": _bounce("<dec-news-2026.5501@example.com>", _r("unknown.user@example.org", "failed", "5.1.1", 550, "userunknown", "hard")),
    # ARF: the complainer from Original-Rcpt-To; a complaint is about a delivered message
    "arf-01.eml": {
        "kind": "feedback",
        "message_id": "<20261130195838.5120@app1.example.com>",
        "recipients": [
            _r("complainer@example.org", "delivered", None, None, "feedback", "none"),
        ],
    },
    # ARF without Original-Rcpt-To: the complainer is the returned headers' To
    "arf-02.eml": {
        "kind": "feedback",
        "message_id": "<20261201071502.5133@app1.example.com>",
        "recipients": [
            _r("reader@example.org", "delivered", None, None, "feedback", "none"),
        ],
    },
    # ARF whose complainer is redacted (RFC 6590): one recipient with no address; the pipeline
    # finds whom the message was sent to through its Message-ID
    "arf-03.eml": {
        "kind": "feedback",
        "message_id": "<20261201071502.5140@app1.example.com>",
        "recipients": [
            _r(None, "delivered", None, None, "feedback", "none"),
        ],
    },
    "not-bounce/rfc3834-01.eml": {
        "kind": "autoreply",
        "message_id": "<20261221090100.5301@app1.example.com>",  # from In-Reply-To
        "recipients": [
            _r("pat@example.org", "delivered", None, None, "vacation", "none"),
        ],
    },
    "not-bounce/exchange-01.eml": {
        "kind": "autoreply",
        "message_id": "<20261222103040.5310@app1.example.com>",  # from In-Reply-To
        "recipients": [
            _r("sam.example@example.net", "delivered", None, None, "vacation", "none"),
        ],
    },
    # challenge-response; the original is quoted after "Enclosed is a copy"
    "not-bounce/challenge-01.eml": {
        "kind": "autoreply",
        "message_id": "<20261223140600.5322@app1.example.com>",
        "recipients": [
            _r("chris@example.org", "delivered", None, None, "vacation", "none"),
        ],
    },
    # a person's reply: not a report of any kind
    "not-bounce/human-01.eml": _unknown(),
    # cut inside the returned message, before its Message-ID: the report itself is whole
    "known-bad/truncated-01.eml": _bounce(None, _r("nobody@example.org", "failed", "5.1.1", 550, "userunknown", "hard")),
    # cut inside the notification text: nothing to read
    "known-bad/truncated-02.eml": _unknown(),
    # multipart/report without a boundary parameter: the DSN fields are still there to read
    "known-bad/missing-boundary-01.eml": _bounce(None, _r("nobody@example.org", "failed", "5.1.1", 550, "userunknown", "hard")),
    # unknown charsets in a header and in two parts: the DSN is readable
    "known-bad/invalid-charset-01.eml": _bounce("<dez-2026.17@example.com>", _r("nobody@example.org", "failed", "5.1.1", 550, "userunknown", "hard")),
    # a delivery-status part with per-message fields only
    "known-bad/no-recipients-01.eml": _unknown(),
    # minimal inputs found by fuzzing (known-bad/README.md): no recipient in any, one result each
    "known-bad/empty-charset-word-01.eml": _unknown(),
    "known-bad/failed-recipients-colons-01.eml": _unknown(),
    "known-bad/deep-nesting-01.eml": _unknown(),
    "known-bad/punycode-charset-part-01.eml": _unknown(),
    "known-bad/punycode-word-01.eml": _unknown(),
    "known-bad/undefined-charset-part-01.eml": _unknown(),
    "known-bad/nul-charset-header-01.eml": _unknown(),
    "known-bad/nul-charset-part-01.eml": _unknown(),
    "known-bad/no-local-part-01.eml": _unknown(),
    "known-bad/bracket-domain-01.eml": _unknown(),
    "known-bad/delay-and-delivered-01.eml": _unknown(),
    # a feedback-report part and nothing about anyone: a complaint that names no one
    "known-bad/iso2022jp-8bit-attached-01.eml": {"kind": "feedback", "message_id": None, "recipients": [
        _r(None, "delivered", None, None, "feedback", "none")]},
    # hostile-headers/: a whole report with one damaged header or field (hostile-headers/README.md)
    "hostile-headers/bad-base64-word-01.eml": _bounce("<20261122101402.4711@app1.example.com>", _r("nobody@example.org", "failed", "5.1.1", 550, "userunknown", "hard")),
    "hostile-headers/nul-charset-word-01.eml": _bounce("<20261122101402.4711@app1.example.com>", _r("nobody@example.org", "failed", "5.1.1", 550, "userunknown", "hard")),
    "hostile-headers/idna-word-01.eml": _bounce("<20261122101402.4711@app1.example.com>", _r("nobody@example.org", "failed", "5.1.1", 550, "userunknown", "hard")),
    "hostile-headers/punycode-word-01.eml": _bounce("<20261122101402.4711@app1.example.com>", _r("nobody@example.org", "failed", "5.1.1", 550, "userunknown", "hard")),
    "hostile-headers/arrival-date-9999-01.eml": _bounce(None, _r("user@example.org", "failed", "5.1.1", 550, "userunknown", "hard")),
    # real/: generated by real MTAs for scripted remote replies (fixtures/real/README.md)
    # Exim 4.96: DSNs carry a bare 5.0.0 or 4.0.0; the server's own code is in Diagnostic-Code
    "real/exim-01.eml": _bounce("<test-01-gone@sender.example.com>", _r("gone@sink.example", "failed", "5.1.1", 550, "userunknown", "hard")),
    "real/exim-02.eml": _bounce("<test-02-full@sender.example.com>", _r("full@sink.example", "failed", "5.2.2", 552, "mailboxfull", "soft")),
    # 452 at RCPT until Exim's retry rule gave up: the last reply's 4.2.2 over Exim's 5.0.0, still a full mailbox
    "real/exim-03.eml": _bounce("<test-03-fullsoft@sender.example.com>", _r("fullsoft@sink.example", "failed", "4.2.2", 452, "mailboxfull", "soft")),
    "real/exim-04.eml": _bounce("<test-04-spam@sender.example.com>", _r("spam@sink.example", "failed", "5.7.1", 554, "spamdetected", "soft")),
    "real/exim-05.eml": _bounce("<test-05-big@sender.example.com>", _r("big@sink.example", "failed", "5.3.4", 552, "emailtoolarge", "soft")),
    "real/exim-06.eml": _bounce("<test-06-blocked@sender.example.com>", _r("blocked@sink.example", "failed", "5.7.1", 550, "blocked", "soft")),
    # 550 5.7.26 DMARC: authfailure (spec/reasons.md lists 5.7.26 there)
    "real/exim-07.eml": _bounce("<test-07-policy@sender.example.com>", _r("policy@sink.example", "failed", "5.7.26", 550, "authfailure", "soft")),
    "real/exim-08.eml": _bounce("<test-08-disabled@sender.example.com>", _r("disabled@sink.example", "failed", "5.2.1", 550, "suspend", "soft")),
    "real/exim-09.eml": _bounce("<test-09-nosuch@sender.example.com>", _r("nosuch@sink.example", "failed", "5.1.1", 550, "userunknown", "hard")),
    "real/exim-10.eml": _bounce("<test-11-multi@sender.example.com>", _r("gone@sink.example", "failed", "5.1.1", 550, "userunknown", "hard"), _r("full@sink.example", "failed", "5.2.2", 552, "mailboxfull", "soft")),
    "real/exim-11.eml": _bounce("<test-12-multi@sender.example.com>", _r("gone@sink.example", "failed", "5.1.1", 550, "userunknown", "hard"), _r("disabled@sink.example", "failed", "5.2.1", 550, "suspend", "soft")),
    # Exim's own "Unrouteable address" (no router took the address)
    "real/exim-12.eml": _bounce("<test-13-sender@sender.example.com>", _r("nosuchuser@sender.example.com", "failed", "5.0.0", None, "hostunknown", "hard")),
    # every connection refused until the retry rule gave up: "retry timeout exceeded"
    "real/exim-15.eml": _bounce("<test-16-closed@sender.example.com>", _r("someone@closed.example", "failed", "5.0.0", None, "expired", "soft")),
    # delay warnings keep the diagnostic's reason, bounce type none
    "real/exim-16.eml": {"kind": "delay", "message_id": "<test-18-fullwarn@sender.example.com>", "recipients": [_r("fullwarn@sink.example", "delayed", "4.2.2", 452, "mailboxfull", "none")]},
    # a delay warning that names no reason (connection refused is kept against the host)
    "real/exim-17.eml": {"kind": "delay", "message_id": "<test-19-refused@sender.example.com>", "recipients": [_r("someone@refused.example", "delayed", "4.0.0", None, "expired", "none")]},
    "real/exim-18.eml": {"kind": "delay", "message_id": "<test-17-greylist@sender.example.com>", "recipients": [_r("greylist@sink.example", "delayed", "4.7.1", 451, "systemerror", "none")]},
    # greylisted until the retry limit ran out
    "real/exim-19.eml": _bounce("<test-17-greylist@sender.example.com>", _r("greylist@sink.example", "failed", "4.7.1", 451, "expired", "soft")),
    # Exim's notice for an address it cannot parse: the address as written is undeliverable, the mailbox meant may exist
    "real/exim-20.eml": _bounce("<test-20-malformed@sender.example.com>", _r("reader@sink..example", "failed", None, None, "syntaxerror", "soft")),
    # a redirect to a pipe that exited 69: the pipe is named above "generated by <address>"
    "real/exim-21.eml": _bounce("<test-21-pipe@sender.example.com>", _r("helpdesk@sink.example", "failed", "5.0.0", None, "mailererror", "soft")),
    # OpenSMTPD 6.8: multipart/mixed with a delivery-status part without Diagnostic-Code; the reply is in the text
    "real/opensmtpd-01.eml": _bounce("<scn-gone.20261201212444@bounce.example.com>", _r("gone@sink.example", "failed", "5.1.1", 550, "userunknown", "hard")),
    "real/opensmtpd-02.eml": _bounce("<scn-full.20261201212444@bounce.example.com>", _r("full@sink.example", "failed", "5.2.2", 552, "mailboxfull", "soft")),
    "real/opensmtpd-03.eml": {"kind": "delay", "message_id": "<scn-fullsoft.20261201212444@bounce.example.com>", "recipients": [_r("fullsoft@sink.example", "delayed", "4.2.2", 452, "mailboxfull", "none")]},
    "real/opensmtpd-04.eml": _bounce("<scn-spam.20261201212444@bounce.example.com>", _r("spam@sink.example", "failed", "5.7.1", 554, "spamdetected", "soft")),
    "real/opensmtpd-05.eml": _bounce("<scn-big.20261201212444@bounce.example.com>", _r("big@sink.example", "failed", "5.3.4", 552, "emailtoolarge", "soft")),
    "real/opensmtpd-06.eml": _bounce("<scn-blocked.20261201212444@bounce.example.com>", _r("blocked@sink.example", "failed", "5.7.1", 550, "blocked", "soft")),
    "real/opensmtpd-07.eml": _bounce("<scn-policy.20261201212444@bounce.example.com>", _r("policy@sink.example", "failed", "5.7.26", 550, "authfailure", "soft")),
    "real/opensmtpd-08.eml": _bounce("<scn-disabled.20261201212444@bounce.example.com>", _r("disabled@sink.example", "failed", "5.2.1", 550, "suspend", "soft")),
    # local delivery through mail.local to a user with no account
    "real/opensmtpd-09.eml": _bounce("<scn-localghost.20261201212444@bounce.example.com>", _r("ghost@local.example", "failed", "5.3.0", None, "userunknown", "hard")),
    "real/opensmtpd-10.eml": _bounce("<scn-multi.20261201212444@bounce.example.com>", _r("full@sink.example", "failed", "5.2.2", 552, "mailboxfull", "soft"), _r("gone@sink.example", "failed", "5.1.1", 550, "userunknown", "hard")),
    # connection refused: "Network error on destination MXs"
    "real/opensmtpd-12.eml": {"kind": "delay", "message_id": "<scn-closed.20261201212444@bounce.example.com>", "recipients": [_r("someone@closed.example", "delayed", "4.0.0", None, "networkerror", "none")]},
    # "Envelope expired" under Action: delayed: the envelope left the queue, a failure
    "real/opensmtpd-15.eml": _bounce("<scn-fullsoft.20261201212444@bounce.example.com>", _r("fullsoft@sink.example", "failed", "4.4.7", None, "expired", "soft")),
    "real/opensmtpd-16.eml": _bounce("<scn-closed.20261201212444@bounce.example.com>", _r("someone@closed.example", "failed", "4.4.7", None, "expired", "soft")),
    # Postfix 3.7: the remote's replies at RCPT and after DATA
    "real/postfix-01.eml": _bounce("<gone.1796160228@sender.example.com>", _r("gone@sink.example", "failed", "5.1.1", 550, "userunknown", "hard")),
    # the postmaster's copy of postfix-01 (headers only of the original)
    "real/postfix-02.eml": _bounce("<gone.1796160228@sender.example.com>", _r("gone@sink.example", "failed", "5.1.1", 550, "userunknown", "hard")),
    "real/postfix-03.eml": _bounce("<full.1796160228@sender.example.com>", _r("full@sink.example", "failed", "5.2.2", 552, "mailboxfull", "soft")),
    "real/postfix-05.eml": _bounce("<spam.1796160229@sender.example.com>", _r("spam@sink.example", "failed", "5.7.1", 554, "spamdetected", "soft")),
    "real/postfix-07.eml": _bounce("<big.1796160229@sender.example.com>", _r("big@sink.example", "failed", "5.3.4", 552, "emailtoolarge", "soft")),
    "real/postfix-09.eml": _bounce("<blocked.1796160229@sender.example.com>", _r("blocked@sink.example", "failed", "5.7.1", 550, "blocked", "soft")),
    "real/postfix-11.eml": _bounce("<policy.1796160229@sender.example.com>", _r("policy@sink.example", "failed", "5.7.26", 550, "authfailure", "soft")),
    "real/postfix-13.eml": _bounce("<disabled.1796160230@sender.example.com>", _r("disabled@sink.example", "failed", "5.2.1", 550, "suspend", "soft")),
    "real/postfix-15.eml": _bounce("<multi.1796160231@sender.example.com>", _r("full@sink.example", "failed", "5.2.2", 552, "mailboxfull", "soft"), _r("gone@sink.example", "failed", "5.1.1", 550, "userunknown", "hard"), _r("spam@sink.example", "failed", "5.7.1", 554, "spamdetected", "soft")),
    # an error: transport
    "real/postfix-17.eml": _bounce("<error-transport.1796160232@sender.example.com>", _r("user@error.example", "failed", "5.1.1", None, "userunknown", "hard")),
    # a postmaster notice of an SMTP session's errors: not a report on a message
    "real/postfix-19.eml": _unknown(),
    "real/postfix-22.eml": {"kind": "delay", "message_id": "<fullsoft.1796160228@sender.example.com>", "recipients": [_r("fullsoft@sink.example", "delayed", "4.2.2", 452, "mailboxfull", "none")]},
    # local(8): unknown user
    "real/postfix-24.eml": _bounce("<local-unknown.1796160233@sender.example.com>", _r("nosuchuser@localusers.example.com", "failed", "5.1.1", None, "userunknown", "hard")),
    "real/postfix-26.eml": _bounce("<virtual-alias-unknown.1796160233@sender.example.com>", _r("nosuchalias@aliases.example", "failed", "5.1.1", None, "userunknown", "hard")),
    # Postfix itself refused the size (message_size_limit)
    "real/postfix-30.eml": _bounce("<too-big.1796160234@sender.example.com>", _r("fine@sink.example", "failed", "5.3.4", None, "emailtoolarge", "soft")),
    # positive DSNs (NOTIFY=SUCCESS): relayed, delivered, expanded
    "real/postfix-32.eml": {"kind": "delivered", "message_id": "<success-sendmail.1796160234@sender.example.com>", "recipients": [_r("fine@sink.example", "relayed", "2.0.0", 250, "delivered", "none")]},
    # 421 4.7.0 to RCPT: a delay warning, then the give-up (postfix-48)
    "real/postfix-34.eml": {"kind": "delay", "message_id": "<ratelimit.1796160230@sender.example.com>", "recipients": [_r("ratelimit@sink.example", "delayed", "4.7.0", 421, "systemerror", "none")]},
    "real/postfix-36.eml": {"kind": "delivered", "message_id": "<success-virtual.1796160235@sender.example.com>", "recipients": [_r("box@vmail.example", "delivered", "2.0.0", None, "delivered", "none")]},
    "real/postfix-38.eml": {"kind": "delivered", "message_id": "<success-alias.1796160235@sender.example.com>", "recipients": [_r("sales@aliases.example", "expanded", "2.0.0", None, "delivered", "none")]},
    # a retry: transport, warning then give-up (postfix-56)
    "real/postfix-39.eml": {"kind": "delay", "message_id": "<retry-transport.1796160231@sender.example.com>", "recipients": [_r("user@retry.example", "delayed", "4.3.2", None, "systemerror", "none")]},
    # connection refused: networkerror while retrying, expired once Postfix gave up (postfix-54)
    "real/postfix-41.eml": {"kind": "delay", "message_id": "<refused.1796160231@sender.example.com>", "recipients": [_r("user@refused.example", "delayed", "4.4.1", None, "networkerror", "none")]},
    "real/postfix-48.eml": _bounce("<ratelimit.1796160230@sender.example.com>", _r("ratelimit@sink.example", "failed", "4.7.0", 421, "systemerror", "soft")),
    "real/postfix-50.eml": _bounce("<fullsoft.1796160228@sender.example.com>", _r("fullsoft@sink.example", "failed", "4.2.2", 452, "mailboxfull", "soft")),
    "real/postfix-54.eml": _bounce("<refused.1796160231@sender.example.com>", _r("user@refused.example", "failed", "4.4.1", None, "expired", "soft")),
    "real/postfix-56.eml": _bounce("<retry-transport.1796160231@sender.example.com>", _r("user@retry.example", "failed", "4.3.2", None, "systemerror", "soft")),
    # Dovecot 2.3.19 / Pigeonhole 0.5.19: Sieve vacation replies (the original named by In-Reply-To)
    "real/dovecot-sieve-01.eml": {"kind": "autoreply", "message_id": "<news42@sender.example.com>", "recipients": [_r("alice@mail.example", "delivered", None, None, "vacation", "none")]},
    # :from, :subject and a German UTF-8 body
    "real/dovecot-sieve-03.eml": {"kind": "autoreply", "message_id": "<order12345@sender.example.com>", "recipients": [_r("bob@mail.example", "delivered", None, None, "vacation", "none")]},
    # :mime, multipart/alternative in Japanese; it carries MIME-Version twice
    "real/dovecot-sieve-04.eml": {"kind": "autoreply", "message_id": "<invoice77@sender.example.com>", "recipients": [_r("carol@mail.example", "delivered", None, None, "vacation", "none")]},
    # a Sieve reject (RFC 5429): an MDN with "automatic-action/...; deleted": the recipient's own rule refused it
    "real/dovecot-sieve-07.eml": _bounce("<news42e@sender.example.com>", _r("erin@mail.example", "failed", None, None, "filtered", "soft")),
    # a Sieve redirect and an enotify notice: messages, not reports
    "real/dovecot-sieve-10.eml": _unknown(),
    "real/dovecot-sieve-12.eml": _unknown(),
    # a read receipt (Thunderbird's MDN, displayed): the message reached its reader
    "not-bounce/mdn-01.eml": {"kind": "delivered", "message_id": "<news42@sender.example.com>", "recipients": [_r("dana@example.org", "delivered", None, None, "delivered", "none")]},
    # Courier 1.0.16: Status is a bare 5.0.0 or 4.0.0; the reply is in Diagnostic-Code and in a transcript
    "real/courier-01.eml": _bounce("<courier-gone.1796161236@bounce.example.com>", _r("gone@sink.example", "failed", "5.1.1", 550, "userunknown", "hard")),
    "real/courier-02.eml": _bounce("<courier-full.1796161237@bounce.example.com>", _r("full@sink.example", "failed", "5.2.2", 552, "mailboxfull", "soft")),
    "real/courier-03.eml": _bounce("<courier-spam.1796161238@bounce.example.com>", _r("spam@sink.example", "failed", "5.7.1", 554, "spamdetected", "soft")),
    "real/courier-04.eml": _bounce("<courier-big.1796161238@bounce.example.com>", _r("big@sink.example", "failed", "5.3.4", 552, "emailtoolarge", "soft")),
    "real/courier-05.eml": _bounce("<courier-blocked.1796161239@bounce.example.com>", _r("blocked@sink.example", "failed", "5.7.1", 550, "blocked", "soft")),
    "real/courier-06.eml": _bounce("<courier-policy.1796161239@bounce.example.com>", _r("policy@sink.example", "failed", "5.7.26", 550, "authfailure", "soft")),
    "real/courier-07.eml": _bounce("<courier-disabled.1796161240@bounce.example.com>", _r("disabled@sink.example", "failed", "5.2.1", 550, "suspend", "soft")),
    # Courier's own local delivery: "550 User <nosuchuser> unknown"
    "real/courier-08.eml": _bounce("<courier-localunknown.1796161241@bounce.example.com>", _r("nosuchuser@mx.sender.example.com", "failed", "5.0.0", 550, "userunknown", "hard")),
    "real/courier-09.eml": _bounce("<courier-multi.1796161242@bounce.example.com>", _r("gone@sink.example", "failed", "5.1.1", 550, "userunknown", "hard"), _r("full@sink.example", "failed", "5.2.2", 552, "mailboxfull", "soft")),
    # delay warnings name the reason only in the transcript of the text part
    "real/courier-10.eml": {"kind": "delay", "message_id": "<courier-fullsoft.1796161237@bounce.example.com>", "recipients": [_r("fullsoft@sink.example", "delayed", "4.2.2", 452, "mailboxfull", "none")]},
    "real/courier-11.eml": {"kind": "delay", "message_id": "<courier-closed.1796161241@bounce.example.com>", "recipients": [_r("user@closed.example", "delayed", "4.0.0", None, "networkerror", "none")]},
    "real/courier-13.eml": _bounce("<courier-fullsoft.1796161237@bounce.example.com>", _r("fullsoft@sink.example", "failed", "4.2.2", 452, "mailboxfull", "soft")),
    # every connection failed until the queue time ran out; the last attempt said "Network is down"
    "real/courier-14.eml": _bounce("<courier-closed.1796161241@bounce.example.com>", _r("user@closed.example", "failed", "5.0.0", None, "expired", "soft")),
    "real/courier-15.eml": _bounce("<courier-multimixed.1796161242@bounce.example.com>", _r("gone@sink.example", "failed", "5.1.1", 550, "userunknown", "hard"), _r("fullsoft@sink.example", "failed", "4.2.2", 452, "mailboxfull", "soft")),
    # DragonFly Mail Agent 0.13: plain text, X-Original-To names the recipient, the original's headers follow
    "real/dma-01.eml": _bounce("<dma-test-gone@bounce.example.com>", _r("gone@sink.example", "failed", "5.1.1", 550, "userunknown", "hard")),
    "real/dma-02.eml": _bounce("<dma-test-full@bounce.example.com>", _r("full@sink.example", "failed", "5.2.2", 552, "mailboxfull", "soft")),
    "real/dma-03.eml": _bounce("<dma-test-spam@bounce.example.com>", _r("spam@sink.example", "failed", "5.7.1", 554, "spamdetected", "soft")),
    "real/dma-04.eml": _bounce("<dma-test-big@bounce.example.com>", _r("big@sink.example", "failed", "5.3.4", 552, "emailtoolarge", "soft")),
    "real/dma-05.eml": _bounce("<dma-test-blocked@bounce.example.com>", _r("blocked@sink.example", "failed", "5.7.1", 550, "blocked", "soft")),
    "real/dma-06.eml": _bounce("<dma-test-disabled@bounce.example.com>", _r("disabled@sink.example", "failed", "5.2.1", 550, "suspend", "soft")),
    "real/dma-07.eml": _bounce("<dma-test-two@bounce.example.com>", _r("gone@sink.example", "failed", "5.1.1", 550, "userunknown", "hard")),
    "real/dma-10.eml": _bounce("<dma-test-fullbounce@bounce.example.com>", _r("spam@sink.example", "failed", "5.7.1", 554, "spamdetected", "soft")),
    # "Could not deliver for the last 432000 seconds. Giving up.": the reply is not kept
    "real/dma-11.eml": _bounce("<dma-test-fullsoft@bounce.example.com>", _r("fullsoft@sink.example", "failed", None, None, "expired", "soft")),
    "real/dma-12.eml": _bounce("<dma-test-refused@bounce.example.com>", _r("refused@sink.example", "failed", None, None, "expired", "soft")),
    # Sendmail 8.17.1.9, Debian's defaults (headers of the original only)
    "real/sendmail-01.eml": _bounce("<test-gone.debian@bounce.example.com>", _r("gone@sink.example", "failed", "5.1.1", 550, "userunknown", "hard")),
    "real/sendmail-02.eml": _bounce("<test-full.debian@bounce.example.com>", _r("full@sink.example", "failed", "5.2.2", 552, "mailboxfull", "soft")),
    "real/sendmail-03.eml": _bounce("<test-spam.debian@bounce.example.com>", _r("spam@sink.example", "failed", "5.7.1", 554, "spamdetected", "soft")),
    "real/sendmail-04.eml": _bounce("<test-big.debian@bounce.example.com>", _r("big@sink.example", "failed", "5.3.4", 552, "emailtoolarge", "soft")),
    "real/sendmail-05.eml": _bounce("<test-blocked.debian@bounce.example.com>", _r("blocked@sink.example", "failed", "5.7.1", 550, "blocked", "soft")),
    "real/sendmail-06.eml": _bounce("<test-policy.debian@bounce.example.com>", _r("policy@sink.example", "failed", "5.7.26", 550, "authfailure", "soft")),
    "real/sendmail-07.eml": _bounce("<test-disabled.debian@bounce.example.com>", _r("disabled@sink.example", "failed", "5.2.1", 550, "suspend", "soft")),
    # Sendmail's own local delivery: X-Unix; 550 5.1.1 User unknown
    "real/sendmail-08.eml": _bounce("<test-localunknown.debian@bounce.example.com>", _r("nosuchuser@mx.sender.example.com", "failed", "5.1.1", 550, "userunknown", "hard")),
    "real/sendmail-09.eml": _bounce("<test-multi.debian@bounce.example.com>", _r("gone@sink.example", "failed", "5.1.1", 550, "userunknown", "hard"), _r("full@sink.example", "failed", "5.2.2", 552, "mailboxfull", "soft")),
    "real/sendmail-10.eml": _bounce("<test-mixed.debian@bounce.example.com>", _r("gone@sink.example", "failed", "5.1.1", 550, "userunknown", "hard")),
    # NOTIFY=SUCCESS to a non-DSN mailer: relayed
    "real/sendmail-11.eml": {"kind": "delivered", "message_id": "<test-fine-notify-success.debian@bounce.example.com>", "recipients": [_r("fine@sink.example", "relayed", "2.0.0", 250, "delivered", "none")]},
    # RET=HDRS, ENVID and ORCPT
    "real/sendmail-12.eml": _bounce("<test-gone-dsn-params.debian@bounce.example.com>", _r("gone@sink.example", "failed", "5.1.1", 550, "userunknown", "hard")),
    # upstream defaults: the whole original as message/rfc822
    "real/sendmail-13.eml": _bounce("<test-gone.fullbody@bounce.example.com>", _r("gone@sink.example", "failed", "5.1.1", 550, "userunknown", "hard")),
    # connection refused: a warning (4.4.1), then the give-up (4.4.7, sendmail-24)
    "real/sendmail-18.eml": {"kind": "delay", "message_id": "<test-deadport.debian@bounce.example.com>", "recipients": [_r("someone@dead.example", "delayed", "4.4.1", None, "networkerror", "none")]},
    "real/sendmail-20.eml": {"kind": "delay", "message_id": "<test-fullsoft.debian@bounce.example.com>", "recipients": [_r("fullsoft@sink.example", "delayed", "4.2.2", 452, "mailboxfull", "none")]},
    "real/sendmail-24.eml": _bounce("<test-deadport.debian@bounce.example.com>", _r("someone@dead.example", "failed", "4.4.7", None, "expired", "soft")),
    "real/sendmail-26.eml": _bounce("<test-fullsoft.debian@bounce.example.com>", _r("fullsoft@sink.example", "failed", "4.2.2", 452, "mailboxfull", "soft")),
    # chasquid 1.11: message/global-delivery-status (RFC 6533) with utf-8 address types, a bare
    # 5.0.0 or 4.0.0 status, and its own prefixes before the reply ("MAIL+RCPT 550 ...")
    "real/chasquid-01.eml": _bounce("<gone.1796162311901771507@bounce.example.com>", _r("gone@sink.example", "failed", "5.1.1", 550, "userunknown", "hard")),
    "real/chasquid-03.eml": _bounce("<spam.1796162312691841552@bounce.example.com>", _r("spam@sink.example", "failed", "5.7.1", 554, "spamdetected", "soft")),
    "real/chasquid-05.eml": _bounce("<blocked.1796162313524709330@bounce.example.com>", _r("blocked@sink.example", "failed", "5.7.1", 550, "blocked", "soft")),
    "real/chasquid-07.eml": _bounce("<two-failing.1796162314427996881@bounce.example.com>", _r("gone@sink.example", "failed", "5.1.1", 550, "userunknown", "hard"), _r("disabled@sink.example", "failed", "5.2.1", 550, "suspend", "soft")),
    # "failed repeatedly and timed out, last error: all MXs returned transient failures (last: 452 4.2.2 ...)"
    "real/chasquid-09.eml": _bounce("<fullsoft.1796162318650847785@bounce.example.com>", _r("fullsoft@sink.example", "failed", "4.2.2", 452, "mailboxfull", "soft")),
    # "Could not dial: dial tcp ...: connect: connection refused" until it gave up
    "real/chasquid-10.eml": _bounce("<refused.1796162319053537568@bounce.example.com>", _r("user@refused.example", "failed", "4.0.0", None, "expired", "soft")),
    # delivered to a local mailbox: LF line endings
    "real/chasquid-12.eml": _bounce("<local-gone.1796162327575903346@bounce.example.com>", _r("gone@sink.example", "failed", "5.1.1", 550, "userunknown", "hard")),
    # Postfix 3.7 delivering through Dovecot 2.3.19's LMTP and LDA (quota plugin)
    "real/postfix-dovecot-01.eml": _bounce("<lmtp-unknown.1796162277@sender.example.com>", _r("ghost@mail.example", "failed", "5.1.1", 550, "userunknown", "hard")),
    "real/postfix-dovecot-02.eml": _bounce("<lmtp-quota-data.1796162278@sender.example.com>", _r("bob@mail.example", "failed", "5.2.2", 552, "mailboxfull", "soft")),
    "real/postfix-dovecot-05.eml": _bounce("<lmtp-multi.1796162278@sender.example.com>", _r("ghost@mail.example", "failed", "5.1.1", 550, "userunknown", "hard"), _r("bob@mail.example", "failed", "5.2.2", 552, "mailboxfull", "soft")),
    "real/postfix-dovecot-07.eml": _bounce("<lmtp-quota-rcpt.1796162283@sender.example.com>", _r("bob@mail.example", "failed", "5.2.2", 552, "mailboxfull", "soft")),
    # dovecot-lda -e exits 77 ("permission denied. Command output: Quota exceeded ..."): Postfix says 5.7.0, the words say full
    "real/postfix-dovecot-09.eml": _bounce("<lda-quota.1796162291@sender.example.com>", _r("bob@mail.example", "failed", "5.7.0", None, "mailboxfull", "soft")),
    "real/postfix-dovecot-10.eml": _bounce("<lda-unknown.1796162291@sender.example.com>", _r("ghost@mail.example", "failed", "5.1.1", None, "userunknown", "hard")),
    # temporary quota failures: the warnings, then the give-ups with their 4.x.x kept
    "real/postfix-dovecot-15.eml": {"kind": "delay", "message_id": "<lmtp-quota-tempfail-rcpt.1796162306@sender.example.com>", "recipients": [_r("bob@mail.example", "delayed", "4.2.2", 452, "mailboxfull", "none")]},
    "real/postfix-dovecot-16.eml": {"kind": "delay", "message_id": "<lda-quota-tempfail.1796162306@sender.example.com>", "recipients": [_r("carol@mail.example", "delayed", "4.3.0", None, "mailboxfull", "none")]},
    # Dovecot's LMTP listener down: connection refused until Postfix gave up
    "real/postfix-dovecot-17.eml": _bounce("<lmtp-down.1796162306@sender.example.com>", _r("dave@mail.example", "failed", "4.4.1", None, "expired", "soft")),
    "real/postfix-dovecot-18.eml": _bounce("<lmtp-quota-tempfail-rcpt.1796162306@sender.example.com>", _r("bob@mail.example", "failed", "4.2.2", 452, "mailboxfull", "soft")),
    "real/postfix-dovecot-19.eml": _bounce("<lda-quota-tempfail.1796162306@sender.example.com>", _r("carol@mail.example", "failed", "4.3.0", None, "mailboxfull", "soft")),
    # Haraka 3.3.4 (outbound): multipart/report with the original's headers only
    "real/haraka-01.eml": _bounce("<179616239241.4128.1275580458785135687.gone@sender.example.com>", _r("gone@sink.example", "failed", "5.1.1", 550, "userunknown", "hard")),
    # a 452 retried until "Too many failures": Haraka rewrites the status to 5.2.2
    "real/haraka-03.eml": _bounce("<179616239344.4128.15430292528416195840.fullsoft@sender.example.com>", _r("fullsoft@sink.example", "failed", "5.2.2", 452, "mailboxfull", "soft")),
    "real/haraka-04.eml": _bounce("<179616240447.4128.1360901420237598134.spam@sender.example.com>", _r("spam@sink.example", "failed", "5.7.1", 554, "spamdetected", "soft")),
    "real/haraka-08.eml": _bounce("<179616242154.4128.16740470821608395820.two-failing@sender.example.com>", _r("gone@sink.example", "failed", "5.1.1", 550, "userunknown", "hard"), _r("disabled@sink.example", "failed", "5.2.1", 550, "suspend", "soft")),
    # a message split by outcome: the failed part says only "Some recipients failed"
    "real/haraka-09.eml": _bounce("<179616242208.4128.17504670362837888959.mixed-ok-and-fail@sender.example.com>", _r("gone@sink.example", "failed", None, None, "onhold", "soft")),
    # every MX refused until Haraka gave up: its "Status: 5.1.2 (550 Tried all MXs ...)" is no server's code
    "real/haraka-12.eml": _bounce("<179616243479.4128.11454146809887482582.refused@sender.example.com>", _r("user@refused.example", "failed", None, None, "expired", "soft")),
    # with Haraka's HTML template, and with no template at all (no From, To or Subject)
    "real/haraka-13.eml": _bounce("<179616245039.4527.10454999886566186934.gone@sender.example.com>", _r("gone@sink.example", "failed", "5.1.1", 550, "userunknown", "hard")),
    "real/haraka-16.eml": _bounce("<179616245747.4634.9871799916632918940.gone@sender.example.com>", _r("gone@sink.example", "failed", "5.1.1", 550, "userunknown", "hard")),
    # --- notices without a DSN part, written from the servers' documented formats -----------------------
    # Exim's notice for an address it cannot parse (moan.c): the address as written cannot be delivered,
    # the mailbox meant may exist
    "exim-03.eml": _bounce("<nov-letter-77@example.com>", _r("reader@example..org", "failed", None, None, "syntaxerror", "soft")),
    # Exim: a pipe in a .forward failed; the exit status (69) is not a reply code
    "exim-04.eml": _bounce("<support-4411@example.com>", _r("tickets@example.org", "failed", None, None, "mailererror", "soft")),
    # old Sendmail, no DSN: the replies to DATA and MAIL FROM come before Sendmail's line about each recipient
    "sendmail-04.eml": _bounce(
        "<winter-offers-9@example.com>",
        _r("reader@example.org", "failed", "5.7.1", 554, "spamdetected", "soft"),
        _r("gone@example.org", "failed", "5.1.1", 550, "userunknown", "hard"),
        _r("ann@example.net", "failed", "5.1.8", 553, "rejected", "soft"),
    ),
    # the sending host refused at MAIL FROM: a sender refusal, soft
    "sendmail-05.eml": _bounce("<winter-offers-2@example.com>", _r("reader@example.org", "failed", "5.7.1", 550, "blocked", "soft")),
    # a "220-" greeting banner and "250 2.1.0" before the failure give neither the reply code nor the status
    "sendmail-06.eml": _bounce("<winter-offers-3@example.com>", _r("reader@example.org", "failed", "5.2.2", 552, "mailboxfull", "soft")),
    # a pipe ("|/usr/local/bin/autoresponder", expanded from the recipient) exited 1
    "sendmail-07.eml": _bounce("<support-4412@example.com>", _r("tickets@example.org", "failed", "5.3.0", 554, "mailererror", "soft")),
    # two failures: a pipe expanded from one recipient (no transcript line names it), a remote unknown user
    "sendmail-08.eml": _bounce(
        "<support-4414@example.com>",
        _r("tickets@example.org", "failed", None, None, "mailererror", "soft"),
        _r("gone@example.org", "failed", "5.1.1", 550, "userunknown", "hard"),
    ),
    # Postfix without a DSN part: procmail, run by local(8), exited 75; "(expanded from <alias>)" after the address
    "postfix-10.eml": _bounce("<help-2026-11-25@example.com>", _r("tickets@example.org", "failed", None, None, "mailererror", "soft")),
    # gateways' plain notices: the reply on the recipient's lines, in English, German and French
    "gateway-01.eml": _bounce("<dec-offers-81@example.com>", _r("dora@example.org", "failed", "5.1.1", 550, "userunknown", "hard")),
    "gateway-02.eml": _bounce("<dec-offers-82@example.com>", _r("anna.schmidt@beispiel.example", "failed", "5.1.1", 550, "userunknown", "hard")),
    # two addresses listed, one reply below them: it is both recipients'
    "gateway-03.eml": _bounce(
        "<dec-offers-83@example.com>",
        _r("claire@exemple.example", "failed", "5.2.2", 552, "mailboxfull", "soft"),
        _r("marc@exemple.example", "failed", "5.2.2", 552, "mailboxfull", "soft"),
    ),
    # the reply names the sender: a sender refusal, never the recipient's failure
    "gateway-04.eml": _bounce("<dec-offers-84@example.com>", _r("paul@example.net", "failed", "5.7.1", 550, "rejected", "soft")),
    "gateway-05.eml": {"kind": "delay", "message_id": "<dec-offers-85@example.com>",
                       "recipients": [_r("late@example.org", "delayed", "4.2.2", 452, "mailboxfull", "none")]},
    # each address with its own reply; the addresses in the notice's prose are not recipients
    "gateway-06.eml": _bounce(
        "<dec-offers-86@example.com>",
        _r("gone@example.net", "failed", "5.1.1", 550, "userunknown", "hard"),
        _r("crowded@example.net", "failed", "4.2.2", 452, "mailboxfull", "soft"),
    ),
    # a person's reply to a notice, quoting a reply and addresses; a newsletter about bounces; a vacation notice
    "not-bounce/human-02.eml": _unknown(),
    "not-bounce/newsletter-01.eml": _unknown(),
    "not-bounce/vacation-01.eml": {"kind": "autoreply", "message_id": "<dec-offers-83@example.com>",
                                   "recipients": [_r("marc@exemple.example", "delivered", None, None, "vacation", "none")]},
    # the parser's quadratic shapes (tests/test_linear.py holds them to their exact error)
    "hostile/blank-lines-16k.eml": _unknown(),
    "hostile/bulletdsn-newlines-16k.eml": _unknown(),
    "hostile/returned-to-32k.eml": _unknown(),
    "hostile/to-header-32k.eml": _unknown(),
    "hostile/x-failed-recipients-16k.eml": _unknown(),
    "hostile/x-failed-recipients-colons.eml": _unknown(),
}
