"""OAuth2 access tokens for a mailbox's IMAP login (XOAUTH2 / OAUTHBEARER): fetched, cached, refreshed, never logged.

Two grants (RFC 6749), one form POST each, by the standard library (urllib.request + json):
Microsoft 365's client credentials grant (§4.4) for an app registration with IMAP.AccessAsApp,
and Google's refresh token grant (§6) for a consent given once.  A token is kept until a margin
before it expires (``expires_in``), and dropped when the server refuses it, so that the next
login asks for a new one.  Tokens, client secrets and refresh tokens appear in no log line, no
error and no repr: an error names the endpoint and the OAuth error code (§5.2), nothing more.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from bounced.config import Mailbox
from bounced.errors import BouncedError
from bounced.validate import show

log = logging.getLogger(__name__)

MICROSOFT_TOKEN_URL = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"
MICROSOFT_SCOPE = "https://outlook.office365.com/.default"  # with IMAP.AccessAsApp granted to the app
GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token"
MARGIN = 300.0  # seconds before expiry a token is replaced; a quarter of its life where that is shorter
TIMEOUT = 30.0
MAX_RESPONSE = 64 * 1024  # a token response is a few kilobytes (Microsoft's JWTs ~2-3 KB)
MAX_TOKEN = 16 * 1024


class TokenError(BouncedError):
    """The token endpoint refused the request, or answered something that is not a token: a configuration
    to fix, not a network fault to retry."""


@dataclass(frozen=True)
class Grant:
    """What a mailbox's token request is: where it goes and the form it sends (secrets read at the request)."""

    url: str
    grant_type: str
    scope: str


def grant(box: Mailbox) -> Grant:
    """The mailbox's grant: its provider's defaults, with oauth_token_url and oauth_scope where set."""
    if box.auth == "microsoft":
        url = box.oauth_token_url or MICROSOFT_TOKEN_URL.format(tenant=urllib.parse.quote(box.oauth_tenant, safe=""))
        return Grant(url, "client_credentials", box.oauth_scope or MICROSOFT_SCOPE)
    if box.auth == "google":  # the refresh token carries the scope it was granted (https://mail.google.com/)
        return Grant(box.oauth_token_url or GOOGLE_TOKEN_URL, "refresh_token", box.oauth_scope)
    raise TokenError(f"mailbox.{box.name}.auth: {box.auth!r} takes no OAuth2 token")


class TokenSource:
    """A mailbox's access token, shared by its connections (the poller's and the read-ahead's)."""

    def __init__(self, box: Mailbox, clock: Callable[[], float] = time.monotonic) -> None:
        self.box = box
        self.grant = grant(box)
        self._clock = clock
        self._lock = threading.Lock()
        self._token: str | None = None
        self._renew_at = 0.0
        self.fetched = 0  # tokens fetched so far

    def __repr__(self) -> str:
        return f"TokenSource(mailbox={self.box.name!r}, url={self.grant.url!r})"

    def token(self) -> str:
        """The cached token while it is good for another margin, else a new one."""
        with self._lock:
            if self._token is None or self._clock() >= self._renew_at:
                self._token, lifetime = self._fetch()
                self._renew_at = self._clock() + lifetime - min(MARGIN, lifetime / 4)
            return self._token

    def refused(self, token: str) -> None:
        """The server refused ``token`` (revoked, or expired early): the next ``token()`` fetches another."""
        with self._lock:
            if self._token == token:
                self._token = None

    def _form(self) -> dict[str, str]:
        box = self.box
        form = {"grant_type": self.grant.grant_type, "client_id": box.oauth_client_id, "client_secret": box.oauth_client_secret()}
        if self.grant.grant_type == "refresh_token":
            form["refresh_token"] = box.oauth_refresh_token()
        if self.grant.scope:
            form["scope"] = self.grant.scope
        return form

    def _fetch(self) -> tuple[str, float]:
        """A new token and its lifetime in seconds (0 where the endpoint gives none: used for one login)."""
        url = self.grant.url
        request = urllib.request.Request(url, data=urllib.parse.urlencode(self._form()).encode(), method="POST",
                                         headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                body = response.read(MAX_RESPONSE + 1)
        except urllib.error.HTTPError as exc:  # before URLError, its base class
            raise _http_error(self.box, url, exc) from None
        token, lifetime = parse_response(body, f"mailbox.{self.box.name}: the token endpoint {url}")
        self.fetched += 1
        log.info("mailbox %s: new OAuth2 access token from %s, good for %d s", self.box.name, url, lifetime)
        return token, lifetime


def _http_error(box: Mailbox, url: str, exc: urllib.error.HTTPError) -> Exception:
    """A refusal (400, 401, 403: RFC 6749 §5.2) is a TokenError; anything else the endpoint may get over (a 5xx,
    429) is a ConnectionError, which the poller retries with back-off."""
    where = f"mailbox.{box.name}: the token endpoint {url}"
    try:
        body = exc.read(MAX_RESPONSE)
    except OSError:  # the connection broke while the error body was read
        body = b""
    finally:
        exc.close()
    if exc.code in (400, 401, 403):
        return TokenError(f"{where} refused the request (HTTP {exc.code}){_oauth_error(body)}")
    return ConnectionError(f"{where} answered HTTP {exc.code}")


def _oauth_error(body: bytes) -> str:
    """': error: description' from an RFC 6749 §5.2 error body, short and printable; '' if it has none."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return ""
    if not isinstance(data, dict) or not isinstance(data.get("error"), str):
        return ""
    text = data["error"] + (f": {data['error_description']}" if isinstance(data.get("error_description"), str) else "")
    text = "".join(c if c.isprintable() else " " for c in text).strip()
    return ": " + (text if len(text) <= 200 else text[:197] + "...")


def parse_response(body: bytes, where: str) -> tuple[str, float]:
    """The access token and its lifetime from a token response (RFC 6749 §5.1); TokenError for anything else."""
    if len(body) > MAX_RESPONSE:
        raise TokenError(f"{where} answered more than {MAX_RESPONSE} bytes; not a token response")
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # ValueError: not JSON, or not UTF-8
        raise TokenError(f"{where} answered something that is not JSON") from None
    token = data.get("access_token") if isinstance(data, dict) else None
    if not isinstance(token, str) or not token:
        raise TokenError(f"{where} answered no access_token")
    # It goes into a SASL string: RFC 6750 §2.1's b64token characters, nothing that could end a field.
    if len(token) > MAX_TOKEN or not all(c.isascii() and (c.isalnum() or c in "-._~+/=") for c in token):
        raise TokenError(f"{where} answered an access_token that is not a bearer token (RFC 6750 §2.1)")
    kind = data.get("token_type", "Bearer")
    if not isinstance(kind, str) or kind.lower() != "bearer":
        raise TokenError(f"{where} answered a token that is not a Bearer token (token_type {show(kind)})")
    expires = data.get("expires_in", 0)
    if isinstance(expires, str) and expires.isdigit():  # some endpoints send the number as a string
        expires = int(expires)
    if isinstance(expires, bool) or not isinstance(expires, int | float) or not 0 <= expires < 10**7:
        expires = 0  # unknown: good for this login only
    return token, float(expires)
