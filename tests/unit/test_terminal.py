"""Tables in display cells, cut with an ellipsis, and colour only where wanted."""

from __future__ import annotations

import io

import pytest

from followup_daemon.terminal import cells, colour_wanted, fit, render_table


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_wide_and_combining_characters_take_their_cells() -> None:
    assert cells("面接") == 4 and cells("Cafe\u0301") == 4 and cells("Acme") == 4


def test_a_cjk_title_lines_up_with_latin_ones() -> None:
    table = render_table(("Event", "When"), [("面接 株式会社", "Mon"), ("Interview", "Tue")],
                         80)
    first, second = table.splitlines()[2:]
    # the second column starts at the same cell: 13 cells of title, then two spaces
    assert cells(first[: first.index("Mon")]) == cells(second[: second.index("Tue")]) == 15


def test_a_cut_ends_with_an_ellipsis_and_never_splits_a_wide_character() -> None:
    assert fit("Interview with Acme", 10) == "Interview…"
    cut = fit("面接面接面接", 6)
    assert cut == "面接… " and cells(cut) == 6


def test_a_table_fits_the_width_given() -> None:
    rows = [("x" * 60, "2026-12-01 10:00", "y" * 80)]
    table = render_table(("Event", "When", "Why"), rows, 100)
    assert all(cells(line) <= 100 for line in table.splitlines())
    assert "…" in table


def test_states_are_coloured_only_when_asked() -> None:
    rows = [("main", "ok"), ("other", "failed")]
    plain = render_table(("Account", "Result"), rows, 80, coloured=(1,))
    assert "\x1b" not in plain
    painted = render_table(("Account", "Result"), rows, 80, coloured=(1,), colour=True)
    assert "\x1b[32mok\x1b[0m" in painted and "\x1b[31mfailed\x1b[0m" in painted
    assert "\x1b" not in painted.splitlines()[0]  # never the headers


def test_colour_on_a_terminal_unless_no_color_or_told(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert colour_wanted(None, Terminal()) is True
    assert colour_wanted(None, io.StringIO()) is False  # a pipe
    assert colour_wanted(False, Terminal()) is False  # --no-color
    assert colour_wanted(True, io.StringIO()) is True  # --color
    monkeypatch.setenv("NO_COLOR", "1")
    assert colour_wanted(None, Terminal()) is False
