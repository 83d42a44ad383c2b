"""The dated steps of an interview as models: planned for a new interview, planned
again after its panel or flags changed (`replan`), moved after its start or
decision date did (`reschedule`).

The due times and the plan itself are `followup.planning`'s, which needs no
models; its names are here too, for the commands that hold models.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from followup.ids import unique
from followup.models import Checklist, Interview, Step
from followup.planning import (
    INTERVIEWER_PLACEHOLDER,
    MAX_INTERVIEWERS,
    MAX_PLANNED_STEPS,
    NO_INTERVIEWER,
    TooLate,
    applies,
    check_size,
    decision_deadline,
    due_time,
    planned_steps,
    short_names_of,
    too_late,
)
from followup.when import shift, zone_named

__all__ = [
    "INTERVIEWER_PLACEHOLDER",
    "MAX_INTERVIEWERS",
    "MAX_PLANNED_STEPS",
    "NO_INTERVIEWER",
    "TooLate",
    "adds_after_decision",
    "applies",
    "check_size",
    "decision_deadline",
    "due_time",
    "plan_steps",
    "replan",
    "reschedule",
    "shift",
    "too_late",
]


def plan_steps(
    checklist: Checklist,
    *,
    at: datetime,
    zone_name: str,
    interviewers: Sequence[str],
    flags: dict[str, bool],
    decision_by: datetime | None,
) -> list[Step]:
    """The dated steps of a new interview, in checklist order (`planning.planned_steps`)."""
    return [
        Step(**fields)
        for fields in planned_steps(
            checklist, at=at, zone_name=zone_name, interviewers=interviewers, flags=flags, decision_by=decision_by
        )
    ]


def replan(interview: Interview, checklist: Checklist) -> None:
    """Plan the steps afresh after the interviewers or flags changed.

    A step that is still planned keeps its id, status, time and note; a step no
    longer planned goes if it was pending and stays if it was done or skipped,
    since that is history. Ids are never rewritten: the calendar and the
    journal know a step by its id, so an interviewer who stays keeps theirs
    whoever else joins or leaves, and only a new step gets a new id.
    """
    old = list(interview.steps)

    def take(source: str, person: str | None, loose: bool) -> Step | None:
        for step in old:
            same_person = step.interviewer == person or (loose and None in (step.interviewer, person))
            if step.source == source and same_person:
                old.remove(step)
                return step
        return None

    fresh = plan_steps(
        checklist,
        at=interview.at,
        zone_name=interview.zone,
        interviewers=interview.interviewers,
        flags=interview.flags,
        decision_by=interview.decision_by,
    )
    matches = {id(step): take(step.source, step.interviewer, loose=False) for step in fresh}
    new_steps: list[Step] = []
    for step in fresh:
        previous = matches[id(step)] or take(step.source, step.interviewer, loose=True)
        if previous is None:
            new_steps.append(step)
            continue
        step.id = previous.id
        step.status, step.done_at = previous.status, previous.done_at
        step.note, step.reason = previous.note, previous.reason
    kept = [step for step in old if step.status != "pending"]
    fresh_ids = {id(step) for step in new_steps}
    taken = {step.id for step in fresh if id(step) not in fresh_ids} | {step.id for step in kept}
    short_names = short_names_of(interview.interviewers)
    for step in new_steps:
        if step.id in taken:  # the id of a step that stays: name the new one after its person
            person = short_names.get(step.interviewer or "", "")
            step.id = unique(f"{step.source}-{person}" if person else step.source, taken)
        taken.add(step.id)
    interview.steps = fresh + kept


def reschedule(interview: Interview) -> None:
    """Recompute every step's due time after the start or decision date changed.

    With the decision date cleared, a pending step anchored after it goes (it
    has no date left), while a done or skipped one stays as history. Adding a
    step for a new decision date needs the checklist: that is `replan`'s job.
    """
    zone = zone_named(interview.zone)
    if interview.decision_by is None:
        interview.steps = [step for step in interview.steps if not (step.after_decision and step.status == "pending")]
    for step in interview.steps:
        if step.after_decision and interview.decision_by is None:
            continue  # done or skipped: its due time is kept as it was
        step.due = due_time(
            interview.at,
            step.offset,
            step.before_decision,
            interview.decision_by,
            zone,
            after_decision=step.after_decision,
        )


def adds_after_decision(interview: Interview, checklist: Checklist) -> bool:
    """Whether a decision date now set would add steps anchored after it that
    the interview lacks: then `replan`, not `reschedule`, follows the edit."""
    if interview.decision_by is None:
        return False
    have = {step.source for step in interview.steps}
    return any(
        template.after_decision and applies(template, interview.flags) and template.id not in have
        for template in checklist.steps
    )
