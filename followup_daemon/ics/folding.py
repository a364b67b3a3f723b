"""Content lines folded as icalendar folds them (RFC 5545 3.1), a line at a time.

icalendar's folder encodes every character on its own to count octets; for a
follow-up's call script (some thirty long lines) that was a third of writing the
file. This cuts the UTF-8 bytes instead, and gives the very same bytes: no line
over 75 octets, never inside a character, and never right after a backslash or
caret (icalendar keeps an escape such as `\\,` on one line).
"""

from __future__ import annotations

from collections.abc import Iterable

LIMIT = 75  # octets a line may reach; icalendar folds before it
_ESCAPES = b"\\^"


def fold(line: str) -> bytes:
    """One unfolded content line as folded UTF-8 bytes, without its line break."""
    data = line.encode("utf-8")
    if len(data) < LIMIT:
        return data
    parts: list[bytes] = []
    start = 0
    while len(data) - start >= LIMIT:
        cut = _char_start(data, start + LIMIT - 1)
        if data[cut - 1] in _ESCAPES and len(data[start:cut].decode("utf-8")) > 1:
            cut -= 1
        parts.append(data[start:cut])
        start = cut
    parts.append(data[start:])
    return b"\r\n ".join(parts)


def folded_lines(lines: Iterable[str]) -> bytes:
    """Content lines as a component's iCalendar bytes, each ending with CRLF (as
    icalendar's `Component.to_ical` joins them; empty lines left out)."""
    return b"".join(fold(line) + b"\r\n" for line in lines if line)


def _char_start(data: bytes, at: int) -> int:
    """`at`, or the start of the UTF-8 character byte `at` is inside of."""
    while data[at] & 0xC0 == 0x80:  # a continuation byte
        at -= 1
    return at
