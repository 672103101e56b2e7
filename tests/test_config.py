"""Configuration errors: each is one line naming the key, exit code 2, and `serve` refuses what `config check` refuses."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bounced import config
from bounced.cli import cli
from bounced.errors import ConfigError

KEY = "0123456789abcdef0123456789abcdef"


def _run(*args, env_config):
    return subprocess.run([sys.executable, "-m", "bounced", *args], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "BOUNCED_CONFIG": env_config})


@pytest.fixture
def write(tmp_path):
    """A configuration file: a good base (absolute database, a private secret) plus ``text``."""
    (tmp_path / "key").write_text(KEY)
    (tmp_path / "key").chmod(0o600)
    (tmp_path / "short.key").write_text("short")
    (tmp_path / "short.key").chmod(0o600)

    def write(text: str, base: bool = True) -> Path:
        path = tmp_path / "bounced.toml"
        lines = {"database": f'database = "{tmp_path / "b.db"}"', "verp_secret_file": f'verp_secret_file = "{tmp_path / "key"}"'}
        head = "".join(line + "\n" for key, line in lines.items() if base and not text.startswith(key + " ="))
        path.write_text(head + text.format(tmp=tmp_path))
        return path

    return write


# Values with the right type that would disable a limit or break the service: every one is refused.
# (setting or mailbox key, TOML text, the error line)
BAD_VALUES = [
    ("retention_days", "retention_days = 40000", "retention_days: must be from 0 to 36500, got 40000"),
    ("max_message_size", "max_message_size = 100", "max_message_size: must be from 1024 to 1073741824, got 100"),
    ("smtp_max_size", "smtp_max_size = 0", "smtp_max_size: must be from 1024 to 1073741824, got 0"),
    ("smtp_max_size", "smtp_max_size = 2000000000", "smtp_max_size: must be from 1024 to 1073741824, got 2000000000"),
    ("smtp_timeout", "smtp_timeout = 0", "smtp_timeout: must be from 1 to 86400, got 0"),
    ("smtp_max_per_client", "smtp_max_per_client = 200000", "smtp_max_per_client: must be from 0 to 100000, got 200000"),
    ("smtp_idle_timeout", "smtp_idle_timeout = 0", "smtp_idle_timeout: must be from 1 to 86400, got 0"),
    ("smtp_max_inflight", "smtp_max_inflight = 2000000000000", "smtp_max_inflight: must be from 0 to 1099511627776, got 2000000000000"),
    ("smtp_max_connections", "smtp_max_connections = 0", "smtp_max_connections: must be from 1 to 100000, got 0"),
    ("smtp_max_recipients", "smtp_max_recipients = 0", "smtp_max_recipients: must be from 1 to 100000, got 0"),
    ("listen", 'listen = "nonsense"',
     "listen: expected host:port (an address or a host name, then a port), got 'nonsense'"),
    ("listen", 'listen = "127.0.0.1:99999"', "listen: the port must be from 1 to 65535, got '99999'"),
    ("listen", 'listen = "127.0.0.1:0"', "listen: the port must be from 1 to 65535, got '0'"),
    ("listen", 'listen = ":2525"', "listen: expected host:port (an address or a host name, then a port), got ':2525'"),
    ("listen", 'listen = "bad host:25"',
     "listen: expected host:port (an address or a host name, then a port), got 'bad host:25'"),
    ("lmtp", 'lmtp = "run/lmtp.sock"', "lmtp: a socket must be an absolute file path, got 'run/lmtp.sock'"),
    ("lmtp", 'lmtp = "127.0.0.1:70000"', "lmtp: the port must be from 1 to 65535, got '70000'"),
    ("bounce_domains", 'bounce_domains = ["*"]',
     "bounce_domains: '*' is not a domain name (no wildcards; e.g. bounces.example.com)"),
    ("bounce_domains", 'bounce_domains = ["*.example.com"]',
     "bounce_domains: '*.example.com' is not a domain name (no wildcards; e.g. bounces.example.com)"),
    ("bounce_domains", 'bounce_domains = ["bounces@example.com"]',
     "bounce_domains: 'bounces@example.com' is not a domain name (no wildcards; e.g. bounces.example.com)"),
    ("bounce_domains", 'bounce_domains = ["example"]',
     "bounce_domains: 'example' is not a domain name (no wildcards; e.g. bounces.example.com)"),
    ("verp_prefix", 'verp_prefix = "bounces+x"', "verp_prefix: expected 1 to 15 letters, digits,"),
    ("verp_prefix", 'verp_prefix = ""', "verp_prefix: expected 1 to 15 letters, digits,"),
    ("verp_prefix", 'verp_prefix = "abcdefghijklmnop"', "verp_prefix: expected 1 to 15 letters, digits,"),
    ("verp_max_age_days", "verp_max_age_days = 0", "verp_max_age_days: must be from 1 to 3650, got 0"),
    ("soft_limit", "soft_limit = 0", "soft_limit: must be from 1 to 1000, got 0"),
    ("soft_window_days", "soft_window_days = 0", "soft_window_days: must be from 1 to 3650, got 0"),
    ("correlate_window_days", "correlate_window_days = 0", "correlate_window_days: must be from 1 to 3650, got 0"),
    ("storm_threshold", "storm_threshold = 1", "storm_threshold: must be from 2 to 1000000, got 1"),
    ("storm_window_minutes", "storm_window_minutes = 0", "storm_window_minutes: must be from 1 to 10080, got 0"),
    ("hard_storm_threshold", "hard_storm_threshold = 1", "hard_storm_threshold: must be from 2 to 1000000, got 1"),
    ("hard_storm_factor", "hard_storm_factor = 0", "hard_storm_factor: must be from 1 to 10000, got 0"),
    ("hard_storm_new_domain_threshold", "hard_storm_new_domain_threshold = 1",
     "hard_storm_new_domain_threshold: must be from 2 to 1000000, got 1"),
    ("hard_storm_mx_domain_sends", "hard_storm_mx_domain_sends = 1", "hard_storm_mx_domain_sends: must be from 2 to 100000000, got 1"),
    ("soft_suppression_days", "soft_suppression_days = 40000", "soft_suppression_days: must be from 0 to 36500, got 40000"),
    ("smtp_forged_verp", 'smtp_forged_verp = "drop"', "smtp_forged_verp: expected one of reject, accept, got 'drop'"),
    ("smtp_forged_surge_percent", "smtp_forged_surge_percent = 100",
     "smtp_forged_surge_percent: must be from 1 to 99, got 100"),
    ("smtp_forged_surge_window", "smtp_forged_surge_window = 0", "smtp_forged_surge_window: must be from 1 to 10000, got 0"),
    ("database", 'database = ":memory:"', "database: expected the path of an SQLite file, got ':memory:'"),
    ("database", 'database = "bounced.db"', "database: 'bounced.db' is a relative path, a different file for the service"),
    ("mailbox.batch", "[mailbox.m]\nbatch = 0", "mailbox.m.batch: must be from 1 to 10000, got 0"),
    ("mailbox.port", "[mailbox.m]\nport = 99999", "mailbox.m.port: must be from 0 to 65535, got 99999"),
    ("mailbox.idle_seconds", "[mailbox.m]\nidle_seconds = 3600", "mailbox.m.idle_seconds: must be from 1 to 1740, got 3600"),
    ("mailbox.poll_seconds", "[mailbox.m]\npoll_seconds = 0", "mailbox.m.poll_seconds: must be from 1 to 86400, got 0"),
    ("mailbox.folder", '[mailbox.m]\nfolder = ""', "mailbox.m.folder: must not be empty"),
    ("mailbox.processed_folder", '[mailbox.m]\nprocessed_folder = ""', "mailbox.m.processed_folder: must not be empty"),
    ("mailbox.nonbounce_folder", '[mailbox.m]\nnonbounce_folder = ""', "mailbox.m.nonbounce_folder: must not be empty"),
    ("mailbox.host", '[mailbox.m]\nhost = " "', "mailbox.m.host: must not be empty"),
    ("mailbox.security", '[mailbox.m]\nsecurity = "ssl"', "mailbox.m.security: expected one of tls, starttls, plain, got 'ssl'"),
    ("mailbox.after", '[mailbox.m]\nafter = "delete"', "mailbox.m.after: expected one of move, seen, got 'delete'"),
    ("mailbox.auth", '[mailbox.m]\nauth = "oauth"', "mailbox.m.auth: expected one of password, microsoft, google, got 'oauth'"),
    ("mailbox.oauth_mechanism", '[mailbox.m]\noauth_mechanism = "plain"',
     "mailbox.m.oauth_mechanism: expected one of xoauth2, oauthbearer, got 'plain'"),
    ("mailbox.tls_server_name", '[mailbox.m]\ntls_server_name = "192.0.2.10"',
     "mailbox.m.tls_server_name: expected the host name the certificate is for (e.g. imap.example.com), got '192.0.2.10'"),
    ("mailbox.oauth_tenant", '[mailbox.m]\noauth_tenant = "common"',
     "mailbox.m.oauth_tenant: the client credentials grant needs the tenant's own id or domain, not 'common'"),
    ("mailbox.oauth_tenant", '[mailbox.m]\noauth_tenant = "a/b"', "mailbox.m.oauth_tenant: expected a tenant id (a GUID) or domain, got 'a/b'"),
    ("mailbox.oauth_token_url", '[mailbox.m]\noauth_token_url = "http://login.example.com/token"',
     "mailbox.m.oauth_token_url: expected an https:// URL (http:// only on loopback), got 'http://login.example.com/token'"),
]

# Problems only the files, or the values together, show: `config check` and `serve` find them.
PROBLEMS = [
    ("world-readable secret", 'verp_secret_file = "{tmp}/open.key"',
     "verp_secret_file: {tmp}/open.key is readable by every user (mode -rw-r--r--); chmod o-rwx {tmp}/open.key"),
    ("unreadable secret", 'verp_secret_file = "{tmp}/nope.key"', "verp_secret_file: cannot read {tmp}/nope.key: No such file or directory"),
    ("short secret", 'verp_secret_file = "{tmp}/short.key"', "verp_secret_file: the secret in {tmp}/short.key is shorter than 16 bytes"),
    ("previous is current", 'verp_previous_secret_file = "{tmp}/key"',
     "verp_previous_secret_file: the same secret as the current one; name the secret that was replaced"),
    ("world-readable previous", 'verp_previous_secret_file = "{tmp}/open.key"',
     "verp_previous_secret_file: {tmp}/open.key is readable by every user (mode -rw-r--r--); chmod o-rwx {tmp}/open.key"),
    ("no secret named", None, "verp_secret_file: not set in {tmp}/bounced.toml; name the secret file that the service, the shell"),
    ("not a certificate", 'tls_cert = "{tmp}/key"',
     "tls_cert: {tmp}/key with no tls_key is not a PEM certificate and its private key"),
    ("unreadable certificate", 'tls_cert = "{tmp}/none.pem"', "tls_cert: cannot read {tmp}/none.pem: No such file or directory"),
    ("key without certificate", 'tls_key = "{tmp}/key"', "tls_cert: tls_key is set but tls_cert is not"),
    ("public listener, no domain", 'listen = "0.0.0.0:2525"', "bounce_domains: must be set before listening on a non-loopback address"),
    ("lmtp on listen", 'lmtp = "127.0.0.1:2525"', "lmtp: the same address as listen (127.0.0.1:2525)"),
    ("inflight below size", "smtp_max_size = 2000000\nsmtp_max_inflight = 1000000", "smtp_max_inflight: 1000000 is below smtp_max_size (2000000)"),
    ("world-readable password", '[mailbox.m]\nuser = "u"\npassword_file = "{tmp}/open.key"',
     "mailbox.m.password_file: {tmp}/open.key is readable by every user (mode -rw-r--r--); chmod o-rwx {tmp}/open.key"),
    ("no password", '[mailbox.m]\nuser = "u"', "mailbox.m.password_file: no password source"),
    ("no user", '[mailbox.m]\npassword_file = "{tmp}/key"', "mailbox.m.user: not set"),
    ("bad CA file", '[mailbox.m]\nuser = "u"\npassword_file = "{tmp}/key"\nca_file = "{tmp}/key"',
     "mailbox.m.ca_file: cannot load {tmp}/key as PEM certificates"),
    ("move into itself", '[mailbox.m]\nuser = "u"\npassword_file = "{tmp}/key"\nprocessed_folder = "INBOX"',
     "mailbox.m.processed_folder: the same folder as folder (INBOX); nothing would leave it"),
    ("non-bounces into itself", '[mailbox.m]\nuser = "u"\npassword_file = "{tmp}/key"\nnonbounce_folder = "INBOX"',
     "mailbox.m.nonbounce_folder: the same folder as folder (INBOX)"),
]


@pytest.fixture
def started(monkeypatch):
    """The service's start, replaced by a recorder: a configuration it is given got past every check."""
    calls = []

    async def serve(settings):
        calls.append(settings)

    monkeypatch.setattr("bounced.service.serve", serve)
    return calls


@pytest.mark.parametrize(("key", "text", "message"), BAD_VALUES, ids=[f"{c[0]}:{c[1]}" for c in BAD_VALUES])
def test_bad_values_are_refused_by_check_and_by_serve(write, tmp_path, started, key, text, message):
    path = write(text + "\n")
    settings, errors = config.check(str(path))
    assert any(error.startswith(message) for error in errors), errors
    result = CliRunner().invoke(cli, ["serve"], env={"BOUNCED_CONFIG": str(path)})
    assert result.exit_code == 2 and started == []
    assert any(line.startswith("Error: " + message) for line in result.output.splitlines()), result.output


def test_every_checked_setting_has_a_bad_value_in_the_table():
    covered = {key for key, _, _ in BAD_VALUES}
    assert {s.name for s in config.SETTINGS if s.check} <= covered
    assert {f"mailbox.{k}" for k in config.MAILBOX_CHECKS} <= covered


@pytest.mark.parametrize(("name", "text", "message"), PROBLEMS, ids=[c[0] for c in PROBLEMS])
def test_problems_are_refused_by_check_and_by_serve(write, tmp_path, started, name, text, message):
    (tmp_path / "open.key").write_text("0123456789abcdef-other")
    (tmp_path / "open.key").chmod(0o644)
    path = write(text + "\n", base=True) if text else write(f'database = "{tmp_path / "b.db"}"\n', base=False)
    message = message.format(tmp=tmp_path)
    done = _run("config", "check", env_config=str(path))
    assert done.returncode == 2 and done.stdout == ""
    assert any(line.startswith("Error: " + message) for line in done.stderr.splitlines()), done.stderr
    if message.startswith("mailbox."):  # a mailbox's problem stops its poller (below), not the listener
        return
    result = CliRunner().invoke(cli, ["serve"], env={"BOUNCED_CONFIG": str(path)})
    assert result.exit_code == 2 and started == []
    assert any(line.startswith("Error: " + message) for line in result.output.splitlines()), result.output


def test_a_mailbox_problem_stops_its_poller_only(write, tmp_path, started):
    """`serve` reads no mailbox, and a poller unit is handed its own mailbox's credential only: a
    mailbox whose secret is a credential not loaded here stops neither the listener nor another poller."""
    path = write('[mailbox.a]\nuser = "u"\npassword_credential = "imap-password-a"\n'
                 '[mailbox.b]\nuser = "u"\npassword_file = "{tmp}/pw"\n')
    (tmp_path / "pw").write_text("secret")
    (tmp_path / "pw").chmod(0o644)
    env = {"BOUNCED_CONFIG": str(path)}
    assert CliRunner().invoke(cli, ["serve"], env=env).exit_code == 0 and started != []
    result = CliRunner().invoke(cli, ["poll", "--once", "--mailbox", "b"], env=env)
    assert (result.exit_code, result.output) == (2, f"Error: mailbox.b.password_file: {tmp_path}/pw is readable by every user"
                                                    f" (mode -rw-r--r--); chmod o-rwx {tmp_path}/pw\n")
    result = CliRunner().invoke(cli, ["poll", "--once", "--mailbox", "a"], env=env)
    assert result.exit_code == 2 and "mailbox.a.password_credential" in result.output
    assert "mailbox.b" not in result.output


def test_poll_refuses_what_check_refuses(write, tmp_path):
    path = write('[mailbox.m]\nuser = "u"\npassword_file = "{tmp}/pw"\n')
    (tmp_path / "pw").write_text("secret")
    (tmp_path / "pw").chmod(0o644)
    result = CliRunner().invoke(cli, ["poll", "--once"], env={"BOUNCED_CONFIG": str(path)})
    assert (result.exit_code, result.output) == (2, f"Error: mailbox.m.password_file: {tmp_path}/pw is readable by every user"
                                                    f" (mode -rw-r--r--); chmod o-rwx {tmp_path}/pw\n")


def test_serve_options_are_checked_too(write, started):
    path = write("")
    result = CliRunner().invoke(cli, ["serve", "--listen", "127.0.0.1:99999"], env={"BOUNCED_CONFIG": str(path)})
    assert (result.exit_code, result.output) == (2, "Error: listen: the port must be from 1 to 65535, got '99999'\n")
    assert started == []


def test_a_good_configuration_starts_serve(write, tmp_path, started):
    text = 'listen = "[::1]:2525"\nlmtp = "/run/bounced/lmtp.sock"\nbounce_domains = ["Bounces.Example.COM"]\n' \
           'verp_prefix = "b.r_-1"\nsmtp_max_size = 1024\nsmtp_forged_surge_percent = 99\n'
    path = write(text)
    result = CliRunner().invoke(cli, ["serve"], env={"BOUNCED_CONFIG": str(path)})
    assert result.exit_code == 0, result.output
    (settings,) = started
    assert (settings.listen, settings.bounce_domains, settings.verp_prefix, settings.smtp_max_size) == (
        "[::1]:2525", ("bounces.example.com",), "b.r_-1", 1024)


BROKEN_FILES = [
    ("not UTF-8", b"soft_limit = 3\n# caf\xe9\n", "config: {path}: not UTF-8 text (line 2); TOML files are UTF-8"),
    ("binary garbage", bytes(range(256)) * 4, "config: {path}: not UTF-8 text (line 2); TOML files are UTF-8"),
    ("NUL bytes", b"soft_limit = 3\n\x00\x00\x00\n", "config: {path}: invalid TOML: "),
    ("nested arrays", b"bounce_domains = " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
     "config: {path}: invalid TOML: arrays or tables nested too deeply"),
    ("nested tables", b"x = " + b"{a=" * 50_000 + b"1" + b"}" * 50_000 + b"\n",
     "config: {path}: invalid TOML: arrays or tables nested too deeply"),
    ("too large", b"# " + b"x" * (2 << 20) + b"\n", "config: {path}: larger than 1048576 bytes; not a configuration file"),
    ("bad TOML", b"soft_limit = = 3\n", "config: {path}: invalid TOML: "),
]


@pytest.mark.parametrize(("name", "data", "message"), BROKEN_FILES, ids=[c[0] for c in BROKEN_FILES])
def test_broken_files_are_one_line_not_a_crash(tmp_path, name, data, message):
    path = tmp_path / "bounced.toml"
    path.write_bytes(data)
    done = _run("config", "check", env_config=str(path))
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert line.startswith("Error: " + message.format(path=path)), done.stderr


def test_a_moderately_nested_value_is_a_type_error_with_a_short_repr(write):
    path = write("bounce_domains = " + "[" * 300 + "]" * 300 + "\n")
    with pytest.raises(ConfigError) as caught:
        config.load(str(path))
    assert str(caught.value).startswith("bounce_domains: expected a list of strings, got [[[[")
    assert len(str(caught.value)) < 120


def test_check_names_the_database_and_the_secret_by_fingerprint(write, tmp_path):
    (tmp_path / "old.key").write_text("the-secret-that-was-replaced")
    (tmp_path / "old.key").chmod(0o640)
    path = write('verp_previous_secret_file = "{tmp}/old.key"\n')
    done = _run("config", "check", env_config=str(path))
    fp = hashlib.sha256(KEY.encode()).hexdigest()[:8]
    old = hashlib.sha256(b"the-secret-that-was-replaced").hexdigest()[:8]
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == (f"ok: {path}\ndatabase: {tmp_path / 'b.db'} (not yet created)\n"
                           f"verp secret: {tmp_path / 'key'} (fingerprint {fp})\n"
                           f"previous verp secret: {tmp_path / 'old.key'} (fingerprint {old})\n")
    assert not (tmp_path / "b.db").exists()


def test_check_without_a_file_makes_nothing(tmp_path):
    done = subprocess.run([sys.executable, "-m", "bounced", "config", "check"], capture_output=True, text=True,
                          cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "BOUNCED_CONFIG": "",
                                             "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    if Path(config.DEFAULT_CONFIG).exists():
        pytest.skip(f"{config.DEFAULT_CONFIG} exists on this machine")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == ("ok: no configuration file; defaults and BOUNCED_* variables\n"
                           f"database: {tmp_path / 'bounced.db'} (not yet created)\n"
                           f"verp secret: {tmp_path / 'bounced.db.secret'} (made on first use)\n")
    assert list(tmp_path.iterdir()) == []


def test_every_error_is_reported(tmp_path):
    path = tmp_path / "bounced.toml"
    path.write_text(f"soft_limit = 'x'\nnope = 1\ndatabase = '{tmp_path}/b.db'\nverp_secret_file = '/nonexistent/key'\n")
    done = _run("config", "check", env_config=str(path))
    assert done.returncode == 2
    assert [line.split(":")[1].strip() for line in done.stderr.strip().splitlines()] == [
        "soft_limit", "nope", "verp_secret_file"]


def test_other_commands_stop_at_the_first_error_with_exit_2(tmp_path):
    path = tmp_path / "bounced.toml"
    path.write_text("soft_window_days = -1\n")
    done = _run("suppressed", env_config=str(path))
    assert done.returncode == 2
    assert done.stderr == "Error: soft_window_days: expected a whole number, got -1\n"


def test_show_lists_every_setting(write):
    path = write("soft_limit = 5\n")
    shown = _run("config", "show", env_config=str(path)).stdout
    assert "soft_limit = 5  # " in shown and 'listen = "127.0.0.1:2525"' in shown
    assert [line.split(" = ")[0] for line in shown.splitlines()] == [s.name for s in config.SETTINGS]


def test_environment_overrides_and_is_checked():
    settings = config.load(environ={"BOUNCED_SOFT_LIMIT": "7"})
    assert settings.soft_limit == 7
    with pytest.raises(ConfigError, match=r"^soft_limit: expected a whole number, got 'many' \(from \$BOUNCED_SOFT_LIMIT\)$"):
        config.load(environ={"BOUNCED_SOFT_LIMIT": "many"})
    with pytest.raises(ConfigError, match=r"^smtp_timeout: must be from 1 to 86400, got 0 \(from \$BOUNCED_SMTP_TIMEOUT\)$"):
        config.load(environ={"BOUNCED_SMTP_TIMEOUT": "0"})


def test_a_row_without_a_check_still_gets_a_type_check():
    row = config.Setting("x_limit", 5, "a new limit")
    with pytest.raises(ConfigError, match="^x_limit: expected a whole number, got 'five'$"):
        config._typed(row.name, row.default, "five", row.check)
    assert config._typed(row.name, row.default, 0, row.check) == 0


@pytest.fixture(scope="module")
def pems(tmp_path_factory):
    import shutil

    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed; cannot make a test certificate")
    out = tmp_path_factory.mktemp("pems")
    for name in ("a", "b"):
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                        "-keyout", str(out / f"{name}.key"), "-out", str(out / f"{name}.pem")], check=True, capture_output=True)
        (out / f"{name}.key").chmod(0o600)
    (out / "open.key").write_bytes((out / "a.key").read_bytes())
    (out / "open.key").chmod(0o644)
    return out


TLS = [
    ("a.pem", "a.key", None),
    ("a.pem", "b.key", "tls_cert: {d}/a.pem with {d}/b.key is not a PEM certificate and its private key (KEY_VALUES_MISMATCH)"),
    ("a.key", "a.key", "tls_cert: {d}/a.key with {d}/a.key is not a PEM certificate and its private key"),
    ("a.pem", "open.key", "tls_key: {d}/open.key is readable by every user (mode -rw-r--r--); chmod o-rwx {d}/open.key"),
    ("a.pem", "none.key", "tls_key: cannot read {d}/none.key: No such file or directory"),
]


@pytest.mark.parametrize(("cert", "key", "message"), TLS, ids=[f"{c}+{k}" for c, k, _ in TLS])
def test_tls_pair_is_loaded_as_serve_would(write, pems, cert, key, message):
    path = write(f'tls_cert = "{pems / cert}"\ntls_key = "{pems / key}"\n')
    _, errors = config.check(str(path))
    assert errors == ([] if message is None else [message.format(d=pems)])
