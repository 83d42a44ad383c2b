"""The store in memory: open interviews at hand, closed ones read when asked for."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from followup.models import Interview, JournalEntry

VERSION = 1


@dataclass
class Document:
    """What `followup.json` holds, plus the closed interviews of its history file.

    Commands change it through `put` and `remove`, which keep the open and
    closed collections apart and note what has to be written.
    """

    open: dict[str, Interview]
    journal: list[JournalEntry]
    closed_ids: list[str]
    history_file: str | None = None
    loaded_version: int = VERSION
    changed: bool = False
    history_changed: bool = False
    raw: bytes | None = field(default=None, repr=False)
    read_history: Callable[[], dict[str, Interview]] | None = field(default=None, repr=False)
    _closed: dict[str, Interview] | None = field(default=None, repr=False)

    def closed(self) -> dict[str, Interview]:
        if self._closed is None:
            self._closed = self.read_history() if self.read_history else {}
        return self._closed

    def ids(self) -> list[str]:
        return [*self.open, *(i for i in self.closed_ids if i not in self.open)]

    def get(self, interview_id: str) -> Interview | None:
        if interview_id in self.open:
            return self.open[interview_id]
        if interview_id in self.closed_ids:
            return self.closed().get(interview_id)
        return None

    def every(self) -> list[Interview]:
        """Open and closed interviews, in order of their start time."""
        return sorted([*self.open.values(), *self.closed().values()], key=lambda i: (i.at, i.id))

    def put(self, interview: Interview) -> None:
        """Add or replace an interview, filed as open or closed by its outcome."""
        self.remove(interview.id)
        if interview.is_open:
            self.open[interview.id] = interview
        else:
            self.closed()[interview.id] = interview
            self.closed_ids.append(interview.id)
            self.history_changed = True
        self.changed = True

    def remove(self, interview_id: str) -> None:
        if self.open.pop(interview_id, None) is not None:
            self.changed = True
        if interview_id in self.closed_ids:
            self.closed().pop(interview_id, None)
            self.closed_ids.remove(interview_id)
            self.history_changed = self.changed = True

    def replace_all(self, interviews: list[Interview]) -> None:
        self.open = {i.id: i for i in interviews if i.is_open}
        self._closed = {i.id: i for i in interviews if not i.is_open}
        self.closed_ids = list(self._closed)
        self.history_changed = self.changed = True
