"""The listener's SMTP/LMTP session limits: DATA read into one buffer under a shared byte budget,
sessions per client address, and a short timeout while no mail transaction is open.

aiosmtpd's own DATA keeps every line as an object of its own and then joins them: a 10 MB
message of short lines costs some 30 times its size.  Here the data is read up to each ``.CRLF``
(RFC 5321 section 4.5.2: only one at a line start ends it) straight into one bytearray, the
transparency dot taken out on the way; a line of any length is kept.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from typing import Any

from aiosmtpd.smtp import MISSING, SMTP, syntax

from bounced.config import Settings

log = logging.getLogger(__name__)

READ_LIMIT = 1 << 16  # the stream reader's window: a command longer than this is refused, DATA lines are not
END = b".\r\n"


class Limits:
    """What all sessions of one listener share: the sessions per client address and the bytes of
    message data held in memory.  Used from the event loop only."""

    def __init__(self, settings: Settings) -> None:
        self.per_client = settings.smtp_max_per_client
        self.idle_timeout = settings.smtp_idle_timeout
        self.budget = settings.smtp_max_inflight
        self.held = 0
        self.clients: Counter[str] = Counter()

    def admit(self, client: str | None) -> bool:
        if client is None or not self.per_client:
            return True
        if self.clients[client] >= self.per_client:
            return False
        self.clients[client] += 1
        return True

    def leave(self, client: str | None) -> None:
        if client is None or not self.per_client:
            return
        self.clients[client] -= 1
        if self.clients[client] <= 0:
            del self.clients[client]

    def room(self, size: int) -> bool:
        return not self.budget or self.held + size <= self.budget

    def take(self, size: int) -> bool:
        if not self.room(size):
            return False
        self.held += size
        return True

    def give(self, size: int) -> None:
        self.held -= size


def client_of(peer: Any) -> str | None:
    """The address a per-client limit counts; None for a unix socket (a local MTA's LMTP)."""
    if isinstance(peer, tuple) and peer:
        return str(peer[0])
    return None


def declared_size(mail_options: list[str]) -> int:
    """The SIZE= of MAIL FROM (RFC 1870), 0 if none was given."""
    for option in mail_options:
        key, _, value = option.partition("=")
        if key == "SIZE" and value.isdigit():
            return int(value)
    return 0


def unstuff(tail: bytes, wire: bytes) -> bytes | memoryview:
    """``wire`` without the dot that starts each of its lines (RFC 5321 section 4.5.2); ``tail``
    is the two bytes before it, which say whether it starts at a line start."""
    if b"." not in wire:
        return wire
    return memoryview((tail + wire).replace(b"\r\n.", b"\r\n"))[len(tail):]


def _last_two(tail: bytes, wire: bytes, end: int | None = None) -> bytes:
    """The two wire bytes before ``wire[end]`` (its end by default), ``tail`` being those before ``wire``."""
    end = len(wire) if end is None else end
    return wire[end - 2 : end] if end >= 2 else (tail + wire[:end])[-2:]


class LimitedSession(SMTP):
    """An SMTP (or, mixed in before aiosmtpd's LMTP, an LMTP) session under shared ``Limits``."""

    line_length_limit = READ_LIMIT
    limits: Limits
    _client: str | None = None
    _admitted = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        if self._original_transport is not None:  # STARTTLS: the same session, now encrypted
            super().connection_made(transport)
            return
        client = client_of(transport.get_extra_info("peername"))
        refusal = self.refusal()
        if refusal is None and not self.limits.admit(client):
            refusal = "421 4.7.0 Too many connections from your address, try again later"
        if refusal is not None:
            transport.write(refusal.encode() + b"\r\n")  # type: ignore[attr-defined]
            transport.close()
            return
        self._client, self._admitted = client, True
        super().connection_made(transport)

    def refusal(self) -> str | None:
        """A 421 reply for a connection to turn away before the greeting; None to serve it."""
        return None

    def connection_lost(self, error: Exception | None) -> None:
        if not self._admitted:  # turned away in connection_made: aiosmtpd never saw it
            return
        self._admitted = False
        self.limits.leave(self._client)
        super().connection_lost(error)

    # The wait for the next command is short while no transaction is open (after the greeting,
    # between messages) and smtp_timeout inside one.  RFC 5321 section 4.5.3.2.7 asks 5 minutes for
    # a command; a session that sends nothing has no claim on a slot for that long.  As in aiosmtpd,
    # only a valid command restarts the clock (garbage does not keep a session), and the commands
    # that open or close a transaction restart it once they are done.
    def _reset_timeout(self, duration: float | None = None) -> None:
        if self.transport is None and self._timeout_handle is not None:  # the session has ended
            return
        if duration is None and self.limits.idle_timeout and not (self.envelope and self.envelope.mail_from):
            duration = self.limits.idle_timeout
        super()._reset_timeout(duration)

    @syntax("MAIL FROM: <address>", extended=" [SP <mail-parameters>]")
    async def smtp_MAIL(self, arg: str) -> None:
        await super().smtp_MAIL(arg)
        self._reset_timeout()

    @syntax("RSET")
    async def smtp_RSET(self, arg: str) -> None:
        await super().smtp_RSET(arg)
        self._reset_timeout()

    @syntax("DATA")
    async def smtp_DATA(self, arg: str) -> None:
        if await self.check_helo_needed() or await self.check_auth_needed("DATA"):
            return
        assert self.envelope is not None
        if not self.envelope.rcpt_tos:
            await self.push("503 Error: need RCPT command")
            return
        if arg:
            await self.push("501 Syntax: DATA")
            return
        if not self.limits.room(max(1, declared_size(self.envelope.mail_options))):
            await self.push("451 4.3.1 Insufficient system storage, try again later")
            return
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        held = [0]
        try:
            content, reply = await self._read_data(held)
            if content is not None:
                self.envelope.content = self.envelope.original_content = content  # a bytearray
                del content
                status = await self._call_handler_hook("DATA")
                reply = "250 OK" if status is MISSING else status
        finally:
            self._set_post_data_state()  # the envelope lets go of the data
            self.limits.give(held[0])
        await self.push(reply)
        self._reset_timeout()

    async def _read_data(self, held: list[int]) -> tuple[bytearray | None, str]:
        """The data up to the lone dot, unstuffed, and "" ; or None and the error reply (552, 451)
        once the rest is read (RFC 5321 section 4.2.5: the reply comes after the end of data)."""
        out: bytearray | None = bytearray()
        reply = ""
        tail, size, limit = b"\r\n", 0, self.data_size_limit
        while True:
            try:
                wire = await self._reader.readuntil(END)
                ended = _last_two(tail, wire, len(wire) - 3) == b"\r\n"
            except asyncio.LimitOverrunError as exc:  # no end within the window: take what is safe
                wire, ended = await self._reader.read(exc.consumed), False
            body = wire[:-3] if ended else wire
            size += len(body)
            if out is not None and limit and size > limit:
                out, reply = None, "552 5.3.4 Message too big for system"
            if out is not None:
                chunk = unstuff(tail, body)
                if self.limits.take(len(chunk)):
                    held[0] += len(chunk)
                    out += chunk
                else:
                    log.warning("%r: message data over smtp_max_inflight (%d bytes held); 451",
                                self.session.peer if self.session else None, self.limits.held)
                    out, reply = None, "451 4.3.1 Insufficient system storage, try again later"
            if out is None and held[0]:
                self.limits.give(held[0])  # the rest is read and dropped
                held[0] = 0
            tail = _last_two(tail, wire)
            if ended:
                return out, reply
