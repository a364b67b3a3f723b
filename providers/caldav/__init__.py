"""CalDAV calendars (iCloud, Fastmail, Nextcloud, Radicale, Baikal, ...) with IMAP drafts."""
