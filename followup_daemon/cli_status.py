"""The `status` command: what is coming, and how the last passes went. It reads the
state database, with the applications' rounds as the last pass planned them (planned
here only when no pass kept them today); no calendar or provider is touched."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from .cleaning import clean_line
from .cli_common import add_paths, workspace
from .config import load_config
from .settings import Settings
from .state import CREATED, State
from .status_view import kept_applications
from .terminal import colour_wanted, render_table, width_of


def add_status(sub: argparse.ArgumentParser) -> None:
    """The options of `status`."""
    add_paths(sub)
    sub.add_argument("--json", action="store_true", help="print JSON")
    sub.set_defaults(handler=run_status)


def status_data(state: State, now: dt.datetime, settings: Settings | None = None,
                before_planning: Callable[[], object] = lambda: None) -> dict[str, Any]:
    """Upcoming follow-ups (with their drafts), each application (with `settings`) and
    each account's last pass. `before_planning` is called when the applications must
    be planned here (no pass kept them for these settings today)."""
    found: list[tuple[dt.datetime, dict[str, Any]]] = []
    for account in state.accounts():
        drafts = state.drafts(account.name)
        for row in state.followups(account.name).values():
            if row.status == CREATED and row.start and row.start >= now:
                draft = drafts.get(row.key)
                start = row.start.astimezone(now.tzinfo)  # Graph answers in UTC
                found.append((start, {"account": account.name, "title": clean_line(row.title),
                                      "start": start.isoformat(),
                                      "draft": draft.status if draft else None}))
    upcoming = [item for _, item in sorted(found, key=lambda pair: pair[0])]  # by instant
    passes = [{"account": a.name, "finished": a.pass_finished, "result": a.result,
               "error": a.error, "counts": json.loads(a.counts) if a.counts else {},
               "replies_off": state.mail_note(a.name)}
              for a in state.accounts()]
    zone = getattr(now.tzinfo, "key", None) or str(now.tzinfo)
    data = {"zone": zone, "upcoming": upcoming, "accounts": passes}
    if settings is not None:
        data["applications"], data["applications_planned"] = _applications(
            state, settings, now, before_planning)
        data["max_followups"] = settings.rules.max_followups
    return data


def _applications(state: State, settings: Settings, now: dt.datetime,
                  before_planning: Callable[[], object]
                  ) -> tuple[list[dict[str, Any]], str | None]:
    """The applications' rows, and when the last pass planned them (today); None
    when they are planned here (none before the first pass)."""
    kept = kept_applications(state, settings, now)
    if kept is not None:
        return kept
    if not state.accounts():
        return [], None
    before_planning()
    from .applications import applications

    return applications(state, settings, now), None


def run_status(args: argparse.Namespace) -> int:
    """`status`: what is coming, and how the last passes went."""
    with workspace(args, state="existing", accounts_needed=False, deep=False) as work:
        settings, state = work.config.settings, work.opened_state()
        now = dt.datetime.now(settings.rules.timezone)
        # when the rules run here, the config is checked in full first
        data = status_data(state, now, settings, partial(load_config, work.config.path))
    print(json.dumps(data, indent=2) if args.json else
          _status_text(data, Table(width_of(), colour_wanted(args.color)),
                       settings.rules.timezone))
    return 0


@dataclass(frozen=True)
class Table:
    """How the tables are drawn: the width to fit, and whether states are coloured."""

    width: int
    colour: bool

    def render(self, headers: tuple[str, ...], rows: Sequence[Sequence[str]],
               coloured: tuple[int, ...] = ()) -> str:
        """A table, or "(none)" for no rows."""
        return render_table(headers, rows, self.width, coloured, self.colour) if rows \
            else "  (none)"


PLAIN = Table(160, colour=False)


def _status_text(data: dict[str, Any], table: Table = PLAIN, zone: dt.tzinfo = dt.UTC
                 ) -> str:
    upcoming = [(u["start"][:16].replace("T", " "), u["title"], u["account"],
                 u["draft"] or "-") for u in data["upcoming"]]
    passes = [(a["account"], _local(a["finished"], zone), a["result"] or "-",
               a["error"] or ", ".join(f"{n} {k}" for k, n in a["counts"].items() if n) or "-")
              for a in data["accounts"]]
    sections = [_applications_text(data, table)] if "applications" in data else []
    return "\n\n".join([
        f"Times in {data['zone']}", *sections,
        "Upcoming follow-ups\n" + table.render(("When", "Follow-up", "Account", "Draft"),
                                               upcoming, (3,)),
        "Last passes\n" + (table.render(("Account", "Finished", "Result", "Details"),
                                        passes, (2,)) if passes else "  (none yet)"),
        *[f"{a['account']}: {clean_line(a['replies_off'])}" for a in data["accounts"]
          if a.get("replies_off")],
    ])


def _local(moment: str | None, zone: dt.tzinfo) -> str:
    """A pass's finishing time (kept in UTC) in the user's zone."""
    try:
        return dt.datetime.fromisoformat(str(moment)).astimezone(zone).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return "-"


def _applications_text(data: dict[str, Any], table: Table) -> str:
    from .applications_table import application_rows

    rows = application_rows(data["applications"], data["max_followups"])
    headers = ("Application", "Rounds", "Follow-ups", "Thank-you", "Answered")
    planned = str(data.get("applications_planned") or "")[11:16]
    title = f"Applications (as the last pass planned them, at {planned})" if planned \
        else "Applications"
    return title + "\n" + table.render(headers, rows, (3,))
