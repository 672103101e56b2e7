"""`networkerror`: DNS failure, routing loop, too many hops, connection refused."""

from bounced.classify.reasons import phrases

NAME = "networkerror"
# A host that did not answer, refused the connection or could not be reached. In a failed report
# with a 4.x.x code (or a bare 5.0.0, as Courier and Exim give up) the sending MTA retried until it
# gave up on it, so the classifier reads these as expired there
# (RFC 3463 X.4.1 "no answer from host"; Postfix's "connect to ...: Connection refused" at the end
# of its queue lifetime).
NO_ANSWER = phrases(
    r"connection timed out",
    r"connection refused",
    r"timed out while",
    # Gmail: "The recipient server did not accept our requests to connect. ... [mx.example.org 192.0.2.1: timed out]"
    # tried from the first "[" of a word only: from every "[" of "[[[[..." the "\S+" ran to the word's end
    r"(?<!\S)[^\s\[]*\[\S+ [\d.:a-f]+: timed out\]",
    r"server did not respond",
    # Gmail: "The recipient server did not accept our requests to connect."
    r"did not accept our requests to connect",
    # Google: "451 4.4.2 Timeout - closing connection."
    r"timeout - closing connection",
    # Haraka, after its retries: "Error: Too many failures (Tried all MXs)"
    r"tried all mxs",
    # the connection could not even be tried: Courier's last attempt "Network is down"
    r"no route to host",
    r"(?:network|host) (?:is )?(?:unreachable|down)",
    # Zoho: "421 Host not reachable."
    r"host not reachable",
)
PHRASES = phrases(
    *NO_ANSWER.alternatives,
    r"(?:connection|connect) (?:reset|lost|closed|failed)",
    r"(?:lost|dropped) connection",
    r"connection (?:was )?dropped",
    r"(?:could not|couldn'?t|unable to|wasn'?t able to) (?:connect|establish an smtp connection)",
    r"too many hops",
    r"\bloop detected",
    # Lotus Notes: "Message has exceeded maximum hop count"
    r"exceeded (?:the )?maximum hop count",
    r"network error on destination",
    r"connection died",
    r"hop count exceeded",
    r"too many \"?received:?\"? headers",
    r"mail (?:forwarding )?loop",
    # Sendmail: "aliasing/forwarding loop broken"; "maximum forwarding loop count exceeded"
    r"(?:aliasing/)?forwarding loop (?:broken|count exceeded)",
    r"loops back to myself",
    r"loop was found in the mail exchanger",
    # qmail: "Sorry. Although I'm listed as a best-preference MX or A for that host, it isn't in my control/locals file"
    r"listed as a best-preference mx",
    # fml (mailing lists): "Loop Alert: ...", "Loop Back Warning: ...", "WARNING: UNIX FROM Loop",
    # "fml <x> has detected a loop condition so that", "Duplicated Message-ID"
    r"loop (?:alert|back warning):",
    r"unix from loop",
    r"has detected a loop condition",
    r"duplicated message-id",
    r"routing loop",
    r"message (?:is )?looping",
    r"malformed (?:or unexpected )?name server reply",
    r"name server (?:error|failure|timeout)",
    r"dns (?:error|failure|query failed|lookup failed|problem|timeout)",
    # (not Postfix's "451 4.3.0 <x>: Temporary lookup failure": a table lookup, systemerror)
    r"temporary (?:dns|name) (?:error|failure)",
    r"host not found, try again",
    # Sendmail: "Host name lookup failure"
    r"host name lookup failure",
    r"unable to resolve",
    # OpenSMTPD: "Temporary failure in MX lookup", "bad DNS lookup error code", "No MX found for domain",
    # "No MX found for destination", "No valid route to remote MX", "All routes to destination blocked",
    # "Address family mismatch on destination MXs", "Could not retrieve source address"
    r"temporary failure in mx lookup",
    r"bad dns lookup error code",
    r"no valid route to (?:destination|remote mx)",
    r"all routes to destination blocked",
    r"address family mismatch on destination mx",
    r"could not retrieve source address",
)
STATUSES = frozenset({
    "4.4.2", "4.4.3", "4.4.4", "4.4.5", "4.4.6", "4.4.8",
    "5.4.0", "5.4.1", "5.4.2", "5.4.3", "5.4.4", "5.4.5", "5.4.6", "5.4.8",
})
REPLY_CODES: frozenset[int] = frozenset()
