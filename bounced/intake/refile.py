"""Re-filing what the parse found not to be a bounce: from where the drain left it to the non-bounce folder, by UID.

Each re-file is recorded before the MOVE (state ``refiling``) and after it (``refiled``), so a
restart re-files what is still pending.  Nothing is moved twice: a UID is never reused under one
UIDVALIDITY, so once a message has left its folder, its recorded UID there matches nothing.  A
message no longer where it was recorded is looked for in the non-bounce folder (our own MOVE went
through before a crash, or someone put it there); if it is not there either, someone else moved
or expunged it: that is logged and skipped.
"""

from __future__ import annotations

import dataclasses
import logging
from itertools import groupby

from imapclient import IMAPClient

from bounced.config import Mailbox
from bounced.intake.uidplus import locate, message_id, transfer, uid_set
from bounced.model import ImapCopy, Kind
from bounced.store import Store

log = logging.getLogger(__name__)
BOUNCE_KINDS = frozenset({Kind.BOUNCE.value, Kind.DELAY.value, Kind.DELIVERED.value, Kind.FEEDBACK.value})


def refile(client: IMAPClient, store: Store, box: Mailbox) -> int:
    """Keep the processed bounces where they are and move the other processed messages to the
    non-bounce folder; returns how many were moved.  Selects ``box.folder`` again when done."""
    keep, move = [], []
    for copy, kind in store.imap_decided(box.name):
        if copy.state == "refiling" or (kind not in BOUNCE_KINDS and copy.folder != box.nonbounce_folder):
            move.append(dataclasses.replace(copy, state="refiling"))
        else:
            keep.append(dataclasses.replace(copy, state="kept" if kind in BOUNCE_KINDS else "refiled"))
    store.file_imap(box.name, keep)
    if not move:
        return 0
    store.file_imap(box.name, move)  # the intent, durable before any MOVE
    missing: list[ImapCopy] = []
    moved = 0
    for folder, group in groupby(sorted(move, key=lambda c: c.folder), key=lambda c: c.folder):
        copies = list(group)
        if not client.folder_exists(folder):  # deleted by someone: none of them is there
            missing += copies
            continue
        validity = int(client.select_folder(folder)[b"UIDVALIDITY"])
        here: dict[int, ImapCopy] = {}
        for copy in copies:
            uid = copy.uid if copy.uid is not None and copy.uidvalidity == validity else locate(client, _raw(store, copy))
            if uid is None:
                missing.append(copy)
            else:
                here[uid] = copy
        present = set(client.search(["UID", uid_set(list(here))])) if here else set()
        missing += [copy for uid, copy in here.items() if uid not in present]
        new = transfer(client, sorted(present), box.nonbounce_folder)
        refiled = []
        for uid in sorted(present):
            validity_there, uid_there = new.get(uid, (None, None))  # unknown without UIDPLUS: nothing is left to do with it
            refiled.append(ImapCopy(here[uid].raw_id, box.nonbounce_folder, validity_there, uid_there, "refiled"))
        store.file_imap(box.name, refiled)
        moved += len(present)
        log.info("mailbox %s: %d non-bounce(s) moved from %s to %s", box.name, len(present), folder, box.nonbounce_folder)
    if missing:
        _account_for(client, store, box, missing)
    client.select_folder(box.folder)  # the folder the poller reads, and IDLE watches
    return moved


def _account_for(client: IMAPClient, store: Store, box: Mailbox, missing: list[ImapCopy]) -> None:
    """Messages no longer where they were recorded: in the non-bounce folder already, or gone."""
    validity = int(client.select_folder(box.nonbounce_folder)[b"UIDVALIDITY"])
    found = []
    for copy in missing:
        uid = locate(client, _raw(store, copy))
        if uid is not None:
            found.append(ImapCopy(copy.raw_id, box.nonbounce_folder, validity, uid, "refiled"))
        else:
            log.warning("mailbox %s: raw message %s (%s) is no longer in %s (moved or expunged by someone else);"
                        " not re-filed", box.name, copy.raw_id, _mid(store, copy), copy.folder)
            found.append(dataclasses.replace(copy, state="gone"))
    store.file_imap(box.name, found)


def _raw(store: Store, copy: ImapCopy) -> bytes:
    return bytes(store.raw(copy.raw_id)["raw"])


def _mid(store: Store, copy: ImapCopy) -> str:
    return message_id(_raw(store, copy)) or "no Message-ID"
