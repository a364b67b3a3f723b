"""The questions `setup` asks: on a terminal it waits for an answer (Enter takes the
default shown in brackets); with `--yes` every question not settled by a flag takes
its default; anywhere else a question without an answer is an error naming the flag
that answers it."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from .errors import UserError
from .model import clean_line


class Prompter:
    """Asks, shows and reads; `say` and `read` are print and input by default."""

    def __init__(self, assume_defaults: bool, say: Callable[[str], None] = print,
                 read: Callable[[str], str] = input, interactive: bool | None = None) -> None:
        self.assume_defaults = assume_defaults
        self.say, self.read = say, read
        self.interactive = sys.stdin.isatty() if interactive is None else interactive

    def ask(self, question: str, default: str | None, flag: str) -> str:
        """One answer; the default when Enter is pressed (or with --yes)."""
        if self.assume_defaults or not self.interactive:
            if default is None:
                raise UserError(f"setup: {question.rstrip('?: ')}: give {flag} (or run "
                                "setup in a terminal to be asked)")
            return default
        shown = f" [{default}]" if default else ""
        while True:
            answer = self.read(f"{question}{shown}: ").strip()
            if answer or default is not None:
                return answer or str(default)
            self.say("  an answer is needed here")

    def confirm(self, question: str, default: bool, flag: str) -> bool:
        """Yes or no."""
        answer = self.ask(f"{question} (y/n)", "y" if default else "n", flag)
        return answer.lower().startswith("y")

    def choose(self, question: str, options: Sequence[str], default: int, flag: str) -> int:
        """One of numbered options (1-based on screen); its index."""
        return self.choose_many(question, options, [default], flag, many=False)[0]

    def choose_many(self, question: str, options: Sequence[str], defaults: Sequence[int],
                    flag: str, many: bool = True) -> list[int]:
        """Some of numbered options, given as "1,3"; their indexes."""
        for number, option in enumerate(options, 1):
            self.say(f"  {number}. {clean_line(option)}")
        shown = ",".join(str(d + 1) for d in defaults)
        while True:
            answer = self.ask(question, shown, flag)
            chosen = _numbers(answer, len(options))
            if chosen and (many or len(chosen) == 1):
                return chosen
            self.say(f"  type {'numbers such as 1,3' if many else 'one number'} from the list")


def _numbers(answer: str, count: int) -> list[int]:
    try:
        chosen = [int(part) - 1 for part in answer.replace(" ", "").split(",") if part]
    except ValueError:
        return []
    return chosen if chosen and all(0 <= c < count for c in chosen) else []
