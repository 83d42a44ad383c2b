"""Results that commands show: built from the store, rendered as a table or JSON.

Both renderings come from the same objects, so the terminal and `--json`
never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from followup.models import Interview, Step


@dataclass(frozen=True)
class DueItem:
    """One pending step of one interview, with its place in `show`."""

    interview: Interview
    step: Step
    number: int
    overdue: bool

    def sort_key(self) -> tuple[datetime, datetime, str, int]:
        # Total and stable: ties on the due time fall back to the interview, then the step order.
        return (self.step.due, self.interview.at, self.interview.id, self.number)

    def to_json(self) -> dict[str, Any]:
        return {
            "interview": self.interview.id,
            "company": self.interview.company,
            "step": self.step.id,
            "number": self.number,
            "title": self.step.title,
            "due": self.step.due.isoformat(),
            "overdue": self.overdue,
        }


def due_items(interviews: Iterable[Interview], now: datetime, horizon: datetime | None = None) -> list[DueItem]:
    """Pending steps of open interviews due by `horizon`, soonest (so overdue) first."""
    items = [
        DueItem(interview, step, number, step.due < now)
        for interview in interviews
        if interview.is_open
        for number, step in enumerate(interview.steps, start=1)
        if step.status == "pending" and (horizon is None or step.due <= horizon)
    ]
    return sorted(items, key=DueItem.sort_key)


@dataclass(frozen=True)
class InterviewRow:
    """One line of `list`."""

    interview: Interview
    done: int
    total: int
    next_step: Step | None
    overdue: int


def interview_rows(interviews: Iterable[Interview], now: datetime) -> list[InterviewRow]:
    rows = []
    for interview in sorted(interviews, key=lambda i: (i.at, i.id)):
        pending = sorted(interview.pending(), key=lambda s: s.due)
        rows.append(
            InterviewRow(
                interview=interview,
                done=interview.finished_count(),
                total=len(interview.steps),
                next_step=pending[0] if pending else None,
                overdue=sum(1 for s in pending if interview.is_overdue(s, now)),
            )
        )
    return rows


COMPUTED_STEP_KEYS = ("number", "overdue")


def without_computed(data: Any) -> Any:
    """An interview object from `--json` with the keys worked out for `now` taken
    out again, so that it can be imported."""
    if isinstance(data, dict) and isinstance(data.get("steps"), list):
        steps = [
            {k: v for k, v in step.items() if k not in COMPUTED_STEP_KEYS} if isinstance(step, dict) else step
            for step in data["steps"]
        ]
        return {**data, "steps": steps}
    return data


def interview_json(interview: Interview, now: datetime) -> dict[str, Any]:
    """The interview object of SPEC, with `overdue` worked out for `now`."""
    data = interview.model_dump(mode="json")
    for number, (step_data, step) in enumerate(zip(data["steps"], interview.steps, strict=True), start=1):
        step_data["number"] = number
        step_data["overdue"] = interview.is_overdue(step, now)
    return data
