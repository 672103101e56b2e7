"""Settings: one declarative table (name, default, help) -> a frozen Settings, from TOML and BOUNCED_* variables."""

from __future__ import annotations

import dataclasses
import os
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bounced.errors import ConfigError

DEFAULT_CONFIG = "/etc/bounced/bounced.toml"
CONFIG_ENV = "BOUNCED_CONFIG"


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("database", "bounced.db", "SQLite file; relative paths are under $STATE_DIRECTORY when systemd sets it"),
    Setting("bounce_domains", [], "domains whose addresses bounced owns; empty takes every domain (loopback only)"),
    Setting("verp_prefix", "bounces", "local-part prefix of VERP return paths: <prefix>+<token>@<bounce domain>"),
    Setting("verp_secret_file", "", "file holding the VERP HMAC secret; default: the systemd credential 'verp-secret', else <database>.secret"),
    Setting("verp_max_age_days", 90, "days after the send day that a VERP token is still honoured"),
    Setting("soft_limit", 3, "soft bounces, with no success between, that suppress an address"),
    Setting("soft_window_days", 21, "the window, in days, in which soft_limit soft bounces must fall"),
    Setting("correlate_window_days", 14, "how far back a bounce without a Message-ID may match a recipient's latest send"),
    Setting("storm_threshold", 20, "policy/reputation rejections from one recipient domain that make a storm"),
    Setting("storm_window_minutes", 60, "the window in which storm_threshold rejections make a storm"),
    Setting("suppress_complaints", True, "suppress addresses whose owners complained (ARF feedback)"),
    Setting("listen", "127.0.0.1:2525", "SMTP listener host:port"),
    Setting("lmtp", "", "LMTP listener: host:port or the path of a unix socket; empty for none"),
    Setting("smtp_max_size", 10 * 1024 * 1024, "largest message accepted, in bytes (SIZE, else 552)"),
    Setting("smtp_max_connections", 100, "concurrent SMTP/LMTP sessions; more are answered 421"),
    Setting("smtp_max_recipients", 100, "recipients per message; more are answered 452"),
    Setting("smtp_timeout", 300, "seconds a session may stay idle in a command or in DATA"),
    Setting("smtp_forged_verp", "reject", "a forged or expired VERP token at RCPT: reject (550 5.1.1) or accept (record it as forged)"),
    Setting("tls_cert", "", "PEM certificate for STARTTLS; empty for no STARTTLS"),
    Setting("tls_key", "", "PEM private key for STARTTLS"),
    Setting("count_orphans", False, "let bounces that match no registered send (and name no unknown Message-ID) count"),
    Setting("smtp_max_per_client", 20, "concurrent SMTP sessions from one client address; more are answered 421 (0: no limit)"),
    Setting("smtp_idle_timeout", 60, "seconds a session may wait for a command outside a mail transaction (after the greeting, between messages); smtp_timeout applies inside one"),
    Setting("smtp_max_inflight", 128 * 1024 * 1024, "bytes of message data the listener may hold at once over all sessions; DATA beyond it is answered 451 4.3.1 (0: no limit; keep it above smtp_max_size)"),
)
_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Mailbox:
    """One bounce mailbox that `bounced poll` reads (a [mailbox.NAME] table)."""

    name: str
    host: str = "localhost"
    port: int = 0  # 0: 993 for tls, 143 otherwise
    security: str = "tls"  # tls (IMAPS), starttls, or plain (only when asked for)
    ca_file: str = ""  # trust this CA (a self-signed server) instead of the system's
    user: str = ""
    password_file: str = ""
    password_env: str = ""
    password_credential: str = ""  # a systemd credential name ($CREDENTIALS_DIRECTORY/NAME)
    folder: str = "INBOX"
    processed_folder: str = "bounced"
    nonbounce_folder: str = "bounced-not-bounces"
    after: str = "move"  # move processed messages to processed_folder, or only flag them \Seen
    batch: int = 100
    idle_seconds: int = 600  # re-issue IDLE this often (servers drop it after 30 minutes)
    poll_seconds: int = 60  # how often to look where the server has no IDLE

    def password(self) -> str:
        """The password from a file, a systemd credential or an environment variable; never the command line."""
        key = f"mailbox.{self.name}"
        if self.password_file:
            return _read_text(Path(self.password_file), f"{key}.password_file")
        if self.password_credential:
            creds = os.environ.get("CREDENTIALS_DIRECTORY")
            if not creds:
                raise ConfigError(f"{key}.password_credential: no $CREDENTIALS_DIRECTORY (not started by systemd?)")
            return _read_text(Path(creds) / self.password_credential, f"{key}.password_credential")
        if self.password_env:
            value = os.environ.get(self.password_env)
            if value is None:
                raise ConfigError(f"{key}.password_env: ${self.password_env} is not set")
            return value
        raise ConfigError(f"{key}.password_file: no password source (password_file, password_credential or password_env)")


MAILBOX_KEYS: dict[str, Any] = {f.name: f.default for f in dataclasses.fields(Mailbox) if f.name != "name"}
_MAILBOX_CHOICES = {"security": ("tls", "starttls", "plain"), "after": ("move", "seen")}


def _read_text(path: Path, key: str) -> str:
    try:
        return path.read_text().strip()
    except OSError as exc:
        raise ConfigError(f"{key}: cannot read {path}: {exc.strerror}") from exc


def _mailboxes(value: Any, errors: list[str]) -> tuple[Mailbox, ...]:
    if not isinstance(value, dict):
        errors.append("mailbox: expected tables [mailbox.NAME]")
        return ()
    out = []
    for name, table in value.items():
        if not isinstance(table, dict):
            errors.append(f"mailbox.{name}: expected a table")
            continue
        fields: dict[str, Any] = {}
        for key, item in table.items():
            full = f"mailbox.{name}.{key}"
            if key not in MAILBOX_KEYS:
                errors.append(f"{full}: unknown setting")
                continue
            default = MAILBOX_KEYS[key]
            if isinstance(default, int) and (isinstance(item, bool) or not isinstance(item, int) or item < 0):
                errors.append(f"{full}: expected a whole number, got {item!r}")
            elif isinstance(default, str) and not isinstance(item, str):
                errors.append(f"{full}: expected a string, got {item!r}")
            elif key in _MAILBOX_CHOICES and item not in _MAILBOX_CHOICES[key]:
                errors.append(f"{full}: expected one of {', '.join(_MAILBOX_CHOICES[key])}, got {item!r}")
            else:
                fields[key] = item
        out.append(Mailbox(name=name, **fields))
    return tuple(out)


@dataclass(frozen=True)
class Settings:
    database: str = "bounced.db"
    bounce_domains: tuple[str, ...] = ()
    verp_prefix: str = "bounces"
    verp_secret_file: str = ""
    verp_max_age_days: int = 90
    soft_limit: int = 3
    soft_window_days: int = 21
    correlate_window_days: int = 14
    storm_threshold: int = 20
    storm_window_minutes: int = 60
    suppress_complaints: bool = True
    count_orphans: bool = False
    listen: str = "127.0.0.1:2525"
    lmtp: str = ""
    smtp_max_size: int = 10 * 1024 * 1024
    smtp_max_connections: int = 100
    smtp_max_recipients: int = 100
    smtp_timeout: int = 300
    smtp_forged_verp: str = "reject"
    tls_cert: str = ""
    tls_key: str = ""
    smtp_max_per_client: int = 20
    smtp_idle_timeout: int = 60
    smtp_max_inflight: int = 128 * 1024 * 1024
    mailboxes: tuple[Mailbox, ...] = ()
    config_path: str | None = None

    def database_path(self) -> Path:
        path = Path(self.database)
        state = os.environ.get("STATE_DIRECTORY")
        if not path.is_absolute() and state:
            return Path(state.split(":")[0]) / path
        return path

    def verp_secret(self, create: bool = True) -> bytes | None:
        """The VERP signing secret: a file, a systemd credential, or one made beside the database.

        With ``create=False`` a missing default secret gives None (``bounced parse`` writes nothing)."""
        if self.verp_secret_file:
            return _read_secret(Path(self.verp_secret_file), "verp_secret_file")
        creds = os.environ.get("CREDENTIALS_DIRECTORY")
        if creds and (Path(creds) / "verp-secret").exists():
            return _read_secret(Path(creds) / "verp-secret", "verp_secret_file")
        path = self.database_path().with_name(self.database_path().name + ".secret")
        if not path.exists():
            if not create:
                return None
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32) + "\n")
        return _read_secret(path, "verp_secret_file")


def _read_secret(path: Path, key: str) -> bytes:
    try:
        value = path.read_bytes().strip()
    except OSError as exc:
        raise ConfigError(f"{key}: cannot read {path}: {exc.strerror}") from exc
    if len(value) < 16:
        raise ConfigError(f"{key}: the secret in {path} is shorter than 16 bytes")
    return value


def _coerce(name: str, value: Any) -> Any:
    default = _BY_NAME[name].default
    if isinstance(default, bool):
        if isinstance(value, str) and value.lower() in ("1", "true", "yes", "0", "false", "no"):
            return value.lower() in ("1", "true", "yes")
        if not isinstance(value, bool):
            raise ConfigError(f"{name}: expected true or false, got {value!r}")
        return value
    if isinstance(default, int):
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"{name}: expected a whole number, got {value!r}")
        return value
    if isinstance(default, list):
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{name}: expected a list of strings, got {value!r}")
        return tuple(v.lower() for v in value)
    if not isinstance(value, str):
        raise ConfigError(f"{name}: expected a string, got {value!r}")
    if name in _CHOICES and value not in _CHOICES[name]:
        raise ConfigError(f"{name}: expected one of {', '.join(_CHOICES[name])}, got {value!r}")
    return value


_CHOICES = {"smtp_forged_verp": ("reject", "accept")}


def load(path: str | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Settings from the TOML file (explicit path, $BOUNCED_CONFIG, or the default if present) and BOUNCED_* variables.

    Raises ConfigError with the first problem, in one line that names the key."""
    settings, errors = _collect(path, environ)
    if errors:
        raise ConfigError(errors[0])
    return settings


def check(path: str | None = None, environ: dict[str, str] | None = None) -> tuple[Settings | None, list[str]]:
    """Every problem of a configuration, each naming its key: values, and the files it points at."""
    settings, errors = _collect(path, environ)
    if settings is None:
        return None, errors
    if settings.verp_secret_file:
        try:
            _read_secret(Path(settings.verp_secret_file), "verp_secret_file")
        except ConfigError as exc:
            errors.append(str(exc))
    for key in ("tls_cert", "tls_key"):
        value = getattr(settings, key)
        if value and not os.access(value, os.R_OK):
            errors.append(f"{key}: cannot read {value}")
    if settings.tls_key and not settings.tls_cert:
        errors.append("tls_cert: tls_key is set but tls_cert is not")
    for mailbox in settings.mailboxes:
        try:
            mailbox.password()
        except ConfigError as exc:
            errors.append(str(exc))
        if not mailbox.user:
            errors.append(f"mailbox.{mailbox.name}.user: not set")
    return settings, errors


def _collect(path: str | None, environ: dict[str, str] | None) -> tuple[Settings | None, list[str]]:
    env = os.environ if environ is None else environ
    explicit = path or env.get(CONFIG_ENV)
    values: dict[str, Any] = {}
    errors: list[str] = []
    config_path = None
    candidate = Path(explicit or DEFAULT_CONFIG)
    if explicit or candidate.exists():
        config_path = str(candidate)
        try:
            data = tomllib.loads(candidate.read_text())
        except FileNotFoundError:
            return None, [f"config: {candidate}: no such file"]
        except OSError as exc:
            return None, [f"config: {candidate}: {exc.strerror}"]
        except tomllib.TOMLDecodeError as exc:
            return None, [f"config: {candidate}: invalid TOML: {exc}"]
        for key, value in data.items():
            if key == "mailbox":
                values["mailboxes"] = _mailboxes(value, errors)
                continue
            if key not in _BY_NAME:
                errors.append(f"{key}: unknown setting in {candidate}")
                continue
            try:
                values[key] = _coerce(key, value)
            except ConfigError as exc:
                errors.append(str(exc))
    for setting in SETTINGS:
        var = "BOUNCED_" + setting.name.upper()
        if var in env:
            try:
                values[setting.name] = _coerce(setting.name, env[var])
            except ConfigError as exc:
                errors.append(f"{exc} (from ${var})")
    return dataclasses.replace(Settings(), config_path=config_path, **values), errors
