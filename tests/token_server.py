"""A small OAuth2 server for tests, on loopback in a thread: the token endpoint bounced calls and the
introspection endpoint (RFC 7662) Dovecot's oauth2 passdb calls.

It issues random bearer tokens for the two grants bounced uses (client credentials, refresh token),
each good for ``lifetime`` seconds, and answers an introspection ``active`` only while the token is
good and not revoked.  Everything it was asked is kept, for the test's assertions.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Issued:
    token: str
    expires: float  # time.monotonic()
    form: dict[str, str]
    revoked: bool = False


@dataclass
class TokenServer:
    user: str
    client_id: str = "bounced-test-client"
    client_secret: str = "s3cret-client-value-0123456789"
    refresh_token: str = "1//refresh-token-value-abcdefghij"
    lifetime: float = 3600.0
    expires_in: float | None = None  # what the token responses say; None: the lifetime
    reply: tuple[int, bytes] | None = None  # the token endpoint's next answer, instead of a token
    issued: list[Issued] = field(default_factory=list)
    introspected: list[tuple[str, bool]] = field(default_factory=list)  # (token, active) as answered
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # (path, form) of token requests

    def start(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                status, body = server.answer(self.path, form)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:  # quiet
                pass

        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="token-server", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def token_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/tenant-0/oauth2/v2.0/token"

    @property
    def introspection_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/introspect"

    def answer(self, path: str, form: dict[str, str]) -> tuple[int, bytes]:
        with self._lock:
            if path == "/introspect":
                return 200, json.dumps(self._introspect(form.get("token", ""))).encode()
            self.requests.append((path, form))
            if self.reply is not None:
                reply, self.reply = self.reply, None
                return reply
            if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
                return 401, b'{"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided."}'
            if form.get("grant_type") == "refresh_token" and form.get("refresh_token") != self.refresh_token:
                return 400, b'{"error": "invalid_grant", "error_description": "Token has been expired or revoked."}'
            if form.get("grant_type") not in ("client_credentials", "refresh_token"):
                return 400, b'{"error": "unsupported_grant_type"}'
            issued = Issued(secrets.token_urlsafe(32), time.monotonic() + self.lifetime, form)
            self.issued.append(issued)
            expires_in = self.lifetime if self.expires_in is None else self.expires_in
            return 200, json.dumps({"access_token": issued.token, "token_type": "Bearer", "expires_in": int(expires_in)}).encode()

    def _introspect(self, token: str) -> dict[str, object]:
        issued = next((i for i in self.issued if i.token == token), None)
        active = issued is not None and not issued.revoked and time.monotonic() < issued.expires
        self.introspected.append((token, active))
        return {"active": True, "username": self.user, "token_type": "Bearer"} if active else {"active": False}

    def revoke_all(self) -> None:
        with self._lock:
            for issued in self.issued:
                issued.revoked = True
