"""`notaccept`: the domain accepts no mail at all (null MX, RFC 7505)."""

from bounced.classify.reasons import phrases

NAME = "notaccept"
PHRASES = phrases(
    # RFC 7505 section 3: "556 5.1.10 Recipient address has null MX"; Gmail: "returned Null MX"
    r"null mx",
    # Sendmail on a null MX: "Name server: .: host not found"; Exim: "an MX or SRV record indicated no SMTP service"
    r"name server: \.: host not found",
    r"indicated no smtp service",
    # OpenSMTPD: "Destination seem to reject all mails"
    r"seems? to reject all mails?",
    # Mimecast: "Account inbounds disabled"
    r"account inbounds disabled",
    # only where nothing qualifies it (not "does not accept mail from you", "... without a valid PTR",
    # "... at this time", "... larger than 10 MB": a refusal of this mail or this sender, or a busy server)
    r"(?:does not|doesn'?t) accept (?:e-?)?mail(?=\s*(?:$|[.;,:)\]\[(]|according\b))",
    r"doesn'?t receive (?:e-?)?mail",
    r"does not receive (?:e-?)?mail",
    r"accepts no mail",
    r"mail receiving disabled",
    # RFC 3463 X.3.2 with 521: "System not accepting network messages"
    r"not accepting network messages",
    # qmail-remote: "Sorry, I couldn't find a mail exchanger or IP address. (#5.4.4)": the domain has MX
    # records but none leads to an address (a null MX "0 .", or MX hosts without A records)
    r"couldn'?t find a mail exchanger or ip address",
    # Yahoo: "No mx record found for domain=..."
    r"no mx record found for domain",
)
STATUSES = frozenset({"5.1.10", "4.1.10"})
# RFC 7504 556 "domain does not accept mail" (not a bare 521: servers also answer it to a refused client
# at connection, "521 go away", so alone it is weak, spec rule 7)
REPLY_CODES = frozenset({556})
