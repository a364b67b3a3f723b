"""`sync --dry-run`: the writes a pass would make, described and not made.

The preview stands in for the executor: it is handed the same actions and says
each one (what, which follow-up, when, to whom) instead of doing it. The pass
around it runs inside a state transaction that is rolled back, so nothing the
preview read is kept either."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .executor import Executor, local_time
from .model import clean_line
from .reconcile import (
    Action,
    Adopt,
    CreateDraft,
    CreateFollowup,
    DeleteFollowup,
    MoveFollowup,
    Observed,
)

COUNTED = {"CreateFollowup": "to create", "MoveFollowup": "to move",
           "DeleteFollowup": "to remove", "CreateDraft": "drafts to save",
           "DeleteDraft": "drafts to remove", "Adopt": "to adopt"}


@dataclass
class Preview(Executor):
    """An executor that says what it would write; it writes nothing."""

    say: Callable[[str], None] = print
    said: int = field(default=0)

    def __post_init__(self) -> None:
        self.held = False  # nothing is written, so nothing is held either

    def chunks(self, actions: list[Action]) -> list[list[Action]]:
        """One action at a time, in the order the executor would do them."""
        return [[action] for action in actions]

    def expect(self, chunk: list[Action]) -> None:
        """Nothing is sent, so nothing is built ahead."""

    def run_chunk(self, chunk: list[Action]) -> None:
        """Say the action (what it would write); a record of the user's change is
        kept in the state (which the dry run rolls back)."""
        action = chunk[0]
        if isinstance(action, Observed):
            self.record(action)
            return
        self.say(f"{self.account}: would {self._describe(action)}")
        self.done[COUNTED[type(action).__name__]] += 1

    def _describe(self, action: Action) -> str:
        if isinstance(action, CreateFollowup | MoveFollowup):
            verb = "create" if isinstance(action, CreateFollowup) else "move"
            when = local_time(action.event.start, action.event)
            return f"{verb} follow-up {clean_line(action.event.title)!r} on {when}"
        if isinstance(action, CreateDraft):
            return f"save a draft to {clean_line(action.draft.recipients)}"
        if isinstance(action, Adopt):
            return f"adopt the {action.listed} follow-up(s) already in the calendar"
        row = self.state.followups(self.account).get(action.key)
        title = clean_line(row.title) if row is not None else action.key
        return f"remove follow-up {title!r}" if isinstance(action, DeleteFollowup) \
            else f"remove the draft of {title!r}"

