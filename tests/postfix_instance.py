"""A private Postfix instance for tests: its own config and queue in a temporary folder, loopback only, no DNS."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from ports import listening

MAIN_CF = """\
compatibility_level = 3.6
queue_directory = {root}/queue
data_directory = {root}/data
meta_directory = /etc/postfix
myhostname = mx.sender.example.com
mydomain = sender.example.com
myorigin = $myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
relay_domains =
transport_maps = texthash:{root}/transport
smtp_dns_support_level = disabled
smtp_host_lookup = native
smtp_tls_security_level = none
alias_maps =
alias_database =
local_recipient_maps =
biff = no
maillog_file = {root}/maillog
maillog_file_prefixes = {root}
# give up at the first temporary failure, so that 4xx replies bounce at once in a test
maximal_queue_lifetime = 0
bounce_queue_lifetime = 0
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
"""

MASTER_CF = """\
{port} inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
# chrooted in the queue directory, as Debian's master.cf runs it
lmtp      unix  -       -       y       -       -       lmtp
"""


def available() -> bool:
    return shutil.which("postfix") is not None and Path("/usr/lib/postfix/sbin/master").exists()


class PostfixInstance:
    def __init__(self, root: Path, port: int, transports: dict[str, str]) -> None:
        """``root`` must be reachable by the postfix user (a pytest tmp_path is not: mode 0700)."""
        self.root = root
        self.port = port
        self.config = root / "etc"
        self.config.mkdir(parents=True)
        (root / "queue").mkdir()
        (root / "data").mkdir()
        (self.config / "main.cf").write_text(MAIN_CF.format(root=root))
        os.chmod(root, 0o755)
        shutil.chown(root / "data", "postfix")
        (self.config / "master.cf").write_text(MASTER_CF.format(port=f"127.0.0.1:{port}"))
        (root / "transport").write_text("".join(f"{domain} {nexthop}\n" for domain, nexthop in transports.items()))

    def _postfix(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["postfix", "-c", str(self.config), *args], capture_output=True, text=True, timeout=60)

    def start(self) -> None:
        self._postfix("set-permissions")
        done = self._postfix("start")
        if done.returncode != 0:
            raise RuntimeError(f"postfix start failed: {done.stderr}{self.log()}")
        if not listening(self.port):
            raise RuntimeError("postfix did not listen: " + self.log())

    def stop(self) -> None:
        self._postfix("stop")
        shutil.rmtree(self.root, ignore_errors=True)

    @property
    def queue(self) -> Path:
        """The queue directory: a chrooted client's root, and where relative socket paths start."""
        return self.root / "queue"

    def log(self) -> str:
        path = self.root / "maillog"
        return path.read_text(errors="replace") if path.exists() else ""
