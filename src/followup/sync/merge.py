"""The three-way merge of one to-do: what followup has, what the server has,
and what both last agreed on (the base, from the sync state).

A side that did not move from the base takes the other side's value. When
both moved: done wins over pending (a step ticked anywhere was done) and the
earliest completion time is kept; for the due time, followup's wins and the
result says so. Title, notes and categories are followup's own.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from followup.sync.local import LocalStep, Status


@dataclass(frozen=True)
class Values:
    """The fields the two sides share, to the second (iCalendar has no fractions)."""

    status: Status
    due: datetime
    done_at: datetime | None
    summary: str
    description: str
    categories: tuple[str, ...]

    @classmethod
    def of(cls, step: LocalStep) -> Values:
        return cls(
            step.status,
            _second(step.due),
            _second(step.done_at) if step.status == "done" and step.done_at else None,
            step.summary,
            step.description,
            tuple(step.categories),
        )


@dataclass(frozen=True)
class Merged:
    values: Values  # the new agreed values: what both sides hold after the sync
    due_conflict: bool = False  # both moved the due time: followup's was kept


def merge(base: Values | None, local: Values, remote: Values) -> Merged:
    """Both sides' values into one; `base` is None when there is no agreed state (adoption)."""
    status, done_at = _status(base, local, remote)
    due_conflict = False
    if base is not None and local.due == base.due:
        due = remote.due
    else:
        due = local.due
        due_conflict = base is not None and remote.due != base.due and remote.due != local.due
    values = Values(status, due, done_at, local.summary, local.description, local.categories)
    return Merged(values, due_conflict)


def _status(base: Values | None, local: Values, remote: Values) -> tuple[Status, datetime | None]:
    if base is not None and (local.status, local.done_at) == (base.status, base.done_at):
        return remote.status, remote.done_at
    if base is not None and (remote.status, remote.done_at) == (base.status, base.done_at):
        return local.status, local.done_at
    if "done" in (local.status, remote.status):
        times = [v.done_at for v in (local, remote) if v.status == "done" and v.done_at is not None]
        return "done", min(times) if times else None
    return local.status, None


def _second(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)


def same_on_server(a: Values, b: Values) -> bool:
    """Whether a to-do holding `a` needs no write to hold `b`."""
    return a == b


def without_done_at(values: Values) -> Values:
    return replace(values, done_at=None)
