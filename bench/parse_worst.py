"""The parser's worst case: pathological messages from 1 KB to 10 MB, against the email package on the same bytes.

    python -m bench.parse_worst [--max-size BYTES] [--family NAME ...] [--repeat N]

Each family below is a generator of one message of about n bytes, built to hit a shape that made
the parser super-linear once (a run of blank lines under a "^\\s*" pattern, a long token without
"@", many empty MIME parts, HTML without ">", nesting, ...).  For every family and size the
message goes through ``bounced.parse.parse_message`` and, separately, through
``email.message_from_bytes`` (compat32) plus a walk over its parts: the baseline, which is linear
but not free (about 1 s per MB of short lines).  Printed per family: our time per size, its ratio
to the baseline, and the growth from one size to the next (10 means linear: ten times the bytes);
then the worst time of all at each size.  The best of ``--repeat`` runs is taken.
"""

from __future__ import annotations

import argparse
import email
import time
from collections.abc import Callable

from bounced.parse import parse_message

SIZES = (1_000, 10_000, 100_000, 1_000_000, 10_000_000)

_MULTIPART_REPORT = (
    b'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n'
    b"--b\nContent-Type: text/plain\n\n"
)


def _fill(unit: bytes, n: int) -> bytes:
    return unit * max(1, n // len(unit))


def blank_lines(n: int) -> bytes:
    """A body of blank lines: "^\\s*" patterns ran from every line start to the end of the run."""
    return b"From: someone@example.com\nSubject: hello\n\n" + b"\n" * n


def blank_lines_report(n: int) -> bytes:
    """The same inside a bounce, so that the detectors that read a report's wording all run."""
    return (b"From: MAILER-DAEMON@example.com\nSubject: Undelivered Mail Returned to Sender\n\n"
            b"Delivery has failed to these recipients or groups:\n" + _fill(b" \n\n", n))


def to_header(n: int) -> bytes:
    """A To: (and Delivered-To:) of word characters without "@": address search from every position."""
    return b"Delivered-To: " + _fill(b"a", n // 2) + b"\nTo: " + _fill(b"a.", n // 2) + b"\nSubject: hi\n\nhello\n"


def x_failed_recipients(n: int) -> bytes:
    """A long X-Failed-Recipients: header, half addresses, half a run with no "@"."""
    return (b"From: MAILER-DAEMON@example.com\nSubject: Mail delivery failed\nX-Failed-Recipients: "
            + _fill(b"user@example.org, ", n // 2) + _fill(b"a", n // 2) + b"\n" + _MULTIPART_REPORT
            + b"failed\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; x\n\n--b--\n")


def x_failed_dotted(n: int) -> bytes:
    """An X-Failed-Recipients address whose domain is a long run of dots with a blank before its end."""
    return (b"From: MAILER-DAEMON@example.com\nSubject: Mail delivery failed\nX-Failed-Recipients: a@"
            + _fill(b"b.", n) + b" x\n\nfailed\n")


def x_failed_colons(n: int) -> bytes:
    """X-Failed-Recipients of "a:a:a:...": flufl.bounce's address-list parser recursed per colon."""
    return (b"From: MAILER-DAEMON@example.com\nSubject: Mail delivery failed\nX-Failed-Recipients: "
            + _fill(b"a:", n) + b"\n\nfailed\n")


def empty_parts(n: int) -> bytes:
    """A multipart of empty parts."""
    return (b"From: MAILER-DAEMON@example.com\nSubject: Undelivered Mail\nMIME-Version: 1.0\n"
            b'Content-Type: multipart/mixed; boundary="b"\n\n' + _fill(b"--b\n\n", n) + b"--b--\n")


def empty_parts_report(n: int) -> bytes:
    """A report whose parts are empty delivery-status parts."""
    return (b"From: MAILER-DAEMON@example.com\nSubject: Undelivered Mail\n" + _MULTIPART_REPORT + b"x\n"
            + _fill(b"--b\nContent-Type: message/delivery-status\n\n", n) + b"--b--\n")


def html_lt(n: int) -> bytes:
    """An HTML body of "<" with no ">": a tag pattern ran to the end from every "<"."""
    return b"From: someone@example.com\nSubject: hello\nContent-Type: text/html\n\n" + _fill(b"<", n) + b"\n"


def html_p(n: int) -> bytes:
    """An HTML body of "<p" with no ">"."""
    return b"From: someone@example.com\nSubject: hello\nContent-Type: text/html\n\n" + _fill(b"<p", n) + b"\n"


def returned_to(n: int) -> bytes:
    """A DSN whose returned headers have a long To: (the returned message's sole recipient is read)."""
    return (b"From: MAILER-DAEMON@example.com\nSubject: Undelivered Mail Returned to Sender\n" + _MULTIPART_REPORT
            + b"failed\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; x\n\n"
            b"--b\nContent-Type: text/rfc822-headers\n\nFrom: a@example.com\nTo: " + _fill(b"a", n) + b"\nSubject: x\n\n--b--\n")


def bullet_newlines(n: int) -> bytes:
    """The bulleted DSN's banner, then newlines: its details pattern was "\\n\\s*\\n\\s*\\n" after a lazy run."""
    return (b"From: postmaster@example.com\nSubject: Delivery Status Notification\n\n"
            b"This is an automatically generated Delivery Status Notification.\n"
            b"Delivery to the following recipients failed permanently:\n  * a@example.org\nTechnical details:\n"
            + _fill(b"\n", n))


def apachejames_error(n: int) -> bytes:
    """Apache James's opening line repeated, never followed by "Message details:"."""
    return b"From: someone@example.com\nSubject: hello\n\n" + _fill(b"Error message below:\n", n)


def deep_nesting(n: int) -> bytes:
    """Multiparts nested a thousand deep around short lines: feedparser tests each line per level."""
    depth = min(1000, max(1, n // 200))
    head = b"".join(b'Content-Type: multipart/mixed; boundary="N%d"\n\n--N%d\n' % (i, i) for i in range(depth))
    tail = b"".join(b"--N%d--\n" % i for i in reversed(range(depth)))
    body = _fill(b"x\n", max(2, n - len(head) - len(tail)))
    return b"From: MAILER-DAEMON@example.com\nSubject: Undelivered Mail\nMIME-Version: 1.0\n" + head + b"\n" + body + tail


def encoded_subject(n: int) -> bytes:
    """A Subject of RFC 2047 words: the standard library joins them by repeated concatenation."""
    return b"From: someone@example.com\nSubject: " + _fill(b"=?utf-8?b?w6k=?= ", n) + b"\n\nhello\n"


def short_lines(n: int) -> bytes:
    """A bounce-looking message of 3-byte lines: the flufl.bounce fallback tries ~50 patterns per line."""
    return b"From: MAILER-DAEMON@example.net\r\nSubject: Undelivered Mail\r\n\r\n" + _fill(b"x\r\n", n)


def broken_mime_lines(n: int) -> bytes:
    """A report without its closing boundary (mimeparse declines it: feedparser reads it) of short lines."""
    return (b"From: MAILER-DAEMON@example.com\nSubject: Undelivered Mail\n" + _MULTIPART_REPORT
            + b"The mail system\n\n<a@example.org>: host x said: 550 5.1.1 unknown user\n"
            b"--b\nContent-Type: message/rfc822\n\nSubject: x\n\n" + _fill(b"x\n", n))


def many_recipients(n: int) -> bytes:
    """A DSN of many recipient blocks with one long diagnostic each."""
    block = (b"Final-Recipient: rfc822; user@example.org\nAction: failed\nStatus: 5.1.1\n"
             b"Diagnostic-Code: smtp; 550 5.1.1 " + b"x " * 700 + b"\n\n")
    return (b"From: MAILER-DAEMON@example.com\nSubject: Undelivered Mail\n" + _MULTIPART_REPORT + b"failed\n"
            b"--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; x\n\n"
            + b"".join(block.replace(b"user@", b"u%d@" % i) for i in range(max(1, n // len(block)))) + b"--b--\n")


def shared_diagnostic(n: int) -> bytes:
    """Many recipients listed above one long diagnostic that each of them gets (IMail's layout)."""
    half = n // 2
    targets = b"".join(b"undeliverable to u%d@example.org\n" % i for i in range(max(1, half // 34)))
    return (b"From: postmaster@example.com\nSubject: Undeliverable Mail\n\n" + targets
            + b"Body of message generated response:\n550 " + _fill(b"no such user ", half) + b"\n")


def long_line(n: int) -> bytes:
    """One line of words, no line break, in a plain-text bounce."""
    return (b"From: MAILER-DAEMON@example.com\nSubject: Mail delivery failed\n\n"
            b"This message was created automatically by mail delivery software.\n" + _fill(b"said: 550 a@b ", n))


def wide_blank_line(n: int) -> bytes:
    r"""One line of blanks where Exchange 2007 lists its recipients: a pattern gave back its "\s*" one by one."""
    return (b"From: postmaster@example.com\nSubject: Undeliverable: hello\n\n"
            b"Delivery has failed to these recipients or groups:\n\n" + _fill(b" ", n) + b"(\n")


def sendmail_transcript(n: int) -> bytes:
    """Sendmail's list of many addresses, then a transcript of as many commands, each asked about each."""
    count = max(1, n // 80)
    listed = b"".join(b"<u%d@example.org>\n" % i for i in range(count))
    said = b"".join(b">>> RCPT To:<v%d@example.org>\n" % i for i in range(count))
    return (b"From: MAILER-DAEMON@example.com\nSubject: Returned mail: see transcript for details\n\n"
            b"   ----- The following addresses had permanent fatal errors -----\n" + listed
            + b"\n   ----- Transcript of session follows -----\n" + said)


FAMILIES: dict[str, Callable[[int], bytes]] = {
    "blank-lines": blank_lines,
    "blank-lines-report": blank_lines_report,
    "to-header": to_header,
    "x-failed-recipients": x_failed_recipients,
    "x-failed-colons": x_failed_colons,
    "x-failed-dotted": x_failed_dotted,
    "empty-parts": empty_parts,
    "empty-parts-report": empty_parts_report,
    "html-lt": html_lt,
    "html-p": html_p,
    "returned-to": returned_to,
    "bullet-newlines": bullet_newlines,
    "apachejames-error": apachejames_error,
    "deep-nesting": deep_nesting,
    "encoded-subject": encoded_subject,
    "short-lines": short_lines,
    "broken-mime-lines": broken_mime_lines,
    "many-recipients": many_recipients,
    "shared-diagnostic": shared_diagnostic,
    "long-line": long_line,
    "wide-blank-line": wide_blank_line,
    "sendmail-transcript": sendmail_transcript,
}


def email_walk(data: bytes) -> None:
    try:
        msg = email.message_from_bytes(data)
    except RecursionError:  # deep-nesting: the email package recurses once per level
        return
    for part in msg.walk():
        part.get_content_type()


def best_time(func: Callable[[bytes], object], data: bytes, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        func(data)
        best = min(best, time.perf_counter() - started)
    return best


def _size(n: int) -> str:
    return f"{n // 1_000_000} MB" if n >= 1_000_000 else f"{n // 1000} KB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max-size", type=int, default=SIZES[-1], help="largest size in bytes (default 10 MB)")
    parser.add_argument("--family", action="append", choices=sorted(FAMILIES), help="only these families")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size, the best is taken")
    args = parser.parse_args()
    sizes = [n for n in SIZES if n <= args.max_size]
    for family in FAMILIES.values():  # imports and compiled patterns out of the timing
        parse_message(family(1000))
    worst = {n: (0.0, "") for n in sizes}
    print(f"{'family':20} {'size':>6} {'bounced':>9} {'bare':>9} {'ratio':>6} {'growth':>7}  kind")
    for name in args.family or FAMILIES:
        previous = None
        for n in sizes:
            data = FAMILIES[name](n)
            ours = best_time(parse_message, data, args.repeat)
            bare = best_time(email_walk, data, args.repeat)
            kind = parse_message(data).kind.value
            growth = f"{ours / previous:7.1f}" if previous else " " * 7
            print(f"{name:20} {_size(n):>6} {ours:8.3f}s {bare:8.3f}s {ours / bare:6.2f} {growth}  {kind}", flush=True)
            previous = ours
            if ours > worst[n][0]:
                worst[n] = (ours, name)
    print("worst per size:")
    for n in sizes:
        print(f"  {_size(n):>6} {worst[n][0]:8.3f}s  {worst[n][1]}")


if __name__ == "__main__":
    main()
