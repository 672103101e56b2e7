"""Intake: the ways raw messages come in (files and mailboxes, SMTP/LMTP, IMAP)."""
