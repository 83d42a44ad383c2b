"""The steps of the open interviews as an iCalendar file, for any calendar or to-do app.

One VTODO per step of every open interview, due when the step is due. A
pending step is NEEDS-ACTION with a reminder an hour before; a done one is
COMPLETED (at the time it was done) and a skipped one CANCELLED, both without
a reminder. Each entry's UID is made from the interview id and the step id, so
importing a newer export updates the entries instead of adding copies, and
ticks off in the calendar app what was done since: a step that dropped out of
the file would stay open there. Only `followup export --format ics` imports
this module, and so `icalendar`: the daily commands never pay for it.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta

from icalendar import Alarm, Calendar, Todo

from followup import __version__
from followup.models import Interview, Step

PRODID = f"-//followup//followup {__version__}//EN"
UID_DOMAIN = "followup"
REMINDER = timedelta(hours=1)

# RFC 5545 text may not hold control characters other than tab (newlines are escaped as \n).
_LINE_BREAK = re.compile(r"\r\n?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def step_uid(interview: Interview, step: Step) -> str:
    """`acme-1128.mail-letter@followup`: the same entry in every export."""
    return f"{interview.id}.{step.id}@{UID_DOMAIN}"


def calendar_bytes(interviews: Iterable[Interview], now: datetime) -> bytes:
    """The iCalendar file of every step of the open interviews."""
    return b"".join(calendar_pieces(interview_todos(i, now) for i in interviews if i.is_open))


def interview_todos(interview: Interview, now: datetime) -> bytes:
    """The to-dos of one interview's steps, as they appear in the file: `calendar_pieces` joins them."""
    stamp = now.astimezone(UTC)
    return b"".join(_todo(interview, step, stamp).to_ical() for step in interview.steps)


def calendar_pieces(todos: Iterable[bytes]) -> Iterator[bytes]:
    """The iCalendar file in pieces, from the `interview_todos` of the open
    interviews: an export holds one interview's model at a time, not 10,000.
    (A component's text is its own lines, then each subcomponent's, then its END.)"""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "followup")
    end = b"END:VCALENDAR\r\n"
    yield bytes(calendar.to_ical()).removesuffix(end)
    yield from todos
    yield end


def _todo(interview: Interview, step: Step, stamp: datetime) -> Todo:
    summary = _text(f"{interview.company}: {step.title}")
    todo = Todo()
    todo.add("uid", step_uid(interview, step))
    todo.add("dtstamp", stamp)
    todo.add("due", step.due.astimezone(UTC))
    todo.add("summary", summary)
    todo.add("description", _text(description(interview, step)))
    if step.status == "done":
        todo.add("status", "COMPLETED")
        todo.add("percent-complete", 100)  # what some apps look at instead of STATUS
        if step.done_at is not None:
            todo.add("completed", step.done_at.astimezone(UTC))
        return todo
    if step.status == "skipped":
        todo.add("status", "CANCELLED")
        return todo
    todo.add("status", "NEEDS-ACTION")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    # A VTODO's relative trigger must be RELATED=END (to DUE) when it has no DTSTART.
    alarm.add("trigger", -REMINDER, parameters={"RELATED": "END"})
    alarm.add("description", summary)
    todo.add_component(alarm)
    return todo


def description(interview: Interview, step: Step) -> str:
    """Why the step matters, which interview it belongs to, and how to tick it off."""
    parts = [step.why.strip()] if step.why.strip() else []
    parts.append(f"Interview {interview.id}: {interview.company}, {interview.role}.")
    parts.append(f"When done: followup done {shlex.quote(interview.id)} {shlex.quote(step.id)}")
    return "\n\n".join(parts)


def _text(value: str) -> str:
    """User text as iCalendar allows it: line breaks kept as \\n, other controls dropped."""
    return _CONTROL.sub("", _LINE_BREAK.sub("\n", value))
