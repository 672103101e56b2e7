"""What a setting may be: per-value checks for the SETTINGS table, and the checks of the files a configuration names.

A check takes a value that already has the right type and returns the problem in a few words, or
None.  ``problems`` looks at what the values point at (secrets, certificates, password files) and
at values that are wrong only together; ``bounced config check``, ``serve`` and ``poll`` run it.
"""

from __future__ import annotations

import os
import re
import ssl
import stat
from collections.abc import Callable
from ipaddress import ip_address
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from bounced.errors import ConfigError

if TYPE_CHECKING:
    from bounced.config import Mailbox, Settings

Check = Callable[[Any], "str | None"]

_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_PREFIX = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,14}$")


def show(value: Any) -> str:
    """A short repr for an error line: a deeply nested or huge value must not break the message."""
    try:
        text = repr(value)
    except RecursionError:
        text = f"<a deeply nested {type(value).__name__}>"
    return text if len(text) <= 60 else text[:57] + "..."


def between(low: int, high: int) -> Check:
    def check(value: int) -> str | None:
        return None if low <= value <= high else f"must be from {low} to {high}, got {value}"

    return check


def one_of(*choices: str) -> Check:
    def check(value: str) -> str | None:
        return None if value in choices else f"expected one of {', '.join(choices)}, got {show(value)}"

    return check


def not_empty(value: str) -> str | None:
    return None if value.strip() else "must not be empty"


def _hostname(host: str) -> bool:
    labels = host.lower().rstrip(".").split(".")
    return len(host) <= 253 and all(_LABEL.match(label) for label in labels)


def _host(host: str) -> bool:
    try:
        ip_address(host)
        return True
    except ValueError:
        return _hostname(host)


def host_port(value: str) -> str | None:
    host, sep, port = value.rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if not sep or not host or not _host(host):
        return f"expected host:port (an address or a host name, then a port), got {show(value)}"
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        return f"the port must be from 1 to 65535, got {show(port)}"
    return None


def server_name(value: str) -> str | None:
    """A TLS server name (SNI, RFC 6066 §3): a host name, never an address; empty for the host's."""
    if not value or (_hostname(value) and not _is_address(value)):
        return None
    return f"expected the host name the certificate is for (e.g. imap.example.com), got {show(value)}"


def _is_address(value: str) -> bool:
    try:
        ip_address(value)
        return True
    except ValueError:
        return False


def tenant(value: str) -> str | None:
    """A Microsoft Entra tenant: its id (a GUID) or a domain; the multi-tenant aliases issue no app-only token."""
    if not value:
        return None
    if value.lower() in ("common", "organizations", "consumers"):
        return f"the client credentials grant needs the tenant's own id or domain, not {show(value)}"
    return None if _hostname(value) else f"expected a tenant id (a GUID) or domain, got {show(value)}"


def token_url(value: str) -> str | None:
    """An OAuth2 token endpoint: https (RFC 6749 §3.2), or http on loopback (a test's server)."""
    if not value:
        return None
    parts = urlsplit(value)
    try:
        loopback = parts.hostname is not None and (parts.hostname == "localhost" or ip_address(parts.hostname).is_loopback)
    except ValueError:
        loopback = False
    if (parts.scheme == "https" and parts.hostname) or (parts.scheme == "http" and loopback):
        return None
    return f"expected an https:// URL (http:// only on loopback), got {show(value)}"


def lmtp_address(value: str) -> str | None:
    if not value:
        return None
    if "/" in value:  # a unix socket; relative paths would depend on the working directory
        return None if value.startswith("/") and not value.endswith("/") else f"a socket must be an absolute file path, got {show(value)}"
    return host_port(value)


def domains(value: tuple[str, ...]) -> str | None:
    for domain in value:
        if "." not in domain.strip(".") or not _hostname(domain):
            return f"{show(domain)} is not a domain name (no wildcards; e.g. bounces.example.com)"
    return None


def verp_prefix(value: str) -> str | None:
    if _PREFIX.match(value):
        return None
    return (f"expected 1 to 15 letters, digits, '.', '_' or '-' (no '+' or '='; the token needs the rest of the"
            f" 64-character local part), got {show(value)}")


def database(value: str) -> str | None:
    if not value.strip() or value.endswith("/") or value == ":memory:" or "\0" in value:
        return f"expected the path of an SQLite file, got {show(value)}"
    return None


# --- what a configuration points at ---------------------------------------------------------------


def private_file(path: str, key: str) -> str | None:
    """A secret others can read is no secret: the file must not be readable or writable by everyone."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # unreadable files are reported by the reader
    if mode & (stat.S_IROTH | stat.S_IWOTH):
        return f"{key}: {path} is readable by every user (mode {stat.filemode(mode)}); chmod o-rwx {path}"
    return None


def _secrets(settings: Settings) -> list[str]:
    from bounced.config import read_secret

    errors = []
    try:
        source = settings.verp_secret_source()
    except ConfigError as exc:
        return [str(exc)]
    current = None
    if not source.made or source.path.exists():
        try:
            current = read_secret(source.path, source.key)
        except ConfigError as exc:
            errors.append(str(exc))
        errors.append(private_file(str(source.path), source.key) or "")
    if settings.verp_previous_secret_file:
        key = "verp_previous_secret_file"
        try:
            previous = read_secret(Path(settings.verp_previous_secret_file), key)
        except ConfigError as exc:
            errors.append(str(exc))
        else:
            if previous == current:
                errors.append(f"{key}: the same secret as the current one; name the secret that was replaced")
        errors.append(private_file(settings.verp_previous_secret_file, key) or "")
    return [e for e in errors if e]


def _tls(settings: Settings) -> list[str]:
    if settings.tls_key and not settings.tls_cert:
        return ["tls_cert: tls_key is set but tls_cert is not"]
    if not settings.tls_cert:
        return []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        context.load_cert_chain(settings.tls_cert, settings.tls_key or None)
    except ssl.SSLError as exc:  # before OSError, its base class
        return [f"tls_cert: {settings.tls_cert} with {settings.tls_key or 'no tls_key'} is not a PEM certificate"
                f" and its private key{f' ({exc.reason})' if exc.reason else ''}"]
    except OSError as exc:
        which = "tls_key" if settings.tls_key and not os.access(settings.tls_key, os.R_OK) else "tls_cert"
        return [f"{which}: cannot read {getattr(settings, which)}: {exc.strerror or exc}"]
    problem = private_file(settings.tls_key or settings.tls_cert, "tls_key" if settings.tls_key else "tls_cert")
    return [problem] if problem else []


def _mailbox(box: Mailbox) -> list[str]:
    key = f"mailbox.{box.name}"
    errors = _credentials(box)
    if not box.user:
        errors.append(f"{key}.user: not set")
    if box.ca_file:
        try:
            ssl.create_default_context(cafile=box.ca_file)
        except (OSError, ssl.SSLError) as exc:
            errors.append(f"{key}.ca_file: cannot load {box.ca_file} as PEM certificates: {exc}")
    if box.tls_server_name and box.security == "plain":
        errors.append(f"{key}.tls_server_name: set, but security is plain (no TLS)")
    if box.after == "move" and box.processed_folder == box.folder:
        errors.append(f"{key}.processed_folder: the same folder as folder ({box.folder}); nothing would leave it")
    if box.nonbounce_folder == box.folder:
        errors.append(f"{key}.nonbounce_folder: the same folder as folder ({box.folder})")
    return [e for e in errors if e]


def _credentials(box: Mailbox) -> list[str]:
    """The password, or the OAuth2 client's settings and secrets, that the mailbox's auth needs."""
    key = f"mailbox.{box.name}"
    secrets = {"password": ["password"], "microsoft": ["oauth_client_secret"],
               "google": ["oauth_client_secret", "oauth_refresh_token"]}.get(box.auth, [])
    errors = []
    for prefix in secrets:
        try:
            getattr(box, prefix)()
        except ConfigError as exc:
            errors.append(str(exc))
        if getattr(box, f"{prefix}_file"):
            errors.append(private_file(getattr(box, f"{prefix}_file"), f"{key}.{prefix}_file") or "")
    if box.auth != "password" and not box.oauth_client_id:
        errors.append(f"{key}.oauth_client_id: not set (auth = {box.auth})")
    if box.auth == "microsoft" and not (box.oauth_tenant or box.oauth_token_url):
        errors.append(f"{key}.oauth_tenant: not set (auth = microsoft): the directory (tenant) id of the app registration")
    return errors


def _listener(settings: Settings) -> list[str]:
    host = settings.listen.rpartition(":")[0].strip("[]")
    loopback = host == "localhost"
    try:
        loopback = loopback or ip_address(host).is_loopback
    except ValueError:
        pass
    errors = []
    if not settings.bounce_domains and not loopback:
        errors.append(f"bounce_domains: must be set before listening on a non-loopback address ({settings.listen});"
                      " with none, every domain would be accepted")
    if settings.lmtp and settings.lmtp == settings.listen:
        errors.append(f"lmtp: the same address as listen ({settings.listen})")
    if 0 < settings.smtp_max_inflight < settings.smtp_max_size:
        errors.append(f"smtp_max_inflight: {settings.smtp_max_inflight} is below smtp_max_size ({settings.smtp_max_size}):"
                      " a message of the largest size would never be accepted")
    return errors


def problems(settings: Settings) -> list[str]:
    """Every problem with what the settings point at, or that only the settings together have; one line each."""
    errors = _secrets(settings) + _tls(settings) + _listener(settings)
    path = settings.database_path()
    if path.exists() and not (path.is_file() and os.access(path, os.R_OK | os.W_OK)):
        errors.append(f"database: {path} is not a file this user can read and write")
    for box in settings.mailboxes:
        errors.extend(_mailbox(box))
    return errors
