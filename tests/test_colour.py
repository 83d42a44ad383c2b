"""Colour only on a terminal, and the same colour for the same state in every
command: overdue red, due within a day yellow, done green (its row dimmed),
skipped dim. Every state has a glyph too (✓, a dash, ○, !), so nothing is lost without
colour: under NO_COLOR, in a pipe, or with `followup --no-color`."""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

import pytest
import typer

from followup.cli.app import app
from followup.demo import fill
from helpers import NOW, Run

# A terminal as FORCE_COLOR makes one; NO_COLOR (set for every test) is emptied, which means unset.
TERMINAL = {"FORCE_COLOR": "1", "NO_COLOR": "", "TERM": "xterm-256color"}
PIPE = {"FORCE_COLOR": "", "NO_COLOR": ""}
SGR = re.compile(r"\x1b\[([0-9;]*)m")
RED, YELLOW, GREEN, DIM, BOLD = "31", "33", "32", "2", "1"

COMMANDS = {
    "dashboard": [],
    "list": ["list", "--all"],
    "show": ["show", "acme"],
    "due": ["due"],
    "checklists": ["checklists"],
    "checklists-show": ["checklists", "show", "post-interview"],
}
if "stats" in typer.main.get_command(app).list_commands(None):  # type: ignore[attr-defined,arg-type]
    COMMANDS["stats"] = ["stats"]


@pytest.fixture(autouse=True)
def demo_week(home: Path) -> None:
    """The demo's week at the tests' clock: acme overdue, globex due in 2h and in 2d,
    hooli all done, initech closed."""
    fill(home, datetime.fromisoformat(NOW), "Europe/Berlin")


def styled(text: str) -> list[tuple[set[str], str]]:
    """The text as (SGR codes in force, text) pieces."""
    pieces, codes, start = [], set(), 0
    for match in SGR.finditer(text):
        pieces.append((codes, text[start : match.start()]))
        codes = set(match.group(1).split(";")) - {"0", ""}
        start = match.end()
    pieces.append((codes, text[start:]))
    return [(codes, piece) for codes, piece in pieces if piece]


def codes_of(output: str, token: str, line_with: str | None = None) -> set[str]:
    """The codes `token` is printed with, on the first line holding `line_with` (default: the token)."""
    for line in output.splitlines():
        if (line_with or token) in line:
            for codes, piece in styled(line):
                if token in piece:
                    return codes
    raise AssertionError(f"{token!r} not found on a line with {line_with or token!r}:\n{output}")


def colour(run: Run, *args: str) -> str:
    result = run(*args, env=TERMINAL)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_terminal_gets_colour(run: Run, name: str) -> None:
    assert SGR.search(colour(run, *COMMANDS[name])), f"{name}: FORCE_COLOR should turn colours on"


@pytest.mark.parametrize(
    "how",
    [
        pytest.param(({}, ["--no-color"]), id="--no-color"),
        pytest.param(({"NO_COLOR": "1"}, []), id="NO_COLOR"),
        pytest.param(({**PIPE}, []), id="piped"),
    ],
)
@pytest.mark.parametrize("name", list(COMMANDS))
def test_no_colour_at_all(run: Run, name: str, how: tuple[dict[str, str], list[str]]) -> None:
    env, flags = how
    result = run(*flags, *COMMANDS[name], env={**(TERMINAL if flags or "NO_COLOR" in env else {}), **env})
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout, name
    assert "\x1b" not in result.stderr, name


def test_no_color_is_a_global_option_for_this_run_only(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR")
    plain = run("--no-color", "due", env={"FORCE_COLOR": "1", "TERM": "xterm"})
    assert plain.exit_code == 0, plain.output
    assert "\x1b" not in plain.stdout
    assert "NO_COLOR" not in os.environ, "--no-color must not outlive its command"
    assert "\x1b" in run("due", env={"FORCE_COLOR": "1", "TERM": "xterm"}).stdout
    help_text = run("--help").stdout
    assert "--no-color" in help_text


def test_no_color_after_the_command_name_is_a_usage_error(run: Run) -> None:
    result = run("due", "--no-color")
    assert result.exit_code == 2
    assert "--no-color" in result.stderr


# --- the same state in the same colour, everywhere -------------------------------------


def test_overdue_is_red_everywhere(run: Run) -> None:
    for name in ("dashboard", "due", "show"):
        out = colour(run, *COMMANDS[name])
        assert RED in codes_of(out, "3d overdue"), name
        assert {BOLD, RED} <= codes_of(out, "!", line_with="3d overdue"), name
    listed = colour(run, "list")
    assert {BOLD, RED} <= codes_of(listed, "!", line_with="acme-corp-1124")
    assert RED in codes_of(listed, "3d overdue")
    assert codes_of(listed, "Write a thank-you", line_with="acme-corp-1124") == set(), "only the time is red"


def test_due_within_a_day_is_yellow_and_later_is_plain(run: Run) -> None:
    for name in ("dashboard", "due"):
        out = colour(run, *COMMANDS[name])
        assert YELLOW in codes_of(out, "in 2h"), name
        assert YELLOW in codes_of(out, "○", line_with="in 2h"), name
        assert codes_of(out, "○", line_with="in 2d") == set(), name
    shown = colour(run, "show", "globex")
    assert YELLOW in codes_of(shown, "in 2h")
    assert YELLOW in codes_of(shown, "○", line_with="in 2h")
    assert codes_of(shown, "in 2d") == set()
    listed = colour(run, "list")
    assert YELLOW in codes_of(listed, "○", line_with="globex-1127")


def test_done_is_green_in_a_dimmed_row_and_skipped_is_dim(run: Run) -> None:
    shown = colour(run, "show", "acme")
    assert {GREEN} <= codes_of(shown, "✓", line_with="Shake hands")
    assert DIM in codes_of(shown, "Shake hands")
    assert DIM in codes_of(shown, "–", line_with="Greet the staff")
    assert DIM in codes_of(shown, "Greet the staff")
    listed = colour(run, "list", "--all")
    assert GREEN in codes_of(listed, "✓", line_with="hooli-1122")
    assert {GREEN, DIM} <= codes_of(listed, "✓", line_with="initech-1121")  # closed: the row is dimmed


# --- glyphs: the state without colour ---------------------------------------------------


def row(output: str, holding: str) -> str:
    (line,) = [line for line in output.splitlines() if holding in line]
    return line


def test_every_state_has_a_glyph_without_colour(run: Run) -> None:
    listed = run("list", "--all").stdout
    for interview_id, glyph in (("acme-corp-1124", "!"), ("globex-1127", "○"), ("hooli-1122", "✓")):
        assert re.match(rf"{interview_id} +{glyph}  ", row(listed, interview_id)), interview_id
    assert re.match(r"initech-1121 +✓  ", row(listed, "initech-1121"))
    shown = run("show", "acme").stdout
    assert row(shown, "Thank the interviewer").startswith("1  ✓  ")
    assert row(shown, "Greet the staff").startswith("3  –  ")
    assert row(shown, "Write a thank-you").startswith("4  !  ")
    dashboard = run().stdout
    assert row(dashboard, "in 2h").startswith("○  ")
    assert all(line.startswith("!  ") for line in dashboard.splitlines() if "overdue" in line and "·" not in line)
