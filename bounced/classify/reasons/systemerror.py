"""`systemerror`: a fault in the receiving system."""

from bounced.classify.reasons import phrases

NAME = "systemerror"
PHRASES = phrases(
    r"internal (?:server |system )?error",
    r"temporary server error",
    r"internal resources are temporarily unavailable",
    r"(?:server|system) (?:is )?too busy",
    r"system error",
    r"local error in processing",
    r"temporary local problem",
    r"i/o error",
    r"service (?:is )?(?:currently |temporarily )?(?:unavailable|not available)",
    r"mail system (?:error|failure)",
    r"unable to contact ldap server",
    r"ldap (?:error|lookup failed)",
    r"insufficient system resources",
    r"misconfigur",
    # Gmail as sender: "500 Remote server does not support TLS (state 6)."
    r"does not support tls",
    r"configuration error",
)
STATUSES = frozenset({"4.3.0", "5.3.0", "4.3.5", "5.3.5", "4.3.3", "5.3.3", "5.3.2"})
REPLY_CODES = frozenset({421, 451})
