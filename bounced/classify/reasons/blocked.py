"""`blocked`: the sending IP is refused: blocklist, no reverse DNS match, reputation block at connect."""

from bounced.classify.reasons import phrases

NAME = "blocked"
PHRASES = phrases(
    # Postfix: "Client host [192.0.2.1] blocked using zen.spamhaus.org"; "Client host rejected: ..."
    r"blocked using",
    r"client host (?:\[[^\]]*\] )?(?:is )?(?:blocked|rejected|refused|blacklisted)",
    r"\b(?:dnsbl|rbl|spamhaus|spamcop|sorbs|barracudacentral|abuseat)\b",
    r"\bip(?: address)?\b[^.;]{0,60}?\b(?:black ?listed|block ?listed|listed|blocked|banned|black ?list|block ?list)\b",
    r"(?:your|sending|source|sender'?s?) (?:ip|network|server|host)\b[^.;]{0,40}?(?:blocked|banned|listed|not allowed|refused|rejected)",
    r"banned sending ip",
    r"not currently accepting mail from your ip",
    r"connections? (?:will )?not (?:be )?accepted from",
    r"on (?:our|a|the) (?:block|black) ?list",
    r"in (?:a|our) black ?list",
    r"(?:dynamic|residential|dial-?up)(?:/\w+)* ips?\b",
    r"hosts? with dynamic ip",
    r"please use the smtp server of your isp",
    r"too many spams from your ip",
    r"(?:you are|currently) sending spam",
    r"looks suspiciously like spammer",
    r"rejecting open proxy",
    r"helo command rejected",
    r"not allowed to connect",
    r"host network not allowed",
    # Office 365 5.7.708: "Access denied, traffic not accepted from this IP"; Gmail: "The IP you're using
    # to send mail is not authorized to send email directly to our servers"; Proofpoint: "Blocked - see
    # https://support.proofpoint.com/dnsbl-lookup.cgi"; iCloud: "ESMTP not accepting connections"
    r"traffic not accepted from this ip",
    r"not authorized to send e-?mail directly to our servers",
    r"\bblocked - see\b",
    r"esmtp not accepting connections",
    r"suspected spam ip",
    r"temporarily deferred due to user complaints",
    r"blocked for spamming",
    r"bloquee pour incident de spam",
    # Outlook.com SC-001/SC-004: "Unfortunately, messages from x weren't sent. ... too many unwanted
    # messages have been sent from the following IP address above."
    r"messages from \S+ weren'?t sent",
    r"too many unwanted messages have been sent from",
    r"aup#(?:\w+-)?\w*bl\b",
)
STATUSES: frozenset[str] = frozenset()
REPLY_CODES: frozenset[int] = frozenset()
