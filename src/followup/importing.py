"""Importing an export: replacing the store, or merging into it, as one undoable change
(or, for an import too large to journal, with a copy of the old store kept aside)."""

from __future__ import annotations

from datetime import datetime

from followup.errors import FollowupError
from followup.humanize import plural
from followup.journal import record, snapshot
from followup.models import Interview
from followup.store.document import Document

IMPORT_UNDO_LIMIT = 200


def import_is_undoable(document: Document, interviews: list[Interview]) -> bool:
    """Whether `undo` can revert this import; larger ones need a copy of the store kept aside,
    since snapshots of thousands of interviews would bloat the file every command reads."""
    return len(set(document.ids()) | {i.id for i in interviews}) <= IMPORT_UNDO_LIMIT


def import_all(document: Document, interviews: list[Interview], now: datetime) -> str:
    """Replace the whole store with imported interviews."""
    ids = [i.id for i in interviews]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise FollowupError(f"the file holds interview {duplicates[0]!r} more than once; nothing changed")
    summary = f"imported {plural(len(interviews), 'interview')}, replacing the store"
    if not import_is_undoable(document, interviews):
        document.replace_all(interviews)
        document.journal.clear()
        return summary
    before = [snapshot(document, i) for i in sorted(set(document.ids()) | set(ids))]
    document.replace_all(interviews)
    return record(document, summary, before, now)


def import_merge(document: Document, interviews: list[Interview], now: datetime) -> str:
    """Add the imported interviews that the store does not hold; skip those it holds
    as they are; refuse, changing nothing, if any holds an id with other content."""
    new: list[Interview] = []
    same = 0
    conflicts: list[str] = []
    for interview in interviews:
        held = document.get(interview.id)
        if held is None:
            new.append(interview)
        elif held.model_dump(mode="json") == interview.model_dump(mode="json"):
            same += 1
        else:
            conflicts.append(interview.id)
    if conflicts:
        shown = ", ".join(conflicts[:20]) + (f" and {len(conflicts) - 20} more" if len(conflicts) > 20 else "")
        raise FollowupError(
            f"{plural(len(conflicts), 'interview')} in the file differ from the store's with the same id:"
            f" {shown}; nothing changed",
            "edit or remove them in the store or the file, or import without --merge to replace the whole store",
        )
    there = f"{plural(same, 'interview')} already there" if same else ""
    if not new:
        return f"nothing to import: {there}" if there else "nothing to import: the file holds no interviews"
    before = [snapshot(document, interview.id) for interview in new]  # absent: undo removes them
    for interview in new:
        document.put(interview)
    summary = f"imported {plural(len(new), 'interview')}" + (f", {same} already there" if same else "")
    return record(document, summary, before, now)
