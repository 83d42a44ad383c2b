"""`followup letter`: a thank-you letter per interviewer, from a template.

The clock is Saturday 28 November 2026, 15:00 in Berlin (see conftest.py);
the interviews below took place the day before.
"""

from __future__ import annotations

import io
import json
import os
import shlex
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from followup.letters import PLACEHOLDER, Letter, out_paths
from followup.render import Renderer
from helpers import NOW, Run, add_interview, run_followup

FRIDAY = "2026-11-27 10:00"
ON_FRIDAY = {"role": "Data analyst", "at": FRIDAY}  # how this module's interviews are made
DASHES = "-" * 72


@pytest.fixture(autouse=True)
def no_editor_or_name(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("VISUAL", "EDITOR", "FOLLOWUP_NAME"):
        monkeypatch.delenv(name, raising=False)


def note_of(run: Run, interview: str) -> str | None:
    note = json.loads(run("show", interview, "--json").stdout)["notes"]
    return str(note) if note is not None else None


# --- what the letter says ------------------------------------------------------------------


def test_a_mailed_letter_by_default_with_date_names_and_the_personal_note(run: Run) -> None:
    acme = add_interview(
        run, "Acme Corp", "-i", "Ana López", "--note", "I enjoyed hearing about your move from Lisbon.", **ON_FRIDAY
    )
    result = run("letter", acme)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "28 November 2026"  # the date line: today
    assert lines[2] == "Dear Ana López,"
    assert "on Friday 27 November to talk about the Data analyst position at Acme Corp." in lines[4]
    assert lines[6] == "I enjoyed hearing about your move from Lisbon."
    assert "Subject:" not in result.stdout
    assert lines[-4:] == ["Yours sincerely,", "", "", "_" * 30]  # a line to sign on
    paragraphs = result.stdout.split("Dear Ana López,\n\n", 1)[1].split("\n\nYours sincerely,")[0].split("\n\n")
    assert len(paragraphs) == 3
    assert result.stderr == ""


def test_followup_name_signs_the_letter(run: Run) -> None:
    acme = add_interview(run, "Acme Corp", "-i", "Ana López", "--note", "Thanks for the tour.", **ON_FRIDAY)
    result = run("letter", acme, env={"FOLLOWUP_NAME": "Sam Okafor"})
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-4:] == ["Yours sincerely,", "", "", "Sam Okafor"]
    assert "_" * 30 not in result.stdout


def test_an_email_after_a_video_interview_with_its_subject(run: Run) -> None:
    acme = add_interview(
        run, "Acme Corp", "-i", "Ana López", "--flag", "video", "--note", "Good luck with the launch.", **ON_FRIDAY
    )
    result = run("letter", acme, env={"FOLLOWUP_NAME": "Sam Okafor"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Subject: Thank you for the Data analyst interview"
    assert lines[2] == "Dear Ana López,"
    assert lines[-2:] == ["Best regards,", "Sam Okafor"]
    [letter] = json.loads(run("letter", acme, "--json").stdout)
    assert letter["subject"] == "Thank you for the Data analyst interview"
    assert letter["template"] == "email"
    assert letter["text"].startswith("Dear Ana López,\n")  # the subject is its own field
    assert "Good luck with the launch." in letter["text"]


def test_the_template_can_be_chosen(run: Run) -> None:
    acme = add_interview(run, "Acme Corp", "-i", "Ana López", "--note", "x", **ON_FRIDAY)
    result = run("letter", acme, "--template", "email")
    assert result.stdout.startswith("Subject: ")
    assert json.loads(run("letter", acme, "-t", "mail", "--json").stdout)[0]["subject"] is None


def test_the_date_is_the_interview_day_where_it_took_place(run: Run) -> None:
    # 23:30 in London on Friday is half past midnight on Saturday in Berlin, where the
    # letter is written; the interview took place on Friday, and that is what the letter says.
    result = run("new", "--company", "Acme", "--role", "Analyst", "--at", "2026-11-27T23:30:00+00:00", "--note", "x")
    assert result.exit_code == 0, result.output
    assert "meet with me on Friday 27 November to talk" in run("letter", "acme").stdout


def test_an_interview_in_tokyo_written_up_from_los_angeles_keeps_the_tokyo_day(run: Run) -> None:
    # Friday 9:00 in Tokyo is Thursday 16:00 in Los Angeles.
    result = run("new", "--company", "Acme", "--role", "Analyst", "--at", "2026-11-27T09:00:00+09:00", "--note", "x")
    assert result.exit_code == 0, result.output
    letter = run("letter", "acme", env={"TZ": "America/Los_Angeles"})
    assert letter.exit_code == 0, letter.output
    assert "meet with me on Friday 27 November to talk" in letter.stdout


def test_the_year_is_named_when_the_interview_was_in_another_one(run: Run) -> None:
    add_interview(run, "Acme", "--note", "x", at="2025-12-30 10:00")
    assert "on Tuesday 30 December 2025 to talk" in run("letter", "acme").stdout


def test_one_letter_to_the_hiring_team_without_interviewers(run: Run) -> None:
    acme = add_interview(run, "Acme Corp", "--note", "x", **ON_FRIDAY)
    result = run("letter", acme, "--json")
    [letter] = json.loads(result.stdout)
    assert letter["interviewer"] == "the hiring team"
    assert "Dear hiring team,\n" in letter["text"]


def test_a_letter_per_interviewer_with_a_header_each_and_dashes_between(run: Run) -> None:
    acme = add_interview(run, "Acme Corp", "-i", "Ana López", "-i", "Bo Chen", "--note", "x", **ON_FRIDAY)
    result = run("letter", acme)
    assert result.exit_code == 0, result.output
    first, second = result.stdout.split(DASHES + "\n")
    assert first.startswith("To Ana López (mail):\n") and "Dear Ana López," in first
    assert second.startswith("To Bo Chen (mail):\n") and "Dear Bo Chen," in second


def test_json_is_a_list_of_letters(run: Run) -> None:
    acme = add_interview(run, "Acme Corp", "-i", "Ana López", "-i", "Bo Chen", "--note", "x", **ON_FRIDAY)
    result = run("letter", acme, "--json")
    assert result.exit_code == 0, result.output
    letters = json.loads(result.stdout)
    assert [set(letter) for letter in letters] == [{"interviewer", "subject", "text", "template"}] * 2
    assert [letter["interviewer"] for letter in letters] == ["Ana López", "Bo Chen"]
    assert all(letter["subject"] is None and letter["template"] == "mail" for letter in letters)


# --- --to --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("to", ["Bo Chen", "bo", "BO C", "chen"])
def test_to_picks_one_interviewer_by_an_unambiguous_start_of_the_name(run: Run, to: str) -> None:
    acme = add_interview(run, "Acme Corp", "-i", "Ana López", "-i", "Bo Chen", "--note", "x", **ON_FRIDAY)
    result = run("letter", acme, "--to", to, "--json")
    assert result.exit_code == 0, result.output
    assert [letter["interviewer"] for letter in json.loads(result.stdout)] == ["Bo Chen"]


def test_an_unknown_to_lists_the_interviewers(run: Run) -> None:
    acme = add_interview(run, "Acme Corp", "-i", "Ana López", "-i", "Bo Chen", "--note", "x", **ON_FRIDAY)
    result = run("letter", acme, "--to", "Carla")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "no interviewer 'Carla'" in result.stderr and "Ana López, Bo Chen" in result.stderr


def test_an_ambiguous_to_names_the_matches(run: Run) -> None:
    acme = add_interview(run, "Acme Corp", "-i", "Ana López", "-i", "Anton Berg", "--note", "x", **ON_FRIDAY)
    result = run("letter", acme, "--to", "an")
    assert result.exit_code == 1
    assert "several interviewers: Ana López, Anton Berg" in result.stderr


def test_to_without_interviewers_says_the_letter_goes_to_the_team(run: Run) -> None:
    acme = add_interview(run, "Acme Corp", "--note", "x", **ON_FRIDAY)
    result = run("letter", acme, "--to", "ana")
    assert result.exit_code == 1
    assert "the hiring team" in result.stderr


def test_an_unknown_interview_is_an_error(run: Run) -> None:
    result = run("letter", "nope")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no interview matches 'nope'")


# --- --out ---------------------------------------------------------------------------------------


def test_out_writes_the_letter_and_says_so(run: Run, tmp_path: Path) -> None:
    acme = add_interview(run, "Acme Corp", "-i", "Ana López", "--note", "x", **ON_FRIDAY)
    out = tmp_path / "thanks.txt"
    result = run("letter", acme, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == f"wrote the letter to Ana López to {out}\n"
    assert out.read_text(encoding="utf-8") == json.loads(run("letter", acme, "--json").stdout)[0]["text"]
    assert out.stat().st_mode & 0o777 == 0o600  # a new file is its owner's only


def test_out_files_hold_no_control_characters_a_terminal_would_obey(run: Run, tmp_path: Path) -> None:
    # C0 controls other than tab and newline are refused on input (tests/test_invariants.py): C1 ones remain.
    acme = add_interview(
        run, "Acme Corp", "-i", "Ana López", "--note", "nel:\x85 osc:\x9d0;x\x9c csi:\x9b1m tab:\t.", **ON_FRIDAY
    )
    out = tmp_path / "thanks.txt"
    assert run("letter", acme, "--out", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "csi:\\x9b1m" in text and "tab:\t." in text  # control characters shown, not obeyed; tabs kept
    assert not any((ord(c) < 32 and c not in "\t\n") or 0x7F <= ord(c) <= 0x9F for c in text)
    assert text == json.loads(run("letter", acme, "--json").stdout)[0]["text"]


def test_out_writes_a_file_per_interviewer_named_after_each(run: Run, tmp_path: Path) -> None:
    acme = add_interview(run, "Acme Corp", "-i", "Ana López", "-i", "Bo Chen", "--note", "x", **ON_FRIDAY)
    out = tmp_path / "thanks.txt"
    result = run("letter", acme, "--out", str(out))
    assert result.exit_code == 0, result.output
    ana, bo = tmp_path / "thanks-ana.txt", tmp_path / "thanks-bo.txt"
    assert result.stderr == f"wrote 2 letters: to Ana López in {ana}, to Bo Chen in {bo}\n"
    assert "Dear Ana López," in ana.read_text(encoding="utf-8")
    assert "Dear Bo Chen," in bo.read_text(encoding="utf-8")
    assert not out.exists()


def test_out_names_a_file_for_a_name_without_latin_letters_and_says_whose_each_is(run: Run, tmp_path: Path) -> None:
    # Such names used to slug to nothing: files `thanks-1.txt`, `thanks-2.txt` and a line that named no one.
    panel = ("李明", "王芳", "Ολγα Παππά", "محمد", "🙂")
    acme = add_interview(run, "Acme Corp", *(f"-i{name}" for name in panel), "--note", "x", **ON_FRIDAY)
    result = run("letter", acme, "--out", str(tmp_path / "thanks.txt"))
    assert result.exit_code == 0, result.output
    files = [tmp_path / f"thanks-{tag}.txt" for tag in ("李明", "王芳", "ολγα", "محمد", "interviewer-5")]
    each = ", ".join(f"to {name} in {path}" for name, path in zip(panel, files, strict=True))
    assert result.stderr == f"wrote 5 letters: {each}\n"
    for name, path in zip(panel, files, strict=True):
        assert f"Dear {name}," in path.read_text(encoding="utf-8")
    assert sorted(tmp_path.glob("thanks*")) == sorted(files)


def test_out_into_a_missing_folder_is_an_error(run: Run, tmp_path: Path) -> None:
    acme = add_interview(run, "Acme Corp", "-i", "Ana López", "--note", "x", **ON_FRIDAY)
    result = run("letter", acme, "--out", str(tmp_path / "nowhere" / "thanks.txt"))
    assert result.exit_code == 1
    assert "nothing written" in result.stderr


def test_file_names_for_a_panel() -> None:
    def letters(*names: str) -> list[Letter]:
        return [Letter(name, "mail", "") for name in names]

    out = Path("/x/thanks.txt")
    assert out_paths(out, letters("Ana López")) == [out]
    assert [p.name for p in out_paths(out, letters("Ana López", "Ana Silva", "Bo Chen"))] == [
        "thanks-ana-lopez.txt",
        "thanks-ana-silva.txt",
        "thanks-bo.txt",
    ]
    assert [p.name for p in out_paths(Path("thanks"), letters("Ana", "Ana"))] == ["thanks-ana", "thanks-ana-2"]
    assert [p.name for p in out_paths(out, letters("李明", "李 明", "🙂", "🙃"))] == [
        "thanks-李明.txt",
        "thanks-李.txt",
        "thanks-interviewer-3.txt",
        "thanks-interviewer-4.txt",
    ]

    assert [p.name for p in out_paths(out, letters("王芳", "Bo"))] == ["thanks-王芳.txt", "thanks-bo.txt"]


# --- templates ------------------------------------------------------------------------------------


def user_template(home: Path, name: str, text: str) -> Path:
    folder = home / "letters"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.txt.j2"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_user_template_wins_over_the_built_in_of_that_name(run: Run, home: Path) -> None:
    acme = add_interview(run, "Acme Corp", "-i", "Ana López", "--note", "We both like chess.", **ON_FRIDAY)
    user_template(home, "mail", "Hi {{ first_name }} at {{ company }}! {{ note }}\n")
    result = run("letter", acme)
    assert result.exit_code == 0, result.output
    assert result.stdout == "Hi Ana at Acme Corp! We both like chess.\n"


def test_a_user_template_by_name_and_a_template_by_path(run: Run, home: Path, tmp_path: Path) -> None:
    acme = add_interview(run, "Acme Corp", "-i", "Ana López", "--note", "x", **ON_FRIDAY)
    user_template(home, "short", "Thanks, {{ interviewer }}.\n")
    assert run("letter", acme, "--template", "short").stdout == "Thanks, Ana López.\n"
    elsewhere = tmp_path / "mine.txt.j2"
    elsewhere.write_text("{{ role }} on {{ date }}\n", encoding="utf-8")
    result = run("letter", acme, "--template", str(elsewhere), "--json")
    assert json.loads(result.stdout)[0]["text"] == "Data analyst on Friday 27 November\n"


def test_an_unknown_template_lists_the_available_ones(run: Run, home: Path) -> None:
    acme = add_interview(run, "Acme Corp", "--note", "x", **ON_FRIDAY)
    user_template(home, "short", "x\n")
    result = run("letter", acme, "--template", "fancy")
    assert result.exit_code == 1
    assert "no letter template named 'fancy' (available: checkin, email, mail, short)" in result.stderr


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("Dear {{ interviewer }},\n\n{% if named %}\nno end\n", 3, "Unexpected end of template"),
        ("x\nDear {{ interviewer },\n", 2, "unexpected '}'"),
        ("Dear {{ interviewer }},\n\n{{ compnay }}\n", 3, "'compnay' is undefined"),
        ("Dear {{ interviewer }},\n{{ interviewer.upper().nope }}\n", 2, "has no attribute 'nope'"),
        ("x\n{{ 1 // 0 }}\n", 2, "division"),
        ("{{ ''.__class__.__mro__ }}\n", 1, "__class__"),  # sandboxed: no way out to Python
    ],
)
def test_a_broken_template_is_an_error_naming_the_file_and_line(
    run: Run, home: Path, text: str, line: int, message: str
) -> None:
    acme = add_interview(run, "Acme Corp", "-i", "Ana López", **ON_FRIDAY)
    path = user_template(home, "mail", text)
    result = run("letter", acme)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"error: {path}, line {line}: "), result.stderr
    assert message in first
    assert "Traceback" not in result.stderr


def test_a_broken_template_asks_nothing_and_saves_nothing(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    acme = add_interview(run, "Acme Corp", "-i", "Ana López", **ON_FRIDAY)
    user_template(home, "mail", "{{ nope }}\n")
    monkeypatch.setattr("followup.cli.letter.interactive", lambda: True)
    result = run("letter", acme, input="a note\n")
    assert result.exit_code == 1
    assert "Personal note" not in result.stderr
    assert note_of(run, acme) is None


def test_a_template_that_is_not_utf8_is_an_error(run: Run, home: Path) -> None:
    acme = add_interview(run, "Acme Corp", "--note", "x", **ON_FRIDAY)
    path = user_template(home, "mail", "")
    path.write_bytes(b"Dear \xff\n")
    result = run("letter", acme)
    assert result.exit_code == 1
    assert f"{path}: not UTF-8" in result.stderr


# --- the personal note ----------------------------------------------------------------------------


def test_without_a_note_or_a_terminal_a_marked_placeholder_and_a_warning(run: Run) -> None:
    acme = add_interview(run, "Acme Corp", "-i", "Ana López", **ON_FRIDAY)
    result = run("letter", acme)
    assert result.exit_code == 0, result.output
    assert PLACEHOLDER == "[add a personal note: something you talked about]"
    assert f"\n\n{PLACEHOLDER}\n\n" in result.stdout
    assert result.stderr.startswith("warning: ")
    assert f"followup edit {acme} --note" in result.stderr
    assert note_of(run, acme) is None


def test_in_a_terminal_it_asks_for_the_note_saves_it_and_undo_takes_it_back(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    acme = add_interview(run, "Acme Corp", "-i", "Ana López", **ON_FRIDAY)
    monkeypatch.setattr("followup.cli.letter.interactive", lambda: True)
    result = run("letter", acme, input="I loved the story of your first product.\n")
    assert result.exit_code == 0, result.output
    assert "Personal note" in result.stderr and "not read as written in advance" in result.stderr
    assert "\n\nI loved the story of your first product.\n\n" in result.stdout
    assert PLACEHOLDER not in result.stdout and "warning" not in result.stderr
    assert f"edited {acme}: note" in result.stderr
    assert note_of(run, acme) == "I loved the story of your first product."
    assert run("undo").exit_code == 0  # journalled like any edit
    assert note_of(run, acme) is None


def test_a_note_set_from_a_second_terminal_while_the_question_waits_is_kept(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import typer

    acme = add_interview(run, "Acme Corp", "-i", "Ana López", **ON_FRIDAY)
    monkeypatch.setattr("followup.cli.letter.interactive", lambda: True)

    def answer_late(*args: object, **kwargs: object) -> str:
        assert run_followup(home, "edit", acme, "--note", "from terminal B").returncode == 0
        return "from terminal A"

    monkeypatch.setattr(typer, "prompt", answer_late)
    result = run("letter", acme)
    assert result.exit_code == 0, result.output
    assert f"warning: {acme} got a note meanwhile" in result.stderr
    assert note_of(run, acme) == "from terminal B"


def test_in_a_terminal_an_empty_answer_leaves_the_placeholder(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    acme = add_interview(run, "Acme Corp", "-i", "Ana López", **ON_FRIDAY)
    monkeypatch.setattr("followup.cli.letter.interactive", lambda: True)
    result = run("letter", acme, input="\n")
    assert result.exit_code == 0, result.output
    assert PLACEHOLDER in result.stdout and "warning: " in result.stderr
    assert note_of(run, acme) is None


def test_with_a_note_nothing_is_asked(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    acme = add_interview(run, "Acme Corp", "-i", "Ana López", "--note", "Chess.", **ON_FRIDAY)
    monkeypatch.setattr("followup.cli.letter.interactive", lambda: True)
    result = run("letter", acme)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


# --- --edit ----------------------------------------------------------------------------------------


def fake_editor(tmp_path: Path, body: str) -> str:
    """An editor command like `code --wait`: a script that records its argv, then runs `body`
    with `path` bound to the file it was given."""
    script = tmp_path / "editor.py"
    script.write_text(
        "import json, pathlib, sys\n"
        f"pathlib.Path({str(tmp_path / 'argv.json')!r}).write_text(json.dumps(sys.argv))\n"
        "path = pathlib.Path(sys.argv[-1])\n" + body + "\n",
        encoding="utf-8",
    )
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))} --wait"


REPLACE = f"path.write_text(path.read_text(encoding='utf-8').replace({PLACEHOLDER!r}, 'We both grew up in Porto.'), encoding='utf-8')"


def test_edit_opens_the_editor_without_a_shell_and_prints_the_edited_letter(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    acme = add_interview(run, "Acme Corp", "-i", "Ana López", **ON_FRIDAY)
    odd = tmp_path / "a;b $(touch pwned) `touch pwned2`"
    odd.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(odd))
    result = run("letter", acme, "--edit", env={"EDITOR": fake_editor(tmp_path, REPLACE)})
    assert result.exit_code == 0, result.output
    assert "We both grew up in Porto." in result.stdout and PLACEHOLDER not in result.stdout
    assert "warning" not in result.stderr  # the placeholder was replaced in the editor
    argv = json.loads((tmp_path / "argv.json").read_text())
    assert argv[1] == "--wait" and Path(argv[2]).parent == odd  # the file is one more argument
    assert not list(Path.cwd().glob("pwned*")) and not list(tmp_path.glob("pwned*"))
    assert not list(odd.iterdir()), "the draft file is removed"


def test_visual_wins_over_editor(run: Run, tmp_path: Path) -> None:
    acme = add_interview(run, "Acme Corp", "-i", "Ana López", **ON_FRIDAY)
    env = {"VISUAL": fake_editor(tmp_path, REPLACE), "EDITOR": "false"}
    result = run("letter", acme, "--edit", env=env)
    assert result.exit_code == 0, result.output
    assert "Porto" in result.stdout


def test_edit_writes_the_edited_text_to_out(run: Run, tmp_path: Path) -> None:
    acme = add_interview(run, "Acme Corp", "-i", "Ana López", **ON_FRIDAY)
    out = tmp_path / "thanks.txt"
    result = run("letter", acme, "--edit", "--out", str(out), env={"EDITOR": fake_editor(tmp_path, REPLACE)})
    assert result.exit_code == 0, result.output
    assert "Porto" in out.read_text(encoding="utf-8")


def test_a_failing_editor_writes_nothing(run: Run, tmp_path: Path) -> None:
    acme = add_interview(run, "Acme Corp", "-i", "Ana López", **ON_FRIDAY)
    out = tmp_path / "thanks.txt"
    editor = fake_editor(tmp_path, REPLACE + "\nsys.exit(3)")
    result = run("letter", acme, "--edit", "--out", str(out), env={"EDITOR": editor})
    assert result.exit_code == 1
    assert "exited with status 3; nothing written" in result.stderr
    assert not out.exists() and result.stdout == ""


def test_a_failing_editor_does_not_save_the_note_typed_before(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    acme = add_interview(run, "Acme Corp", "-i", "Ana López", **ON_FRIDAY)
    monkeypatch.setattr("followup.cli.letter.interactive", lambda: True)
    result = run("letter", acme, "--edit", input="A note.\n", env={"EDITOR": fake_editor(tmp_path, "sys.exit(1)")})
    assert result.exit_code == 1
    assert note_of(run, acme) is None  # a failed command leaves the store as it was


def test_an_editor_that_cannot_be_run_is_an_error(run: Run, tmp_path: Path) -> None:
    acme = add_interview(run, "Acme Corp", "-i", "Ana López", **ON_FRIDAY)
    result = run("letter", acme, "--edit", env={"EDITOR": str(tmp_path / "no-such-editor")})
    assert result.exit_code == 1
    assert "cannot run the editor" in result.stderr and "nothing written" in result.stderr


def test_an_unreadable_editor_command_is_an_error(run: Run) -> None:
    acme = add_interview(run, "Acme Corp", "-i", "Ana López", **ON_FRIDAY)
    result = run("letter", acme, "--edit", env={"EDITOR": "vim 'unclosed"})
    assert result.exit_code == 1
    assert "cannot read the editor command" in result.stderr


def test_an_unchanged_draft_writes_nothing(run: Run, tmp_path: Path) -> None:
    acme = add_interview(run, "Acme Corp", "-i", "Ana López", "--note", "x", **ON_FRIDAY)
    out = tmp_path / "thanks.txt"
    result = run("letter", acme, "--edit", "--out", str(out), env={"EDITOR": fake_editor(tmp_path, "pass")})
    assert result.exit_code == 0, result.output
    assert "unchanged, nothing written" in result.stderr
    assert not out.exists() and result.stdout == ""


def test_an_emptied_draft_writes_nothing(run: Run, tmp_path: Path) -> None:
    acme = add_interview(run, "Acme Corp", "-i", "Ana López", "--note", "x", **ON_FRIDAY)
    editor = fake_editor(tmp_path, "path.write_text('')")
    result = run("letter", acme, "--edit", "--json", env={"EDITOR": editor})
    assert result.exit_code == 0, result.output
    assert "left empty, nothing written" in result.stderr
    assert json.loads(result.stdout) == []


# --- a terminal never obeys the letter's control characters ----------------------------------------


def test_on_a_terminal_control_characters_are_shown_not_obeyed(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    renderer = Renderer(datetime(2026, 11, 28, 15, tzinfo=ZoneInfo("Europe/Berlin")), ZoneInfo("Europe/Berlin"))
    text = "Dear \x1b[2J\x1b]0;pwned\x07Ana,\r\n\tindented\u202e\n"
    renderer.letters([Letter("Ana", "mail", text)], terminal=True)
    assert out.getvalue() == "Dear \\x1b[2J\\x1b]0;pwned\\x07Ana,\n\tindented\\u202e\n"
    out.truncate(0)
    out.seek(0)
    renderer.letters([Letter("Ana", "mail", text)], terminal=False)
    assert out.getvalue() == text  # a pipe gets the text exactly


def test_control_characters_are_escaped_in_the_letter_itself(run: Run) -> None:
    # JSON would escape them anyway, but its text is what a script writes to a file.
    acme = add_interview(run, "Acme Corp", "-i", "Ana López", "--note", "nel:\x85 clear:\x9b2J tab:\tend", **ON_FRIDAY)
    text = json.loads(run("letter", acme, "--json").stdout)[0]["text"]
    assert "nel:\\x85 clear:\\x9b2J tab:\tend" in text
    piped = run("letter", acme).stdout
    assert not any((ord(char) < 32 and char not in "\n\t") or 0x7F <= ord(char) <= 0x9F for char in piped)


# --- in a real terminal -----------------------------------------------------------------------------


def spawn_letter(home: Path, *args: str) -> Any:
    pexpect = pytest.importorskip("pexpect")
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "FOLLOWUP_HOME": str(home),
        "FOLLOWUP_NOW": NOW,
        "TZ": "Europe/Berlin",
        "NO_COLOR": "1",
        "LANG": "C.UTF-8",
        "TERM": "xterm",
    }
    script = str(Path(sys.executable).parent / "followup")
    return pexpect.spawn(script, ["letter", *args], env=env, encoding="utf-8", timeout=20, dimensions=(50, 100))


def test_in_a_real_terminal_it_asks_for_the_note_and_shows_control_characters(run: Run, home: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    acme = add_interview(run, "Acme Corp", "-i", "Ana López", **ON_FRIDAY)
    child = spawn_letter(home, acme)
    child.expect_exact("written in advance")
    child.sendline("Thanks for the \x9b31mred\x9b0m tour.")  # an ESC is refused: a C1 CSI is escaped
    child.expect_exact("Dear Ana López,")  # past the terminal's echo of the answer
    child.expect_exact("Yours sincerely,")
    letter = child.before
    assert "\nThanks for the \\x9b31mred\\x9b0m tour.\r\n" in letter
    assert "\x9b31m" not in letter
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert note_of(run, acme) == "Thanks for the \x9b31mred\x9b0m tour."


def test_the_variables_a_template_sees_are_the_documented_ones(run: Run) -> None:
    from followup.letters import VARIABLES, fields
    from followup.store.core import Store

    acme = add_interview(run, "Acme Corp", "-i", "Ana López", **ON_FRIDAY)
    interview = Store(Path(os.environ["FOLLOWUP_HOME"])).read().open[acme]
    zone = ZoneInfo("Europe/Berlin")
    values = fields(interview, "Ana López", note=None, your_name="", now=datetime(2026, 11, 28, tzinfo=zone), zone=zone)
    assert tuple(values) == VARIABLES
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Thank-you letters", 1)[1].split("\n## ", 1)[0]
    assert all(f"`{name}`" in section for name in VARIABLES)
