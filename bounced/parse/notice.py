"""Delivery-failure notices in no format a detector here knows: gateways, list managers, carriers.

Runs after every format detector and before the flufl.bounce last resort.  It reads a message only
when its structure says it is a notice from mail software: a sender such as MAILER-DAEMON or
postmaster, or a headline subject ("Undeliverable", "Delivery Status Notification", "failure
notice", "Returned mail", "Mail delivery failed", and their translations), and a body that names
addresses and gives SMTP replies, status codes or failure wording.  Each address of the notice
is paired with the reply nearest to it: the one on its own line or in the lines under it, else
the nearest reply that no other address claims, else the notice's failure headline.  A notice that
names no one but gives a reply is about the one recipient of the message it returns, if it has one.

Not recipients: the notice's own sender and recipients, the returned message's sender, Message-IDs,
postmaster and mailer-daemon mailboxes, addresses in header lines, and addresses quoted inside
a reply after its code (a reply naming the sender is about the sender).  The notice is read up to
the returned message and at most MAX_TEXT characters of it, line by line: linear in the input.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace

from bounced.model import Action, Detection
from bounced.parse.mime import Mail, decode_header, normalize_address
from bounced.parse.original import returned_headers, sole_recipient
from bounced.parse.textscan import finding_from_text

MAX_TEXT = 64 * 1024  # characters of the notice read
MAX_LINE = 1000  # characters of one line read
BLOCK = 8  # lines under an address that can hold what was said about it

_SENDER = re.compile(r"mailer[-_ ]?daemon|postmaster|mail ?delivery (?:system|subsystem|software|service)|mail ?administrator", re.I)
_SUBJECT = re.compile(
    r"undeliver|undelivered|delivery status notification|failure notice|returned mail|mail delivery failed|"
    r"mail failure|delivery (?:failure|failed|problem|report|error|notification)|non[- ]?delivery|"
    r"could not be delivered|not delivered|message (?:delayed|not sent|blocked|rejected)|delayed mail|"
    r"unzustellbar|nicht zustellbar|zustellung fehlgeschlagen|unzustellbare|fehlgeschlagene zustellung|"
    r"non remis|non distribuable|[ée]chec de (?:la )?(?:remise|distribution|livraison)|"
    r"no se (?:puede|pudo) entregar|no entregado|error de entrega|non recapitabil|mancato recapito|"
    r"onbestelbaar|niet bezorgd|n[ãa]o (?:foi )?entregue|falha na entrega|niedostarczon|nedoru[čc]iteln|"
    r"olevererbar|ikke levert|kan ikke leveres|ei voitu toimittaa|undeliverable|配信不能|未送達|送信エラー|退信|无法投递",
    re.I,
)
_REPLY_TO_SUBJECT = re.compile(r"^\s*(?:re|aw|sv|vs|antw|fw|fwd|wg|tr|rv|enc)\s*:", re.I)  # a person answering
_DELAY = re.compile(
    r"delay|not yet (?:been )?delivered|will (?:continue to )?(?:retry|try again)|still trying|"
    r"verz[öo]gert|retard|retrasad|ritardat|vertraagd|atrasad", re.I)
_STILL_TRYING = re.compile(r"will (?:continue to |keep )?(?:retry|try)|not yet (?:been )?delivered|still trying|no action is required", re.I)
_PERMANENT = re.compile(r"permanent|gave up|giving up|failed|undeliverable|could not be delivered|unzustellbar|non remis", re.I)

# An SMTP reply or status code in a line: an enhanced status anywhere, a reply code where replies stand.
_CODE = re.compile(
    r"(?<![\w.])[45]\.\d{1,3}\.\d{1,3}(?![\d]|\.\d)|"
    r"(?:^|<<<|said:?|returned:?|replied:?|reason:?|error:?|response:?|answer:?|[(\"'#:])"
    r"\s*[45][0-5]\d(?=[ -]|$)",
    re.I,
)
# Failure wordings that say something of a recipient where no code does.
_WORDING = re.compile(
    r"unknown|no such|not exist|does not exist|doesn't exist|not found|couldn't be found|invalid|disabled|"
    r"inactive|over quota|quota|mailbox (?:is )?full|rejected|refused|denied|blocked|not accepted|unavailable|"
    r"command (?:died|failed)|exited with|exit (?:status|code)|mailer error|"
    r"unbekannt|existiert nicht|inconnu|n'existe pas|desconocido|no existe|sconosciuto|non esiste|onbekend",
    re.I,
)
_HEADLINE = re.compile(
    r"could not be delivered|couldn't be delivered|was not delivered|undeliverable|delivery (?:has )?failed|"
    r"failed permanently|permanent (?:error|failure)|delivery to the following|not be delivered|"
    r"konnte nicht zugestellt|n'a pas pu [êe]tre (?:remis|distribu)|no se ha podido entregar|non [èe] stato possibile",
    re.I,
)
_HEADER_LINE = re.compile(
    r"^\s*(?:from|to|cc|bcc|reply-to|return-path|sender|message-id|in-reply-to|references|received|date|subject|"
    r"envelope-to|delivered-to|x-[\w-]+|dkim-signature|list-[\w-]+)\s*:", re.I)
# Lines that only a returned message has, or that announce one (in wordings the shared markers miss).
_RETURNED = re.compile(
    r"^(?:(?:Received|Return-Path|DKIM-Signature|ARC-Seal|Authentication-Results):\s|"
    r"\W*(?:message text follows|original message follows|returned message|copy of (?:the|your) message)\b)", re.I)
_ALIAS = re.compile(r"(?:expanded|generated) from\W{0,3}\Z", re.I)  # Postfix, Exim: "(expanded from <alias@...>)"
_TOKENS = re.compile(r"[\s<>()\[\]\"',;]+")
_ADDRESS = re.compile(r"[\w.!#$%&*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.A)
_NOT_RECIPIENTS = ("postmaster", "mailer-daemon", "mailer_daemon", "mailerdaemon")
_OWN = ("From", "To", "Cc", "Sender", "Reply-To", "Return-Path", "Delivered-To", "X-Original-To", "Envelope-To", "Errors-To")
_IDS = ("Message-ID", "In-Reply-To", "References", "Resent-Message-ID")


@dataclass
class _Line:
    text: str
    code: bool  # holds an SMTP reply or status code
    addresses: list[tuple[str, int, int]]  # (address, start, end) of the candidates in it


class Notice:
    name = "notice"

    def detect(self, mail: Mail) -> Detection:
        if not _looks_like_notice(mail):
            return Detection(self.name)
        lines = _lines(mail.report[:MAX_TEXT], _excluded(mail))
        if not any(line.code for line in lines) and not any(_WORDING.search(line.text) for line in lines):
            return Detection(self.name)
        anchors = _anchors(lines)
        if not anchors and (sole := sole_recipient(mail)) and _CODE.search(mail.report[:MAX_TEXT]):
            # the notice names no one, but the message it returns went to one address: that one
            anchors = {sole: [_first_code(lines)]}
        if not anchors:
            return Detection(self.name)
        delayed = _PERMANENT.search(mail.subject) is None and (
            _DELAY.search(mail.subject) is not None or any(_STILL_TRYING.search(line.text) for line in lines))
        blocks = _blocks(lines, anchors)
        claimed = {i for start, end in blocks.values() if _has_code(lines, start, end) for i in range(start, end)}
        free = [i for i, line in enumerate(lines) if line.code and i not in claimed]  # replies no address claims
        # Where some addresses have replies of their own, one with neither reply nor failure words
        # is a mention in the notice's prose ("write to help@example.net"), not a recipient.
        answered = any(_has_code(lines, *span) for span in blocks.values())
        findings = []
        for address, (start, end) in blocks.items():
            if answered and not _has_code(lines, start, end) and not any(_WORDING.search(x.text) for x in lines[start:end]):
                continue
            said = _said(lines, address, start, end, free) or _headline(lines, mail.subject)
            finding = finding_from_text(address, said)
            if delayed and not (finding.status or str(finding.reply_code or "")).startswith("5"):
                finding = replace(finding, action=Action.DELAYED)
            findings.append(finding)
        return Detection(self.name, tuple(findings))


def _looks_like_notice(mail: Mail) -> bool:
    """A failure headline for a subject (not a person's reply to one), or mail software for a sender
    writing to someone but a postmaster (the MTAs' notices to their operators are not bounces)."""
    if _SUBJECT.search(mail.subject) is not None and _REPLY_TO_SUBJECT.match(mail.subject) is None:
        return True
    return _SENDER.search(mail.from_) is not None and _SENDER.search(mail.header("To")) is None


def _excluded(mail: Mail) -> set[str]:
    """Addresses that are not the failed recipients: the notice's own, the original's sender, Message-IDs."""
    values = [mail.header(name) for name in _OWN + _IDS]
    returned = returned_headers(mail)
    if returned is not None:
        values += [decode_header(returned.get(name)) for name in ("From", "Sender", "Return-Path", "Reply-To", "Message-ID")]
    return {normalize_address(a) for value in values for a in _ADDRESS.findall(value[:MAX_LINE])}


def _lines(report: str, excluded: set[str]) -> list[_Line]:
    """The notice's lines, up to a returned header block that no marker announced."""
    lines: list[_Line] = []
    in_header = False
    for text in report.split("\n"):
        if _RETURNED.match(text):
            break
        in_header = _HEADER_LINE.match(text) is not None or (in_header and text[:1] in (" ", "\t"))
        lines.append(_line(text[:MAX_LINE], excluded, in_header))
    return lines


def _line(text: str, excluded: set[str], in_header: bool) -> _Line:
    code = _CODE.search(text)
    addresses = []
    if "@" in text and not in_header:
        position = 0
        for token in _TOKENS.split(text):
            start = text.find(token, position)
            position = start + len(token)
            if "@" not in token:
                continue
            token = token.rstrip(".:")
            if not _ADDRESS.fullmatch(token):
                continue
            address = normalize_address(token)
            local = address.rpartition("@")[0]
            if address in excluded or local.lower() in _NOT_RECIPIENTS or "/" in local:
                continue  # "/" : a path ("/home/user/.forward"), not a mailbox
            if _ALIAS.search(text, max(0, start - 40), start):
                continue  # the address the recipient was expanded from: the same recipient
            if code is not None and start > code.end() and text[code.end():start].strip(" <") != "":
                continue  # quoted inside a reply, not the reply's subject
            addresses.append((address, start, start + len(token)))
    return _Line(text, code is not None, addresses)


def _first_code(lines: list[_Line]) -> int:
    return next((i for i, line in enumerate(lines) if line.code), 0)


def _anchors(lines: list[_Line]) -> dict[str, list[int]]:
    """Each candidate address and the lines that name it, in the order first named."""
    anchors: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        for address, _, _ in line.addresses:
            anchors.setdefault(address, []).append(i)
    return anchors


def _block_end(lines: list[_Line], start: int, address: str | None = None) -> int:
    """Where the lines under line ``start`` stop: at a blank line, or one naming another address."""
    end = start + 1
    while end < len(lines) and end - start < BLOCK and lines[end].text.strip() and all(
        a == address for a, _, _ in lines[end].addresses
    ):
        end += 1
    return end


def _has_code(lines: list[_Line], start: int, end: int) -> bool:
    return any(lines[i].code for i in range(start, end))


def _blocks(lines: list[_Line], anchors: dict[str, list[int]]) -> dict[str, tuple[int, int]]:
    """Each address's block: the line naming it and the lines under it; a mention with a code wins."""
    blocks = {}
    for address, mentions in anchors.items():
        spans = [(i, _block_end(lines, i, address)) for i in mentions[:BLOCK]]
        blocks[address] = next((s for s in spans if _has_code(lines, *s)), spans[0])
    return blocks


def _said(lines: list[_Line], address: str, start: int, end: int, free: list[int]) -> str:
    """The reply in the address's block, else the nearest of the ``free`` replies (line numbers, in order)."""
    if _has_code(lines, start, end):
        first = lines[start]
        after = next((e for a, _, e in first.addresses if a == address), 0)
        own = " ".join([first.text[after:].lstrip(">:.)]\"' \t"), *(line.text for line in lines[start + 1 : end])])
        if _CODE.search(own):
            return own
        return " ".join(line.text for line in lines[start:end])
    if free:
        after = bisect_left(free, start)
        nearest = min(free[max(0, after - 1) : after + 1], key=lambda i: (abs(i - start), i < start))
        return " ".join(line.text for line in lines[nearest:_block_end(lines, nearest)])
    block = " ".join(line.text for line in lines[start:end])
    return block if _WORDING.search(block) else ""


def _headline(lines: list[_Line], subject: str) -> str:
    """The notice's own sentence about the failure, or its subject."""
    return next((line.text for line in lines if _HEADLINE.search(line.text)), subject)


DETECTOR = Notice()
