"""`followup new` driven by flags: output, --json shape, flags, errors and ids."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from conftest import INTERVIEW_KEYS, NOW, STEP_KEYS, Run


def new_json(run: Run, *args: str) -> dict[str, Any]:
    result = run("new", "--company", "Acme", "--role", "Data analyst", *args, "--json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def step_ids(interview: dict[str, Any]) -> list[str]:
    return [step["id"] for step in interview["steps"]]


def stored(run: Run) -> list[dict[str, Any]]:
    result = run("list", "--all", "--json")
    assert result.exit_code == 0, result.output
    data: list[dict[str, Any]] = json.loads(result.stdout)
    return data


def is_aware_iso(text: str) -> bool:
    return datetime.fromisoformat(text).utcoffset() is not None


def squash(text: str) -> str:
    """Messages wrapped at the terminal width, as one line."""
    return " ".join(text.split())


# --- what it prints -------------------------------------------------------------


def test_new_prints_the_interview_and_one_line_saying_what_was_added(run: Run) -> None:
    result = run("new", "--company", "Acme", "--role", "Data analyst", "-i", "Ana López", "--at", "today 10:00")
    assert result.exit_code == 0, result.output
    assert "Acme" in result.stdout
    assert "Data analyst" in result.stdout
    assert "acme-1128" in result.stdout
    assert "Thank the interviewer for the opportunity" in result.stdout
    assert "Write a thank-you letter to Ana López" in result.stdout
    assert result.stderr.splitlines() == [
        'read --at "today 10:00" as Sat 28 Nov 10:00',  # a date from words is echoed (issue 11)
        "added acme-1128 (Acme, Data analyst)",
    ]
    assert [i["id"] for i in stored(run)] == ["acme-1128"]


def test_new_json_prints_only_the_interview_object(run: Run) -> None:
    result = run(
        "new",
        "--company",
        "Acme",
        "--role",
        "Data analyst",
        "-i",
        "Ana López",
        "--at",
        "2026-11-28 10:00",
        "--decision-by",
        "2026-12-11",
        "--note",
        "We talked about sailing",
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)  # nothing but JSON on stdout
    assert set(data) >= INTERVIEW_KEYS
    assert data["id"] == "acme-1128"
    assert data["company"] == "Acme"
    assert data["role"] == "Data analyst"
    assert data["interviewers"] == ["Ana López"]
    assert data["at"] == "2026-11-28T10:00:00+01:00"
    assert data["decision_by"] == "2026-12-11T23:59:59+01:00"
    assert data["flags"] == {"late": False, "video": False}
    assert data["checklist"] == "post-interview"
    assert data["outcome"] is None
    assert data["notes"] == "We talked about sailing"
    assert data["steps"], "an interview has steps"
    for step in data["steps"]:
        assert set(step) >= STEP_KEYS, step
        assert step["status"] == "pending"
        assert step["done_at"] is None
        assert is_aware_iso(step["due"]), step["due"]
        assert step["why"].strip()
    assert is_aware_iso(data["at"])
    assert is_aware_iso(data["decision_by"])
    by_id = {step["id"]: step for step in data["steps"]}
    # Due at the start (10:00), five hours before the fixed now (15:00): overdue.
    assert by_id["thank-interviewer"]["due"] == "2026-11-28T10:00:00+01:00"
    assert by_id["thank-interviewer"]["overdue"] is True
    assert by_id["write-letter"]["due"] == "2026-11-29T10:00:00+01:00"
    assert by_id["write-letter"]["overdue"] is False
    assert by_id["mail-letter"]["due"] == "2026-11-30T10:00:00+01:00"
    assert result.stderr.splitlines() == ["added acme-1128 (Acme, Data analyst)"]


def test_new_defaults_to_now_and_keeps_the_interview(run: Run) -> None:
    data = new_json(run)
    assert datetime.fromisoformat(data["at"]) == datetime.fromisoformat(NOW)
    assert data["decision_by"] is None
    assert data["notes"] is None
    assert data["interviewers"] == []
    shown = run("show", data["id"], "--json")
    assert shown.exit_code == 0, shown.output
    again = json.loads(shown.stdout)
    assert again["id"] == data["id"]
    assert step_ids(again) == step_ids(data)


# --- interviewers and flags -------------------------------------------------------


def test_each_interviewer_gets_their_own_letter_steps(run: Run) -> None:
    data = new_json(run, "-i", "Ana López", "--interviewer", "Bo Chen", "-i", "Cy Young")
    ids = step_ids(data)
    letters = [i for i in ids if i.startswith(("write-letter", "mail-letter"))]
    assert letters == [
        "write-letter-ana",
        "write-letter-bo",
        "write-letter-cy",
        "mail-letter-ana",
        "mail-letter-bo",
        "mail-letter-cy",
    ]
    titles = {step["id"]: step["title"] for step in data["steps"]}
    assert "Ana López" in titles["write-letter-ana"]
    assert "Bo Chen" in titles["mail-letter-bo"]
    assert "Cy Young" in titles["mail-letter-cy"]
    assert "Ana" not in titles["write-letter-bo"]
    assert len(set(ids)) == len(ids)
    # Steps that are not per interviewer appear once.
    assert ids.count("thank-interviewer") == 1


def test_one_interviewer_gets_one_letter_with_their_name(run: Run) -> None:
    data = new_json(run, "-i", "Ana López")
    assert [i for i in step_ids(data) if "letter" in i] == ["write-letter", "mail-letter"]
    titles = {step["id"]: step["title"] for step in data["steps"]}
    assert "Ana López" in titles["write-letter"]
    assert "{interviewer}" not in titles["write-letter"]


def test_the_default_interview_has_the_in_person_steps(run: Run) -> None:
    data = new_json(run)
    assert step_ids(data) == ["thank-interviewer", "shake-hands", "greet-staff", "write-letter", "mail-letter"]
    assert data["flags"] == {"late": False, "video": False}


def test_video_flag_sends_the_letter_by_email_and_drops_the_handshake(run: Run) -> None:
    data = new_json(run, "--flag", "video", "-i", "Ana López")
    ids = step_ids(data)
    assert ids == ["thank-interviewer", "write-letter", "email-letter"]
    assert "mail-letter" not in ids
    assert "shake-hands" not in ids
    assert "greet-staff" not in ids
    assert data["flags"] == {"late": False, "video": True}
    email = data["steps"][-1]
    assert "Ana López" in email["title"]
    assert email["due"] == "2026-11-29T15:00:00+01:00"


def test_late_flag_adds_thanks_for_their_patience(run: Run) -> None:
    data = new_json(run, "-f", "late")
    ids = step_ids(data)
    assert ids[:3] == ["thank-interviewer", "thank-patience", "shake-hands"]
    assert data["flags"] == {"late": True, "video": False}
    assert "thank-patience" not in step_ids(new_json(run))


def test_late_and_video_together(run: Run) -> None:
    data = new_json(run, "--flag", "late", "--flag", "video")
    assert step_ids(data) == ["thank-interviewer", "thank-patience", "write-letter", "email-letter"]


def test_unknown_flag_is_a_usage_error_and_saves_nothing(run: Run, home: Path) -> None:
    result = run("new", "--company", "Acme", "--role", "Analyst", "--flag", "remote")
    assert result.exit_code == 2, result.output
    assert "remote" in result.stderr
    assert "late" in result.stderr and "video" in result.stderr  # the flags that do exist
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert not (home / "followup.json").exists()


# --- missing or wrong input ----------------------------------------------------------


def test_missing_company_and_role_without_a_terminal_names_both(run: Run, home: Path) -> None:
    result = run("new")
    assert result.exit_code == 2, result.output
    assert "--company" in result.stderr
    assert "--role" in result.stderr
    assert "for example" in result.stderr
    assert result.stdout == ""
    assert not (home / "followup.json").exists()


def test_missing_role_alone_is_named(run: Run, home: Path) -> None:
    result = run("new", "--company", "Acme", input="Analyst\n")
    assert result.exit_code == 2, result.output
    assert "--role" in result.stderr
    assert "missing --company" not in result.stderr
    assert not (home / "followup.json").exists()


def test_blank_company_counts_as_missing(run: Run, home: Path) -> None:
    result = run("new", "--company", "   ", "--role", "Analyst")
    assert result.exit_code == 2, result.output
    assert "--company" in result.stderr
    assert not (home / "followup.json").exists()


def test_unreadable_at_is_a_usage_error_with_an_example(run: Run, home: Path) -> None:
    result = run("new", "--company", "Acme", "--role", "Analyst", "--at", "tomorroww at noonish")
    assert result.exit_code == 2, result.output
    assert "--at" in result.stderr
    assert "tomorroww at noonish" in result.stderr
    assert "for example" in result.stderr
    assert "2026-11-28 14:00" in result.stderr  # a form that works
    assert "Traceback" not in result.output
    assert not (home / "followup.json").exists()


def test_unreadable_decision_date_is_a_usage_error(run: Run, home: Path) -> None:
    result = run("new", "--company", "Acme", "--role", "Analyst", "--decision-by", "when pigs fly")
    assert result.exit_code == 2, result.output
    assert "--decision-by" in result.stderr
    assert not (home / "followup.json").exists()


def test_everyday_words_for_at(run: Run) -> None:
    assert new_json(run, "--at", "yesterday 14:30")["at"] == "2026-11-27T14:30:00+01:00"
    assert new_json(run, "--at", "2h ago")["at"] == "2026-11-28T13:00:00+01:00"
    assert new_json(run, "--at", "2026-11-28T14:00+01:00")["at"] == "2026-11-28T14:00:00+01:00"


def test_unknown_checklist_is_an_error(run: Run, home: Path) -> None:
    result = run("new", "--company", "Acme", "--role", "Analyst", "--checklist", "after-party")
    assert result.exit_code == 1, result.output
    assert "after-party" in result.stderr
    assert "post-interview" in result.stderr  # what is available
    assert "Traceback" not in result.output
    assert not (home / "followup.json").exists()


def test_missing_checklist_file_is_an_error(run: Run, tmp_path: Path) -> None:
    result = run("new", "--company", "Acme", "--role", "Analyst", "--checklist", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 1, result.output
    assert "nope.yaml" in result.stderr


CUSTOM = """\
name: coffee-chat
title: After a coffee chat
flags:
  remote: "Was it online?"
steps:
  - id: say-thanks
    title: Say thanks to {interviewer}
    why: Courtesy.
    due: "+3h"
    per_interviewer: true
  - id: pay-the-bill
    title: Offer to pay
    why: They gave you their time.
    due: "0"
    when: not remote
  - id: connect
    title: Connect online
    due: "+1d"
"""


def test_checklist_from_a_path(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "coffee-chat.yaml"
    path.write_text(CUSTOM, encoding="utf-8")
    data = new_json(run, "--checklist", str(path), "-i", "Ana López")
    assert data["checklist"] == "coffee-chat"
    assert data["flags"] == {"remote": False}
    assert step_ids(data) == ["say-thanks", "pay-the-bill", "connect"]
    steps = {step["id"]: step for step in data["steps"]}
    assert steps["say-thanks"]["title"] == "Say thanks to Ana López"
    assert steps["say-thanks"]["due"] == "2026-11-28T18:00:00+01:00"
    assert steps["connect"]["due"] == "2026-11-29T15:00:00+01:00"
    assert steps["connect"]["why"] == ""

    remote = new_json(run, "--checklist", str(path), "--flag", "remote")
    assert step_ids(remote) == ["say-thanks", "connect"]
    # The built-in flags are not this checklist's flags.
    result = run("new", "--company", "Acme", "--role", "Analyst", "--checklist", str(path), "--flag", "video")
    assert result.exit_code == 2, result.output


def test_invalid_checklist_file_is_an_error_and_saves_nothing(run: Run, tmp_path: Path, home: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(CUSTOM.replace('    due: "+1d"', '    due: "+1d"\n    colour: red'), encoding="utf-8")
    result = run("new", "--company", "Acme", "--role", "Analyst", "--checklist", str(path))
    assert result.exit_code == 1, result.output
    assert "colour" in result.stderr
    assert "Traceback" not in result.output
    assert not (home / "followup.json").exists()


# --- --done ------------------------------------------------------------------------


def test_done_ticks_steps_by_id_and_by_number(run: Run) -> None:
    data = new_json(run, "--done", "shake-hands", "--done", "1")
    status = {step["id"]: step["status"] for step in data["steps"]}
    assert status == {
        "thank-interviewer": "done",
        "shake-hands": "done",
        "greet-staff": "pending",
        "write-letter": "pending",
        "mail-letter": "pending",
    }
    for step in data["steps"]:
        if step["status"] == "done":
            assert datetime.fromisoformat(step["done_at"]) == datetime.fromisoformat(NOW)
            assert step["overdue"] is False
    # And it was saved that way.
    again = json.loads(run("show", data["id"], "--json").stdout)
    assert [s["status"] for s in again["steps"]] == [s["status"] for s in data["steps"]]


def test_unknown_done_step_saves_nothing(run: Run, home: Path) -> None:
    result = run("new", "--company", "Acme", "--role", "Analyst", "--done", "shake-hands", "--done", "hug")
    assert result.exit_code == 1, result.output
    assert "hug" in result.stderr
    assert "shake-hands" in result.stderr and "thank-interviewer" in result.stderr  # the valid steps
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert not (home / "followup.json").exists()

    # Nor with an interview already in the store.
    new_json(run)
    before = (home / "followup.json").read_bytes()
    result = run("new", "--company", "Globex", "--role", "Analyst", "--done", "99")
    assert result.exit_code == 1, result.output
    assert (home / "followup.json").read_bytes() == before
    assert [i["id"] for i in stored(run)] == ["acme-1128"]


# --- the decision is close ------------------------------------------------------------


def test_close_decision_warns_about_the_mailed_letter_and_suggests_email(run: Run) -> None:
    # Decision on Monday 30 Nov: a letter needs two business days, so it was due on Thursday.
    result = run(
        "new",
        "--company",
        "Acme",
        "--role",
        "Analyst",
        "-i",
        "Ana López",
        "-i",
        "Bo Chen",
        "--decision-by",
        "2026-11-30",
    )
    assert result.exit_code == 0, result.output
    messages = squash(result.stderr)
    assert "added acme-1128 (Acme, Analyst)" in messages
    assert "mail-letter" in messages
    assert "email" in messages.split("mail-letter", 1)[1]
    # One warning for the letters to both interviewers, not one per person.
    assert messages.count("warning: mail-letter") == 1
    # Mailing needed Thu 26 Nov, before the interview (now): the letter is due at its start,
    # and the warning quotes that, never a time before the interview.
    assert "Sat 28 Nov 15:00" in messages and "Thu 26 Nov" not in messages
    data = json.loads(run("show", "acme-1128", "--json").stdout)
    mail = {s["id"]: s for s in data["steps"]}["mail-letter-ana"]
    assert mail["due"] == data["at"] == "2026-11-28T15:00:00+01:00"


def test_a_distant_decision_gives_no_warning(run: Run) -> None:
    result = run("new", "--company", "Acme", "--role", "Analyst", "--decision-by", "2026-12-18")
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
    assert result.stderr.splitlines() == ["added acme-1128 (Acme, Analyst)"]


def test_close_decision_warning_does_not_pollute_json(run: Run) -> None:
    result = run("new", "--company", "Acme", "--role", "Analyst", "--decision-by", "2026-11-30", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == "acme-1128"
    assert "mail-letter" in result.stderr


# --- ids ------------------------------------------------------------------------------


def test_ids_are_unique_for_the_same_company_on_the_same_day(run: Run) -> None:
    ids = [new_json(run)["id"] for _ in range(3)]
    assert ids == ["acme-1128", "acme-1128-2", "acme-1128-3"]
    other_day = new_json(run, "--at", "2026-11-27 10:00")["id"]
    assert other_day == "acme-1127"
    assert sorted(i["id"] for i in stored(run)) == sorted([*ids, other_day])


def test_ids_are_short_even_for_long_company_names(run: Run) -> None:
    ids = []
    for _ in range(3):
        result = run(
            "new", "--company", "The International Business Machines Corporation", "--role", "Analyst", "--json"
        )
        assert result.exit_code == 0, result.output
        ids.append(json.loads(result.stdout)["id"])
    assert len(set(ids)) == 3
    for interview_id in ids:
        assert len(interview_id) <= 20, interview_id
        assert interview_id.startswith("the-")
        assert interview_id == interview_id.lower()
        assert " " not in interview_id


def test_ids_of_non_ascii_companies_are_easy_to_type(run: Run) -> None:
    result = run("new", "--company", "Café Müller & Söhne", "--role", "Barista", "--json")
    assert result.exit_code == 0, result.output
    interview_id = json.loads(result.stdout)["id"]
    assert interview_id.isascii()
    assert interview_id.startswith("cafe-muller")
    assert len(interview_id) <= 20
    empty = run("new", "--company", "株式会社", "--role", "Engineer", "--json")
    assert empty.exit_code == 0, empty.output
    assert json.loads(empty.stdout)["id"] == "interview-1128"


def test_ids_stay_within_twenty_characters_past_ninety_nine_on_one_day(run: Run, tmp_path: Path) -> None:
    company = "International Business Machines"
    result = run("new", "--company", company, "--role", "Analyst")
    assert result.exit_code == 0, result.output
    exported = json.loads(run("export").stdout)
    one = exported["interviews"][0]
    assert len(one["id"]) <= 20
    copies = [{**one, "id": one["id"] if n == 1 else f"{one['id']}-{n}"} for n in range(1, 100)]
    path = tmp_path / "many.json"
    path.write_text(json.dumps({**exported, "interviews": copies}), encoding="utf-8")
    imported = run("import", str(path), "--yes")
    assert imported.exit_code == 0, imported.output

    result = run("new", "--company", company, "--role", "Analyst", "--json")
    assert result.exit_code == 0, result.output
    new_id = json.loads(result.stdout)["id"]
    assert len(new_id) <= 20, new_id
    assert new_id not in {copy["id"] for copy in copies}
    assert len({i["id"] for i in stored(run)}) == 100


def test_an_unknown_done_step_names_the_checklist_not_an_id_that_may_be_taken(run: Run) -> None:
    result = run("new", "--company", "Acme", "--role", "Analyst", "--done", "hug")
    assert result.exit_code == 1
    assert "checklist post-interview has no step 'hug'" in result.stderr


def test_an_interview_abroad_is_planned_on_its_own_clock(run: Run) -> None:
    """`+1d` at 10:00 in New York is 10:00 there the next day, whatever TZ says."""
    data = new_json(run, "--at", "2026-11-26T10:00-05:00")
    due = {step["id"]: datetime.fromisoformat(step["due"]) for step in data["steps"]}
    assert due["write-letter"] == datetime.fromisoformat("2026-11-27T10:00:00-05:00")
