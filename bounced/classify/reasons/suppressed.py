"""`suppressed`: a relay refused because the address is on its own suppression list (Sisimai 5.2).

Hard: that relay will never deliver to the address. Only an explicit suppression-list wording says
so; a generic block does not."""

from bounced.classify.reasons import phrases

NAME = "suppressed"
PHRASES = phrases(
    # Amazon SES, Postmark, SparkPost, Mailgun, SendGrid: "Address is on the suppression list",
    # "The recipient is on the account-level suppression list", "recipient is in the suppression list"
    r"(?:is |was )?(?:on|in) (?:the |our |your |an? )?(?:account-level |global |sender's )?suppression list",
    r"address (?:is )?suppressed\b",
    r"recipient (?:address )?(?:is |has been )?suppressed\b",
    r"previously (?:bounced|hard[- ]bounced) address",
)
STATUSES: frozenset[str] = frozenset()
REPLY_CODES: frozenset[int] = frozenset()
