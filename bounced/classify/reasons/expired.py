"""`expired`: the sending MTA gave up after retrying."""

from bounced.classify.reasons import phrases

NAME = "expired"
PHRASES = phrases(
    r"delivery time expired",
    r"(?:message|delivery) expired",
    # OpenSMTPD: "Envelope expired"
    r"envelope expired",
    r"(?:has been|was) in the queue too long",
    r"retry time(?:out)? (?:exceeded|not reached)",
    r"have been failing for a long time",
    r"giving up\b",
    # a plain-text DSN: "Delivery to the following recipients was aborted after 5.0 hour(s)"
    r"aborted after \d+(?:\.\d+)? hours?",
    r"could not deliver for the last \d+",
    r"unable to deliver message after multiple retries",
    r"could not be delivered (?:for|within) (?:more than|\d+)",
    r"(?:was|has) not been delivered (?:for|within)",
    r"was not delivered within",
    r"was not reachable within the allowed queue period",
    r"delivery (?:period|time) (?:has )?(?:expired|exceeded)",
    r"message timed out",
    r"delivery failed \d+ attempts",
    # delay notices: Gmail "Delivery to the following recipient has been delayed"; Exchange "4.4.7 Message
    # delayed"; Sendmail/Exchange "Delivery attempts will continue to be made for ..."; Exim "No action is
    # required on your part. Delivery attempts will continue for some time"
    r"has been delayed",
    r"message (?:has been )?delayed",
    r"delivery attempts will continue",
    r"no action is required on your part",
    # a duration: "message is older than 5 days", "maximum time in queue exceeded", "expired after 5 days",
    # "no successful delivery within 48 hours", "queue lifetime exceeded"
    r"(?:message|it) is older than",
    r"(?:maximum|max) (?:time|age|lifetime) in (?:the )?queue",
    r"in the queue for (?:too long|more than)",
    r"(?:queue )?lifetime (?:exceeded|expired)",
    r"expired after \d+",
    r"no successful delivery (?:attempt )?(?:within|in) \d+",
    r"retry (?:period|timeout|time limit) (?:exceeded|expired)",
    # GoDaddy: "Delivery timeout"
    r"delivery timeout",
    # mail held for collection (ETRN/ODMR): "it has not been collected after 5 days"
    r"has not been collected after",
    # Sendmail: "Cannot send message for 5 days", "Warning: could not send message for past 4 hours"
    r"(?:cannot|could not) send message for (?:past )?\d+",
)
STATUSES = frozenset({"4.4.7", "5.4.7", "4.4.1"})
REPLY_CODES: frozenset[int] = frozenset()
