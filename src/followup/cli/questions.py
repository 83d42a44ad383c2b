"""The questions `followup new` asks in a terminal, for what flags did not give.

Questions go to stderr, so `--json` output on stdout stays clean. A wrong date
is asked again with an example instead of ending the command.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Literal

import typer

from followup.cli.context import Env
from followup.contacts import Person, parse_people
from followup.errors import UsageError
from followup.escape import printable
from followup.planning import Plan, check_flags
from followup.when import When

if TYPE_CHECKING:
    from followup.models import Interview, Step


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
    read: tuple[str, ...] = ()  # how dates given in words were read: `--at "yesterday 10:00" as Fri 27 Nov 10:00`
    interviewer_notes: dict[str, str] = field(default_factory=dict)
    people: list[Person] = field(default_factory=list)  # the interviewers with their emails (issue 12)


def ask_new(
    env: Env,
    checklist: Plan,
    company: str | None,
    role: str | None,
    interviewers: list[str],
    at: str | None,
    flags: list[str],
    decision_by: str | None,
    note: str | None,
    note_for: list[str] | None = None,
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
    read: list[str] = []
    check_notes_for(note_for or [])
    if not missing:
        people = parse_people(interviewers)
        return NewInterview(
            company=company or "",
            role=role or "",
            interviewers=[person.name for person in people],
            at=_echoed(env, read_start(env, at, "--at", asking=asking), "--at", at, read) if at else env.now,
            flags=flag_values,
            decision_by=_echoed(
                env, env.read_when(decision_by, "--decision-by", "future"), "--decision-by", decision_by, read
            )
            if decision_by
            else None,
            notes=note,
            read=tuple(read),
            interviewer_notes=notes_for("", [person.name for person in people], {}, note_for or []),
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
    interviewers = [person.name for person in people]
    if at:
        when: datetime | None = _echoed(env, read_start(env, at, "--at", asking=True), "--at", at, read)
    else:
        when = _ask_when(env, "When did the interview start?", "now", "past", start=True)
    if when is None:  # an empty answer to a question whose default is "now"
        when = env.now
    for name, question in checklist.flags.items():
        if name not in flag_values:
            flag_values[name] = typer.confirm(printable(question), default=False, err=True)
    if decision_by:
        decision: datetime | None = _echoed(
            env, env.read_when(decision_by, "--decision-by", "future"), "--decision-by", decision_by, read
        )
    else:
        decision = _ask_when(env, "When will they decide? (empty if unknown)", "", "future")
    if note is None:
        note = typer.prompt(
            "A personal note for the letter, such as something you talked about (empty to skip)",
            default="",
            show_default=False,
            err=True,
        )
    own = notes_for("", interviewers, {}, note_for or [])
    if len(interviewers) >= 2:  # a panel: a note about what you talked about with each one
        for name in interviewers:
            if name not in own:
                answer = typer.prompt(
                    f"Note for {printable(name)} (Enter to use the interview's note)",
                    default="",
                    show_default=False,
                    err=True,
                ).strip()
                if answer:
                    own[name] = answer
    return NewInterview(
        company=company,
        role=role,
        interviewers=[person.name for person in people],
        at=when,
        flags=flag_values,
        decision_by=decision,
        notes=note,
        read=tuple(read),
        interviewer_notes=own,
        people=people,
    )


_NOTE_FOR = ("--note-for", "NAME=TEXT", '"Ana=We talked about Lisbon"')


def check_notes_for(texts: list[str]) -> None:
    """Each `--note-for "Ana=TEXT"` checked for its form, before the store is read
    or a question asked; which `=` ends the name waits for the panel (`notes_for`)."""
    from followup.people import check_pair

    for text in texts:
        check_pair(text, *_NOTE_FOR)


def notes_for(interview_id: str, interviewers: list[str], notes: dict[str, str], texts: list[str]) -> dict[str, str]:
    """`notes` (per interviewer) with the `--note-for "NAME=TEXT"`s applied (an empty
    text clears a note), each name matched as `letter --to` matches it
    (`people.matching_names`: a whole name, or an unambiguous start of it or of a
    word in it), and split from its text by `people.split_pair`."""
    from followup.people import matching_names, split_pair

    result = dict(notes)
    for text in texts:
        name, note = split_pair(text, interviewers, *_NOTE_FOR)
        note = note.strip()
        matches = matching_names(interviewers, name)
        if len(matches) > 1:
            raise UsageError(
                f"--note-for {name!r} matches several interviewers: {', '.join(matches)}", "type more of the name"
            )
        if not matches:
            listed = ", ".join(interviewers) or "none"
            where = interview_id or "the new interview"
            raise UsageError(
                f"--note-for: {where} has no interviewer {name!r} (interviewers: {listed})",
                f"add one with: followup edit {interview_id} --interviewer NAME"
                if interview_id
                else "name every interviewer with -i NAME",
            )
        if note:
            result[matches[0]] = note
        else:
            result.pop(matches[0], None)
    return result


def read_start(env: Env, text: str, option: str, *, asking: bool) -> When:
    """The start of an interview, from a WHEN that must hold a time of day.

    "A date means the end of that day" fits deadlines, not the start of an
    interview (`--at yesterday` would be 23:59:59, and every step planned from
    it late): in a terminal the time is asked for, otherwise it is a usage error.
    """
    parsed = env.read_when(text, option)
    if not parsed.date_only:
        return parsed
    if not asking:
        raise UsageError(
            f"{option}: {text!r} is a date without a time of day; an interview starts at a time",
            f'give the time too, for example {option} "yesterday 10:00"',
        )
    day = parsed.moment.astimezone(env.zone).date()
    while True:
        answer = str(typer.prompt("At what time did it start? (e.g. 10:00)", err=True)).strip()
        try:
            moment = env.parse_when(f"{day.isoformat()} {answer}", "time")
        except UsageError:
            typer.echo(f"cannot read {answer!r} as a time of day; for example 10:00 or 14:30", err=True)
            continue
        return parsed._replace(moment=moment, date_only=False)


def _echoed(env: Env, parsed: When, option: str, text: str, read: list[str]) -> datetime:
    """`parsed.moment`, noting in `read` how it was read when it came from words."""
    if parsed.words:
        read.append(f"{option} {_quoted(text)} as {env.render.format_time(parsed.moment)}")
    return parsed.moment


def _quoted(text: str) -> str:
    return f'"{text}"' if " " in text else text


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


def _ask_when(
    env: Env, question: str, default: str, prefer: Literal["past", "future"], *, start: bool = False
) -> datetime | None:
    while True:
        answer = str(typer.prompt(question, default=default, show_default=bool(default), err=True)).strip()
        if not answer:
            return None
        try:
            if start:
                return read_start(env, answer, "date", asking=True).moment
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
