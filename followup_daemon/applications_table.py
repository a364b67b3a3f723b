"""The applications table of `status`, from the rows `applications` computes (kept
by the last pass): text only, so that `status` loads nothing of the rules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def application_rows(data: Sequence[dict[str, Any]], max_followups: int) -> list[tuple[str, ...]]:
    """The table of `status`: application, rounds, follow-ups, thank-you, answered."""
    return [(row["application"], str(row["rounds"]), _followup_cell(row, max_followups),
             _thank_you_cell(row["thank_you"]), _answered_cell(row["answered"]))
            for row in data]


DRAFT_FATES = {"user_edited": "draft edited", "sent_or_deleted": "draft sent or deleted"}


def _followup_cell(row: dict[str, Any], max_followups: int) -> str:
    done = sum(1 for f in row["followups"] if f["state"] != "planned")
    dates = ", ".join(f"{f['start'][5:10]} {f['state']}" + (
        f" ({DRAFT_FATES[f['draft']]})" if f.get("draft") in DRAFT_FATES else "")
        for f in row["followups"])
    return f"{done}/{max_followups}" + (f": {dates}" if dates else "")


def _thank_you_cell(thanks: dict[str, Any] | None) -> str:
    if thanks is None:
        return "-"
    if thanks["due"]:
        return f"due {thanks['due'][:16].replace('T', ' ')}"
    state = str(thanks["state"])
    return {"created": "saved", **DRAFT_FATES}.get(state, state).removeprefix("draft ")


def _answered_cell(answer: dict[str, Any] | None) -> str:
    if answer is None:
        return "-"
    who = f"reply from {answer['from']}" if answer["from"] else f"noted: {answer['outcome']}"
    return f"{answer['date']}, {who}"
