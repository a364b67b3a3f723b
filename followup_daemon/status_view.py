"""What a pass computed for `status`, kept in the state: `status` shows the
applications' rounds as the last pass planned them instead of planning them again,
which would load the rules and the holidays library on every `status`."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from .settings import Settings
from .state import State

APPLICATIONS = "applications"


def fingerprint(settings: Settings) -> str:
    """Which settings a view was computed under (another config plans otherwise): their
    repr, kept in the user's own private state (hashing it would load hashlib)."""
    return repr(settings)


def kept_applications(state: State, settings: Settings, now: dt.datetime
                      ) -> tuple[list[dict[str, Any]], str] | None:
    """The applications rows the last pass kept, and when it computed them, if it did
    so under these settings earlier on `now`'s day; None when they must be computed."""
    view = _read(state.view(APPLICATIONS))
    if view is None or view.get("settings") != fingerprint(settings):
        return None
    try:
        computed = dt.datetime.fromisoformat(str(view["computed"]))
        rows = view["rows"]
    except (KeyError, ValueError, TypeError):
        return None
    if not isinstance(rows, list) or computed > now or \
            computed.astimezone(now.tzinfo).date() != now.date():
        return None
    return rows, computed.astimezone(now.tzinfo).isoformat()


def keep_applications(state: State, settings: Settings, now: dt.datetime,
                      rows: list[dict[str, Any]]) -> None:
    """Keep the applications rows a pass computed at `now`."""
    state.set_view(APPLICATIONS, json.dumps(
        {"settings": fingerprint(settings), "computed": now.isoformat(), "rows": rows}))


def _read(payload: str | None) -> dict[str, Any] | None:
    try:
        view = json.loads(payload) if payload is not None else None
    except ValueError:
        return None
    return view if isinstance(view, dict) else None
