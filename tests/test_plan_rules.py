"""Plans that keep their meaning: no letter before the interview, ids that stay,
no tick before the start, and change lines that say what happened (issue 11).

The clock is Saturday 28 November 2026, 15:00 in Berlin (see conftest.py).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from followup import actions
from followup.change_words import undone
from followup.errors import UsageError
from followup.models import Checklist, ChecklistStep, Interview
from followup.schedule import plan_steps, replan
from followup.status import check_done_time
from helpers import Run, add_interview, show_json, steps_of

BERLIN = ZoneInfo("Europe/Berlin")
AT = datetime(2026, 11, 27, 10, 0, tzinfo=BERLIN)  # Friday
POST = Checklist(
    name="post",
    title="After",
    steps=[
        ChecklistStep(id="thank", title="Thank {interviewer}", due="0", per_interviewer=True),
        ChecklistStep(id="letter", title="Write", due="+1d", per_interviewer=True, before_decision="2bd"),
    ],
)


def store(home: Path) -> bytes:
    return (home / "followup.json").read_bytes()


def one_line(text: str) -> str:
    lines = text.splitlines()
    assert len(lines) == 1, text
    return lines[0]


# --- 1. a decision date before the interview ----------------------------------------------------


def test_new_refuses_a_decision_date_before_the_start(run: Run, home: Path) -> None:
    add_interview(run, "Globex")
    before = store(home)
    # The morning of the interview, before it starts.
    result = run("new", "-c", "Acme", "-r", "Analyst", "--at", "2026-11-27 10:00", "--decision-by", "2026-11-27 09:00")
    assert result.exit_code == 2, result.output
    assert one_line(result.stderr).startswith("error: --decision-by: Fri 27 Nov 09:00 is before the interview starts")
    assert store(home) == before


def test_a_decision_on_the_evening_of_the_interview_makes_letters_due_at_its_start(run: Run) -> None:
    # The letter needs 2 business days before the decision: that is Wednesday, before the interview.
    acme = add_interview(run, "Acme", "--at", "2026-11-27 10:00", "--decision-by", "2026-11-27")
    data = show_json(run, acme)
    start = datetime.fromisoformat(data["at"])
    assert all(datetime.fromisoformat(step["due"]) >= start for step in data["steps"])
    assert steps_of(run, acme)["write-letter"]["due"] == data["at"]


def test_the_close_decision_warning_quotes_the_start_not_a_time_before_it(run: Run) -> None:
    result = run("new", "-c", "Acme", "-r", "Analyst", "--at", "2026-11-27 10:00", "--decision-by", "2026-11-30 09:00")
    assert result.exit_code == 0, result.output
    warnings = " ".join(result.stderr.split())
    assert "mail-letter: the decision is close; this was due by Fri 27 Nov 10:00" in warnings
    assert "Thu 26 Nov" not in warnings and "Wed 25 Nov" not in warnings


def test_edit_refuses_a_decision_before_the_start_and_a_start_after_the_decision(run: Run, home: Path) -> None:
    acme = add_interview(run, "Acme", "--at", "2026-11-27 10:00", "--decision-by", "2026-12-04 17:00")
    before = store(home)
    early = run("edit", acme, "--decision-by", "2026-11-26 17:00")
    assert early.exit_code == 2, early.output
    assert "--decision-by: Thu 26 Nov 17:00 is before the interview starts (Fri 27 Nov 10:00)" in one_line(early.stderr)
    late = run("edit", acme, "--at", "2026-12-05 10:00")
    assert late.exit_code == 2, late.output
    assert "--at: the start (Sat 5 Dec 10:00) would be after the decision date (Fri 4 Dec 17:00)" in one_line(
        late.stderr
    )
    assert store(home) == before
    # Both at once, in order: fine.
    assert run("edit", acme, "--at", "2026-12-05 10:00", "--decision-by", "2026-12-11 17:00").exit_code == 0


def test_the_core_refuses_the_decision_and_never_plans_before_the_start() -> None:
    with pytest.raises(UsageError, match="before the interview starts"):
        actions.check_decision(AT, datetime(2026, 11, 26, 17, 0, tzinfo=BERLIN), "Europe/Berlin", AT, moved="")
    planned = plan_steps(
        POST,
        at=AT,
        zone_name="Europe/Berlin",
        interviewers=["Ana"],
        flags={},
        decision_by=datetime(2026, 11, 30, 9, 0, tzinfo=BERLIN),  # 2bd before: Thursday 26
    )
    assert [step.due for step in planned] == [AT, AT]


# --- 2. the panel changes, the ids stay --------------------------------------------------------


def panel(run: Run) -> str:
    return add_interview(run, "Acme", "--at", "2026-11-27 10:00", "-i", "Ana Lopez", "-i", "Bo Chen")


def test_removing_an_interviewer_keeps_the_others_ids_and_their_done_steps(run: Run) -> None:
    acme = panel(run)
    assert run("done", acme, "write-letter-bo", "write-letter-ana").exit_code == 0
    result = run("edit", acme, "--remove-interviewer", "bo")
    assert result.exit_code == 0, result.output
    assert one_line(result.stderr) == f"edited {acme}: interviewers (removed Bo Chen)"
    after = steps_of(run, acme)
    # Ana keeps her ids although she is now the only interviewer; Bo's done letter stays done.
    assert {"write-letter-ana", "mail-letter-ana", "write-letter-bo"} <= set(after)
    assert after["write-letter-bo"]["status"] == "done" and after["write-letter-ana"]["status"] == "done"
    assert "mail-letter-bo" not in after and "mail-letter" not in after and "write-letter" not in after
    assert show_json(run, acme)["interviewers"] == ["Ana Lopez"]


def test_adding_an_interviewer_keeps_every_id(run: Run) -> None:
    acme = add_interview(run, "Acme", "--at", "2026-11-27 10:00", "-i", "Ana Lopez")
    assert run("done", acme, "write-letter").exit_code == 0
    before = set(steps_of(run, acme))
    result = run("edit", acme, "--add-interviewer", "Bo Chen", "--add-interviewer", "Cy Young")
    assert result.exit_code == 0, result.output
    assert one_line(result.stderr) == f"edited {acme}: interviewers (added Bo Chen, Cy Young)"
    after = steps_of(run, acme)
    assert before <= set(after)
    assert after["write-letter"]["status"] == "done" and "Ana Lopez" in after["write-letter"]["title"]
    assert after["write-letter-bo"]["status"] == "pending" and "Bo Chen" in after["write-letter-bo"]["title"]
    assert "write-letter-cy" in after


def test_plain_interviewer_replaces_the_panel_but_keeps_the_ids_of_who_stays(run: Run) -> None:
    acme = panel(run)
    assert run("done", acme, "write-letter-bo").exit_code == 0
    assert run("edit", acme, "-i", "Bo Chen").exit_code == 0  # a panel of one keeps its ids too
    alone = steps_of(run, acme)
    assert alone["write-letter-bo"]["status"] == "done" and "mail-letter-bo" in alone
    assert "write-letter-ana" not in alone and "write-letter" not in alone
    assert run("edit", acme, "-i", "Di Ross", "-i", "Bo Chen").exit_code == 0
    after = steps_of(run, acme)
    assert after["write-letter-bo"]["status"] == "done"
    assert {"mail-letter-bo", "write-letter-di", "mail-letter-di"} <= set(after)


def test_a_newcomer_never_takes_the_id_of_a_kept_step(run: Run) -> None:
    acme = add_interview(run, "Acme", "--at", "2026-11-27 10:00", "-i", "Ana Lopez")
    assert run("done", acme, "write-letter").exit_code == 0
    # Ana leaves and Bo comes: Ana's done letter keeps `write-letter`, Bo's is named after him.
    assert run("edit", acme, "-i", "Bo Chen").exit_code == 0
    after = steps_of(run, acme)
    assert after["write-letter"]["status"] == "done" and "Ana Lopez" in after["write-letter"]["title"]
    assert after["write-letter-bo"]["status"] == "pending"


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("--remove-interviewer", "zed"), 1, "has no interviewer 'zed' (interviewers: Ana Lopez, Bo Chen)"),
        (("--remove-interviewer", ""), 1, "has no interviewer ''"),
        (("--add-interviewer", "ana lopez"), 2, "ana lopez is already an interviewer"),
        (("-i", "Cy", "--add-interviewer", "Di"), 2, "--interviewer replaces the whole panel"),
    ],
)
def test_panel_changes_that_make_no_sense_change_nothing(
    run: Run, home: Path, args: tuple[str, ...], code: int, words: str
) -> None:
    acme = panel(run)
    before = store(home)
    result = run("edit", acme, *args)
    assert result.exit_code == code, result.output
    assert words in result.stderr
    assert store(home) == before


def test_an_ambiguous_name_to_remove_is_refused(run: Run, home: Path) -> None:
    acme = add_interview(run, "Acme", "-i", "Ana Lopez", "-i", "Ana Lima")
    before = store(home)
    result = run("edit", acme, "--remove-interviewer", "ana")
    assert result.exit_code == 1
    assert "matches several interviewers: Ana Lopez, Ana Lima" in result.stderr
    assert store(home) == before
    assert run("edit", acme, "--remove-interviewer", "lima").exit_code == 0  # the start of a word, as --to
    assert show_json(run, acme)["interviewers"] == ["Ana Lopez"]


def test_replan_keeps_ids_whatever_the_order_and_size_of_the_panel() -> None:
    made = Interview(
        id="acme-1127",
        company="Acme",
        role="Analyst",
        interviewers=["Ana", "Bo", "Cy"],
        at=AT,
        zone="Europe/Berlin",
        checklist="post",
        created_at=AT,
        steps=plan_steps(
            POST, at=AT, zone_name="Europe/Berlin", interviewers=["Ana", "Bo", "Cy"], flags={}, decision_by=None
        ),
    )
    ids = {(step.source, step.interviewer): step.id for step in made.steps}
    for people in (["Cy", "Ana"], ["Ana"], ["Bo", "Ana"]):
        made.interviewers = people
        replan(made, POST)
        assert {(step.source, step.interviewer): step.id for step in made.steps} == {
            key: value for key, value in ids.items() if key[1] in people
        }


# --- 3. no tick before the interview -----------------------------------------------------------


def test_done_at_before_the_start_is_refused_for_a_step_after_it(run: Run, home: Path) -> None:
    acme = add_interview(run, "Acme", "--at", "2026-11-27 10:00")
    before = store(home)
    result = run("done", acme, "shake-hands", "--at", "2026-11-27 09:30")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(
        "error: --at: shake-hands cannot be done before the interview started (Fri 27 Nov 10:00)"
    )
    assert store(home) == before
    # At the start itself is fine.
    assert run("done", acme, "shake-hands", "--at", "2026-11-27 10:00").exit_code == 0


def test_done_at_before_the_start_is_right_for_a_pre_interview_step(run: Run) -> None:
    prep = add_interview(run, "Acme", "--at", "2026-12-01 10:00", "--checklist", "pre-interview")
    result = run("done", prep, "study-questions", "--at", "2026-11-27 20:00")
    assert result.exit_code == 0, result.output
    assert steps_of(run, prep)["study-questions"]["done_at"] == "2026-11-27T20:00:00+01:00"


def test_new_done_for_an_interview_still_ahead_is_refused(run: Run, home: Path) -> None:
    result = run("new", "-c", "Acme", "-r", "Analyst", "--at", "2026-11-30 10:00", "--done", "shake-hands")
    assert result.exit_code == 2, result.output
    assert "now: shake-hands cannot be done before the interview started" in result.stderr
    assert not (home / "followup.json").exists()


def test_the_core_rule_goes_by_the_checklist_offset() -> None:
    made = Interview(
        id="acme-1127",
        company="Acme",
        role="Analyst",
        at=AT,
        zone="Europe/Berlin",
        checklist="post",
        created_at=AT,
        steps=plan_steps(POST, at=AT, zone_name="Europe/Berlin", interviewers=[], flags={}, decision_by=None),
    )
    thank = made.steps[0]
    with pytest.raises(UsageError):
        check_done_time(made, thank, datetime(2026, 11, 27, 9, 59, tzinfo=BERLIN))
    check_done_time(made, thank, AT)
    early = thank.model_copy(update={"offset": "-1d"})
    check_done_time(made, early, datetime(2026, 11, 20, 9, 0, tzinfo=BERLIN))


# --- 4. undo says what it did -------------------------------------------------------------------


def undo_line(run: Run) -> str:
    result = run("undo")
    assert result.exit_code == 0, result.output
    return one_line(result.stderr)


def test_undo_of_an_undo_says_the_step_is_done_again(run: Run) -> None:
    acme = add_interview(run, "Acme", "--at", "2026-11-27 10:00")
    assert run("done", acme, "write-letter").exit_code == 0
    assert run("undo", acme, "write-letter").exit_code == 0
    assert undo_line(run) == f"undid: {acme}: back to pending: write-letter; now write-letter is done again"
    assert steps_of(run, acme)["write-letter"]["status"] == "done"
    assert undo_line(run) == f"undid: {acme}: marked done: write-letter; now write-letter is pending again"


def test_undo_says_what_it_did_for_every_kind_of_change(run: Run, tmp_path: Path) -> None:
    acme = add_interview(run, "Acme", "--at", "2026-11-27 10:00")
    assert run("skip", acme, "greet-staff").exit_code == 0
    assert undo_line(run).endswith("; now greet-staff is pending again")
    assert run("edit", acme, "--decision-by", "2026-12-04", "--note", "sailing").exit_code == 0
    assert undo_line(run).endswith("; now the decision date and the note are as before")
    assert run("edit", acme, "--role", "Lead").exit_code == 0
    assert undo_line(run).endswith("; now the role is as before")
    assert run("edit", acme, "--flag", "video").exit_code == 0
    assert undo_line(run).endswith("; now the flags are as before")
    assert run("close", acme, "--outcome", "offer").exit_code == 0
    assert run("reopen", acme).exit_code == 0
    assert undo_line(run).endswith(f"; now {acme} is closed again (offer)")
    assert undo_line(run).endswith(f"; now {acme} is open again")
    assert run("rm", acme, "--yes").exit_code == 0
    assert undo_line(run).endswith(f"; now {acme} is back")
    out = tmp_path / "export.json"
    assert run("export", "--out", str(out)).exit_code == 0
    assert run("rm", acme, "--yes").exit_code == 0
    assert run("import", str(out), "--yes").exit_code == 0
    assert undo_line(run).endswith(f"; now {acme} is gone")
    assert undo_line(run).endswith(f"; now {acme} is back")
    assert undo_line(run) == f"undid: added {acme} (Acme, Analyst); now {acme} is gone"


def test_undone_counts_the_interviews_of_a_large_undo() -> None:
    made = [
        Interview(id=f"a-{n}", company="A", role="R", at=AT, zone="Europe/Berlin", checklist="post", created_at=AT)
        for n in range(5)
    ]
    pairs = [(made[0], None), (None, made[1]), (None, made[2]), (made[3], made[3]), (made[4], made[4])]
    assert undone("imported 2 interviews, replacing the store", pairs) == (
        "undid: imported 2 interviews, replacing the store; now the store is as it was (1 back, 2 gone, 2 as before)"
    )


# --- 5. fields in words --------------------------------------------------------------------------


def test_edit_names_fields_in_words(run: Run) -> None:
    acme = add_interview(run, "Acme", "--at", "2026-11-27 10:00")
    result = run("edit", acme, "--decision-by", "2026-12-04", "--note", "sailing", "--at", "2026-11-27 11:00")
    assert result.exit_code == 0, result.output
    line = one_line(result.stderr)
    assert line == f"edited {acme}: start, decision date, note"
    assert "decision_by" not in line and "notes" not in line
