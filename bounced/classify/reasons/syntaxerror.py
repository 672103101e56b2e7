"""`syntaxerror`: an SMTP command had a syntax error."""

from bounced.classify.reasons import phrases

NAME = "syntaxerror"
PHRASES = phrases(
    # RFC 5321 500-504
    r"syntax error",
    r"command (?:not )?(?:recognized|unrecognized|implemented)",
    # Google: "502 5.5.1 Unimplemented command."; "504 5.7.4 Unrecognized authentication type."
    r"(?:unrecognized|unimplemented) command",
    r"unrecognized authentication type",
    r"(?:bad|improper) sequence of commands",
    # out of sequence: Google "503 5.5.1 EHLO/HELO first.", "503 5.5.1 MAIL first.", "503 5.5.1 RCPT first.";
    # Postfix "503 5.5.1 Error: send HELO/EHLO first", "need MAIL command", "need RCPT command";
    # Exchange "503 5.5.2 Send hello first"
    r"(?:hello|helo|ehlo|ehlo/helo|helo/ehlo) first",
    r"(?<![\w-])(?:mail|rcpt) first",
    r"need (?:mail|rcpt) (?:command|before)",
    # Exchange: "501 5.5.4 HELO / EHLO requires domain address"
    r"(?:helo|ehlo) / (?:helo|ehlo) requires domain address",
    # Google: "503 5.7.0 No identity changes permitted.", "504 5.7.4 Optional argument not permitted for that AUTH mode.",
    # "554 5.7.0 STARTTLS may not be repeated.", "SMTP protocol violation, no commands allowed to pipeline after
    # STARTTLS", "421 4.7.0 Too many unauthenticated commands."
    r"no identity changes permitted",
    r"argument not permitted for that auth mode",
    r"starttls may not be repeated",
    r"protocol (?:violation|error)",
    # Exim: "SMTP synchronization error" (a client that spoke before its turn)
    r"synchroni[sz]ation error",
    r"too many unauthenticated commands",
    r"parameter not implemented",
    r"(?:invalid|unknown) command",
    # Exim's address parser (501): "malformed address: <x> may not follow <y>", "angle-brackets nested too deep",
    # "domain missing in source-routed address", "expected word or \"<\""; QQ: "501 Bad address syntax"
    r"malformed address:",
    r"angle-brackets nested too deep",
    r"domain missing in source-routed address",
    r"expected word or \"<\"",
    r"bad (?:recipient |sender )?address syntax",
)
# (not X.5.0: Sendmail puts 5.5.0 on any 5xx reply without its own code, spec rule 4)
STATUSES = frozenset({"5.5.1", "5.5.2", "5.5.4", "5.5.5", "4.5.1", "4.5.2", "4.5.4"})
REPLY_CODES = frozenset({500, 501, 502, 503, 504})
