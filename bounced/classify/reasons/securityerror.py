"""`securityerror`: a security requirement was not met: authentication required (TLS is failedstarttls)."""

from bounced.classify.reasons import phrases

NAME = "securityerror"
PHRASES = phrases(
    # RFC 4954 530 "5.7.0 Authentication required"; Exchange RESOLVER.RST.AuthRequired
    r"authentication (?:is )?required",
    r"must (?:first )?authenticate",
    r"authentication (?:credentials )?invalid",
    r"incorrect authentication data",
    r"smtp auth(?:entication)? (?:is )?required",
    r"unauthenticated senders? (?:are )?not allowed",
    r"user not authenticated",
    r"client was not authenticated",
    # Office 365 5.7.57: "Client not authenticated to send anonymous mail during MAIL FROM"
    r"not authenticated to send anonymous mail",
    r"authentication mechanism is too weak",
    # Postfix smtp client: "SASL authentication failed; server x said: 535 5.7.8 Error: authentication
    # failed"; OpenSMTPD: "Could not retrieve credentials"; Gmail 534/535 5.7.9, 5.7.8
    r"(?:sasl|smtp|error:|5\.7\.8|535) authentication fail(?:ed|ure)",
    r"authentication failed; server",
    r"could not retrieve credentials",
    r"application-specific password required",
    r"username and password not accepted",
    # a login refused: "535 5.7.8 Invalid user or password", "Username or password is incorrect"
    r"(?:invalid|incorrect|bad|wrong) (?:user ?(?:name)?|login)(?: name)? (?:or|and|/) password",
    r"(?:user ?name|login) (?:or|and|/) password (?:is |are )?(?:incorrect|invalid|wrong|not accepted)",
    r"please log in (?:via|with) your web browser",
    r"invalid credentials for relay",
    # MessageLabs "Please turn on SMTP Authentication in your mail client"; Orange "Authentification
    # requise", "Codes d'authentification invalides"; Exchange "Cannot achieve Exchange Server authentication"
    r"turn on smtp authentication",
    r"authentication turned on in your (?:e-?)?mail client",
    r"authentification requise",
    r"codes d'authentification invalide",
    r"cannot achieve exchange server authentication",
    # Amazon SES: "User x is not authorized to perform ses:SendRawEmail", "Account not subscribed to SES"
    r"not authorized to perform ses:",
    r"not subscribed to ses",
)
# RFC 3463 / RFC 5248 when no words say more: X.7.0 other security, X.7.1 delivery not authorized, X.7.3
# conversion required, X.7.4-X.7.7 security features, cryptography, integrity, X.7.8 credentials invalid,
# X.7.9 mechanism too weak, X.7.11 encryption required for the mechanism, X.7.12 password transition,
# X.7.14 trust relationship required, X.7.15/16 priority
STATUSES = frozenset({
    "5.7.0", "5.7.1", "5.7.3", "5.7.4", "5.7.5", "5.7.6", "5.7.7", "5.7.8", "5.7.9", "5.7.11", "5.7.12",
    "5.7.14", "5.7.15", "5.7.16",
})
REPLY_CODES = frozenset({530, 535, 538})
