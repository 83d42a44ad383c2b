"""`followup new` in a real terminal, answered the way a person would answer it."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from helpers import NOW, Run, script

pexpect = pytest.importorskip("pexpect")

if sys.platform == "win32":  # pragma: no cover
    pytest.skip("pseudo-terminals need a POSIX system", allow_module_level=True)

TIMEOUT = 20  # the first import of dateparser is slow
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def spawn(
    home: Path, *args: str, env_changes: dict[str, str | None] | None = None, dimensions: tuple[int, int] = (50, 100)
) -> Any:
    """`followup ARGS` in a pseudo-terminal; `env_changes` set (or, with None, remove) variables."""
    env = {
        "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin",
        "HOME": str(home.parent),
        "FOLLOWUP_HOME": str(home),
        "FOLLOWUP_NOW": NOW,
        "TZ": "Europe/Berlin",
        "NO_COLOR": "1",
        "COLUMNS": "100",
        "LANG": "C.UTF-8",
        "TERM": "xterm",
    }
    for name, value in (env_changes or {}).items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return pexpect.spawn(
        script(), list(args), env=env, encoding="utf-8", timeout=TIMEOUT, dimensions=dimensions, echo=True
    )


def screen(text: str) -> str:
    return ANSI.sub("", text).replace("\r\n", "\n")


def ask(child: Any, prompt: str, answer: str) -> None:
    child.expect_exact(prompt)
    child.sendline(answer)


def test_new_asks_for_everything_in_a_terminal(home: Path, run: Run) -> None:
    child = spawn(home, "new")
    try:
        ask(child, "Company:", "Globex")
        ask(child, "Role:", "Data analyst")
        ask(child, "Interviewers, separated by commas", "Ana López, Bo Chen")
        # Each one's email address after the names: a typo is asked again, Enter skips.
        ask(child, "Email address of Ana López (Enter to skip)", "ana@globex")
        child.expect_exact("'ana@globex' is not an email address")
        ask(child, "Email address of Ana López (Enter to skip)", "ana@globex.example")
        ask(child, "Email address of Bo Chen (Enter to skip)", "")
        ask(child, "When did the interview start?", "tomorroww at noonish")
        # A typo is asked again, with an example of what works, instead of ending the command.
        child.expect_exact("cannot read 'tomorroww at noonish'")
        child.expect_exact("for example: 2026-11-28 14:00")  # a valid date to copy
        ask(child, "When did the interview start?", "today 10:00")
        ask(child, "Were you late, or was the interview rescheduled?", "y")
        ask(child, "Was it a video or phone interview?", "n")
        ask(child, "When will they decide?", "next friday")
        ask(child, "A personal note for the letter", "We talked about sailing in Kiel")
        # A panel: a note per interviewer, Enter for the interview's note.
        ask(child, "Note for Ana López (Enter to use the interview's note)", "Her move from Lisbon")
        ask(child, "Note for Bo Chen (Enter to use the interview's note)", "")
        # Then, for each step already due (10:00 and 10:30, before 15:00), whether it was done.
        asked = []
        answers = {
            "Thank the interviewer for the opportunity": "y",
            "Thank them for their patience and for accommodating you": "n",
            "Shake hands as you leave": "",  # Enter: the default is yes
            "Greet the staff on your way out": "y",
        }
        while True:
            index = child.expect([r"Already done: ([^\r\n]*)\? \[Y/n\]", pexpect.EOF])
            if index == 1:
                break
            title = child.match.group(1)
            asked.append(title)
            child.sendline(answers[title])
        output = screen(child.before)
    finally:
        child.close()
    assert child.exitstatus == 0, output
    assert asked == list(answers)  # in checklist order, and no step that is not yet due

    # The screen shows the new interview and says what was added.
    assert "Globex · Data analyst" in output
    assert "with Ana López, Bo Chen" in output
    assert "note: We talked about sailing in Kiel" in output
    assert "Write a thank-you letter to Bo Chen" in output
    assert "added globex-1128 (Globex, Data analyst)" in output
    assert "Traceback" not in output

    # And the store holds the answers.
    shown = run("show", "globex-1128", "--json")
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    assert data["company"] == "Globex"
    assert data["role"] == "Data analyst"
    assert data["interviewers"] == ["Ana López", "Bo Chen"]
    assert [c["email"] for c in data["contacts"]] == ["ana@globex.example", None]
    assert data["at"] == "2026-11-28T10:00:00+01:00"
    assert data["flags"] == {"late": True, "video": False}
    assert data["decision_by"] == "2026-12-04T23:59:59+01:00"
    assert data["notes"] == "We talked about sailing in Kiel"
    assert data["interviewer_notes"] == {"Ana López": "Her move from Lisbon"}
    assert data["checklist"] == "post-interview"
    status = {step["id"]: step["status"] for step in data["steps"]}
    assert status == {
        "thank-interviewer": "done",
        "thank-patience": "pending",
        "shake-hands": "done",
        "greet-staff": "done",
        "write-letter-ana": "pending",
        "write-letter-bo": "pending",
        "mail-letter-ana": "pending",
        "mail-letter-bo": "pending",
        "checkin": "pending",
    }
    overdue = [step["id"] for step in data["steps"] if step["overdue"]]
    assert overdue == ["thank-patience"]


def test_only_missing_answers_are_asked_and_empty_means_unknown(home: Path, run: Run) -> None:
    child = spawn(home, "new", "--role", "Analyst", "--flag", "video", "--at", "now")
    try:
        ask(child, "Company:", "  ")  # blank: asked again
        ask(child, "Company:", "Acme")
        ask(child, "Interviewers, separated by commas", "")
        # --at and --flag video were given: not asked; late still is.
        index = child.expect_exact(["When did the interview start?", "Were you late"])
        assert index == 1, "the start time was given with --at"
        child.sendline("")  # the default: no
        ask(child, "When will they decide?", "")
        ask(child, "A personal note for the letter", "")
        child.expect_exact("Already done: Thank the interviewer for the opportunity?")
        child.sendline("n")
        child.expect(pexpect.EOF)
        output = screen(child.before)
    finally:
        child.close()
    assert child.exitstatus == 0, output
    assert "Was it a video" not in output
    assert "added acme-1128 (Acme, Analyst)" in output

    data = json.loads(run("show", "acme-1128", "--json").stdout)
    assert data["interviewers"] == []
    assert data["flags"] == {"late": False, "video": True}
    assert data["decision_by"] is None
    assert data["notes"] is None
    assert [step["id"] for step in data["steps"]] == ["thank-interviewer", "write-letter", "email-letter"]
    assert all(step["status"] == "pending" for step in data["steps"])


def test_giving_up_at_a_question_saves_nothing(home: Path) -> None:
    child = spawn(home, "new")
    try:
        ask(child, "Company:", "Acme")
        child.expect_exact("Role:")
        child.sendintr()
        child.expect(pexpect.EOF)
        output = screen(child.before)
    finally:
        child.close()
    assert child.exitstatus == 1, output
    assert "aborted; nothing changed" in output
    assert "Traceback" not in output
    assert not (home / "followup.json").exists()


# --- colour and width in a real terminal ---------------------------------------------


def output_of(child: Any) -> tuple[str, int]:
    try:
        child.expect(pexpect.EOF)
        raw = child.before.replace("\r\n", "\n")
    finally:
        child.close()
    return raw, child.exitstatus


def demo_week(home: Path) -> None:
    from datetime import datetime

    from followup.demo import fill

    fill(home, datetime.fromisoformat(NOW), "Europe/Berlin")


SGR = re.compile(r"\x1b\[[0-9;]*m")


def test_a_terminal_gets_colour_unless_asked_not_to(home: Path) -> None:
    demo_week(home)
    coloured = {"NO_COLOR": None, "TERM": "xterm-256color"}
    raw, status = output_of(spawn(home, "due", env_changes=coloured))
    assert status == 0, raw
    assert "\x1b[1;31m!" in raw and "\x1b[31m3d overdue" in raw  # overdue: a red glyph and time
    assert "\x1b[33m○" in raw  # due within a day: yellow
    for args, changes in (
        (["--no-color", "due"], coloured),
        (["--no-color"], coloured),
        (["due"], {**coloured, "NO_COLOR": "1"}),
    ):
        raw, status = output_of(spawn(home, *args, env_changes=changes))
        assert status == 0, raw
        assert not SGR.search(raw), (args, raw)
        assert "!  3d overdue" in raw, (args, raw)  # the glyph says it without colour


@pytest.mark.parametrize("columns", [40, 80])
def test_the_dashboard_fits_the_terminal_it_runs_in(home: Path, columns: int) -> None:
    demo_week(home)
    # No COLUMNS: the width comes from the terminal itself.
    raw, status = output_of(spawn(home, env_changes={"COLUMNS": None}, dimensions=(30, columns)))
    assert status == 0, raw
    lines = screen(raw).splitlines()
    assert lines[0].startswith("4 open interviews")
    assert max(len(line) for line in lines) <= columns, raw
    assert any(line.startswith("next: followup done acme-corp-1124") for line in lines)


def test_a_pdf_is_not_written_to_a_terminal_but_is_to_a_pipe(home: Path, run: Run, tmp_path: Path) -> None:
    demo_week(home)
    raw, status = output_of(spawn(home, "letter", "acme", "--format", "pdf", "--out", "-"))
    assert status == 2, raw
    assert "a PDF is not for the terminal" in raw and "%PDF" not in raw
    piped = run("letter", "acme", "--format", "pdf", "--out", "-")  # CliRunner: not a terminal
    assert piped.exit_code == 0 and piped.stdout_bytes.startswith(b"%PDF-")
