"""Turn what users type for times (`WHEN`) and spans (`+1d`, `2bd`) into values.

ISO 8601 is parsed on a fast path with the standard library, and so are the
everyday words (`today 10:00`, `next friday`, `2h ago`: see `when_words`); only
other words ("in 1 month", "tomorrow morning") import `dateparser`, which takes a
quarter of a second or more to load and warm up.

A wall-clock time that daylight saving skips or repeats is settled here, and
`read_when` says so in a note that the command line prints.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Literal, NamedTuple, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from followup.constants import FIRST_YEAR, LAST_YEAR
from followup.errors import UsageError
from followup.when_words import Span, read_words

WHEN_EXAMPLES = "2026-11-28 14:00, 2026-11-28, now, today 3pm, yesterday 14:30, 2h ago, next friday"
END_OF_DAY = time(23, 59, 59)

_ISO_DATE = re.compile(r"\d{4}-?\d{2}-?\d{2}")
_DURATION = re.compile(r"(?P<sign>[+-])?(?P<amount>\d{1,5})(?P<unit>m|h|d|bd|w)")
# A POSIX TZ rule: a name of three letters or more (or <+03>), then an offset.
_POSIX_TZ = re.compile(r"(?:[A-Za-z]{3,}|<[^>]+>)[+-]?\d")
# A checklist plans the weeks after an interview: ten years is far beyond any step, and
# keeps every planned date inside the years WHEN accepts (`+99999w` would be the year 3942).
MAX_DURATION_DAYS = 3660
_UNIT_DAYS = {"m": 1 / 1440, "h": 1 / 24, "d": 1, "bd": 7 / 5, "w": 7}
# Where dateparser saw a date but no time of day, text like this means a time was written
# that it could not read ("next week 25:00"): refuse it rather than take the end of the day.
_TIME_SHAPE = re.compile(r"\d{1,2}:\d{1,2}|\d ?(?:am|pm|a\.m\.|p\.m\.)(?![a-z])", re.IGNORECASE)


Unit = Literal["m", "h", "d", "bd", "w"]


class Duration(NamedTuple):
    """A signed span: minutes and hours are elapsed time, days and weeks are
    calendar days on the wall clock, business days skip Saturdays and Sundays."""

    amount: int
    unit: Unit

    def __str__(self) -> str:
        if self.amount == 0:
            return "0"
        sign = "+" if self.amount > 0 else "-"
        return f"{sign}{abs(self.amount)}{self.unit}"


def parse_duration(text: str) -> Duration:
    """`0`, `+3h`, `-2d`, `1w`, `2bd` into a Duration; ValueError otherwise."""
    cleaned = str(text).strip().replace(" ", "")
    if cleaned in {"0", "+0", "-0"}:
        return Duration(0, "d")
    match = _DURATION.fullmatch(cleaned)
    if not match:
        raise ValueError("expected a duration like +1d, -2d, +3h, 30m, 2bd or 0")
    amount = int(match["amount"]) * (-1 if match["sign"] == "-" else 1)
    unit = cast(Unit, match["unit"])
    if abs(amount) * _UNIT_DAYS[unit] > MAX_DURATION_DAYS:
        raise ValueError(f"{cleaned} is more than ten years; a duration goes up to 10 years ({MAX_DURATION_DAYS}d)")
    return Duration(amount, unit)


# --- zones ------------------------------------------------------------------


# A fixed offset as a zone: less than a day either way (+99:99 is no offset `timezone` takes).
OFFSET = re.compile(r"[+-](?:[01]\d|2[0-3]):[0-5]\d")


def zone_named(name: str) -> tzinfo:
    """The tzinfo for a stored zone name: an IANA name, `UTC`, or `+01:00`."""
    if OFFSET.fullmatch(name):
        sign = -1 if name[0] == "-" else 1
        hours, minutes = int(name[1:3]), int(name[4:6])
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return UTC


def is_zone_name(name: str) -> bool:
    """Whether `zone_named` knows `name` (rather than falling back to UTC)."""
    if OFFSET.fullmatch(name) or name == "UTC":
        return True
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def local_zone_name() -> str:
    """The user's zone: `TZ` if it names a zone, else the system's, else its offset."""
    return local_zone()[0]


def local_zone() -> tuple[str, str | None]:
    """The user's zone name, and a warning when `TZ` does not name a zone.

    The C library reads a `TZ` that names no zone file as a POSIX rule
    (`EST5EDT`, `UTC+3`, which means three hours *behind* UTC) and anything it
    cannot read as UTC. Only the offset in force now can be learnt from it, so
    the zone used is that fixed offset, wrong by an hour once daylight saving
    changes: the warning says which zone is used and how to name a real one.
    """
    tz_env = os.environ.get("TZ", "").lstrip(":")
    if tz_env:
        try:
            ZoneInfo(tz_env)
            return tz_env, None
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
    else:
        try:
            target = str(Path("/etc/localtime").resolve())
        except OSError:
            target = ""
        if "zoneinfo/" in target:
            candidate = target.split("zoneinfo/", 1)[1]
            try:
                ZoneInfo(candidate)
                return candidate, None
            except (ZoneInfoNotFoundError, ValueError, OSError):
                pass
    try:
        offset = datetime.now().astimezone().utcoffset() or timedelta(0)
    except (ValueError, OverflowError):  # TZ=UTC+24: an offset of a whole day, which no tzinfo holds
        offset = None
    if not tz_env:
        return (_offset_name(offset) if offset else "UTC"), None
    advice = "set TZ to a zone name such as Europe/Berlin or America/New_York"
    if offset is None:
        return "UTC", f"TZ={tz_env!r} sets an offset of a day or more, which no place has; using UTC ({advice})"
    name = _offset_name(offset) if offset else "UTC"
    if _POSIX_TZ.match(tz_env):
        used = f"the fixed offset {name}" if offset else "UTC"
        return (
            name,
            f"TZ={tz_env!r} is a rule, not a zone name: using {used} all year, without daylight saving ({advice})",
        )
    return name, f"TZ={tz_env!r} names no time zone known here; using {name} ({advice})"


def zone_name_at(moment: datetime, local_name: str) -> str:
    """The zone to plan an interview in: the user's, unless `moment` was given
    with an offset that zone does not have then (an interview abroad)."""
    local = moment.astimezone(zone_named(local_name))
    offset = moment.utcoffset()
    if offset is None or offset == local.utcoffset():
        return local_name
    return _offset_name(offset)


def _offset_name(offset: timedelta) -> str:
    """`+01:00`, `-05:30`: a fixed zone's name."""
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def localize(naive: datetime, zone: tzinfo) -> datetime:
    """Attach a zone to a wall-clock time; a time skipped by DST moves forward."""
    aware = naive.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone)


def localize_noted(naive: datetime, zone: tzinfo) -> When:
    """`localize`, with a note when daylight saving skips the time (it moves
    forward by the gap) or repeats it (the first of the two is taken: it comes
    sooner, so a deadline read this way is never late)."""
    moment = localize(naive, zone)
    place = getattr(zone, "key", None) or str(zone)
    on = f"{naive:%H:%M} on {naive:%a} {naive.day} {naive:%b %Y} in {place}"
    if moment.replace(tzinfo=None) != naive:
        return When(moment, f"{on} does not exist (the clocks go forward); took {moment:%H:%M}")
    later = naive.replace(tzinfo=zone, fold=1)
    if later.utcoffset() != moment.utcoffset():
        first, second = (
            _offset_name(moment.utcoffset() or timedelta(0)),
            _offset_name(later.utcoffset() or timedelta(0)),
        )
        return When(moment, f"{on} happens twice (the clocks go back); took the first, {first} (not {second})")
    return When(moment)


def end_of_day(day: date, zone: tzinfo) -> datetime:
    return localize(datetime.combine(day, END_OF_DAY), zone)


def shift(moment: datetime, by: Duration, zone: tzinfo) -> datetime:
    """`moment` moved by `by`, as SPEC defines each unit."""
    if by.unit in ("m", "h"):
        minutes = by.amount * (60 if by.unit == "h" else 1)
        return (moment.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(zone)
    wall = moment.astimezone(zone).replace(tzinfo=None)
    if by.unit == "bd":
        return localize(_add_business_days(wall, by.amount), zone)
    days = by.amount * (7 if by.unit == "w" else 1)
    return localize(wall + timedelta(days=days), zone)


def _add_business_days(wall: datetime, amount: int) -> datetime:
    step = 1 if amount >= 0 else -1
    remaining = abs(amount)
    while remaining:
        wall += timedelta(days=step)
        if wall.weekday() < 5:
            remaining -= 1
    return wall


# --- WHEN ---------------------------------------------------------------------


class When(NamedTuple):
    """A WHEN read: the moment, and a note when daylight saving moved or chose it.

    `date_only`: no time of day was given, so the moment is the end of the day (right
    for a deadline, not for the start of an interview); `words`: it was read from
    words (`next friday`, `-1d`), not ISO 8601, so the command line may echo it.
    """

    moment: datetime
    note: str | None = None
    date_only: bool = False
    words: bool = False


def parse_when(
    text: str,
    now: datetime,
    zone: tzinfo,
    prefer: Literal["past", "future"] = "past",
) -> datetime:
    """Parse a WHEN into an aware datetime in `zone` (`read_when` without its note)."""
    return read_when(text, now, zone, prefer).moment


def read_when(
    text: str,
    now: datetime,
    zone: tzinfo,
    prefer: Literal["past", "future"] = "past",
) -> When:
    """Read a WHEN as an aware datetime in `zone`, with a note on daylight saving.

    A date without a time of day means the end of that local day. `prefer`
    settles words such as "friday": the last one for an interview that
    happened, the next one for a decision date.
    """
    cleaned = " ".join(str(text).split())
    if not cleaned:
        raise _bad_when(text)
    if cleaned.lower() == "now":
        return When(now.astimezone(zone))
    try:
        if cleaned[:1].isdigit():
            parsed = _parse_iso(cleaned, zone)
            if parsed is not None:
                return parsed._replace(moment=_within_range(parsed.moment, text))
        parsed = _parse_words(cleaned, now, zone, prefer)
        return parsed._replace(moment=_within_range(parsed.moment, text), words=True)
    except OverflowError:
        raise _bad_when(text) from None


def _within_range(moment: datetime, text: str) -> datetime:
    """Years far off overflow the arithmetic of deadlines: refuse them here, plainly."""
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise UsageError(
            f"{text!r} is not a date between the years {FIRST_YEAR} and {LAST_YEAR}",
            f"try for example: {WHEN_EXAMPLES}",
        )
    return moment


def _parse_iso(text: str, zone: tzinfo) -> When | None:
    if _ISO_DATE.fullmatch(text):
        try:
            return When(end_of_day(date.fromisoformat(text), zone), date_only=True)
        except ValueError as exc:
            raise UsageError(f"not a valid date: {text!r} ({exc})", f"try for example {WHEN_EXAMPLES}") from None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return localize_noted(parsed, zone)
    return When(parsed)  # keeps the offset given: it says where the interview took place


def _parse_words(text: str, now: datetime, zone: tzinfo, prefer: Literal["past", "future"]) -> When:
    """Everyday words: the common ones read here, the rest by dateparser."""
    local_now = now.astimezone(zone)
    try:
        words = read_words(text.lower(), local_now.date(), prefer)
    except UsageError as exc:
        raise UsageError(exc.message, f"try for example: {WHEN_EXAMPLES}") from None
    if isinstance(words, Span):
        if words.unit in ("m", "h"):  # elapsed time, as `+3h` is in a checklist, across DST too
            minutes = words.amount * (60 if words.unit == "h" else 1)
            return When((local_now.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(zone))
        days = words.amount * (7 if words.unit == "w" else 1)
        return When(end_of_day(local_now.date() + timedelta(days=days), zone), date_only=True)
    if words is not None:
        if words.clock is None:
            return When(end_of_day(words.day, zone), date_only=True)
        return localize_noted(datetime.combine(words.day, words.clock), zone)
    parsed = _dateparser_when(text, now, zone, prefer)
    if parsed.time() == END_OF_DAY and _TIME_SHAPE.search(text):
        # dateparser dropped a time of day it could not read ("next week 25:00").
        raise UsageError(f"cannot read the time of day in {text!r}", f"try for example: {WHEN_EXAMPLES}")
    if parsed.tzinfo is zone and parsed.time() != END_OF_DAY:
        return localize_noted(parsed.replace(tzinfo=None), zone)
    return When(parsed, date_only=parsed.time() == END_OF_DAY)  # as _dateparser_when gives a date


def _dateparser_when(text: str, now: datetime, zone: tzinfo, prefer: str) -> datetime:
    """The words read by dateparser (the only reader of words before `when_words`;
    tests/test_when_words.py checks the fast reader against it)."""
    # dateparser costs ~0.1 s to import and more to warm up: only words pay it.
    from dateparser.date import DateDataParser

    base = now.astimezone(zone).replace(tzinfo=None)
    parser = DateDataParser(
        languages=["en"],
        settings={"RELATIVE_BASE": base, "RETURN_TIME_AS_PERIOD": True, "PREFER_DATES_FROM": prefer},
    )
    try:
        data = parser.get_date_data(text)
    except (ValueError, OverflowError):
        data = None
    if data is None or data.date_obj is None:
        raise _bad_when(text)
    parsed = data.date_obj
    if parsed.tzinfo is not None:
        return parsed.astimezone(zone)
    # dateparser reports period "day" when the time given equals RELATIVE_BASE's
    # ("today 3pm" at 15:00); `parts` says whether a time of day was written.
    has_time = data.period == "time" or "time" in (getattr(data, "parts", None) or ())
    if not has_time:
        return end_of_day(parsed.date(), zone)
    return localize(parsed, zone)


def _bad_when(text: str) -> UsageError:
    return UsageError(f"cannot read {text!r} as a date or time", f"try for example: {WHEN_EXAMPLES}")
