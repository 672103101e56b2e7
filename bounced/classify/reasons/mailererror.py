"""`mailererror`: the receiving mail program (a local delivery agent or pipe) failed."""

from bounced.classify.reasons import phrases

NAME = "mailererror"
PHRASES = phrases(
    r"(?:local )?mailer (?:error|failure)",
    r"exited with (?:status|exit code)",
    r"command (?:died|failed) with status",
    # a local delivery program that failed: "Command failed: /usr/bin/deliver ...", "... exit 75"
    r"(?<!smtp )command failed: ",
    r"\bexit \d+\b",
    r"command output:",
    r"pipe to \|",
    r"procmail",
    r"\bmaildrop:",
    r"bin/(?:procmail|maildrop)\b",
    # a pipe program whose script names a missing interpreter (qmail-local: "bad interpreter: No such file or directory")
    r"bad interpreter: no such file",
    r"x-unix;",
    r"child (?:process )?exited",
    # Exim: "Child process of local_delivery transport returned 75 ... from command: /usr/bin/procmail"
    r"child process of \S+ transport returned",
)
# Sendmail reports a failed pipe as "Diagnostic-Code: X-Unix; 71": a sysexits.h exit status alone.
# It decides only when the status code names nothing more precise.
WEAK = phrases(r"^\s*(?:6[4-9]|7[0-8])\s*$")
STATUSES: frozenset[str] = frozenset()
REPLY_CODES: frozenset[int] = frozenset()
