"""Drafts in any IMAP mailbox (never a send: there is no SMTP code in the project)."""
