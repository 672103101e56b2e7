"""`failedstarttls`: TLS was required, or STARTTLS or the certificate check failed (Sisimai 5.2)."""

from bounced.classify.reasons import phrases

NAME = "failedstarttls"
PHRASES = phrases(
    r"\b(?:starttls|tls|ssl|encryption)\b[^.;]{0,20}?(?:is )?(?:required|must be used)",
    r"must issue a starttls command first",
    r"certificate (?:verification|validation) failed",
    # TLS demanded: Mimecast "This route requires encryption (TLS)", "... TLS version 1.2 or greater",
    # "... high-strength ciphers"; Office 365 outbound "starttls-not-supported: destination mail server
    # must support TLS", DANE/DNSSEC: "tlsa-invalid", "dnssec-invalid", "certificate-host-mismatch",
    # "certificate-expired"
    r"route requires (?:encryption|tls|high-strength ciphers)",
    r"must support tls",
    r"\b(?:tlsa|dnssec)-invalid\b",
    r"failed dane validation",
    r"certificate-(?:host-mismatch|expired)",
    r"configuration is invalid for this certificate",
    r"starttls (?:failed|failure|negotiation failed)",
    r"(?:tls|ssl) (?:handshake|negotiation) (?:failed|failure|error)",
    r"cannot start tls",
    r"tls (?:is )?not available",
    # the sender's TLS policy: Gmail "500 Remote server does not support TLS (state 6)", Postfix "TLS is
    # required, but was not offered by host", Exim "a TLS session is required, but the server did not offer TLS support"
    r"does not support (?:tls|starttls)",
    r"not offered by host",
    r"did not offer tls",
    r"(?:server )?certificate (?:not verified|not trusted|has expired|verify failed|name mismatch)",
    r"self[- ]signed certificate",
    r"unable to get local issuer certificate",
    r"no shared cipher",
)
# RFC 5248: X.7.10 encryption needed; RFC 3207 "454 TLS not available due to temporary reason"
# and RFC 8689 X.7.30 REQUIRETLS support required
STATUSES = frozenset({"5.7.10", "4.7.10", "5.7.30", "4.7.30"})
REPLY_CODES: frozenset[int] = frozenset()
