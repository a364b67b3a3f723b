"""Config validation."""

from __future__ import annotations

import datetime as dt

import pytest

from followup_daemon.config import parse_config
from followup_daemon.errors import ConfigError
from followup_daemon.model import Method


def test_every_setting_is_read() -> None:
    config = parse_config({
        "rules": {"timezone": "Europe/Berlin", "delay_days": 7, "followup_time": "09:15",
                  "followup_minutes": 30, "workdays": "mon..thu", "holidays": "de-by",
                  "date_order": "dmy", "grace_days": 3,
                  "method_preference": ["email", "phone"]},
        "me": {"name": "Alex", "emails": ["a@b.com"], "domains": ["b.com"]},
        "accounts": [{"name": "home", "provider": "local", "calendars": ["cal.ics"]}],
    }, "c.toml")
    rules = config.settings.rules
    assert rules.timezone.key == "Europe/Berlin" and rules.delay_days == 7
    assert rules.followup_time == dt.time(9, 15) and rules.followup_minutes == 30
    assert rules.workdays == frozenset({0, 1, 2, 3}) and rules.holidays == "DE-BY"
    assert rules.date_order == "DMY" and rules.grace_days == 3
    assert rules.method_preference == (Method.EMAIL, Method.PHONE)
    assert config.settings.me.domains == ("b.com",)
    assert config.accounts == [{"name": "home", "provider": "local", "calendars": ["cal.ics"]}]


def test_defaults_match_the_spec() -> None:
    rules = parse_config({}, "c.toml").settings.rules
    assert (rules.delay_days, rules.followup_time, rules.followup_minutes) == (10, dt.time(10), 15)
    assert rules.workdays == frozenset(range(5)) and rules.holidays is None
    assert (rules.date_order, rules.grace_days) == ("MDY", 14)
    assert rules.method_preference == (Method.PHONE, Method.IN_PERSON, Method.EMAIL)


def test_all_problems_are_listed_at_once() -> None:
    with pytest.raises(ConfigError) as error:
        parse_config({"rules": {"timezone": "Mars/Base", "followup_time": "25:00",
                                "workdays": ["funday"], "holidays": "XX",
                                "method_preference": ["fax"], "grace_days": "2"},
                      "extra": 1}, "c.toml")
    keys = [p.split(":")[0] for p in error.value.problems]
    assert keys == ["extra", "rules.timezone", "rules.followup_time", "rules.workdays",
                    "rules.holidays", "rules.grace_days", "rules.method_preference"]


def test_secrets_are_refused() -> None:
    with pytest.raises(ConfigError, match="secrets never go in the config"):
        parse_config({"accounts": [{"name": "g", "password": "hunter2"}]}, "c.toml")


def test_endpoint_overrides_are_not_mistaken_for_secrets() -> None:
    config = parse_config({"accounts": [{"name": "g", "provider": "google",
                                         "token_uri": "http://127.0.0.1:1/token",
                                         "api_endpoint": "http://127.0.0.1:1"}]}, "c.toml")
    assert config.accounts[0]["token_uri"].endswith("/token")
    with pytest.raises(ConfigError, match="refresh_token: secrets never go"):
        parse_config({"accounts": [{"name": "g", "provider": "google",
                                    "refresh_token": "1//x"}]}, "c.toml")
