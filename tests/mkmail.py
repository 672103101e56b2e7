"""Build RFC 3464 reports and other mail for the pipeline tests, in the shape Postfix writes them."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

_N = [0]


def dsn(
    recipient: str,
    status: str = "5.1.1",
    diagnostic: str = "550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in local recipient table",
    action: str = "failed",
    message_id: str | None = "<orig-1@sender.example.com>",
    envelope_to: str = "bounces@bounce.example.com",
    arrival: datetime | None = None,
    envelope_id: str | None = None,
    report_id: str | None = None,
    extra_headers: str = "",
    remote_mta: str = "mx.example.org",
) -> bytes:
    """A Postfix-style multipart/report for one recipient."""
    _N[0] += 1
    report_id = report_id or f"<report-{_N[0]}@mx.sender.example.com>"
    arrival = arrival or datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    diag = diagnostic.format(rcpt=recipient)
    original = ""
    if message_id:
        original = (
            "\n--BOUNDARY\nContent-Description: Undelivered Message Headers\nContent-Type: text/rfc822-headers\n\n"
            f"From: News <news@sender.example.com>\nTo: {recipient}\nSubject: November news\n"
            f"Message-ID: {message_id}\nDate: {format_datetime(arrival)}\n"
        )
    envid = f"Original-Envelope-Id: {envelope_id}\n" if envelope_id else ""
    text = f"""{extra_headers}Delivered-To: {envelope_to}
Return-Path: <>
From: MAILER-DAEMON@mx.sender.example.com (Mail Delivery System)
To: {envelope_to}
Subject: Undelivered Mail Returned to Sender
Message-Id: {report_id}
Date: {format_datetime(arrival)}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"

--BOUNDARY
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.sender.example.com.

<{recipient}>: {diag}

--BOUNDARY
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.sender.example.com
{envid}Arrival-Date: {format_datetime(arrival)}

Final-Recipient: rfc822; {recipient}
Original-Recipient: rfc822;{recipient}
Action: {action}
Status: {status}
Remote-MTA: dns; {remote_mta}
Diagnostic-Code: smtp; {diag}
{original}
--BOUNDARY--
"""
    return text.encode()


def arf(recipient: str, message_id: str = "<orig-1@sender.example.com>", envelope_to: str = "fbl@bounce.example.com") -> bytes:
    """A complaint about ``message_id``; an empty ``recipient`` is a redacted one (RFC 6590)."""
    rcpt_field = f"Original-Rcpt-To: {recipient}\n" if recipient else "Redacted-Address: redacted\n"
    to = recipient or "undisclosed-recipients:;"
    return f"""Delivered-To: {envelope_to}
From: feedback@fbl.example.net
To: {envelope_to}
Subject: Abuse report
Message-ID: <arf-{recipient}@fbl.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="B"

--B
Content-Type: text/plain

This is an email abuse report.

--B
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: ExampleFBL/1.0
Version: 1
{rcpt_field}
--B
Content-Type: text/rfc822-headers

From: news@sender.example.com
To: {to}
Subject: November news
Message-ID: {message_id}

--B--
""".encode()


def vacation(sender: str, in_reply_to: str, envelope_to: str = "bounces@bounce.example.com") -> bytes:
    """An RFC 3834 vacation reply from ``sender`` to the message ``in_reply_to``, as Sieve writes it."""
    return f"""Delivered-To: {envelope_to}
Return-Path: <>
Message-ID: <vacation-{sender}@example.org>
From: <{sender}>
To: <{envelope_to}>
Subject: Auto: November news
In-Reply-To: {in_reply_to}
References: {in_reply_to}
Auto-Submitted: auto-replied (vacation)
Precedence: bulk
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

I am out of the office until Monday.
""".encode()
