"""Results that commands show: built from the store, rendered as a table or JSON.

Both renderings come from the same objects, so the terminal and `--json`
never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from followup.pending import PendingStep, Summary

if TYPE_CHECKING:
    from followup.models import Interview

COMPUTED_STEP_KEYS = ("number", "overdue")


@dataclass(frozen=True)
class DueItem:
    """One pending step of one open interview."""

    interview: Summary
    step: PendingStep
    overdue: bool

    @property
    def number(self) -> int:
        return self.step.number

    def sort_key(self) -> tuple[float, float, str, int]:
        # Total and stable: ties on the due time fall back to the interview, then the step order.
        # Timestamps, because comparing datetimes of different zones is ten times slower.
        return (self.step.due.timestamp(), self.interview.at.timestamp(), self.interview.id, self.step.number)

    def to_json(self) -> dict[str, Any]:
        return {
            "interview": self.interview.id,
            "company": self.interview.company,
            "step": self.step.id,
            "number": self.step.number,
            "title": self.step.title,
            "due": self.step.due.isoformat(),
            "overdue": self.overdue,
        }


def due_items(interviews: Iterable[Summary], now: datetime, horizon: datetime | None = None) -> list[DueItem]:
    """Pending steps of open interviews due by `horizon`, soonest (so overdue) first."""
    items = [
        DueItem(interview, step, step.due < now)
        for interview in interviews
        if interview.outcome is None
        for step in interview.pending
        if horizon is None or step.due <= horizon
    ]
    return sorted(items, key=DueItem.sort_key)


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
