"""Commands on whole interviews: new, list, show, close, reopen, rm (edit has its own module)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional, cast

import typer

from followup.cli.context import Env, current, interactive
from followup.cli.options import ADDRESS_HELP, INTERVIEW_ID, JSON, complete_checklist, complete_outcome
from followup.cli.registry import group
from followup.constants import DEFAULT_CHECKLIST, OUTCOMES, Outcome
from followup.errors import UsageError

if TYPE_CHECKING:
    from datetime import datetime

    from followup.cli.questions import NewInterview
    from followup.planning import Plan


app = group()


@app.command()
def new(
    company: Optional[str] = typer.Option(
        None, "--company", "-c", metavar="NAME", help="The company you interviewed with."
    ),
    role: Optional[str] = typer.Option(None, "--role", "-r", metavar="TEXT", help="The job title."),
    interviewer: list[str] = typer.Option(
        [],
        "--interviewer",
        "-i",
        metavar="NAME",
        help='An interviewer, "Name" or "Name <name@example.com>"; repeat for a panel.',
    ),
    at: Optional[str] = typer.Option(None, "--at", metavar="WHEN", help="When the interview started (default: now)."),
    checklist: str = typer.Option(
        DEFAULT_CHECKLIST,
        "--checklist",
        metavar="NAME",
        help="A checklist name or a PATH.yaml.",
        autocompletion=complete_checklist,
    ),
    flag: list[str] = typer.Option(
        [], "--flag", "-f", metavar="FLAG", help="A flag that is true, such as late or video; repeatable."
    ),
    decision_by: Optional[str] = typer.Option(None, "--decision-by", metavar="WHEN", help="When they will decide."),
    note: Optional[str] = typer.Option(
        None, "--note", metavar="TEXT", help="A personal note for the thank-you letter."
    ),
    done: list[str] = typer.Option(
        [], "--done", metavar="STEP", help="A step already done, such as shake-hands; repeatable."
    ),
    note_for: list[str] = typer.Option(
        [], "--note-for", metavar="NAME=TEXT", help="A note for one interviewer's letter; repeatable."
    ),
    force: bool = typer.Option(
        False, "--force", help="Add it without a word if an interview with the same company and start exists."
    ),
    address: Optional[str] = typer.Option(None, "--address", metavar="TEXT", help=ADDRESS_HELP),
    json: bool = JSON,
) -> None:
    """Record an interview and plan its follow-up steps.

    In a terminal it asks for whatever the options leave out, then which of
    the steps already due you have done.

    \b
    Examples:
      followup new
      followup new --company Acme --role "Data analyst" -i "Ana Lopez" --at "today 10:00" --done shake-hands
      followup new -c Acme -r Analyst -i "Ana López <ana@acme.example>" --address "Acme GmbH\\nMain St 1"
    """
    from followup import checklists as checklist_files
    from followup.checked_checklists import CheckedChecklist
    from followup.cli.questions import ask_new
    from followup.contacts import parse_people

    env = current()
    parse_people(interviewer)  # a malformed address stops the command before any question
    path = checklist_files.locate(checklist, env.checklist_dir)
    checked = checklist_files.load_checked(path, env.home)  # without YAML and models if checked before
    answers = ask_new(
        env, checked, company, role, interviewer, at, flag, decision_by, note, note_for, asking=interactive()
    )
    if answers.read:  # dates from words, on a line of their own, so that a misreading shows
        env.render.note(f"read {'; '.join(answers.read)}")
    if not force:
        _not_twice(env, answers.company, answers.at)
    if not json and (done or not interactive()) and _added_quickly(env, checked, answers, done, address):
        return
    from followup import actions
    from followup.cli.questions import ask_already_done
    from followup.contacts import address_text, with_contacts
    from followup.schedule import too_late
    from followup.status import find_steps
    from followup.views import interview_json
    from followup.when import zone_name_at

    loaded = checklist_files.load(path) if isinstance(checked, CheckedChecklist) else checked
    people = answers.people
    interview = actions.plan(
        loaded,
        company=answers.company,
        role=answers.role,
        interviewers=[person.name for person in people],
        at=answers.at,
        zone_name=zone_name_at(answers.at, env.zone_name),
        flags=answers.flags,
        decision_by=answers.decision_by,
        notes=answers.notes,
        now=env.now,
    )
    if answers.interviewer_notes:
        interview.interviewer_notes = answers.interviewer_notes
    interview.contacts, interview.address = with_contacts(interview, people), address_text(address or "")
    if done:
        actions.tick_planned(interview, find_steps(interview, done, label=f"checklist {loaded.name}"), env.now)
    elif interactive() and not json:
        actions.tick_planned(interview, ask_already_done(interview, env.now), env.now)
    with env.change() as document:
        summary = actions.add(document, interview, env.now)
    if json:
        env.render.json(interview_json(interview, env.now))
    else:
        env.render.interview(interview)
    env.render.changed(summary)
    env.render.too_late(too_late(interview, loaded, env.now))


@app.command("list")
def list_(
    all_: bool = typer.Option(False, "--all", "-a", help="Include closed interviews."),
    json: bool = JSON,
) -> None:
    """List open interviews: progress, overdue steps, what is next.

    \b
    Examples:
      followup list
      followup list --all --json
    """
    from followup.store.queries import open_summaries
    from followup.store.summary import summarize

    env = current()
    if json or all_:
        document = env.store.read()
        # Each interview's model is dropped once its text or row is made: 10,000 models would take 125 MiB.
        if json:
            from followup.escape import json_member
            from followup.views import interview_json

            env.render.json_list(document.each(lambda i: json_member(interview_json(i, env.now)), closed=all_))
            return
        rows = document.each(summarize)
    else:
        rows = sorted(open_summaries(env.home), key=lambda row: (row.at, row.id))
    env.render.interviews(rows, all_)


@app.command()
def show(interview_id: str = INTERVIEW_ID, json: bool = JSON) -> None:
    """Show an interview's steps, when each is due, and why.

    \b
    Example:
      followup show acme
    """
    env = current()
    if json:
        from followup import actions
        from followup.views import interview_json

        env.render.json(interview_json(actions.find_interview(env.store.read(), interview_id), env.now))
    else:
        env.render.interview(env.interview_to_show(interview_id))


@app.command()
def close(
    interview_id: str = INTERVIEW_ID,
    outcome: str = typer.Option(
        ...,
        "--outcome",
        "-o",
        metavar="OUTCOME",
        help="offer, rejected, withdrawn or no-response.",
        autocompletion=complete_outcome,
    ),
    json: bool = JSON,
) -> None:
    """Close an interview with its outcome (offer, rejected...).

    \b
    Example:
      followup close acme-1128 --outcome offer
    """
    if outcome not in OUTCOMES:
        raise UsageError(f"--outcome: {outcome!r} is not an outcome", f"use one of: {', '.join(OUTCOMES)}")
    env = current()
    if not json:
        from followup.store.stored_change import close as close_file

        quick = env.change_quickly(lambda: close_file(env.home, env.lock_timeout, interview_id, outcome, env.now))
        if quick is not None:
            env.changed(quick)
            return
    from followup import actions

    with env.change() as document:
        interview = actions.find_interview(document, interview_id)
        summary = actions.close(document, interview, cast(Outcome, outcome), env.now)
    env.changed(summary, interview, json)


@app.command()
def reopen(interview_id: str = INTERVIEW_ID, json: bool = JSON) -> None:
    """Open a closed interview again.

    \b
    Example:
      followup reopen acme-1128
    """
    from followup import actions

    env = current()
    with env.change() as document:
        interview = actions.find_interview(document, interview_id)
        summary = actions.reopen(document, interview, env.now)
    env.changed(summary, interview, json)


@app.command()
def rm(
    interview_id: str = INTERVIEW_ID,
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Delete an interview; plain `followup undo` brings it back.

    \b
    Example:
      followup rm acme-1128 --yes
    """
    from followup import actions

    env = current()
    interview = actions.find_interview(env.store.read(), interview_id)
    if not yes:
        if not interactive():
            raise UsageError(f"not deleting {interview.id} without confirmation", "add --yes to delete it")
        if not typer.confirm(f"Delete {interview.id} ({interview.company}, {interview.role})?", err=True):
            raise typer.Exit(1)
    with env.change() as document:
        summary = actions.remove(document, actions.find_interview(document, interview.id), env.now)
    env.changed(summary)


def _added_quickly(env: Env, checklist: Plan, answers: NewInterview, done: list[str], address: str | None) -> bool:
    """Add the interview on the store's files as they are (`followup.store.stored_add`),
    from a checked checklist, and say so as the validating way does; False where that
    way must add it (nothing is written or printed then)."""
    from followup.checked_checklists import CheckedChecklist
    from followup.contacts import address_text
    from followup.new_interview import planned
    from followup.planning import too_late
    from followup.store.stored_add import add
    from followup.when import zone_name_at

    if not isinstance(checklist, CheckedChecklist):
        return False
    try:
        address_lines = address_text(address or "")
    except UsageError:
        return False  # the validating way says so, after what it checks first
    data = planned(
        checklist,
        company=answers.company,
        role=answers.role,
        people=answers.people,
        at=answers.at,
        zone_name=zone_name_at(answers.at, env.zone_name),
        flags=answers.flags,
        decision_by=answers.decision_by,
        notes=answers.notes,
        interviewer_notes=answers.interviewer_notes,
        address=address_lines,
        done=done,
        now=env.now,
    )
    added = env.change_quickly(lambda: add(env.home, env.lock_timeout, data, env.now)) if data else None
    if added is None:
        return False
    summary, interview = added
    env.render.interview(interview)
    env.render.changed(summary)
    env.render.too_late(too_late(interview, checklist, env.now))
    return True


def _not_twice(env: Env, company: str, at: datetime) -> None:
    """Say so before adding an interview identical to an open one (same
    company, whatever its case, and the same start), unless `--force`.

    In a terminal: a warning and a question whose default is no, since the
    likely cause is a slip (the same interview typed twice). Without one: a
    warning, and it is added. A script cannot answer, the id rule already gives
    a second interview on the same day its own id (`acme-1128-2`), and two
    rounds with one company can be booked back to back at one time in a
    calendar import; the retry that would make a duplicate by mistake is
    prevented where it starts (a saved change is never reported as a failure).
    """
    from followup.store.queries import open_summaries

    # The open interviews' summaries (from the index, which `due` reads too), not
    # the models of every interview: a twin is a slip made while it is still open.
    twin = next(
        (old for old in open_summaries(env.home) if old.company.casefold() == company.casefold() and old.at == at),
        None,
    )
    if twin is None:
        return
    env.render.warn(f"{twin.id} is already an interview with {twin.company} at {env.render.format_time(twin.at)}")
    if interactive() and not typer.confirm("Add another one anyway?", default=False, err=True):
        raise typer.Abort()
