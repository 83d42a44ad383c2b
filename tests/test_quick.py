"""The launcher's quick path: plain `followup` and `followup due` answered without
Typer, with exactly the output and exit status the Typer application gives."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from followup.cli.quick import answer, recognise
from helpers import Run, add_interview, loaded_by, script

Outcome = tuple[str, str, int]


def quick(argv: list[str], capsys: pytest.CaptureFixture[str]) -> Outcome:
    """stdout, stderr and exit status of the quick path, run in this process."""
    assert recognise(argv) is not None, argv
    capsys.readouterr()
    status = answer(argv)
    assert status is not None
    out, err = capsys.readouterr()
    return out, err, status


def via_typer(run: Run, argv: list[str]) -> Outcome:
    result = run(*argv)
    return result.stdout, result.stderr, result.exit_code


# --- store states ----------------------------------------------------------------


def empty(run: Run) -> None:
    """No store at all."""


def closed_only(run: Run) -> None:
    assert run("close", add_interview(run, "Acme"), "--outcome", "rejected").exit_code == 0


def mixed(run: Run) -> None:
    """Overdue steps, a step done, steps due in the next days, a closed interview."""
    add_interview(run, "Acme", "--at", "2026-11-20 10:00", "--done", "shake-hands")
    add_interview(run, "Beta", "--at", "2026-11-28 09:00")
    assert run("close", add_interview(run, "Gamma", "--at", "2026-11-25 11:00"), "--outcome", "offer").exit_code == 0


def many(run: Run) -> None:
    """More pending steps than a screenful."""
    for n in range(15):
        add_interview(run, f"Company {n}", "--at", f"2026-11-{14 + n:02d} {8 + n % 5:02d}:{n:02d}")


def markup(run: Run) -> None:
    add_interview(run, "[red]x[/]", "--at", "2026-11-27 10:00")
    add_interview(run, "[bold]Acme[/bold] \\[not]", "--at", "2026-11-28 10:00")


STATES: list[Callable[[Run], None]] = [empty, closed_only, mixed, many, markup]

RECOGNISED = [
    [],
    ["--no-color"],
    ["due"],
    ["due", "--json"],
    ["due", "--all"],
    ["due", "-a", "--json"],
    ["due", "--check"],
    ["due", "--within", "3d"],
    ["due", "-w", "12h", "--check"],
    ["due", "--within=2d", "--json"],
    ["--no-color", "due", "--all"],
    ["due", "--json", "--within", "0d"],
    ["due", "--check", "--json", "-a", "-w", "1d"],
    ["--no-color", "due", "--within", "30m", "--check", "--all"],
    ["due", "-w", "2bd", "-a"],
]


@pytest.mark.parametrize("state", STATES, ids=lambda state: state.__name__)
@pytest.mark.parametrize("argv", RECOGNISED, ids=lambda argv: " ".join(argv) or "(none)")
def test_the_quick_path_answers_as_typer_does(
    run: Run, capsys: pytest.CaptureFixture[str], state: Callable[[Run], None], argv: list[str]
) -> None:
    state(run)
    expected = via_typer(run, argv)
    assert quick(argv, capsys) == expected
    assert expected[0], "every recognised command line prints something"


def test_the_states_reach_every_exit_status_and_a_screenful(run: Run, capsys: pytest.CaptureFixture[str]) -> None:
    """The matrix above is worth something: overdue steps, --check's 3, a cut-off list."""
    mixed(run)
    out, _, status = quick(["due", "--check"], capsys)
    assert status == 3
    assert "overdue" in out
    many(run)
    short, everything = quick(["due"], capsys)[0], quick(["due", "--all"], capsys)[0]
    assert len(short.splitlines()) < len(everything.splitlines())


def test_markup_in_a_company_prints_literally(run: Run, capsys: pytest.CaptureFixture[str]) -> None:
    markup(run)
    companies = {item["company"] for item in json.loads(quick(["due", "--json"], capsys)[0])}
    assert companies == {"[red]x[/]", "[bold]Acme[/bold] \\[not]"}


@pytest.mark.parametrize("argv", [["due"], ["--no-color", "due"], [], ["--no-color"]])
def test_in_colour_the_quick_path_answers_as_typer_does(
    run: Run, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    mixed(run)
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    expected = via_typer(run, argv)
    assert quick(argv, capsys) == expected
    assert ("\x1b[" in expected[0]) is ("--no-color" not in argv)


@pytest.mark.parametrize("columns", ["30", "60", "200"])
@pytest.mark.parametrize("argv", [[], ["due"]], ids=repr)
def test_at_any_width_the_quick_path_answers_as_typer_does(
    run: Run, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: list[str], columns: str
) -> None:
    markup(run)
    monkeypatch.setenv("COLUMNS", columns)
    assert quick(argv, capsys) == via_typer(run, argv)


# --- errors ------------------------------------------------------------------------


def assert_same_error(run: Run, home: Path, capsys: pytest.CaptureFixture[str], argv: list[str], status: int) -> None:
    store = (home / "followup.json").read_bytes()
    expected = via_typer(run, argv)
    assert quick(argv, capsys) == expected
    out, err, code = expected
    assert (out, code) == ("", status)
    assert err.startswith("error: ")
    assert "Traceback" not in err
    assert (home / "followup.json").read_bytes() == store


@pytest.mark.parametrize(
    "argv",
    [
        ["due", "--within", "3x"],
        ["due", "--within", "soon"],
        ["due", "--within=tomorrow", "--json"],
        ["--no-color", "due", "-w", "3x", "--check"],
        ["due", "--within="],
        ["due", "--within", ""],
    ],
)
def test_a_bad_within_is_reported_alike(
    run: Run, home: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    add_interview(run, "Acme")
    assert_same_error(run, home, capsys, argv, status=2)


@pytest.mark.parametrize("variable", ["FOLLOWUP_NOW", "FOLLOWUP_LOCK_TIMEOUT"])
@pytest.mark.parametrize("argv", [[], ["due"], ["due", "--json"], ["due", "--check"]])
def test_a_bad_environment_variable_is_reported_alike(
    run: Run,
    home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    variable: str,
) -> None:
    add_interview(run, "Acme")
    monkeypatch.setenv(variable, "the day after never")
    assert_same_error(run, home, capsys, argv, status=2)


@pytest.mark.parametrize("interruption", [EOFError, KeyboardInterrupt])
@pytest.mark.parametrize("argv", [[], ["due"]])
def test_an_interruption_is_reported_alike(
    run: Run,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    interruption: type[BaseException],
) -> None:
    add_interview(run, "Acme")

    def interrupted(*args: object, **options: object) -> None:
        raise interruption

    monkeypatch.setattr("followup.cli.due.show_due", interrupted)
    monkeypatch.setattr("followup.cli.dashboard.show_dashboard", interrupted)
    expected = via_typer(run, argv)
    assert quick(argv, capsys) == expected
    if interruption is EOFError:
        assert expected == ("", "\n\naborted; nothing changed\n", 1)
    else:  # Ctrl-C: quietly, with the status a shell gives SIGINT
        assert expected == ("", "", 130)


# --- what goes to Typer -------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["due", "--help"],
        ["--help"],
        ["-h"],
        ["due", "-h"],
        ["due", "--within"],
        ["due", "-w"],
        ["due", "--all", "--all"],
        ["due", "-a", "--all"],
        ["due", "--json", "--json"],
        ["due", "-w", "3d", "-w", "4d"],
        ["due", "--within=3d", "--within", "4d"],
        ["due", "--within", "--json"],
        ["due", "--within", "-3d"],
        ["due", "--within=-3d"],
        ["due", "--bogus"],
        ["due", "extra"],
        ["due", "--no-color"],
        ["--no-color", "--no-color"],
        ["--no-color", "--no-color", "due"],
        ["list"],
        ["--version"],
        ["--no-color", "list"],
        ["--json"],
        ["DUE"],
    ],
    ids=" ".join,
)
def test_anything_else_is_left_to_typer(argv: list[str]) -> None:
    assert recognise(argv) is None
    assert answer(argv) is None


@pytest.mark.parametrize("variable", ["_FOLLOWUP_COMPLETE", "_FU_COMPLETE"])  # the script, or a link named `fu`
def test_shell_completion_is_left_to_typer(monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    monkeypatch.setenv(variable, "complete_bash")
    assert recognise(["due"]) is None
    assert recognise([]) is None
    assert answer(["due"]) is None


# --- start-up without Typer -----------------------------------------------------------

HEAVY = ("typer", "pydantic", "pydantic_core", "click", "followup.models")


def heavy(modules: set[str]) -> list[str]:
    return [name for name in sorted(modules) if any(name == top or name.startswith(top + ".") for top in HEAVY)]


@pytest.mark.parametrize("argv", [["due"], [], ["--no-color", "due", "-w", "3d", "--json"]], ids=repr)
def test_due_and_the_dashboard_load_neither_typer_nor_pydantic(run: Run, home: Path, argv: list[str]) -> None:
    add_interview(run, "Acme")
    out, status, modules = loaded_by(argv, home)
    assert status == 0
    assert "acme-1128" in out
    assert heavy(modules) == []


def test_what_the_quick_path_does_not_know_loads_typer(run: Run, home: Path) -> None:
    add_interview(run, "Acme")
    out, status, modules = loaded_by(["due", "--help"], home)
    assert status in (0, None)
    assert "Usage" in out
    assert "typer" in modules


# --- the real console script -------------------------------------------------------


@pytest.mark.parametrize("argv", [["due"], ["due", "--check"], []], ids=repr)
def test_the_console_script_answers_as_typer_does(run: Run, argv: list[str]) -> None:
    mixed(run)
    done = subprocess.run(
        [script(), *argv], stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, check=False
    )
    assert (done.stdout, done.stderr, done.returncode) == via_typer(run, argv)


@pytest.mark.parametrize("read_first", [True, False], ids=["after-a-line", "at-once"])
@pytest.mark.parametrize("argv", [["due"], ["due", "--json"], []], ids=repr)
def test_a_closed_pipe_ends_quietly(run: Run, argv: list[str], read_first: bool) -> None:
    """`followup due | head -1`: no traceback, no complaint at exit."""
    many(run)
    with subprocess.Popen(
        [script(), *argv], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        if read_first:
            assert process.stdout.readline()
        process.stdout.close()
        err = process.stderr.read().decode()
        status = process.wait(timeout=60)
    assert status in (0, 1), err
    assert "Traceback" not in err
    assert "BrokenPipe" not in err


# --- --no-color ------------------------------------------------------------------------


@pytest.mark.parametrize("previous", [None, "1", "yes"])
@pytest.mark.parametrize("argv", [["--no-color"], ["--no-color", "due"], ["--no-color", "due", "-w", "bad"]])
def test_no_color_leaves_no_color_as_it_was(
    run: Run, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, previous: str | None, argv: list[str]
) -> None:
    mixed(run)
    if previous is None:
        monkeypatch.delenv("NO_COLOR")
    else:
        monkeypatch.setenv("NO_COLOR", previous)
    quick(argv, capsys)
    assert os.environ.get("NO_COLOR") == previous


@pytest.mark.parametrize("argv", [[], ["due"], ["due", "--all", "--json"], ["due", "-w", "3x"]])
def test_no_color_changes_nothing_when_no_color_is_set(
    run: Run, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    mixed(run)
    assert os.environ["NO_COLOR"] == "1"
    assert quick(["--no-color", *argv], capsys) == quick(argv, capsys)
