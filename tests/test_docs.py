"""Docs that cannot drift: every command, including any added later, has a
one-line summary, help for each option, an example that still parses, and a
place in the README's command table; and every row of that table names a real
command. The command tree is walked from the Typer app itself.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer

from followup.cli.app import app
from helpers import Run

README = Path(__file__).resolve().parents[1] / "README.md"
ROOT: Any = typer.main.get_command(app)
SHELL_OPERATORS = {"|", "||", "&&", ";"}


def subcommands(command: Any) -> dict[str, Any]:
    """A group's commands by name, as click finds them (the root builds each on demand)."""
    if not hasattr(command, "list_commands"):
        return {}
    context = command.make_context(command.name or "followup", [], resilient_parsing=True)
    return {name: command.get_command(context, name) for name in command.list_commands(context)}


def walk(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    for name, sub in subcommands(command).items():
        if not sub.hidden:
            yield (*path, name), sub
            yield from walk(sub, (*path, name))


COMMANDS = list(walk(ROOT))
IDS = [" ".join(path) for path, _ in COMMANDS]
EVERY = [((), ROOT), *COMMANDS]
EVERY_IDS = ["followup", *IDS]


def examples(command: Any) -> list[str]:
    """The lines of the `Examples:` (or `Example:`) block, which must follow a `\\b`
    line so that click prints it verbatim instead of re-wrapping it."""
    lines = (command.help or "").splitlines()
    for index, line in enumerate(lines):
        if line.strip() in ("Examples:", "Example:"):
            assert index > 0 and lines[index - 1].strip() == "\b", "put a \\b line before the examples"
            found = []
            for example in lines[index + 1 :]:
                if not example.strip():
                    break
                found.append(example.strip())
            return found
    return []


def parse(example: str) -> tuple[str, ...]:
    """Parse an example as the real command line would be parsed, without running
    it; the path of the command it reaches. A renamed option or command fails here."""
    words = shlex.split(example)
    for index, word in enumerate(words):
        if word in SHELL_OPERATORS:
            words = words[:index]
            break
    assert words[0] == "followup", example
    command, path = ROOT, []
    context = command.make_context("followup", words[1:])
    while getattr(context, "_protected_args", None):  # what a group leaves for its subcommand
        rest = [*context._protected_args, *context.args]
        name, command, rest = command.resolve_command(context, rest)
        path.append(name)
        context = command.make_context(name, rest, parent=context)
    return tuple(path)


def command_table() -> list[str]:
    section = README.read_text(encoding="utf-8").split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| `followup")]


def named_in(row: str) -> list[list[str]]:
    """The command words of every `followup ...` code span in a table row."""
    return [span.split()[1:] for span in re.findall(r"`(followup(?: [^`]*)?)`", row)]


def test_the_walk_finds_subcommands_and_new_commands() -> None:
    assert {"new", "due", "demo", "checklists", "checklists show", "checklists validate"} <= set(IDS)


@pytest.mark.parametrize(("path", "command"), EVERY, ids=EVERY_IDS)
def test_every_command_has_a_one_line_summary(path: tuple[str, ...], command: Any) -> None:
    text = (command.help or "").strip()
    assert text, f"followup {' '.join(path)} has no help: give it a docstring"
    summary = text.split("\n\n", 1)[0]
    assert "\n" not in summary, f"the summary of followup {' '.join(path)} must be one line: {summary!r}"
    assert summary.endswith("."), summary


@pytest.mark.parametrize(("path", "command"), EVERY, ids=EVERY_IDS)
def test_every_option_and_argument_is_explained(path: tuple[str, ...], command: Any) -> None:
    silent = [param.name for param in command.params if not getattr(param, "help", None)]
    assert not silent, f"followup {' '.join(path)}: no help for {silent}"


@pytest.mark.parametrize(("path", "command"), EVERY, ids=EVERY_IDS)
def test_every_command_has_an_example_that_still_parses(path: tuple[str, ...], command: Any) -> None:
    found = examples(command)
    assert found, f"followup {' '.join(path)} has no Examples: block in its help"
    for example in found:
        reached = parse(example)
        assert reached[: len(path)] == path, f"{example!r} is not an example of followup {' '.join(path)}"


@pytest.mark.parametrize("path", [path for path, _ in EVERY], ids=EVERY_IDS)
def test_help_shows_the_examples_verbatim(run: Run, path: tuple[str, ...]) -> None:
    result = run(*path, "--help")
    assert result.exit_code == 0, result.output
    shown = [line.strip() for line in result.stdout.splitlines()]
    for example in examples(dict(EVERY)[path]):
        assert example in shown, f"{example!r} was re-wrapped in the help"


@pytest.mark.parametrize("path", [path for path, _ in COMMANDS], ids=IDS)
def test_every_command_is_in_the_readme_command_table(path: tuple[str, ...]) -> None:
    spans = [words for row in command_table() for words in named_in(row)]
    assert any(words[: len(path)] == list(path) for words in spans), (
        f"add `followup {' '.join(path)}` to the command table in README.md"
    )


def test_every_row_of_the_readme_command_table_is_a_real_command() -> None:
    rows = command_table()
    assert len(rows) >= len(subcommands(ROOT)) // 2, "the command table was not found"
    for row in rows:
        first_cell = row.split(" | ", 1)[0]
        for words in named_in(first_cell):
            command = ROOT
            for word in words:
                if not re.fullmatch(r"[a-z][a-z-]*", word):
                    break  # an argument or option: ID, --yes
                commands = subcommands(command)
                assert word in commands, f"README.md names `followup {' '.join(words)}`, which does not exist"
                command = commands[word]


@pytest.mark.parametrize(
    ("example", "error"),
    [("followup due --wihin 3d", "No such option"), ("followup lst", "No such command"), ("followup show", "Missing")],
)
def test_a_stale_example_is_caught(example: str, error: str) -> None:
    with pytest.raises(typer.TyperException, match=error):
        parse(example)
