"""Outlook and Microsoft 365 calendars and drafts through Microsoft Graph, signed in with msal."""
