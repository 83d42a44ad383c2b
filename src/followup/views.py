"""Results that commands show: built from the store, rendered as a table or JSON.

Both renderings come from the same objects, so the terminal and `--json`
never disagree.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from followup.store.index import Deadlines, DueItem

if TYPE_CHECKING:
    from followup.models import Interview

COMPUTED_STEP_KEYS = ("number", "overdue")


class DueList(NamedTuple):
    """What `due` shows: the first steps in order, and how many there are in all."""

    items: list[DueItem]
    pending_count: int
    overdue_count: int
    interviews: int


def due_list(deadlines: Deadlines, now: datetime, horizon: datetime | None, limit: int | None) -> DueList:
    """The steps due by `horizon` (all, when None), at most `limit` of them (all, when None)."""
    pending_count = len(deadlines) if horizon is None else deadlines.count_until(horizon)
    shown = pending_count if limit is None else min(limit, pending_count)
    return DueList(
        deadlines.items(now, stop=shown),
        pending_count,
        min(deadlines.count_before(now), pending_count),
        deadlines.interviews,
    )


DASHBOARD_ROWS = 4  # overdue steps, and steps due soon, that plain `followup` shows


class Board(NamedTuple):
    """What plain `followup` shows: a few overdue steps, a few due soon, and counts."""

    overdue_items: list[DueItem]
    soon_items: list[DueItem]
    overdue_count: int
    soon_count: int
    pending_count: int
    interviews: int
    first: DueItem | None  # the most urgent step


def board(deadlines: Deadlines, now: datetime, horizon: datetime) -> Board:
    """The dashboard of these deadlines: overdue before `now`, soon up to `horizon`."""
    overdue_count = deadlines.count_before(now)
    soon_count = max(deadlines.count_until(horizon) - overdue_count, 0)
    first = deadlines.items(now, stop=1)
    return Board(
        overdue_items=deadlines.items(now, stop=min(overdue_count, DASHBOARD_ROWS)),
        soon_items=deadlines.items(now, start=overdue_count, stop=overdue_count + min(soon_count, DASHBOARD_ROWS)),
        overdue_count=overdue_count,
        soon_count=soon_count,
        pending_count=len(deadlines),
        interviews=deadlines.interviews,
        first=first[0] if first else None,
    )


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
    # Every interviewer's email and title, in the panel's order (`interviewers` stays a list of names).
    data["contacts"] = [interview.contact(name).model_dump(mode="json") for name in interview.interviewers]
    data["address"] = interview.address
    return data
