"""Checks providers share for their [[accounts]] settings; each returns problems
as `key: what to do` lines."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def unknown_keys(account: dict[str, Any], known: Iterable[str], kind: str) -> list[str]:
    """A line per key the provider does not know."""
    names = tuple(known)
    return [f"{key}: unknown key for a {kind} account (known: {', '.join(names)})"
            for key in account if key not in names]


def text_keys(account: dict[str, Any], keys: Iterable[str]) -> list[str]:
    """A line per present key whose value is not non-empty text."""
    return [f"{key}: must be text in quotes" for key in keys
            if key in account and not (isinstance(account[key], str) and account[key])]


def bool_keys(account: dict[str, Any], keys: Iterable[str]) -> list[str]:
    """A line per present key whose value is not true or false."""
    return [f"{key}: true or false" for key in keys
            if key in account and not isinstance(account[key], bool)]


def text_list(value: Any) -> list[str] | None:
    """A non-empty list of non-empty texts (a single text counts as a list), else None."""
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        return value
    return None
