"""Outside text made safe for a terminal, a mail header or an iCalendar line."""

from __future__ import annotations

import re

# Whoever sends an invitation writes its text: control characters (ESC turns a
# terminal red, CR/LF would end an iCalendar line or a mail header) stop here.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_LINE_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def clean_line(value: str) -> str:
    """Outside text for one line: every control character (line breaks too) a space."""
    return _LINE_CONTROLS.sub(" ", value).strip()


def clean_text(value: str) -> str:
    """Outside text of several lines: line breaks and tabs kept, other controls gone."""
    return _CONTROLS.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
