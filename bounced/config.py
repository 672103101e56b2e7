"""Settings: one declarative table (name, default, help) -> a frozen Settings, from TOML and BOUNCED_* variables."""

from __future__ import annotations

import dataclasses
import functools
import os
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bounced import validate as v
from bounced.errors import ConfigError

DEFAULT_CONFIG = "/etc/bounced/bounced.toml"
CONFIG_ENV = "BOUNCED_CONFIG"


MAX_CONFIG_BYTES = 1 << 20  # a configuration file is a few kilobytes; anything larger is a mistake


@dataclass(frozen=True)
class Setting:
    """One setting. Every value is checked against the default's type, then by ``check`` if the row has one.

    ``example`` is what bounced.example.toml sets where a deployment differs from the embedded default."""

    name: str
    default: Any
    help: str
    check: v.Check | None = None
    example: Any = None


SETTINGS: tuple[Setting, ...] = (
    Setting("database", "bounced.db", "SQLite file, shared by the service, the shell and the sending application; must be absolute in a configuration file", v.database,
            example="/var/lib/bounced/bounced.db"),
    Setting("bounce_domains", [], "domains whose addresses bounced owns; empty takes every domain (loopback only)", v.domains),
    Setting("verp_prefix", "bounces", "local-part prefix of VERP return paths: <prefix>+<token>@<bounce domain>", v.verp_prefix),
    Setting("verp_secret_file", "", "file holding the VERP HMAC secret; else the systemd credential 'verp-secret'; with no configuration file, <database>.secret made on first use",
            example="/etc/bounced/verp.key"),
    Setting("verp_previous_secret_file", "", "the secret replaced at the last rotation: its tokens are still honoured until they expire; empty for none"),
    Setting("verp_max_age_days", 90, "days after the send day that a VERP token is still honoured", v.between(1, 3650)),
    Setting("soft_limit", 3, "soft bounces, with no success between, that suppress an address", v.between(1, 1000)),
    Setting("soft_window_days", 21, "the window, in days, in which soft_limit soft bounces must fall", v.between(1, 3650)),
    Setting("correlate_window_days", 14, "how far back a bounce without a Message-ID may match a recipient's latest send", v.between(1, 3650)),
    Setting("storm_threshold", 20, "policy/reputation rejections from one recipient domain that make a storm", v.between(2, 1_000_000)),
    Setting("storm_window_minutes", 60, "the window in which storm_threshold rejections make a storm", v.between(1, 10080)),
    Setting("hard_storm_threshold", 20, "hard bounces (or host-unknown ones) from one recipient domain within storm_window_minutes that may make a storm; they are held, not suppressed", v.between(2, 1_000_000)),
    Setting("hard_storm_factor", 10, "a hard-bounce storm needs this many times the domain's trailing hard-bounce rate per send (taken as at least 0.5 percent)", v.between(1, 10_000)),
    Setting("hard_storm_new_domain_threshold", 50, "hard_storm_threshold for a domain with fewer than 200 registered sends before the window", v.between(2, 1_000_000)),
    Setting("hard_storm_mx_domain_sends", 500, "sends to one recipient domain within storm_window_minutes from which its hard bounces are also counted per answering MX (a burst at one MX is a storm of that MX)", v.between(2, 100_000_000)),
    Setting("soft_suppression_days", 60, "days after which a suppression made from soft bounces lapses to probation; 0 keeps them", v.between(0, 36500)),
    Setting("suppress_complaints", True, "suppress addresses whose owners complained (ARF feedback)"),
    Setting("listen", "127.0.0.1:2525", "SMTP listener host:port", v.host_port),
    Setting("lmtp", "", "LMTP listener: host:port or the absolute path of a unix socket; empty for none", v.lmtp_address),
    Setting("lmtp_group", "", "group of the LMTP unix socket (mode 0660), e.g. postfix; empty: the process's group"),
    Setting("smtp_max_size", 10 * 1024 * 1024, "largest message accepted, in bytes (SIZE, else 552)", v.between(1024, 1 << 30)),
    Setting("smtp_max_connections", 100, "concurrent SMTP/LMTP sessions; more are answered 421", v.between(1, 100_000)),
    Setting("smtp_max_recipients", 100, "recipients per message; more are answered 452", v.between(1, 100_000)),
    Setting("smtp_timeout", 300, "seconds a session may stay idle in a command or in DATA", v.between(1, 86400)),
    Setting("smtp_forged_verp", "reject", "a forged or expired VERP token at RCPT: reject (550 5.1.1) or accept (record it as forged)", v.one_of("reject", "accept")),
    Setting("smtp_forged_surge_percent", 50, "when more than this share (percent) of the last signed tokens at RCPT fail their signature (a wrong or rotated secret?), accept and record them as forged, logging an error", v.between(1, 99)),
    Setting("smtp_forged_surge_window", 20, "how many of the last signed tokens at RCPT smtp_forged_surge_percent is taken over", v.between(1, 10_000)),
    Setting("tls_cert", "", "PEM certificate for STARTTLS; empty for no STARTTLS"),
    Setting("tls_key", "", "PEM private key for STARTTLS"),
    Setting("retention_days", 400, "days the raw bytes of a processed message are kept; `bounced prune` empties older ones (events, states and the audit stay); 0 keeps them forever", v.between(0, 36500)),
    Setting("max_message_size", 10 * 1024 * 1024, "largest message read whole from a file, an mbox or IMAP, in bytes; a larger one is kept and parsed on its first max_message_size bytes and marked (full_size)", v.between(1024, 1 << 30)),
    Setting("count_orphans", False, "let reports matched by their address alone (the recipient's latest send, or no send) count; never a bad or unsigned VERP token, nor a Message-ID we did not send to that address"),
    Setting("smtp_max_per_client", 20, "concurrent SMTP sessions from one client address; more are answered 421 (0: no limit)", v.between(0, 100_000)),
    Setting("smtp_idle_timeout", 60, "seconds a session may wait for a command outside a mail transaction (after the greeting, between messages); smtp_timeout applies inside one", v.between(1, 86400)),
    Setting("smtp_max_inflight", 128 * 1024 * 1024, "bytes of message data the listener may hold at once over all sessions; DATA beyond it is answered 451 4.3.1 (0: no limit; keep it above smtp_max_size)", v.between(0, 1 << 40)),
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
    tls_server_name: str = ""  # the name sent in SNI and checked in the certificate; empty: host
    user: str = ""
    auth: str = "password"  # password, or OAuth2: microsoft (client credentials), google (a refresh token)
    password_file: str = ""
    password_env: str = ""
    password_credential: str = ""  # a systemd credential name ($CREDENTIALS_DIRECTORY/NAME)
    oauth_mechanism: str = "xoauth2"  # the SASL mechanism: xoauth2 or oauthbearer (RFC 7628)
    oauth_tenant: str = ""  # microsoft: the directory (tenant) id of the app registration
    oauth_client_id: str = ""
    oauth_client_secret_file: str = ""
    oauth_client_secret_credential: str = ""
    oauth_client_secret_env: str = ""
    oauth_refresh_token_file: str = ""  # google
    oauth_refresh_token_credential: str = ""
    oauth_refresh_token_env: str = ""
    oauth_token_url: str = ""  # empty: the provider's token endpoint
    oauth_scope: str = ""  # empty: the provider's (microsoft: https://outlook.office365.com/.default)
    folder: str = "INBOX"
    processed_folder: str = "bounced"
    nonbounce_folder: str = "bounced-not-bounces"
    after: str = "move"  # move processed messages to processed_folder, or only flag them \Seen
    batch: int = 100
    idle_seconds: int = 600  # re-issue IDLE this often (servers drop it after 30 minutes)
    poll_seconds: int = 60  # how often to look where the server has no IDLE

    def password(self) -> str:
        """The password from a file, a systemd credential or an environment variable; never the command line."""
        return self._secret("password", "password")

    def oauth_client_secret(self) -> str:
        return self._secret("oauth_client_secret", "client secret")

    def oauth_refresh_token(self) -> str:
        return self._secret("oauth_refresh_token", "refresh token")

    def _secret(self, prefix: str, what: str) -> str:
        """The secret of <prefix>_file, <prefix>_credential or <prefix>_env, the first that is set."""
        key = f"mailbox.{self.name}.{prefix}"
        path, credential, env = (getattr(self, f"{prefix}_{source}") for source in ("file", "credential", "env"))
        if path:
            return _read_text(Path(path), f"{key}_file")
        if credential:
            creds = os.environ.get("CREDENTIALS_DIRECTORY")
            if not creds:
                raise ConfigError(f"{key}_credential: no $CREDENTIALS_DIRECTORY (not started by systemd?)")
            return _read_text(Path(creds) / credential, f"{key}_credential")
        if env:
            value = os.environ.get(env)
            if not value:
                raise ConfigError(f"{key}_env: ${env} is {'empty' if value == '' else 'not set'}")
            return value
        raise ConfigError(f"{key}_file: no {what} source ({prefix}_file, {prefix}_credential or {prefix}_env)")


MAILBOX_KEYS: dict[str, Any] = {f.name: f.default for f in dataclasses.fields(Mailbox) if f.name != "name"}
MAILBOX_CHECKS: dict[str, v.Check] = {
    "host": v.not_empty, "port": v.between(0, 65535), "security": v.one_of("tls", "starttls", "plain"),
    "folder": v.not_empty, "processed_folder": v.not_empty, "nonbounce_folder": v.not_empty,
    "after": v.one_of("move", "seen"), "batch": v.between(1, 10_000),
    "idle_seconds": v.between(1, 1740),  # RFC 2177: servers may drop an IDLE after 30 minutes
    "poll_seconds": v.between(1, 86400),
    "auth": v.one_of("password", "microsoft", "google"), "oauth_mechanism": v.one_of("xoauth2", "oauthbearer"),
    "tls_server_name": v.server_name, "oauth_tenant": v.tenant, "oauth_token_url": v.token_url,
}


def _read_text(path: Path, key: str) -> str:
    try:
        value = path.read_text().strip()
    except OSError as exc:
        raise ConfigError(f"{key}: cannot read {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{key}: {path} is not UTF-8 text") from exc
    if not value:  # a unit's empty SetCredential= default, for a credential file that is not there
        raise ConfigError(f"{key}: {path} is empty")
    return value


def _typed(key: str, default: Any, value: Any, check: v.Check | None) -> Any:
    """``value`` if it has the default's type and passes ``check``; else ConfigError naming ``key``."""
    if isinstance(default, bool):
        if isinstance(value, str) and value.lower() in ("1", "true", "yes", "0", "false", "no"):
            return value.lower() in ("1", "true", "yes")
        if not isinstance(value, bool):
            raise ConfigError(f"{key}: expected true or false, got {v.show(value)}")
    elif isinstance(default, int):
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"{key}: expected a whole number, got {v.show(value)}")
    elif isinstance(default, list):
        if isinstance(value, str):
            value = [item.strip() for item in value.split(",") if item.strip()]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ConfigError(f"{key}: expected a list of strings, got {v.show(value)}")
        value = tuple(item.lower() for item in value)
    elif not isinstance(value, str):
        raise ConfigError(f"{key}: expected a string, got {v.show(value)}")
    problem = check(value) if check else None
    if problem:
        raise ConfigError(f"{key}: {problem}")
    return value


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
            try:
                fields[key] = _typed(full, MAILBOX_KEYS[key], item, MAILBOX_CHECKS.get(key))
            except ConfigError as exc:
                errors.append(str(exc))
        out.append(Mailbox(name=name, **fields))
    return tuple(out)


@dataclass(frozen=True)
class SecretSource:
    """Where the VERP secret comes from: ``key`` names the setting for error lines; ``made`` if made on first use."""

    path: Path
    key: str
    made: bool = False


@dataclass(frozen=True)
class Settings:
    database: str = "bounced.db"
    bounce_domains: tuple[str, ...] = ()
    verp_prefix: str = "bounces"
    verp_secret_file: str = ""
    verp_previous_secret_file: str = ""
    verp_max_age_days: int = 90
    soft_limit: int = 3
    soft_window_days: int = 21
    correlate_window_days: int = 14
    storm_threshold: int = 20
    storm_window_minutes: int = 60
    hard_storm_threshold: int = 20
    hard_storm_factor: int = 10
    hard_storm_new_domain_threshold: int = 50
    hard_storm_mx_domain_sends: int = 500
    soft_suppression_days: int = 60
    suppress_complaints: bool = True
    count_orphans: bool = False
    listen: str = "127.0.0.1:2525"
    lmtp: str = ""
    lmtp_group: str = ""
    smtp_max_size: int = 10 * 1024 * 1024
    smtp_max_connections: int = 100
    smtp_max_recipients: int = 100
    smtp_timeout: int = 300
    smtp_forged_verp: str = "reject"
    smtp_forged_surge_percent: int = 50
    smtp_forged_surge_window: int = 20
    tls_cert: str = ""
    tls_key: str = ""
    smtp_max_per_client: int = 20
    smtp_idle_timeout: int = 60
    smtp_max_inflight: int = 128 * 1024 * 1024
    retention_days: int = 400
    max_message_size: int = 10 * 1024 * 1024
    mailboxes: tuple[Mailbox, ...] = ()
    config_path: str | None = None

    def database_path(self) -> Path:
        path = Path(self.database)
        state = os.environ.get("STATE_DIRECTORY")
        if not path.is_absolute() and state:
            return Path(state.split(":")[0]) / path
        return path

    def verp_secret_source(self) -> SecretSource:
        """The file the VERP secret is read from: verp_secret_file, the systemd credential, or <database>.secret.

        The last is made on first use, and only when no configuration file is in use: a service, a shell and a
        sending application that read one file must share one secret, not make one each (ConfigError)."""
        if self.verp_secret_file:
            return SecretSource(Path(self.verp_secret_file), "verp_secret_file")
        creds = os.environ.get("CREDENTIALS_DIRECTORY")
        if creds and (Path(creds) / "verp-secret").exists():
            return SecretSource(Path(creds) / "verp-secret", "credential verp-secret")
        if self.config_path:
            raise ConfigError(f"verp_secret_file: not set in {self.config_path}; name the secret file that the service,"
                              " the shell and the sending application share (none is made when a configuration file is in use)")
        path = self.database_path()
        return SecretSource(path.with_name(path.name + ".secret"), "verp_secret_file", made=True)

    def verp_secret(self, create: bool = True) -> bytes | None:
        """The VERP signing secret (see verp_secret_source).

        With ``create=False`` a secret that is not there gives None (``bounced parse`` writes nothing)."""
        try:
            source = self.verp_secret_source()
        except ConfigError:
            if create:
                raise
            return None
        if source.made and not source.path.exists():
            if not create:
                return None
            source.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(source.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32) + "\n")
        return read_secret(source.path, source.key)

    def verp_previous_secret(self) -> bytes | None:
        """The secret replaced at the last rotation (read once per process), or None."""
        if not self.verp_previous_secret_file:
            return None
        return _read_secret_once(self.verp_previous_secret_file, "verp_previous_secret_file")


def read_secret(path: Path, key: str) -> bytes:
    try:
        value = path.read_bytes().strip()
    except OSError as exc:
        raise ConfigError(f"{key}: cannot read {path}: {exc.strerror}") from exc
    if len(value) < 16:
        raise ConfigError(f"{key}: the secret in {path} is shorter than 16 bytes")
    return value


@functools.lru_cache(maxsize=8)
def _read_secret_once(path: str, key: str) -> bytes:
    return read_secret(Path(path), key)


def override(settings: Settings, **changes: Any) -> Settings:
    """``settings`` with values from the command line (None: no change), each checked as one from the file is."""
    values = {name: _typed(name, _BY_NAME[name].default, value, _BY_NAME[name].check)
              for name, value in changes.items() if value is not None}
    return dataclasses.replace(settings, **values)


def load(path: str | None = None, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
    """Settings from the TOML file (explicit path, $BOUNCED_CONFIG, or the default if present), BOUNCED_* variables
    and ``overrides`` (the command line; None is no override).

    Raises ConfigError with the first problem, in one line that names the key."""
    settings, errors = _collect(path, environ, overrides)
    if errors:
        raise ConfigError(errors[0])
    assert settings is not None
    return settings


def check(path: str | None = None, environ: dict[str, str] | None = None) -> tuple[Settings | None, list[str]]:
    """Every problem of a configuration, each naming its key: values, and the files it points at."""
    settings, errors = _collect(path, environ)
    if settings is None:
        return None, errors
    return settings, errors + v.problems(settings)


def _read_file(candidate: Path) -> tuple[dict[str, Any] | None, str | None]:
    """The TOML table of a configuration file, or the one-line problem with it."""
    try:
        with candidate.open("rb") as fh:
            data = fh.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        return None, f"config: {candidate}: no such file"
    except OSError as exc:
        return None, f"config: {candidate}: {exc.strerror}"
    if len(data) > MAX_CONFIG_BYTES:
        return None, f"config: {candidate}: larger than {MAX_CONFIG_BYTES} bytes; not a configuration file"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, f"config: {candidate}: not UTF-8 text (line {line}); TOML files are UTF-8"
    try:
        return tomllib.loads(text), None
    except tomllib.TOMLDecodeError as exc:
        return None, f"config: {candidate}: invalid TOML: {exc}"
    except RecursionError:  # tomllib recurses once per nested array or inline table
        return None, f"config: {candidate}: invalid TOML: arrays or tables nested too deeply"


def _collect(path: str | None, environ: dict[str, str] | None,
             overrides: dict[str, Any] | None = None) -> tuple[Settings | None, list[str]]:
    env = os.environ if environ is None else environ
    explicit = path or env.get(CONFIG_ENV)
    values: dict[str, Any] = {}
    errors: list[str] = []
    config_path = None
    candidate = Path(explicit or DEFAULT_CONFIG)
    if explicit or candidate.exists():
        config_path = str(candidate)
        data, problem = _read_file(candidate)
        if data is None:
            return None, [problem or f"config: {candidate}: unreadable"]
        for key, value in data.items():
            if key == "mailbox":
                values["mailboxes"] = _mailboxes(value, errors)
            elif key not in _BY_NAME:
                errors.append(f"{key}: unknown setting in {candidate}")
            else:
                try:
                    values[key] = _typed(key, _BY_NAME[key].default, value, _BY_NAME[key].check)
                except ConfigError as exc:
                    errors.append(str(exc))
    for setting in SETTINGS:
        var = "BOUNCED_" + setting.name.upper()
        if var in env:
            try:
                values[setting.name] = _typed(setting.name, setting.default, env[var], setting.check)
            except ConfigError as exc:
                errors.append(f"{exc} (from ${var})")
    given = {name: value for name, value in (overrides or {}).items() if value is not None}
    for name, value in given.items():
        try:
            values[name] = _typed(name, _BY_NAME[name].default, value, _BY_NAME[name].check)
        except ConfigError as exc:
            errors.append(str(exc))
    settings = dataclasses.replace(Settings(), config_path=config_path, **values)
    # a relative database named on the command line is the user's own choice for that command
    if config_path and "database" not in given and not Path(settings.database).is_absolute() and not _named(errors, "database"):
        errors.append(f"database: {settings.database!r} is a relative path, a different file for the service, a shell"
                      " and the sending application; name an absolute path")
    return settings, errors


def _named(errors: list[str], key: str) -> bool:
    return any(error.startswith(key + ":") for error in errors)
