"""What is pending, in a small index beside the store, so that `due` and `list`
need not parse and validate whole interviews.

`pending.json` is derived from `followup.json` at every change and carries a
digest of the exact bytes of the store it was made for. A reader trusts the
index only while the store still has that digest; otherwise (a crash between
the two writes, a hand-edited or damaged store, an index from an older
followup) it reads the store itself, which reports any damage.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from followup.constants import INDEX_NAME, STORE_NAME

if TYPE_CHECKING:
    from followup.models import Interview

INDEX_VERSION = 1


@dataclass(frozen=True)
class PendingStep:
    number: int  # its place in `show`
    id: str
    title: str
    due: datetime


@dataclass(frozen=True)
class Summary:
    """What `due` and `list` show of one interview."""

    id: str
    company: str
    role: str
    at: datetime
    outcome: str | None
    finished: int
    total: int
    pending: tuple[PendingStep, ...]

    def next_step(self) -> PendingStep | None:
        return min(self.pending, key=lambda step: (step.due, step.number), default=None)

    def overdue(self, now: datetime) -> int:
        return 0 if self.outcome else sum(1 for step in self.pending if step.due < now)


def summarize(interview: Interview) -> Summary:
    return Summary(
        id=interview.id,
        company=interview.company,
        role=interview.role,
        at=interview.at,
        outcome=interview.outcome,
        finished=interview.finished_count(),
        total=len(interview.steps),
        pending=tuple(
            PendingStep(number, step.id, step.title, step.due)
            for number, step in enumerate(interview.steps, start=1)
            if step.status == "pending"
        ),
    )


def digest(store_bytes: bytes) -> str:
    return hashlib.blake2b(store_bytes, digest_size=16).hexdigest()


def encode_index(interviews: Iterable[Interview], store_bytes: bytes) -> bytes:
    rows = []
    for interview in interviews:
        summary = summarize(interview)
        rows.append(
            [
                summary.id,
                summary.company,
                summary.role,
                summary.at.isoformat(),
                summary.finished,
                summary.total,
                [[step.number, step.id, step.title, step.due.isoformat()] for step in summary.pending],
            ]
        )
    data = {"version": INDEX_VERSION, "store": digest(store_bytes), "interviews": rows}
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def open_summaries(home: Path) -> list[Summary]:
    """The open interviews' summaries: from the index if it can be trusted, else from the store."""
    found = read_index(home)
    if found is not None:
        return found
    from followup.store import Store  # the slow path: pydantic and the whole store

    return [summarize(interview) for interview in Store(home).read().open.values()]


def read_index(home: Path) -> list[Summary] | None:
    """The open interviews' summaries, or None if the index cannot be trusted."""
    try:
        raw = (home / INDEX_NAME).read_bytes()
        stored = (home / STORE_NAME).read_bytes()
    except OSError:
        return None
    try:
        data: Any = json.loads(raw)
        if data["version"] != INDEX_VERSION or data["store"] != digest(stored):
            return None
        return [_summary(row) for row in data["interviews"]]
    except (ValueError, KeyError, TypeError, IndexError):
        return None


def _summary(row: list[Any]) -> Summary:
    interview_id, company, role, at, finished, total, pending = row
    return Summary(
        id=str(interview_id),
        company=str(company),
        role=str(role),
        at=_aware(at),
        outcome=None,
        finished=int(finished),
        total=int(total),
        pending=tuple(
            PendingStep(int(number), str(step_id), str(title), _aware(due)) for number, step_id, title, due in pending
        ),
    )


def _aware(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("a time without an offset")
    return moment
