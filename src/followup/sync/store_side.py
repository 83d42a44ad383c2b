"""The store as the sync engine's local side (`local.LocalSide`).

The steps are read from a Document that the caller loaded under the store's
lock (`Store.change()`), and the engine's changes are made to that same
Document as one journal entry, so that the store saves them in one commit and
plain `followup undo` reverts the whole sync. A dry run hands a Document read
without the lock, and nothing is applied to it.

Each step is sent as the calendar export shows it: the same UID, summary and
description, its due and done times in the interview's zone.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import ValidationError

from followup.exports.calendar import _text, description, step_uid
from followup.journal import record, snapshot
from followup.models import Interview, Snapshot, Step
from followup.store.document import Document
from followup.sync.local import LocalChange, LocalChanges, LocalStep
from followup.when import parse_duration, zone_named


class StoreSide:
    """The open interviews of one Document, as the engine sees them."""

    def __init__(self, document: Document, now: datetime) -> None:
        self.document = document
        self.now = now

    def steps(self) -> list[LocalStep]:
        return [
            local_step(interview, step)
            for interview in self.document.open.values()
            if interview.is_open
            for step in interview.steps
        ]

    def apply(self, changes: LocalChanges) -> None:
        if not changes:
            return
        before: list[Snapshot] = []
        touched: dict[str, Interview] = {}
        for change in changes.changes:
            interview = touched.get(change.interview_id)
            if interview is None:
                found = self.document.get(change.interview_id)
                if found is None or not found.is_open:
                    continue  # cannot happen under the lock; a change to nothing is dropped, not invented
                before.append(snapshot(self.document, found.id))
                interview = touched[found.id] = found
            step = next((s for s in interview.steps if s.id == change.step_id), None)
            if step is None:
                continue
            kept = step.model_copy()
            try:
                self._change(interview, step, change)
            except ValidationError:
                # What the store refuses (a due time in the year 9999 on the phone): the step stays
                # as it is, and the next sync sends followup's value back to the phone.
                for name in ("status", "done_at", "note", "reason", "due"):
                    object.__setattr__(step, name, getattr(kept, name))
        for interview in touched.values():
            self.document.put(interview)
        if touched:
            record(self.document, changes.summary, before, self.now)

    def _change(self, interview: Interview, step: Step, change: LocalChange) -> None:
        if change.kind == "done":
            step.status = "done"
            step.done_at = self._done_time(interview, step, change.at)
            step.reason = None
        elif change.kind == "pending":
            step.status = "pending"
            step.done_at = step.note = step.reason = None
        elif change.kind == "skipped":
            step.status = "skipped"
            step.done_at = step.note = None
            step.reason = change.reason
        elif change.due is not None:
            step.due = change.due.astimezone(zone_named(interview.zone))

    def _done_time(self, interview: Interview, step: Step, at: datetime | None) -> datetime:
        """The phone's completion time, within what `followup done --at` accepts: not in the
        future (a phone's clock may run ahead), not before the start for a step that belongs
        after it. The next sync sends the time kept here."""
        moment = min(at or self.now, self.now)
        if moment < interview.at and parse_duration(step.offset).amount >= 0:
            moment = interview.at
        return moment.astimezone(zone_named(interview.zone))


def local_step(interview: Interview, step: Step) -> LocalStep:
    """One step as the engine sees it: as the calendar export writes it, in the interview's zone."""
    zone = zone_named(interview.zone)
    return LocalStep(
        uid=step_uid(interview, step),
        interview_id=interview.id,
        step_id=step.id,
        summary=_text(f"{interview.company}: {step.title}"),
        description=_text(description(interview, step)),
        due=step.due.astimezone(zone),
        status=step.status,
        done_at=step.done_at.astimezone(zone) if step.done_at else None,
        categories=("followup", interview.company),
    )
