"""Provider names -> classes, loaded only when an account uses them.

This table is the one place where the core names a provider module.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, Protocol

from .errors import UserError
from .provider import Provider

PROVIDERS: dict[str, str] = {
    "local": "providers.local.provider:LocalProvider",
}


class ProviderClass(Protocol):
    """What a provider class offers before it has an instance."""

    def __call__(self, account: dict[str, Any], base: Path, state_dir: Path) -> Provider: ...

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
