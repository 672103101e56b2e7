"""`toomanyconn`: too many connections or recipients."""

from bounced.classify.reasons import phrases

NAME = "toomanyconn"
PHRASES = phrases(
    r"too many (?:(?:open|concurrent|simultaneous|parallel|smtp) )*(?:connections|sessions)",
    r"connection (?:rate )?limit (?:exceeded|reached)",
    # SendGrid: "all available IPs are at maximum connection limit"; "exceeds per-domain connection limit for ..."
    r"(?:at|reached) (?:the )?maximum connection limit",
    r"per-(?:domain|ip|host) connection limit",
    # Free.fr: "421 Too many errors from your IP"; Orange/Wanadoo: "421 Trop de connexions, ..."
    r"too many errors from your ip",
    r"trop de connexions",
    # Exchange Online: "432 4.3.2 STOREDRV.Deliver; recipient thread limit exceeded"; Mimecast: "Exceeding outbound thread limit"
    r"(?:recipient|outbound) thread limit",
    # QQ Mail: "550 Connection frequency limited", "Ip frequency limited"
    r"(?:connection|ip|domain|sender) frequency limited",
    r"connection rate limited",
    # RFC 5321 452 "4.5.3 Too many recipients" (not a per-hour rate: that is speeding)
    r"too many (?:recipients|rcpts?)(?! (?:this|per|in the last) (?:hour|day|minute))",
    r"(?:recipient|rcpt) (?:limit|count) (?:exceeded|reached)",
    r"(?:max|maximum) (?:number of )?(?:connections|recipients) (?:exceeded|reached)",
    r"number of (?:concurrent )?connections (?:exceeded|reached)",
    r"too many messages in this connection",
    # Google: "451 4.3.0 Multiple destination domains per transaction is unsupported."
    r"multiple destination domains per transaction",
)
STATUSES = frozenset({"4.3.2", "4.5.3", "5.5.3"})
REPLY_CODES: frozenset[int] = frozenset()
