"""Plain `followup`: a dashboard of what is overdue and due soon, and the command
to run next; a three-line welcome when there is nothing yet."""

from __future__ import annotations

import json
import shlex
from datetime import datetime
from pathlib import Path

import pytest

from conftest import NOW, Run, loaded_by
from followup.demo import fill
from followup.store.core import Store
from followup.views import DASHBOARD_ROWS


def demo_store(home: Path) -> list[str]:
    return fill(home, datetime.fromisoformat(NOW), "Europe/Berlin")


def pending(run: Run) -> list[dict[str, object]]:
    result = run("due", "--json")
    assert result.exit_code == 0, result.output
    items: list[dict[str, object]] = json.loads(result.stdout)
    return items


def next_command(output: str) -> list[str]:
    (line,) = [line for line in output.splitlines() if line.startswith("next: ")]
    return shlex.split(line.removeprefix("next: "))


def test_with_nothing_recorded_it_welcomes_in_three_lines(run: Run, home: Path) -> None:
    result = run()
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 3, result.stdout
    for command in ("followup new", "followup demo", "followup --help"):
        assert any(line.startswith(command + " ") for line in lines), command
    assert "Usage:" not in result.stdout
    assert result.stderr == ""
    assert not home.exists(), "looking must not create the store"


def test_with_only_closed_interviews_it_points_to_them(run: Run) -> None:
    assert run("new", "--company", "Acme", "--role", "Analyst").exit_code == 0
    assert run("close", "acme", "--outcome", "rejected").exit_code == 0
    result = run()
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 3
    assert "followup list --all" in result.stdout
    assert "followup new" in result.stdout


def test_the_dashboard_shows_overdue_then_due_soon_and_what_to_do_next(run: Run, home: Path) -> None:
    demo_store(home)
    items = pending(run)
    overdue = [item for item in items if item["overdue"]]
    assert overdue and len(overdue) < len(items)
    result = run()
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("4 open interviews · 2 overdue · 5 due in the next 3 days"), lines[0]
    rows = [line for line in lines if line[:1] in ("!", "○")]
    marks = [row[0] for row in rows]
    assert marks == ["!"] * len(overdue) + ["○"] * DASHBOARD_ROWS  # overdue first, a few of each
    for row, item in zip(rows, [*overdue, *items[len(overdue) :]], strict=False):
        assert str(item["interview"]) in row and str(item["title"])[:20] in row
    assert "3 more pending: `followup due` shows every one" in lines  # with the two check-ins
    # The one command to run next: done with the most urgent step.
    assert next_command(result.stdout) == ["followup", "done", overdue[0]["interview"], overdue[0]["step"]]
    assert next_command(result.stdout) == ["followup", "done", "acme-corp-1124", "write-letter"]


def test_the_suggested_command_works_and_the_next_one_follows(run: Run, home: Path) -> None:
    demo_store(home)
    for _ in range(3):
        command = next_command(run().stdout)
        most_urgent = pending(run)[0]
        assert command[2:] == [most_urgent["interview"], most_urgent["step"]]
        done = run(*command[1:])
        assert done.exit_code == 0, done.output
    assert len(pending(run)) == 9 - 3  # 7 steps and the check-ins of acme and globex


def test_steps_due_later_are_counted_and_still_suggested(run: Run) -> None:
    assert run("new", "--company", "Far", "--role", "Analyst", "--at", "2026-12-10 10:00").exit_code == 0
    result = run()
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "1 open interview · nothing due in the next 3 days"
    assert not any(line[:1] in ("!", "○") for line in lines)
    assert f"{len(pending(run))} more pending: `followup due` shows every one" in lines
    assert next_command(result.stdout) == ["followup", "done", "far-1210", "thank-interviewer"]


def test_when_every_step_is_done_it_says_so(run: Run) -> None:
    assert run("new", "--company", "Acme", "--role", "Analyst", "--flag", "video").exit_code == 0
    assert run("done", "acme", "1", "2", "3").exit_code == 0
    result = run()
    assert result.exit_code == 0, result.output
    assert "Every step is done or skipped" in result.stdout
    assert "followup new" in result.stdout
    assert "next: " not in result.stdout


def test_help_is_still_one_flag_away(run: Run) -> None:
    for args in (["--help"], ["-h"]):
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert "Usage: followup" in result.stdout
        assert "followup demo" in result.stdout  # the examples


def test_the_dashboard_reads_only_the_pending_index(run: Run, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    demo_store(home)
    expected = run().stdout

    def refuse(self: Store) -> None:
        raise AssertionError("the whole store was read")

    monkeypatch.setattr(Store, "read", refuse)
    assert run().stdout == expected


@pytest.mark.parametrize("store", [True, False], ids=["store", "first-run"])
def test_the_dashboard_loads_no_models(home: Path, store: bool) -> None:
    """Our models, the whole store, YAML and dateparser stay unloaded."""
    if store:
        demo_store(home)
    out, _, modules = loaded_by([], home)
    assert "followup.cli.dashboard" in modules, sorted(modules)
    assert not {"followup.models", "followup.store.core", "yaml", "dateparser"} & modules
    assert ("next: followup done" if store else "followup demo") in out
