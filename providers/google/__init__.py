"""Google Calendar (events) and Gmail (drafts) through Google's official client libraries."""
