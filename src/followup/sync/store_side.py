"""The store as the sync engine's local side (`local.LocalSide`).

The steps are read from a Document read without the store's lock, before the
sync touches the network, and the engine's changes are only kept (`apply`).
Once the network is done with, the caller takes the store's lock and hands
`commit` the store as it is then: the changes are made to that Document as
one journal entry, so that the store saves them in one commit and plain
`followup undo` reverts the whole sync. The store's lock is thus never held
while the server is slow, and a `followup done` in another terminal meanwhile
neither waits nor is lost: a step that another command changed since the sync
read it gets the three-way merge of what the sync read (the base), what the
store holds now and what the sync agreed with the server. The sync state keeps
the server's values as the base, so the next sync sends whatever the merge
kept of the local change.

Each step is sent as the calendar export shows it: the same UID, summary and
description, its due and done times in the interview's zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from pydantic import ValidationError

from followup.exports.calendar import _text, description, step_uid
from followup.journal import record, snapshot
from followup.models import Interview, Snapshot, Step
from followup.store.document import Document
from followup.sync.local import LocalChange, LocalChanges, LocalStep
from followup.sync.merge import Values, merge
from followup.sync.summary import Summary
from followup.when import parse_duration, zone_named


@dataclass
class Committed:
    """What `commit` made of the changes the sync received, and the conflicts, one line each."""

    made: list[LocalChange] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


class StoreSide:
    """The open interviews of one Document, as the engine sees them; its changes, kept for `commit`."""

    def __init__(self, document: Document, now: datetime) -> None:
        self.document = document
        self.now = now
        self.read: dict[str, LocalStep] = {}  # by UID: each step as the sync read it, the base of `commit`'s merge
        self.received = LocalChanges()

    def steps(self) -> list[LocalStep]:
        steps = [
            local_step(interview, step)
            for interview in self.document.open.values()
            if interview.is_open
            for step in interview.steps
        ]
        self.read = {step.uid: step for step in steps}
        return steps

    def apply(self, changes: LocalChanges) -> None:
        """Keep the changes: `commit` makes them, under the store's lock, once the network is done with."""
        self.received = changes

    def commit(self, document: Document) -> Committed:
        """Make the kept changes to `document` (the store now, read under its lock) as one journal
        entry, merged with what other commands changed meanwhile. What was made is what the
        sync says it received: a change to an interview closed meanwhile, or one the store
        refuses, is not made and not counted."""
        if not self.received:
            return Committed()
        by_uid: dict[str, list[LocalChange]] = {}
        for change in self.received.changes:
            by_uid.setdefault(change.uid, []).append(change)
        made: list[LocalChange] = []
        conflicts: list[str] = []
        for uid, changes in by_uid.items():
            was = self.read.get(uid)
            found = _open_step(document, changes[0].interview_id, changes[0].step_id)
            if was is None or found is None:
                continue  # closed or deleted meanwhile: the next sync removes its open to-do
            now = local_step(*found)
            if now == was:
                made += changes
                continue
            merged = merge(Values.of(was), Values.of(now), _after(Values.of(was), changes))
            if merged.due_conflict:
                conflicts.append(f"{now.summary}: moved on both sides; kept followup's due time")
            made += _towards(now, merged.values, changes)
        return Committed(self._make(document, made), conflicts)

    def _make(self, document: Document, changes: list[LocalChange]) -> list[LocalChange]:
        """Make the changes, as one journal entry; those made."""
        made: list[LocalChange] = []
        before: list[Snapshot] = []
        touched: dict[str, Interview] = {}
        for change in changes:
            interview = touched.get(change.interview_id)
            if interview is None:
                found = document.get(change.interview_id)
                if found is None or not found.is_open:
                    continue  # cannot happen: `commit` keeps only open interviews' changes
                before.append(snapshot(document, found.id))
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
                continue
            made.append(change)
        changed = {change.interview_id for change in made}
        for interview in touched.values():
            if interview.id in changed:
                document.put(interview)
        if made:
            # Only what was received: `undo` reverts the store, not what was sent to the phone.
            received = Summary()
            received.count_received(made)
            record(document, f"sync: {received.text()}", [b for b in before if b.id in changed], self.now)
        return made

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


def _open_step(document: Document, interview_id: str, step_id: str) -> tuple[Interview, Step] | None:
    """The step, if its interview is still open (the closed ones are not read: no history needed)."""
    if interview_id not in document.open:
        return None
    interview = document.get(interview_id)
    if interview is None or not interview.is_open:
        return None
    step = next((s for s in interview.steps if s.id == step_id), None)
    return None if step is None else (interview, step)


def _after(values: Values, changes: list[LocalChange]) -> Values:
    """The values the sync agreed with the server: the step as read, with the sync's changes."""
    for change in changes:
        if change.kind == "done":
            values = replace(values, status="done", done_at=change.at.replace(microsecond=0) if change.at else None)
        elif change.kind in ("pending", "skipped"):
            values = replace(values, status=change.kind, done_at=None)
        elif change.due is not None:
            values = replace(values, due=change.due.replace(microsecond=0))
    return values


def _towards(step: LocalStep, agreed: Values, changes: list[LocalChange]) -> list[LocalChange]:
    """The changes that bring the step, as the store holds it now, to the merged values."""
    mine = Values.of(step)
    made: list[LocalChange] = []
    if (agreed.status, agreed.done_at) != (mine.status, mine.done_at):
        reason = next((c.reason for c in changes if c.kind == "skipped"), None)
        at = agreed.done_at if agreed.status == "done" else None
        made.append(LocalChange(step.uid, step.interview_id, step.step_id, agreed.status, at=at, reason=reason))
    if agreed.due != mine.due:
        made.append(LocalChange(step.uid, step.interview_id, step.step_id, "due", due=agreed.due))
    return made
