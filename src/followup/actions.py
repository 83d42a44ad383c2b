"""What the commands do to the store, as plain functions of a Document.

Each change records what it replaced in a bounded journal, so that plain
`followup undo` can walk back through the last changes of any kind.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime
from typing import Any, TypedDict

from pydantic import ValidationError

from followup.change_words import added_words
from followup.errors import FollowupError, NotFound, StoreError, UsageError
from followup.ids import interview_id, matching
from followup.journal import record, snapshot
from followup.models import Checklist, Contact, Interview, Outcome, Status, Step
from followup.people import matching_names
from followup.planning import check_decision, check_flags
from followup.schedule import adds_after_decision, plan_steps, replan, reschedule
from followup.status import check_done_time, plan_status
from followup.store.document import Document
from followup.when import zone_named


class Changes(TypedDict, total=False):
    """What `edit` may change: only the fields given change (None clears `decision_by` or `notes`)."""

    company: str
    role: str
    at: datetime
    decision_by: datetime | None
    notes: str | None
    interviewer_notes: dict[str, str]  # the whole new map: `edit --note-for`
    interviewers: list[str]
    flags: dict[str, bool]  # merged into the interview's flags
    contacts: list[Contact]  # the interviewers' emails and titles (see `followup.contacts`)
    address: str | None


# --- finding ------------------------------------------------------------------


def find_interview(document: Document, ref: str) -> Interview:
    """The interview whose id is `ref`, or the only one that starts with it."""
    ref = ref.strip()
    matches = matching(ref, document.ids())
    if len(matches) == 1:
        found = document.get(matches[0])
        if found is None:  # named by the root, in none of its files (`Document.closed` checks the history's)
            raise StoreError(
                f"interview {matches[0]} is in none of the store's files", "`followup doctor` checks every file"
            )
        return found
    if matches:
        shown = ", ".join(matches[:6]) + (" ..." if len(matches) > 6 else "")
        raise NotFound(f"{ref!r} matches several interviews: {shown}", "type more of the id")
    raise NotFound(f"no interview matches {ref!r}", "`followup list --all` shows the ids")


# --- changes --------------------------------------------------------------------

# The options that give a field its value, to name in a refusal.
_OPTIONS = {
    "company": "--company",
    "role": "--role",
    "interviewers": "--interviewer",
    "notes": "--note",
    "note": "--note",
    "reason": "--reason",
    "at": "--at",
    "decision_by": "--decision-by",
    "due": "a step's due time",
}


@contextlib.contextmanager
def refused_as_usage() -> Iterator[None]:
    """What the models refuse (followup.models holds the store's invariants), as a usage
    error naming the option that gave it: text typed on the command line is checked here."""
    try:
        yield
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = error["loc"]
        field = str(loc[0]) if loc else "value"
        where = _OPTIONS.get(field) or "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
        raise UsageError(f"{where}: {error['msg']}") from None


def plan(
    checklist: Checklist,
    *,
    company: str,
    role: str,
    interviewers: list[str],
    at: datetime,
    zone_name: str,
    flags: dict[str, bool],
    decision_by: datetime | None,
    notes: str | None,
    now: datetime,
) -> Interview:
    """A new interview with its dated steps, not yet in the store."""
    check_flags(checklist, flags)
    if not company.strip() or not role.strip():
        raise UsageError("company and role must not be empty")
    check_decision(at, decision_by, zone_name, now, moved="")
    people = [name.strip() for name in interviewers if name.strip()]
    all_flags = {name: flags.get(name, False) for name in checklist.flags}
    with refused_as_usage():  # what was typed is checked before the steps' titles quote it
        interview = Interview(
            id=interview_id(company, at, ()),
            company=company.strip(),
            role=role.strip(),
            interviewers=people,
            at=at,
            zone=zone_name,
            flags=all_flags,
            decision_by=decision_by,
            checklist=checklist.name,
            notes=notes.strip() if notes and notes.strip() else None,
            created_at=now,
        )
        interview.steps = plan_steps(
            checklist, at=at, zone_name=zone_name, interviewers=people, flags=all_flags, decision_by=decision_by
        )
    return interview


def add(document: Document, interview: Interview, now: datetime) -> str:
    """Give a planned interview a free id and add it to the store."""
    interview.id = interview_id(
        interview.company, interview.at.astimezone(zone_named(interview.zone)), set(document.ids())
    )
    before = [snapshot(document, interview.id)]
    document.put(interview)
    return record(document, added_words(interview.id, interview.company, interview.role), before, now)


def tick_planned(interview: Interview, steps: list[Step], now: datetime) -> None:
    """Mark steps of a not-yet-saved interview done (`new --done`)."""
    for step in steps:
        check_done_time(interview, step, now, "now")
        step.status = "done"
        step.done_at = now


def set_status(
    document: Document,
    interview: Interview,
    steps: list[Step],
    status: Status,
    now: datetime,
    *,
    at: datetime | None = None,
    note: str | None = None,
    reason: str | None = None,
) -> str:
    """Mark steps done, skipped or pending again (see `followup.status.plan_status`);
    returns the one-line summary."""
    changes, summary = plan_status(interview, steps, status, now, at=at, note=note, reason=reason)
    if not changes:
        return summary
    before = [snapshot(document, interview.id)]
    with refused_as_usage():
        for step, new in changes:
            step.status, step.done_at, step.note, step.reason = new  # each assignment validated, in this order
    document.put(interview)
    return record(document, summary, before, now)


def close(document: Document, interview: Interview, outcome: Outcome, now: datetime) -> str:
    if not interview.is_open:
        raise FollowupError(
            f"{interview.id} is already closed ({interview.outcome})",
            f"to change the outcome, `followup reopen {interview.id}` first",
        )
    before = [snapshot(document, interview.id)]
    interview.outcome = outcome
    interview.closed_at = now
    document.put(interview)
    return record(document, f"closed {interview.id} ({interview.company}): {outcome}", before, now)


def reopen(document: Document, interview: Interview, now: datetime) -> str:
    if interview.is_open:
        raise FollowupError(f"{interview.id} is already open")
    before = [snapshot(document, interview.id)]
    interview.outcome = None
    interview.closed_at = None
    document.put(interview)
    return record(document, f"reopened {interview.id} ({interview.company})", before, now)


def note_unless_noted(document: Document, interview_id: str, note: str, now: datetime) -> str | None:
    """Give the interview `note` (the summary of the change), unless it has a note by
    now (None): another command may have set one while the user typed this one."""
    interview = find_interview(document, interview_id)
    return None if interview.notes else edit(document, interview, {"notes": note}, now)


def edit(
    document: Document,
    interview: Interview,
    changes: Changes,
    now: datetime,
    checklist: Checklist | None = None,
) -> str:
    """Change fields. Due times follow a changed start or decision date; changed
    interviewers or flags plan the steps afresh from `checklist`, keeping
    what was already done, as does a decision date that brings steps anchored
    after it (given `checklist`); a cleared one takes their pending copies away."""
    from followup.change_words import field_words

    before = [snapshot(document, interview.id)]
    update: dict[str, Any] = dict(changes)
    if "flags" in changes:
        assert checklist is not None
        check_flags(checklist, changes["flags"])
        update["flags"] = {**interview.flags, **changes["flags"]}
    check_decision(
        update.get("at", interview.at),
        update.get("decision_by", interview.decision_by),
        update.get("zone", interview.zone),
        now,
        moved="--at" if "at" in update and "decision_by" not in update else "",
    )
    panel = _panel_words(interview.interviewers, update.get("interviewers", interview.interviewers))
    with refused_as_usage():  # the document is not saved after a refusal, so a half-made change is dropped
        # Validated as a whole, as loading the store validates it: an edit can never
        # save what the next load would refuse. The caller's object takes the values.
        edited = Interview.model_validate({**dict(interview), **update})
        for name in update:
            # `edited` was validated as a whole; assigning one field at a time would check
            # each against the others' old values (the contact of an interviewer just removed).
            interview.__dict__[name] = getattr(edited, name)
        if "interviewers" in changes or "flags" in changes:
            assert checklist is not None
            replan(interview, checklist)
        elif "decision_by" in changes and checklist is not None and adds_after_decision(interview, checklist):
            replan(interview, checklist)  # a new decision date brings the check-in after it
        elif "at" in changes or "decision_by" in changes:
            reschedule(interview)
    document.put(interview)
    return record(document, f"edited {interview.id}: {field_words(changes)}{panel}", before, now)


def _panel_words(old: list[str], new: list[str]) -> str:
    """` (added Bo Chen; removed Ana López)`: who joined and who left the panel."""
    added = [name for name in new if name not in old]
    removed = [name for name in old if name not in new]
    parts = [f"{verb} {', '.join(names)}" for verb, names in (("added", added), ("removed", removed)) if names]
    return f" ({'; '.join(parts)})" if parts else ""


def new_panel(interview: Interview, replace: list[str], add: list[str], remove: list[str]) -> list[str]:
    """The interviewers after `edit`: `replace` as the whole panel, or the panel
    with `remove` taken out and `add` put in. A name to remove is matched as
    `letter --to` matches it; one to add must be new."""
    if replace and (add or remove):
        raise UsageError(
            "--interviewer replaces the whole panel: give it alone, or use --add-interviewer and --remove-interviewer"
        )
    if replace:
        return _unique_names(replace)
    panel = list(interview.interviewers)
    for wanted in remove:
        matches = matching_names(panel, wanted)
        if len(matches) > 1:
            raise NotFound(
                f"--remove-interviewer {wanted!r} matches several interviewers: {', '.join(matches)}",
                "type more of the name",
            )
        if not matches:
            listed = ", ".join(interview.interviewers) or "none"
            raise NotFound(f"{interview.id} has no interviewer {wanted!r} (interviewers: {listed})")
        panel.remove(matches[0])
    for name in _unique_names(add):
        if any(name.casefold() == person.casefold() for person in panel):
            raise UsageError(f"--add-interviewer: {name} is already an interviewer of {interview.id}")
        panel.append(name)
    return panel


def _unique_names(names: list[str]) -> list[str]:
    """Names stripped, blanks left out, each once."""
    return list(dict.fromkeys(name.strip() for name in names if name.strip()))


def remove(document: Document, interview: Interview, now: datetime) -> str:
    before = [snapshot(document, interview.id)]
    document.remove(interview.id)
    return record(document, f"deleted {interview.id} ({interview.company}, {interview.role})", before, now)
