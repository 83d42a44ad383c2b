"""An in-memory local side for the sync engine, and a phone that edits the list with its own caldav client."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import caldav
from icalendar import Calendar

from followup.sync.local import LocalChanges, LocalStep

BERLIN = ZoneInfo("Europe/Berlin")


class FakeLocal:
    """The store as the engine sees it: steps by UID, and every applied batch kept (one journal entry each)."""

    def __init__(self) -> None:
        self.by_uid: dict[str, LocalStep] = {}
        self.journal: list[LocalChanges] = []

    def add_interview(
        self, interview: str, steps: int = 3, zone: ZoneInfo = BERLIN, start: datetime | None = None
    ) -> list[str]:
        start = start or datetime(2026, 12, 1, 9, 0, tzinfo=zone)
        uids = []
        for n in range(steps):
            uid = f"{interview}.step{n}@followup"
            self.by_uid[uid] = LocalStep(
                uid=uid,
                interview_id=interview,
                step_id=f"step{n}",
                summary=f"{interview.title()}: step {n}",
                description=f"Why {n}.\n\nWhen done: followup done {interview} step{n}",
                due=start + timedelta(days=n),
                status="pending",
                categories=("followup", interview.title()),
            )
            uids.append(uid)
        return uids

    def close(self, interview: str) -> None:
        self.by_uid = {u: s for u, s in self.by_uid.items() if s.interview_id != interview}

    def set(self, uid: str, **fields: object) -> None:
        self.by_uid[uid] = replace(self.by_uid[uid], **fields)  # type: ignore[arg-type]

    def steps(self) -> list[LocalStep]:
        return list(self.by_uid.values())

    def apply(self, changes: LocalChanges) -> None:
        self.journal.append(changes)
        for change in changes.changes:
            step = self.by_uid[change.uid]
            if change.kind == "done":
                step = replace(step, status="done", done_at=change.at)
            elif change.kind == "pending":
                step = replace(step, status="pending", done_at=None)
            elif change.kind == "skipped":
                step = replace(step, status="skipped", done_at=None)
            else:
                assert change.due is not None
                step = replace(step, due=change.due)
            self.by_uid[change.uid] = step


class Phone:
    """Another CalDAV client on the same list, as a phone app would be."""

    def __init__(self, url: str, list_name: str = "followup") -> None:
        self.client = caldav.DAVClient(url=url, username="user", password="x")
        self.list_name = list_name

    @property
    def calendar(self) -> caldav.Calendar:
        for calendar in self.client.principal().calendars():
            if calendar.get_display_name() == self.list_name:
                return calendar
        raise LookupError(self.list_name)

    def todos(self) -> dict[str, Calendar]:
        found: dict[str, Calendar] = {}
        for obj in self.calendar.search(todo=True, include_completed=True):
            calendar = Calendar.from_ical(obj.data)
            for todo in calendar.walk("VTODO"):
                uid = str(todo["uid"])
                assert uid not in found, f"duplicate {uid}"
                found[uid] = todo
        return found

    def edit(self, uid: str, edit: object) -> None:
        """Call `edit(vtodo)` on the to-do and save it back, as an app would."""
        obj = (
            self.calendar.get_todo_by_uid(uid)
            if hasattr(self.calendar, "get_todo_by_uid")
            else self.calendar.todo_by_uid(uid)
        )
        calendar = Calendar.from_ical(obj.data)
        todo = next(iter(calendar.walk("VTODO")))
        edit(todo)  # type: ignore[operator]
        obj.data = calendar.to_ical().decode()
        obj.save(increase_seqno=False)

    def delete(self, uid: str) -> None:
        obj = (
            self.calendar.get_todo_by_uid(uid)
            if hasattr(self.calendar, "get_todo_by_uid")
            else self.calendar.todo_by_uid(uid)
        )
        obj.delete()

    def add(self, ical: str) -> None:
        self.calendar.add_todo(ical)
