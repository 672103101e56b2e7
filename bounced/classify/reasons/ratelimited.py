"""`ratelimited`: too many connections, recipients or messages: rate limits of any kind (Sisimai 5.6 merged toomanyconn and speeding)."""

from bounced.classify.reasons import phrases

NAME = "ratelimited"
PHRASES = phrases(
    # too many connections or recipients at once (formerly toomanyconn)
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
    # RFC 5321 452 "4.5.3 Too many recipients" (not a per-hour rate)
    r"too many (?:recipients|rcpts?)(?! (?:this|per|in the last) (?:hour|day|minute))",
    r"(?:recipient|rcpt) (?:limit|count) (?:exceeded|reached)",
    r"(?:max|maximum) (?:number of )?(?:connections|recipients) (?:exceeded|reached)",
    r"number of (?:concurrent )?connections (?:exceeded|reached)",
    r"too many messages in this connection",
    # Google: "451 4.3.0 Multiple destination domains per transaction is unsupported."
    r"multiple destination domains per transaction",
    # the sender was rate limited (formerly speeding)
    # Exchange Online: "550 5.7.1 Submission quota exceeded" (the sender's own sending limit)
    r"submission ?quota ?exceeded",
    r"rate[ -]?limit(?:ed|ing)?\b",
    # Gmail: "The user you are trying to contact is receiving mail at a rate that prevents additional
    # messages from being delivered"; "... receiving mail too quickly"
    r"receiving mail (?:at a rate|too quickly)",
    r"(?:sending|message|delivery|receiving) rate (?:limit|exceeded)",
    r"too many (?:messages|e-?mails|mails) (?:from|sent|in the last|per|this)",
    r"too many recipients (?:this|per|in the last) (?:hour|day|minute)",
    r"(?:exceeded|reached) (?:the |your )?(?:sending|message|hourly|daily) (?:limit|quota|rate)",
    r"(?:hourly|daily) (?:sending |message )?(?:limit|quota) (?:exceeded|reached)",
    # Gmail 4.7.28: "Our system has detected an unusual rate of unsolicited mail originating from your IP"
    r"unusual rate of unsolicited mail",
    # Gmail: "550 5.4.5 Daily user sending quota exceeded"
    r"sending (?:quota|limit) (?:exceeded|reached)",
    # Google Workspace: "550 5.4.5 Daily SMTP relay limit exceeded for user", "450 4.2.1 Peak SMTP relay limit exceeded"
    r"smtp relay limit exceeded",
    # Exchange Online 5.2.121/5.2.122: "Recipient's per hour message receive limit (from specific sender) exceeded",
    # "The recipient has exceeded their limit for the number of messages they can receive per hour";
    # 5.7.508: "Access denied, [192.0.2.1] has exceeded permitted limits within 2001:db8::/48 range"
    r"per (?:hour|day|minute) message (?:receive|send) limit",
    r"recipient has exceeded their limit for",
    r"has exceeded permitted limits within",
    # Exchange Online 5.7.705: "Access denied, tenant has exceeded threshold"
    r"tenant has exceeded threshold",
    # "has exceeded the max emails per hour"; Cox: "421 Message threshold exceeded"
    r"max(?:imum)? (?:number of )?(?:e-?mails|messages) per (?:hour|day|minute)",
    r"message threshold exceeded",
    r"throttl",
    # Gmail: "454-4.7.0 Too many login attempts, please try again later."
    r"too many login attempts",
    r"slow down",
    r"too fast",
)
# (and Exchange Online 5.7.508 "has exceeded permitted limits", 5.7.705 "tenant has exceeded threshold")
STATUSES = frozenset({"4.3.2", "4.5.3", "4.7.28", "5.5.3", "5.7.28", "5.7.508", "5.7.705"})
REPLY_CODES: frozenset[int] = frozenset()
