"""The everyday words of a WHEN, read without dateparser.

dateparser costs 250-460 ms to import and warm up, paid by every `followup new
--at "today 10:00"`. The words people type day to day are few: `today`,
`tomorrow`, `yesterday` and weekday names, each with an optional time of day
(`3pm`, `3:30pm`, `14:30`, `10`), and spans back or ahead (`2h ago`, `in 3
days`, `-1d`, `+3h`). They are read here; `read_words` returns None for
anything else, which `followup.when` hands to dateparser.

This module only reads: it says which local day and time of day, or which span
from now, the words name. `followup.when` attaches the zone, so that daylight
saving is settled in one place. tests/test_when_words.py checks it against the
dateparser path over generated inputs, zones and DST days.
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from typing import Literal, NamedTuple, cast

from followup.errors import UsageError

WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        )
    )
    for name in names
}
DAY_WORDS = {"yesterday": -1, "today": 0, "tomorrow": 1}
UNITS = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), "m"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "h"),
    **dict.fromkeys(("d", "day", "days"), "d"),
    **dict.fromkeys(("w", "week", "weeks"), "w"),
}

_DAY = re.compile(
    r"(?:(?P<word>today|tomorrow|yesterday)|(?:(?P<which>this|next|last) )?(?P<weekday>[a-z]+))"
    r"(?: (?:at )?(?P<clock>\S.*))?"
)
_CLOCK = re.compile(r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2}))?)? ?(?P<half>am|pm|a\.m\.|p\.m\.)?")
_UNIT = "|".join(sorted(UNITS, key=len, reverse=True))
_AMOUNT = r"(?P<amount>\d{1,6}|an?)"
_AGO = re.compile(rf"{_AMOUNT} ?(?P<unit>{_UNIT}) ago")
_IN = re.compile(rf"in {_AMOUNT} ?(?P<unit>{_UNIT})")
_SIGNED = re.compile(r"(?P<sign>[+-])(?P<amount>\d{1,6})(?P<unit>[mhdw])")


class Day(NamedTuple):
    """A local calendar day, with the time of day written (None: none was)."""

    day: date
    clock: time | None


SpanUnit = Literal["m", "h", "d", "w"]


class Span(NamedTuple):
    """A span from now: hours and minutes are elapsed time; days and weeks are
    calendar days, read as a date (the end of that day, as for any date)."""

    amount: int
    unit: SpanUnit


def read_words(text: str, today: date, prefer: Literal["past", "future"]) -> Day | Span | None:
    """What the everyday words in `text` (already lower-case, single-spaced) name.

    None when the words are not ones read here (dateparser reads them then);
    a UsageError when they are, but the time of day written does not exist.
    """
    span = _read_span(text)
    if span is not None:
        return span
    match = _DAY.fullmatch(text)
    if match is None:
        return None
    if match["word"]:
        day = today + timedelta(days=DAY_WORDS[match["word"]])
    elif match["weekday"] in WEEKDAYS:
        day = _weekday(today, WEEKDAYS[match["weekday"]], match["which"], prefer)
    else:
        return None
    clock_text = match["clock"]
    if clock_text is None:
        return Day(day, None)
    if clock_text == "noon":
        return Day(day, time(12))
    if not clock_text[:1].isdigit():
        return None  # "tomorrow morning", "friday next week": dateparser's
    return Day(day, _clock(clock_text, text))


def _read_span(text: str) -> Span | None:
    for pattern, sign in ((_AGO, -1), (_IN, 1), (_SIGNED, 0)):
        match = pattern.fullmatch(text)
        if match is not None:
            amount = 1 if match["amount"] in ("a", "an") else int(match["amount"])
            if sign == 0:
                sign = -1 if match["sign"] == "-" else 1
            return Span(sign * amount, cast(SpanUnit, UNITS[match["unit"]]))
    return None


def _weekday(today: date, weekday: int, which: str | None, prefer: Literal["past", "future"]) -> date:
    """The day a weekday name means, said on `today`.

    - `friday` alone follows `prefer`: the last Friday before today for a time
      that has passed (an interview), the first after today for a deadline.
      Today itself is never meant: one says "today" for that.
    - `this friday` is the coming Friday (today, if today is a Friday);
      `last friday` the most recent one before today.
    - `next friday` is the Friday of next week (weeks start on Monday). Said on
      a Wednesday it is nine days away, not two: for the Friday two days away
      people say "this friday" or "friday", and "next" would add nothing.
      "At least seven days away" would be the other reading, but said on a
      Saturday it would skip the Friday six days later, which is next week's.
    """
    ahead = (weekday - today.weekday()) % 7
    if which == "this":
        return today + timedelta(days=ahead)
    if which == "next":
        return today + timedelta(days=7 - today.weekday() + weekday)
    if which == "last" or prefer == "past":
        return today - timedelta(days=(today.weekday() - weekday) % 7 or 7)
    return today + timedelta(days=ahead or 7)


def _clock(clock_text: str, text: str) -> time:
    """`3pm`, `3:30 pm`, `14:30`, `14:30:15`, `10` as a time of day; a UsageError
    for a time that does not exist (`25:00`, `13:60`, `13pm`), as for an ISO date."""
    match = _CLOCK.fullmatch(clock_text)
    if match is None:
        raise _no_such_time(clock_text, text, "write it as 14:30, 2:30pm or 14")
    hour, minute, second = int(match["hour"]), int(match["minute"] or 0), int(match["second"] or 0)
    half = (match["half"] or "").replace(".", "")
    if half == "pm" and not 1 <= hour <= 12:
        raise _no_such_time(clock_text, text, "with pm the hour goes from 1 to 12")
    if half == "am" and hour > 12:
        raise _no_such_time(clock_text, text, "with am the hour goes from 0 to 12")
    if half:
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise _no_such_time(clock_text, text, "hours go from 0 to 23, minutes from 0 to 59")
    return time(hour, minute, second)


def _no_such_time(clock_text: str, text: str, rule: str) -> UsageError:
    return UsageError(f"not a valid time of day: {clock_text!r} in {text!r} ({rule})")
