"""`show` and `letter` read the interview from its file without pydantic
(`followup.store.stored`): they show it exactly as its model does, and a file
that is not what followup writes is read the validating way, which says what
is wrong. (`test_store.py` compares the objects field by field.)"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from followup.store import stored, stored_all
from helpers import Run, add_interview, loaded_by, ticked


def rich_interview(run: Run) -> str:
    """An interview with every kind of field set: contacts, an address, notes, steps done and skipped."""
    acme = add_interview(
        run,
        "Acme [red]x[/]",
        "-i",
        "Ana López",
        "-i",
        "Bo Chen",
        "--note",
        "We talked about the office.",
        "--decision-by",
        "2026-12-08",
        "--flag",
        "video",
    )
    assert (
        run("edit", acme, "--contact", "Ana López <ana@acme.example>", "--title", "Ana López=Head of Data").exit_code
        == 0
    )
    assert run("edit", acme, "--address", "Acme GmbH\nMain Street 1\n10115 Berlin").exit_code == 0
    assert run("edit", acme, "--note-for", "Bo Chen=Ask about the release process.").exit_code == 0
    assert run("done", acme, "1", "--note", "said thanks").exit_code == 0
    assert run("skip", acme, "2", "--reason", "no time").exit_code == 0
    return acme


def validated(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every read the validating way, as before files were read without pydantic."""
    monkeypatch.setattr(stored, "read_stored", lambda home, ref: None)


@pytest.mark.parametrize(
    "command",
    [
        ["show", "{id}"],
        ["show", "acme"],
        ["letter", "{id}"],
        ["letter", "{id}", "--to", "bo"],
        ["letter", "{id}", "--template", "mail"],
    ],
)
def test_read_from_its_file_an_interview_shows_as_its_model_does(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    acme = rich_interview(run)
    assert stored.read_stored(home, acme) is not None
    argv = [part.format(id=acme) for part in command]
    fast = run(*argv)
    assert fast.exit_code == 0, fast.output
    validated(monkeypatch)
    slow = run(*argv)
    assert (fast.stdout, fast.stderr) == (slow.stdout, slow.stderr)


def test_show_and_letter_build_no_model(run: Run, home: Path) -> None:
    acme = rich_interview(run)
    for argv in (["show", acme], ["letter", acme]):
        out, status, modules = loaded_by(argv, home)
        assert status in (0, None), out
        assert "Acme" in out
        assert "pydantic.main" not in modules, argv
        assert "followup.models" not in modules, argv


def edited(home: Path, interview_id: str, change: dict[str, object]) -> None:
    """The interview's file, edited by hand (the README says not to)."""
    name = json.loads((home / "followup.json").read_bytes())["files"][interview_id]
    path = home / "interviews" / name
    data = json.loads(path.read_bytes())
    data["interview"].update(change)
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"company": "Acme\x1b[2J"}, "holds the control character U+001B"),
        ({"company": 5}, "interview.company"),
        ({"nickname": "x"}, "interview.nickname"),
        ({"at": "2026-11-27T10:00:00"}, "interview.at"),
        ({"at": "3000-01-01T10:00:00+01:00"}, "the year 3000"),
        ({"zone": "Mars/Olympus"}, "interview.zone"),
        ({"steps": [{"id": "x"}]}, "interview.steps[0]"),
        ({"at": "2026-W48-5T10:00:00Z"}, "interview.at"),  # a week date: Python reads it, pydantic does not
        ({"outcome": "offer"}, "closed_at"),
        (
            {"contacts": [{"name": "Zed", "email": "z@x.example", "title": None}]},
            "'Zed' is not one of the interviewers",
        ),
    ],
)
def test_a_file_followup_did_not_write_is_read_the_validating_way(
    run: Run, home: Path, change: dict[str, object], said: str
) -> None:
    acme = add_interview(run, "Acme")
    edited(home, acme, change)
    assert stored.read_stored(home, acme) is None
    for argv in (["show", acme], ["letter", acme]):
        result = run(*argv)
        assert result.exit_code == 1, result.output
        assert said in result.stderr, result.stderr
        assert "Traceback" not in result.output


def test_what_the_file_cannot_answer_is_answered_the_validating_way(run: Run, home: Path) -> None:
    acme = add_interview(run, "Acme")
    add_interview(run, "Acorn")
    closed = add_interview(run, "Beta")
    assert run("close", closed, "--outcome", "offer").exit_code == 0
    assert stored.read_stored(home, "ac") is None  # two match
    assert "matches several interviews: acme-1128, acorn-1128" in run("show", "ac").stderr
    assert stored.read_stored(home, closed) is None  # in the history file
    assert run("show", closed).exit_code == 0
    assert stored.read_stored(home, "nobody") is None
    assert "no interview matches 'nobody'" in run("show", "nobody").stderr
    assert stored.read_stored(home, acme) is not None


@pytest.mark.parametrize(
    ("edit", "said"),
    [
        (lambda steps: steps[0].update(status="done", done_at=None), "a done step needs done_at"),
        (lambda steps: steps[1].update(id=steps[0]["id"]), "have the same id"),
    ],
)
def test_a_file_that_breaks_a_rule_of_the_models_is_reported_not_shown(
    run: Run, home: Path, edit: Callable[[list[dict[str, Any]]], None], said: str
) -> None:
    """Every file followup did not write is read the validating way, whatever rule it breaks."""
    acme = add_interview(run, "Acme")
    name = json.loads((home / "followup.json").read_bytes())["files"][acme]
    path = home / "interviews" / name
    data = json.loads(path.read_bytes())
    edit(data["interview"]["steps"])
    path.write_text(json.dumps(data), encoding="utf-8")
    for argv in (["show", acme], ["letter", acme]):
        result = run(*argv)
        assert result.exit_code == 1 and said in result.stderr, (argv, result.output)


def test_only_a_file_as_the_index_names_it_is_read_as_it_is(run: Run, home: Path) -> None:
    acme = add_interview(run, "Acme")
    assert stored.read_stored(home, acme) is not None
    name = json.loads((home / "followup.json").read_bytes())["files"][acme]
    path = home / "interviews" / name
    later = path.stat().st_mtime_ns + 10**12
    os.utime(path, ns=(later, later))  # newer than the index: as if written in its tick, or since
    assert stored.read_stored(home, acme) is None
    assert run("show", acme).exit_code == 0  # the validating way: it is intact
    path.write_bytes(path.read_bytes())  # the same bytes, a new change time
    assert stored.read_stored(home, acme) is None
    assert run("done", acme, "1").exit_code == 0  # a change writes the index afresh
    assert stored.read_stored(home, acme) is not None
    (home / "pending.json").unlink()
    assert stored.read_stored(home, acme) is None


def test_a_linked_interviews_folder_is_refused_as_before(run: Run, home: Path) -> None:
    acme = add_interview(run, "Acme")
    (home / "interviews").rename(home / "real")
    (home / "interviews").symlink_to(home / "real")
    assert stored.read_stored(home, acme) is None
    result = run("show", acme)
    assert result.exit_code == 1 and "is a symbolic link" in result.stderr, result.output


@pytest.mark.parametrize("change", [{"version": 3.0}, {"extra": 1}])
def test_a_damaged_root_is_reported_as_before(run: Run, home: Path, change: dict[str, object]) -> None:
    acme = add_interview(run, "Acme")
    root = home / "followup.json"
    root.write_text(json.dumps({**json.loads(root.read_bytes()), **change}), encoding="utf-8")
    assert stored.read_stored(home, acme) is None
    assert run("show", acme).exit_code == 1


@pytest.mark.parametrize("zone", ["+99:99", "-24:00", "+05:60"])
def test_an_offset_no_clock_has_is_not_a_zone(run: Run, home: Path, zone: str) -> None:
    """A hand-edited zone such as +99:99 is damage, reported, not a traceback."""
    from followup.when import is_zone_name, zone_named

    assert not is_zone_name(zone) and is_zone_name("+05:45") and is_zone_name("-23:59")
    assert zone_named("+05:45").utcoffset(None) is not None
    acme = add_interview(run, "Acme")
    edited(home, acme, {"zone": zone})
    result = run("show", acme)
    assert result.exit_code == 1 and "interview.zone" in result.stderr, result.output


def test_an_export_read_from_the_files_is_the_validating_ways_byte_for_byte(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    acme = rich_interview(run)
    beta = add_interview(run, "Beta", at="2026-11-20 09:00")
    gamma = add_interview(run, "Gamma", "-i", "Bo Chen", at="2026-11-25 09:00")
    add_interview(run, "Delta", at="2026-11-19 09:00")
    assert run("close", gamma, "--outcome", "offer").exit_code == 0
    assert run("close", beta, "--outcome", "rejected").exit_code == 0  # closed after, started before
    assert run("done", acme, "3").exit_code == 0  # a change after the close reads the history through
    assert stored_all.each_stored(home, lambda data: data["id"]) == ["delta-1119", beta, gamma, acme]
    fast = run("export", "--out", str(tmp_path / "fast.json"))
    assert fast.exit_code == 0, fast.output
    ticked(home)
    out, status, modules = loaded_by(["export"], home)
    assert status in (0, None)
    assert "pydantic.main" not in modules and "followup.models" not in modules
    assert json.loads(out)["interviews"][1]["outcome"] == "rejected"
    monkeypatch.setattr(stored_all, "each_stored", lambda home, use: None)
    slow = run("export", "--out", str(tmp_path / "slow.json"))
    assert fast.stderr.replace("fast.json", "slow.json") == slow.stderr
    assert (tmp_path / "fast.json").read_bytes() == (tmp_path / "slow.json").read_bytes()
    assert out.encode() == (tmp_path / "slow.json").read_bytes()


@pytest.mark.parametrize(
    "change",
    [
        {"outcome": "offer"},  # without closed_at
        {"steps": "edited"},  # a step done without done_at
        {"contacts": [{"name": "Zed", "email": "z@x.example", "title": None}]},
    ],
)
def test_an_export_of_a_file_that_breaks_a_rule_is_refused_as_before(
    run: Run, home: Path, change: dict[str, object]
) -> None:
    acme = add_interview(run, "Acme")
    if change.get("steps") == "edited":
        name = json.loads((home / "followup.json").read_bytes())["files"][acme]
        steps = json.loads((home / "interviews" / name).read_bytes())["interview"]["steps"]
        steps[0]["status"] = "done"
        change = {"steps": steps}
    edited(home, acme, change)
    assert stored_all.each_stored(home, lambda data: data) is None
    result = run("export")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
