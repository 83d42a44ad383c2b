"""A realistic week of interviews, for `followup demo` and the README's pictures.

The interviews are made the way the commands make them (`actions.plan`,
`add`, `set_status`, `close`) from the built-in post-interview checklist, at
times relative to `now`, so that the demo always shows steps done and skipped,
one overdue, some due soon, an interview waiting for its decision and one
closed with an offer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from followup import actions
from followup.checklists import builtin_dir, load
from followup.constants import DEFAULT_CHECKLIST, STORE_NAME, Outcome
from followup.errors import FollowupError
from followup.models import Checklist
from followup.status import find_steps
from followup.store.core import Store
from followup.when import end_of_day, localize, zone_named

HALF_HOUR = 30 * 60


@dataclass(frozen=True)
class Sample:
    """One demo interview: who and when, and what has happened since."""

    company: str
    role: str
    interviewers: tuple[str, ...]
    days_ago: int  # with `clock`: that day at that time; else `hours_ago`, on the half hour
    clock: time | None = None
    hours_ago: int = 0
    decision_in_days: int | None = None
    flags: tuple[str, ...] = ()
    notes: str | None = None
    done: dict[str, float] = field(default_factory=dict)  # step id: hours after the start
    skipped: dict[str, str] = field(default_factory=dict)  # step id: reason
    outcome: Outcome | None = None


SAMPLES = (
    Sample(
        "Initech",
        "Backend engineer",
        ("Lena Fischer",),
        days_ago=7,
        clock=time(11, 0),
        decision_in_days=-1,
        done={"thank-interviewer": 1, "shake-hands": 1, "greet-staff": 1, "write-letter": 6, "mail-letter": 22},
        skipped={"checkin": "they called with an offer"},
        outcome="offer",
    ),
    Sample(
        "Hooli",
        "Support lead",
        ("Priya Raman",),
        days_ago=6,
        clock=time(14, 0),
        flags=("video",),  # no decision date: so no check-in, and all its steps are done
        done={"thank-interviewer": 1, "write-letter": 4, "email-letter": 5},
    ),
    Sample(
        "Acme Corp",
        "Data analyst",
        ("Ana López",),
        days_ago=4,
        clock=time(10, 0),
        decision_in_days=4,
        notes="We talked about her move from Lisbon",
        done={"thank-interviewer": 1, "shake-hands": 1},
        skipped={"greet-staff": "left through the car park"},
    ),
    Sample(
        "Globex",
        "Product designer",
        ("Bo Chen", "Marta Ruiz"),
        days_ago=0,
        hours_ago=22,
        decision_in_days=6,
        flags=("late",),
        notes="Marta asked about the design system",
        done={"thank-interviewer": 1, "thank-patience": 1, "shake-hands": 1, "greet-staff": 1, "write-letter-bo": 4},
    ),
    Sample(
        "Umbrella",
        "ML engineer",
        ("Tom Okafor",),
        days_ago=0,
        hours_ago=3,
        flags=("video",),
        done={"thank-interviewer": 1},
    ),
)


def builtin_checklist() -> Checklist:
    """The built-in post-interview checklist, never a user's own of that name."""
    return load(builtin_dir() / f"{DEFAULT_CHECKLIST}.yaml")


def start_of(sample: Sample, now: datetime, zone_name: str) -> datetime:
    zone = zone_named(zone_name)
    local_now = now.astimezone(zone)
    if sample.clock is not None:
        day = local_now.date() - timedelta(days=sample.days_ago)
        return localize(datetime.combine(day, sample.clock), zone)
    earlier = local_now - timedelta(days=sample.days_ago, hours=sample.hours_ago)
    seconds = earlier.minute * 60 + earlier.second + earlier.microsecond / 1e6
    return (earlier - timedelta(seconds=seconds % HALF_HOUR)).astimezone(zone)


def fill(home: Path, now: datetime, zone_name: str) -> list[str]:
    """Write the demo interviews into a new store in `home`; their ids.

    Refuses a folder that already holds a store, so that a demo never mixes
    with real interviews. The undo journal is left empty.
    """
    store = Store(home)
    if store.path.exists():
        raise FollowupError(f"{home} already holds a store ({STORE_NAME})", "the demo needs an empty folder")
    checklist = builtin_checklist()
    zone = zone_named(zone_name)
    ids = []
    with store.change() as document:
        for sample in SAMPLES:
            at = start_of(sample, now, zone_name)
            decision = None
            if sample.decision_in_days is not None:
                decision = end_of_day(_day(now, sample.decision_in_days, zone_name), zone)
            interview = actions.plan(
                checklist,
                company=sample.company,
                role=sample.role,
                interviewers=list(sample.interviewers),
                at=at,
                zone_name=zone_name,
                flags=dict.fromkeys(sample.flags, True),
                decision_by=decision,
                notes=sample.notes,
                now=at,
            )
            actions.add(document, interview, now)
            for step_id, hours in sample.done.items():
                steps = find_steps(interview, [step_id])
                done_at = min(at + timedelta(hours=hours), now)
                actions.set_status(document, interview, steps, "done", now, at=done_at)
            for step_id, reason in sample.skipped.items():
                steps = find_steps(interview, [step_id])
                actions.set_status(document, interview, steps, "skipped", now, reason=reason)
            if sample.outcome is not None:
                actions.close(document, interview, sample.outcome, now)
            ids.append(interview.id)
        document.journal.clear()  # `followup undo` in the demo has nothing to revert
    return ids


def _day(now: datetime, days: int, zone_name: str) -> date:
    return now.astimezone(zone_named(zone_name)).date() + timedelta(days=days)
