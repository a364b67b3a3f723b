"""Text for a terminal: tables whose columns line up in display cells (a CJK
character takes two, a combining accent none), cut with an ellipsis to fit the
terminal's width, and colour for states, only where colour is wanted."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Collection, Sequence
from typing import TextIO

ELLIPSIS = "…"
PIPE_WIDTH = 10_000  # into a pipe or a file nothing is cut: grep sees whole cells
# SGR colours of the states a table shows (green: done, yellow: waiting on you or
# left to you, red: failed)
COLOURS = {"ok": "32", "created": "32", "saved": "32", "sent_or_deleted": "2", "due": "33",
           "user_edited": "33", "user_moved": "33", "user_deleted": "33",
           "failed": "31"}


def cells(text: str) -> int:
    """How many terminal cells `text` takes (its characters' widths summed)."""
    if text.isascii() and text.isprintable():  # one cell each: wcwidth is not loaded
        return len(text)
    from wcwidth import wcswidth

    width = wcswidth(text)
    return width if width >= 0 else sum(_cell(c) for c in text)


def _cell(char: str) -> int:
    if char.isascii() and char.isprintable():
        return 1
    from wcwidth import wcwidth

    return max(wcwidth(char), 0)


def fit(text: str, width: int) -> str:
    """`text` on one line, padded to `width` cells, or cut to them with an ellipsis."""
    text = " ".join(text.split())
    used = cells(text)
    if used <= width:
        return text + " " * (width - used)
    kept, used = [], 0
    for char in text:
        size = _cell(char)
        if used + size > width - 1:
            break
        kept.append(char)
        used += size
    return "".join(kept) + ELLIPSIS + " " * (width - 1 - used)


def width_of(stream: TextIO | None = None) -> int:
    """The terminal's width; unlimited when `stream` (stdout) is not a terminal."""
    return shutil.get_terminal_size().columns if (stream or sys.stdout).isatty() \
        else PIPE_WIDTH


def colour_wanted(asked: bool | None, stream: TextIO | None = None) -> bool:
    """--color/--no-color when given; else colour on a terminal (`stream`, stdout),
    unless NO_COLOR is set (https://no-color.org) or the terminal is "dumb"."""
    if asked is not None:
        return asked
    return (stream or sys.stdout).isatty() and not os.environ.get("NO_COLOR") and \
        os.environ.get("TERM") != "dumb"


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]], width: int,
                 coloured: Collection[int] = (), colour: bool = False) -> str:
    """Columns padded to line up, in cells; when wider than `width`, the last column
    is cut first, then the first. The `coloured` columns' states are coloured."""
    widths = [max([cells(h)] + [cells(" ".join(str(r[i]).split())) for r in rows])
              for i, h in enumerate(headers)]
    over = sum(widths) + 2 * (len(widths) - 1) - width
    if over > 0:
        cut = min(over, max(0, widths[-1] - 30))
        widths[-1] -= cut
        widths[0] = max(24, widths[0] - (over - cut))
    lines = [_line(headers, widths, (), False), _line(["-" * w for w in widths], widths, (),
                                                      False)]
    return "\n".join(lines + [_line(r, widths, coloured, colour) for r in rows])


def _line(cells_of: Sequence[str], widths: Sequence[int], coloured: Collection[int],
          colour: bool) -> str:
    parts = [fit(str(cell), w) for cell, w in zip(cells_of, widths, strict=True)]
    if colour:
        parts = [_paint(p) if i in coloured else p for i, p in enumerate(parts)]
    return "  ".join(parts).rstrip()


def _paint(padded: str) -> str:
    state = padded.strip()
    code = COLOURS.get(state.split(" ")[0])
    if code is None:
        return padded
    return padded.replace(state, f"\x1b[{code}m{state}\x1b[0m", 1)
