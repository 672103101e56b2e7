"""`systemerror`: a fault in the receiving system."""

from bounced.classify.reasons import phrases

NAME = "systemerror"
PHRASES = phrases(
    # amavisd-new could not hand the checked message back to its MTA
    r"unable to relay message back to",
    r"internal (?:server |system )?error",
    r"temporary server error",
    # Google: "451 4.3.0 Temporary System Problem.  Try again later"; "454 4.7.0 Cannot authenticate due to temporary system problem"
    r"temporary system problem",
    # Google: "451 4.3.0 Mail server temporarily rejected message."
    r"mail server temporarily rejected message",
    r"internal resources are temporarily unavailable",
    # Exchange Online: "451 4.7.500 Server busy. Please try again later from [192.0.2.2]", "PFA agent busy";
    # Google: "421 4.3.0 Server busy"
    r"(?:server|system|agent) (?:is )?(?:too |currently )?busy",
    r"system error",
    r"local error in processing",
    r"temporary local problem",
    r"i/o error",
    # Sendmail: "interrupted system call"; Postfix: "451 4.3.0 Error: queue file write error"
    r"interrupted system call",
    r"queue file write error",
    # Sendmail local mailer: "Can't create user output file"
    r"can'?t create (?:user )?output file",
    r"service (?:is )?(?:currently |temporarily )?(?:unavailable|not available|not active)",
    r"mail system (?:error|failure)",
    r"unable to contact ldap server",
    # Postfix: "451 4.3.0 <x>: Temporary lookup failure" (a lookup table, proxymap or SQL, did not answer)
    r"temporary lookup failure",
    r"ldap (?:error|lookup failed)",
    # qmail-ldap: "Temporary failure in LDAP lookup", "Timeout while performing search on LDAP server",
    # "Unable to login into LDAP server, bad credentials", "Illegal value in LDAP attribute",
    # "LDAP attribute is not given but mandatory", "Too many results returned but needs to be unique"
    r"(?:temporary failure in|timeout while performing search on|unable to login into) ldap",
    r"(?:illegal value in ldap attribute|ldap attribute is not given)",
    r"too many results returned but needs to be unique",
    # qmail-ldap: "Temporary error in automatic homedir creation", "Automatic homedir creator crashed",
    # "Temporary error while executing qmail-forward"
    r"automatic homedir creat",
    r"error while executing qmail-",
    r"insufficient system resources?",
    # Exchange Online: "Message failed to be replicated: no healthy secondary server available ..."
    r"message failed to be replicated",
    r"misconfigur",
    r"incorrectly configured",
    r"(?:system )?config(?:uration)? error",
    # Courier: "This domain's DNS violates RFC 1035."
    r"dns violates rfc ?1035",
    # Exchange: "550 5.1.4 Destination mailbox address ambiguous"; Domino: "Several matches found in Domino Directory"
    r"(?:mailbox )?address ambiguous",
    r"several matches found in (?:the )?domino directory",
    # Exchange: "550 5.3.0 Mailing list expansion problem", "could not load DRD for domain"
    r"(?:mailing )?list expansion problem",
    r"could not load drd for domain",
    # Exchange Online 5.3.190: "Journaling on-premises messages to Microsoft 365 ... not supported when journaling archive is disabled"
    r"journaling archive is disabled",
    r"it encountered an error while being processed",
    r"timeout waiting for input",
    # Exim: "local delivery failed", "delivery to pipe forbidden", "LMTP error after RCPT TO:<x>: ..."
    r"local delivery failed",
    r"delivery to (?:pipe|file) forbidden",
    r"lmtp error after",
    # amavisd-new: "Rejected by next-hop MTA on relaying", "Temporary MTA failure on relaying"
    r"(?:rejected by next-hop mta|temporary mta failure) on relaying",
    # Mimecast: "451 Unable to process an email at this time", "Unable to process command", "Message ended early"
    r"unable to process (?:an? |the |your )?(?:e-?mail|message|command|connection)",
    r"message ended early",
)
STATUSES = frozenset({"4.3.0", "5.3.0", "4.3.5", "5.3.5", "4.3.3", "5.3.3", "5.3.2"})
REPLY_CODES = frozenset({421, 451})
