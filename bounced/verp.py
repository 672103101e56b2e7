"""bounced's VERP return paths: ``<prefix>+<token>@<bounce domain>``, signed so that forged bounces suppress no one.

The token is lower-case base32 (MTAs that fold case do not break it) of::

    day (2 bytes, days since 1970-01-01, the send day) | mac (8 bytes) | key (1-20 bytes)

where ``mac`` is HMAC-SHA256(secret, "bounced-verp/1" NUL day key) truncated to 64 bits and
``key`` is the sent message's key (one per message and recipient).  Tokens older than the
configured age are expired.  After a rotation the replaced secret is given as well (a tuple of
secrets, the current one first): its tokens stay valid until they expire.  Classic VERP
(``prefix+user=example.org@domain``) decodes too, as unsigned.  Pure functions: no database, no configuration lookups.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
from collections.abc import Sequence

from bounced.errors import VerpError
from bounced.model import VerpInfo

MAX_KEY = 20
_MAC_LEN = 8
_TOKEN_RE = re.compile(r"^[a-z2-7]{18,56}$")


def today() -> int:
    return int(time.time() // 86400)


def _mac(secret: bytes, day: bytes, key: bytes) -> bytes:
    return hmac.new(secret, b"bounced-verp/1\0" + day + key, hashlib.sha256).digest()[:_MAC_LEN]


def fingerprint(secret: bytes) -> str:
    """A short public name for a secret (the first 8 hex digits of its SHA-256), to tell two secrets apart."""
    return hashlib.sha256(secret).hexdigest()[:8]


def token(key: str, secret: bytes, day: int | None = None) -> str:
    raw_key = key.encode("utf-8")
    if not 1 <= len(raw_key) <= MAX_KEY:
        raise VerpError(f"message key must be 1 to {MAX_KEY} bytes, got {len(raw_key)}")
    day_bytes = (today() if day is None else day).to_bytes(2, "big")
    data = day_bytes + _mac(secret, day_bytes, raw_key) + raw_key
    return base64.b32encode(data).decode("ascii").rstrip("=").lower()


def encode(key: str, secret: bytes, prefix: str, domain: str, day: int | None = None) -> str:
    """The Return-Path for the sent message ``key``."""
    local = f"{prefix}+{token(key, secret, day)}"
    if len(local) > 64:  # RFC 5321 section 4.5.3.1.1
        raise VerpError(f"local part {local!r} is longer than 64 characters; use a shorter prefix or key")
    return f"{local}@{domain.lower()}"


def decode(
    address: str,
    secret: bytes | Sequence[bytes | None] | None,
    prefix: str,
    max_age_days: int = 90,
    now_day: int | None = None,
) -> VerpInfo | None:
    """The parts of a VERP address of ours, or None when ``address`` is not one.

    A token that fails its signature, has expired, or cannot be checked (no secret) decodes with
    ``valid=False`` and the problem named; it must never count against an address.  ``secret`` may be
    several secrets (the current one, then the one it replaced): a signature by any of them is good.
    """
    local, at, _domain = address.strip().strip("<>").rpartition("@")
    if not at:
        return None
    head, plus, tail = local.partition("+")
    if not plus or head.lower() != prefix.lower() or not tail:
        return None
    if "=" in tail:  # classic VERP: prefix+user=example.org@domain
        user, _, domain = tail.rpartition("=")
        if not user or "." not in domain:
            return None
        return VerpInfo(message="", recipient=f"{user}@{domain.lower()}", valid=False, signed=False, problem="unsigned")
    tok = tail.lower()
    if not _TOKEN_RE.match(tok):
        return VerpInfo(message="", recipient=None, valid=False, problem="malformed")
    try:
        data = base64.b32decode(tok.upper() + "=" * (-len(tok) % 8))
    except ValueError:
        return VerpInfo(message="", recipient=None, valid=False, problem="malformed")
    if len(data) < 2 + _MAC_LEN + 1:
        return VerpInfo(message="", recipient=None, valid=False, problem="malformed")
    day_bytes, mac, raw_key = data[:2], data[2 : 2 + _MAC_LEN], data[2 + _MAC_LEN :]
    key = raw_key.decode("utf-8", "replace")
    keys = [secret] if isinstance(secret, bytes) else [k for k in secret or () if k]
    if not keys:
        return VerpInfo(message=key, recipient=None, valid=False, problem="no secret to check the signature")
    if not any(hmac.compare_digest(mac, _mac(k, day_bytes, raw_key)) for k in keys):
        return VerpInfo(message=key, recipient=None, valid=False, problem="forged")
    age = (today() if now_day is None else now_day) - int.from_bytes(day_bytes, "big")
    if age > max_age_days:
        return VerpInfo(message=key, recipient=None, valid=False, problem=f"expired ({age} days old)")
    if age < -1:
        return VerpInfo(message=key, recipient=None, valid=False, problem="dated in the future")
    return VerpInfo(message=key, recipient=None, valid=True)
