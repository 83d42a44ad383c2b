"""Time you can trust: the cases that break other tools, through the real command line.

Daylight-saving changes, a zone changed between two commands, date-only
decision dates west and east of UTC, business days across a weekend, and an
interview late in the evening. The zone is set with `TZ` for each command, as
a user's shell would.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from helpers import Run, new_interview

ELAPSED = """\
name: elapsed
title: Days and hours
steps:
  - {id: next-day, title: Same time tomorrow, due: "+1d"}
  - {id: day-of-hours, title: Twenty-four hours later, due: "+24h"}
  - {id: next-week, title: Same time next week, due: "+1w"}
"""

LEAD = """\
name: lead
title: Before the decision
steps:
  - {id: by-eve, title: Done the day before the decision, due: "+30d", before_decision: 1d}
"""


@pytest.fixture
def checklists(tmp_path: Path) -> dict[str, str]:
    paths = {}
    for name, text in (("elapsed", ELAPSED), ("lead", LEAD)):
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        paths[name] = str(path)
    return paths


@pytest.fixture
def process_zone() -> Iterator[None]:
    """Restore the process zone (conftest's Europe/Berlin) after a test that changes it."""
    yield
    time.tzset()


def dues(interview: dict[str, Any]) -> dict[str, str]:
    return {step["id"]: step["due"] for step in interview["steps"]}


def same_instant(a: str, b: str) -> bool:
    return datetime.fromisoformat(a) == datetime.fromisoformat(b)


# --- daylight saving ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "at", "next_day", "day_of_hours", "next_week"),
    [
        # Berlin falls back on Sunday 25 October 2026: the day has 25 hours.
        (
            "Europe/Berlin",
            "2026-10-24 10:00",
            "2026-10-25T10:00:00+01:00",
            "2026-10-25T09:00:00+01:00",
            "2026-10-31T10:00:00+01:00",
        ),
        # Berlin springs forward on Sunday 29 March 2026: the day has 23 hours.
        (
            "Europe/Berlin",
            "2026-03-28 10:00",
            "2026-03-29T10:00:00+02:00",
            "2026-03-29T11:00:00+02:00",
            "2026-04-04T10:00:00+02:00",
        ),
        # New York springs forward on Sunday 8 March 2026.
        (
            "America/New_York",
            "2026-03-07 10:00",
            "2026-03-08T10:00:00-04:00",
            "2026-03-08T11:00:00-04:00",
            "2026-03-14T10:00:00-04:00",
        ),
        # New York falls back on Sunday 1 November 2026.
        (
            "America/New_York",
            "2026-10-31 10:00",
            "2026-11-01T10:00:00-05:00",
            "2026-11-01T09:00:00-05:00",
            "2026-11-07T10:00:00-05:00",
        ),
    ],
)
def test_a_day_keeps_the_wall_clock_and_24h_does_not(
    run: Run, checklists: dict[str, str], zone: str, at: str, next_day: str, day_of_hours: str, next_week: str
) -> None:
    interview = new_interview(run, "Acme", "--checklist", checklists["elapsed"], at=at, env={"TZ": zone})
    assert interview["zone"] == zone
    assert dues(interview) == {"next-day": next_day, "day-of-hours": day_of_hours, "next-week": next_week}
    day = datetime.fromisoformat(next_day)
    assert f"{day:%a} {day.day} {day:%b} 10:00" in run("show", interview["id"], env={"TZ": zone}).stdout


def test_a_day_that_lands_in_the_spring_gap_moves_forward_never_back(run: Run, checklists: dict[str, str]) -> None:
    # 02:30 on 8 March 2026 does not exist in New York: the clocks jump from 02:00 to 03:00.
    interview = new_interview(
        run, "Acme", "--checklist", checklists["elapsed"], at="2026-03-07 02:30", env={"TZ": "America/New_York"}
    )
    assert dues(interview)["next-day"] == "2026-03-08T03:30:00-04:00"
    assert dues(interview)["day-of-hours"] == "2026-03-08T03:30:00-04:00"


def test_a_day_that_lands_on_a_repeated_hour_takes_the_first(run: Run, checklists: dict[str, str]) -> None:
    # 01:30 on 1 November 2026 happens twice in New York; the first comes sooner, so it is never late.
    interview = new_interview(
        run, "Acme", "--checklist", checklists["elapsed"], at="2026-10-31 01:30", env={"TZ": "America/New_York"}
    )
    assert dues(interview)["next-day"] == "2026-11-01T01:30:00-04:00"
    assert dues(interview)["day-of-hours"] == "2026-11-01T01:30:00-04:00"  # 24 hours: the first 01:30 too
    # The second 01:30 is an hour later; a day after Saturday 02:30 is Sunday 02:30, two hours after the first 01:30.
    later = new_interview(
        run, "Acme", "--checklist", checklists["elapsed"], at="2026-10-31 02:30", env={"TZ": "America/New_York"}
    )
    assert dues(later)["next-day"] == "2026-11-01T02:30:00-05:00"
    assert dues(later)["day-of-hours"] == "2026-11-01T01:30:00-05:00"


# --- a zone changed between commands ---------------------------------------------------------


def test_a_new_zone_shows_the_same_instants_in_local_time(run: Run, process_zone: None) -> None:
    interview = new_interview(run, "Acme", "-i", "Ana", at="2026-11-28 10:00", env={"TZ": "Europe/Berlin"})
    berlin = json.loads(run("due", "--json", env={"TZ": "Europe/Berlin"}).stdout)
    new_york = json.loads(run("due", "--json", env={"TZ": "America/New_York"}).stdout)
    assert [item["step"] for item in berlin] == [item["step"] for item in new_york]
    for here, there in zip(berlin, new_york, strict=True):
        assert same_instant(here["due"], there["due"])
    # The letter is due at 10:00 in Berlin the next day: 04:00 in New York.
    assert same_instant(dues(interview)["write-letter"], "2026-11-29T10:00:00+01:00")
    assert "Sun 04:00" in run("due", env={"TZ": "America/New_York"}).stdout
    assert "Sun 29 Nov 04:00" in run("show", interview["id"], env={"TZ": "America/New_York"}).stdout
    assert "Sun 29 Nov 10:00" in run("show", interview["id"], env={"TZ": "Europe/Berlin"}).stdout
    # The process's own zone (used by nothing that matters) changed as well: still the same.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "Asia/Tokyo")
        time.tzset()
        tokyo = json.loads(run("due", "--json").stdout)
    assert [item["due"] for item in tokyo] == [item["due"] for item in berlin]


def test_a_fixed_now_with_an_offset_is_read_in_the_users_zone(run: Run) -> None:
    # FOLLOWUP_NOW is conftest's Berlin time with its offset; the user is in New York.
    interview = new_interview(run, "Acme", env={"TZ": "America/New_York"})
    assert interview["zone"] == "America/New_York"
    assert interview["at"] == "2026-11-28T09:00:00-05:00"


# --- date-only decision dates ---------------------------------------------------------------------


@pytest.mark.parametrize(("zone", "offset"), [("America/Los_Angeles", "-08:00"), ("Asia/Tokyo", "+09:00")])
def test_a_date_only_decision_means_the_end_of_that_local_day(
    run: Run, checklists: dict[str, str], zone: str, offset: str
) -> None:
    interview = new_interview(
        run,
        "Acme",
        "--decision-by",
        "2026-12-04",
        "--checklist",
        checklists["lead"],
        at="2026-11-30 10:00",
        env={"TZ": zone, "FOLLOWUP_NOW": "2026-11-30 12:00"},
    )
    assert interview["decision_by"] == f"2026-12-04T23:59:59{offset}"
    assert dues(interview) == {"by-eve": f"2026-12-03T23:59:59{offset}"}
    env = {"TZ": zone}
    before = run("due", "--check", env={**env, "FOLLOWUP_NOW": "2026-12-03 23:59"})
    assert before.exit_code == 0, before.output  # not early: the whole local day is left
    after = run("due", "--check", env={**env, "FOLLOWUP_NOW": "2026-12-04 00:00"})
    assert after.exit_code == 3, after.output


@pytest.mark.parametrize(("zone", "offset"), [("America/Los_Angeles", "-08:00"), ("Asia/Tokyo", "+09:00")])
def test_a_decision_day_in_words_is_the_end_of_that_local_day(run: Run, zone: str, offset: str) -> None:
    # Monday noon, local time: "friday" is this week's Friday, until its last second.
    interview = new_interview(
        run,
        "Acme",
        "--decision-by",
        "friday",
        at="2026-11-30 10:00",
        env={"TZ": zone, "FOLLOWUP_NOW": "2026-11-30 12:00"},
    )
    assert interview["decision_by"] == f"2026-12-04T23:59:59{offset}"


# --- business days ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "decision", "due"),
    [
        # Thursday's interview, a decision on Monday: two business days before is Thursday, at the end of it.
        ("2026-12-03 10:00", "2026-12-07", "2026-12-03T23:59:59+01:00"),
        # A decision on Monday at 09:00: Thursday at 09:00, earlier than the next business day after Wednesday.
        ("2026-12-02 15:00", "2026-12-07 09:00", "2026-12-03T09:00:00+01:00"),
    ],
)
def test_two_business_days_before_a_monday_is_the_thursday(run: Run, at: str, decision: str, due: str) -> None:
    interview = new_interview(run, "Acme", "--decision-by", decision, "-i", "Ana", at=at, env={"TZ": "Europe/Berlin"})
    assert dues(interview)["mail-letter"] == due
    assert dues(interview)["write-letter"] == due


@pytest.mark.parametrize(
    ("at", "due"),
    [
        ("2026-11-27 10:00", "2026-11-30T10:00:00+01:00"),  # Friday: the next business day is Monday
        ("2026-11-28 10:00", "2026-11-30T10:00:00+01:00"),  # Saturday: Monday as well
        ("2026-11-26 10:00", "2026-11-27T10:00:00+01:00"),  # Thursday: Friday
    ],
)
def test_a_business_day_skips_the_weekend(run: Run, at: str, due: str) -> None:
    interview = new_interview(run, "Acme", "-i", "Ana", at=at, env={"TZ": "Europe/Berlin"})
    assert dues(interview)["mail-letter"] == due


# --- late in the evening ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "at", "letter", "greet"),
    [
        ("Europe/Berlin", "2026-11-27 23:30", "2026-11-28T23:30:00+01:00", "2026-11-28T00:00:00+01:00"),
        ("Europe/Berlin", "2026-11-30 23:30", "2026-12-01T23:30:00+01:00", "2026-12-01T00:00:00+01:00"),
        ("Europe/Berlin", "2026-10-24 23:30", "2026-10-25T23:30:00+01:00", "2026-10-25T00:00:00+02:00"),
        # 23:30 in Los Angeles is already the next day in UTC: the day still counts from the local date.
        ("America/Los_Angeles", "2026-11-27 23:30", "2026-11-28T23:30:00-08:00", "2026-11-28T00:00:00-08:00"),
    ],
)
def test_an_evening_interview_counts_days_from_its_local_date(
    run: Run, zone: str, at: str, letter: str, greet: str
) -> None:
    interview = new_interview(run, "Acme", "-i", "Ana", at=at, env={"TZ": zone})
    assert dues(interview)["write-letter"] == letter
    assert dues(interview)["greet-staff"] == greet
    # Friday 23:30 plus one business day is Monday 23:30.
    if at == "2026-11-27 23:30":
        assert dues(interview)["mail-letter"] == f"2026-11-30T23:30:00{letter[-6:]}"
