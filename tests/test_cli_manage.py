"""`list`, `show`, `edit`, `close`, `reopen` and `rm`: managing whole interviews.

The clock is Saturday 28 November 2026, 15:00 in Berlin (see conftest.py).
Two interviews are used throughout:

- acme-1126: Thursday 26 Nov 10:00, one interviewer; all five steps are
  overdue by now (the letters were due Fri 10:00 and Sat 10:00).
- globex-1128: today 11:00, no interviewer; three steps overdue, the letter
  steps still ahead (Sun 29 Nov 11:00 and Mon 30 Nov 11:00).
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from helpers import INTERVIEW_KEYS, STEP_KEYS, Run, add_interview, show_json

STEP_IDS = ["thank-interviewer", "shake-hands", "greet-staff", "write-letter", "mail-letter"]
LETTER_STEPS = {"write-letter", "mail-letter"}


def add_acme(run: Run) -> None:
    add_interview(
        run, "Acme", "-i", "Ana Lopez", "--note", "We talked about hiking", role="Data analyst", at="2026-11-26 10:00"
    )


def add_globex(run: Run) -> None:
    add_interview(run, "Globex", role="Engineer", at="2026-11-28 11:00")


def list_json(run: Run, *args: str) -> list[dict[str, Any]]:
    result = run("list", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def store_bytes(home: Path) -> bytes:
    return (home / "followup.json").read_bytes()


def row_of(output: str, interview_id: str) -> str:
    rows = [line for line in output.splitlines() if line.startswith(interview_id + " ")]
    assert len(rows) == 1, output
    return rows[0]


def step_rows(output: str) -> dict[int, str]:
    """The first line of each step in `show`, by its number."""
    rows = {}
    for line in output.splitlines():
        match = re.match(r"^\s*(\d+)\s{2}", line)
        if match:
            rows[int(match[1])] = line
    return rows


def words(text: str) -> str:
    """Text with every run of whitespace made one space, so wrapped lines join up."""
    return " ".join(text.split())


def one_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def dues(interview: dict[str, Any]) -> dict[str, datetime]:
    return {step["id"]: datetime.fromisoformat(step["due"]) for step in interview["steps"]}


@pytest.fixture
def two(run: Run) -> None:
    add_acme(run)
    add_globex(run)


# --- list -------------------------------------------------------------------------


def test_list_on_an_empty_store_says_how_to_start(run: Run) -> None:
    result = run("list")
    assert result.exit_code == 0, result.output
    assert "followup new" in result.stdout
    assert run("list", "--json").stdout.strip() == "[]"


def test_list_shows_one_row_per_open_interview(run: Run, two: None) -> None:
    result = run("list")
    assert result.exit_code == 0, result.output
    data_rows = [line for line in result.stdout.splitlines() if re.match(r"^(acme|globex)-", line)]
    assert len(data_rows) == 2, result.stdout
    acme = row_of(result.stdout, "acme-1126")
    assert "Acme" in acme and "Data analyst" in acme
    assert re.search(r"\s0/5\s+5\s", acme), acme
    globex = row_of(result.stdout, "globex-1128")
    assert "Globex" in globex
    assert re.search(r"\s0/5\s+3\s", globex), globex


def test_list_rows_follow_progress_and_overdue_count(run: Run, two: None) -> None:
    assert run("done", "acme", "1", "2").exit_code == 0
    assert run("skip", "acme", "greet-staff").exit_code == 0
    result = run("list")
    acme = row_of(result.stdout, "acme-1126")
    assert re.search(r"\s3/5\s+2\s", acme), acme


def test_list_is_ordered_by_interview_time(run: Run) -> None:
    add_globex(run)
    add_acme(run)
    ids = [line.split()[0] for line in run("list").stdout.splitlines() if re.match(r"^(acme|globex)-", line)]
    assert ids == ["acme-1126", "globex-1128"]


def test_list_all_includes_closed_interviews(run: Run, two: None) -> None:
    assert run("close", "globex", "--outcome", "rejected").exit_code == 0
    plain = run("list")
    assert "globex-1128" not in plain.stdout
    assert "acme-1126" in plain.stdout
    every = run("list", "--all")
    assert every.exit_code == 0, every.output
    assert "acme-1126" in every.stdout
    assert "rejected" in row_of(every.stdout, "globex-1128")


def test_list_with_only_closed_interviews_points_to_all(run: Run) -> None:
    add_globex(run)
    assert run("close", "globex", "--outcome", "offer").exit_code == 0
    result = run("list")
    assert result.exit_code == 0, result.output
    assert "globex-1128" not in result.stdout
    assert "--all" in result.stdout


def test_list_json_is_a_list_of_interview_objects(run: Run, two: None) -> None:
    assert run("done", "acme", "thank-interviewer").exit_code == 0
    result = run("list", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [i["id"] for i in data] == ["acme-1126", "globex-1128"]
    for interview in data:
        assert set(interview) >= INTERVIEW_KEYS
        assert [s["id"] for s in interview["steps"]] == STEP_IDS
        for step in interview["steps"]:
            assert set(step) >= STEP_KEYS
            assert datetime.fromisoformat(step["due"]).utcoffset() is not None
        assert datetime.fromisoformat(interview["at"]).utcoffset() is not None
    acme, globex = data
    assert acme["company"] == "Acme" and acme["role"] == "Data analyst"
    assert acme["interviewers"] == ["Ana Lopez"]
    assert acme["notes"] == "We talked about hiking"
    assert acme["checklist"] == "post-interview"
    assert acme["outcome"] is None and acme["decision_by"] is None
    assert acme["steps"][0]["status"] == "done"
    assert acme["steps"][0]["done_at"] is not None
    assert acme["steps"][0]["overdue"] is False
    assert [s["overdue"] for s in acme["steps"][1:]] == [True] * 4
    assert [s["overdue"] for s in globex["steps"]] == [True, True, True, False, False]


def test_list_json_includes_closed_only_with_all(run: Run, two: None) -> None:
    assert run("close", "acme", "--outcome", "offer").exit_code == 0
    assert [i["id"] for i in list_json(run)] == ["globex-1128"]
    every = list_json(run, "--all")
    assert [i["id"] for i in every] == ["acme-1126", "globex-1128"]
    assert every[0]["outcome"] == "offer"


# --- show -------------------------------------------------------------------------


def test_show_lists_steps_in_order_with_numbers(run: Run, two: None) -> None:
    result = run("show", "globex-1128")
    assert result.exit_code == 0, result.output
    assert "Globex" in result.stdout and "Engineer" in result.stdout
    rows = step_rows(result.stdout)
    assert sorted(rows) == [1, 2, 3, 4, 5]
    titles = [step["title"] for step in show_json(run, "globex-1128")["steps"]]
    for number, title in enumerate(titles, start=1):
        assert title[:20] in rows[number], (number, rows[number])
    positions = [result.stdout.index(step_id) for step_id in STEP_IDS]
    assert positions == sorted(positions)


def test_show_marks_status_with_glyphs(run: Run, two: None) -> None:
    assert run("done", "globex", "1").exit_code == 0
    assert run("skip", "globex", "greet-staff").exit_code == 0
    rows = step_rows(run("show", "globex").stdout)
    assert "✓" in rows[1]  # done
    assert "!" in rows[2]  # shake-hands: pending and overdue
    assert "–" in rows[3]  # skipped
    assert "○" in rows[4] and "!" not in rows[4]  # pending, not yet due
    assert "○" in rows[5]


def test_show_gives_due_times_relative_and_absolute(run: Run, two: None) -> None:
    result = run("show", "globex")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "4h overdue" in out  # thank-interviewer, due 11:00
    assert "Sat 28 Nov 11:00" in out
    assert "in 20h" in out and "Sun 29 Nov 11:00" in out  # write-letter
    assert "in 44h" in out and "Mon 30 Nov 11:00" in out  # mail-letter
    acme = run("show", "acme").stdout
    assert "2d overdue" in acme and "Thu 26 Nov 10:00" in acme


def test_show_gives_the_why_of_pending_steps_and_when_done_ones_were_done(run: Run, two: None) -> None:
    before = show_json(run, "globex")
    whys = {step["id"]: words(step["why"]) for step in before["steps"]}
    assert all(whys.values())
    assert run("done", "globex", "thank-interviewer", "--at", "2026-11-28 12:30").exit_code == 0
    out = words(run("show", "globex").stdout)
    for step_id, why in whys.items():
        if step_id == "thank-interviewer":
            assert why not in out
        else:
            assert why in out, step_id
    assert "done Sat 28 Nov 12:30" in out


def test_show_gives_interviewers_note_and_decision(run: Run) -> None:
    add_acme(run)
    assert run("edit", "acme", "--decision-by", "2026-12-04 12:00").exit_code == 0
    out = run("show", "acme").stdout
    assert "Ana Lopez" in out
    assert "We talked about hiking" in out
    assert "decision by Fri 4 Dec 12:00" in out


def test_show_accepts_an_unambiguous_prefix(run: Run, two: None) -> None:
    assert run("show", "glob").stdout == run("show", "globex-1128").stdout


def test_show_of_unknown_id_exits_1(run: Run, two: None) -> None:
    result = run("show", "initech")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "initech" in result.stderr
    assert "Traceback" not in result.output


def test_show_json_is_the_interview_object(run: Run, two: None) -> None:
    assert run("done", "globex", "1", "--at", "2026-11-28 11:05").exit_code == 0
    result = run("show", "globex", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= INTERVIEW_KEYS
    assert data["id"] == "globex-1128"
    assert data["interviewers"] == []
    assert datetime.fromisoformat(data["at"]) == datetime.fromisoformat("2026-11-28T11:00:00+01:00")
    assert [s["id"] for s in data["steps"]] == STEP_IDS
    first = data["steps"][0]
    assert set(first) >= STEP_KEYS
    assert first["status"] == "done"
    assert datetime.fromisoformat(first["done_at"]) == datetime.fromisoformat("2026-11-28T11:05:00+01:00")
    assert [s["overdue"] for s in data["steps"]] == [False, True, True, False, False]
    assert [s["status"] for s in data["steps"][1:]] == ["pending"] * 4


# --- edit ---------------------------------------------------------------------------


def test_edit_changes_company_and_role(run: Run, two: None) -> None:
    result = run("edit", "globex", "--company", "Globex Corp", "--role", "Senior engineer")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    line = one_line(result.stderr)
    assert "globex-1128" in line and "company" in line and "role" in line
    data = show_json(run, "globex-1128")  # the id stays as it was
    assert data["company"] == "Globex Corp"
    assert data["role"] == "Senior engineer"
    assert "Globex Corp" in row_of(run("list").stdout, "globex-1128")


def test_edit_json_prints_the_changed_interview(run: Run, two: None) -> None:
    result = run("edit", "globex", "--role", "Architect", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["role"] == "Architect"
    one_line(result.stderr)


def test_edit_at_moves_every_due_time_by_the_same_amount(run: Run, two: None) -> None:
    before = dues(show_json(run, "globex"))
    result = run("edit", "globex", "--at", "2026-11-28 13:30")
    assert result.exit_code == 0, result.output
    assert "globex-1128" in one_line(result.stderr)
    after_data = show_json(run, "globex")
    assert datetime.fromisoformat(after_data["at"]) == datetime.fromisoformat("2026-11-28T13:30:00+01:00")
    after = dues(after_data)
    assert set(after) == set(before)
    for step_id in before:
        assert after[step_id] - before[step_id] == timedelta(hours=2, minutes=30), step_id
    # The overdue marks follow: greet-staff is now due 14:00, thanks at 13:30.
    assert [s["overdue"] for s in after_data["steps"]] == [True, True, True, False, False]


def test_edit_at_can_move_earlier(run: Run, two: None) -> None:
    before = dues(show_json(run, "globex"))
    assert run("edit", "globex", "--at", "2026-11-27 11:00").exit_code == 0
    after = dues(show_json(run, "globex"))
    # Mailing is one business day after the interview: Saturday and Friday both give Monday.
    assert after.pop("mail-letter") == datetime.fromisoformat("2026-11-30T11:00:00+01:00")
    before.pop("mail-letter")
    assert all(after[s] - before[s] == timedelta(days=-1) for s in before)


def test_edit_decision_by_pulls_letter_steps_earlier_and_none_clears_it(run: Run, two: None) -> None:
    before = dues(show_json(run, "globex"))
    # Decision Tuesday 1 Dec 17:00; two business days before is Friday 27 Nov 17:00, the day
    # before the interview: the letters are due at its start, never before it.
    result = run("edit", "globex", "--decision-by", "2026-12-01 17:00")
    assert result.exit_code == 0, result.output
    assert "globex-1128" in one_line(result.stderr)
    data = show_json(run, "globex")
    assert datetime.fromisoformat(data["decision_by"]) == datetime.fromisoformat("2026-12-01T17:00:00+01:00")
    pulled = dues(data)
    deadline = datetime.fromisoformat("2026-11-28T11:00:00+01:00")
    for step_id in before:
        if step_id in LETTER_STEPS:
            assert pulled[step_id] == deadline, step_id
            assert pulled[step_id] < before[step_id]
        else:
            assert pulled[step_id] == before[step_id], step_id
    assert all(s["overdue"] for s in data["steps"] if s["id"] in LETTER_STEPS)

    cleared = run("edit", "globex", "--decision-by", "none")
    assert cleared.exit_code == 0, cleared.output
    data = show_json(run, "globex")
    assert data["decision_by"] is None
    assert dues(data) == before


def test_edit_decision_by_far_away_moves_nothing(run: Run, two: None) -> None:
    before = dues(show_json(run, "globex"))
    assert run("edit", "globex", "--decision-by", "2026-12-18").exit_code == 0
    after = dues(show_json(run, "globex"))
    # Only the check-in after the decision is new (Tuesday 22 Dec, two business days after Friday 18).
    assert after.pop("checkin") == datetime.fromisoformat("2026-12-22T23:59:59+01:00")
    assert after == before


def test_edit_with_nothing_to_change_exits_2(run: Run, home: Path, two: None) -> None:
    stored = store_bytes(home)
    result = run("edit", "globex")
    assert result.exit_code == 2
    assert "nothing to change" in result.stderr
    assert result.stdout == ""
    assert store_bytes(home) == stored


@pytest.mark.parametrize("option", ["--at", "--decision-by"])
def test_edit_with_an_unreadable_date_exits_2_and_changes_nothing(run: Run, home: Path, two: None, option: str) -> None:
    stored = store_bytes(home)
    result = run("edit", "globex", option, "the day after never", "--company", "Other")
    assert result.exit_code == 2
    assert option in result.stderr
    assert "Traceback" not in result.output
    assert store_bytes(home) == stored
    assert show_json(run, "globex")["company"] == "Globex"


def test_edit_with_an_empty_company_exits_2(run: Run, home: Path, two: None) -> None:
    stored = store_bytes(home)
    result = run("edit", "globex", "--company", "  ")
    assert result.exit_code == 2
    assert store_bytes(home) == stored


@pytest.mark.parametrize(
    "changes",
    [{"at": datetime(2026, 11, 27, 10, 0)}, {"company": None}, {"interviewers": "Ana"}, {"notes": 5}],
    ids=["naive-at", "no-company", "interviewers-not-a-list", "note-not-text"],
)
def test_an_edit_is_validated_before_it_is_saved(home: Path, two: None, changes: dict[str, Any]) -> None:
    """What the command line cannot send still cannot reach the store: an edit is validated as loading validates."""
    from followup import actions
    from followup.errors import UsageError
    from followup.store import Store

    stored = store_bytes(home)
    # Refused as the command line's own mistakes are: a usage error naming the option.
    with pytest.raises(UsageError), Store(home).change() as document:
        interview = actions.find_interview(document, "globex")
        actions.edit(document, interview, changes, datetime.fromisoformat("2026-11-28T15:00:00+01:00"))  # type: ignore[arg-type]
    assert store_bytes(home) == stored


def test_edit_of_unknown_id_exits_1(run: Run, home: Path, two: None) -> None:
    stored = store_bytes(home)
    result = run("edit", "initech", "--role", "CEO")
    assert result.exit_code == 1
    assert "initech" in result.stderr
    assert store_bytes(home) == stored


# --- close and reopen ---------------------------------------------------------------


def test_close_with_a_bad_outcome_exits_2_and_changes_nothing(run: Run, home: Path, two: None) -> None:
    stored = store_bytes(home)
    result = run("close", "globex", "--outcome", "maybe")
    assert result.exit_code == 2
    assert "maybe" in result.stderr and "no-response" in result.stderr
    assert store_bytes(home) == stored
    assert "globex-1128" in run("list").stdout


def test_close_without_an_outcome_exits_2(run: Run, home: Path, two: None) -> None:
    stored = store_bytes(home)
    result = run("close", "globex")
    assert result.exit_code == 2
    assert store_bytes(home) == stored


@pytest.mark.parametrize("outcome", ["offer", "rejected", "withdrawn", "no-response"])
def test_close_takes_the_interview_out_of_list_and_due(run: Run, two: None, outcome: str) -> None:
    assert "globex-1128" in run("due").stdout
    result = run("close", "globex", "--outcome", outcome)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    line = one_line(result.stderr)
    assert "globex-1128" in line and outcome in line
    assert "globex-1128" not in run("list").stdout
    assert "globex-1128" not in run("due").stdout
    assert all(item["interview"] != "globex-1128" for item in json.loads(run("due", "--json").stdout))
    assert "acme-1126" in run("due").stdout
    data = show_json(run, "globex")  # a closed interview can still be shown
    assert data["outcome"] == outcome
    assert f"closed: {outcome}" in run("show", "globex").stdout


def test_closed_interview_no_longer_makes_due_check_fail(run: Run, two: None) -> None:
    assert run("close", "acme", "--outcome", "offer").exit_code == 0
    assert run("close", "globex", "--outcome", "rejected").exit_code == 0
    assert run("due", "--check").exit_code == 0


def test_reopen_brings_a_closed_interview_back(run: Run, two: None) -> None:
    before = show_json(run, "globex")
    assert run("close", "globex", "--outcome", "rejected").exit_code == 0
    result = run("reopen", "globex")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    line = one_line(result.stderr)
    assert "reopened" in line and "globex-1128" in line
    assert "globex-1128" in run("list").stdout
    assert "globex-1128" in run("due").stdout
    assert show_json(run, "globex") == before


def test_reopening_an_open_interview_exits_1(run: Run, home: Path, two: None) -> None:
    stored = store_bytes(home)
    result = run("reopen", "globex")
    assert result.exit_code == 1
    assert "already open" in result.stderr
    assert store_bytes(home) == stored


def test_close_then_undo_reopens(run: Run, two: None) -> None:
    assert run("close", "globex", "--outcome", "offer").exit_code == 0
    result = run("undo")
    assert result.exit_code == 0, result.output
    assert "closed globex-1128" in one_line(result.stderr)
    assert show_json(run, "globex")["outcome"] is None


# --- rm -----------------------------------------------------------------------------


def test_rm_without_yes_and_without_a_terminal_exits_2_and_deletes_nothing(run: Run, home: Path, two: None) -> None:
    stored = store_bytes(home)
    result = run("rm", "globex")
    assert result.exit_code == 2
    assert "--yes" in result.stderr
    assert "Traceback" not in result.output
    assert store_bytes(home) == stored
    assert "globex-1128" in run("list").stdout


def test_rm_yes_deletes_and_plain_undo_brings_it_back(run: Run, two: None) -> None:
    before = show_json(run, "globex")
    result = run("rm", "globex", "--yes")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    line = one_line(result.stderr)
    assert "deleted" in line and "globex-1128" in line
    assert "globex-1128" not in run("list", "--all").stdout
    assert run("show", "globex-1128").exit_code == 1
    assert "acme-1126" in run("list").stdout

    undone = run("undo")
    assert undone.exit_code == 0, undone.output
    line = one_line(undone.stderr)
    assert "deleted globex-1128" in line
    assert show_json(run, "globex-1128") == before
    assert "globex-1128" in run("list").stdout


def test_rm_of_a_closed_interview_and_undo(run: Run, two: None) -> None:
    assert run("close", "acme", "--outcome", "withdrawn").exit_code == 0
    before = show_json(run, "acme")
    assert run("rm", "acme", "-y").exit_code == 0
    assert "acme-1126" not in run("list", "--all").stdout
    assert run("undo").exit_code == 0
    assert show_json(run, "acme") == before
    assert "acme-1126" not in run("list").stdout
    assert "acme-1126" in run("list", "--all").stdout


def test_rm_of_unknown_id_exits_1(run: Run, home: Path, two: None) -> None:
    stored = store_bytes(home)
    result = run("rm", "initech", "--yes")
    assert result.exit_code == 1
    assert store_bytes(home) == stored


def test_ambiguous_prefix_is_refused(run: Run, home: Path) -> None:
    add_globex(run)
    add_interview(run, "Globex", role="Tester", at="2026-11-28 12:00")
    stored = store_bytes(home)
    result = run("rm", "globex", "--yes")
    assert result.exit_code == 1
    assert "globex-1128" in result.stderr and "globex-1128-2" in result.stderr
    assert store_bytes(home) == stored


# --- one line for every change ------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words_in_line"),
    [
        (("edit", "acme", "--note", "New note"), ("edited", "acme-1126")),
        (("close", "acme", "--outcome", "offer"), ("closed", "acme-1126", "offer")),
        (("rm", "acme", "--yes"), ("deleted", "acme-1126")),
        (("undo",), ("undid",)),
    ],
)
def test_each_change_says_in_one_line_what_it_changed(
    run: Run, two: None, args: tuple[str, ...], words_in_line: tuple[str, ...]
) -> None:
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    line = one_line(result.stderr)
    for word in words_in_line:
        assert word in line, line


def test_read_only_commands_leave_the_store_alone(run: Run, home: Path, two: None) -> None:
    stored = store_bytes(home)
    for args in (("list",), ("list", "--all", "--json"), ("show", "acme"), ("show", "acme", "--json")):
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert result.stderr == ""
    assert store_bytes(home) == stored


# --- closed interviews, and plans that change ----------------------------------------------------


def test_closing_a_closed_interview_is_refused(run: Run, home: Path, two: None) -> None:
    assert run("close", "globex", "--outcome", "offer").exit_code == 0
    before = store_bytes(home)
    result = run("close", "globex", "--outcome", "rejected")
    assert result.exit_code == 1
    assert "already closed (offer)" in result.stderr and "reopen" in result.stderr
    assert store_bytes(home) == before


def test_a_closed_interview_has_nothing_overdue(run: Run, two: None) -> None:
    assert any(step["overdue"] for step in show_json(run, "globex")["steps"])
    assert run("close", "globex", "--outcome", "withdrawn").exit_code == 0
    assert not any(step["overdue"] for step in show_json(run, "globex")["steps"])
    row = row_of(run("list", "--all").stdout, "globex-1128")
    assert "overdue" not in row
    shown = run("show", "globex").stdout
    assert "overdue" not in shown and "!" not in shown


def test_edit_interviewers_plans_a_letter_for_each_and_keeps_what_was_done(run: Run, two: None) -> None:
    assert run("done", "acme", "write-letter", "--note", "sent").exit_code == 0
    result = run("edit", "acme", "-i", "Ana Lopez", "-i", "Bo Chen")
    assert result.exit_code == 0, result.output
    steps = {step["id"]: step for step in show_json(run, "acme")["steps"]}
    # Ana's steps keep their ids (the calendar knows them by these); Bo's are new.
    assert steps["write-letter"]["status"] == "done" and steps["write-letter"]["note"] == "sent"
    assert "Ana Lopez" in steps["write-letter"]["title"]
    assert steps["write-letter-bo"]["status"] == "pending"
    assert steps["mail-letter-bo"]["title"] == "Mail the thank-you letter to Bo Chen"
    # Back to Ana alone: Bo's pending letter goes, Ana's stays done.
    assert run("edit", "acme", "-i", "Ana Lopez").exit_code == 0
    steps = {step["id"]: step for step in show_json(run, "acme")["steps"]}
    assert "write-letter-bo" not in steps and "mail-letter-bo" not in steps
    assert steps["write-letter"]["status"] == "done"


def test_edit_flags_swaps_the_steps_that_depend_on_them(run: Run, two: None) -> None:
    assert run("done", "globex", "shake-hands").exit_code == 0
    result = run("edit", "globex", "--flag", "video", "--flag", "late")
    assert result.exit_code == 0, result.output
    data = show_json(run, "globex")
    assert data["flags"] == {"late": True, "video": True}
    ids = [step["id"] for step in data["steps"]]
    assert "email-letter" in ids and "thank-patience" in ids and "mail-letter" not in ids
    # The handshake no longer applies, but it was done: that stays on record.
    assert {s["id"]: s["status"] for s in data["steps"]}["shake-hands"] == "done"
    assert run("edit", "globex", "--no-flag", "video").exit_code == 0
    assert "mail-letter" in [step["id"] for step in show_json(run, "globex")["steps"]]


def test_edit_with_an_unknown_flag_changes_nothing(run: Run, home: Path, two: None) -> None:
    before = store_bytes(home)
    result = run("edit", "globex", "--flag", "remote")
    assert result.exit_code == 2
    assert "no flag 'remote'" in result.stderr
    assert store_bytes(home) == before
