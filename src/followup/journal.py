"""The undo journal: what each change replaced, kept in the store so that plain
`followup undo` can walk back through the last changes of any kind."""

from __future__ import annotations

from datetime import datetime

from pydantic import ValidationError

from followup import constants
from followup.errors import FollowupError
from followup.models import Interview, JournalEntry, Snapshot
from followup.store.document import Document


def snapshot(document: Document, interview_id: str) -> Snapshot:
    if interview_id in document.open:
        return Snapshot(id=interview_id, place="open", interview=document.open[interview_id].model_dump(mode="json"))
    closed = document.get(interview_id)
    if closed is not None:
        return Snapshot(id=interview_id, place="closed", interview=closed.model_dump(mode="json"))
    return Snapshot(id=interview_id, place="absent")


def record(document: Document, summary: str, before: list[Snapshot], now: datetime) -> str:
    document.journal.append(JournalEntry(at=now, summary=summary, before=before))
    del document.journal[: -constants.JOURNAL_LIMIT]
    document.changed = True
    return summary


def undo_last(document: Document) -> tuple[str, str]:
    """Put back what the last change replaced; returns its summary, and the
    line that says what the undo did (`change_words.undone`)."""
    from followup.change_words import undone

    if not document.journal:
        raise FollowupError("nothing to undo", "only the last changes made with this store can be undone")
    entry = document.journal.pop()
    pairs: list[tuple[Interview | None, Interview | None]] = []
    for snap in entry.before:
        replaced = document.get(snap.id)
        document.remove(snap.id)
        back = None
        if snap.interview is not None:
            try:
                back = Interview.model_validate(snap.interview)
            except ValidationError:
                raise FollowupError(
                    f"the undo journal in the store is damaged ({entry.summary}); nothing changed",
                    "`followup doctor` checks the store",
                ) from None
            document.put(back)
        pairs.append((back, replaced))
    document.changed = True
    return entry.summary, undone(entry.summary, pairs)
