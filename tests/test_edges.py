"""Odd environments and hand-edited files: plain errors, never a traceback, nothing lost."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from helpers import Run, add_interview


def test_tz_naming_a_folder_of_zones_falls_back_quietly(run: Run) -> None:
    add_interview(run)
    for command in (["due"], ["list"], ["new", "--company", "B", "--role", "R"]):
        result = run(*command, env={"TZ": "America"})
        assert result.exit_code == 0, result.output


@pytest.mark.parametrize("when", ["9999-12-31", "0001-01-01 10:00", "in 900 years"])
def test_dates_at_the_edge_of_the_calendar_are_a_usage_error(run: Run, home: Path, when: str) -> None:
    result = run("new", "--company", "A", "--role", "R", "--at", when, env={"TZ": "America/New_York"})
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: --at:")
    assert not (home / "followup.json").exists()


def test_a_home_that_cannot_be_created_is_a_plain_error(run: Run) -> None:
    result = run("new", "--company", "A", "--role", "R", env={"FOLLOWUP_HOME": "/proc/no-such/followup"})
    assert result.exit_code == 1
    assert "cannot create the folder /proc/no-such/followup" in result.stderr


def test_a_home_made_by_another_command_meanwhile_is_used(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two first commands at once: both find no folder, and the other one makes it first."""
    real = Path.mkdir

    def made_meanwhile(self: Path, *args: Any, **options: Any) -> None:
        if self == home and not home.exists():
            os.mkdir(home, 0o700)
        real(self, *args, **options)

    monkeypatch.setattr(Path, "mkdir", made_meanwhile)
    result = run("new", "--company", "A", "--role", "R")
    assert result.exit_code == 0, result.output
    assert (home / "followup.json").exists()


def test_a_note_added_later_keeps_when_the_step_was_done_and_a_new_time_keeps_the_note(run: Run) -> None:
    acme = add_interview(run)
    assert run("done", acme, "1", "--note", "firm handshake").exit_code == 0
    first = json.loads(run("show", acme, "--json").stdout)["steps"][0]
    later = {"FOLLOWUP_NOW": "2026-11-29T10:00:00+01:00"}
    assert run("done", acme, "1", "--note", "and a smile", env=later).exit_code == 0
    step = json.loads(run("show", acme, "--json").stdout)["steps"][0]
    assert (step["done_at"], step["note"]) == (first["done_at"], "and a smile")
    # A new time, after the interview's start (15:00), keeps the note.
    assert run("done", acme, "1", "--at", "2026-11-28 17:00", env=later).exit_code == 0
    step = json.loads(run("show", acme, "--json").stdout)["steps"][0]
    assert step["note"] == "and a smile" and step["done_at"].startswith("2026-11-28T17:00")


def name_its_file_twice(home: Path) -> None:
    """A hand-edited store of today's format that names the interview's file twice."""
    store = home / "followup.json"
    named = b'"acme-1128": "acme-1128.1.json"'
    assert named in store.read_bytes()
    store.write_bytes(store.read_bytes().replace(named, named + b", " + named))


def hold_it_twice_in_format_1(home: Path) -> None:
    """A store of format 1, which held the interviews themselves, with the interview twice."""
    store = home / "followup.json"
    data = json.loads(store.read_bytes())
    (name,) = data.pop("files").values()
    interview = json.loads((home / "interviews" / name).read_bytes())["interview"]
    store.write_text(json.dumps({**data, "version": 1, "interviews": [interview, interview]}))
    (home / "pending.json").unlink()


@pytest.mark.parametrize(
    "twice",
    [pytest.param(name_its_file_twice, id="hand-edited"), pytest.param(hold_it_twice_in_format_1, id="format-1")],
)
def test_an_interview_twice_in_the_store_is_damage_not_a_silent_loss(
    run: Run, home: Path, twice: Callable[[Path], None]
) -> None:
    add_interview(run)
    twice(home)
    store = home / "followup.json"
    before = store.read_bytes()
    for command in (["list"], ["new", "--company", "B", "--role", "R"]):
        result = run(*command)
        assert result.exit_code == 1
        assert "'acme-1128' appears twice" in result.stderr
    assert store.read_bytes() == before


def test_a_damaged_journal_makes_undo_a_plain_error(run: Run, home: Path) -> None:
    add_interview(run)
    assert run("done", "acme", "1").exit_code == 0
    store = home / "followup.json"
    data = json.loads(store.read_bytes())
    data["journal"][-1]["before"][0]["interview"] = {"id": "acme-1128"}
    store.write_text(json.dumps(data))
    before = store.read_bytes()
    result = run("undo")
    assert result.exit_code == 1
    assert "undo journal" in result.stderr and "Traceback" not in result.output
    assert store.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "not valid JSON"),
        (None, "zone"),
    ],
)
def test_bad_imports_change_nothing(run: Run, home: Path, tmp_path: Path, content: str | None, message: str) -> None:
    add_interview(run)
    if content is None:
        data = json.loads(run("export").stdout)
        data["interviews"][0]["zone"] = "Mars/Olympus"
        content = json.dumps(data)
    path = tmp_path / "import.json"
    path.write_text(content)
    before = (home / "followup.json").read_bytes()
    result = run("import", str(path), "--yes")
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert (home / "followup.json").read_bytes() == before


def test_an_unreadable_checklist_folder_is_a_plain_error(run: Run, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = home / "checklists"
    folder.mkdir(parents=True)
    real = Path.iterdir

    def refuse(path: Path):  # type: ignore[no-untyped-def]
        if path == folder:
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(Path, "iterdir", refuse)
    result = run("checklists")
    assert result.exit_code == 1
    assert f"cannot read the checklist folder {folder}" in result.stderr
