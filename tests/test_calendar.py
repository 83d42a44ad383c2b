"""`followup export --format ics`: the open interviews' steps as to-dos, with reminders while pending, for any calendar app."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar, Component

from conftest import NOW, Run
from followup.exports.calendar import calendar_bytes, step_uid
from followup.store import Store

HOSTILE_COMPANY = 'Acme, Inc.; "R&D"\nSecond line \\ back Ünïcødé 🎉'
HOSTILE_PERSON = "José, María; Ñ"


def ok(run: Run, *args: str, env: dict[str, str] | None = None) -> str:
    result = run(*args, env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


def add(run: Run, *args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(run, "new", "--role", "Analyst", "--json", *args))
    return data


def todos(text: bytes | str) -> dict[str, Component]:
    calendar = Calendar.from_ical(text)
    return {str(todo["UID"]): todo for todo in calendar.walk("VTODO")}


@pytest.fixture
def store(run: Run) -> dict[str, dict[str, Any]]:
    """An open interview with steps done and skipped, a panel with hostile names, and a closed one."""
    acme = add(run, "--company", "Acme", "-i", "Ana López", "--at", "2026-11-27 10:00", "--decision-by", "2026-12-04")
    ok(run, "done", acme["id"], "thank-interviewer", "shake-hands")
    ok(run, "skip", acme["id"], "greet-staff", "--reason", "side exit")
    panel = add(run, "--company", HOSTILE_COMPANY, "-i", HOSTILE_PERSON, "-i", "Bo Li", "--at", "2026-11-28 09:00")
    closed = add(run, "--company", "Initech", "-i", "Cy", "--at", "2026-11-20 09:00")
    ok(run, "close", closed["id"], "--outcome", "rejected")
    return {"acme": acme, "panel": panel, "closed": closed}


def test_one_todo_per_step_of_every_open_interview(run: Run, store: dict[str, dict[str, Any]]) -> None:
    result = run("export", "--format", "ics")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    calendar = Calendar.from_ical(result.stdout_bytes)
    assert str(calendar["VERSION"]) == "2.0"
    assert "followup" in str(calendar["PRODID"])
    expected = {
        f"{interview['id']}.{step['id']}@followup"
        for name in ("acme", "panel")
        for interview in [json.loads(ok(run, "show", store[name]["id"], "--json"))]
        for step in interview["steps"]
    }
    assert set(todos(result.stdout_bytes)) == expected
    # acme: 3 steps done or skipped, then write and mail the letter, and check in after the decision;
    # the panel: 3 steps, 2 letters to write and 2 to mail
    assert len(expected) == 6 + 7


def test_every_field_of_a_todo(run: Run, store: dict[str, dict[str, Any]]) -> None:
    acme = json.loads(ok(run, "show", store["acme"]["id"], "--json"))
    step = next(s for s in acme["steps"] if s["id"] == "mail-letter")
    todo = todos(ok(run, "export", "--format", "ics"))[f"{acme['id']}.mail-letter@followup"]
    due = datetime.fromisoformat(step["due"])
    assert todo["DUE"].dt == due
    assert todo["DUE"].dt.utcoffset() == timedelta(0)  # written in UTC: no VTIMEZONE needed
    assert str(todo["SUMMARY"]) == "Acme: Mail the thank-you letter to Ana López"
    description = str(todo["DESCRIPTION"])
    assert description.startswith(step["why"])
    assert acme["id"] in description
    assert f"followup done {acme['id']} mail-letter" in description
    assert str(todo["STATUS"]) == "NEEDS-ACTION"
    assert todo["DTSTAMP"].dt == datetime.fromisoformat(NOW)
    [alarm] = todo.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm["TRIGGER"].dt == timedelta(hours=-1)
    assert alarm["TRIGGER"].params["RELATED"] == "END"  # relative to DUE: a VTODO without DTSTART
    assert str(alarm["DESCRIPTION"]) == str(todo["SUMMARY"])


def test_done_steps_are_completed_and_skipped_ones_cancelled_under_the_same_uids(
    run: Run, store: dict[str, dict[str, Any]]
) -> None:
    acme = store["acme"]["id"]
    before = todos(ok(run, "export", "--format", "ics"))
    ok(run, "done", acme, "write-letter", "--at", "2026-11-28 12:30")
    found = todos(ok(run, "export", "--format", "ics"))
    assert set(found) == set(before)  # a calendar app that imports the newer file updates, never duplicates
    steps = {step["id"]: step for step in json.loads(ok(run, "show", acme, "--json"))["steps"]}
    for step in ("thank-interviewer", "shake-hands", "write-letter"):
        todo = found[f"{acme}.{step}@followup"]
        assert str(todo["STATUS"]) == "COMPLETED"
        assert todo["COMPLETED"].dt == datetime.fromisoformat(steps[step]["done_at"])
        assert todo["COMPLETED"].dt.utcoffset() == timedelta(0)  # RFC 5545: COMPLETED is in UTC
        assert int(todo["PERCENT-COMPLETE"]) == 100
        assert todo.walk("VALARM") == []  # no reminder for what is done
    assert found[f"{acme}.write-letter@followup"]["COMPLETED"].dt == datetime(2026, 11, 28, 11, 30, tzinfo=UTC)
    assert str(before[f"{acme}.write-letter@followup"]["STATUS"]) == "NEEDS-ACTION"
    skipped = found[f"{acme}.greet-staff@followup"]
    assert str(skipped["STATUS"]) == "CANCELLED"
    assert "COMPLETED" not in skipped
    assert skipped.walk("VALARM") == []
    assert str(found[f"{acme}.mail-letter@followup"]["STATUS"]) == "NEEDS-ACTION"
    assert not any(uid.startswith(store["closed"]["id"]) for uid in found)


def test_uids_are_stable_so_a_new_import_updates_entries(run: Run, store: dict[str, dict[str, Any]]) -> None:
    first = todos(ok(run, "export", "--format", "ics"))
    later = todos(ok(run, "export", "--format", "ics", env={"FOLLOWUP_NOW": "2026-11-29 08:00"}))
    assert set(first) == set(later)
    assert all(later[uid]["DTSTAMP"].dt > first[uid]["DTSTAMP"].dt for uid in first)
    ok(run, "edit", store["acme"]["id"], "--decision-by", "2026-12-10")  # a later decision moves due times, not UIDs
    moved = todos(ok(run, "export", "--format", "ics"))
    assert set(moved) == set(first)


def test_hostile_text_survives_the_round_trip(run: Run, store: dict[str, dict[str, Any]]) -> None:
    panel = store["panel"]["id"]
    found = todos(ok(run, "export", "--format", "ics"))
    letter_ids = [uid for uid in found if uid.startswith(f"{panel}.mail-letter")]
    summaries = {str(found[uid]["SUMMARY"]) for uid in letter_ids}
    assert summaries == {
        f"{HOSTILE_COMPANY}: Mail the thank-you letter to {HOSTILE_PERSON}",
        f"{HOSTILE_COMPANY}: Mail the thank-you letter to Bo Li",
    }
    for uid in letter_ids:
        assert HOSTILE_COMPANY in str(found[uid]["DESCRIPTION"])


def test_control_characters_are_dropped_and_line_breaks_kept(run: Run, home: Path) -> None:
    # C0 controls but tab and newline are refused on input (tests/test_invariants.py), so only
    # the line break is left to check here.
    add(run, "--company", "Evil[31m\nCorp", "--at", "2026-11-28 09:00")
    interviews = Store(home).read().every()
    text = calendar_bytes(interviews, datetime.fromisoformat(NOW))
    summaries = {str(todo["SUMMARY"]) for todo in todos(text).values()}
    assert "Evil[31m\nCorp: Thank the interviewer for the opportunity" in summaries


def test_out_writes_the_file_and_says_so(run: Run, store: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    target = tmp_path / "followup.ics"
    result = run("export", "--format", "ics", "--out", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.strip() == f"exported 13 steps (10 pending) of 2 open interviews to {target}"
    raw = target.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n")
    assert "Ana López".encode() in raw
    assert len(todos(raw)) == 13


def test_an_empty_store_is_an_empty_calendar(run: Run) -> None:
    calendar = Calendar.from_ical(run("export", "--format", "ics").stdout_bytes)
    assert calendar.walk("VTODO") == []
    assert str(calendar["VERSION"]) == "2.0"


def test_step_uid_is_interview_and_step(run: Run, home: Path) -> None:
    add(run, "--company", "Acme", "--at", "2026-11-28 09:00")
    interview = Store(home).read().every()[0]
    assert step_uid(interview, interview.steps[0]) == "acme-1128.thank-interviewer@followup"


def test_due_times_keep_their_instant_whatever_the_offset(run: Run, home: Path) -> None:
    add(run, "--company", "Abroad", "--at", "2026-11-27T10:00-05:00")
    interview = Store(home).read().every()[0]
    found = todos(calendar_bytes([interview], datetime.now(UTC)))
    for step in interview.steps:
        assert found[step_uid(interview, step)]["DUE"].dt == step.due


@pytest.mark.parametrize("name", ["xml", "ICAL"])
def test_other_formats_are_refused(run: Run, name: str) -> None:
    result = run("export", "--format", name)
    assert result.exit_code == 2
    assert "ics" in result.stderr and "csv" in result.stderr
