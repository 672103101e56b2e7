"""Moving messages between IMAP folders and knowing their new UIDs: COPYUID (RFC 4315), else a Message-ID search."""

from __future__ import annotations

import logging
import re
from email import policy
from email.parser import BytesHeaderParser

from imapclient import IMAPClient

log = logging.getLogger(__name__)
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
MAX_COMPARED = 20  # messages of the same size compared byte for byte, for one without a Message-ID


def transfer(client: IMAPClient, uids: list[int], folder: str) -> dict[int, tuple[int, int]]:
    """Move ``uids`` of the selected folder to ``folder``: MOVE (RFC 6851), else COPY + \\Deleted +
    UID EXPUNGE.  Returns {old UID: (UIDVALIDITY, new UID)} as the server's COPYUID reports them;
    empty where the server does not announce UIDPLUS (a COPYUID it sends anyway is not relied on)."""
    if not uids:
        return {}
    uidplus = client.has_capability("UIDPLUS")
    wanted = uid_set(uids)
    _copyuid_codes(client)  # forget any earlier COPYUID
    if client.has_capability("MOVE"):
        client.move(wanted, folder)  # COPYUID in an untagged OK before the EXPUNGEs (RFC 6851 section 4.3)
    else:
        client.copy(wanted, folder)  # COPYUID in the tagged OK (RFC 4315 section 3)
        client.add_flags(wanted, [b"\\Deleted"], silent=True)
        if uidplus:
            client.uid_expunge(wanted)  # removes only ours
        else:
            # Without UIDPLUS there is no UID EXPUNGE: a plain EXPUNGE also removes what someone
            # else flagged \Deleted in this folder, as their own EXPUNGE would have.
            client.expunge()
    codes = _copyuid_codes(client)
    return parse_copyuid(codes) if uidplus else {}


def _copyuid_codes(client: IMAPClient) -> list[bytes]:
    """The COPYUID response codes received since the last call.  imapclient 4 returns None from
    move() and copy(); imaplib keeps every response code, tagged or untagged, by name until
    response() takes it."""
    _, data = client._imap.response("COPYUID")
    return [d for d in data if d]


def parse_copyuid(codes: list[bytes]) -> dict[int, tuple[int, int]]:
    """``COPYUID <uidvalidity> <source uid-set> <destination uid-set>``: the two sets correspond in order."""
    out: dict[int, tuple[int, int]] = {}
    for code in codes:
        try:
            validity, source, target = code.decode("ascii").split()
            old, new = _expand(source), _expand(target)
            if len(old) != len(new):
                raise ValueError("the two sets differ in size")
            out.update(zip(old, ((int(validity), uid) for uid in new)))
        except ValueError as exc:  # a malformed code: those messages' UIDs stay unknown, found later by Message-ID
            log.warning("unreadable COPYUID %r: %s", code, exc)
    return out


def _expand(text: str) -> list[int]:
    uids: list[int] = []
    for part in text.split(","):
        low, _, high = part.partition(":")
        a, b = int(low), int(high or low)
        uids.extend(range(min(a, b), max(a, b) + 1))
    return uids


def uid_set(uids: list[int]) -> str:
    """A compact sequence set (``3:7,9``), so that a long run of UIDs stays a short command line."""
    ranges: list[list[int]] = []
    for uid in sorted(set(uids)):
        if ranges and uid == ranges[-1][1] + 1:
            ranges[-1][1] = uid
        else:
            ranges.append([uid, uid])
    return ",".join(str(a) if a == b else f"{a}:{b}" for a, b in ranges)


def message_id(raw: bytes) -> str | None:
    """The message's own Message-ID, from its header alone."""
    value = BytesHeaderParser(policy=policy.compat32).parsebytes(raw).get("Message-ID")
    match = _MESSAGE_ID.search(str(value)) if value is not None else None
    return match.group(0) if match else None


def locate(client: IMAPClient, raw: bytes) -> int | None:
    """The UID of this message in the selected folder, or None: for servers without UIDPLUS, and
    for a crash between a MOVE and its record.  Found by its Message-ID (UID SEARCH HEADER) and
    its size; one without a Message-ID by its size and then its very bytes."""
    mid = message_id(raw)
    if mid is not None:
        found = client.search(["HEADER", "Message-ID", mid])
    else:
        found = client.search(["LARGER", len(raw) - 1, "SMALLER", len(raw) + 1])
    if not found:
        return None
    sizes = client.fetch(found, ["RFC822.SIZE"])
    same = [uid for uid in found if sizes.get(uid, {}).get(b"RFC822.SIZE") == len(raw)]  # the very bytes we stored
    if mid is None and same:
        bodies = client.fetch(same[-MAX_COMPARED:], ["BODY.PEEK[]"])
        same = [uid for uid in same if bodies.get(uid, {}).get(b"BODY[]") == raw]
    return max(same) if same else None
