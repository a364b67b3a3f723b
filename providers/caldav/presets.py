"""Settings of well-known CalDAV/IMAP services, so an account needs only a user name."""

from __future__ import annotations

from typing import Any

from followup_daemon.errors import UserError

PRESETS: dict[str, dict[str, Any]] = {
    # App-specific password: https://account.apple.com > Sign-In and Security
    "icloud": {"url": "https://caldav.icloud.com/", "imap_host": "imap.mail.me.com",
               "imap_port": 993, "imap_security": "tls"},
    # App password: Settings > Privacy & Security > Manage app passwords (CalDAV and IMAP)
    "fastmail": {"url": "https://caldav.fastmail.com/dav/", "imap_host": "imap.fastmail.com",
                 "imap_port": 993, "imap_security": "tls"},
    # App password: Settings > Security > Devices & sessions; the url needs your server
    "nextcloud": {"url_template": "https://{server}/remote.php/dav/"},
}


def apply_preset(account: dict[str, Any]) -> dict[str, Any]:
    """The account's settings over its preset's (the account's own win)."""
    name = account.get("preset")
    if not name:
        return dict(account)
    if name not in PRESETS:
        raise UserError(f"unknown preset {name!r} (known: {', '.join(PRESETS)})")
    preset = {k: v for k, v in PRESETS[name].items() if k != "url_template"}
    return {**preset, **account}
