"""What `done`, `skip` and `undo ID STEP` change: which steps, to what, and the line
that says so.

Pure rules on anything with the fields of an interview and its steps, shared by
the validating way (`actions.set_status`, which assigns them to the models) and
the quick one (`followup.store.stored_change`, which writes them into the file
as it is), so that both change a store alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple, Protocol, TypeVar

from followup.constants import Status
from followup.errors import NotFound, UsageError
from followup.humanize import absolute
from followup.ids import matching
from followup.when import parse_duration, zone_named

VERBS = {"done": "marked done", "skipped": "skipped", "pending": "back to pending"}


class StepFields(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def done_at(self) -> datetime | None: ...
    @property
    def note(self) -> str | None: ...
    @property
    def reason(self) -> str | None: ...
    @property
    def offset(self) -> str: ...


S = TypeVar("S", bound=StepFields)
S_co = TypeVar("S_co", bound=StepFields, covariant=True)


class InterviewFields(Protocol[S_co]):
    @property
    def id(self) -> str: ...
    @property
    def at(self) -> datetime: ...
    @property
    def zone(self) -> str: ...
    @property
    def steps(self) -> Sequence[S_co]: ...


class NewState(NamedTuple):
    """What a changed step becomes."""

    status: Status
    done_at: datetime | None
    note: str | None
    reason: str | None


def find_steps(interview: InterviewFields[S], refs: Sequence[str], label: str | None = None) -> list[S]:
    """Steps by id or by their number in `show`, in the order given, without repeats.

    `label` names what has no such step when the interview is not saved yet.
    """
    found: list[S] = []
    for ref in refs:
        step = _find_step(interview, ref.strip(), label or interview.id)
        if step not in found:
            found.append(step)
    return found


def _find_step(interview: InterviewFields[S], ref: str, label: str) -> S:
    steps = interview.steps
    if ref.isdigit() and 1 <= int(ref) <= len(steps):
        return steps[int(ref) - 1]
    matches = matching(ref, [step.id for step in steps])
    if len(matches) == 1:
        return next(step for step in steps if step.id == matches[0])
    ids = ", ".join(s.id for s in steps)
    raise NotFound(f"{label} has no step {ref!r}", f"steps are 1-{len(steps)} or: {ids}")


def check_done_time(interview: InterviewFields[S], step: StepFields, at: datetime, option: str = "--at") -> None:
    """Refuse a step done before the interview started, if it belongs after the start.

    The rule: a step whose checklist offset is 0 or later (the handshake, the
    letters) cannot be done before the start; a step planned before the start
    (a pre-interview checklist's, `due: -2d`) may be done at any earlier time.
    The offset decides, not the due time, which a close decision may move.
    """
    if at >= interview.at or parse_duration(step.offset).amount < 0:
        return
    zone = zone_named(interview.zone)
    raise UsageError(
        f"{option}: {step.id} cannot be done before the interview started ({absolute(interview.at, zone, at)})",
        "give a time after the start, or correct the start with `followup edit ID --at WHEN`",
    )


def plan_status(
    interview: InterviewFields[S],
    steps: list[S],
    status: Status,
    now: datetime,
    *,
    at: datetime | None = None,
    note: str | None = None,
    reason: str | None = None,
) -> tuple[list[tuple[S, NewState]], str]:
    """The steps that change and what each becomes, and the one-line summary (which
    says "nothing changed" when none does).

    A step already in that state keeps its time and note, unless new ones are
    given, so that ticking twice never rewrites when a letter went out.
    """
    if at is not None and at > now:
        raise UsageError("a step cannot be done in the future", "give a time that has passed, or leave out --at")
    restated = at is not None or note is not None or reason is not None
    changing = [step for step in steps if step.status != status or restated]
    unchanged = [step.id for step in steps if step not in changing]
    verb = VERBS[status]
    already = f"already {'pending' if status == 'pending' else verb.removeprefix('marked ')}: {', '.join(unchanged)}"
    if not changing:
        return [], f"{interview.id}: nothing changed, {already}"
    if status == "done" and at is not None:
        for step in changing:
            check_done_time(interview, step, at)
    summary = f"{interview.id}: {verb}: {', '.join(step.id for step in changing)}"
    return [(step, _new_state(step, status, now, at, note, reason)) for step in changing], summary + (
        f" ({already})" if unchanged else ""
    )


def _new_state(
    step: StepFields, status: Status, now: datetime, at: datetime | None, note: str | None, reason: str | None
) -> NewState:
    # What was not given anew is kept: a done step's time and note, a skipped one's reason
    # (the fields of another state are None by then, as the models keep them).
    return NewState(
        status=status,
        done_at=(at or step.done_at or now) if status == "done" else None,
        note=(note if note is not None else step.note) if status == "done" else None,
        reason=(reason if reason is not None else step.reason) if status == "skipped" else None,
    )
