"""The forged-token surge: when most signed VERP tokens at RCPT fail their signature, the secret is wrong, not the mail.

One forged token now and then is a forger, and RCPT refuses it.  When the share of failures over the
last ``window`` signed tokens passes ``percent``, the likelier cause is ours: a service started with
the wrong secret, or a rotation without ``verp_previous_secret_file``.  Refusing then would lose every
real bounce, so the listener accepts them; they are stored and recorded as forged (never counted),
and ``bounced reprocess --all`` correlates them once the secret is fixed.
"""

from __future__ import annotations

from collections import deque


class ForgedSurge:
    def __init__(self, percent: int, window: int) -> None:
        self.percent = percent
        self.recent: deque[bool] = deque(maxlen=window)  # True: the token failed its signature
        self.active = False

    def see(self, forged: bool) -> bool:
        """Record one signed token; True when failures now make up more than ``percent`` of the window."""
        self.recent.append(forged)
        self.active = 100 * sum(self.recent) > self.percent * len(self.recent)
        return self.active
