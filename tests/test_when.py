"""WHEN and duration parsing: ISO 8601, everyday words, local zones, clear errors."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from followup.errors import EXIT_USAGE, UsageError
from followup.when import Duration, local_zone, local_zone_name, parse_duration, parse_when, read_when, zone_name_at
from helpers import Run

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
# Saturday 28 November 2026, 15:00 in Berlin: the same moment conftest fixes.
NOW = datetime(2026, 11, 28, 15, 0, tzinfo=BERLIN)


def wall(moment: datetime) -> tuple[int, int, int, int, int, int]:
    """The wall-clock reading of an aware datetime, for exact comparisons."""
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


# --- parse_duration -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("+3h", 3, "h"),
        ("-2d", -2, "d"),
        ("30m", 30, "m"),
        ("2bd", 2, "bd"),
        ("1w", 1, "w"),
        ("+1d", 1, "d"),
        ("-1h", -1, "h"),
        (" +2 d ", 2, "d"),
    ],
)
def test_parse_duration_valid_forms(text: str, amount: int, unit: str) -> None:
    assert parse_duration(text) == Duration(amount, unit)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["0", "+0", "-0"])
def test_parse_duration_zero(text: str) -> None:
    duration = parse_duration(text)
    assert duration.amount == 0
    assert str(duration) == "0"


@pytest.mark.parametrize(
    "text",
    ["", "d", "+", "3", "-3", "3x", "3 days", "1.5h", "+-1d", "3s", "2db", "h3", "1d2h", "123456d", "bd", "one day"],
)
def test_parse_duration_rejects_other_text(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


@pytest.mark.parametrize(("text", "shown"), [("+3h", "+3h"), ("3h", "+3h"), ("-2d", "-2d"), ("2bd", "+2bd")])
def test_duration_str_round_trips(text: str, shown: str) -> None:
    duration = parse_duration(text)
    assert str(duration) == shown
    assert parse_duration(str(duration)) == duration


# --- parse_when: ISO 8601 -------------------------------------------------------


def test_iso_with_offset_keeps_the_instant() -> None:
    parsed = parse_when("2026-11-28T14:00+01:00", NOW, BERLIN)
    assert parsed == datetime(2026, 11, 28, 14, 0, tzinfo=BERLIN)
    assert parsed.utcoffset() == timedelta(hours=1)


def test_iso_with_an_offset_keeps_it() -> None:
    """The offset says where the interview took place; display converts later."""
    parsed = parse_when("2026-07-01T12:00-04:00", NOW, BERLIN)
    assert parsed == datetime(2026, 7, 1, 16, 0, tzinfo=UTC)
    assert parsed.utcoffset() == timedelta(hours=-4)
    assert (parsed.hour, parsed.minute) == (12, 0)


def test_a_foreign_offset_plans_the_interview_in_that_offset() -> None:
    abroad = parse_when("2026-07-01T12:00-04:00", NOW, BERLIN)
    assert zone_name_at(abroad, "Europe/Berlin") == "-04:00"
    at_home = parse_when("2026-07-01T12:00+02:00", NOW, BERLIN)
    assert zone_name_at(at_home, "Europe/Berlin") == "Europe/Berlin"
    assert zone_name_at(parse_when("2026-07-01 12:00", NOW, BERLIN), "Europe/Berlin") == "Europe/Berlin"


def test_iso_with_z_suffix_is_utc() -> None:
    parsed = parse_when("2026-11-28T14:00Z", NOW, BERLIN)
    assert parsed == datetime(2026, 11, 28, 14, 0, tzinfo=UTC)
    assert parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize("text", ["2026-11-28 14:00", "2026-11-28T14:00", "2026-11-28T14:00:00"])
def test_naive_iso_time_is_local_time(text: str) -> None:
    parsed = parse_when(text, NOW, BERLIN)
    assert wall(parsed) == (2026, 11, 28, 14, 0, 0)
    assert parsed.utcoffset() == timedelta(hours=1)


def test_naive_iso_time_uses_the_zone_passed_in() -> None:
    parsed = parse_when("2026-11-28 14:00", NOW, NEW_YORK)
    assert wall(parsed) == (2026, 11, 28, 14, 0, 0)
    assert parsed.utcoffset() == timedelta(hours=-5)
    assert parsed == datetime(2026, 11, 28, 19, 0, tzinfo=UTC)


def test_naive_summer_time_gets_the_summer_offset() -> None:
    parsed = parse_when("2026-07-01 09:30", NOW, BERLIN)
    assert wall(parsed) == (2026, 7, 1, 9, 30, 0)
    assert parsed.utcoffset() == timedelta(hours=2)


def test_naive_time_in_the_spring_gap_moves_forward() -> None:
    # 02:30 on 29 March 2026 does not exist in Berlin: the clocks jump from 02:00 to 03:00.
    parsed = parse_when("2026-03-29 02:30", NOW, BERLIN)
    assert wall(parsed) == (2026, 3, 29, 3, 30, 0)
    assert parsed.utcoffset() == timedelta(hours=2)


@pytest.mark.parametrize(
    ("zone", "offset"),
    [(BERLIN, timedelta(hours=1)), (NEW_YORK, timedelta(hours=-5)), (ZoneInfo("Asia/Tokyo"), timedelta(hours=9))],
)
def test_date_only_means_end_of_that_local_day(zone: ZoneInfo, offset: timedelta) -> None:
    parsed = parse_when("2026-11-28", NOW, zone)
    assert wall(parsed) == (2026, 11, 28, 23, 59, 59)
    assert parsed.utcoffset() == offset


def test_date_only_in_summer_is_end_of_day_in_summer_time() -> None:
    parsed = parse_when("2026-07-15", NOW, BERLIN)
    assert wall(parsed) == (2026, 7, 15, 23, 59, 59)
    assert parsed.utcoffset() == timedelta(hours=2)


# --- parse_when: everyday words ---------------------------------------------------


def test_now_is_now_in_the_zone() -> None:
    parsed = parse_when("now", NOW, BERLIN)
    assert parsed == NOW
    in_utc = parse_when("NOW", NOW.astimezone(UTC), NEW_YORK)
    assert in_utc == NOW
    assert in_utc.utcoffset() == timedelta(hours=-5)


@pytest.mark.parametrize(
    ("now", "text", "expected"),
    [
        # The same time as now: a time of day was given, so it is not the end of the day.
        (NOW, "today 3pm", (2026, 11, 28, 15, 0, 0)),
        (NOW.replace(hour=10), "today 3pm", (2026, 11, 28, 15, 0, 0)),
        (NOW.replace(hour=18), "today 3pm", (2026, 11, 28, 15, 0, 0)),
        (NOW, "yesterday 14:30", (2026, 11, 27, 14, 30, 0)),
        (NOW, "yesterday 3pm", (2026, 11, 27, 15, 0, 0)),
        (NOW, "tomorrow", (2026, 11, 29, 23, 59, 59)),
        (NOW, "today", (2026, 11, 28, 23, 59, 59)),
        (NOW, "yesterday", (2026, 11, 27, 23, 59, 59)),
        (NOW, "2h ago", (2026, 11, 28, 13, 0, 0)),
        (NOW, "30 minutes ago", (2026, 11, 28, 14, 30, 0)),
        # 28 November 2026 is a Saturday: next friday is 4 December, a date without a time.
        (NOW, "next friday", (2026, 12, 4, 23, 59, 59)),
    ],
)
def test_everyday_words_relative_to_now(now: datetime, text: str, expected: tuple[int, ...]) -> None:
    parsed = parse_when(text, now, BERLIN)
    assert wall(parsed) == expected
    assert parsed.tzinfo is not None
    assert parsed.utcoffset() == timedelta(hours=1)


def test_words_are_relative_to_now_not_the_real_clock() -> None:
    long_ago = datetime(2021, 3, 10, 9, 0, tzinfo=BERLIN)
    assert wall(parse_when("yesterday 14:30", long_ago, BERLIN)) == (2021, 3, 9, 14, 30, 0)
    assert wall(parse_when("2h ago", long_ago, BERLIN)) == (2021, 3, 10, 7, 0, 0)


def test_words_use_the_wall_clock_of_the_zone() -> None:
    # 15:00 in Berlin is 09:00 in New York: "2h ago" there is 07:00 New York time.
    parsed = parse_when("2h ago", NOW, NEW_YORK)
    assert wall(parsed) == (2026, 11, 28, 7, 0, 0)
    assert parsed == NOW - timedelta(hours=2)
    assert wall(parse_when("today", NOW, NEW_YORK)) == (2026, 11, 28, 23, 59, 59)


@pytest.mark.parametrize(
    ("text", "past", "future"),
    [
        ("friday", (2026, 11, 27), (2026, 12, 4)),
        ("monday", (2026, 11, 23), (2026, 11, 30)),
    ],
)
def test_bare_weekday_follows_prefer(text: str, past: tuple[int, ...], future: tuple[int, ...]) -> None:
    before = parse_when(text, NOW, BERLIN, prefer="past")
    after = parse_when(text, NOW, BERLIN, prefer="future")
    assert wall(before) == (*past, 23, 59, 59)
    assert wall(after) == (*future, 23, 59, 59)
    assert before < NOW < after


def test_default_prefer_is_past() -> None:
    assert parse_when("friday", NOW, BERLIN) == parse_when("friday", NOW, BERLIN, prefer="past")


@pytest.mark.parametrize(
    "text",
    ["", "   ", "banana", "next blursday", "1 2 3", "99999999", "2026-02-30", "2026-13-45 10:00", "tomorrow-ish 3pm"],
)
def test_garbage_is_a_usage_error_with_an_example(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_when(text, NOW, BERLIN)
    error = caught.value
    assert error.exit_code == EXIT_USAGE == 2
    assert error.message
    assert error.hint is not None
    assert "2026-11-28 14:00" in error.hint


def test_garbage_message_quotes_the_input() -> None:
    with pytest.raises(UsageError, match="banana"):
        parse_when("banana", NOW, BERLIN)


# --- local_zone_name ---------------------------------------------------------------


@pytest.fixture
def set_tz(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Set TZ for one test and put Berlin back afterwards, as conftest left it."""

    def apply(value: str) -> None:
        monkeypatch.setenv("TZ", value)
        time.tzset()

    yield apply
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()


@pytest.mark.parametrize(
    ("tz", "expected"),
    [
        ("America/New_York", "America/New_York"),
        ("Asia/Tokyo", "Asia/Tokyo"),
        (":Europe/Lisbon", "Europe/Lisbon"),
        ("UTC", "UTC"),
    ],
)
def test_local_zone_name_honours_tz(set_tz: Callable[[str], None], tz: str, expected: str) -> None:
    set_tz(tz)
    assert local_zone_name() == expected


def test_local_zone_name_of_the_test_setup_is_berlin() -> None:
    assert local_zone_name() == "Europe/Berlin"


def test_local_zone_name_falls_back_to_the_offset_for_posix_tz(set_tz: Callable[[str], None]) -> None:
    # A POSIX TZ string names no IANA zone; the offset it sets is used instead.
    set_tz("XYZ-3")
    assert local_zone_name() == "+03:00"


def test_compact_iso_dates_mean_the_end_of_that_day_too() -> None:
    assert wall(parse_when("20261128", NOW, BERLIN)) == (2026, 11, 28, 23, 59, 59)
    assert parse_when("20261128", NOW, BERLIN) == parse_when("2026-11-28", NOW, BERLIN)


# --- issue 11: dates that mean something else -------------------------------------------

WEDNESDAY = datetime(2026, 11, 25, 15, 0, tzinfo=BERLIN)


@pytest.mark.parametrize(
    "text",
    ["today 25:00", "today 24:00", "today 13:60", "tomorrow 99", "Today 13pm", "friday 7.30pm", "next week 25:00"],
)
def test_a_time_of_day_that_does_not_exist_is_refused(text: str) -> None:
    """Before, each meant the end of that day (dateparser dropped the time); an ISO date with it is refused too."""
    with pytest.raises(UsageError) as caught:
        parse_when(text, NOW, BERLIN)
    assert caught.value.exit_code == EXIT_USAGE
    assert "\n" not in caught.value.message
    assert caught.value.hint is not None


def test_a_time_that_does_not_exist_is_refused_on_the_command_line(run: Run) -> None:
    result = run("new", "--company", "Acme", "--role", "Analyst", "--at", "today 25:00")
    assert result.exit_code == 2
    assert "--at" in result.stderr and "25:00" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("text", "clock"), [("today 10", (10, 0)), ("tomorrow 0", (0, 0)), ("today at 15", (15, 0))])
def test_a_bare_hour_after_a_day_is_that_hour(text: str, clock: tuple[int, int]) -> None:
    parsed = parse_when(text, NOW, BERLIN)
    assert (parsed.hour, parsed.minute, parsed.second) == (*clock, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Said on Wednesday 25 November 2026.
        ("next friday", (2026, 12, 4)),  # next week's Friday: nine days away, not two
        ("this friday", (2026, 11, 27)),  # the coming one
        ("next wednesday", (2026, 12, 2)),
        ("next monday", (2026, 11, 30)),
        ("last friday", (2026, 11, 20)),
    ],
)
def test_next_weekday_is_in_the_following_week(text: str, expected: tuple[int, int, int]) -> None:
    for prefer in ("past", "future"):
        parsed = parse_when(text, WEDNESDAY, BERLIN, prefer)  # type: ignore[arg-type]
        assert wall(parsed) == (*expected, 23, 59, 59)


def test_bare_weekday_on_a_wednesday_still_follows_prefer() -> None:
    assert wall(parse_when("friday", WEDNESDAY, BERLIN, "future")) == (2026, 11, 27, 23, 59, 59)
    assert wall(parse_when("friday", WEDNESDAY, BERLIN, "past")) == (2026, 11, 20, 23, 59, 59)


def test_a_time_skipped_by_daylight_saving_is_noted() -> None:
    for text in ("2026-03-29 02:30", "sunday 2:30am"):
        read = read_when(text, datetime(2026, 3, 27, 12, 0, tzinfo=BERLIN), BERLIN, "future")
        assert wall(read.moment) == (2026, 3, 29, 3, 30, 0)
        assert read.note is not None
        assert "02:30" in read.note and "29 Mar" in read.note and "Europe/Berlin" in read.note
        assert "forward" in read.note and "took 03:30" in read.note


def test_a_time_repeated_by_daylight_saving_is_noted() -> None:
    read = read_when("2026-11-01 01:30", NOW, NEW_YORK)
    assert read.moment.utcoffset() == timedelta(hours=-4)  # the first of the two
    assert read.note is not None
    assert "twice" in read.note and "-04:00" in read.note


def test_an_ordinary_time_has_no_note() -> None:
    assert read_when("2026-11-28 14:00", NOW, BERLIN).note is None
    assert read_when("today 3pm", NOW, BERLIN).note is None


def test_the_command_line_prints_the_daylight_saving_note(run: Run) -> None:
    result = run("new", "--company", "Acme", "--role", "Analyst", "--at", "2026-03-29 02:30")
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if "does not exist" in line]
    assert len(notes) == 1
    assert notes[0].startswith("warning: --at: 02:30 on Sun 29 Mar 2026 in Europe/Berlin")


@pytest.mark.parametrize(
    ("tz", "name", "words"),
    [
        ("UTC+3", "-03:00", "fixed offset -03:00"),
        ("CET-1CEST,M3.5.0,M10.5.0/3", "+01:00", "without daylight saving"),
        ("Mars/Base", "UTC", "names no time zone"),
        ("UTC+24", "UTC", "using UTC"),
        ("UTC+99", "UTC", "using UTC"),
    ],
)
def test_a_tz_that_names_no_zone_is_warned_about(set_tz: Callable[[str], None], tz: str, name: str, words: str) -> None:
    set_tz(tz)
    zone_name, warning = local_zone()
    assert zone_name == name
    assert warning is not None and words in warning and "TZ=" in warning


def test_a_tz_that_names_a_zone_gives_no_warning(set_tz: Callable[[str], None]) -> None:
    set_tz("America/New_York")
    assert local_zone() == ("America/New_York", None)


@pytest.mark.parametrize("tz", ["UTC+24", "UTC+3"])
def test_the_command_line_warns_about_tz_and_goes_on(run: Run, set_tz: Callable[[str], None], tz: str) -> None:
    set_tz(tz)
    result = run("due", env={"TZ": tz})
    assert result.exit_code == 0, result.output
    assert f"warning: TZ='{tz}'" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("text", ["+99999w", "-99999d", "3661d", "2610w", "99999h", "2700bd"])
def test_a_duration_beyond_ten_years_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="10 years"):
        parse_duration(text)


@pytest.mark.parametrize("text", ["3660d", "-3660d", "522w", "87840h", "99999m", "2600bd"])
def test_a_duration_up_to_ten_years_is_accepted(text: str) -> None:
    assert str(parse_duration(text)).lstrip("+") == text.lstrip("+")


def test_a_checklist_step_beyond_ten_years_is_refused(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "far.yaml"
    path.write_text("name: far\ntitle: Far\nsteps:\n  - {id: later, title: Later, due: '+99999w'}\n", encoding="utf-8")
    result = run("new", "--company", "Acme", "--role", "Analyst", "--checklist", str(path))
    assert result.exit_code != 0
    assert "10 years" in result.stderr
    assert "Traceback" not in result.output
