"""Which module holds each command, and the Typer each command module makes.

Every command module defines its own `typer.Typer()` with `group()` and
registers its commands on it; `app` assembles them from `COMMANDS` without
importing them, so that a run imports and builds only the command it runs
(see `followup.cli.lazy`), and no command module imports `app` back.

The one-line summaries here are what `followup --help` lists without importing
every module; tests check that each is the first line of its command's
docstring.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import typer


class Entry(NamedTuple):
    module: str  # in followup.cli
    summary: str  # the first line of the command's docstring


# In the order `followup --help` lists them.
COMMANDS: dict[str, Entry] = {
    "new": Entry("interviews", "Record an interview and plan its follow-up steps."),
    "list": Entry("interviews", "List open interviews: progress, overdue steps, what is next."),
    "show": Entry("interviews", "Show an interview's steps, when each is due, and why."),
    "edit": Entry("edit", "Change an interview; its steps follow, done ones stay done."),
    "close": Entry("interviews", "Close an interview with its outcome (offer, rejected...)."),
    "reopen": Entry("interviews", "Open a closed interview again."),
    "rm": Entry("interviews", "Delete an interview; plain `followup undo` brings it back."),
    "done": Entry("steps", "Mark steps done."),
    "skip": Entry("steps", "Mark steps skipped: no longer pending, never overdue."),
    "undo": Entry("steps", "Undo the last change, or put steps back to pending."),
    "due": Entry("steps", "Show what is pending across all interviews, overdue first."),
    "letter": Entry("letter", "Draft a thank-you letter to each interviewer."),
    "sync": Entry("sync", "Send every step to a CalDAV task list and bring back what changed there."),
    "profile": Entry("profile", "Show or set your name, address, email and phone for letters."),
    "export": Entry("data", "Write every interview as JSON, the steps as a calendar, or a spreadsheet."),
    "import": Entry("data", "Replace the store with the interviews of an export, or merge them in."),
    "doctor": Entry("doctor", "Check the store, backups and checklists; say how to recover."),
    "stats": Entry("stats", "Show outcomes, letters sent on time, and offers after on-time versus late follow-up."),
    "demo": Entry("demo", "Try followup on a week of sample interviews, in a new temporary folder."),
    "checklists": Entry("checklists", "List, show and validate checklists."),
}


def group(**settings: Any) -> typer.Typer:
    """A command module's own Typer, with the settings every command shares:
    plain help (Typer's rich help loads markdown and traceback modules, a third
    of start-up) and no completion options of its own (the root has them).

    A module with several commands registers them all on it; a module whose
    Typer has a callback (`checklists`) is a group of its own."""
    return typer.Typer(rich_markup_mode=None, add_completion=False, pretty_exceptions_enable=False, **settings)
