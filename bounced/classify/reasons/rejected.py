"""`rejected`: the sender (envelope from or its domain) is refused."""

from bounced.classify.reasons import phrases

NAME = "rejected"
PHRASES = phrases(
    # Postfix: "Sender address rejected: Domain not found"; Exim: "sender verify failed",
    # "Unroutable sender address"; qmail: "Connected to ... but sender was rejected"
    r"sender (?:address |e-?mail address |domain )?(?:was |is |has been )?(?:rejected|refused|denied|invalid|not valid|not allowed|blacklisted|blocked)",
    r"rejected sender",
    r"sender verify failed",
    r"unroute?able sender (?:address|domain)",
    r"domain of sender address \S+ does not exist",
    r"sender domain (?:must exist|must resolve|is empty|does not exist|not found|unknown)",
    r"(?:sender|from) (?:address|domain) (?:does not|doesn'?t) (?:exist|resolve)",
    r"invalid sender",
    r"bogus mail from",
    r"null sender is not allowed",
    r"empty (?:envelope )?senders? (?:is |are )?not allowed",
    r"returned mail not accepted here",
    r"mail from not owned by user",
    r"fully qualified e-?mail address required",
    r"(?:your|the) (?:e-?mail )?address (?:that )?has been (?:blacklisted|blocked)",
    r"sending to/from an address that has been blacklisted",
    r"mailfrom domain is listed",
    r"emetteur invalide",
    r"sender not pre-approved",
    r"can'?t determine purported responsible address",
    # BATV and backscatter filters refusing a bounce to an unsigned sender: "Recipient not accepted.
    # (BATV: no tag)", "The message has been rejected by BATV defense", "No third-party DSNs"
    r"batv (?:failed to verify|validation failure|defense)",
    r"\(batv: no tag",
    r"backscatter protection detected",
    r"no third-party dsns",
    r"unsigned dsn for",
    r"is not a registered gateway user",
    # RFC 7505 section 4.2: "550 5.7.27 Sender address has null MX"
    r"sender address has null mx",
    # Mimecast: "Message temporarily deferred due to unresolvable RFC.5321 from address"
    r"unresolvable rfc\.?5321 from address",
    # Google Groups: "you may not have permission to post messages to the group" (and in Japanese,
    # French); Gmail: "You're sending this from a different address or alias using the 'Send mail as'
    # feature. The settings for your 'Send mail as' account are misconfigured"
    r"(?:may )?not have permission to post",
    r"投稿する権限がない",
    r"pas autorisé à lui envoyer des messages",
    r"sending this from a different address or alias",
    r"administrative prohibition",
    r"you are not allowed to post to this (?:group|mailing list)",
    r"(?:you are )?not a member of this (?:mailing )?list",
    # Mailman "Post by non-member to a members-only list"; Google Groups "The email address used to send
    # your message is not subscribed to this group"; fml "NOT MEMBER article from x", "reject spammers:"
    r"non-member to a members-only list",
    r"closed mailing list",
    r"used to send your message is not subscribed to this group",
    r"not member article from",
    r"reject spammers:",
    # Exchange / Office 365: "Email address is on SenderFilterConfig list", "Unknown sender address",
    # "Access denied, bad outbound sender", "Client blocked from sending from unregistered domains"
    r"senderfilterconfig",
    r"unknown sender address",
    r"bad outbound sender",
    r"sending from unregistered domains",
    # Mimecast: "Envelope blocked - User Entry", "Envelope rejected - Block policy for envelope from
    # address", "Rejected by header-based Blocked Senders - Block policy for Header From"
    r"envelope blocked [–-] user (?:domain )?entry",
    r"block policy for (?:envelope|header) from",
    r"header-based (?:manually )?blocked senders",
    # Amazon SES "Message rejected: Email address is not verified"; Secumail, Sisimai's table
    r"email address is not verified",
    r"denied by secumail valid-address-filter",
    r"denied \[bouncedeny\]",
    r"sender is in my black ?list",
    r"sender is (?:on|in) (?:the |my |our )?(?:sender )?(?:black|block) ?list",
    r"sender is (?:a )?spammer\b",
    r"the (?:e-?mail|domain) \S+ is (?:black|block)listed",
    r"from: domain is invalid",
    r"(?:invalid|unknown|bad|non-?existent) domain in (?:the )?(?:from:? header|header from)",
    r"recursive cname records for",
    # Exchange: "554 5.2.252 SendAsDenied; x not allowed to send as y"
    r"sendasdenied",
    r"not allowed to send as\b",
)
# and Exchange Online 5.7.750 "Client blocked from sending from unregistered domains"
STATUSES = frozenset({"5.1.8", "4.1.8", "5.1.7", "4.1.7", "5.7.27", "5.7.750"})
REPLY_CODES: frozenset[int] = frozenset()
