"""The TOML config: where it lives, how it is read, and its validation.

Validation collects every problem at once, each naming its key and a hint, so
a user fixes the file in one go. The file never holds a secret.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ConfigError
from .methods import Method
from .paths import default_config_path
from .settings import WEEKDAY_NAMES, Identity, RuleSettings, Settings, SyncSettings

TOP_LEVEL = ("rules", "me", "sync", "accounts")
SECRET_KEY = re.compile(r"(?:\w*[_-])?(?:pass(?:word|wd)?|secret|token|api[_-]?key|"
                        r"credentials?|private[_-]?key)", re.IGNORECASE)


@dataclass
class Config:
    """A validated config file."""

    settings: Settings = field(default_factory=Settings)
    accounts: list[dict[str, Any]] = field(default_factory=list)
    path: Path | None = None
    sync: SyncSettings = field(default_factory=SyncSettings)

    @property
    def base(self) -> Path:
        """The folder relative paths in the config are read from."""
        return self.path.parent if self.path else Path.cwd()


ACCOUNT_NAME = re.compile(r"[A-Za-z0-9_.-]+")  # it names keyring entries and files

def load_config(path: Path | None, deep: bool = True) -> Config:
    """The config at `path`, or at the default place; defaults when neither exists.
    Not `deep`, neither the holidays region (only its form) nor the accounts' own
    settings are checked: that loads the holidays library and the adapters, and
    `status`, which reads the state alone, needs neither.

    Raises ConfigError when an explicit file is missing or any file is invalid."""
    explicit = path is not None
    path = path or default_config_path()
    if not path.exists():
        if explicit:
            raise ConfigError(str(path), ["no such file; create one with `followup-daemon init`"])
        return Config()
    return parse_config(_read_toml(path), str(path), path, deep)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_bytes().decode("utf-8"))
    except OSError as error:
        raise ConfigError(str(path), [f"cannot read it: {error.strerror or error}"]) from None
    except UnicodeDecodeError:
        raise ConfigError(str(path), ["it is not UTF-8 text; save it as UTF-8"]) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(str(path), [f"not valid TOML: {error}"]) from None


def parse_config(data: dict[str, Any], name: str, path: Path | None = None,
                 deep: bool = True) -> Config:
    """A Config from parsed TOML; raises ConfigError listing every problem (not
    `deep`: see `load_config`)."""
    problems: list[str] = []
    problems += _unknown_keys(data, TOP_LEVEL, "")
    problems += _secrets(data, "")
    rules = _table(data, "rules", problems)
    me = _table(data, "me", problems)
    checks = RULE_CHECKS if deep else {**RULE_CHECKS, "holidays": _holidays_form}
    settings = Settings(_rules(rules, checks, problems), _identity(me, problems))
    sync = _sync(_table(data, "sync", problems), problems)
    accounts = data.get("accounts", [])
    if not isinstance(accounts, list) or not all(isinstance(a, dict) for a in accounts):
        problems.append("accounts: must be a list of [[accounts]] tables")
        accounts = []
    problems += check_accounts(accounts, deep)
    if problems:
        raise ConfigError(name, problems)
    return Config(settings, accounts, path, sync)


def _sync(table: dict[str, Any], problems: list[str]) -> SyncSettings:
    return SyncSettings(**_checked(table, SYNC_CHECKS, "sync", problems))


def _checked(table: dict[str, Any], checks: dict[str, Check], name: str,
             problems: list[str]) -> dict[str, Any]:
    """The table's values that pass their checks; a problem line for each other."""
    problems += _unknown_keys(table, tuple(checks), f"{name}.")
    values: dict[str, Any] = {}
    for key, check in checks.items():
        if key in table:
            try:
                values[key] = check(table[key])
            except ValueError as error:
                problems.append(f"{name}.{key}: {error}")
    return values


def _draft_when(value: Any) -> str:
    if value in ("due", "planned"):
        return str(value)
    raise ValueError(f"{value!r} must be \"due\" (on the follow-up's day) or \"planned\"")


def check_accounts(accounts: list[dict[str, Any]], deep: bool = True) -> list[str]:
    """Problems of the [[accounts]] tables: names, providers, and (`deep`) each
    provider's own settings."""
    from .registry import CALENDARS, check_account  # (the adapters: only when used)

    problems: list[str] = []
    seen: set[str] = set()
    for index, account in enumerate(accounts):
        name = account.get("name")
        label = f"accounts[{index}]"
        if not isinstance(name, str) or not ACCOUNT_NAME.fullmatch(name):
            problems.append(f"{label}.name: give each account a name of letters, digits, "
                            "'-', '_' or '.'")
        elif name in seen:
            problems.append(f"{label}.name: {name!r} is used twice; names must differ")
        else:
            seen.add(name)
            label = f"accounts.{name}"
        provider = account.get("provider")
        if not isinstance(provider, str) or provider not in CALENDARS:
            problems.append(f"{label}.provider: must be one of {', '.join(sorted(CALENDARS))}")
            continue
        problems += [f"{label}.{p}" for p in check_account(account)] if deep else []
    primaries = [str(a.get("name")) for a in accounts if a.get("primary") is True]
    if len(primaries) > 1:
        problems.append(f"accounts: {', '.join(primaries)} each say primary = true; one "
                        "account at most writes the follow-ups of an interview several see")
    return problems


def _table(data: dict[str, Any], key: str, problems: list[str]) -> dict[str, Any]:
    value = data.get(key, {})
    if isinstance(value, dict):
        return value
    problems.append(f"{key}: must be a table, written [{key}]")
    return {}


def _shown(key: str) -> str:
    """A key as a message shows it: quoted when it holds odd characters."""
    return key if key.replace("-", "_").isidentifier() else repr(key)


def _unknown_keys(table: dict[str, Any], known: tuple[str, ...], prefix: str) -> list[str]:
    problems = []
    for key in table:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"did you mean {prefix}{close[0]}?" if close else f"known: {', '.join(known)}"
            problems.append(f"{prefix}{_shown(key)}: unknown key ({hint})")
    return problems


def _secrets(value: Any, prefix: str) -> list[str]:
    if isinstance(value, list):
        return [p for item in value for p in _secrets(item, prefix)]
    if not isinstance(value, dict):
        return []
    problems = []
    for key, item in value.items():
        if SECRET_KEY.fullmatch(key):
            problems.append(f"{prefix}{_shown(key)}: secrets never go in the config file; "
                            "store them with `followup-daemon auth`")
        problems += _secrets(item, f"{prefix}{_shown(key)}.")
    return problems


Check = Callable[[Any], Any]  # returns the parsed value or raises ValueError with a hint


def _rules(table: dict[str, Any], checks: dict[str, Check], problems: list[str]
           ) -> RuleSettings:
    return RuleSettings(**_checked(table, checks, "rules", problems))


def _identity(table: dict[str, Any], problems: list[str]) -> Identity:
    checks: dict[str, Check] = {"name": _text, "emails": _emails, "domains": _domains}
    return Identity(**_checked(table, checks, "me", problems))


def _zone(value: Any) -> ZoneInfo:
    try:
        if isinstance(value, str) and value:
            return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        pass
    raise ValueError(f"{value!r} is not an IANA time zone (e.g. \"Europe/Berlin\")")


def _count(low: int, high: int) -> Check:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"{value!r} must be a whole number from {low} to {high}")
        return value
    return check


def _yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise ValueError(f"{value!r} must be true or false")


def _clock(value: Any) -> dt.time:
    if isinstance(value, dt.time):
        return value.replace(tzinfo=None)
    if isinstance(value, str) and re.fullmatch(r"\d{1,2}:\d{2}", value):
        hour, minute = map(int, value.split(":"))
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    raise ValueError(f"{value!r} must be a time of day such as \"10:00\"")


def _workdays(value: Any) -> frozenset[int]:
    if isinstance(value, str):
        value = _day_range(value)
    if not isinstance(value, list) or not value:
        raise ValueError("must be a list of days such as [\"mon\", \"tue\"] or \"mon..fri\"")
    days = set()
    for day in value:
        name = str(day).lower()[:3]
        if name not in WEEKDAY_NAMES:
            raise ValueError(f"{day!r} is not a day; use mon, tue, wed, thu, fri, sat, sun")
        days.add(WEEKDAY_NAMES.index(name))
    return frozenset(days)


def _day_range(value: str) -> list[str]:
    first, sep, last = value.lower().replace("-", "..").partition("..")
    if not sep or first[:3] not in WEEKDAY_NAMES or last[:3] not in WEEKDAY_NAMES:
        raise ValueError(f"{value!r} must be a range such as \"mon..fri\" or a list of days")
    start, end = WEEKDAY_NAMES.index(first[:3]), WEEKDAY_NAMES.index(last[:3])
    return [WEEKDAY_NAMES[(start + i) % 7] for i in range((end - start) % 7 + 1)]


def _holidays(value: Any) -> str | None:
    region = _holidays_form(value)
    if region is None:
        return None
    from .rules.workdays import public_holidays  # the holidays library: only when set

    try:
        public_holidays(region)
    except ValueError as error:
        raise ValueError(f"{value!r}: {error} (use an ISO country code, e.g. \"DE\" or "
                         "\"US-CA\")") from None
    return region


def _holidays_form(value: Any) -> str | None:
    if value is False or value == "" or (isinstance(value, str) and value.lower() == "none"):
        return None
    if not isinstance(value, str):
        raise ValueError("must be a country code such as \"US\" or \"US-CA\", or \"none\"")
    return value.upper()


def _date_order(value: Any) -> str:
    if isinstance(value, str) and value.upper() in ("MDY", "DMY"):
        return value.upper()
    raise ValueError(f"{value!r} must be \"MDY\" (12/3 is December 3) or \"DMY\" (3 December)")


def _methods(value: Any) -> tuple[Method, ...]:
    names = [m.value for m in Method]
    if not isinstance(value, list) or not value:
        raise ValueError(f"must be a list drawn from {names}")
    if len(set(map(str, value))) != len(value) or any(v not in names for v in value):
        raise ValueError(f"{value!r} must list each of {names} at most once")
    return tuple(Method(v) for v in value)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be text in quotes")
    return value.strip()


def _strings(value: Any, what: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"must be a list of {what} in quotes")
    return tuple(v.strip() for v in value)


def _emails(value: Any) -> tuple[str, ...]:
    emails = _strings(value, "e-mail addresses")
    for email in emails:
        if email.count("@") != 1 or " " in email:
            raise ValueError(f"{email!r} is not an e-mail address")
    return emails


def _domains(value: Any) -> tuple[str, ...]:
    domains = tuple(d.lower().lstrip("@") for d in _strings(value, "domains"))
    for domain in domains:
        if "." not in domain or " " in domain:
            raise ValueError(f"{domain!r} is not a domain such as \"example.com\"")
    return domains


RULE_CHECKS: dict[str, Check] = {
    "timezone": _zone,
    "delay_days": _count(0, 365),
    "followup_time": _clock,
    "followup_minutes": _count(1, 1440),
    "workdays": _workdays,
    "holidays": _holidays,
    "date_order": _date_order,
    "grace_days": _count(0, 365),
    "method_preference": _methods,
    "max_followups": _count(1, 10),
    "followup_gap_days": _count(1, 365),
    "thank_you": lambda value: _yes_no(value),
    "thank_you_delay_hours": _count(0, 168),
}


SYNC_CHECKS: dict[str, Check] = {
    "interval_seconds": _count(1, 86400),
    "draft_when": _draft_when,
    "reminder_minutes": _count(0, 1440),
    "log_level": lambda value: _choice(value, ("debug", "info", "warning", "error")),
}


def _choice(value: Any, choices: tuple[str, ...]) -> str:
    if isinstance(value, str) and value.lower() in choices:
        return value.lower()
    raise ValueError(f"{value!r} must be one of {', '.join(choices)}")
