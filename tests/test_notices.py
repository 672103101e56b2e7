"""Notices without a DSN part, by class of issue 12: each row is a message and its full parse.

The fixtures (fixtures/*.eml) are written from the servers' documented formats; the messages built
here vary one thing at a time (the language, where the reply stands, what names the sender).
Each row gives kind, and for every recipient address, action, status, reply_code, reason and
bounce_type.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bounced.parse import parse_message
from bounced.parse.notice import MAX_TEXT

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
Row = tuple[str, ...]


def notice(subject: str, body: str, sender: str = "postmaster@gw.example.net", content_type: str = "text/plain",
           headers: str = "") -> bytes:
    """A gateway's notice to bounces@example.com, the original's headers quoted after its text."""
    return (
        f"Return-Path: <>\nFrom: {sender}\nTo: bounces@example.com\nSubject: {subject}\n"
        f"Date: Thu, 26 Nov 2026 08:14:21 +0000\nMessage-ID: <ndr-20261126.4711@gw.example.net>\n{headers}"
        f"MIME-Version: 1.0\nContent-Type: {content_type}; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
        f"{body}\n\nOriginal message headers:\n\nFrom: news@example.com\nTo: someone@example.org\n"
        "Subject: December offers\nMessage-ID: <dec-offers-90@example.com>\n"
    ).encode()


def parsed(data: bytes) -> tuple[str, list[Row]]:
    bounce = parse_message(data)
    rows = [(r.address, r.action.value, r.status, r.reply_code, r.reason, r.bounce_type.value) for r in bounce.recipients]
    return bounce.kind.value, rows


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


# --- class 1: notices without a DSN part ---------------------------------------------------------------

NOTICES = {
    "gateway-labelled": (fixture("gateway-01.eml"), "bounce", [("dora@example.org", "failed", "5.1.1", 550, "userunknown", "hard")]),
    "gateway-german-multipart": (fixture("gateway-02.eml"), "bounce",
                                 [("anna.schmidt@beispiel.example", "failed", "5.1.1", 550, "userunknown", "hard")]),
    "gateway-french-one-reply-two-addresses": (fixture("gateway-03.eml"), "bounce", [
        ("claire@exemple.example", "failed", "5.2.2", 552, "mailboxfull", "soft"),
        ("marc@exemple.example", "failed", "5.2.2", 552, "mailboxfull", "soft"),
    ]),
    "gateway-each-address-its-reply": (fixture("gateway-06.eml"), "bounce", [
        ("gone@example.net", "failed", "5.1.1", 550, "userunknown", "hard"),
        ("crowded@example.net", "failed", "4.2.2", 452, "mailboxfull", "soft"),
    ]),
    "spanish": (notice("No se puede entregar: Ofertas", "No se ha podido entregar el mensaje a:\n\n  luis@ejemplo.example\n\n"
                       "Error: 550 5.1.1 Usuario desconocido / user unknown"), "bounce",
                [("luis@ejemplo.example", "failed", "5.1.1", 550, "userunknown", "hard")]),
    "italian-reply-on-the-address-line": (notice("Mancato recapito: Offerte", "Il messaggio non è stato recapitato.\n\n"
                                                 "giulia@esempio.example: 552 5.2.2 casella piena / mailbox full"), "bounce",
                                          [("giulia@esempio.example", "failed", "5.2.2", 552, "mailboxfull", "soft")]),
    "reply-above-the-address": (notice("Undeliverable: December offers", "Delivery has failed.\n\n"
                                       "Remote server: 550 5.1.1 No such user here\n    for jan@voorbeeld.example"), "bounce",
                                [("jan@voorbeeld.example", "failed", "5.1.1", 550, "userunknown", "hard")]),
    "carrier-words-only": (notice("Returned mail: User unknown", "The following address was not delivered:\n\n"
                                  "  taro@carrier.example (User unknown)"), "bounce",
                           [("taro@carrier.example", "failed", None, None, "userunknown", "hard")]),
    "html-only": (notice("Delivery Status Notification (Failure)", "<html><body><p>Delivery to these recipients failed:</p>"
                         "<p>ines@example.org</p><p>Remote server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'</p>"
                         "</body></html>", content_type="text/html"), "bounce",
                  [("ines@example.org", "failed", "5.1.1", 550, "userunknown", "hard")]),
    "html-table": (notice("Delivery Failure", "<html><body><p>Your message couldn't be delivered:</p><table>"
                          "<tr><th>Recipient</th><th>Reason</th></tr><tr><td>petra@example.org</td>"
                          "<td>Remote server response: 552 5.2.2 Mailbox full</td></tr></table></body></html>",
                          sender="Delivery Service <postmaster@relay.example>", content_type="text/html"), "bounce",
                   [("petra@example.org", "failed", "5.2.2", 552, "mailboxfull", "soft")]),
    "delay": (notice("Delivery delayed: December offers", "Delivery of your message has been delayed; we will continue to try.\n\n"
                     "  slow@example.org\n    452 4.2.2 Mailbox full, try again later"), "delay",
              [("slow@example.org", "delayed", "4.2.2", 452, "mailboxfull", "none")]),
    # a warning that says so only in its text: a delay is never hard, whatever the words
    "warning-in-the-text": (notice("Message status: December offers", "Your message has not yet been delivered. We will retry for 3 days.\n\n"
                                   "  gone@example.org\n    450 4.1.1 <gone@example.org>: Recipient address rejected: User unknown"),
                            "delay", [("gone@example.org", "delayed", "4.1.1", 450, "userunknown", "none")]),
    # what is not a recipient: the notice's own addresses, the original's sender, Message-IDs, postmaster,
    # addresses in header lines and in the notice's prose
    "not-recipients": (notice("Undeliverable: December offers",
                              "Your message <dec-offers-90@example.com> to kim@example.org was not delivered.\n"
                              "Reporting-ID: 20261126.abc123@gw.example.net\n\n"
                              "  kim@example.org\n    550 5.1.1 <kim@example.org>... User unknown\n\n"
                              "Sent by news@example.com to bounces@example.com; questions to postmaster@gw.example.net\n"
                              "or to helpdesk@gw.example.net.",
                              headers="References: <20261126.abc123@gw.example.net>\n"), "bounce",
                       [("kim@example.org", "failed", "5.1.1", 550, "userunknown", "hard")]),
    # a notice that names no one is about the one recipient of the message it returns
    "names-no-one": (notice("Undeliverable: December offers", "550 5.7.1 <news@example.com>: Sender address rejected"),
                     "bounce", [("someone@example.org", "failed", "5.7.1", 550, "rejected", "soft")]),
    "names-no-one-returns-nothing": (
        b"From: postmaster@gw.example.net\nTo: bounces@example.com\nSubject: Undeliverable: December offers\n\n"
        b"550 5.7.1 <news@example.com>: Sender address rejected\n", "unknown", []),
}

# A sender refusal inside a notice stays soft, whatever the reply class.
SENDER_REFUSALS = {
    "reply-names-the-sender": (fixture("gateway-04.eml"), "bounce", [("paul@example.net", "failed", "5.7.1", 550, "rejected", "soft")]),
    "refused-at-mail-from": (notice("Undeliverable: December offers", "Delivery failed:\n\n  lee@example.org\n"
                                    "    SMTP error from remote server after MAIL FROM: 550 5.7.1 Mail from 192.0.2.10 refused"),
                             "bounce", [("lee@example.org", "failed", "5.7.1", 550, "blocked", "soft")]),
}

NOT_BOUNCES = {
    "human-reply-quoting-a-reply": (fixture("not-bounce/human-02.eml"), "unknown", []),
    "newsletter-quoting-addresses-and-550": (fixture("not-bounce/newsletter-01.eml"), "unknown", []),
    "vacation": (fixture("not-bounce/vacation-01.eml"), "autoreply", [("marc@exemple.example", "delivered", None, None, "vacation", "none")]),
    # a notice from mail software to its own postmaster (a session transcript) is not a bounce
    "operator-notice": (fixture("real/postfix-19.eml"), "unknown", []),
    "person-sending-a-headline": (notice("Re: Undeliverable: December offers", "Why did bob@example.org get 550 5.1.1?",
                                         sender="Amy <amy@example.com>"), "unknown", []),
}


@pytest.mark.parametrize("name", [*NOTICES, *SENDER_REFUSALS, *NOT_BOUNCES])
def test_notice(name):
    data, kind, rows = {**NOTICES, **SENDER_REFUSALS, **NOT_BOUNCES}[name]
    assert parsed(data) == (kind, rows)


def test_a_notice_is_read_up_to_its_limit():
    body = "".join(f"  user{i}@example.org\n    550 5.1.1 User unknown\n\n" for i in range(20_000))
    kind, rows = parsed(notice("Undeliverable: December offers", body))
    assert kind == "bounce"
    assert 0 < len(rows) < MAX_TEXT // 40  # only what the first MAX_TEXT characters name
    assert rows[0] == ("user0@example.org", "failed", "5.1.1", 550, "userunknown", "hard")
    assert {row[1:] for row in rows} == {("failed", "5.1.1", 550, "userunknown", "hard")}


@pytest.mark.parametrize("body", [
    "a" * 300_000 + "@example.org 550 5.1.1",
    ("x@y.example " * 50_000) + "550",
    "550 " * 100_000,
    "@" * 200_000,
], ids=["long-local-part", "many-addresses-one-line", "many-codes", "at-signs"])
def test_hostile_notices_have_a_defined_outcome(body):
    kind, rows = parsed(notice("Undeliverable: December offers", body))
    assert kind in ("bounce", "unknown")
    assert all(row[5] in ("hard", "soft") for row in rows)


# --- class 4: old Sendmail transcripts, the reply before the recipient's line ---------------------------

SENDMAIL = {
    "sendmail-04.eml": [
        ("reader@example.org", "failed", "5.7.1", 554, "spamdetected", "soft"),
        ("gone@example.org", "failed", "5.1.1", 550, "userunknown", "hard"),
        ("ann@example.net", "failed", "5.1.8", 553, "rejected", "soft"),
    ],
    "sendmail-05.eml": [("reader@example.org", "failed", "5.7.1", 550, "blocked", "soft")],
}


@pytest.mark.parametrize("name", SENDMAIL)
def test_sendmail_transcript(name):
    assert parsed(fixture(name)) == ("bounce", SENDMAIL[name])


def test_sendmail_reply_to_data_carries_its_phase():
    from bounced.parse.transcript import transcript_reply

    transcript = (">>> RCPT To:<a@example.org>\n<<< 250 2.1.5 Ok\n>>> DATA\n<<< 554 5.7.1 Rejected\n"
                  "554 5.0.0 <a@example.org>... Service unavailable\n>>> MAIL From:<s@example.com>\n"
                  "<<< 553 5.1.8 Sender domain does not exist\n501 5.6.0 <b@example.org>... Data format error\n")
    assert transcript_reply(transcript, "a@example.org") == ("554 5.7.1 Rejected 554 5.0.0 <a@example.org>... Service unavailable", "DATA")
    assert transcript_reply(transcript, "b@example.org") == (
        "553 5.1.8 Sender domain does not exist 501 5.6.0 <b@example.org>... Data format error", "MAIL")
    assert transcript_reply(transcript, "c@example.org") == ("", None)


# --- class 6: local delivery programs -----------------------------------------------------------------

MAILER = {
    "exim-04.eml": [("tickets@example.org", "failed", None, None, "mailererror", "soft")],
    "real/exim-21.eml": [("helpdesk@sink.example", "failed", "5.0.0", None, "mailererror", "soft")],  # generated by Exim 4.96
    "sendmail-07.eml": [("tickets@example.org", "failed", "5.3.0", 554, "mailererror", "soft")],
    "sendmail-08.eml": [("tickets@example.org", "failed", None, None, "mailererror", "soft"),
                        ("gone@example.org", "failed", "5.1.1", 550, "userunknown", "hard")],
    "postfix-10.eml": [("tickets@example.org", "failed", None, None, "mailererror", "soft")],
}


@pytest.mark.parametrize("name", MAILER)
def test_local_delivery_program(name):
    assert parsed(fixture(name)) == ("bounce", MAILER[name])


def _dsn(diagnostic: str, status: str = "5.3.0") -> bytes:
    return (
        "From: MAILER-DAEMON@mx.example.org\nTo: bounces@example.com\nSubject: Returned mail\n"
        'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="B"\n\n'
        "--B\nContent-Type: text/plain\n\nA local delivery failed.\n\n--B\nContent-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; mx.example.org\n\nFinal-Recipient: RFC822; tickets@example.org\nAction: failed\n"
        f"Status: {status}\nDiagnostic-Code: {diagnostic}\n\n--B--\n"
    ).encode()


@pytest.mark.parametrize("diagnostic", ["X-Unix; 255", "X-Unix; 75", "x-unix; 127", "X-Unix; 1"])
def test_an_exit_status_is_never_a_reply_code(diagnostic):
    """Sendmail's DSN for a local mailer that exited: the type stays in the diagnostic, for the classifier."""
    bounce = parse_message(_dsn(diagnostic))
    assert parsed(_dsn(diagnostic)) == ("bounce", [("tickets@example.org", "failed", "5.3.0", None, "mailererror", "soft")])
    assert bounce.recipients[0].diagnostic == diagnostic


# --- class 8: fields from the wrong place ------------------------------------------------------------

def test_a_greeting_banner_is_not_the_reply():
    assert parsed(fixture("sendmail-06.eml")) == ("bounce", [("reader@example.org", "failed", "5.2.2", 552, "mailboxfull", "soft")])


@pytest.mark.parametrize(("diagnostic", "status", "reply_code", "reason"), [
    ("smtp; 550 Message refused by mx.example.org (Postfix 2.10.1)", "5.0.0", 550, "onhold"),  # a version, not a status
    # the banner's 220 is not the reply; a bare 5.7.1 is read by RFC 3463 ("delivery not authorized")
    ("smtp; 220-mx.example.org ESMTP Postfix 554 5.7.1 Service refused", "5.7.1", 554, "securityerror"),
], ids=["version-string", "greeting-banner"])
def test_a_failure_takes_failure_codes_only(diagnostic, status, reply_code, reason):
    assert parsed(_dsn(diagnostic, status="5.0.0")) == ("bounce", [("tickets@example.org", "failed", status, reply_code, reason, "soft")])


# --- Exim's own notices -----------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "address"), [("exim-03.eml", "reader@example..org"), ("real/exim-20.eml", "reader@sink..example")])
def test_exim_malformed_address(name, address):
    assert parsed(fixture(name)) == ("bounce", [(address, "failed", None, None, "syntaxerror", "soft")])
