"""The one error tree of followup-daemon.

    FollowupError
    ├── UserError            bad input the user can fix: one line, exit status 2
    │   ├── ConfigError      an invalid config file (lists every problem)
    │   └── CalendarError    an unreadable or invalid calendar file
    ├── EventError           one event cannot be read; the rest of its calendar can
    └── ProviderError        a calendar or mail service failed
        ├── NotAsExpected    a write's precondition failed (a CalDAV 412 says no more)
        │   ├── NotFound
        │   ├── AlreadyExists
        │   └── Conflict     someone else changed it first
        ├── TransientError   worth retrying later
        │   ├── RateLimited  the service asked us to slow down
        │   ├── RetryAlone   one call of a batch is worth sending again on its own
        │   └── AnswerLost   a write was sent and its answer lost: settle by lookup
        └── AuthExpired      the user must authorise again

Adapters translate their SDK's exceptions into these in one place each, keeping the
SDK's exception as the cause (`raise ... from error`) for `--log-level debug`.
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


class NotAsExpected(ProviderError):
    """The object is not as the write expected: gone, there already, or changed. Raised
    as such when the service does not say which (an HTTP 412 to a conditional write)."""


class NotFound(NotAsExpected):
    """The object is not (or no longer) there."""


class AlreadyExists(NotAsExpected):
    """An object with that key exists already."""


class Conflict(NotAsExpected):
    """The object changed since it was read."""


class TransientError(ProviderError):
    """A failure that may pass: retry on the next pass."""


class RateLimited(TransientError):
    """The service asked to wait `retry_after` seconds (None when it did not say)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class RetryAlone(TransientError):
    """One call of a batch failed in a way worth retrying (throttled, a 5xx of a call
    safe to resend, a 401 a single request's token refresh settles): the adapter
    sends it again alone."""


class AnswerLost(TransientError):
    """A write that cannot safely be sent twice was sent, and its answer was lost
    (the connection closed or reset, a 5xx, a cut-off body): it may have landed.
    Never resend it blindly; look its key up, as after a crash."""


class AuthExpired(ProviderError):
    """The credentials no longer work; the user must authorise again."""
