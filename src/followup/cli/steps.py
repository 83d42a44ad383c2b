"""Commands on steps: done, skip, undo, and `due` across every interview."""

from __future__ import annotations

import shlex
from datetime import datetime
from typing import Optional

import typer

from followup.cli import due as due_options
from followup.cli.context import Env, current
from followup.cli.options import INTERVIEW_ID, JSON, STEPS, complete_interview_id, complete_step
from followup.cli.registry import group
from followup.constants import Status
from followup.errors import FollowupError, UsageError

app = group()


def _change_status(
    env: Env,
    interview_id: str,
    steps: list[str],
    status: Status,
    json: bool,
    *,
    at: datetime | None = None,
    note: str | None = None,
    reason: str | None = None,
) -> None:
    if not json:
        from followup.store.stored_change import change_status

        quick = env.change_quickly(
            lambda: change_status(
                env.home, env.lock_timeout, interview_id, steps, status, env.now, at=at, note=note, reason=reason
            )
        )
        if quick is not None:
            env.changed(quick)
            return
    from followup import actions
    from followup.status import find_steps

    with env.change() as document:
        interview = actions.find_interview(document, interview_id)
        found = find_steps(interview, steps)
        summary = actions.set_status(document, interview, found, status, env.now, at=at, note=note, reason=reason)
    env.changed(summary, interview, json)


@app.command()
def done(
    interview_id: str = INTERVIEW_ID,
    steps: list[str] = STEPS,
    at: Optional[str] = typer.Option(None, "--at", metavar="WHEN", help="When you did it (default: now)."),
    note: Optional[str] = typer.Option(None, "--note", metavar="TEXT", help="A note to keep with the step."),
    json: bool = JSON,
) -> None:
    """Mark steps done.

    \b
    Examples:
      followup done acme-1128 write-letter
      followup done acme 4 5 --at "yesterday 18:00" --note "posted at the station"
    """
    env = current()
    _change_status(env, interview_id, steps, "done", json, at=env.parse_when(at, "--at") if at else None, note=note)


@app.command()
def skip(
    interview_id: str = INTERVIEW_ID,
    steps: list[str] = STEPS,
    reason: Optional[str] = typer.Option(None, "--reason", metavar="TEXT", help="Why the step does not apply."),
    json: bool = JSON,
) -> None:
    """Mark steps skipped: no longer pending, never overdue.

    \b
    Example:
      followup skip acme-1128 greet-staff --reason "met only the recruiter"
    """
    _change_status(current(), interview_id, steps, "skipped", json, reason=reason)


@app.command()
def undo(
    interview_id: Optional[str] = typer.Argument(
        None, metavar="ID", help="The interview's id, or the start of it.", autocompletion=complete_interview_id
    ),
    steps: Optional[list[str]] = typer.Argument(
        None, metavar="STEP", help="Steps to put back to pending.", autocompletion=complete_step
    ),
    json: bool = JSON,
) -> None:
    """Undo the last change, or put steps back to pending.

    Plain `followup undo` reverts the last change of any kind (a new
    interview, a tick, an edit, a close, a deletion) and says what it
    reverted; repeated, it walks further back.

    \b
    Examples:
      followup undo
      followup undo acme-1128 shake-hands
    """
    env = current()
    if interview_id is None:
        from followup.store.stored_change import undo_last

        quick = env.change_quickly(lambda: undo_last(env.home, env.lock_timeout))
        if quick is not None:
            if json:
                env.render.json({"undone": quick[0]})
            env.changed(quick[1])
            return
        from followup import journal

        with env.change() as document:
            _settle_kept_copies(env)
            if not document.journal:
                _nothing_to_undo(env)
            summary, line = journal.undo_last(document)
        if json:
            env.render.json({"undone": summary})
        env.changed(line)
        return
    if not steps:
        raise UsageError(
            "name the steps to put back to pending", "or run plain `followup undo` to revert the last change"
        )
    _change_status(env, interview_id, steps, "pending", json)


@app.command()
def due(
    within: Optional[str] = typer.Option(
        None, *due_options.WITHIN, metavar="SPAN", help="Only steps due within this span, such as 3d."
    ),
    check: bool = typer.Option(False, *due_options.CHECK, help="Exit with status 3 when anything is overdue."),
    all_: bool = typer.Option(False, *due_options.ALL, help="Show every step, not just a screenful."),
    json: bool = typer.Option(False, *due_options.JSON, help=JSON.help),
) -> None:
    """Show what is pending across all interviews, overdue first.

    \b
    Examples:
      followup due --within 3d
      followup due --check || notify-send "A follow-up is overdue"
    """
    status = due_options.show_due(current(), within, check=check, everything=all_, json=json)
    if status:
        raise typer.Exit(status)


def _settle_kept_copies(env: Env) -> None:
    """Under the lock, a copy that a killed import staged is removed or kept (see exports.backup)."""
    from followup.exports.backup import settle_kept_copies

    settle_kept_copies(env.home, env.store.path)


def _nothing_to_undo(env: Env) -> None:
    """With an empty journal, name the copy that an import too large to undo kept, if any."""
    from followup.exports.backup import latest_kept_copy

    kept = latest_kept_copy(env.home)
    if kept is not None:
        raise FollowupError(
            f"nothing to undo; the store as it was before a large import is kept in {kept}",
            f"to bring it back (replacing the store as it is now): followup import {shlex.quote(str(kept))} --yes",
        )
