"""A DSN whose notice contradicts its hard fields is ambiguous about the recipient: soft (rule 7 of
spec/reasons.md). A notice that repeats the fields, or says nothing of a cause, leaves them be."""

from __future__ import annotations

import pytest

import mkmail
from bounced.parse import parse_message

UNKNOWN = "550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in local recipient table"
HOST_UNKNOWN = "550 5.1.2 <{rcpt}>: Recipient address rejected: Domain not found"
THE_MAIL_SYSTEM = "This is the mail system at host mx.sender.example.com.\n\n<{rcpt}>: {diag}"


def _with_notice(notice: str, diagnostic: str = UNKNOWN, status: str = "5.1.1", rcpt: str = "ann@example.org") -> bytes:
    diag = diagnostic.format(rcpt=rcpt)
    report = mkmail.dsn(rcpt, status=status, diagnostic=diagnostic, message_id="<m1@sender.example.com>")
    stock = THE_MAIL_SYSTEM.format(rcpt=rcpt, diag=diag)
    return report.replace(stock.encode(), notice.format(rcpt=rcpt, diag=diag).encode())


@pytest.mark.parametrize(("notice", "diagnostic", "status", "expected"), [
    # the notice states a cause about a mailbox that exists: the report contradicts itself
    ("Your message to <nekochan> was automatically rejected:\nNot enough disk space", UNKNOWN, "5.1.1",
     ("systemfull", "soft", "notice says systemfull, against status 5.1.1: ambiguous, soft")),
    ("Delivery failed: the recipient's mailbox is full.", UNKNOWN, "5.1.1",
     ("mailboxfull", "soft", "notice says mailboxfull, against status 5.1.1: ambiguous, soft")),
    ("Your message was not delivered: this account has been disabled.", HOST_UNKNOWN, "5.1.2",
     ("suspend", "soft", "notice says suspend, against status 5.1.2: ambiguous, soft")),
    # the notice says what the fields say, or names no cause: the fields decide
    (THE_MAIL_SYSTEM, UNKNOWN, "5.1.1", ("userunknown", "hard", "status 5.1.1")),
    ("I'm sorry to have to inform you that your message could not be delivered to one or more recipients.",
     UNKNOWN, "5.1.1", ("userunknown", "hard", "status 5.1.1")),
    ("The mailbox is full or the user does not exist.", UNKNOWN, "5.1.1", ("userunknown", "hard", "status 5.1.1")),
    # a notice's cause that is not about the mailbox (a policy block) does not contradict an unknown user
    ("Your message was blocked by our spam filter.", UNKNOWN, "5.1.1", ("userunknown", "hard", "status 5.1.1")),
], ids=["disk-space", "mailbox-full", "disabled-against-host", "same-words", "no-cause", "both", "policy-words"])
def test_a_notice_against_the_fields(notice, diagnostic, status, expected):
    (recipient,) = parse_message(_with_notice(notice, diagnostic, status)).recipients
    assert (recipient.reason, recipient.bounce_type.value, recipient.rule) == expected


def test_a_report_about_several_recipients_is_not_weighed_by_one_notice():
    one = _with_notice("Delivery failed: the recipient's mailbox is full.").decode()
    block = one[one.index("Final-Recipient"):one.index("\n\n", one.index("Final-Recipient"))]
    two = one.replace(block, block + "\n\n" + block.replace("ann@example.org", "bob@example.org")).encode()
    assert [(r.address, r.reason, r.bounce_type.value) for r in parse_message(two).recipients] == [
        ("ann@example.org", "userunknown", "hard"), ("bob@example.org", "userunknown", "hard")]
