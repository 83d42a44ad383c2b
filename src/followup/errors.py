"""The one exception family users can cause, each with the exit code SPEC gives it.

The core raises these; the CLI catches them in one place and prints the message,
so no traceback ever reaches a user for something they did.
"""

from __future__ import annotations

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_OVERDUE = 3


class FollowupError(Exception):
    """An error with a plain message (one or two lines) and an exit code."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(FollowupError):
    """The caller's syntax is wrong: an unparseable WHEN, a missing flag."""

    exit_code = EXIT_USAGE


class NotFound(FollowupError):
    """No interview or step matches what the user typed."""


class ChecklistError(FollowupError):
    """A checklist file cannot be found, read or validated."""


class StoreError(FollowupError):
    """The store is damaged, from a newer version, locked, or cannot be saved."""
