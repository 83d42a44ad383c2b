"""Terminals as they come: narrow ones, ones whose width is unknown, and ones that
cannot show Unicode. A narrow table never cuts a number and says which columns
it left out; `COLUMNS=0` means "unknown" (80), not zero; an ASCII or Latin-1
output gets ASCII glyphs and escaped user text, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from followup.cli.app import app
from followup.demo import fill
from helpers import NOW, Run

VIEWS = {
    "dashboard": [],
    "list": ["list", "--all"],
    "show": ["show", "acme"],
    "due": ["due"],
    "checklists": ["checklists"],
    "checklists-show": ["checklists", "show", "post-interview"],
    "stats": ["stats"],
    "doctor": ["doctor"],
}
UNICODE_GLYPHS = "✓○–·—…✗"


@pytest.fixture(autouse=True)
def demo_week(home: Path) -> None:
    fill(home, datetime.fromisoformat(NOW), "Europe/Berlin")


def ok(run: Run, *args: str, env: dict[str, str] | None = None) -> tuple[str, str]:
    result = run(*args, env=env)
    assert result.exit_code in (0, 3), result.output
    return result.stdout, result.stderr


# --- narrow terminals ---------------------------------------------------------------------------


def test_a_narrow_list_says_which_columns_it_left_out(run: Run) -> None:
    out, err = ok(run, "list", env={"COLUMNS": "40"})
    header = out.splitlines()[0]
    assert "date" not in header and "company" not in header
    assert "hidden at this width: company and role, date, overdue steps" in err
    assert "--json" in err
    _, wide_err = ok(run, "list", env={"COLUMNS": "200"})
    assert "hidden" not in wide_err
    assert "hidden" not in out, "the note is a message, on stderr: stdout stays the rows alone"


def test_a_narrow_due_says_the_date_was_left_out(run: Run) -> None:
    _, err = ok(run, "due", env={"COLUMNS": "40"})
    assert "hidden at this width: date and time" in err
    assert "hidden" not in ok(run, "due", env={"COLUMNS": "120"})[1]


@pytest.mark.parametrize("width", [20, 30, 40, 60])
def test_stats_never_cuts_a_number(run: Run, width: int) -> None:
    out, _ = ok(run, "stats", env={"COLUMNS": str(width)})
    words = " ".join(out.split())
    assert "…" not in out
    data = json.loads(run("stats", "--json").stdout)
    assert f"{data['letters']['on_time']} of {data['letters']['counted']} (67%)" in words
    offers = data["offers"]["after_on_time"]
    assert f"{offers['offers']} of {offers['closed']} closed (100%)" in words
    assert "(median)" in words


@pytest.mark.parametrize("width", [20, 30])
def test_ids_stay_whole_at_any_width(run: Run, width: int) -> None:
    out, _ = ok(run, "list", "--all", env={"COLUMNS": str(width)})
    for interview in json.loads(run("list", "--all", "--json").stdout):
        assert interview["id"] in out


# --- a width that is not one ----------------------------------------------------------------------


@pytest.mark.parametrize("columns", ["0", "", "abc", "-3", "99999999"])
@pytest.mark.parametrize("name", ["list", "due", "stats", "checklists", "dashboard"])
def test_an_unknown_width_means_80(run: Run, home: Path, name: str, columns: str) -> None:
    args = VIEWS[name]
    expected, _ = ok(run, *args, env={"COLUMNS": "80"})
    out, _ = ok(run, *args, env={"COLUMNS": columns})
    assert out == expected
    assert out.strip()
    # A line that names a path is left whole for copying.
    assert max(cell_len(line) for line in out.splitlines() if str(home) not in line) <= 80


def test_due_check_keeps_its_last_line_without_a_width(run: Run) -> None:
    result = run("due", "--check", env={"COLUMNS": "0"})
    assert result.exit_code == 3
    assert "overdue" in result.stdout.splitlines()[-1]


# --- outputs that cannot show Unicode -------------------------------------------------------------


@pytest.mark.parametrize("charset", ["ascii", "latin-1"])
@pytest.mark.parametrize("name", list(VIEWS))
def test_a_narrow_encoding_gets_ascii_glyphs_and_no_traceback(name: str, charset: str) -> None:
    runner = CliRunner(charset=charset)
    result = runner.invoke(app, VIEWS[name], catch_exceptions=False)
    assert result.exit_code in (0, 3), result.output
    out = result.stdout_bytes.decode(charset)
    assert out.strip()
    assert not set(out) & set(UNICODE_GLYPHS), out


def test_ascii_list_shows_states_with_ascii_glyphs() -> None:
    result = CliRunner(charset="ascii").invoke(app, ["list", "--all"], catch_exceptions=False)
    lines = {line.split()[0]: line.split()[1] for line in result.stdout.splitlines()[1:] if line.strip()}
    assert lines["acme-corp-1124"] == "!"
    assert lines["globex-1127"] == "o"
    assert lines["hooli-1122"] == "+"


def call(*args: str, home: Path, encoding: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FOLLOWUP_HOME": str(home), "PYTHONIOENCODING": encoding}
    return subprocess.run(
        [sys.executable, "-m", "followup", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def test_user_text_the_encoding_cannot_hold_is_escaped_and_a_new_interview_is_saved_once(home: Path) -> None:
    made = call("new", "--company", "Café Ünïcode 日本", "--role", "Ingénieur — ✓", home=home, encoding="ascii")
    assert made.returncode == 0, made.stderr
    assert "Traceback" not in made.stderr
    listed = call("list", home=home, encoding="ascii")
    assert listed.returncode == 0, listed.stderr
    assert "Caf\\xe9" in listed.stdout or "Caf\\u00e9" in listed.stdout
    shown = call("show", "cafe", home=home, encoding="ascii")
    assert shown.returncode == 0, shown.stderr
    assert "\\u65e5" in shown.stdout  # 日, escaped
    companies = [item["company"] for item in json.loads(call("list", "--json", home=home, encoding="utf-8").stdout)]
    assert companies.count("Café Ünïcode 日本") == 1


def test_an_error_naming_user_text_never_fails_to_print(home: Path) -> None:
    result = call("show", "日本", home=home, encoding="ascii")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ")
