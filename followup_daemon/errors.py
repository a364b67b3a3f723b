"""The one error tree of followup-daemon.

    FollowupError
    ├── UserError            bad input the user can fix: one line, exit status 2
    │   ├── ConfigError      an invalid config file (lists every problem)
    │   └── CalendarError    an unreadable or invalid calendar file
    ├── EventError           one event cannot be read; the rest of its calendar can
    └── ProviderError        a calendar or mail service failed
        ├── NotFound
        ├── AlreadyExists
        ├── Conflict         someone else changed it first
        ├── TransientError   worth retrying later
        │   ├── RateLimited  the service asked us to slow down
        │   └── AnswerLost   a write was sent and its answer lost: settle by lookup
        └── AuthExpired      the user must authorise again

Adapters translate their SDK's exceptions into these at the boundary.
"""

from __future__ import annotations


class FollowupError(Exception):
    """Base of every error the daemon raises on purpose."""


class UserError(FollowupError):
    """Input the user can fix; the message is one line naming what and where."""

    exit_status = 2


class ConfigError(UserError):
    """An invalid config: every problem, each with its key and a hint."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


class CalendarError(UserError):
    """A calendar file that cannot be read as iCalendar."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")


class EventError(FollowupError):
    """One event that cannot be read; the reader skips it with a warning."""

    def __init__(self, uid: str, problem: str) -> None:
        self.uid = uid
        super().__init__(f"event {uid}: {problem}")


class ProviderError(FollowupError):
    """A calendar or mail service failed."""


class NotFound(ProviderError):
    """The object is not (or no longer) there."""


class AlreadyExists(ProviderError):
    """An object with that key exists already."""


class Conflict(ProviderError):
    """The object changed since it was read."""


class TransientError(ProviderError):
    """A failure that may pass: retry on the next pass."""


class RateLimited(TransientError):
    """The service asked to wait `retry_after` seconds (None when it did not say)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class AnswerLost(TransientError):
    """A write that cannot safely be sent twice was sent, and its answer was lost
    (the connection closed or reset, a 5xx, a cut-off body): it may have landed.
    Never resend it blindly; look its key up, as after a crash."""


class AuthExpired(ProviderError):
    """The credentials no longer work; the user must authorise again."""
