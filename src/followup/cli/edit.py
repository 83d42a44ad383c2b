"""`followup edit`: change an interview; its steps follow, done ones stay done.

Its own module because it is the one command that re-plans steps and sets
contacts (emails, titles, the company's address) on an existing panel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

import typer

from followup.cli.context import Env, current, interactive
from followup.cli.options import ADDRESS_HELP, INTERVIEW_ID, JSON
from followup.cli.registry import group
from followup.errors import UsageError

if TYPE_CHECKING:
    from followup import actions
    from followup.models import Checklist, Interview

app = group()


@app.command()
def edit(
    interview_id: str = INTERVIEW_ID,
    company: Optional[str] = typer.Option(None, "--company", metavar="NAME", help="New company name."),
    role: Optional[str] = typer.Option(None, "--role", metavar="TEXT", help="New job title."),
    interviewer: list[str] = typer.Option(
        [], "--interviewer", "-i", metavar="NAME", help="Replace the whole panel of interviewers; repeatable."
    ),
    add_interviewer: list[str] = typer.Option(
        [], "--add-interviewer", metavar="NAME", help="Add an interviewer to the panel; repeatable."
    ),
    remove_interviewer: list[str] = typer.Option(
        [],
        "--remove-interviewer",
        metavar="NAME",
        help="Remove an interviewer (a name or its start, as for letter --to); repeatable.",
    ),
    flag: list[str] = typer.Option(
        [], "--flag", "-f", metavar="FLAG", help="Set a flag, such as late or video; repeatable."
    ),
    no_flag: list[str] = typer.Option([], "--no-flag", metavar="FLAG", help="Clear a flag; repeatable."),
    at: Optional[str] = typer.Option(None, "--at", metavar="WHEN", help="New start time; due times follow it."),
    decision_by: Optional[str] = typer.Option(
        None, "--decision-by", metavar="WHEN", help="New decision date ('none' to clear)."
    ),
    note: Optional[str] = typer.Option(None, "--note", metavar="TEXT", help="New personal note ('' to clear)."),
    note_for: list[str] = typer.Option(
        [], "--note-for", metavar="NAME=TEXT", help="A note for one interviewer's letter ('NAME=' clears it)."
    ),
    contact: list[str] = typer.Option(
        [],
        "--contact",
        metavar="CONTACT",
        help='An interviewer\'s email: "Ana López <ana@acme.example>" (the name alone clears it); repeatable.',
    ),
    title: list[str] = typer.Option(
        [], "--title", metavar="NAME=TITLE", help='An interviewer\'s job title: "Ana=Head of Data"; repeatable.'
    ),
    address: Optional[str] = typer.Option(None, "--address", metavar="TEXT", help=ADDRESS_HELP + " '' clears it."),
    json: bool = JSON,
) -> None:
    """Change an interview; its steps follow, done ones stay done.

    A new start or decision date moves the due times; the decision date
    cannot come before the start. New interviewers or flags plan the steps
    afresh from the checklist: a letter for each new interviewer, the email
    instead of the post once the interview is marked as a video call. Steps
    keep their ids, and what a removed interviewer's steps had done stays.

    \b
    Examples:
      followup edit acme-1128 --decision-by "next friday"
      followup edit acme-1128 --add-interviewer "Bo Chen" --flag video
      followup edit acme-1128 --remove-interviewer bo
      followup edit acme-1128 --contact "Ana López <ana@acme.example>" --title "Ana=Head of Data"
    """
    env = current()
    changes: actions.Changes = {}
    if company is not None:
        changes["company"] = _not_blank(company, "--company")
    if role is not None:
        changes["role"] = _not_blank(role, "--role")
    others = (interviewer, add_interviewer, remove_interviewer, flag, no_flag, note_for, contact, title)
    if not json and not any(others) and at is None and decision_by is None and address is None:
        # Only text that nothing else follows: changed on the file as it is, where it can be.
        from followup.store.stored_change import edit_text

        text: dict[str, str | None] = {key: str(changes[key]) for key in ("company", "role") if key in changes}
        if note is not None:
            text["notes"] = note.strip() or None
        quick = env.change_quickly(lambda: edit_text(env.home, env.lock_timeout, interview_id, text, env.now))
        if quick is not None:
            env.changed(quick)
            return
    from followup import actions

    if at is not None:
        from followup.cli.questions import read_start

        changes["at"] = read_start(env, at, "--at", asking=interactive()).moment
    if decision_by is not None:
        none = decision_by.strip().lower() in ("", "none")
        changes["decision_by"] = None if none else env.parse_when(decision_by, "--decision-by", "future")
    if note is not None:
        changes["notes"] = note.strip() or None
    panel = bool(interviewer or add_interviewer or remove_interviewer)
    if flag or no_flag:
        changes["flags"] = {**dict.fromkeys(flag, True), **dict.fromkeys(no_flag, False)}
    from followup.cli.questions import check_notes_for, notes_for

    check_notes_for(note_for)
    contacts = _contact_changes(changes, interviewer, add_interviewer, contact, title, address)
    if not changes and not panel and not note_for and not contacts:
        raise UsageError("nothing to change", "see `followup edit --help` for what can be changed")
    interview = actions.find_interview(env.store.read(), interview_id)
    # A first decision date may add the check-in after it: that needs the checklist too.
    first_decision = changes.get("decision_by") is not None and interview.decision_by is None
    checklist = _checklist_of(env, interview.checklist) if panel or "flags" in changes or first_decision else None
    with env.change() as document:
        interview = actions.find_interview(document, interview.id)
        if panel:  # from the interview as it is now, under the lock
            changes["interviewers"] = actions.new_panel(
                interview, _names(interviewer), _names(add_interviewer), remove_interviewer
            )
        if note_for:
            names = changes.get("interviewers", interview.interviewers)
            changes["interviewer_notes"] = notes_for(interview.id, names, interview.interviewer_notes, note_for)
        if panel or contacts:
            _set_contacts(changes, interview, interviewer + add_interviewer, contact, title)
        summary = actions.edit(document, interview, changes, env.now, checklist)
    env.changed(summary, interview, json)


# --- contacts: emails, titles and the company's address (issue 12) ------------------------------------


def _names(texts: list[str]) -> list[str]:
    """The names of `--interviewer "Name <email>"` options (each checked)."""
    from followup.contacts import parse_people

    return [person.name for person in parse_people(texts)]


def _contact_changes(
    changes: actions.Changes,
    interviewer: list[str],
    add_interviewer: list[str],
    contact: list[str],
    title: list[str],
    address: str | None,
) -> bool:
    """Check the contact options before the store is read; `--address` goes into
    `changes`. True when emails or titles may change."""
    from followup.contacts import address_text, parse_people

    parse_people(interviewer + add_interviewer)
    parse_people(contact, "--contact")
    if address is not None:
        changes["address"] = address_text(address)
    return bool(contact or title or any("<" in text for text in interviewer + add_interviewer))


def _set_contacts(
    changes: actions.Changes, interview: Interview, given: list[str], contact: list[str], title: list[str]
) -> None:
    """`contacts` in `changes`: the emails of new `--interviewer "Name <email>"`s and
    `--contact`s, and the `--title`s, on the panel as the edit leaves it."""
    from followup.contacts import parse_people, set_contacts, with_contacts

    panel = changes.get("interviewers", interview.interviewers)
    # Copies, not assignments: the model checks on assignment that every contact is on the panel.
    kept = [c for c in interview.contacts if c.name in panel]
    on_panel = interview.model_copy(update={"interviewers": panel, "contacts": kept})
    on_panel = on_panel.model_copy(update={"contacts": with_contacts(on_panel, parse_people(given))})
    contacts = set_contacts(on_panel, contact, title, panel)
    if contacts != interview.contacts:
        changes["contacts"] = contacts


def _checklist_of(env: Env, name: str) -> Checklist:
    """The checklist an interview was made from, to plan its steps again."""
    from followup import checklists as checklist_files
    from followup.errors import ChecklistError

    try:
        return checklist_files.load(checklist_files.locate(name, env.checklist_dir))
    except ChecklistError as exc:
        raise ChecklistError(f"cannot plan the steps again: {exc.message}", exc.hint) from None


def _not_blank(value: str, option: str) -> str:
    if not value.strip():
        raise UsageError(f"{option} must not be empty")
    return value.strip()
