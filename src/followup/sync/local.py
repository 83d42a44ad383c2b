"""What the engine needs from the store, and what it hands back.

The store lists every step of every open interview as a `LocalStep` and
applies a `LocalChanges` as one journal entry, so that `followup undo`
reverts a whole sync in one go. A step whose interview is closed or deleted
is simply no longer listed: the engine then removes its open to-do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

Status = Literal["pending", "done", "skipped"]
ChangeKind = Literal["done", "pending", "skipped", "due"]


@dataclass(frozen=True)
class LocalStep:
    """One step as followup sees it; `due` and `done_at` are zone-aware (the interview's zone)."""

    uid: str  # exports.calendar.step_uid: the same entry in the .ics export and on the server
    interview_id: str
    step_id: str
    summary: str  # "Company: step title"
    description: str  # the why and the `followup done ...` command
    due: datetime
    status: Status
    done_at: datetime | None = None
    categories: tuple[str, ...] = ("followup",)


@dataclass(frozen=True)
class LocalChange:
    """One change to one step: done at `at`, back to pending, skipped for `reason`, due moved to `due`."""

    uid: str
    interview_id: str
    step_id: str
    kind: ChangeKind
    at: datetime | None = None
    due: datetime | None = None
    reason: str | None = None


@dataclass
class LocalChanges:
    """All that one sync received for the store: made as one journal entry, undone in one go
    (what the store cannot take, or what changed meanwhile, is left out: `StoreSide.commit`)."""

    changes: list[LocalChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.changes)


class LocalSide(Protocol):
    """The store, as the engine sees it."""

    def steps(self) -> list[LocalStep]:
        """Every step (any status) of every open interview."""
        ...

    def apply(self, changes: LocalChanges) -> None:
        """Take all the changes, to be made as one journal entry (nothing when it is empty);
        the store makes them once the network is done with (`store_side.StoreSide.commit`)."""
        ...
