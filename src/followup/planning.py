"""Due times and the dated steps of a new interview, from a checklist and the facts of one
interview, as plain data: no models, no clock, no files.

Deadlines are computed on the wall clock of the interview's zone, so that `+1d` is
the same time on the next calendar day across a daylight-saving change, while `+24h`
is exactly 24 elapsed hours; `bd` counts Monday to Friday only.

A checklist here is anything with a checklist's fields (`Template`, `Plan`): the
model `followup.models.Checklist`, which `schedule` turns the steps planned here into
`Step` models for, and the checked copy `followup.checked_checklists` keeps, from
which `followup new` writes the interview without building the models
(`followup.store.stored_add`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any, Protocol

from followup.errors import ChecklistError, UsageError
from followup.humanize import absolute, plural
from followup.ids import slugify, unique
from followup.when import Duration, parse_duration, shift, zone_named

INTERVIEWER_PLACEHOLDER = "{interviewer}"
NO_INTERVIEWER = "your interviewer"
# Bounds that no real interview comes near, so that a hostile checklist or panel
# cannot make a plan of thousands of steps that takes seconds to show.
MAX_INTERVIEWERS = 20
MAX_PLANNED_STEPS = 300


class Template(Protocol):
    """One step as a checklist describes it, before it is dated."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def why(self) -> str: ...
    @property
    def due(self) -> str: ...
    @property
    def when(self) -> str | None: ...
    @property
    def per_interviewer(self) -> bool: ...
    @property
    def before_decision(self) -> str | None: ...
    @property
    def after_decision(self) -> str | None: ...
    @property
    def too_late(self) -> str | None: ...


class Plan(Protocol):
    """A checklist: its name, its flags (name: question) and its steps."""

    @property
    def name(self) -> str: ...
    @property
    def flags(self) -> Mapping[str, str]: ...
    @property
    def steps(self) -> Sequence[Template]: ...


def when_flag(when: str | None) -> tuple[str, bool] | None:
    """The flag a step's `when` depends on and the value it needs, if any."""
    if when is None:
        return None
    words = when.split()
    return words[-1], len(words) == 1


def applies(step: Template, flags: Mapping[str, bool]) -> bool:
    """Whether a step's `when` condition holds for these flags (unset is no)."""
    condition = when_flag(step.when)
    if condition is None:
        return True
    name, wanted = condition
    return flags.get(name, False) is wanted


def check_flags(checklist: Plan, flags: Iterable[str]) -> None:
    unknown = sorted(set(flags) - set(checklist.flags))
    if unknown:
        declared = ", ".join(checklist.flags) or "none"
        raise UsageError(f"checklist {checklist.name} has no flag {unknown[0]!r} (its flags: {declared})")


def check_decision(at: datetime, decision_by: datetime | None, zone_name: str, now: datetime, *, moved: str) -> None:
    """Refuse a decision date before the interview's start: its letters would be
    planned before the interview and overdue at once. `moved` names the option
    that moved the start (`--at`), or is empty when the decision date is the news."""
    if decision_by is None or decision_by >= at:
        return
    zone = zone_named(zone_name)
    start, decision = absolute(at, zone, now), absolute(decision_by, zone, now)
    if moved:
        raise UsageError(f"{moved}: the start ({start}) would be after the decision date ({decision})")
    raise UsageError(f"--decision-by: {decision} is before the interview starts ({start})")


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
    later. Without a decision date it is not planned (`planned_steps`), so here
    the offset alone counts.
    """
    due = shift(at, parse_duration(offset), zone)
    if before_decision and decision_by is not None:
        due = min(due, max(decision_deadline(decision_by, before_decision, zone), at))
    if after_decision and decision_by is not None:
        due = max(due, shift(decision_by, parse_duration(after_decision), zone))
    return due


def planned_steps(
    checklist: Plan,
    *,
    at: datetime,
    zone_name: str,
    interviewers: Sequence[str],
    flags: Mapping[str, bool],
    decision_by: datetime | None,
) -> Iterator[dict[str, Any]]:
    """The fields of each dated step of a new interview, in checklist order; raises
    a plain error past MAX_INTERVIEWERS interviewers or MAX_PLANNED_STEPS steps.

    A step anchored after the decision (`after_decision`) is planned only when
    there is a decision date: without one, nothing says when silence begins."""
    check_size(checklist, interviewers, flags)
    zone = zone_named(zone_name)
    taken: set[str] = set()
    short_names = short_names_of(interviewers)
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
            yield {
                "id": step_id,
                "title": title_for(template, person),
                "why": template.why,
                "due": due_time(
                    at,
                    template.due,
                    template.before_decision,
                    decision_by,
                    zone,
                    after_decision=template.after_decision,
                ),
                "source": template.id,
                "interviewer": person,
                "offset": template.due,
                "before_decision": template.before_decision,
                "after_decision": template.after_decision,
            }


def check_size(checklist: Plan, interviewers: Sequence[str], flags: Mapping[str, bool]) -> None:
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


def short_names_of(people: Sequence[str]) -> dict[str, str]:
    """First names as slugs (`ana`), or whole names where first names clash."""
    first = {person: slugify(person.split()[0] if person.split() else person, 10) or "person" for person in people}
    clashes = {slug for slug in first.values() if list(first.values()).count(slug) > 1}
    return {person: (slugify(person, 12) or slug) if slug in clashes else slug for person, slug in first.items()}


def title_for(template: Template, person: str | None) -> str:
    if not template.per_interviewer:
        return template.title
    name = person or NO_INTERVIEWER
    if INTERVIEWER_PLACEHOLDER in template.title:
        return template.title.replace(INTERVIEWER_PLACEHOLDER, name)
    return f"{template.title} ({name})" if person else template.title


class DatedStep(Protocol):
    """A dated step of an interview, as far as `too_late` reads it."""

    @property
    def id(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def before_decision(self) -> str | None: ...


class Dated(Protocol):
    """An interview, as far as `too_late` reads it: the model or the stored copy."""

    @property
    def at(self) -> datetime: ...
    @property
    def zone(self) -> str: ...
    @property
    def decision_by(self) -> datetime | None: ...
    @property
    def steps(self) -> Sequence[DatedStep]: ...


@dataclass(frozen=True)
class TooLate:
    """A step whose decision deadline had already passed when it was planned."""

    step: DatedStep
    deadline: datetime
    advice: str | None


def too_late(interview: Dated, checklist: Plan | None, now: datetime) -> list[TooLate]:
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
    for step in interview.steps:
        if step.status != "pending" or not step.before_decision:
            continue
        if any(late.step.source == step.source for late in found):
            continue
        deadline = decision_deadline(interview.decision_by, step.before_decision, zone)
        if deadline < max(now, interview.at):
            found.append(TooLate(step, max(deadline, interview.at), advice.get(step.source)))
    return found
