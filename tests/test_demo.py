"""`followup demo`: a realistic week of interviews in a new temporary store,
never the user's own, with the commands that explore it."""

from __future__ import annotations

import json
import re
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from followup import demo
from followup.errors import FollowupError
from followup.store.core import Store
from followup.when import zone_named
from helpers import NOW, Run, add_interview


@pytest.fixture
def temp_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the demo's temporary folders go in these tests."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def demo_home(output: str) -> Path:
    (match,) = re.findall(r"^  export FOLLOWUP_HOME=(\S+)$", output, re.MULTILINE)
    return Path(match)


def interviews(run: Run, home: Path) -> list[dict[str, Any]]:
    result = run("list", "--all", "--json", env={"FOLLOWUP_HOME": str(home)})
    assert result.exit_code == 0, result.output
    data: list[dict[str, Any]] = json.loads(result.stdout)
    return data


def test_demo_fills_a_new_folder_and_leaves_your_store_alone(run: Run, home: Path, temp_root: Path) -> None:
    add_interview(run, "Mine", role="Real job")
    before = (home / "followup.json").read_bytes()
    result = run("demo")
    assert result.exit_code == 0, result.output
    place = demo_home(result.stdout)
    assert place.parent == temp_root and place.name.startswith("followup-demo-")
    assert (place / "followup.json").is_file()
    assert (home / "followup.json").read_bytes() == before
    # The dashboard of the demo store, then how to explore it.
    assert result.stdout.startswith("4 open interviews · ")
    assert "To explore this demo store (your own interviews are untouched):" in result.stdout
    for command in ("followup list", "followup due", "followup show acme-corp-1124"):
        assert f"\n  {command}\n" in result.stdout


def test_every_command_it_prints_works_on_the_demo_store(run: Run, temp_root: Path) -> None:
    result = run("demo")
    place = demo_home(result.stdout)
    commands = re.findall(r"^  (followup[^\n]*)$", result.stdout, re.MULTILINE)
    assert len(commands) == 4
    for command in commands:
        shown = run(*command.split()[1:], env={"FOLLOWUP_HOME": str(place)})
        assert shown.exit_code == 0, (command, shown.output)
        assert shown.stdout.strip()
        if command.startswith("followup show "):
            assert "\n4  !  Write a thank-you letter" in shown.stdout  # the most urgent interview


def test_two_demos_never_share_a_folder(run: Run, temp_root: Path) -> None:
    first, second = (demo_home(run("demo").stdout) for _ in range(2))
    assert first != second


def test_the_demo_week_has_every_state(run: Run, temp_root: Path) -> None:
    place = demo_home(run("demo").stdout)
    data = interviews(run, place)
    now = datetime.fromisoformat(NOW)
    assert [i["outcome"] for i in data if i["outcome"]] == ["offer"]
    steps = [step for i in data for step in i["steps"]]
    statuses = {step["status"] for step in steps}
    assert statuses == {"done", "skipped", "pending"}
    assert any(step["overdue"] for step in steps)
    soon = [s for s in steps if s["status"] == "pending" and 0 < _hours(s["due"], now) < 24]
    assert soon, "something is due within a day"
    assert any(all(s["status"] != "pending" for s in i["steps"]) and not i["outcome"] for i in data)
    assert any(len(i["interviewers"]) > 1 for i in data), "a panel, with a letter to each"
    assert any(i["flags"].get("video") for i in data)
    assert any(i["notes"] for i in data)


def test_the_demo_starts_with_nothing_to_undo(run: Run, temp_root: Path) -> None:
    place = demo_home(run("demo").stdout)
    undo = run("undo", env={"FOLLOWUP_HOME": str(place)})
    assert undo.exit_code == 1
    assert "nothing to undo" in undo.stderr


def test_the_demo_store_is_healthy(run: Run, temp_root: Path) -> None:
    place = demo_home(run("demo").stdout)
    doctor = run("doctor", env={"FOLLOWUP_HOME": str(place)})
    assert doctor.exit_code == 0, doctor.output


def test_a_failed_demo_leaves_no_folder_behind(run: Run, temp_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(home: Path, now: datetime, zone_name: str) -> list[str]:
        (home / "half-made").write_text("x")
        raise FollowupError("the disk is full")

    monkeypatch.setattr(demo, "fill", fail)
    result = run("demo")
    assert result.exit_code == 1
    assert result.stderr == "error: the disk is full\n"
    assert list(temp_root.iterdir()) == []


def test_an_unwritable_temporary_folder_is_a_plain_error(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    result = run("demo")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot make a folder for the demo in ")
    assert "TMPDIR" in result.stderr
    assert "Traceback" not in result.output


def test_fill_refuses_a_folder_that_holds_a_store(run: Run, home: Path) -> None:
    add_interview(run, "Mine", role="Real job")
    before = (home / "followup.json").read_bytes()
    with pytest.raises(FollowupError, match="already holds a store"):
        demo.fill(home, datetime.fromisoformat(NOW), "Europe/Berlin")
    assert (home / "followup.json").read_bytes() == before


# Every weekday and time of day, across both daylight-saving changes, in three zones.
MOMENTS = [
    *(f"2026-11-{day:02d}T{clock}" for day in range(23, 30) for clock in ("00:10", "08:00", "13:30", "23:45")),
    "2026-03-29T03:30",
    "2026-03-30T09:00",
    "2026-10-25T02:30",
    "2026-10-26T01:00",
]


@pytest.mark.parametrize("zone_name", ["Europe/Berlin", "America/New_York", "Asia/Kolkata"])
@pytest.mark.parametrize("moment", MOMENTS)
def test_whenever_it_runs_the_week_makes_sense(tmp_path: Path, moment: str, zone_name: str) -> None:
    zone = zone_named(zone_name)
    now = datetime.fromisoformat(moment).replace(tzinfo=zone)
    ids = demo.fill(tmp_path / "demo", now, zone_name)
    document = Store(tmp_path / "demo").read()
    everything = document.every()
    assert sorted(i.id for i in everything) == sorted(ids)
    assert [i.outcome for i in everything if i.outcome] == ["offer"]
    steps = [(i, step) for i in everything for step in i.steps]
    for interview, step in steps:
        assert interview.at <= now, interview.id  # the interviews are behind us
        if step.done_at is not None:
            assert interview.at <= step.done_at <= now, (interview.id, step.id)
    assert any(i.is_overdue(step, now) for i, step in steps)
    assert any(
        i.is_open and step.status == "pending" and now <= step.due <= now + timedelta(days=1) for i, step in steps
    )
    assert not document.journal


def _hours(text: str, now: datetime) -> float:
    return (datetime.fromisoformat(text) - now).total_seconds() / 3600
