"""Logs on stderr that a person can follow: timestamps on a terminal; under systemd,
no timestamps (the journal adds them) and `<N>` priority prefixes so the journal
keeps each line's level."""

from __future__ import annotations

import logging
import os
import sys

PRIORITIES = {logging.DEBUG: 7, logging.INFO: 6, logging.WARNING: 4, logging.ERROR: 3,
              logging.CRITICAL: 2}


class JournalFormatter(logging.Formatter):
    """`<6>message`: the priority prefix systemd's journal reads from stderr."""

    def format(self, record: logging.LogRecord) -> str:
        priority = PRIORITIES.get(record.levelno, 6)
        return "\n".join(f"<{priority}>{line}" for line in super().format(record).splitlines())


OWN = ("followup_daemon", "providers")


def own_or_serious(record: logging.LogRecord) -> bool:
    """The daemon's own lines, and the libraries' warnings and errors: their info and
    debug lines print whole requests and answers (caldav even logs calendar bodies
    on the root logger), which are the user's data."""
    return record.levelno >= logging.WARNING or record.name.startswith(OWN)


def under_systemd() -> bool:
    """Whether stderr goes to the journal (systemd sets JOURNAL_STREAM)."""
    return bool(os.environ.get("JOURNAL_STREAM"))


def setup_logging(level: str) -> None:
    """Log `level` and above to stderr, in the form that suits where it goes."""
    handler = logging.StreamHandler(sys.stderr)
    if under_systemd():
        handler.setFormatter(JournalFormatter("%(message)s"))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s",
                                               "%Y-%m-%d %H:%M:%S"))
    handler.addFilter(own_or_serious)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(getattr(logging, level.upper()))
