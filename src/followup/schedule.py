"""Due times, from a checklist and the facts of one interview.

Pure functions of their arguments: no clock, no files. Deadlines are computed
on the wall clock of the interview's zone, so that `+1d` is the same time on
the next calendar day across a daylight-saving change, while `+24h` is exactly
24 elapsed hours; `bd` counts Monday to Friday only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from followup.errors import ChecklistError, UsageError
from followup.humanize import plural
from followup.ids import slugify, unique
from followup.models import Checklist, ChecklistStep, Interview, Step
from followup.when import Duration, parse_duration, shift, zone_named

INTERVIEWER_PLACEHOLDER = "{interviewer}"
NO_INTERVIEWER = "your interviewer"
# Bounds that no real interview comes near, so that a hostile checklist or panel
# cannot make a plan of thousands of steps that takes seconds to show.
MAX_INTERVIEWERS = 20
MAX_PLANNED_STEPS = 300


def applies(step: ChecklistStep, flags: dict[str, bool]) -> bool:
    """Whether a step's `when` condition holds for these flags (unset is no)."""
    condition = step.when_flag
    if condition is None:
        return True
    name, wanted = condition
    return flags.get(name, False) is wanted


def decision_deadline(decision_by: datetime, lead: str, zone: tzinfo) -> datetime:
    """The last moment a step with this lead time can be done."""
    duration = parse_duration(lead)
    return shift(decision_by, Duration(-duration.amount, duration.unit), zone)


def due_time(
    at: datetime,
    offset: str,
    before_decision: str | None,
    decision_by: datetime | None,
    zone: tzinfo,
    *,
    after_decision: str | None = None,
) -> datetime:
    """A step's due time: its offset from the start, pulled earlier if the
    decision date minus the lead time comes first, but never before the start:
    a decision that close makes a letter due when the interview begins (and
    `too_late` says so), not days before it, when it could not be written.

    A step anchored after the decision is pushed the other way: due at the
    decision date plus its lead, or at its offset from the start if that is
    later. Without a decision date it is not planned (`plan_steps`), so here
    the offset alone counts.
    """
    due = shift(at, parse_duration(offset), zone)
    if before_decision and decision_by is not None:
        due = min(due, max(decision_deadline(decision_by, before_decision, zone), at))
    if after_decision and decision_by is not None:
        due = max(due, shift(decision_by, parse_duration(after_decision), zone))
    return due


def plan_steps(
    checklist: Checklist,
    *,
    at: datetime,
    zone_name: str,
    interviewers: Sequence[str],
    flags: dict[str, bool],
    decision_by: datetime | None,
) -> list[Step]:
    """The dated steps of a new interview, in checklist order; raises a plain
    error past MAX_INTERVIEWERS interviewers or MAX_PLANNED_STEPS steps.

    A step anchored after the decision (`after_decision`) is planned only when
    there is a decision date: without one, nothing says when silence begins."""
    check_size(checklist, interviewers, flags)
    zone = zone_named(zone_name)
    steps: list[Step] = []
    taken: set[str] = set()
    short_names = _short_names(interviewers)
    for template in checklist.steps:
        if not applies(template, flags) or (template.after_decision and decision_by is None):
            continue
        people: Iterable[str | None] = (interviewers or [None]) if template.per_interviewer else [None]
        for person in people:
            step_id = template.id
            if template.per_interviewer and person is not None and len(interviewers) > 1:
                step_id = f"{template.id}-{short_names[person]}"
            step_id = unique(step_id, taken)
            taken.add(step_id)
            steps.append(
                Step(
                    id=step_id,
                    title=_title(template, person),
                    why=template.why,
                    due=due_time(
                        at,
                        template.due,
                        template.before_decision,
                        decision_by,
                        zone,
                        after_decision=template.after_decision,
                    ),
                    source=template.id,
                    interviewer=person,
                    offset=template.due,
                    before_decision=template.before_decision,
                    after_decision=template.after_decision,
                )
            )
    return steps


def check_size(checklist: Checklist, interviewers: Sequence[str], flags: dict[str, bool]) -> None:
    """Refuse a panel or a plan too large for a follow-up checklist, before planning it."""
    if len(interviewers) > MAX_INTERVIEWERS:
        raise UsageError(
            f"{len(interviewers)} interviewers; an interview has at most {MAX_INTERVIEWERS}",
            "name the people you will write to, or none for one letter to the hiring team",
        )
    planned = sum(
        (len(interviewers) or 1) if template.per_interviewer else 1
        for template in checklist.steps
        if applies(template, flags)
    )
    if planned > MAX_PLANNED_STEPS:
        raise ChecklistError(
            f"the checklist {checklist.name} plans {planned} steps for"
            f" {plural(len(interviewers), 'interviewer') if interviewers else 'no interviewers'};"
            f" an interview has at most {MAX_PLANNED_STEPS}",
            "shorten the checklist, or make fewer of its steps per_interviewer",
        )


def _short_names(people: Sequence[str]) -> dict[str, str]:
    """First names as slugs (`ana`), or whole names where first names clash."""
    first = {person: slugify(person.split()[0] if person.split() else person, 10) or "person" for person in people}
    clashes = {slug for slug in first.values() if list(first.values()).count(slug) > 1}
    return {person: (slugify(person, 12) or slug) if slug in clashes else slug for person, slug in first.items()}


def _title(template: ChecklistStep, person: str | None) -> str:
    if not template.per_interviewer:
        return template.title
    name = person or NO_INTERVIEWER
    if INTERVIEWER_PLACEHOLDER in template.title:
        return template.title.replace(INTERVIEWER_PLACEHOLDER, name)
    return f"{template.title} ({name})" if person else template.title


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
    short_names = _short_names(interview.interviewers)
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


@dataclass(frozen=True)
class TooLate:
    """A step whose decision deadline had already passed when it was planned."""

    step: Step
    deadline: datetime
    advice: str | None


def too_late(interview: Interview, checklist: Checklist | None, now: datetime) -> list[TooLate]:
    """Pending steps that can no longer be done in time for the decision: one
    per checklist step, so that a panel of three gets one warning, not three.

    A deadline before the start (the decision comes too soon after the
    interview) is reported as the start, when the step is due (see
    `due_time`), so that the warning never quotes a time before the interview.
    """
    if interview.decision_by is None:
        return []
    zone = zone_named(interview.zone)
    advice = {s.id: s.too_late for s in checklist.steps} if checklist else {}
    found: list[TooLate] = []
    for step in interview.pending():
        if not step.before_decision or any(late.step.source == step.source for late in found):
            continue
        deadline = decision_deadline(interview.decision_by, step.before_decision, zone)
        if deadline < max(now, interview.at):
            found.append(TooLate(step, max(deadline, interview.at), advice.get(step.source)))
    return found
