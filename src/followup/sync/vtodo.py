"""followup's values into a VTODO, and a VTODO (from any app) back into values.

An update starts from the to-do as the server holds it and replaces only
followup's own properties, so what other apps added (their alarms, X-
properties such as X-APPLE-SORT-ORDER, a DTSTART) survives. SEQUENCE is left
as it is: these are not scheduling messages. Followup's own reminder is the
VALARM whose UID (RFC 9074) is the to-do's UID with `.reminder`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from typing import Any

from icalendar import Alarm, Calendar, Todo

from followup.exports.calendar import PRODID, REMINDER, _text
from followup.sync.local import Status
from followup.sync.merge import Values
from followup.when import end_of_day, localize

_OWN = (
    "summary",
    "description",
    "due",
    "status",
    "completed",
    "percent-complete",
    "categories",
    "last-modified",
    "dtstamp",
)


class NotATodo(ValueError):
    """The object holds no VTODO with the expected UID."""


def render(uid: str, values: Values, now: datetime, existing: bytes | None = None) -> bytes:
    """The iCalendar text of the to-do holding `values`; `existing` is what the server has."""
    if existing is None:
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        todo = Todo()
        todo.add("uid", uid)
        calendar.add_component(todo)
    else:
        calendar = Calendar.from_ical(existing)
        todo = _find(calendar, uid)
    for name in _OWN:
        todo.pop(name, None)
    stamp = now.astimezone(UTC).replace(microsecond=0)
    todo.add("dtstamp", stamp)
    todo.add("last-modified", stamp)
    todo.add("summary", _text(values.summary))
    todo.add("description", _text(values.description))
    todo.add("due", values.due)  # with the interview's zone as TZID; its VTIMEZONE is added below
    todo.add("categories", list(values.categories))
    todo.add("status", {"pending": "NEEDS-ACTION", "done": "COMPLETED", "skipped": "CANCELLED"}[values.status])
    if values.status == "done":
        todo.add("percent-complete", 100)  # what some apps look at instead of STATUS
        if values.done_at is not None:
            todo.add("completed", values.done_at.astimezone(UTC))
    alarm_uid = f"{uid}.reminder"
    todo.subcomponents = [
        c for c in todo.subcomponents if not (isinstance(c, Alarm) and str(c.get("uid")) == alarm_uid)
    ]
    if values.status == "pending":
        alarm = Alarm()
        alarm.add("uid", alarm_uid)
        alarm.add("action", "DISPLAY")
        # A VTODO's relative trigger must be RELATED=END (to DUE) when it has no DTSTART.
        alarm.add("trigger", -REMINDER, parameters={"RELATED": "END"})
        alarm.add("description", _text(values.summary))
        todo.add_component(alarm)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def uid_of(data: bytes) -> str | None:
    """The UID of the (first) VTODO in `data`, or None when it holds none."""
    try:
        calendar = Calendar.from_ical(data)
    except ValueError:
        return None
    for todo in calendar.walk("VTODO"):
        return str(todo.get("uid", "")) or None
    return None


def read(data: bytes, uid: str, zone: tzinfo, fallback_due: datetime) -> Values:
    """What a to-do says, as followup's values: a date-only DUE is the end of that local
    day in `zone`, a floating one is taken in `zone`, a missing one is `fallback_due`.
    Done is STATUS:COMPLETED, a COMPLETED time or PERCENT-COMPLETE:100 (apps differ)."""
    todo = _find(Calendar.from_ical(data), uid)
    status_text = str(todo.get("status", "NEEDS-ACTION")).upper()
    completed = _moment(todo.get("completed"), zone)
    try:
        percent = int(todo.get("percent-complete", 0))
    except (TypeError, ValueError):
        percent = 0
    status: Status
    if status_text == "COMPLETED" or completed is not None or percent >= 100:
        status = "done"
    elif status_text == "CANCELLED":
        status = "skipped"
    else:
        status = "pending"
    due = _moment(todo.get("due"), zone) or fallback_due
    return Values(
        status=status,
        due=due.replace(microsecond=0),
        done_at=completed.replace(microsecond=0) if status == "done" and completed else None,
        summary=str(todo.get("summary", "")),
        description=str(todo.get("description", "")),
        categories=_categories(todo),
    )


def says_plainly(data: bytes, uid: str, status: Status) -> bool:
    """Whether the to-do states `status` the way every app reads it (STATUS, and
    PERCENT-COMPLETE with COMPLETED when done), rather than one of the three signs alone."""
    todo = _find(Calendar.from_ical(data), uid)
    expected = {"pending": "NEEDS-ACTION", "done": "COMPLETED", "skipped": "CANCELLED"}[status]
    if str(todo.get("status", "NEEDS-ACTION")).upper() != expected:
        return False
    return status != "done" or ("completed" in todo and str(todo.get("percent-complete", "")) == "100")


def _find(calendar: Calendar, uid: str) -> Todo:
    for todo in calendar.walk("VTODO"):
        if str(todo.get("uid", "")) == uid:
            return todo  # type: ignore[return-value]
    raise NotATodo(uid)


def _moment(prop: Any, zone: tzinfo) -> datetime | None:
    if prop is None:
        return None
    value = prop.dt
    if isinstance(value, datetime):
        return localize(value, zone) if value.tzinfo is None else value.astimezone(zone)
    if isinstance(value, date):
        return end_of_day(value, zone)
    return None


def _categories(todo: Todo) -> tuple[str, ...]:
    found = todo.get("categories")
    props = found if isinstance(found, list) else [found] if found is not None else []
    return tuple(str(cat) for prop in props for cat in getattr(prop, "cats", []))
