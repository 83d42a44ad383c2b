"""What keeps the daily commands quick, checked without timing anything: what
they import, what they read, and that the faster ways give the same output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from followup.cli import without_pydantic_plugins
from followup.escape import json_member, json_text
from followup.store import core
from helpers import MAIN_RETURNS, Run, add_interview, environment, loaded_by

# Imported by filelock (15-20 ms), by pydantic's plugin loader (25-35 ms, with the reading
# of every installed distribution's metadata) and by importlib.resources (zipfile, 10 ms):
# no daily command needs any of them.
SLOW_TO_IMPORT = {"filelock", "importlib.metadata", "importlib.resources", "zipfile"}


def daily_commands(acme: str) -> list[list[str]]:
    return [
        ["show", acme],
        ["show", acme, "--json"],
        ["list", "--all", "--json"],
        ["done", acme, "1"],
        ["skip", acme, "2"],
        ["undo"],
        ["edit", acme, "--note", "They asked about the release process."],
        ["new", "-c", "Initech", "-r", "Analyst", "-i", "Bo Chen", "--at", "2026-11-27 15:00", "--flag", "video"],
        ["letter", acme],
        ["checklists"],
        ["close", acme, "--outcome", "offer"],
    ]


def test_no_daily_command_imports_what_it_does_not_need(run: Run, home: Path, tmp_path: Path) -> None:
    acme = add_interview(run, "Acme", "-i", "Ana Lopez")
    commands = daily_commands(acme)
    commands.append(["export", "--out", str(tmp_path / "backup.json")])
    for command in commands:
        out, status, modules = loaded_by(command, home)
        assert status in (0, None), (command, out)
        assert not SLOW_TO_IMPORT & modules, (command, sorted(SLOW_TO_IMPORT & modules))


def test_done_builds_no_checklist_model(run: Run, home: Path) -> None:
    """Checklist models are built when a checklist is first read (`defer_build`): not by a
    change made the validating way (`--json` prints the interview as its model has it)."""
    acme = add_interview(run, "Acme")
    probe = MAIN_RETURNS + (
        "import sys\nfrom followup.cli import main\nsys.argv = ['followup', 'done', sys.argv[1], '1', '--json']\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "from followup.models import Checklist, ChecklistStep, Interview\n"
        "print(Interview.__pydantic_complete__, Checklist.__pydantic_complete__, ChecklistStep.__pydantic_complete__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, acme], env=environment(home), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-3:] == ["True", "False", "False"]


@pytest.mark.parametrize("command", [["show", "{acme}"], ["done", "{acme}", "1"], ["due"]])
def test_a_command_runs_without_the_cyclic_collector(run: Run, home: Path, command: list[str]) -> None:
    """Start-up makes a great many objects and no garbage (see `followup.cli.main`)."""
    acme = add_interview(run, "Acme")
    probe = MAIN_RETURNS + (
        "import gc, sys\nfrom followup.cli import main\nsys.argv = ['followup', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "print('collector on:', gc.isenabled())\n"
    )
    argv = [part.format(acme=acme) for part in command]
    done = subprocess.run(
        [sys.executable, "-c", probe, *argv], env=environment(home), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "collector on: False"


def test_the_plugin_stand_in_is_what_pydantic_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pydantic imports `get_plugins` from this module when it builds a validator: if an
    upgrade moves it, the stand-in goes unused, and the test above fails too."""
    monkeypatch.delitem(sys.modules, "pydantic.plugin._loader", raising=False)
    without_pydantic_plugins()
    from pydantic.plugin._schema_validator import create_schema_validator

    assert sys.modules["pydantic.plugin._loader"].get_plugins() == ()

    class Probe(BaseModel):
        name: str

    assert Probe(name="x").name == "x"
    assert "followup" in (sys.modules["pydantic.plugin._loader"].__doc__ or "")
    assert create_schema_validator.__module__ == "pydantic.plugin._schema_validator"


def test_new_reads_no_interview_to_look_for_a_twin(run: Run, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The twin check reads the open interviews' summaries, not their files."""
    for company in ("Acme", "Globex", "Initech"):
        add_interview(run, company)
    read: list[str] = []
    loader = core.load_interview
    monkeypatch.setattr(core, "load_interview", lambda data, key: read.append(key) or loader(data, key))
    result = run("new", "-c", "Hooli", "-r", "Analyst", "--at", "2026-11-27 15:00")
    assert result.exit_code == 0, result.output
    assert read == []
    twin = run("new", "-c", "hooli", "-r", "Other", "--at", "2026-11-27 15:00")
    assert twin.exit_code == 0, twin.output
    assert "is already an interview with Hooli" in twin.stderr
    assert read == []


# --- the serialiser of export and list --json ------------------------------------------------

TEXT = st.text(st.characters(exclude_categories=["Cs"]))  # every character JSON text can hold
LEAF = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | TEXT


def _nested(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4)


DATA = st.recursive(LEAF, _nested, max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(DATA, st.integers(1, 3))
def test_json_member_writes_what_json_dumps_wrote(data: Any, depth: int) -> None:
    """`json_text` still writes with json.dumps: `json_member` must write the same, indented."""
    pad = "  " * depth
    assert json_member(data, depth) == pad + json_text(data)[:-1].replace("\n", "\n" + pad)


def test_json_member_of_text_json_cannot_encode_is_as_before() -> None:
    lone = {"note": "\ud800"}
    assert json_member(lone) == "  " + json.dumps(lone, ensure_ascii=False, indent=2).replace("\n", "\n  ")
