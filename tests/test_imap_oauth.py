"""bounced poll with OAuth2 (XOAUTH2, OAUTHBEARER) and a TLS server name, against a real Dovecot.

The test's token server (token_server.py) is both the token endpoint bounced asks and the
introspection endpoint Dovecot's oauth2 passdb asks: a token Dovecot accepts is one the token
server issued, for the grant bounced was configured for, and still good.
"""

from __future__ import annotations

import base64
import dataclasses
import logging
import sqlite3
import ssl
import threading
import time
from pathlib import Path

import pytest
from imapclient import IMAPClient

import mkmail
from bounced import config
from bounced.config import Mailbox, Settings
from bounced.intake.imap import AuthError, Poller
from bounced.intake.oauth import MARGIN, Grant, TokenError, TokenSource, grant
from bounced.store import Store
from dovecot_instance import Dovecot, available
from token_server import TokenServer

pytestmark = pytest.mark.skipif(not available(), reason="Dovecot is not installed (Debian package dovecot-imapd)")
SNI_NAME = "imap.example.com"


@pytest.fixture(scope="module")
def server():
    tokens = TokenServer(user=Dovecot.user)
    tokens.start()
    dovecot = Dovecot(oauth2_introspection=tokens.introspection_url, sni_name=SNI_NAME)
    dovecot.start()
    yield dovecot, tokens
    dovecot.cleanup()
    tokens.stop()


@pytest.fixture
def dovecot(server):
    return server[0]


@pytest.fixture
def tokens(server):
    """The module's token server, as new: nothing issued, tokens good for an hour."""
    tokens = server[1]
    tokens.lifetime, tokens.expires_in, tokens.reply = 3600.0, None, None
    tokens.issued.clear()
    tokens.introspected.clear()
    tokens.requests.clear()
    return tokens


def secret(tmp_path, name: str, value: str) -> str:
    path = tmp_path / name
    path.write_text(value + "\n")
    path.chmod(0o600)
    return str(path)


def oauth_mailbox(dovecot, tokens, tmp_path, request, auth="microsoft", mechanism="xoauth2", source="file", monkeypatch=None) -> Mailbox:
    """A mailbox of the test Dovecot that logs in with a token of ``tokens``; its secrets from ``source``."""
    folder = f"O{abs(hash(request.node.name)) % 10**8}"
    values = {"oauth_client_secret": tokens.client_secret, "oauth_refresh_token": tokens.refresh_token}
    fields = {}
    for prefix, value in values.items():
        if source == "file":
            fields[f"{prefix}_file"] = secret(tmp_path, prefix, value)
        elif source == "credential":
            secret(tmp_path, prefix, value)
            monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(tmp_path))
            fields[f"{prefix}_credential"] = prefix
        else:
            monkeypatch.setenv(f"TEST_{prefix.upper()}", value)
            fields[f"{prefix}_env"] = f"TEST_{prefix.upper()}"
    with admin(dovecot) as c:
        c.create_folder(folder)
    return Mailbox(name="main", host="127.0.0.1", port=dovecot.imap_port, security="plain", user=dovecot.user, auth=auth,
                   oauth_mechanism=mechanism, oauth_client_id=tokens.client_id, oauth_token_url=tokens.token_url,
                   folder=folder, processed_folder=f"{folder}-done", nonbounce_folder=f"{folder}-other", batch=5, **fields)


@pytest.fixture
def mailbox(dovecot, tokens, tmp_path, request):
    return oauth_mailbox(dovecot, tokens, tmp_path, request)


@pytest.fixture
def settings(tmp_path, mailbox):
    return Settings(database=str(tmp_path / "b.db"), verp_secret_file=secret(tmp_path, "key", "0123456789abcdef0123456789abcdef"),
                    mailboxes=(mailbox,))


def admin(dovecot) -> IMAPClient:
    c = IMAPClient("127.0.0.1", port=dovecot.imap_port, ssl=False)
    c.login(dovecot.user, dovecot.password)
    return c


def append(dovecot, folder, n: int) -> None:
    with admin(dovecot) as c:
        for i in range(n):
            c.append(folder, mkmail.dsn(f"user{i}@example.org", message_id=f"<m{i}@s.example.com>").replace(b"\n", b"\r\n"))


def count(dovecot, folder) -> int:
    with admin(dovecot) as c:
        return c.folder_status(folder, [b"MESSAGES"])[b"MESSAGES"] if c.folder_exists(folder) else 0


def db(settings, sql):
    conn = sqlite3.connect(settings.database)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def poll_once(settings, box):
    poller = Poller(Store(settings.database), settings, box)
    try:
        return poller.poll_once()
    finally:
        poller.close()


def secrets_in(text: str, tokens: TokenServer) -> list[str]:
    """Which of the tokens issued, the client secret and the refresh token appear in ``text``, also as
    the base64 of the SASL strings that carried them."""
    found = []
    for value in [i.token for i in tokens.issued] + [tokens.client_secret, tokens.refresh_token]:
        forms = [value, base64.b64encode(f"user={Dovecot.user}\1auth=Bearer {value}\1\1".encode()).decode(),
                 base64.b64encode(f"n,a={Dovecot.user},\1auth=Bearer {value}\1\1".encode()).decode()]
        found += [form for form in forms if form in text]
    return found


MICROSOFT_FORM = {"grant_type": "client_credentials", "scope": "https://outlook.office365.com/.default"}
GOOGLE_FORM = {"grant_type": "refresh_token", "refresh_token": TokenServer.refresh_token}
# (auth, SASL mechanism, where the secrets come from, the token request's form beyond client id and secret)
LOGINS = [
    ("microsoft", "xoauth2", "file", MICROSOFT_FORM),
    ("microsoft", "oauthbearer", "credential", MICROSOFT_FORM),
    ("google", "xoauth2", "env", GOOGLE_FORM),
    ("google", "oauthbearer", "file", GOOGLE_FORM),
]


@pytest.mark.parametrize(("auth", "mechanism", "source", "form"), LOGINS, ids=["-".join(c[:3]) for c in LOGINS])
def test_a_drain_with_an_oauth2_login(dovecot, tokens, tmp_path, request, monkeypatch, caplog, auth, mechanism, source, form):
    caplog.set_level(logging.DEBUG)  # imaplib's protocol trace too
    box = oauth_mailbox(dovecot, tokens, tmp_path, request, auth, mechanism, source, monkeypatch)
    settings = Settings(database=str(tmp_path / "b.db"), verp_secret_file=secret(tmp_path, "key", "0123456789abcdef0123456789abcdef"))
    append(dovecot, box.folder, 3)
    result = poll_once(settings, box)
    assert (result.fetched, result.stored, result.bounces) == (3, 3, 3)
    assert (count(dovecot, box.folder), count(dovecot, box.processed_folder)) == (0, 3)
    assert tokens.requests == [("/tenant-0/oauth2/v2.0/token", {"client_id": tokens.client_id, "client_secret": tokens.client_secret, **form})]
    assert [active for _, active in tokens.introspected] == [True]  # one login (a drain of 3 needs no read-ahead)
    assert f"Login: user=<{dovecot.user}>, method={mechanism.upper()}" in dovecot.log()
    assert secrets_in(caplog.text, tokens) == []
    assert len(secrets_in(f"{tokens.issued[0].token} {tokens.client_secret}", tokens)) == 2  # the check can see them


@pytest.mark.parametrize(("box", "expected"), [
    (Mailbox("m", auth="microsoft", oauth_tenant="contoso.onmicrosoft.com"),
     Grant("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token", "client_credentials",
           "https://outlook.office365.com/.default")),
    (Mailbox("m", auth="microsoft", oauth_tenant="9188040d-6c67-4c5b-b112-36a304b66dad", oauth_scope="api://x/.default"),
     Grant("https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/oauth2/v2.0/token", "client_credentials",
           "api://x/.default")),
    (Mailbox("m", auth="microsoft", oauth_tenant="t", oauth_token_url="https://login.microsoftonline.us/t/oauth2/v2.0/token"),
     Grant("https://login.microsoftonline.us/t/oauth2/v2.0/token", "client_credentials", "https://outlook.office365.com/.default")),
    (Mailbox("m", auth="google"), Grant("https://oauth2.googleapis.com/token", "refresh_token", "")),
])
def test_the_providers_grants(box, expected):
    assert grant(box) == expected


def test_a_password_mailbox_has_no_grant():
    with pytest.raises(TokenError, match="mailbox.m.auth: 'password' takes no OAuth2 token"):
        grant(Mailbox("m"))


# (expires_in the endpoint says, the last second the first token is still used, the first it is replaced)
LIFETIMES = [(3600, 3600 - MARGIN - 1, 3600 - MARGIN + 1), (4, 2.9, 3.1), (0, None, 0)]


@pytest.mark.parametrize(("expires_in", "kept", "replaced"), LIFETIMES, ids=[str(c[0]) for c in LIFETIMES])
def test_a_token_is_replaced_a_margin_before_it_expires(mailbox, tokens, expires_in, kept, replaced):
    tokens.expires_in = expires_in
    now = [1000.0]
    source = TokenSource(mailbox, clock=lambda: now[0])
    first = source.token()
    if kept is not None:
        now[0] = 1000.0 + kept
        assert source.token() == first and source.fetched == 1
    now[0] = 1000.0 + replaced
    second = source.token()
    assert source.fetched == 2 and [i.token for i in tokens.issued] == [first, second]


def test_a_token_that_expires_mid_drain_is_replaced_and_nothing_is_lost(dovecot, tokens, mailbox, settings, caplog):
    """Tokens good for 4 s; the server ends every session once the first has expired (as Exchange
    Online does: "BYE Session invalidated - AccessTokenExpired"), in the middle of a long drain."""
    caplog.set_level(logging.DEBUG)
    tokens.lifetime = 4.0  # replaced after 3 s: a second to spare before Dovecot asks about it
    append(dovecot, mailbox.folder, 60)
    kicked = []

    def expire_then_kick(uids):
        if not kicked:
            time.sleep(max(0.0, tokens.issued[0].expires - time.monotonic()) + 0.2)
            dovecot.doveadm("kick", dovecot.user)
            kicked.append(uids)

    def run() -> None:  # the poller's loop, in its own thread as `bounced poll --idle` runs it
        poller = Poller(Store(settings.database), settings, mailbox)
        poller.before_mark = expire_then_kick
        poller.run(False, stop.is_set)

    stop = threading.Event()
    thread = threading.Thread(target=run)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (count(dovecot, mailbox.processed_folder) < 60 or db(settings, "SELECT count(*) FROM events") != [(60,)]):
            time.sleep(0.3)
    finally:
        stop.set()
        thread.join(30)
    assert kicked
    assert db(settings, "SELECT count(*), count(DISTINCT sha256) FROM raw_messages") == [(60, 60)]
    assert db(settings, "SELECT count(*), count(DISTINCT address) FROM events") == [(60, 60)]
    assert (count(dovecot, mailbox.folder), count(dovecot, mailbox.processed_folder)) == (0, 60)
    assert len(tokens.issued) >= 2
    # Every token Dovecot was shown was still good: replaced before it expired, not after a refusal.
    assert tokens.introspected and all(active for _, active in tokens.introspected)
    assert "reconnecting" in caplog.text
    assert secrets_in(caplog.text, tokens) == []


# (what goes wrong, the mailbox's change, the token server's answer, the error's type, its message after
# "the token endpoint URL"); a "wrong" secret file holds a value the token server does not know
ENDPOINT_FAULTS = [
    ("wrong client secret", {"oauth_client_secret_file": "wrong"}, None, TokenError,
     "refused the request (HTTP 401): invalid_client: AADSTS7000215: Invalid client secret provided."),
    ("revoked refresh token", {"auth": "google", "oauth_refresh_token_file": "wrong"}, None, TokenError,
     "refused the request (HTTP 400): invalid_grant: Token has been expired or revoked."),
    ("not JSON", {}, (200, b"<html>captive portal</html>"), TokenError, "answered something that is not JSON"),
    ("no token", {}, (200, b'{"token_type": "Bearer"}'), TokenError, "answered no access_token"),
    ("a token that is not a string", {}, (200, b'{"access_token": 42}'), TokenError, "answered no access_token"),
    ("SASL injection", {}, (200, b'{"access_token": "abc\\u0001auth=Bearer x"}'), TokenError,
     "answered an access_token that is not a bearer token (RFC 6750 \u00a72.1)"),
    ("not bearer", {}, (200, b'{"access_token": "abc", "token_type": "mac"}'), TokenError,
     "answered a token that is not a Bearer token (token_type 'mac')"),
    ("deeply nested", {}, (200, b"[" * 60000), TokenError, "answered something that is not JSON"),
    ("too large", {}, (200, b" " * 70000), TokenError, "answered more than 65536 bytes; not a token response"),
    ("an error without a body", {}, (400, b""), TokenError, "refused the request (HTTP 400)"),
    ("unavailable", {}, (503, b"{}"), ConnectionError, "answered HTTP 503"),
    ("throttled", {}, (429, b"{}"), ConnectionError, "answered HTTP 429"),
]


@pytest.mark.parametrize(("fault", "change", "reply", "error", "message"), ENDPOINT_FAULTS, ids=[c[0] for c in ENDPOINT_FAULTS])
def test_what_a_token_endpoint_answers_wrong(tokens, mailbox, tmp_path, fault, change, reply, error, message):
    wrong = secret(tmp_path, "wrong", "wrong-secret-value-0123456789")
    box = dataclasses.replace(mailbox, **{key: wrong if value == "wrong" else value for key, value in change.items()})
    tokens.reply = reply
    with pytest.raises(error) as raised:
        TokenSource(box).token()
    assert str(raised.value) == f"mailbox.main: the token endpoint {tokens.token_url} {message}"
    assert "wrong-secret-value" not in str(raised.value)
    assert len(tokens.requests) == 1 and tokens.issued == []


# (what the endpoint says, the lifetime taken from it)
EXPIRIES = [(b'"3599"', 3599.0), (b"-5", 0.0), (b"1e400", 0.0), (b"true", 0.0), (b'"soon"', 0.0), (b"86400", 86400.0)]


@pytest.mark.parametrize(("expires_in", "lifetime"), EXPIRIES, ids=[c[0].decode() for c in EXPIRIES])
def test_what_an_expires_in_means(tokens, mailbox, expires_in, lifetime):
    now = [0.0]
    tokens.reply = (200, b'{"access_token": "abc.DEF-123_~+/=", "token_type": "bearer", "expires_in": ' + expires_in + b"}")
    source = TokenSource(mailbox, clock=lambda: now[0])
    assert source.token() == "abc.DEF-123_~+/="
    now[0] = lifetime - min(MARGIN, lifetime / 4) - 0.01 if lifetime else 0.01  # just before the renewal; unknown: once
    source.token()
    assert source.fetched == (1 if lifetime else 2)


def test_an_unreachable_token_endpoint_is_a_network_error_the_poller_retries(mailbox, settings, caplog):
    box = dataclasses.replace(mailbox, oauth_token_url="http://127.0.0.1:9/token")  # discard: nothing listens
    stop = threading.Event()
    caplog.set_level(logging.WARNING)
    thread = threading.Thread(target=lambda: Poller(Store(settings.database), settings, box).run(False, stop.is_set))
    thread.start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and caplog.text.count("reconnecting") < 2:
        time.sleep(0.1)
    stop.set()
    thread.join(10)
    assert caplog.text.count("mailbox main: URLError: <urlopen error [Errno 111] Connection refused>; reconnecting") >= 2


# --- the TLS server name ---------------------------------------------------------------------------

# (security, tls_server_name, the CA trusted: "localhost" or SNI_NAME's certificate, what happens)
SERVER_NAMES = [
    ("tls", "localhost", "localhost", None),
    ("starttls", "localhost", "localhost", None),
    ("tls", SNI_NAME, SNI_NAME, None),  # passes only if the name went in SNI: Dovecot then shows that certificate
    ("starttls", SNI_NAME, SNI_NAME, None),
    ("tls", "", SNI_NAME, "certificate verify failed: self-signed certificate"),  # no name sent: the default certificate
    ("tls", "wrong.example.net", "localhost", "Hostname mismatch, certificate is not valid for 'wrong.example.net'"),
    ("starttls", "wrong.example.net", "localhost", "Hostname mismatch, certificate is not valid for 'wrong.example.net'"),
]


@pytest.mark.parametrize(("security", "name", "ca", "failure"), SERVER_NAMES, ids=[f"{c[0]}-{c[1] or 'none'}-{c[2]}" for c in SERVER_NAMES])
def test_a_mailbox_reached_by_address_with_a_tls_server_name(dovecot, settings, tmp_path, security, name, ca, failure):
    box = Mailbox(name="main", host="127.0.0.1", port=dovecot.imaps_port if security == "tls" else dovecot.imap_port,
                  security=security, tls_server_name=name, user=dovecot.user, password_file=secret(tmp_path, "pw", dovecot.password),
                  ca_file=dovecot.ca_file if ca == "localhost" else str(dovecot.root / f"{SNI_NAME}.cert.pem"),
                  folder=settings.mailboxes[0].folder)
    if failure:
        with pytest.raises(ssl.SSLCertVerificationError, match=failure):
            Poller(Store(settings.database), settings, box).connect()
        return
    append(dovecot, box.folder, 1)
    assert poll_once(settings, box).fetched == 1


# --- refusals (last: Dovecot delays the next logins from an address that failed) ------------------------


def test_a_refused_token_is_replaced_once(dovecot, tokens, mailbox, settings, caplog):
    caplog.set_level(logging.DEBUG)
    append(dovecot, mailbox.folder, 2)
    poller = Poller(Store(settings.database), settings, mailbox)
    assert poller.poll_once().fetched == 2
    poller.close()
    tokens.revoke_all()  # revoked before its expires_in: the cached token is refused
    append(dovecot, mailbox.folder, 1)
    assert poller.poll_once().fetched == 1
    poller.close()
    first, second = (i.token for i in tokens.issued)
    assert tokens.introspected == [(first, True), (first, False), (second, True)]
    assert caplog.text.count("127.0.0.1 refused the access token; asking for a new one") == 1
    assert secrets_in(caplog.text, tokens) == []


def test_tokens_refused_twice_end_the_poller_without_a_retry_storm(tokens, mailbox, settings, caplog):
    caplog.set_level(logging.DEBUG)
    tokens.lifetime, tokens.expires_in = 0.0, 3600  # each token dead on arrival, though said good for an hour
    with pytest.raises(AuthError, match=r"mailbox.main: login as 'bounces' refused by 127.0.0.1: \[AUTHENTICATIONFAILED\]") as raised:
        Poller(Store(settings.database), settings, mailbox).run(True, lambda: False)
    assert len(tokens.issued) == 2 and [active for _, active in tokens.introspected] == [False, False]
    assert secrets_in(caplog.text + str(raised.value), tokens) == []


# --- config check -----------------------------------------------------------------------------------

BASE = '[mailbox.m]\nuser = "bounces@example.com"\noauth_client_id = "0000-app"\n'
# (name, the mailbox table after BASE, the error line; None: a complete configuration)
CONFIG_PROBLEMS = [
    ("microsoft complete", 'auth = "microsoft"\noauth_tenant = "contoso.onmicrosoft.com"\noauth_client_secret_file = "{tmp}/cs"', None),
    ("google complete", 'auth = "google"\noauth_client_secret_env = "CS"\noauth_refresh_token_file = "{tmp}/rt"', None),
    ("no tenant", 'auth = "microsoft"\noauth_client_secret_file = "{tmp}/cs"',
     "mailbox.m.oauth_tenant: not set (auth = microsoft): the directory (tenant) id of the app registration"),
    ("no client secret", 'auth = "microsoft"\noauth_tenant = "t.example"',
     "mailbox.m.oauth_client_secret_file: no client secret source (oauth_client_secret_file, oauth_client_secret_credential or oauth_client_secret_env)"),
    ("no refresh token", 'auth = "google"\noauth_client_secret_file = "{tmp}/cs"',
     "mailbox.m.oauth_refresh_token_file: no refresh token source (oauth_refresh_token_file, oauth_refresh_token_credential or oauth_refresh_token_env)"),
    ("a variable not set", 'auth = "google"\noauth_client_secret_env = "NOT_SET_HERE"\noauth_refresh_token_file = "{tmp}/rt"',
     "mailbox.m.oauth_client_secret_env: $NOT_SET_HERE is not set"),
    ("no credentials directory", 'auth = "microsoft"\noauth_tenant = "t.example"\noauth_client_secret_credential = "cs"',
     "mailbox.m.oauth_client_secret_credential: no $CREDENTIALS_DIRECTORY (not started by systemd?)"),
    ("world-readable client secret", 'auth = "microsoft"\noauth_tenant = "t.example"\noauth_client_secret_file = "{tmp}/open"',
     "mailbox.m.oauth_client_secret_file: {tmp}/open is readable by every user (mode -rw-r--r--); chmod o-rwx {tmp}/open"),
    ("world-readable refresh token", 'auth = "google"\noauth_client_secret_file = "{tmp}/cs"\noauth_refresh_token_file = "{tmp}/open"',
     "mailbox.m.oauth_refresh_token_file: {tmp}/open is readable by every user (mode -rw-r--r--); chmod o-rwx {tmp}/open"),
    ("an empty client secret", 'auth = "microsoft"\noauth_tenant = "t.example"\noauth_client_secret_file = "{tmp}/empty"',
     "mailbox.m.oauth_client_secret_file: {tmp}/empty is empty"),
    ("an empty variable", 'auth = "microsoft"\noauth_tenant = "t.example"\noauth_client_secret_env = "EMPTY"',
     "mailbox.m.oauth_client_secret_env: $EMPTY is empty"),
    ("no client id", 'auth = "google"\noauth_client_id = ""\noauth_client_secret_file = "{tmp}/cs"\noauth_refresh_token_file = "{tmp}/rt"',
     "mailbox.m.oauth_client_id: not set (auth = google)"),
    ("a server name without TLS", 'password_file = "{tmp}/cs"\nsecurity = "plain"\ntls_server_name = "imap.example.com"',
     "mailbox.m.tls_server_name: set, but security is plain (no TLS)"),
]


@pytest.mark.parametrize(("name", "table", "message"), CONFIG_PROBLEMS, ids=[c[0] for c in CONFIG_PROBLEMS])
def test_config_check_of_the_oauth2_keys(tmp_path, monkeypatch, name, table, message):
    monkeypatch.setenv("CS", "client-secret")
    monkeypatch.setenv("EMPTY", "")
    secret(tmp_path, "empty", "")
    monkeypatch.delenv("CREDENTIALS_DIRECTORY", raising=False)
    for private in ("cs", "rt", "key"):
        secret(tmp_path, private, "0123456789abcdef0123456789abcdef")
    (tmp_path / "open").write_text("secret")
    (tmp_path / "open").chmod(0o644)
    base = BASE.replace('oauth_client_id = "0000-app"\n', "") if "oauth_client_id" in table else BASE
    path = tmp_path / "bounced.toml"
    path.write_text(f'database = "{tmp_path}/b.db"\nverp_secret_file = "{tmp_path}/key"\n' + base + table.format(tmp=tmp_path) + "\n")
    settings, errors = config.check(str(path))
    assert settings is not None
    assert errors == ([] if message is None else [message.format(tmp=tmp_path)])


def test_the_examples_oauth2_mailboxes_are_valid(tmp_path):
    """The commented Microsoft 365 and Google tables of bounced.example.toml, uncommented: every key known
    and every value good; only their secret files are not on this machine."""
    lines = (Path(__file__).resolve().parents[1] / "bounced.example.toml").read_text().splitlines()
    start = lines.index("# [mailbox.m365]")
    tables = [line[2:] for line in lines[start:] if line.startswith("# ") and ("[mailbox." in line or " = " in line)]
    path = tmp_path / "bounced.toml"
    path.write_text(f'database = "{tmp_path}/b.db"\nverp_secret_file = "{secret(tmp_path, "key", "0123456789abcdef0123456789abcdef")}"\n'
                    + "\n".join(tables) + "\n")
    settings, errors = config.check(str(path))
    assert [box.auth for box in settings.mailboxes] == ["microsoft", "google"]
    assert errors == [
        "mailbox.m365.oauth_client_secret_file: cannot read /etc/bounced/imap-m365.client-secret: No such file or directory",
        "mailbox.google.oauth_client_secret_file: cannot read /etc/bounced/imap-google.client-secret: No such file or directory",
        "mailbox.google.oauth_refresh_token_file: cannot read /etc/bounced/imap-google.refresh-token: No such file or directory",
    ]
