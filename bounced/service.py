"""The listener daemon: SMTP and LMTP on aiosmtpd, sd_notify READY/STOPPING, a draining SIGTERM.

The first SIGTERM (or SIGINT) stops accepting connections, lets the sessions in flight finish
(new transactions get 421) for up to ``DRAIN_SECONDS``, processes what was stored, and exits 0.
A second signal exits at once; anything stored but not processed is processed at the next start.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import signal
import socket
import ssl
from ipaddress import ip_address
from collections.abc import Callable
from typing import Any

from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, syntax

from bounced.config import Settings
from bounced.errors import ConfigError
from bounced.intake.session import LimitedSession, Limits
from bounced.intake.smtp import BounceHandler, smtp_kwargs
from bounced.intake.spool import Spool

log = logging.getLogger(__name__)
DRAIN_SECONDS = 30.0
MONITOR_SECONDS = 2.0


def notify(state: str) -> None:
    """sd_notify(3) without libsystemd: one datagram to $NOTIFY_SOCKET, if systemd gave us one."""
    path = os.environ.get("NOTIFY_SOCKET")
    if not path:
        return
    if path.startswith("@"):
        path = "\0" + path[1:]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(path)
            sock.sendall(state.encode())
        except OSError as exc:  # systemd gone or socket unwritable: notifying is best effort
            log.warning("sd_notify %r failed: %s", state, exc)


def listen_fds() -> list[tuple[socket.socket, str]]:
    """Sockets passed by systemd (sd_listen_fds(3)): fds from 3, named by FileDescriptorName=."""
    if os.environ.get("LISTEN_PID") != str(os.getpid()):
        return []
    count = int(os.environ.get("LISTEN_FDS", "0") or 0)
    names = os.environ.get("LISTEN_FDNAMES", "").split(":")
    out = []
    for i in range(count):
        sock = socket.socket(fileno=3 + i)
        out.append((sock, names[i] if i < len(names) and names[i] else "smtp"))
    for name in ("LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"):
        os.environ.pop(name, None)  # not for the processor child
    return out


def split_hostport(value: str, key: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    host = host.strip("[]")
    if not host or not port.isdigit():
        raise ConfigError(f"{key}: expected host:port, got {value!r}")
    return host, int(port)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def socket_access(path: str, group: str) -> None:
    """Mode 0660 for the LMTP socket whatever the umask (the unit's UMask=0077 would leave 0700, which
    Postfix's lmtp client, running as postfix, cannot connect to), and the group it runs in."""
    try:
        if group:
            shutil.chown(path, group=group)
        os.chmod(path, 0o660)
    except (LookupError, OSError) as exc:  # no such group, or not ours to give
        raise ConfigError(f"lmtp_group: cannot give {path} to group {group!r}: {exc}") from exc


class Server:
    """The SMTP and LMTP listeners and their sessions, sharing one spool."""

    def __init__(self, settings: Settings, spool_factory: Callable[[], Spool] | None = None) -> None:
        self.settings = settings
        self.sessions: set[SMTP] = set()
        self.draining = False
        self.servers: list[asyncio.base_events.Server] = []
        self.spool: Spool | None = None
        self.limits = Limits(settings)
        self._spool_factory = spool_factory or (lambda: Spool(settings))

    def _check(self) -> tuple[str, int]:
        host, port = split_hostport(self.settings.listen, "listen")
        if not self.settings.bounce_domains and not _is_loopback(host):
            raise ConfigError("bounce_domains: must be set before listening on a non-loopback address "
                              f"({self.settings.listen}); with none, every domain would be accepted")
        return host, port

    def _tls(self) -> ssl.SSLContext | None:
        if not self.settings.tls_cert:
            return None
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        try:
            context.load_cert_chain(self.settings.tls_cert, self.settings.tls_key or None)
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError(f"tls_cert: cannot load {self.settings.tls_cert}: {exc}") from exc
        return context

    def _factory(self, lmtp: bool) -> Any:
        server = self
        handler = BounceHandler(self.settings, self.spool, self.settings.verp_secret(), lmtp=lmtp)  # type: ignore[arg-type]
        kwargs = smtp_kwargs(self.settings, self._tls())
        base = LMTP if lmtp else SMTP

        class Session(LimitedSession, base):  # type: ignore[valid-type, misc]
            limits = server.limits

            def refusal(self) -> str | None:
                if server.draining:
                    return "421 4.3.2 Shutting down, try again later"
                if len(server.sessions) >= server.settings.smtp_max_connections:
                    return "421 4.3.2 Too many connections, try again later"
                return None

            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                super().connection_made(transport)
                if self._admitted:
                    server.sessions.add(self)

            def connection_lost(self, error: Exception | None) -> None:
                server.sessions.discard(self)
                super().connection_lost(error)

            @syntax("MAIL FROM: <address>", extended=" [SP <mail-parameters>]")
            async def smtp_MAIL(self, arg: str) -> None:
                if server.draining:
                    await self.push("421 4.3.2 Shutting down, try again later")
                    return
                await super().smtp_MAIL(arg)

        return lambda: Session(handler, **kwargs)

    async def start(self) -> None:
        activated = listen_fds()
        if not activated:
            host, port = self._check()
        self.spool = self._spool_factory()
        loop = asyncio.get_running_loop()
        if activated:  # systemd socket activation (bounced.socket): the ports are bound already
            for sock, name in activated:
                address = sock.getsockname()
                if sock.family != socket.AF_UNIX and not self.settings.bounce_domains and not _is_loopback(address[0]):
                    raise ConfigError(f"bounce_domains: must be set before listening on {address[0]}:{address[1]}")
                factory = self._factory(name == "lmtp")
                if sock.family == socket.AF_UNIX:
                    self.servers.append(await loop.create_unix_server(factory, sock=sock))
                else:
                    self.servers.append(await loop.create_server(factory, sock=sock))
            log.info("listening on %d socket(s) from systemd: %s", len(activated), ", ".join(n for _, n in activated))
            return
        self.servers.append(await loop.create_server(self._factory(False), host, port))
        if self.settings.lmtp:
            if "/" in self.settings.lmtp:
                if os.path.exists(self.settings.lmtp):
                    os.unlink(self.settings.lmtp)
                self.servers.append(await loop.create_unix_server(self._factory(True), self.settings.lmtp))
                socket_access(self.settings.lmtp, self.settings.lmtp_group)
            else:
                lhost, lport = split_hostport(self.settings.lmtp, "lmtp")
                self.servers.append(await loop.create_server(self._factory(True), lhost, lport))
        log.info("listening: smtp %s%s", self.settings.listen, f", lmtp {self.settings.lmtp}" if self.settings.lmtp else "")

    def healthy(self) -> bool:
        return self.spool is not None and self.spool.alive()

    async def stop(self) -> None:
        self.draining = True
        for srv in self.servers:
            srv.close()
        deadline = asyncio.get_running_loop().time() + DRAIN_SECONDS
        while self.sessions and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.05)
        for session in list(self.sessions):
            if session.transport is not None:
                session.transport.close()
        if self.spool is not None:
            await asyncio.to_thread(self.spool.close)


async def _monitor(server: Server) -> None:
    """Every few seconds: start the processor again if it died, put the spool's health in systemd's
    STATUS= when it changes, and send WATCHDOG=1 (at half the interval systemd asks for) while the
    writer and the processor live; a processor that retries after a storage error lives."""
    usec = int(os.environ.get("WATCHDOG_USEC", "0") or 0)
    interval = min(MONITOR_SECONDS, usec / 2_000_000) if usec else MONITOR_SECONDS
    shown = ""
    while True:
        await asyncio.sleep(interval)
        if server.spool is None:
            continue
        server.spool.check()
        status = server.spool.status()
        if status != shown:
            notify("STATUS=" + (status or "listening on " + server.settings.listen))
            shown = status
        if not usec:
            continue
        if server.healthy():
            notify("WATCHDOG=1")
        else:
            log.error("withholding the watchdog ping: %s", status)


async def serve(settings: Settings) -> None:
    server = Server(settings)
    await server.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    first: list[float] = []

    def on_signal() -> None:
        # A second signal exits at once; one within a second of the first is the same request
        # (timeout(1) and some supervisors signal both the process and its group).
        if first and loop.time() - first[0] > 1.0:
            log.warning("second signal: exiting at once")
            os._exit(1)
        first.append(loop.time())
        stop.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, on_signal)
    notify("READY=1\nSTATUS=listening on " + settings.listen)
    monitor = asyncio.create_task(_monitor(server))
    await stop.wait()
    monitor.cancel()
    notify("STOPPING=1")
    log.info("stopping: draining %d session(s)", len(server.sessions))
    await server.stop()
    log.info("stopped")
