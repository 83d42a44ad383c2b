"""done, skip, undo and due: ticking steps off and asking what is pending."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from helpers import NOW, Run, add_interview, steps_of

DUE_KEYS = {"interview", "company", "step", "title", "due", "overdue"}


def statuses(run: Run, interview_id: str) -> dict[str, str]:
    return {step_id: step["status"] for step_id, step in steps_of(run, interview_id).items()}


def due_json(run: Run, *args: str, env: dict[str, str] | None = None) -> list[dict[str, Any]]:
    result = run("due", "--json", *args, env=env)
    assert result.exit_code == 0, result.output
    data: list[dict[str, Any]] = json.loads(result.stdout)
    return data


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


# --- done ---------------------------------------------------------------------------


def test_done_by_step_id(run: Run) -> None:
    acme = add_interview(run)
    result = run("done", acme, "shake-hands")
    assert result.exit_code == 0, result.output
    assert len(result.stderr.splitlines()) == 1
    assert acme in result.stderr and "shake-hands" in result.stderr
    assert "done" in result.stderr
    step = steps_of(run, acme)["shake-hands"]
    assert step["status"] == "done"
    assert moment(step["done_at"]) == moment(NOW)
    assert step["overdue"] is False
    assert statuses(run, acme)["thank-interviewer"] == "pending"


def test_done_by_number_as_show_prints_it(run: Run) -> None:
    acme = add_interview(run)
    result = run("done", acme, "4", "2")
    assert result.exit_code == 0, result.output
    assert len(result.stderr.splitlines()) == 1
    assert statuses(run, acme) == {
        "thank-interviewer": "pending",
        "shake-hands": "done",
        "greet-staff": "pending",
        "write-letter": "done",
        "mail-letter": "pending",
    }


def test_done_by_unique_prefix_of_the_interview_id(run: Run) -> None:
    add_interview(run, "Acme")
    globex = add_interview(run, "Globex")
    result = run("done", "glo", "thank-interviewer")
    assert result.exit_code == 0, result.output
    assert globex in result.stderr
    assert statuses(run, globex)["thank-interviewer"] == "done"
    assert statuses(run, "acme-1128")["thank-interviewer"] == "pending"


def test_done_at_backdates_and_note_is_kept(run: Run) -> None:
    acme = add_interview(run, "Acme", at="yesterday 10:00")
    result = run("done", acme, "write-letter", "--at", "yesterday 18:00", "--note", "mentioned the sailing trip")
    assert result.exit_code == 0, result.output
    step = steps_of(run, acme)["write-letter"]
    assert step["status"] == "done"
    assert step["done_at"] == "2026-11-27T18:00:00+01:00"
    assert step["note"] == "mentioned the sailing trip"
    shown = run("show", acme)
    assert "mentioned the sailing trip" in shown.stdout
    assert "Fri 27 Nov 18:00" in shown.stdout


def test_done_at_accepts_iso(run: Run) -> None:
    acme = add_interview(run, "Acme", at="2026-11-28 14:00")  # done after the start, as a tick must be
    result = run("done", acme, "1", "--at", "2026-11-28T14:30+01:00")
    assert result.exit_code == 0, result.output
    assert steps_of(run, acme)["thank-interviewer"]["done_at"] == "2026-11-28T14:30:00+01:00"


def test_done_with_unreadable_at_is_a_usage_error_and_changes_nothing(run: Run, home: Path) -> None:
    acme = add_interview(run)
    before = (home / "followup.json").read_bytes()
    result = run("done", acme, "1", "--at", "the other day-ish")
    assert result.exit_code == 2, result.output
    assert "--at" in result.stderr
    assert (home / "followup.json").read_bytes() == before


def test_done_steps_leave_due(run: Run) -> None:
    acme = add_interview(run)
    run("done", acme, "thank-interviewer", "shake-hands")
    listed = {(item["interview"], item["step"]) for item in due_json(run)}
    assert (acme, "thank-interviewer") not in listed
    assert (acme, "shake-hands") not in listed
    assert (acme, "greet-staff") in listed


# --- skip -------------------------------------------------------------------------------


def test_skip_with_a_reason(run: Run) -> None:
    acme = add_interview(run)
    result = run("skip", acme, "greet-staff", "--reason", "met only the recruiter")
    assert result.exit_code == 0, result.output
    assert len(result.stderr.splitlines()) == 1
    assert "skipped" in result.stderr and "greet-staff" in result.stderr
    step = steps_of(run, acme)["greet-staff"]
    assert step["status"] == "skipped"
    assert step["reason"] == "met only the recruiter"
    assert step["done_at"] is None
    assert "met only the recruiter" in run("show", acme).stdout
    assert all(item["step"] != "greet-staff" for item in due_json(run))


def test_skipped_steps_are_never_overdue(run: Run) -> None:
    acme = add_interview(run, "Acme", at="2026-11-20 10:00")
    run("skip", acme, "1", "2", "3", "4", "5")
    assert due_json(run) == []
    assert all(step["overdue"] is False for step in steps_of(run, acme).values())
    assert run("due", "--check").exit_code == 0


# --- undo -------------------------------------------------------------------------------


def test_undo_a_step_back_to_pending(run: Run) -> None:
    acme = add_interview(run)
    run("done", acme, "shake-hands", "--note", "firm")
    run("skip", acme, "greet-staff", "--reason", "nobody there")
    result = run("undo", acme, "shake-hands", "greet-staff")
    assert result.exit_code == 0, result.output
    assert len(result.stderr.splitlines()) == 1
    assert "pending" in result.stderr
    current = steps_of(run, acme)
    for step_id in ("shake-hands", "greet-staff"):
        assert current[step_id]["status"] == "pending"
        assert current[step_id]["done_at"] is None
    assert current["shake-hands"]["note"] is None
    assert current["greet-staff"]["reason"] is None


def test_undo_id_without_steps_is_a_usage_error(run: Run) -> None:
    acme = add_interview(run)
    run("done", acme, "1")
    result = run("undo", acme)
    assert result.exit_code == 2, result.output
    assert "undo" in result.stderr
    assert statuses(run, acme)["thank-interviewer"] == "done"


def test_plain_undo_reverts_the_last_change_and_says_what(run: Run) -> None:
    acme = add_interview(run)
    run("done", acme, "shake-hands")
    result = run("undo")
    assert result.exit_code == 0, result.output
    assert len(result.stderr.splitlines()) == 1
    assert "shake-hands" in result.stderr and acme in result.stderr
    assert statuses(run, acme)["shake-hands"] == "pending"

    # The change before that was the new interview itself.
    result = run("undo")
    assert result.exit_code == 0, result.output
    assert "added" in result.stderr and acme in result.stderr
    gone = run("show", acme)
    assert gone.exit_code == 1

    result = run("undo")
    assert result.exit_code == 1, result.output
    assert "nothing to undo" in result.stderr


def test_plain_undo_reverts_a_skip_with_its_reason(run: Run) -> None:
    acme = add_interview(run)
    run("done", acme, "1")
    run("skip", acme, "greet-staff", "--reason", "nobody there")
    assert run("undo").exit_code == 0
    current = steps_of(run, acme)
    assert current["greet-staff"]["status"] == "pending"
    assert current["greet-staff"]["reason"] is None
    assert current["thank-interviewer"]["status"] == "done"  # the earlier change stays


# --- errors ------------------------------------------------------------------------------


def test_unknown_interview_is_an_error_with_a_hint(run: Run, home: Path) -> None:
    add_interview(run)
    before = (home / "followup.json").read_bytes()
    for command in ("done", "skip", "undo"):
        result = run(command, "globex", "1")
        assert result.exit_code == 1, result.output
        assert "globex" in result.stderr
        assert "followup list" in result.stderr  # where to find the ids
        assert "Traceback" not in result.output
    assert (home / "followup.json").read_bytes() == before


def test_unknown_interview_in_an_empty_store(run: Run, home: Path) -> None:
    result = run("done", "acme", "1")
    assert result.exit_code == 1, result.output
    assert "acme" in result.stderr
    assert not (home / "followup.json").exists()


def test_ambiguous_prefix_lists_the_candidates(run: Run, home: Path) -> None:
    first = add_interview(run, "Acme")
    second = add_interview(run, "Acme")
    third = add_interview(run, "Acme Logistics")
    before = (home / "followup.json").read_bytes()
    result = run("done", "acm", "1")
    assert result.exit_code == 1, result.output
    for candidate in (first, second, third):
        assert candidate in result.stderr
    assert (home / "followup.json").read_bytes() == before
    # An exact id wins over being the prefix of another.
    assert first == "acme-1128" and second == "acme-1128-2"
    result = run("done", first, "1")
    assert result.exit_code == 0, result.output
    assert statuses(run, first)["thank-interviewer"] == "done"
    assert statuses(run, second)["thank-interviewer"] == "pending"


def test_unknown_step_lists_the_valid_steps_and_changes_nothing(run: Run, home: Path) -> None:
    acme = add_interview(run)
    before = (home / "followup.json").read_bytes()
    result = run("done", acme, "shake-hands", "hug")
    assert result.exit_code == 1, result.output
    assert "hug" in result.stderr
    for step_id in ("thank-interviewer", "shake-hands", "greet-staff", "write-letter", "mail-letter"):
        assert step_id in result.stderr
    assert "Traceback" not in result.output
    # The valid step given with it was not ticked either.
    assert (home / "followup.json").read_bytes() == before
    assert statuses(run, acme)["shake-hands"] == "pending"


def test_step_number_out_of_range_is_unknown(run: Run) -> None:
    acme = add_interview(run)
    for ref in ("0", "6", "99"):
        result = run("skip", acme, ref)
        assert result.exit_code == 1, result.output
        assert ref in result.stderr
    assert set(statuses(run, acme).values()) == {"pending"}


# --- due ---------------------------------------------------------------------------------


def test_due_lists_overdue_first_then_soonest(run: Run) -> None:
    later = add_interview(run, "Globex", at="now")
    earlier = add_interview(run, "Acme", "-i", "Ana López", at="today 10:00")
    items = due_json(run)
    for item in items:
        assert set(item) >= DUE_KEYS, item
        assert datetime.fromisoformat(item["due"]).utcoffset() is not None
        assert item["overdue"] == (moment(item["due"]) < moment(NOW))
    assert {item["interview"] for item in items} == {later, earlier}
    assert len(items) == 10
    flags = [item["overdue"] for item in items]
    assert flags == sorted(flags, reverse=True), "overdue steps come first"
    assert flags.count(True) == 3
    dues = [moment(item["due"]) for item in items]
    assert dues == sorted(dues), "soonest first"
    first = items[0]
    assert first == {
        **first,
        "interview": earlier,
        "company": "Acme",
        "step": "thank-interviewer",
        "title": "Thank the interviewer for the opportunity",
        "due": "2026-11-28T10:00:00+01:00",
        "overdue": True,
    }
    assert any(item["title"] == "Write a thank-you letter to Ana López, with a personal note" for item in items)


def test_due_text_marks_overdue_steps(run: Run) -> None:
    add_interview(run, "Acme", at="today 10:00")
    result = run("due")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    overdue_lines = [line for line in lines if "overdue" in line and "acme-1128" in line]
    assert len(overdue_lines) == 3
    assert "5h overdue" in overdue_lines[0]
    assert "Thank the interviewer" in overdue_lines[0]
    assert "5 pending, 3 overdue" in result.stdout


def test_due_with_nothing_pending(run: Run) -> None:
    result = run("due")
    assert result.exit_code == 0, result.output
    assert "Nothing pending" in result.stdout
    assert due_json(run) == []


def test_due_within_limits_the_horizon(run: Run) -> None:
    acme = add_interview(run, "Acme")
    add_interview(run, "Globex", at="2026-12-05 10:00")  # entirely beyond three days from now
    within = due_json(run, "--within", "3d")
    assert {item["interview"] for item in within} == {acme}
    assert [item["step"] for item in within] == [
        "thank-interviewer",
        "shake-hands",
        "greet-staff",
        "write-letter",
        "mail-letter",
    ]
    horizon = moment(NOW) + timedelta(days=3)
    assert all(moment(item["due"]) <= horizon for item in within)

    short = due_json(run, "--within", "12h")
    assert [item["step"] for item in short] == ["thank-interviewer", "shake-hands", "greet-staff"]
    assert len(due_json(run)) == 10


def test_due_within_keeps_overdue_steps(run: Run) -> None:
    acme = add_interview(run, "Acme", at="2026-11-25 10:00")
    items = due_json(run, "--within", "1h")
    assert items, "overdue steps are always within the horizon"
    assert all(item["overdue"] for item in items)
    assert {item["interview"] for item in items} == {acme}


def test_due_within_rejects_a_bad_span(run: Run) -> None:
    result = run("due", "--within", "soon")
    assert result.exit_code == 2, result.output
    assert "--within" in result.stderr
    assert "3d" in result.stderr


def test_due_check_exits_3_only_when_something_is_overdue(run: Run) -> None:
    assert run("due", "--check").exit_code == 0  # empty store
    acme = add_interview(run, "Acme")  # due now or later: nothing overdue yet
    result = run("due", "--check")
    assert result.exit_code == 0, result.output

    add_interview(run, "Globex", at="today 10:00")
    result = run("due", "--check")
    assert result.exit_code == 3, result.output
    assert "overdue" in result.stdout
    # --check goes with --json too, and the JSON is still printed.
    result = run("due", "--check", "--json")
    assert result.exit_code == 3, result.output
    assert any(item["overdue"] for item in json.loads(result.stdout))

    run("done", "globex", "1", "2", "3")
    assert run("due", "--check").exit_code == 0
    assert acme == "acme-1128"


def test_closed_interviews_do_not_appear_in_due(run: Run) -> None:
    acme = add_interview(run, "Acme", at="today 10:00")
    globex = add_interview(run, "Globex")
    result = run("close", acme, "--outcome", "rejected")
    assert result.exit_code == 0, result.output
    items = due_json(run)
    assert {item["interview"] for item in items} == {globex}
    assert run("due", "--check").exit_code == 0
    assert acme not in run("due").stdout


def test_moving_now_forward_makes_steps_overdue(run: Run) -> None:
    acme = add_interview(run, "Acme")
    assert not any(item["overdue"] for item in due_json(run))

    monday = {"FOLLOWUP_NOW": "2026-11-30T09:00+01:00"}
    items = due_json(run, env=monday)
    overdue = {item["step"] for item in items if item["overdue"]}
    assert overdue == {"thank-interviewer", "shake-hands", "greet-staff", "write-letter"}
    assert {item["step"] for item in items if not item["overdue"]} == {"mail-letter"}
    assert run("due", "--check", env=monday).exit_code == 3
    shown = run("show", acme, "--json", env=monday)
    assert {s["id"] for s in json.loads(shown.stdout)["steps"] if s["overdue"]} == overdue

    later = {"FOLLOWUP_NOW": "2026-12-01 09:00"}
    assert all(item["overdue"] for item in due_json(run, env=later))
    assert "2d overdue" in run("due", env=later).stdout


# --- ticking twice, the future, and odd spans ---------------------------------------------------


def test_ticking_a_done_step_again_keeps_when_and_how_it_was_done(run: Run) -> None:
    acme = add_interview(run)
    assert run("done", acme, "1", "--note", "firm").exit_code == 0
    first = steps_of(run, acme)["thank-interviewer"]
    later = run("done", acme, "1", env={"FOLLOWUP_NOW": "2026-11-29T10:00:00+01:00"})
    assert later.exit_code == 0, later.output
    assert "nothing changed" in later.stderr and "already done: thank-interviewer" in later.stderr
    again = steps_of(run, acme)["thank-interviewer"]
    assert (again["done_at"], again["note"]) == (first["done_at"], "firm")
    # Nothing changed, so nothing was journalled: plain undo reverts the first tick.
    assert run("undo").exit_code == 0
    assert statuses(run, acme)["thank-interviewer"] == "pending"


def test_a_new_time_or_note_for_a_done_step_is_taken(run: Run) -> None:
    acme = add_interview(run, "Acme", at="2026-11-28 11:00")  # done after the start, as a tick must be
    assert run("done", acme, "1").exit_code == 0
    result = run("done", acme, "1", "--at", "2026-11-28 12:00", "--note", "at the door")
    assert result.exit_code == 0, result.output
    step = steps_of(run, acme)["thank-interviewer"]
    assert datetime.fromisoformat(step["done_at"]) == datetime.fromisoformat("2026-11-28T12:00:00+01:00")
    assert step["note"] == "at the door"


def test_done_in_the_future_is_refused(run: Run, home: Path) -> None:
    acme = add_interview(run)
    before = (home / "followup.json").read_bytes()
    result = run("done", acme, "1", "--at", "tomorrow 10:00")
    assert result.exit_code == 2
    assert "future" in result.stderr
    assert (home / "followup.json").read_bytes() == before


def test_due_within_a_negative_span_is_refused_rather_than_hiding_overdue_steps(run: Run) -> None:
    add_interview(run, "Acme", at="2026-11-27 10:00")
    result = run("due", "--within", "-1d", "--check")
    assert result.exit_code == 2
    assert "--within" in result.stderr


def test_plain_undo_with_json_says_what_it_reverted(run: Run) -> None:
    acme = add_interview(run)
    assert run("done", acme, "1").exit_code == 0
    result = run("undo", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"undone": f"{acme}: marked done: thank-interviewer"}
