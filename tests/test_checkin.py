"""The check-in after a silent decision date: `after_decision` in checklists, and
the post-interview checklist's `checkin` step and letter.

The clock is Saturday 28 November 2026, 15:00 in Berlin (see conftest.py).
"""

from __future__ import annotations

import json
import textwrap
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from conftest import Run
from followup import checklists
from followup.errors import ChecklistError
from followup.models import Checklist, Interview
from followup.schedule import plan_steps, replan, reschedule, shift, too_late
from followup.when import parse_duration

BERLIN = ZoneInfo("Europe/Berlin")
AT = datetime(2026, 11, 27, 10, 0, tzinfo=BERLIN)  # Friday
ZONES = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "UTC"]
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def checklist(*steps: dict[str, Any]) -> Checklist:
    return Checklist.model_validate({"name": "test", "title": "Test", "steps": list(steps)})


def step(step_id: str, due: str = "0", **extra: Any) -> dict[str, Any]:
    return {"id": step_id, "title": f"Do {step_id}", "due": due, **extra}


SOURCE = checklist(
    step("letter", "+1d", before_decision="2bd"),
    step("checkin", after_decision="2bd"),
    step("note", "+2d"),
)


def interview(decision_by: datetime | None, *, at: datetime = AT, zone: str = "Europe/Berlin") -> Interview:
    return Interview(
        id="acme-1127",
        company="Acme",
        role="Engineer",
        at=at,
        zone=zone,
        decision_by=decision_by,
        checklist=SOURCE.name,
        created_at=at,
        steps=plan_steps(SOURCE, at=at, zone_name=zone, interviewers=[], flags={}, decision_by=decision_by),
    )


def checkin_due(item: Interview) -> datetime | None:
    found = [s.due for s in item.steps if s.source == "checkin"]
    assert len(found) <= 1
    return found[0] if found else None


# --- planning -------------------------------------------------------------------------------


def test_due_two_business_days_after_the_decision() -> None:
    item = interview(datetime(2026, 12, 2, 17, 0, tzinfo=BERLIN))  # Wednesday
    assert checkin_due(item) == datetime(2026, 12, 4, 17, 0, tzinfo=BERLIN)  # Friday
    planned = next(s for s in item.steps if s.source == "checkin")
    assert planned.after_decision == "2bd"
    assert planned.before_decision is None
    # Other steps are planned as before.
    assert [s.id for s in item.steps] == ["letter", "checkin", "note"]
    assert next(s for s in item.steps if s.id == "note").due == AT + timedelta(days=2)


def test_a_friday_decision_is_checked_on_the_tuesday() -> None:
    item = interview(datetime(2026, 12, 4, 17, 0, tzinfo=BERLIN))  # Friday
    assert checkin_due(item) == datetime(2026, 12, 8, 17, 0, tzinfo=BERLIN)  # Tuesday


def test_a_decision_on_a_saturday_is_checked_on_the_tuesday() -> None:
    item = interview(datetime(2026, 12, 5, 23, 59, tzinfo=BERLIN))
    assert checkin_due(item) == datetime(2026, 12, 8, 23, 59, tzinfo=BERLIN)


def test_across_a_dst_change_the_wall_clock_time_is_kept() -> None:
    # Berlin leaves summer time on Sunday 25 October 2026: +02:00 before, +01:00 after.
    at = datetime(2026, 10, 20, 10, 0, tzinfo=BERLIN)
    decision = datetime(2026, 10, 23, 17, 0, tzinfo=BERLIN)  # Friday, +02:00
    item = interview(decision, at=at)
    due = checkin_due(item)
    assert due == datetime(2026, 10, 27, 17, 0, tzinfo=BERLIN)  # Tuesday, 17:00 on the wall clock
    assert due is not None
    assert decision.utcoffset() == timedelta(hours=2)
    assert due.utcoffset() == timedelta(hours=1)
    elapsed = due.astimezone(ZoneInfo("UTC")) - decision.astimezone(ZoneInfo("UTC"))
    assert elapsed == timedelta(days=4, hours=1)  # an hour more elapsed, as `+1d` does it


def test_absent_without_a_decision_date() -> None:
    item = interview(None)
    assert checkin_due(item) is None
    assert [s.id for s in item.steps] == ["letter", "note"]


def test_a_later_offset_from_the_start_wins() -> None:
    late = checklist(step("checkin", "+2w", after_decision="2bd"))
    decision = datetime(2026, 12, 2, 17, 0, tzinfo=BERLIN)
    (planned,) = plan_steps(late, at=AT, zone_name="Europe/Berlin", interviewers=[], flags={}, decision_by=decision)
    assert planned.due == AT + timedelta(weeks=2)


def test_never_reported_as_too_late() -> None:
    item = interview(datetime(2026, 12, 2, 17, 0, tzinfo=BERLIN))
    later = datetime(2026, 12, 10, 9, 0, tzinfo=BERLIN)  # past the decision and the check-in
    assert [late.step.source for late in too_late(item, SOURCE, later)] == ["letter"]


# --- a changed decision date ----------------------------------------------------------------


def test_reschedule_moves_it_with_the_decision_and_keeps_it_off_the_start() -> None:
    item = interview(datetime(2026, 12, 2, 17, 0, tzinfo=BERLIN))
    item.decision_by = datetime(2026, 12, 11, 12, 0, tzinfo=BERLIN)  # Friday
    reschedule(item)
    assert checkin_due(item) == datetime(2026, 12, 15, 12, 0, tzinfo=BERLIN)
    item.at = datetime(2026, 11, 30, 9, 0, tzinfo=BERLIN)  # a new start moves nothing anchored on the decision
    reschedule(item)
    assert checkin_due(item) == datetime(2026, 12, 15, 12, 0, tzinfo=BERLIN)


def test_reschedule_without_a_decision_drops_a_pending_check_in_and_keeps_a_done_one() -> None:
    pending = interview(datetime(2026, 12, 2, 17, 0, tzinfo=BERLIN))
    pending.decision_by = None
    reschedule(pending)
    assert [s.id for s in pending.steps] == ["letter", "note"]

    done = interview(datetime(2026, 12, 2, 17, 0, tzinfo=BERLIN))
    checkin = next(s for s in done.steps if s.id == "checkin")
    checkin.done_at, checkin.status = datetime(2026, 12, 4, 9, 0, tzinfo=BERLIN), "done"
    done.decision_by = None
    reschedule(done)
    assert [s.id for s in done.steps] == ["letter", "checkin", "note"]
    assert checkin.due == datetime(2026, 12, 4, 17, 0, tzinfo=BERLIN)  # history stays as it was


def test_replan_adds_it_for_a_new_decision_and_keeps_the_other_ids() -> None:
    item = interview(None)
    before = {s.id: s for s in item.steps}
    item.steps[0].done_at = datetime(2026, 11, 28, 9, 0, tzinfo=BERLIN)
    item.steps[0].status = "done"
    item.decision_by = datetime(2026, 12, 2, 17, 0, tzinfo=BERLIN)
    replan(item, SOURCE)
    assert [s.id for s in item.steps] == ["letter", "checkin", "note"]
    assert item.steps[0].status == "done"
    assert all(item.steps[i].id == before[sid].id for i, sid in ((0, "letter"), (2, "note")))
    assert checkin_due(item) == datetime(2026, 12, 4, 17, 0, tzinfo=BERLIN)


# --- properties -------------------------------------------------------------------------------

moments = st.datetimes(
    min_value=datetime(2020, 1, 1),
    max_value=datetime(2035, 12, 31),
    timezones=st.sampled_from(ZONES).map(ZoneInfo),
    allow_imaginary=False,
)


def nth_weekday_after(day: date, n: int) -> date:
    """The n-th Monday-to-Friday date strictly after `day` (an independent count)."""
    weekdays = [day + timedelta(days=k) for k in range(1, 3 * n + 10) if (day + timedelta(days=k)).weekday() < 5]
    return weekdays[n - 1]


@FAST
@given(
    at=moments,
    later=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60)),
    offset=st.sampled_from(["0", "+30m", "+1d", "+3bd", "+1w", "-1d"]),
    lead=st.sampled_from(["1d", "12h", "1bd", "2bd", "5bd", "1w"]),
    zone_name=st.sampled_from(ZONES),
)
def test_after_decision_is_never_before_the_decision_nor_the_offset(
    at: datetime, later: timedelta, offset: str, lead: str, zone_name: str
) -> None:
    zone = ZoneInfo(zone_name)
    decision = at + later  # a decision date is never before the start
    source = checklist(step("checkin", offset, after_decision=lead), step("other", offset))
    checkin, other = plan_steps(source, at=at, zone_name=zone_name, interviewers=[], flags={}, decision_by=decision)
    after = shift(decision, parse_duration(lead), zone)
    assert checkin.due > decision
    assert checkin.due >= other.due == shift(at, parse_duration(offset), zone)
    assert checkin.due == max(after, other.due)
    duration = parse_duration(lead)
    if duration.unit == "bd":
        # Business days land on a weekday, at the decision's time on the wall clock.
        local = after.astimezone(zone)
        assert local.weekday() < 5
        decided = decision.astimezone(zone)
        assert local.date() == nth_weekday_after(decided.date(), duration.amount)
        # Zones change their clocks on Sundays here, so a weekday's wall-clock time always exists.
        assert local.time() == decided.time()


@FAST
@given(decision=moments, lead=st.sampled_from(["1bd", "2bd", "3bd", "5bd", "10bd"]))
def test_business_days_after_land_on_a_weekday(decision: datetime, lead: str) -> None:
    zone = decision.tzinfo
    assert isinstance(zone, ZoneInfo)
    after = shift(decision, parse_duration(lead), zone).astimezone(zone)
    assert after.weekday() < 5
    assert after > decision


# --- the checklist format -------------------------------------------------------------------


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def load_error(path: Path) -> ChecklistError:
    with pytest.raises(ChecklistError) as caught:
        checklists.load(path, every_problem=True)
    return caught.value


def test_the_built_in_post_interview_checklist_has_the_check_in() -> None:
    loaded = checklists.load(checklists.locate("post-interview", Path("/nonexistent")))
    checkin = next(s for s in loaded.steps if s.id == "checkin")
    assert checkin.title == "Check in if you have not heard back"
    assert checkin.after_decision == "2bd"
    assert checkin.before_decision is None
    assert not checkin.per_interviewer and checkin.when is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-2bd", "without a minus sign"),
        ("soon", "a duration like"),
        ("yes", "in quotes"),
        ("[2bd]", "a lead time like 3d or 2bd"),
    ],
)
def test_a_bad_after_decision_names_the_file_field_and_line(tmp_path: Path, value: str, message: str) -> None:
    path = write(
        tmp_path, f"name: mine\ntitle: T\nsteps:\n  - id: a\n    title: A\n    due: '0'\n    after_decision: {value}\n"
    )
    error = load_error(path)
    assert f"{path}: steps[0].after_decision: " in error.message
    assert message in error.message
    assert "(line 7)" in error.message


def test_before_and_after_decision_together_are_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "name: mine\ntitle: T\nsteps:\n  - id: a\n    title: A\n    due: '0'\n"
        "    before_decision: 1bd\n    after_decision: 2bd\n",
    )
    error = load_error(path)
    assert f"{path}: steps[0].after_decision: a step has before_decision or after_decision, not both" in error.message
    assert "(line 8)" in error.message


def test_a_good_after_decision_loads_in_its_short_form(tmp_path: Path) -> None:
    path = write(tmp_path, "name: mine\ntitle: T\nsteps:\n  - {id: a, title: A, due: '0', after_decision: +3d}\n")
    assert checklists.load(path).steps[0].after_decision == "3d"


def test_cli_validate_catches_a_bad_after_decision(run: Run, tmp_path: Path) -> None:
    path = write(
        tmp_path, "name: mine\ntitle: T\nsteps:\n  - id: a\n    title: A\n    due: '0'\n    after_decision: 2x\n"
    )
    result = run("checklists", "validate", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert "steps[0].after_decision" in result.stderr
    assert "line 7" in result.stderr
    assert "Traceback" not in result.output


def test_checklists_show_says_after_the_decision(run: Run) -> None:
    result = run("checklists", "show", "post-interview")
    assert result.exit_code == 0, result.output
    assert "Check in if you have not heard back" in result.stdout
    assert "checkin (2bd after the decision)" in result.stdout


# --- through the CLI --------------------------------------------------------------------------


def ok(run: Run, *args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


def new(run: Run, *args: str) -> str:
    data = json.loads(
        ok(run, "new", "--company", "Acme", "--role", "Analyst", "--at", "2026-11-27 10:00", "--json", *args)
    )
    return str(data["id"])


def steps_of(run: Run, interview_id: str) -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in json.loads(ok(run, "show", interview_id, "--json"))["steps"]}


def due_ids(run: Run, *args: str) -> list[tuple[str, str]]:
    return [(item["interview"], item["step"]) for item in json.loads(ok(run, "due", "--json", *args))]


def test_new_with_a_decision_plans_it_and_due_lists_it(run: Run) -> None:
    acme = new(run, "-i", "Ana López", "--decision-by", "2026-12-04 17:00")  # Friday
    checkin = steps_of(run, acme)["checkin"]
    assert datetime.fromisoformat(checkin["due"]) == datetime(2026, 12, 8, 17, 0, tzinfo=BERLIN)
    assert checkin["title"] == "Check in if you have not heard back"
    assert checkin["status"] == "pending" and checkin["overdue"] is False
    assert (acme, "checkin") in due_ids(run)
    assert (acme, "checkin") not in due_ids(run, "--within", "3d")


def test_new_without_a_decision_has_none(run: Run) -> None:
    acme = new(run, "-i", "Ana López")
    assert "checkin" not in steps_of(run, acme)
    assert all(step != "checkin" for _, step in due_ids(run))


def test_gone_from_due_list_and_the_calendar_once_closed(run: Run) -> None:
    acme = new(run, "-i", "Ana López", "--decision-by", "2026-12-04 17:00")
    uid = f"{acme}.checkin@followup"
    calendar = Calendar.from_ical(run("export", "--format", "ics").stdout_bytes)
    assert uid in {str(todo["UID"]) for todo in calendar.walk("VTODO")}
    ok(run, "close", acme, "--outcome", "offer")
    assert due_ids(run) == []
    assert json.loads(ok(run, "list", "--json")) == []
    calendar = Calendar.from_ical(run("export", "--format", "ics").stdout_bytes)
    assert uid not in {str(todo["UID"]) for todo in calendar.walk("VTODO")}
    # Even once it would be overdue, a closed interview makes `due --check` pass.
    late = run("due", "--check", env={"FOLLOWUP_NOW": "2026-12-20 09:00"})
    assert late.exit_code == 0, late.output


def test_edit_decision_by_moves_it_clears_it_and_adds_it(run: Run) -> None:
    acme = new(run, "-i", "Ana López", "-i", "Bo Chen", "--decision-by", "2026-12-02 17:00")
    before = steps_of(run, acme)
    assert datetime.fromisoformat(before["checkin"]["due"]) == datetime(2026, 12, 4, 17, 0, tzinfo=BERLIN)

    ok(run, "edit", acme, "--decision-by", "2026-12-11 12:00")  # Friday
    moved = steps_of(run, acme)
    assert datetime.fromisoformat(moved["checkin"]["due"]) == datetime(2026, 12, 15, 12, 0, tzinfo=BERLIN)
    assert list(moved) == list(before)

    ok(run, "edit", acme, "--decision-by", "none")
    cleared = steps_of(run, acme)
    assert list(cleared) == [step_id for step_id in before if step_id != "checkin"]
    assert all(step != "checkin" for _, step in due_ids(run))

    ok(run, "edit", acme, "--decision-by", "2026-12-09")  # Wednesday, the end of the day
    added = steps_of(run, acme)
    assert list(added) == list(before)  # back in its place; the other steps keep their ids
    assert datetime.fromisoformat(added["checkin"]["due"]) == datetime(2026, 12, 11, 23, 59, 59, tzinfo=BERLIN)
    assert (acme, "checkin") in due_ids(run)


def test_a_done_check_in_stays_when_the_decision_is_cleared(run: Run) -> None:
    acme = new(run, "-i", "Ana López", "--decision-by", "2026-12-02 17:00")
    ok(run, "done", acme, "checkin")
    ok(run, "edit", acme, "--decision-by", "none")
    kept = steps_of(run, acme)["checkin"]
    assert kept["status"] == "done"
    ok(run, "edit", acme, "--decision-by", "2026-12-09 12:00")
    steps = steps_of(run, acme)
    assert [s for s in steps if s.startswith("checkin")] == ["checkin"]  # the done one, not a second
    assert steps["checkin"]["status"] == "done"


def test_undo_puts_a_cleared_check_in_back(run: Run) -> None:
    acme = new(run, "-i", "Ana López", "--decision-by", "2026-12-02 17:00")
    before = steps_of(run, acme)
    ok(run, "edit", acme, "--decision-by", "none")
    ok(run, "undo")
    assert steps_of(run, acme) == before


# --- the letter -------------------------------------------------------------------------------


def test_the_checkin_letter_to_one_interviewer(run: Run) -> None:
    acme = new(run, "-i", "Ana López", "--decision-by", "2026-12-02 17:00", "--note", "We talked about hiking.")
    result = run("letter", acme, "--template", "checkin", env={"FOLLOWUP_NAME": "Sam Okafor"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Subject: Following up on the Analyst interview"
    assert lines[2] == "Dear Ana López,"
    body = result.stdout.split("Dear Ana López,\n\n", 1)[1]
    assert "our conversation on Friday 27 November about the Analyst position at Acme" in body
    assert "the panel" not in body
    assert "any news on the decision" in body
    assert lines[-2:] == ["Best regards,", "Sam Okafor"]
    assert "{{" not in result.stdout and "[add a personal note" not in result.stdout


def test_the_checkin_letter_for_a_panel_is_one_email_each(run: Run) -> None:
    acme = new(run, "-i", "Ana López", "-i", "Bo Chen", "--note", "Thanks for the tour.")
    result = run("letter", acme, "--template", "checkin", "--json")
    assert result.exit_code == 0, result.output
    drafts = json.loads(result.stdout)
    assert [d["interviewer"] for d in drafts] == ["Ana López", "Bo Chen"]
    for draft in drafts:
        assert draft["subject"] == "Following up on the Analyst interview"
        assert draft["template"] == "checkin"
        assert draft["text"].startswith(f"Dear {draft['interviewer']},\n\n")
        assert "my conversation with you and the panel on Friday 27 November" in draft["text"]


def test_the_checkin_letter_to_the_hiring_team(run: Run) -> None:
    acme = new(run, "--note", "Thanks.")
    drafts = json.loads(ok(run, "letter", acme, "--template", "checkin", "--json"))
    assert len(drafts) == 1
    assert drafts[0]["text"].startswith("Dear hiring team,\n\n")
