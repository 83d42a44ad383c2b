"""Commands on whole interviews: new, list, show, edit, close, reopen, rm."""

from __future__ import annotations

from typing import Optional

import typer

from followup import actions
from followup.checklists import DEFAULT_CHECKLIST
from followup.cli import app
from followup.cli.context import Env, current, interactive
from followup.errors import UsageError
from followup.models import OUTCOMES, Interview
from followup.views import interview_json, interview_rows

JSON = typer.Option(False, "--json", help="Print JSON instead of a table.")


@app.command()
def new(
    company: Optional[str] = typer.Option(None, "--company", "-c", help="The company you interviewed with."),
    role: Optional[str] = typer.Option(None, "--role", "-r", help="The job title."),
    interviewer: list[str] = typer.Option([], "--interviewer", "-i", help="An interviewer's name; repeat for a panel."),
    at: Optional[str] = typer.Option(None, "--at", help="When the interview started (default: now)."),
    checklist: str = typer.Option(DEFAULT_CHECKLIST, "--checklist", help="A checklist name or a PATH.yaml."),
    flag: list[str] = typer.Option([], "--flag", "-f", help="A flag that is true, such as late or video; repeatable."),
    decision_by: Optional[str] = typer.Option(None, "--decision-by", help="When they will decide."),
    note: Optional[str] = typer.Option(None, "--note", help="A personal note for the thank-you letter."),
    done: list[str] = typer.Option([], "--done", help="A step already done, such as shake-hands; repeatable."),
    json: bool = JSON,
) -> None:
    """Make an interview's dated checklist; asks for what is missing in a terminal.

    Example: followup new --company Acme --role "Data analyst" -i "Ana Lopez" --at "today 10:00"
    """
    from followup import checklists as checklist_files
    from followup.cli.questions import ask_new

    env = current()
    loaded = checklist_files.load(checklist_files.locate(checklist, env.checklist_dir))
    answers = ask_new(env, loaded, company, role, interviewer, at, flag, decision_by, note, asking=interactive())
    interview = actions.plan(loaded, now=env.now, zone_name=env.zone_name, **answers)
    if done:
        actions.tick_planned(actions.find_steps(interview, done), env.now)
    elif interactive() and not json:
        from followup.cli.questions import ask_already_done

        actions.tick_planned(ask_already_done(interview, env.now), env.now)
    with env.store.change() as document:
        summary = actions.add(document, interview, env.now)
    from followup.schedule import too_late

    render = env.render
    if json:
        render.json(interview_json(interview, env.now))
    else:
        render.interview(interview)
    render.changed(summary)
    warned: set[str] = set()
    for late in too_late(interview, loaded, env.now):
        if late.step.source in warned:
            continue  # one warning for the letters to every interviewer
        warned.add(late.step.source)
        advice = late.advice or "Do it today, by the fastest way you have."
        render.warn(
            f"{late.step.source}: the decision is close; this was due by {render.when(late.deadline)}. {advice.strip()}"
        )


@app.command("list")
def list_(
    all_: bool = typer.Option(False, "--all", "-a", help="Include closed interviews."),
    json: bool = JSON,
) -> None:
    """One line per open interview: progress, next step and overdue count.

    Example: followup list --all
    """
    env = current()
    document = env.store.read()
    interviews = document.every() if all_ else list(document.open.values())
    rows = interview_rows(interviews, env.now)
    if json:
        env.render.json([interview_json(row.interview, env.now) for row in rows])
    else:
        env.render.interviews(rows, all_)


@app.command()
def show(
    interview_id: str = typer.Argument(..., metavar="ID", help="The interview's id, or the start of it."),
    json: bool = JSON,
) -> None:
    """An interview and its steps: status, due time, and why each step matters.

    Example: followup show acme
    """
    env = current()
    interview = actions.find_interview(env.store.read(), interview_id)
    if json:
        env.render.json(interview_json(interview, env.now))
    else:
        env.render.interview(interview)


@app.command()
def edit(
    interview_id: str = typer.Argument(..., metavar="ID", help="The interview's id, or the start of it."),
    company: Optional[str] = typer.Option(None, "--company", help="New company name."),
    role: Optional[str] = typer.Option(None, "--role", help="New job title."),
    interviewer: list[str] = typer.Option([], "--interviewer", "-i", help="Replace the interviewers; repeatable."),
    at: Optional[str] = typer.Option(None, "--at", help="New start time; due times follow it."),
    decision_by: Optional[str] = typer.Option(None, "--decision-by", help="New decision date ('none' to clear)."),
    note: Optional[str] = typer.Option(None, "--note", help="New personal note ('' to clear)."),
    json: bool = JSON,
) -> None:
    """Change an interview's details; due times follow a new start or decision date.

    Example: followup edit acme-1128 --decision-by "next friday"
    """
    env = current()
    changes: dict[str, object] = {}
    if company is not None:
        changes["company"] = _not_blank(company, "--company")
    if role is not None:
        changes["role"] = _not_blank(role, "--role")
    if at is not None:
        changes["at"] = env.when(at, "--at")
    if decision_by is not None:
        none = decision_by.strip().lower() in ("", "none")
        changes["decision_by"] = None if none else env.when(decision_by, "--decision-by", "future")
    if note is not None:
        changes["notes"] = note.strip() or None
    if interviewer:
        changes["interviewers"] = [name.strip() for name in interviewer if name.strip()]
    with env.store.change() as document:
        interview = actions.find_interview(document, interview_id)
        summary = actions.edit(document, interview, changes, env.now)
    if "interviewers" in changes:
        env.render.warn("the steps keep their interviewers; run `followup new` again for a different panel")
    _after_change(env, interview, summary, json)


@app.command()
def close(
    interview_id: str = typer.Argument(..., metavar="ID", help="The interview's id, or the start of it."),
    outcome: str = typer.Option(..., "--outcome", "-o", help="offer, rejected, withdrawn or no-response."),
    json: bool = JSON,
) -> None:
    """Close an interview with its outcome; it leaves `list` and `due`.

    Example: followup close acme-1128 --outcome offer
    """
    if outcome not in OUTCOMES:
        raise UsageError(f"--outcome: {outcome!r} is not an outcome", f"use one of: {', '.join(OUTCOMES)}")
    env = current()
    with env.store.change() as document:
        interview = actions.find_interview(document, interview_id)
        summary = actions.close(document, interview, outcome, env.now)  # type: ignore[arg-type]
    _after_change(env, interview, summary, json)


@app.command()
def reopen(
    interview_id: str = typer.Argument(..., metavar="ID", help="The interview's id, or the start of it."),
    json: bool = JSON,
) -> None:
    """Open a closed interview again.

    Example: followup reopen acme-1128
    """
    env = current()
    with env.store.change() as document:
        interview = actions.find_interview(document, interview_id)
        summary = actions.reopen(document, interview, env.now)
    _after_change(env, interview, summary, json)


@app.command()
def rm(
    interview_id: str = typer.Argument(..., metavar="ID", help="The interview's id, or the start of it."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Delete an interview (plain `followup undo` brings it back).

    Example: followup rm acme-1128 --yes
    """
    env = current()
    interview = actions.find_interview(env.store.read(), interview_id)
    if not yes:
        if not interactive():
            raise UsageError(f"not deleting {interview.id} without confirmation", "add --yes to delete it")
        if not typer.confirm(f"Delete {interview.id} ({interview.company}, {interview.role})?", err=True):
            raise typer.Exit(1)
    with env.store.change() as document:
        summary = actions.remove(document, actions.find_interview(document, interview.id), env.now)
    env.render.changed(summary)


def _after_change(env: Env, interview: Interview, summary: str, json: bool) -> None:
    if json:
        env.render.json(interview_json(interview, env.now))
    env.render.changed(summary)


def _not_blank(value: str, option: str) -> str:
    if not value.strip():
        raise UsageError(f"{option} must not be empty")
    return value.strip()
