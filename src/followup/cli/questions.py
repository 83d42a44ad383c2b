"""The questions `followup new` asks in a terminal, for what flags did not give.

Questions go to stderr, so `--json` output on stdout stays clean. A wrong date
is asked again with an example instead of ending the command.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

import typer

from followup.actions import check_flags
from followup.cli.context import Env
from followup.contacts import Person, parse_people
from followup.errors import UsageError
from followup.models import Checklist, Interview, Step
from followup.render.escape import printable


@dataclass(frozen=True)
class NewInterview:
    """What `followup new` plans an interview from: the options, and the answers to what they left out."""

    company: str
    role: str
    interviewers: list[str]
    at: datetime
    flags: dict[str, bool]
    decision_by: datetime | None
    notes: str | None
    people: list[Person] = field(default_factory=list)  # the interviewers with their emails (issue 12)


def ask_new(
    env: Env,
    checklist: Checklist,
    company: str | None,
    role: str | None,
    interviewers: list[str],
    at: str | None,
    flags: list[str],
    decision_by: str | None,
    note: str | None,
    *,
    asking: bool,
) -> NewInterview:
    """The fields of a new interview, from the options and, in a terminal, questions.

    Questions are asked only when something required is missing; then every
    field the options left out is asked for, so one run of `followup new`
    with no options is a complete interview.
    """
    missing = [name for name, value in (("--company", company), ("--role", role)) if not (value and value.strip())]
    if missing and not asking:
        raise UsageError(
            f"missing {' and '.join(missing)}",
            'for example: followup new --company Acme --role "Data analyst" --at "today 10:00"',
        )
    check_flags(checklist, flags)
    flag_values = {name: True for name in flags}
    if not missing:
        people = parse_people(interviewers)
        return NewInterview(
            company=company or "",
            role=role or "",
            interviewers=[person.name for person in people],
            at=env.parse_when(at, "--at") if at else env.now,
            flags=flag_values,
            decision_by=env.parse_when(decision_by, "--decision-by", "future") if decision_by else None,
            notes=note,
            people=people,
        )
    company = company or _ask_text("Company")
    role = role or _ask_text("Role")
    if not interviewers:
        names = typer.prompt(
            "Interviewers, separated by commas (empty if you do not know)", default="", show_default=False, err=True
        )
        interviewers = [name.strip() for name in names.split(",") if name.strip()]
    people = ask_emails(parse_people(interviewers))  # each one's email after the names (Enter skips)
    when = env.parse_when(at, "--at") if at else _ask_when(env, "When did the interview start?", "now", "past")
    if when is None:  # an empty answer to a question whose default is "now"
        when = env.now
    for name, question in checklist.flags.items():
        if name not in flag_values:
            flag_values[name] = typer.confirm(printable(question), default=False, err=True)
    if decision_by:
        decision: datetime | None = env.parse_when(decision_by, "--decision-by", "future")
    else:
        decision = _ask_when(env, "When will they decide? (empty if unknown)", "", "future")
    if note is None:
        note = typer.prompt(
            "A personal note for the letter, such as something you talked about (empty to skip)",
            default="",
            show_default=False,
            err=True,
        )
    return NewInterview(
        company=company,
        role=role,
        interviewers=[person.name for person in people],
        at=when,
        flags=flag_values,
        decision_by=decision,
        notes=note,
        people=people,
    )


def ask_already_done(interview: Interview, now: datetime) -> list[Step]:
    """For each step already due, whether the user has done it."""
    return [
        step
        for step in interview.steps
        if step.due <= now and typer.confirm(f"Already done: {printable(step.title)}?", default=True, err=True)
    ]


def _ask_text(label: str) -> str:
    while True:
        value = str(typer.prompt(label, err=True)).strip()
        if value:
            return value


def _ask_when(env: Env, question: str, default: str, prefer: Literal["past", "future"]) -> datetime | None:
    while True:
        answer = str(typer.prompt(question, default=default, show_default=bool(default), err=True)).strip()
        if not answer:
            return None
        try:
            return env.parse_when(answer, "date", prefer)
        except UsageError as exc:
            typer.echo(f"{exc.message}; {exc.hint}", err=True)


# --- contacts (issue 12) ----------------------------------------------------------------


def ask_emails(people: list[Person]) -> list[Person]:
    """The email address of each interviewer who has none, asked after their name
    (Enter skips); a mistyped address is asked again."""
    from followup.contacts import check_address

    answered = []
    for person in people:
        while not person.email:
            answer = typer.prompt(
                f"Email address of {printable(person.name)} (Enter to skip)", default="", show_default=False, err=True
            ).strip()
            if not answer:
                break
            try:
                person = Person(person.name, check_address(answer, "email"))
            except UsageError as exc:
                typer.echo(f"{exc.message}; {exc.hint}", err=True)
        answered.append(person)
    return answered
