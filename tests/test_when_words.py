"""The fast reader of everyday words against dateparser, which read them all before.

`followup.when._dateparser_when` is the dateparser path exactly as `parse_when`
used it for every word; the fast path must give the same moment for the words it
reads, over generated phrases, zones (one with DST each side of the equator, one
far east, UTC) and clocks that include daylight-saving days. Where the answers
differ on purpose, the test says how and why:

- `next friday` is next week's Friday (see `when_words._weekday`), where
  dateparser took the coming one even two days away;
- `2h ago` across a DST change is two elapsed hours, where dateparser counted
  on the wall clock (an hour or three hours then);
- times that do not exist (`today 25:00`, `tomorrow 99`) are refused, where
  dateparser dropped them and meant the end of the day (tests/test_when.py).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup.errors import UsageError
from followup.when import _dateparser_when, parse_when

ZONES = [ZoneInfo(name) for name in ("Europe/Berlin", "Asia/Tokyo", "America/New_York", "Australia/Sydney", "UTC")]
WEEKDAY_NAMES = [
    ("monday", "mon"),
    ("tuesday", "tue", "tues"),
    ("wednesday", "wed"),
    ("thursday", "thu"),
    ("friday", "fri"),
    ("saturday", "sat"),
    ("sunday", "sun"),
]

FULL_NAMES = {short: names[0] for names in WEEKDAY_NAMES for short in names[1:]}
FULL_NAMES |= {short.upper(): name.upper() for short, name in FULL_NAMES.items()}


def transition_days(zone: ZoneInfo, year: int) -> list[date]:
    """The days on which `zone` changes its offset in `year` (none for Tokyo or UTC)."""
    days = []
    day = date(year, 1, 1)
    while day.year == year:
        start = datetime(day.year, day.month, day.day, tzinfo=zone).utcoffset()
        end = (datetime(day.year, day.month, day.day, tzinfo=zone) + timedelta(days=1)).utcoffset()
        if start != end:
            days.append(day)
        day += timedelta(days=1)
    return days


DST_DAYS = sorted({day for zone in ZONES for year in (2025, 2026) for day in transition_days(zone, year)})


@st.composite
def clocks(draw: st.DrawFn) -> datetime:
    """A 'now': any minute of 2020-2030, or a minute on or next to a daylight-saving day."""
    if draw(st.booleans()):
        day = draw(st.sampled_from(DST_DAYS)) + timedelta(days=draw(st.integers(-1, 1)))
    else:
        day = draw(st.dates(date(2020, 1, 1), date(2030, 12, 31)))
    moment = datetime(day.year, day.month, day.day, draw(st.integers(0, 23)), draw(st.integers(0, 59)))
    zone = draw(st.sampled_from(ZONES))
    return moment.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)


@st.composite
def times_of_day(draw: st.DrawFn) -> str:
    """A time of day written as people do (never a bare hour: dateparser ignored those)."""
    hour, minute = draw(st.integers(0, 23)), draw(st.integers(0, 59))
    half_hour = hour % 12 or 12
    half = "am" if hour < 12 else "pm"
    space = draw(st.sampled_from(["", " "]))
    form = draw(st.sampled_from(["24h", "24h-padded", "seconds", "12h", "12h-minutes"]))
    text = {
        "24h": f"{hour}:{minute:02d}",
        "24h-padded": f"{hour:02d}:{minute:02d}",
        "seconds": f"{hour:02d}:{minute:02d}:{draw(st.integers(0, 59)):02d}",
        "12h": f"{half_hour}{space}{half}",
        "12h-minutes": f"{half_hour}:{minute:02d}{space}{half}",
    }[form]
    return draw(st.sampled_from(["", "at "])) + text


@st.composite
def day_phrases(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        day = draw(st.sampled_from(["today", "tomorrow", "yesterday"]))
    else:
        which = draw(st.sampled_from(["", "this ", "next ", "last "]))
        day = which + draw(st.sampled_from([name for names in WEEKDAY_NAMES for name in names]))
    if draw(st.booleans()):
        return day
    return f"{day} {draw(times_of_day())}"


@st.composite
def span_phrases(draw: st.DrawFn) -> str:
    amount = draw(st.integers(0, 400))
    units = ["m", "min", "mins", "minute", "minutes", "h", "hr", "hrs", "hour", "hours", "d", "day", "days", "week"]
    unit = draw(st.sampled_from([*units, "weeks"]))
    form = draw(st.sampled_from(["ago", "in", "signed"]))
    if form == "signed":
        return f"{draw(st.sampled_from('+-'))}{amount}{draw(st.sampled_from('mhd'))}"
    number = draw(st.sampled_from([str(amount), "a" if unit[0] != "h" else "an"])) if amount == 1 else str(amount)
    space = draw(st.sampled_from(["", " "])) if len(unit) <= 3 and number.isdigit() else " "
    return f"{number}{space}{unit} ago" if form == "ago" else f"in {number}{space}{unit}"


def same_iso_week(a: date, b: date) -> bool:
    return a.isocalendar()[:2] == b.isocalendar()[:2]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clocks(), st.one_of(day_phrases(), span_phrases()), st.sampled_from(["past", "future"]), st.booleans())
def test_the_fast_path_reads_words_as_dateparser_did(
    now: datetime, text: str, prefer: Literal["past", "future"], shout: bool
) -> None:
    zone = now.tzinfo
    assert isinstance(zone, ZoneInfo)
    typed = text.upper() if shout else text
    fast = parse_when(typed, now, zone, prefer)
    try:
        slow = _dateparser_when(typed, now, zone, prefer)
    except UsageError:
        # dateparser knows "wed" but not "this wed": the fast path reads the abbreviation as the full name.
        slow = _dateparser_when(" ".join(FULL_NAMES.get(word, word) for word in typed.split()), now, zone, prefer)
    assert fast.tzinfo is zone
    words = text.split()
    if words[0] == "next":
        # Next week's day: dateparser's coming one, a week later when that is still this week.
        if same_iso_week(slow.date(), now.date()):
            assert fast.replace(tzinfo=None) == slow.replace(tzinfo=None) + timedelta(days=7)
            return
    elif words[-1] in ("ago",) or words[0] == "in" or text[0] in "+-":
        unit = text.rstrip("ago ").rstrip("0123456789 ").lstrip("in+-0123456789a ")
        elapsed = unit[:1] in ("m", "h") and not unit.startswith("mon")
        if elapsed and fast != slow:
            # Only across a DST change: elapsed time, where dateparser counted on the wall clock.
            assert fast.utcoffset() != now.utcoffset() or slow.utcoffset() != now.utcoffset()
            digits = "".join(char for char in text if char.isdigit())
            sign = -1 if text.endswith("ago") or text.startswith("-") else 1
            minutes = sign * int(digits or 1) * (60 if unit.startswith("h") else 1)
            assert fast.astimezone(UTC) == now.astimezone(UTC) + timedelta(minutes=minutes)
            return
    assert fast == slow, (typed, now, prefer)
    assert fast.utcoffset() == slow.utcoffset()
