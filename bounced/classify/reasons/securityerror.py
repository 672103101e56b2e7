"""`securityerror`: a security requirement was not met: authentication or TLS required."""

from bounced.classify.reasons import phrases

NAME = "securityerror"
PHRASES = phrases(
    # RFC 4954 530 "5.7.0 Authentication required"; Exchange RESOLVER.RST.AuthRequired
    r"authentication (?:is )?required",
    r"must (?:first )?authenticate",
    r"authentication (?:credentials )?invalid",
    r"incorrect authentication data",
    r"smtp auth(?:entication)? (?:is )?required",
    r"unauthenticated senders? (?:are )?not allowed",
    r"user not authenticated",
    r"client was not authenticated",
    # Office 365 5.7.57: "Client not authenticated to send anonymous mail during MAIL FROM"
    r"not authenticated to send anonymous mail",
    r"\b(?:starttls|tls|ssl|encryption)\b[^.;]{0,20}?(?:is )?(?:required|must be used)",
    r"must issue a starttls command first",
    r"certificate (?:verification|validation) failed",
    r"authentication mechanism is too weak",
)
STATUSES = frozenset({"5.7.8", "5.7.9", "5.7.10", "5.7.11", "5.7.14", "5.7.15", "5.7.16", "5.7.0", "5.7.4", "5.7.5"})
REPLY_CODES = frozenset({530, 535, 538})
