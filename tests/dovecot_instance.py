"""A private Dovecot for tests: its own config, passwd-file user and Maildir in a temporary folder, loopback only."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from ports import listening

CONF = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login{mechanisms}
mail_location = maildir:{root}/mail/%u
first_valid_uid = 1
default_internal_user = dovecot
default_login_user = dovenull
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
{extra}userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    port = {imap_port}
  }}
  inet_listener imaps {{
    port = {imaps_port}
    ssl = yes
  }}
}}
protocol imap {{
  imap_idle_notify_interval = 1 secs
{imap}}}
"""


# An OAuth2 passdb (Dovecot 2.3's oauth2 driver): every token is checked at the test's introspection
# endpoint (RFC 7662, POST token=...), which answers {"active": true, "username": ...} while it is good.
OAUTH2_PASSDB = """\
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {root}/dovecot-oauth2.conf.ext
}}
"""
OAUTH2_CONF = """\
introspection_mode = post
introspection_url = {url}
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
timeout_msecs = 10000
"""
# A second certificate, presented to clients that ask for this name in SNI.
LOCAL_NAME = """\
local_name {name} {{
  ssl_cert = <{root}/{name}.cert.pem
  ssl_key = <{root}/{name}.key.pem
}}
"""


def available() -> bool:
    return shutil.which("dovecot") is not None and shutil.which("openssl") is not None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Dovecot:
    user = "bounces"
    password = "correct horse battery"

    def __init__(self, imap_settings: str = "", oauth2_introspection: str = "", sni_name: str = "") -> None:
        """``imap_settings``: lines for the protocol imap section, e.g. an ``imap_capability`` that
        announces less than Dovecot has (an older server) or a ``mail_max_userip_connections``.
        ``oauth2_introspection``: the URL of a token introspection endpoint; XOAUTH2 and OAUTHBEARER
        logins are then checked there.  ``sni_name``: a host name with a certificate of its own."""
        self.root = Path(tempfile.mkdtemp(prefix="bounced-dovecot-"))
        os.chmod(self.root, 0o755)
        self.imap_port, self.imaps_port = _free_port(), _free_port()
        (self.root / "mail").mkdir()
        shutil.chown(self.root / "mail", "nobody", "nogroup")
        (self.root / "passwd").write_text(f"{self.user}:{{PLAIN}}{self.password}\n")
        self._certificate("localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1", "cert.pem", "key.pem")
        self.ca_file = str(self.root / "cert.pem")
        extra = mechanisms = ""
        if oauth2_introspection:
            extra += OAUTH2_PASSDB.format(root=self.root)
            mechanisms = " xoauth2 oauthbearer"
            (self.root / "dovecot-oauth2.conf.ext").write_text(OAUTH2_CONF.format(url=oauth2_introspection))
        if sni_name:
            self._certificate(sni_name, f"subjectAltName=DNS:{sni_name}", f"{sni_name}.cert.pem", f"{sni_name}.key.pem")
            extra += LOCAL_NAME.format(name=sni_name, root=self.root)
        self.conf = self.root / "dovecot.conf"
        imap = "".join(f"  {line.strip()}\n" for line in imap_settings.splitlines() if line.strip())
        self.conf.write_text(CONF.format(root=self.root, imap_port=self.imap_port, imaps_port=self.imaps_port, imap=imap,
                                         extra=extra, mechanisms=mechanisms))
        self.proc: subprocess.Popen[bytes] | None = None

    def _certificate(self, name: str, alt_names: str, cert: str, key: str) -> None:
        """A self-signed certificate for ``name``, good for two days."""
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={name}",
                        "-addext", alt_names, "-keyout", str(self.root / key), "-out", str(self.root / cert)],
                       check=True, capture_output=True)

    def start(self) -> None:
        self.proc = subprocess.Popen(["dovecot", "-F", "-c", str(self.conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not listening(self.imap_port):
            raise RuntimeError("dovecot did not start: " + self.log())

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(20)
            self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def doveadm(self, *args: str) -> str:
        done = subprocess.run(["doveadm", "-c", str(self.conf), *args], capture_output=True, text=True, timeout=30)
        if done.returncode != 0:
            raise RuntimeError(f"doveadm {args}: {done.stderr}")
        return done.stdout

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
