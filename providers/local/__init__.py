"""The embedded default: .ics files or vdirs for calendars, a Maildir for drafts."""
