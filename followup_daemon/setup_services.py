"""What `setup` does for each service: the settings it asks for, the steps at the
service's console, the sign-in, and the choice of calendars."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .boundary import ListsCalendars, ProviderContext
from .errors import UserError
from .setup_prompts import Prompter

NEW = "new"
NEW_NAME = "Follow-ups"


class Service:
    """A service's part of `setup`; this base is the local one (no sign-in)."""

    provider = "local"
    verb = ""
    steps = ""

    def __init__(self, args: argparse.Namespace, ask: Prompter, state_dir: Path) -> None:
        self.args, self.ask, self.state_dir = args, ask, state_dir

    @staticmethod
    def platform() -> str:
        """The service manager of this system."""
        return "launchd" if sys.platform == "darwin" else "systemd"

    def settings(self) -> dict[str, Any]:
        """The account's settings this service asks for before the sign-in."""
        watched = self.args.calendar or [self.ask.ask(
            "Calendar files or folders to read (comma-separated)", None, "--calendar")]
        calendars = [_from_here(p) for item in watched for p in item.split(",") if p.strip()]
        followups = self.args.followups or self.ask.ask(
            "Where follow-ups go (an .ics file, or a folder for a vdir)",
            "~/calendars/followups.ics", "--followups")
        maildir = self.args.maildir or self.ask.ask("The Maildir for drafts", "~/Mail",
                                                    "--maildir")
        return {"calendars": calendars, "followups": _from_here(followups),
                "maildir": _from_here(maildir)}

    def sign_in(self, account: dict[str, Any]) -> None:
        """Sign in, unless the keyring holds a sign-in the user keeps."""
        if not self.verb:
            return
        from .registry import settings_of, sign_in
        from .secrets import load_secret

        name = str(account["name"])
        if load_secret(name) and self.ask.confirm(
                f"{name} is signed in already (in your keyring); keep that sign-in?", True,
                "--yes"):
            return
        self.ask.say(self.steps)
        line = sign_in(self.verb).sign_in(settings_of(account), self.state_dir, self.options())
        self.ask.say(f"{name}: {line}")

    def options(self) -> argparse.Namespace:
        """The sign-in's options, as `auth VERB` takes them."""
        return argparse.Namespace()

    def calendars(self, account: dict[str, Any], base: Path) -> dict[str, Any]:
        """The settings that name the calendars to watch and the follow-ups' one."""
        return {}


class Remote(Service):
    """A service whose calendars are listed by name after the sign-in."""

    many = False  # whether several calendars can be watched
    target_key = "target_calendar"

    def settings(self) -> dict[str, Any]:
        """None before the sign-in: the calendars are chosen from the service's list."""
        return {}

    def calendars(self, account: dict[str, Any], base: Path) -> dict[str, Any]:
        """List the calendars; the user picks those to watch and where follow-ups go."""
        from .registry import calendar_class, settings_of

        calendar = calendar_class(self.provider)(settings_of(account),
                                                 ProviderContext(base, self.state_dir))
        assert isinstance(calendar, ListsCalendars)
        found = calendar.calendar_list()
        if not found:
            raise UserError(f"account {account['name']}: the service lists no calendar")
        watched = self._watched(found)
        return self.keys(watched, self._target(calendar, found))

    def keys(self, watched: list[str], target: str | None) -> dict[str, Any]:
        """The settings for the choice (one calendar, its follow-ups in another)."""
        return {"calendar": watched[0], **({self.target_key: target} if target else {})}

    def _watched(self, found: list[tuple[str, str]]) -> list[str]:
        if self.args.calendar:
            return [_match(found, wanted) for wanted in self.args.calendar]
        question = "Which calendars hold your interviews?" if self.many else \
            "Which calendar holds your interviews?"
        labels = [name or ident for name, ident in found]
        if self.many:
            return [found[i][1] for i in self.ask.choose_many(question, labels, [0],
                                                               "--calendar")]
        return [found[self.ask.choose(question, labels, 0, "--calendar")][1]]

    def _target(self, calendar: Any, found: list[tuple[str, str]]) -> str | None:
        """Where follow-ups go: a new calendar of their own where the service makes one."""
        makes = hasattr(calendar, "make_calendar")
        wanted = self.args.followups
        if wanted is None:
            labels = [name or ident for name, ident in found]
            labels += [f"a new calendar, {NEW_NAME!r} (keeps them apart)"] if makes else []
            index = self.ask.choose("Where should follow-ups go?", labels,
                                    len(labels) - 1 if makes else 0, "--followups")
            wanted = NEW if index == len(found) else found[index][1]
        if wanted != NEW:
            return _match(found, wanted)
        if not makes:
            raise UserError(f"--followups new: a {self.provider} account cannot make a "
                            "calendar here; make one at the service and name it")
        _, made = calendar.make_calendar(NEW_NAME)
        self.ask.say(f"Made the calendar {NEW_NAME!r}.")
        return str(made)


def _from_here(path: str) -> str:
    """A path as typed, made absolute from where `setup` runs (the config reads a
    relative one from its own folder, which is not where the user typed it)."""
    path = path.strip()
    return path if path.startswith(("~", "/")) else str((Path.cwd() / path).resolve())


def _match(found: list[tuple[str, str]], wanted: str) -> str:
    for name, ident in found:
        if wanted in (ident, name) or wanted.casefold() == name.casefold():
            return ident
    names = ", ".join(name or ident for name, ident in found)
    raise UserError(f"no calendar {wanted!r} (the account's: {names})")


class Google(Remote):
    """Google Calendar and Gmail."""

    provider = verb = "google"
    many = True
    steps = """
Google needs an OAuth client of your own (free), made once:
  1. https://console.cloud.google.com/ > a new project > APIs & Services > Library:
     enable the Google Calendar API and the Gmail API.
  2. OAuth consent screen: External, add yourself as a test user, and the scopes
     .../auth/calendar.events, .../auth/gmail.compose,
     .../auth/calendar.calendarlist.readonly, .../auth/calendar.app.created and
     .../auth/gmail.metadata.
     Publish the app when it works (a test app's consent ends after 7 days).
  3. Credentials > Create credentials > OAuth client ID > Desktop app; download the JSON.
Then a browser opens: allow access, and come back here."""

    def options(self) -> argparse.Namespace:
        """--client-secrets, asked for when not given."""
        secrets = self.args.client_secrets or Path(self.ask.ask(
            "The client JSON you downloaded (client_secret_....json)", None,
            "--client-secrets")).expanduser()
        return argparse.Namespace(client_secrets=secrets, no_browser=self.args.no_browser,
                                  port=0)

    def keys(self, watched: list[str], target: str | None) -> dict[str, Any]:
        """Google watches a list of calendars."""
        return {"calendars": watched, **({"target_calendar": target} if target else {})}


class Outlook(Remote):
    """Outlook and Microsoft 365."""

    provider = verb = "outlook"
    steps = """
Microsoft needs an app registration of your own (free), made once:
  1. https://entra.microsoft.com > Applications > App registrations > New registration:
     the account types you use; Redirect URI: Public client/native, http://localhost.
  2. Authentication: Allow public client flows: Yes.
  3. API permissions > Microsoft Graph > Delegated: Calendars.ReadWrite, Mail.ReadWrite.
  4. Copy the Application (client) ID from the app's overview.
Then enter the code shown at https://microsoft.com/devicelogin, from any browser."""

    def options(self) -> argparse.Namespace:
        """--client-id, asked for when not given."""
        client = self.args.client_id or self.ask.ask("The Application (client) ID", None,
                                                     "--client-id")
        return argparse.Namespace(client_id=client, tenant="common", browser=False)

class CalDAV(Remote):
    """A CalDAV server, by a preset or its address."""

    provider = verb = "caldav"
    steps = """
Use an app-specific password where the service has them (iCloud: account.apple.com >
Sign-In and Security; Fastmail: Settings > Privacy & Security > App passwords;
Nextcloud: Settings > Security > Devices & sessions). It goes to your keyring only."""

    def settings(self) -> dict[str, Any]:
        """The preset (or the server's address) and the user name."""
        presets = ["icloud", "fastmail", "nextcloud", "other"]
        preset = self.args.preset or presets[self.ask.choose(
            "Which CalDAV service?", ["iCloud", "Fastmail", "Nextcloud", "another server"],
            3, "--preset")]
        found: dict[str, Any] = {} if preset == "other" else {"preset": preset}
        if preset in ("other", "nextcloud"):
            url = self.args.url or self.ask.ask(
                "The server's CalDAV address" if preset == "other" else
                "Your Nextcloud server (e.g. cloud.example.com)", None, "--url")
            found["url"] = url if preset == "other" else \
                f"https://{url.removeprefix('https://').strip('/')}/remote.php/dav/"
        username = self.args.username or self.ask.ask("Your user name", None, "--username")
        if preset in ("other", "nextcloud"):  # a preset of a mail service names its IMAP
            imap = self.args.imap_host or self.ask.ask(
                "The IMAP server for drafts (Enter: no drafts)", "", "--imap-host")
            found.update({"imap_host": imap} if imap else {})
        return {**found, "username": username}

    def options(self) -> argparse.Namespace:
        """--password-stdin; else the password is asked without echo."""
        return argparse.Namespace(password_stdin=self.args.password_stdin,
                                  separate_imap_password=False)


SERVICES: dict[str, type[Service]] = {"google": Google, "outlook": Outlook,
                                      "caldav": CalDAV, "local": Service}
