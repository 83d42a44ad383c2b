"""Due times: offsets, decision deadlines, per-interviewer copies, DST, business days, ordering."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup.models import SLUG, Checklist, Interview, Step
from followup.schedule import (
    NO_INTERVIEWER,
    applies,
    decision_deadline,
    due_time,
    plan_steps,
    reschedule,
    shift,
    too_late,
)
from followup.store.index import Deadlines, DueItem
from followup.store.summary import Summary, summarize
from followup.views import due_list
from followup.when import Duration, parse_duration

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
ZONES = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "UTC"]
NOW = datetime(2026, 11, 28, 15, 0, tzinfo=BERLIN)  # a Saturday

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def checklist(steps: Sequence[dict[str, Any]], flags: dict[str, str] | None = None) -> Checklist:
    return Checklist.model_validate({"name": "test", "title": "Test", "flags": flags or {}, "steps": list(steps)})


def step(step_id: str, due: str = "0", **extra: Any) -> dict[str, Any]:
    return {"id": step_id, "title": f"Do {step_id}", "why": f"Because {step_id}.", "due": due, **extra}


def interview(
    source: Checklist,
    *,
    at: datetime,
    interviewers: Sequence[str] = (),
    flags: dict[str, bool] | None = None,
    decision_by: datetime | None = None,
    interview_id: str = "acme-1128",
    zone: str = "Europe/Berlin",
) -> Interview:
    return Interview(
        id=interview_id,
        company="Acme",
        role="Engineer",
        interviewers=list(interviewers),
        at=at,
        zone=zone,
        flags=flags or {},
        decision_by=decision_by,
        checklist=source.name,
        created_at=at,
        steps=plan_steps(
            source,
            at=at,
            zone_name=zone,
            interviewers=interviewers,
            flags=flags or {},
            decision_by=decision_by,
        ),
    )


def wall(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.astimezone(zone).replace(tzinfo=None)


def elapsed(start: datetime, end: datetime) -> timedelta:
    """Real elapsed time (aware subtraction with one shared tzinfo ignores DST)."""
    return end.astimezone(UTC) - start.astimezone(UTC)


def exists(naive: datetime, zone: ZoneInfo) -> bool:
    """Whether a wall-clock time happens in `zone` (not skipped by a DST gap)."""
    return naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None) == naive


# --- shift ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("0", datetime(2026, 11, 28, 15, 0)),
        ("+30m", datetime(2026, 11, 28, 15, 30)),
        ("-1h", datetime(2026, 11, 28, 14, 0)),
        ("+3h", datetime(2026, 11, 28, 18, 0)),
        ("+1d", datetime(2026, 11, 29, 15, 0)),
        ("-2d", datetime(2026, 11, 26, 15, 0)),
        ("+1w", datetime(2026, 12, 5, 15, 0)),
        ("+10h", datetime(2026, 11, 29, 1, 0)),
    ],
)
def test_shift_simple_units(by: str, expected: datetime) -> None:
    result = shift(NOW, parse_duration(by), BERLIN)
    assert wall(result, BERLIN) == expected
    assert result.utcoffset() == timedelta(hours=1)


def test_shift_returns_a_time_in_the_given_zone() -> None:
    result = shift(NOW.astimezone(UTC), parse_duration("+1d"), NEW_YORK)
    assert result.utcoffset() == timedelta(hours=-5)
    # 15:00 Berlin is 09:00 New York: a day later on the New York wall clock.
    assert wall(result, NEW_YORK) == datetime(2026, 11, 29, 9, 0)


@pytest.mark.parametrize(
    ("start", "by", "expected"),
    [
        # 2026-12-04 is a Friday.
        (datetime(2026, 12, 4, 17, 0), 1, datetime(2026, 12, 7, 17, 0)),
        (datetime(2026, 12, 3, 9, 0), 2, datetime(2026, 12, 7, 9, 0)),
        (datetime(2026, 12, 2, 9, 0), 5, datetime(2026, 12, 9, 9, 0)),
        (datetime(2026, 12, 7, 12, 0), -1, datetime(2026, 12, 4, 12, 0)),
        (datetime(2026, 12, 8, 12, 0), -2, datetime(2026, 12, 4, 12, 0)),
        # From a weekend: Saturday +1bd is Monday, Sunday -1bd is Friday.
        (datetime(2026, 11, 28, 15, 0), 1, datetime(2026, 11, 30, 15, 0)),
        (datetime(2026, 11, 29, 15, 0), -1, datetime(2026, 11, 27, 15, 0)),
        (datetime(2026, 11, 30, 8, 0), 0, datetime(2026, 11, 30, 8, 0)),
    ],
)
def test_shift_business_days(start: datetime, by: int, expected: datetime) -> None:
    result = shift(start.replace(tzinfo=BERLIN), Duration(by, "bd"), BERLIN)
    assert wall(result, BERLIN) == expected


@pytest.mark.parametrize(
    ("zone", "start", "one_day_elapsed"),
    [
        # Spring forward: the calendar day has 23 hours.
        (BERLIN, datetime(2026, 3, 28, 10, 0), timedelta(hours=23)),
        (NEW_YORK, datetime(2026, 3, 7, 10, 0), timedelta(hours=23)),
        # Fall back: the calendar day has 25 hours.
        (BERLIN, datetime(2026, 10, 24, 10, 0), timedelta(hours=25)),
        (NEW_YORK, datetime(2026, 10, 31, 10, 0), timedelta(hours=25)),
    ],
)
def test_one_day_keeps_the_wall_clock_across_dst(zone: ZoneInfo, start: datetime, one_day_elapsed: timedelta) -> None:
    moment = start.replace(tzinfo=zone)
    day = shift(moment, parse_duration("+1d"), zone)
    hours = shift(moment, parse_duration("+24h"), zone)
    assert wall(day, zone) == start + timedelta(days=1)
    assert elapsed(moment, day) == one_day_elapsed
    assert elapsed(moment, hours) == timedelta(hours=24)
    assert wall(hours, zone) != wall(day, zone)


def test_one_day_into_the_spring_gap_moves_forward() -> None:
    moment = datetime(2026, 3, 28, 2, 30, tzinfo=BERLIN)
    result = shift(moment, parse_duration("+1d"), BERLIN)
    assert wall(result, BERLIN) == datetime(2026, 3, 29, 3, 30)


# --- applies ------------------------------------------------------------------------


def test_applies() -> None:
    source = checklist(
        [step("always"), step("if-late", when="late"), step("if-not-video", when="not video")],
        flags={"late": "Late?", "video": "Video?"},
    )
    always, if_late, if_not_video = source.steps
    assert applies(always, {})
    assert applies(always, {"late": True, "video": True})
    assert not applies(if_late, {})
    assert not applies(if_late, {"late": False})
    assert applies(if_late, {"late": True})
    assert applies(if_not_video, {})
    assert applies(if_not_video, {"video": False})
    assert not applies(if_not_video, {"video": True})


# --- due_time -------------------------------------------------------------------------


AT = datetime(2026, 11, 26, 10, 0, tzinfo=BERLIN)  # a Thursday


def test_due_time_without_decision_is_the_offset() -> None:
    assert due_time(AT, "+2d", "2bd", None, BERLIN) == datetime(2026, 11, 28, 10, 0, tzinfo=BERLIN)
    assert due_time(AT, "+2d", None, NOW, BERLIN) == datetime(2026, 11, 28, 10, 0, tzinfo=BERLIN)


def test_due_time_far_decision_keeps_the_offset() -> None:
    decision = datetime(2026, 12, 18, 17, 0, tzinfo=BERLIN)
    assert due_time(AT, "+2d", "2bd", decision, BERLIN) == datetime(2026, 11, 28, 10, 0, tzinfo=BERLIN)


def test_due_time_near_decision_pulls_the_step_earlier() -> None:
    # Decision on Monday 30 November at 12:00; two business days before is Thursday 26 at 12:00.
    decision = datetime(2026, 11, 30, 12, 0, tzinfo=BERLIN)
    assert due_time(AT, "+2d", "2bd", decision, BERLIN) == datetime(2026, 11, 26, 12, 0, tzinfo=BERLIN)
    # Calendar days do not skip the weekend: two days before is Saturday 28 at 12:00.
    assert due_time(AT, "+2d", "2d", decision, BERLIN) == datetime(2026, 11, 28, 10, 0, tzinfo=BERLIN)
    assert due_time(AT, "+3d", "2d", decision, BERLIN) == datetime(2026, 11, 28, 12, 0, tzinfo=BERLIN)


def test_decision_deadline_of_a_date_only_decision() -> None:
    # A decision "by Monday" means the end of Monday; 1bd before is the end of Friday.
    decision = datetime(2026, 11, 30, 23, 59, 59, tzinfo=BERLIN)
    assert decision_deadline(decision, "1bd", BERLIN) == datetime(2026, 11, 27, 23, 59, 59, tzinfo=BERLIN)
    assert decision_deadline(decision, "3d", BERLIN) == datetime(2026, 11, 27, 23, 59, 59, tzinfo=BERLIN)
    assert decision_deadline(decision, "12h", BERLIN) == datetime(2026, 11, 30, 11, 59, 59, tzinfo=BERLIN)


# --- plan_steps -------------------------------------------------------------------------


LETTERS = checklist(
    [
        step("thank", "0"),
        step("thank-patience", "0", when="late"),
        step("shake-hands", "0", when="not video"),
        {
            "id": "write-letter",
            "title": "Write to {interviewer}",
            "due": "+1d",
            "per_interviewer": True,
            "before_decision": "2bd",
        },
        {"id": "note", "title": "Send a note", "due": "+2d", "per_interviewer": True},
    ],
    flags={"late": "Late?", "video": "Video?"},
)


def test_plan_steps_in_checklist_order_with_flags() -> None:
    plain = plan_steps(LETTERS, at=AT, zone_name="Europe/Berlin", interviewers=["Ana"], flags={}, decision_by=None)
    assert [s.id for s in plain] == ["thank", "shake-hands", "write-letter", "note"]
    late_video = plan_steps(
        LETTERS,
        at=AT,
        zone_name="Europe/Berlin",
        interviewers=["Ana"],
        flags={"late": True, "video": True},
        decision_by=None,
    )
    assert [s.id for s in late_video] == ["thank", "thank-patience", "write-letter", "note"]


def test_plan_steps_copies_the_template() -> None:
    planned = plan_steps(LETTERS, at=AT, zone_name="Europe/Berlin", interviewers=[], flags={}, decision_by=None)
    first = planned[0]
    assert first.title == "Do thank"
    assert first.why == "Because thank."
    assert first.status == "pending"
    assert first.source == "thank"
    assert first.offset == "0"
    assert first.due == AT
    assert planned[2].due == AT + timedelta(days=1)
    assert planned[2].before_decision == "2bd"


def test_plan_steps_one_copy_per_interviewer() -> None:
    planned = plan_steps(
        LETTERS,
        at=AT,
        zone_name="Europe/Berlin",
        interviewers=["Ana Lima", "Ben Okoro", "Chloé Martin"],
        flags={},
        decision_by=None,
    )
    letters = [s for s in planned if s.source == "write-letter"]
    assert [s.id for s in letters] == ["write-letter-ana", "write-letter-ben", "write-letter-chloe"]
    assert [s.title for s in letters] == ["Write to Ana Lima", "Write to Ben Okoro", "Write to Chloé Martin"]
    assert [s.interviewer for s in letters] == ["Ana Lima", "Ben Okoro", "Chloé Martin"]
    notes = [s for s in planned if s.source == "note"]
    assert [s.title for s in notes] == [
        "Send a note (Ana Lima)",
        "Send a note (Ben Okoro)",
        "Send a note (Chloé Martin)",
    ]


def test_plan_steps_single_interviewer_keeps_the_plain_id() -> None:
    planned = plan_steps(LETTERS, at=AT, zone_name="Europe/Berlin", interviewers=["Ana"], flags={}, decision_by=None)
    letter = next(s for s in planned if s.source == "write-letter")
    assert letter.id == "write-letter"
    assert letter.title == "Write to Ana"


def test_plan_steps_without_interviewers_makes_one_copy() -> None:
    planned = plan_steps(LETTERS, at=AT, zone_name="Europe/Berlin", interviewers=[], flags={}, decision_by=None)
    letters = [s for s in planned if s.source == "write-letter"]
    assert len(letters) == 1
    assert letters[0].id == "write-letter"
    assert letters[0].title == f"Write to {NO_INTERVIEWER}"
    assert letters[0].interviewer is None
    assert next(s for s in planned if s.source == "note").title == "Send a note"


def test_plan_steps_clashing_first_names_use_whole_names() -> None:
    planned = plan_steps(
        LETTERS, at=AT, zone_name="Europe/Berlin", interviewers=["Ana Lima", "Ana Costa"], flags={}, decision_by=None
    )
    ids = [s.id for s in planned if s.source == "write-letter"]
    assert ids == ["write-letter-ana-lima", "write-letter-ana-costa"]


def test_plan_steps_due_in_the_interview_zone() -> None:
    at = datetime(2026, 11, 26, 10, 0, tzinfo=NEW_YORK)
    planned = plan_steps(LETTERS, at=at, zone_name="America/New_York", interviewers=[], flags={}, decision_by=None)
    letter = next(s for s in planned if s.source == "write-letter")
    assert letter.due.utcoffset() == timedelta(hours=-5)
    assert wall(letter.due, NEW_YORK) == datetime(2026, 11, 27, 10, 0)


def test_plan_steps_pulls_letters_before_the_decision() -> None:
    decision = datetime(2026, 11, 30, 12, 0, tzinfo=BERLIN)  # Monday
    planned = plan_steps(
        LETTERS, at=AT, zone_name="Europe/Berlin", interviewers=["Ana", "Ben"], flags={}, decision_by=decision
    )
    for letter in (s for s in planned if s.source == "write-letter"):
        assert letter.due == datetime(2026, 11, 26, 12, 0, tzinfo=BERLIN)
    # Steps without before_decision are not moved.
    assert all(s.due == AT + timedelta(days=2) for s in planned if s.source == "note")


# --- reschedule --------------------------------------------------------------------------


def test_reschedule_follows_a_changed_start_and_decision() -> None:
    item = interview(LETTERS, at=AT, interviewers=["Ana", "Ben"])
    item.steps[0].status = "done"
    item.at = datetime(2026, 12, 1, 9, 0, tzinfo=BERLIN)
    item.decision_by = datetime(2026, 12, 3, 17, 0, tzinfo=BERLIN)  # Thursday
    reschedule(item)
    expected = plan_steps(
        LETTERS,
        at=item.at,
        zone_name="Europe/Berlin",
        interviewers=["Ana", "Ben"],
        flags={},
        decision_by=item.decision_by,
    )
    assert [(s.id, s.due) for s in item.steps] == [(s.id, s.due) for s in expected]
    letter = next(s for s in item.steps if s.source == "write-letter")
    assert letter.due == datetime(2026, 12, 1, 17, 0, tzinfo=BERLIN)
    # Status is left alone.
    assert item.steps[0].status == "done"


def test_reschedule_after_removing_the_decision() -> None:
    decision = datetime(2026, 11, 30, 12, 0, tzinfo=BERLIN)
    item = interview(LETTERS, at=AT, decision_by=decision)
    letter = next(s for s in item.steps if s.source == "write-letter")
    assert letter.due == datetime(2026, 11, 26, 12, 0, tzinfo=BERLIN)
    item.decision_by = None
    reschedule(item)
    assert letter.due == AT + timedelta(days=1)


def test_reschedule_uses_the_interview_zone() -> None:
    at = datetime(2026, 3, 7, 10, 0, tzinfo=NEW_YORK)
    item = interview(LETTERS, at=at, zone="America/New_York")
    item.at = datetime(2026, 3, 7, 11, 0, tzinfo=NEW_YORK)
    reschedule(item)
    letter = next(s for s in item.steps if s.source == "write-letter")
    assert wall(letter.due, NEW_YORK) == datetime(2026, 3, 8, 11, 0)  # across the DST change


# --- too_late -------------------------------------------------------------------------------


MAILING = checklist(
    [
        step("thank", "0"),
        step("write", "+1d", before_decision="3d"),
        step("mail", "+2d", before_decision="2bd", too_late="Email it today instead."),
    ]
)


def test_too_late_without_a_decision_is_empty() -> None:
    item = interview(MAILING, at=datetime(2026, 11, 27, 10, 0, tzinfo=BERLIN))
    assert too_late(item, MAILING, NOW) == []


def test_too_late_names_steps_whose_deadline_passed() -> None:
    # Decision Monday 30 November 17:00: mail by Thursday 26 (before the interview), write by Friday 27 (passed).
    item = interview(
        MAILING,
        at=datetime(2026, 11, 27, 10, 0, tzinfo=BERLIN),
        decision_by=datetime(2026, 11, 30, 17, 0, tzinfo=BERLIN),
    )
    found = too_late(item, MAILING, NOW)
    assert [late.step.id for late in found] == ["write", "mail"]
    write, mail = found
    assert write.deadline == datetime(2026, 11, 27, 17, 0, tzinfo=BERLIN)
    assert write.advice is None
    # Mailing needed Thursday 26, before the interview: it is due at the start, and said so.
    assert mail.deadline == datetime(2026, 11, 27, 10, 0, tzinfo=BERLIN) == mail.step.due
    assert mail.advice == "Email it today instead."


def test_too_late_without_the_checklist_has_no_advice() -> None:
    item = interview(
        MAILING,
        at=datetime(2026, 11, 27, 10, 0, tzinfo=BERLIN),
        decision_by=datetime(2026, 11, 30, 17, 0, tzinfo=BERLIN),
    )
    assert [late.advice for late in too_late(item, None, NOW)] == [None, None]


def test_too_late_ignores_done_steps_and_deadlines_still_ahead() -> None:
    item = interview(
        MAILING,
        at=datetime(2026, 11, 27, 10, 0, tzinfo=BERLIN),
        decision_by=datetime(2026, 12, 2, 17, 0, tzinfo=BERLIN),  # Wednesday
    )
    # Mail by Monday 30 (ahead); write by Sunday 29 (ahead).
    assert too_late(item, MAILING, NOW) == []
    item.decision_by = datetime(2026, 12, 1, 17, 0, tzinfo=BERLIN)  # Tuesday: mail by Friday 27
    assert [late.step.id for late in too_late(item, MAILING, NOW)] == ["mail"]
    next(s for s in item.steps if s.id == "mail").status = "done"
    assert too_late(item, MAILING, NOW) == []


# --- properties -------------------------------------------------------------------------------

zones = st.sampled_from(ZONES).map(ZoneInfo)
moments = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=zones, allow_imaginary=False
)
offsets = st.sampled_from(["0", "+30m", "+3h", "+1d", "+2d", "-1d", "+1w", "+3bd"])
leads = st.sampled_from(["1d", "3d", "12h", "1bd", "2bd", "5bd", "1w"])


def nth_weekday_before(day: date, n: int) -> date:
    """The n-th Monday-to-Friday date strictly before `day` (an independent count)."""
    weekdays = [day - timedelta(days=k) for k in range(1, 3 * n + 10) if (day - timedelta(days=k)).weekday() < 5]
    return weekdays[n - 1]


@FAST
@given(at=moments, decision=moments, offset=offsets, lead=leads, zone_name=st.sampled_from(ZONES))
def test_before_decision_is_never_due_after_the_deadline(
    at: datetime, decision: datetime, offset: str, lead: str, zone_name: str
) -> None:
    zone = ZoneInfo(zone_name)
    source = checklist([step("letter", offset, before_decision=lead), step("other", offset)])
    planned = plan_steps(source, at=at, zone_name=zone_name, interviewers=[], flags={}, decision_by=decision)
    letter, other = planned
    # The decision pulls a step earlier, but never before the interview's start.
    by_decision = decision_deadline(decision, lead, zone)
    deadline = max(by_decision, at)
    assert letter.due <= deadline
    assert letter.due <= other.due
    assert letter.due in (deadline, other.due)
    assert other.due == shift(at, parse_duration(offset), zone)

    # The decision's own deadline follows the calendar rules below.
    deadline = by_decision
    duration = parse_duration(lead)
    decided = wall(decision, zone)
    if duration.unit == "bd":
        assert deadline.astimezone(zone).date() == nth_weekday_before(decided.date(), duration.amount)
        assert deadline.astimezone(zone).weekday() < 5
    elif duration.unit in ("d", "w"):
        days = duration.amount * (7 if duration.unit == "w" else 1)
        assert deadline.astimezone(zone).date() == decided.date() - timedelta(days=days)
    else:
        assert elapsed(deadline, decision) == timedelta(hours=duration.amount)
    if duration.unit != "h":
        # The same wall-clock time of day as the decision, unless DST skipped it.
        same_time = datetime.combine(wall(deadline, zone).date(), decided.time())
        if exists(same_time, zone):
            assert wall(deadline, zone) == same_time


@FAST
@given(
    names=st.lists(
        st.text(alphabet=st.characters(categories=["L", "Zs", "Pd"]), min_size=0, max_size=15),
        max_size=6,
    ),
    before=st.booleans(),
)
def test_per_interviewer_step_appears_once_per_interviewer(names: list[str], before: bool) -> None:
    source = checklist(
        [
            step("thank"),
            {"id": "write-letter", "title": "Write to {interviewer}", "due": "+1d", "per_interviewer": True},
            step("write-letter-x", "+1d"),
            {"id": "mail", "title": "Mail it", "due": "+2d", "per_interviewer": True},
            step("after"),
        ]
    )
    planned = plan_steps(
        source,
        at=AT,
        zone_name="Europe/Berlin",
        interviewers=names,
        flags={},
        decision_by=NOW if before else None,
    )
    copies = max(1, len(names))
    assert [s.source for s in planned] == ["thank"] + ["write-letter"] * copies + ["write-letter-x"] + [
        "mail"
    ] * copies + ["after"]
    ids = [s.id for s in planned]
    assert len(set(ids)) == len(ids), ids
    assert all(SLUG.fullmatch(step_id) for step_id in ids), ids
    letters = [s for s in planned if s.source == "write-letter"]
    assert [s.interviewer for s in letters] == (list(names) if names else [None])
    for letter in letters:
        assert letter.title == f"Write to {letter.interviewer or NO_INTERVIEWER}"
    if len(names) <= 1:
        assert [s.id for s in letters] == ["write-letter"]


@FAST
@given(moment=moments, zone_name=st.sampled_from(["Europe/Berlin", "America/New_York"]), days=st.integers(-400, 400))
def test_days_keep_the_wall_clock_and_hours_are_elapsed_time(moment: datetime, zone_name: str, days: int) -> None:
    zone = ZoneInfo(zone_name)
    start = wall(moment, zone)
    by_days = shift(moment, Duration(days, "d"), zone)
    target = start + timedelta(days=days)
    if exists(target, zone):
        assert wall(by_days, zone) == target
    else:
        # Skipped by the spring change: moved forward by the one-hour gap.
        assert wall(by_days, zone) == target + timedelta(hours=1)
    by_hours = shift(moment, Duration(24 * days, "h"), zone)
    assert elapsed(moment, by_hours) == timedelta(hours=24 * days)
    assert by_hours.tzinfo is zone
    by_weeks = shift(moment, Duration(days // 7, "w"), zone)
    if exists(start + timedelta(weeks=days // 7), zone):
        assert wall(by_weeks, zone) == start + timedelta(weeks=days // 7)


@FAST
@given(moment=moments, zone_name=st.sampled_from(ZONES), amount=st.integers(-40, 40))
def test_business_days_never_land_on_a_weekend(moment: datetime, zone_name: str, amount: int) -> None:
    zone = ZoneInfo(zone_name)
    start = wall(moment, zone)
    if start.weekday() >= 5:
        start += timedelta(days=7 - start.weekday())  # the next Monday
    begin = localize_naive(start, zone)
    result = shift(begin, Duration(amount, "bd"), zone)
    landed = wall(result, zone).date()
    assert landed.weekday() < 5
    # Exactly |amount| weekdays lie between the two dates (counting the end, not the start).
    low, high = sorted((start.date(), landed))
    between = [low + timedelta(days=k) for k in range(1, (high - low).days + 1)]
    assert sum(1 for day in between if day.weekday() < 5) == abs(amount)
    assert (landed > start.date()) == (amount > 0)


def localize_naive(naive: datetime, zone: ZoneInfo) -> datetime:
    return naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)


# --- ordering of due items ------------------------------------------------------------------

FIXED_ZONES = [UTC, timezone(timedelta(hours=1)), timezone(timedelta(hours=-5)), timezone(timedelta(hours=9))]
# A small pool of instants, so that equal due times (ties) are common.
BASE = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
due_moments = st.builds(
    lambda hours, zone: (BASE + timedelta(hours=hours)).astimezone(zone),
    st.integers(-48, 48).map(lambda h: h - h % 6),
    st.sampled_from(FIXED_ZONES),
)
step_rows = st.lists(st.tuples(due_moments, st.sampled_from(["pending", "pending", "done", "skipped"])), max_size=6)


def build_interview(index: int, at_hours: int, rows: list[tuple[datetime, str]], closed: bool) -> Interview:
    at = BASE + timedelta(hours=at_hours)
    return Interview(
        id=f"co{index}-1128",
        company=f"Co {index % 2}",  # shared names: the id, not the company, breaks ties
        role="Role",
        at=at,
        zone="UTC",
        checklist="test",
        created_at=at,
        outcome="rejected" if closed else None,
        closed_at=at if closed else None,  # the store's invariants: an outcome has its time, a done step too
        steps=[
            Step(
                id=f"s{n}",
                title=f"S{n}",
                due=due,
                status=status,  # type: ignore[arg-type]
                done_at=due if status == "done" else None,
                source=f"s{n}",
                offset="0",
            )
            for n, (due, status) in enumerate(rows)
        ],
    )


interview_lists = st.lists(
    st.tuples(st.integers(-24, 0).map(lambda h: h - h % 12), step_rows, st.booleans()), max_size=6
).map(lambda rows: [build_interview(i, at, steps, closed) for i, (at, steps, closed) in enumerate(rows)])


def due_items(summaries: Iterable[Summary], now: datetime, horizon: datetime | None = None) -> list[DueItem]:
    """Every pending step due by `horizon`, as `due --all` lists them."""
    return due_list(Deadlines.of(list(summaries)), now, horizon, None).items


def order(items: list[DueItem]) -> list[tuple[str, int]]:
    return [(item.interview_id, item.number) for item in items]


@FAST
@given(interviews=interview_lists, seed=st.integers(0, 2**16), horizon_hours=st.none() | st.integers(-24, 48))
def test_due_items_order_is_total_and_stable(interviews: list[Interview], seed: int, horizon_hours: int | None) -> None:
    now = BASE
    horizon = None if horizon_hours is None else BASE + timedelta(hours=horizon_hours)
    items = due_items(map(summarize, interviews), now, horizon)
    shuffled = list(interviews)
    random.Random(seed).shuffle(shuffled)
    assert order(due_items(map(summarize, shuffled), now, horizon)) == order(items)
    assert order(due_items(map(summarize, reversed(interviews)), now, horizon)) == order(items)

    by_id = {interview.id: interview for interview in interviews}
    keys = [(item.step.due, by_id[item.interview_id].at, item.interview_id, item.number) for item in items]
    assert keys == sorted(keys)  # soonest first; ties by the interview, then the step
    assert len(set(keys)) == len(keys)  # total: no two items tie
    flags = [item.overdue for item in items]
    assert flags == sorted(flags, reverse=True)  # overdue first
    for item in items:
        interview = by_id[item.interview_id]
        step = interview.steps[item.number - 1]
        assert interview.is_open
        assert step.status == "pending"
        assert (step.id, step.title, step.due) == (item.step.id, item.step.title, item.step.due)
        assert item.overdue == (item.step.due < now)
        if horizon is not None:
            assert item.step.due <= horizon
    expected = {
        (i.id, n)
        for i in interviews
        if i.is_open
        for n, s in enumerate(i.steps, start=1)
        if s.status == "pending" and (horizon is None or s.due <= horizon)
    }
    assert set(order(items)) == expected


def test_due_items_ties_fall_back_to_interview_then_step_order() -> None:
    due = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
    late = build_interview(2, 0, [(due, "pending"), (due.astimezone(timezone(timedelta(hours=1))), "pending")], False)
    early = build_interview(1, -12, [(due, "pending")], False)
    items = due_items([summarize(late), summarize(early)], BASE)
    assert order(items) == [("co1-1128", 1), ("co2-1128", 1), ("co2-1128", 2)]
    assert not any(item.overdue for item in items)


# --- the size of a plan is bounded -------------------------------------------------------------


def plan(source: Checklist, interviewers: Sequence[str]) -> list[Step]:
    return plan_steps(source, at=NOW, zone_name="Europe/Berlin", interviewers=interviewers, flags={}, decision_by=None)


def test_a_panel_of_more_than_twenty_is_refused_plainly() -> None:
    from followup.errors import EXIT_USAGE, UsageError
    from followup.schedule import MAX_INTERVIEWERS

    source = checklist([step("write", per_interviewer=True)])
    assert len(plan(source, [f"Person {n}" for n in range(MAX_INTERVIEWERS)])) == MAX_INTERVIEWERS
    with pytest.raises(UsageError) as caught:
        plan(source, [f"Person {n}" for n in range(MAX_INTERVIEWERS + 1)])
    assert caught.value.exit_code == EXIT_USAGE
    assert caught.value.message == "21 interviewers; an interview has at most 20"


def test_a_plan_of_more_than_a_few_hundred_steps_is_refused_plainly() -> None:
    from followup.errors import ChecklistError
    from followup.schedule import MAX_PLANNED_STEPS

    source = checklist([step(f"s{n}", per_interviewer=True) for n in range(100)])
    assert len(plan(source, ["Ana", "Bo", "Cy"])) == 300 == MAX_PLANNED_STEPS
    with pytest.raises(ChecklistError) as caught:
        plan(source, ["Ana", "Bo", "Cy", "Di"])
    assert caught.value.message == "the checklist test plans 400 steps for 4 interviewers; an interview has at most 300"


def test_replanning_a_panel_too_large_changes_nothing() -> None:
    from followup.errors import UsageError
    from followup.schedule import replan

    source = checklist([step("write", per_interviewer=True)])
    made = interview(source, at=NOW, interviewers=["Ana"])
    before = made.model_copy(deep=True)
    made.interviewers = [f"Person {n}" for n in range(21)]
    with pytest.raises(UsageError):
        replan(made, source)
    assert made.steps == before.steps
