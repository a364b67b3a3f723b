"""Provider names -> classes, loaded only when an account uses them.

This table is the one place where the core names a provider module.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol

from .errors import UserError
from .provider import Provider
from .settings import Settings

PROVIDERS: dict[str, str] = {
    "local": "providers.local.provider:LocalProvider",
    "google": "providers.google.provider:GoogleProvider",
    "outlook": "providers.outlook.provider:OutlookProvider",
    "caldav": "providers.caldav.provider:CalDAVProvider",
}


# Modules with a provider's authorisation commands.
AUTH_MODULES: dict[str, str] = {
    "google": "providers.google.auth",
    "outlook": "providers.outlook.auth",
    "caldav": "providers.caldav.auth",
    "imap": "providers.imap.auth",  # drafts on IMAP for any account; no provider of its own
}


def auth_module(name: str) -> ModuleType:
    """The authorisation module of provider `name`."""
    if name not in AUTH_MODULES:
        raise UserError(f"provider {name!r} needs no authorisation here")
    return importlib.import_module(AUTH_MODULES[name])


@dataclass(frozen=True)
class ProviderContext:
    """What a provider may need besides its account's settings."""

    base: Path  # relative paths in the config are read from here
    state_dir: Path
    settings: Settings = field(default_factory=Settings)


class ProviderClass(Protocol):
    """What a provider class offers before it has an instance."""

    def __call__(self, account: dict[str, Any], context: ProviderContext) -> Provider: ...

    @staticmethod
    def check_settings(account: dict[str, Any]) -> list[str]:
        """Problems with an account's settings, each `key: what to do`."""
        ...


def provider_class(name: str) -> ProviderClass:
    """The class registered as `name`; UserError for an unknown name."""
    if name not in PROVIDERS:
        known = ", ".join(sorted(PROVIDERS))
        raise UserError(f"unknown provider {name!r} (known: {known})")
    module_name, _, class_name = PROVIDERS[name].partition(":")
    cls: ProviderClass = getattr(importlib.import_module(module_name), class_name)
    return cls
