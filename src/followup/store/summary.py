"""What the pending index keeps of each open interview (`Summary`), made from an
interview as a model or as read from its file (`Summarized`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple, Protocol

from followup.store.identity import FileStamp


class _StepFields(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def due(self) -> datetime: ...
    @property
    def status(self) -> str: ...


class Summarized(Protocol):
    """What a summary is made of: an interview, as a model or as read from its file."""

    @property
    def id(self) -> str: ...
    @property
    def company(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def at(self) -> datetime: ...
    @property
    def outcome(self) -> str | None: ...
    @property
    def steps(self) -> Sequence[_StepFields]: ...
    def finished_count(self) -> int: ...


class PendingStep(NamedTuple):
    number: int  # its place in `show`
    id: str
    title: str
    due: datetime


class Summary(NamedTuple):
    """What `due` and `list` show of one interview, and the file that holds it."""

    id: str
    company: str
    role: str
    at: datetime
    outcome: str | None
    finished: int
    total: int
    pending_steps: tuple[PendingStep, ...]
    file: FileStamp | None = None

    def next_step(self) -> PendingStep | None:
        return min(self.pending_steps, key=lambda step: (step.due, step.number), default=None)

    def overdue_count(self, now: datetime) -> int:
        return 0 if self.outcome else sum(1 for step in self.pending_steps if step.due < now)


def summarize(interview: Summarized) -> Summary:
    return Summary(
        id=interview.id,
        company=interview.company,
        role=interview.role,
        at=interview.at,
        outcome=interview.outcome,
        finished=interview.finished_count(),
        total=len(interview.steps),
        pending_steps=tuple(
            PendingStep(number, step.id, step.title, step.due)
            for number, step in enumerate(interview.steps, start=1)
            if step.status == "pending"
        ),
    )
