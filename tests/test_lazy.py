"""The lazy command line (followup.cli.lazy): a run imports and builds only its
own command, reads options without pydantic's TypeAdapters, and shows no Python
type in any help. These hooks reach into Typer's internals: if an upgrade of
Typer makes one stop taking effect, a test here fails."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer._coercion import build_runtime_param
from typer.core import TyperArgument

from followup.cli import lazy
from followup.cli.app import app
from followup.cli.registry import COMMANDS
from helpers import Run, add_interview, loaded_by

CLI = Path(lazy.__file__).parent
ROOT: Any = typer.main.get_command(app)
# What Typer's own converters load, and the modules of the commands not asked for.
TYPER_CONVERTERS = "typer._adapters"


def everything() -> list[tuple[str, ...]]:
    """Every command path, subcommands included."""
    context = ROOT.make_context("followup", [], resilient_parsing=True)
    paths: list[tuple[str, ...]] = []
    for name in ROOT.list_commands(context):
        command = ROOT.get_command(context, name)
        paths.append((name,))
        paths += [(name, sub) for sub in getattr(command, "commands", {})]
    return paths


@pytest.mark.parametrize(
    "argv",
    [
        ["done", "acme", "1", "--at", "yesterday 18:00", "--note", "posted"],
        ["new", "-c", "Beta", "-r", "Analyst", "-i", "Ana", "-i", "Bo", "-f", "video", "--done", "thank-interviewer"],
        ["edit", "acme", "--role", "Lead", "--no-flag", "video"],
        ["show", "acme", "--json"],
        ["checklists", "show", "post-interview"],
        ["export", "--format", "csv"],
        ["new", "--help"],
        ["--help"],
    ],
    ids=" ".join,
)
def test_options_are_read_without_typers_pydantic_converters(run: Run, home: Path, argv: list[str]) -> None:
    add_interview(run, "Acme", "--at", "2026-11-20 10:00")
    _, status, modules = loaded_by(argv, home)
    assert status in (0, None)
    assert TYPER_CONVERTERS not in modules, "lazy.prepare no longer replaces Typer's converters"


def test_a_command_imports_only_its_own_module(run: Run, home: Path) -> None:
    add_interview(run, "Acme")
    _, _, modules = loaded_by(["show", "acme"], home)
    assert "followup.cli.interviews" in modules
    others = {f"followup.cli.{entry.module}" for entry in COMMANDS.values()} - {"followup.cli.interviews"}
    assert not others & modules
    _, _, modules = loaded_by(["--help"], home)
    assert not {f"followup.cli.{entry.module}" for entry in COMMANDS.values()} & modules


def test_values_reach_the_command_as_typers_converters_give_them(run: Run) -> None:
    result = run("new", "-c", "Acme", "-r", "Analyst", "-i", "Ana López", "-i", "Bo", "-f", "video", "--json")
    assert result.exit_code == 0, result.output
    made = json.loads(result.stdout)
    assert made["interviewers"] == ["Ana López", "Bo"]
    assert made["flags"]["video"] is True


@pytest.mark.parametrize(
    ("annotation", "value"),
    [
        (str, "acme"),
        (str, ""),
        (str, "Ana López"),
        (list[str], ("a", "b c")),
        (list[str], ()),
        (Path, "~/a b.yaml"),
        (bool, True),
        (bool, False),
        (bool, "yes"),
        (bool, "false"),
    ],
    ids=repr,
)
def test_the_plain_converters_agree_with_typers(annotation: Any, value: Any) -> None:
    option = next(param for param in ROOT.params if param.name == "no_color")  # any parameter will do
    descriptor = type(option.type_descriptor)(annotation, option.type_descriptor.parameter_info, None)
    typers = build_runtime_param(descriptor)._coerce_value(value, param=option, ctx=None)
    ours = lazy.PlainParam(descriptor.parameter_info, annotation, lazy._CONVERTERS[annotation])
    assert ours._coerce_value(value, param=option, ctx=None) == typers


def test_every_parameter_of_a_built_command_is_prepared() -> None:
    context = ROOT.make_context("followup", [], resilient_parsing=True)
    for name in ROOT.list_commands(context):
        command = ROOT.get_command(context, name)
        for sub in [command, *getattr(command, "commands", {}).values()]:
            for param in sub.get_params(context):
                assert isinstance(param._runtime_param, lazy.PlainParam), (name, param.name)
                assert type(param) is not TyperArgument, (name, param.name)


@pytest.mark.parametrize("path", [(), *everything()], ids=lambda path: " ".join(("followup", *path)))
def test_no_help_shows_a_python_type(run: Run, path: tuple[str, ...]) -> None:
    result = run(*path, "--help")
    assert result.exit_code == 0, result.output
    # An email address in angle brackets is the `Name <email>` form the help shows, not a type.
    shown = re.findall(r"<(?![^>\s]*@)[^>\s]*>", result.stdout)
    assert not shown, f"followup {' '.join(path)} --help shows {shown}: give the parameter a metavar"


def test_the_summaries_are_the_first_lines_of_the_docstrings() -> None:
    context = ROOT.make_context("followup", [], resilient_parsing=True)
    for name, entry in COMMANDS.items():
        command = lazy.build(name)
        assert command.help.split("\n\n", 1)[0] == entry.summary, f"registry.COMMANDS[{name!r}]"
        assert ROOT.get_command(context, name).name == name


def test_followup_help_lists_every_command_with_its_summary(run: Run) -> None:
    shown = run("--help").stdout.split("Commands:\n", 1)[1]
    listed = [line.split()[0] for line in shown.splitlines() if line.strip()]
    assert listed == list(COMMANDS)


def test_no_command_module_imports_the_app() -> None:
    for path in sorted(CLI.glob("*.py")):
        if path.name == "__init__.py":  # the entry point runs it
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module is not None:
                names = {f"{node.module}.{alias.name}" for alias in node.names}
                assert "followup.cli.app" not in {node.module, *names}, f"{path.name} imports followup.cli.app"
