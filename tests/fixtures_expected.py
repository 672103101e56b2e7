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
        "message_id": None,
        "recipients": [
            _r("pat@example.org", "delivered", None, None, "vacation", "none"),
        ],
    },
    "not-bounce/exchange-01.eml": {
        "kind": "autoreply",
        "message_id": None,
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
}
