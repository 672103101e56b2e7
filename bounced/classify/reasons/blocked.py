"""`blocked`: the sending IP is refused: blocklist, no reverse DNS match, reputation block at connect."""

from bounced.classify.reasons import phrases

NAME = "blocked"
PHRASES = phrases(
    # Postfix: "Client host [192.0.2.1] blocked using zen.spamhaus.org"; "Client host rejected: ..."
    r"blocked using",
    r"client host (?:\[[^\]]*\] )?(?:is )?(?:blocked|rejected|refused|blacklisted)",
    r"\b(?:dnsbl|rbl|drbl|spamhaus|spamcop|sorbs|barracudacentral|abuseat|dsbl)s?\b",
    # the sending host suspected of being an open relay: Yahoo "[TSS11] Excessive unknown recipients -
    # possible Open Relay", "we do not accept mail from open relays"
    # (not "we are not an open relay", a relay refusal)
    r"(?<!not an )\bopen relays?\b",
    # AOL's postmaster codes for its IP blocks: "554 5.7.1 : (RLY:B1) http://postmaster.info.aol.com/errors/554rlyb1.html",
    # "521 5.2.1 : (DYN:T1)" (a dynamic IP), "(CON:B1)"
    r"\((?:rly|dyn|con|dnsbl):[a-z]{1,3}\d?\)",
    # Comcast: "... Comcast block for spam. Please see http://postmaster.comcast.net/smtp-error-codes.php#BL000000"
    r"smtp-error-codes\.php#bl\d",
    # Trend Micro's Email Reputation Service is an IP blocklist: "550 5.7.1 Blocked by Trend Micro Email
    # Reputation Service. Please see http://www.mail-abuse.com/cgi-bin/lookup?ip_address=x"
    r"e-?mail reputation service",
    r"is in an \S*rbl\b",
    r"\bip(?: address)?(?: \[?\d{1,3}(?:\.\d{1,3}){3}\]?)?\b[^.;]{0,60}?\b(?:black ?listed|block ?listed|listed|blocked|banned|black ?list|block ?list)\b",
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
    # Office 365 "Access denied, bad HELO"; Gmail "421 4.7.0 HELO/EHLO argument is invalid"
    r"helo command rejected",
    r"access denied, bad helo",
    r"helo/ehlo argument is invalid",
    # the HELO name refused, in any server's words: cPanel's Exim "550 Invalid HELO name (See RFC2821
    # 4.1.1.1)", "Unknown domain in HELO", "HELO hostname x not found", "Host x not found in DNS (HELO)"
    r"\b(?:helo|ehlo)(?: command| name| hostname| host| domain| argument)?(?: \S+)? (?:is )?(?:invalid|not found|unknown|does not exist|not valid|rejected)\b",
    r"(?:invalid|unknown|bad|illegal|non-?existent) (?:domain|host ?name|name|host)(?: name)? in (?:the )?(?:helo|ehlo)\b",
    r"(?:invalid|bad|illegal|forged) (?:helo|ehlo)\b",
    r"\((?:helo|ehlo)\)",
    r"not allowed to connect",
    # Office 365 5.7.708: "Access denied, traffic not accepted from this IP"; Gmail: "The IP you're using
    # to send mail is not authorized to send email directly to our servers"; Proofpoint: "Blocked - see
    # https://support.proofpoint.com/dnsbl-lookup.cgi"; iCloud: "ESMTP not accepting connections"
    r"traffic not accepted from this ip",
    r"not authorized to send e-?mail directly to our servers",
    r"\bblocked - see\b",
    r"\brefused - see https?://",
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
    # qmail: "Remote host said: 550 Blocked"; "Host x refused to talk to me: 553 Blocked"
    r"said: 5\d\d blocked\b",
    r"refused to talk to me: \d{3}[ -]blocked\b",
    r"\([^ ()]+@[^ ()]+:blocked\)",
    # wordings of Sisimai's Reason::Blocked table (ISPs' IP refusals)
    r"\bbad (?:sender )?ip (?:address|profile)\b",
    r"invalid ip for sending mail",
    r"mail server at \S+ is blocked",
    r"mail from \d{1,3}(?:\.\d{1,3}){3} (?:refused|rejected)",
    r"rejected based on (?:a )?blacklist",
    r"no access from mail server",
    r"server access (?:\S+ )?forbidden by your ip",
    r"unverif(?:i|y)able sending ips?",
    r"sending mta or the sender has not passed validation",
    r"confirm this mail server",
    r"your server requires confirmation",
    # Cox: "DNS check failure - try again later", "cox too many bad commands from"
    r"dns (?:check|lookup) failure(?::| -) (?:\S+ )?try again later",
    r"too many bad commands from",
    # Orange/Wanadoo: "Veuillez essayer plus tard. Service refused, please try later. OFR_103"
    r"service refused, please try later",
    # AT&T: "Blocked for abuse. See http://att.net/blocks"
    r"att\.net/blocks",
    # Exchange: "Your access to submit messages to this e-mail system has been rejected"; Office 365
    # 5.7.51 "RestrictDomainsToIPAddresses or RestrictDomainsToCertificate", "... using customer block list";
    # Google Workspace: "IP not in whitelist for RCPT domain, closing connection"
    r"access to submit messages to this e-?mail system has been rejected",
    r"restrictdomainstoipaddresses",
    # Office 365 5.7.511 "Access denied, banned sender[192.0.2.1]": the sending IP is banned
    r"access denied, banned sender",
    r"customer block list",
    r"ip not in whitelist",
    # Exchange Online: "Service does not accept email over IPv6"
    r"accept e-?mail over ipv6",
)
# Exchange Online's codes for a refused sending host: 5.7.510 "does not accept email over IPv6", 5.7.511
# "banned sender" (an IP), 5.7.606-5.7.649 "banned sending IP", 5.7.708 "traffic not accepted from this IP"
STATUSES = frozenset({"5.7.510", "5.7.511", "5.7.708", *(f"5.7.{n}" for n in range(606, 650))})
REPLY_CODES: frozenset[int] = frozenset()
