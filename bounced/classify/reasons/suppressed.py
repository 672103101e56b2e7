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
    r"recipient (?:address )?(?:is |was |has been )?suppressed\b",
    # Mailgun: "Not delivering to previously bounced address", "... to unsubscribed address", "... to a
    # user who marked your messages as spam" (its complaint list: it will never deliver either)
    r"not delivering to (?:a )?(?:previously bounced|unsubscribed|user who marked)",
    r"previously (?:bounced|hard[- ]bounced) address",
    # Amazon SES: "Amazon SES has suppressed sending to this address because it has a recent history of
    # bouncing as an invalid address"; Postmark: "You tried to send to recipient(s) that have been marked
    # as inactive" (after a hard bounce or a complaint)
    r"suppressed sending to this address",
    r"recipients?(?:\(s\))? that (?:have|has) been marked as inactive",
)
STATUSES: frozenset[str] = frozenset()
REPLY_CODES: frozenset[int] = frozenset()
