"""Changes in words: the fields `edit` names, and what a plain `undo` put back.

The journal keeps each change's one-line summary and a snapshot of what it
replaced. Repeating the summary after an undo says the opposite of what
happened ("back to pending" when the step is done again), so `undo` also
says, from the snapshot and the state it replaces, what is true again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from followup.store.stored import ShownInterview as Interview  # a model, or as read from its file

# How a change line names an interview's fields, in the order it names them.
FIELD_WORDS = {
    "company": "company",
    "role": "role",
    "interviewers": "interviewers",
    "at": "start",
    "zone": "time zone",
    "decision_by": "decision date",
    "flags": "flags",
    "notes": "note",
    "interviewer_notes": "interviewers' notes",
    "contacts": "contacts",
    "address": "address",
}
# Fields named by a plural noun: "the contacts are as before", not "is".
PLURAL_FIELDS = frozenset({"interviewers", "flags", "interviewer_notes", "contacts"})
STATUS_AGAIN = {"done": "done again", "pending": "pending again", "skipped": "skipped again"}
# Past this many interviews (an import), `undo` counts them instead of naming each.
NAMED = 3


def added_words(interview_id: str, company: str, role: str) -> str:
    """The summary of `new`, as the journal keeps it."""
    return f"added {interview_id} ({company}, {role})"


def field_words(names: Iterable[str]) -> str:
    """`decision date, note` for the fields `decision_by` and `notes`."""
    return ", ".join(FIELD_WORDS.get(name, name.replace("_", " ")) for name in names)


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _is(items: Sequence[str], rest: str, *, plural: bool = False) -> str:
    return f"{_and(items)} {'is' if len(items) == 1 and not plural else 'are'} {rest}"


def restored(back: Interview | None, replaced: Interview | None, *, named: bool) -> list[str]:
    """What putting `back` in place of `replaced` makes true, in short clauses.

    `named` puts the interview's id before clauses about its steps and fields,
    for an undo that touched several interviews.
    """
    if back is None:
        return [] if replaced is None else [f"{replaced.id} is gone"]
    if replaced is None:
        return [f"{back.id} is back"]
    clauses = []
    if back.outcome is None and replaced.outcome is not None:
        clauses.append(f"{back.id} is open again")
    elif back.outcome is not None and back.outcome != replaced.outcome:
        clauses.append(f"{back.id} is closed again ({back.outcome})")
    prefix = f"{back.id}: " if named else ""
    fields = [name for name in FIELD_WORDS if getattr(back, name) != getattr(replaced, name)]
    if fields:
        # An edit: its steps followed the fields, and went back with them.
        words = [f"the {FIELD_WORDS[name]}" for name in fields]
        clauses.append(prefix + _is(words, "as before", plural=fields[0] in PLURAL_FIELDS))
    else:
        clauses.extend(prefix + clause for clause in _steps_restored(back, replaced))
    if not clauses:
        clauses.append(f"{back.id} is as it was")
    return clauses


def _steps_restored(back: Interview, replaced: Interview) -> list[str]:
    now = {step.id: step for step in replaced.steps}
    by_status: dict[str, list[str]] = {}
    as_before: list[str] = []
    for step in back.steps:
        current = now.get(step.id)
        if current is None:
            by_status.setdefault("back", []).append(step.id)
        elif current.status != step.status:
            by_status.setdefault(step.status, []).append(step.id)
        elif current != step:
            as_before.append(step.id)  # the same status, with another time, note or reason
    clauses = [_is(ids, STATUS_AGAIN.get(status, status)) for status, ids in by_status.items()]
    if as_before:
        clauses.append(_is(as_before, "as before (time, note and reason)"))
    gone = [step_id for step_id in now if step_id not in {step.id for step in back.steps}]
    if gone:
        clauses.append(_is(gone, "gone"))
    return clauses


def undone(summary: str, pairs: Sequence[tuple[Interview | None, Interview | None]]) -> str:
    """The line plain `undo` prints: the change it undid, and what is true again.

    `pairs` holds, per interview, what the undo put back and what it replaced.
    """
    if len(pairs) > NAMED:
        back = sum(1 for old, new in pairs if old is not None and new is None)
        gone = sum(1 for old, new in pairs if old is None and new is not None)
        same = sum(1 for old, new in pairs if old is not None and new is not None)
        counts = [f"{n} {word}" for n, word in ((back, "back"), (gone, "gone"), (same, "as before")) if n]
        state = f"the store is as it was ({', '.join(counts)})" if counts else "the store is as it was"
    else:
        clauses = [clause for old, new in pairs for clause in restored(old, new, named=len(pairs) > 1)]
        state = "; ".join(clauses) or "nothing else changed"
    return f"undid: {summary}; now {state}"
