"""The store's invariants (followup.models), the same for the store, `import` and
every command; `import --merge`; the copy kept before a large import; plurals."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from helpers import Run


def exported(run: Run) -> dict[str, Any]:
    result = run("export")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def one_interview(run: Run) -> dict[str, Any]:
    result = run("new", "--company", "Acme", "--role", "Analyst", "--at", "2026-11-28 10:00")
    assert result.exit_code == 0, result.output
    interview: dict[str, Any] = exported(run)["interviews"][0]
    return interview


def write_export(path: Path, interviews: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"version": 1, "interviews": interviews}), encoding="utf-8")
    return path


def store_bytes(home: Path) -> bytes:
    return (home / "followup.json").read_bytes()


# --- what import refuses ------------------------------------------------------------------

OSC_52 = "x\x1b]52;c;ZXZpbA==\x07"


def _breakages(good: dict[str, Any]) -> dict[str, tuple[dict[str, Any], str]]:
    """Each broken interview, with the place its message must name."""

    def changed(**fields: Any) -> dict[str, Any]:
        return {**json.loads(json.dumps(good)), **fields}

    step = good["steps"][0]
    done_without_time = [{**step, "status": "done", "done_at": None}, *good["steps"][1:]]
    twice = [good["steps"][0], {**good["steps"][1], "id": step["id"]}, *good["steps"][2:]]
    return {
        "year 9999": (changed(at="9999-12-31T23:00:00+14:00"), "interviews[0].at (interview acme-1128): the year 9999"),
        "year 1": (changed(decision_by="0001-01-01T00:00:00+14:00"), "interviews[0].decision_by"),
        "empty id": (changed(id=""), "interviews[0].id: expected an id as `followup new` makes them"),
        "id with a space": (changed(id="A B"), "interviews[0].id (interview A B)"),
        "id with a path": (changed(id="../../etc/x"), "interviews[0].id (interview ../../etc/x)"),
        "id with OSC 52": (changed(id=OSC_52), "interviews[0].id (interview"),
        "id too long": (changed(id="a" * 21), "at most 20 characters"),
        "step id twice": (changed(steps=twice), "interviews[0].steps (interview acme-1128): steps[0] and steps[1]"),
        "done without done_at": (
            changed(steps=done_without_time),
            "interviews[0].steps[0].done_at (interview acme-1128): a done step needs done_at",
        ),
        "outcome without closed_at": (changed(outcome="offer"), "interviews[0].closed_at (interview acme-1128)"),
        "closed_at without outcome": (changed(closed_at=good["created_at"]), "has no closed_at"),
        "bell in company": (changed(company="Ac\x07me"), "interviews[0].company (interview acme-1128): holds the"),
        "escape in a note": (changed(notes="a\x1b[2Jb"), "interviews[0].notes"),
        "NUL in an interviewer": (changed(interviewers=["Ana\x00"]), "interviews[0].interviewers[0]"),
    }


BREAKAGES = [
    "year 9999",
    "year 1",
    "empty id",
    "id with a space",
    "id with a path",
    "id with OSC 52",
    "id too long",
    "step id twice",
    "done without done_at",
    "outcome without closed_at",
    "closed_at without outcome",
    "bell in company",
    "escape in a note",
    "NUL in an interviewer",
]


@pytest.mark.parametrize("name", BREAKAGES)
def test_import_refuses_what_new_never_makes(run: Run, home: Path, tmp_path: Path, name: str) -> None:
    broken, where = _breakages(one_interview(run))[name]
    before = store_bytes(home)
    for merge in ((), ("--merge",)):
        result = run("import", str(write_export(tmp_path / "in.json", [broken])), "--yes", *merge)
        assert result.exit_code == 1, result.output
        assert where in result.stderr, result.stderr
        assert "nothing changed" in result.stderr
        assert "\x1b" not in result.stderr and "\x07" not in result.stderr
        assert store_bytes(home) == before


def test_import_names_every_problem_on_a_line_of_its_own(run: Run, tmp_path: Path) -> None:
    good = one_interview(run)
    other = {**good, "id": "beta-1128", "company": "Be\x07ta", "steps": [{**good["steps"][0], "status": "done"}]}
    result = run("import", str(write_export(tmp_path / "in.json", [{**good, "id": "A B"}, other])), "--yes")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].endswith("3 problems; nothing changed"), lines
    assert lines[1].startswith("interviews[0].id (interview A B): ")
    assert lines[2].startswith("interviews[1].company (interview beta-1128): holds the control character U+0007")
    assert lines[3].startswith("interviews[1].steps[0].done_at (interview beta-1128): ")


@pytest.mark.parametrize("name", ["year 9999", "bell in company", "id with OSC 52", "step id twice"])
def test_a_store_that_breaks_a_rule_is_reported_never_changed(run: Run, home: Path, name: str) -> None:
    """A store edited by hand, or with a control character typed into an older release:
    every command names the field and changes nothing; doctor finds it."""
    broken, where = _breakages(one_interview(run))[name]
    path = home / "followup.json"
    # A store as the single-file format 1 wrote it, which is still read (and migrated on a change).
    data = {"version": 1, "interviews": [broken], "history": None, "journal": []}
    path.write_text(json.dumps(data), encoding="utf-8")
    before = path.read_bytes()
    for args in (("due",), ("list",), ("done", "acme", "1"), ("new", "--company", "B", "--role", "R")):
        result = run(*args)
        assert result.exit_code == 1, (args, result.output)
        assert "Traceback" not in result.output
        assert f"the store file {path} is damaged: {where}" in result.stderr, result.stderr
        assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert path.read_bytes() == before
    doctor = run("doctor")
    assert doctor.exit_code == 1
    assert where in doctor.stdout + doctor.stderr


def test_the_message_says_how_json_writes_the_control_character(run: Run, home: Path) -> None:
    broken, _ = _breakages(one_interview(run))["bell in company"]
    path = home / "followup.json"
    path.write_text(json.dumps({"version": 1, "interviews": [broken], "journal": []}), encoding="utf-8")
    result = run("due")
    assert "U+0007 (written \\u0007 in JSON) at character 3" in result.stderr


# --- control characters on the command line ------------------------------------------------


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("--company", "Ac\x07me", "--role", "R"), "--company"),
        (("--company", "Acme", "--role", "R\x1b[2J"), "--role"),
        (("--company", "Acme", "--role", "R", "-i", "Ana\x1b]52;c;eA==\x07"), "--interviewer"),
        (("--company", "Acme", "--role", "R", "--note", "x\x08y"), "--note"),
        (("--company", "Acme\r", "--role", "R"), None),  # stripped at the end: fine
    ],
)
def test_new_refuses_control_characters_as_a_usage_error(
    run: Run, home: Path, args: tuple[str, ...], option: str | None
) -> None:
    result = run("new", *args)
    if option is None:
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"error: {option}: holds the control character"), result.stderr
    assert not (home / "followup.json").exists()


def test_edit_done_and_skip_refuse_control_characters(run: Run, home: Path) -> None:
    one_interview(run)
    before = store_bytes(home)
    for args, option in (
        (("edit", "acme-1128", "--company", "A\x1bB"), "--company"),
        (("edit", "acme-1128", "--role", "ok", "--note", "\x07"), "--note"),
        (("edit", "acme-1128", "-i", "Bo\x1b"), "--interviewer"),
        (("done", "acme-1128", "1", "--note", "\x1b[2J"), "--note"),
        (("skip", "acme-1128", "2", "--reason", "\x1b[2J"), "--reason"),
    ):
        result = run(*args)
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr.startswith(f"error: {option}: "), result.stderr
        assert store_bytes(home) == before


def test_notes_keep_newlines_and_tabs(run: Run) -> None:
    result = run("new", "--company", "Acme", "--role", "R", "--note", "one\n\ttwo", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["notes"] == "one\n\ttwo"


def test_a_checklist_title_with_an_escape_is_refused(run: Run, home: Path, tmp_path: Path) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text('name: evil\ntitle: "Evil \\e[2J"\nsteps:\n  - id: one\n    title: One\n    due: 0\n')
    result = run("checklists", "validate", str(path))
    assert result.exit_code == 1, result.output
    assert "title" in result.stderr and "U+001B" in result.stderr


def test_the_years_are_those_of_when(run: Run) -> None:
    from followup.constants import FIRST_YEAR, LAST_YEAR

    result = run("new", "--company", "A", "--role", "R", "--at", f"{LAST_YEAR + 1}-01-01 10:00")
    assert result.exit_code == 2
    assert f"between the years {FIRST_YEAR} and {LAST_YEAR}" in result.stderr
    # The last day WHEN takes plans steps after it: refused plainly, not saved to break every view.
    late = run("new", "--company", "A", "--role", "R", "--at", f"{LAST_YEAR}-12-31 10:00")
    assert late.exit_code == 2, late.output
    assert f"is not between {FIRST_YEAR} and {LAST_YEAR}" in late.stderr


# --- import --merge ---------------------------------------------------------------------------


def test_merge_adds_the_missing_skips_the_same_and_is_undone_at_once(run: Run, home: Path, tmp_path: Path) -> None:
    for company in ("Acme", "Beta", "Gamma"):
        assert run("new", "--company", company, "--role", "R", "--at", "2026-11-28 10:00").exit_code == 0
    everything = exported(run)
    path = tmp_path / "all.json"
    path.write_text(json.dumps(everything), encoding="utf-8")
    assert run("rm", "gamma-1128", "--yes").exit_code == 0
    result = run("import", "--merge", str(path))  # no --yes needed: nothing is replaced
    assert result.exit_code == 0, result.output
    assert "imported 1 interview, 2 already there" in result.stderr
    assert exported(run)["interviews"] == everything["interviews"]
    undone = run("undo")
    assert undone.exit_code == 0, undone.output
    assert "imported 1 interview, 2 already there" in undone.stderr
    assert [i["id"] for i in exported(run)["interviews"]] == ["acme-1128", "beta-1128"]
    again = run("import", "--merge", str(path))
    assert "imported 1 interview, 2 already there" in again.stderr
    nothing = run("import", "--merge", str(path))
    assert nothing.exit_code == 0
    assert "nothing to import: 3 interviews already there" in nothing.stderr


def test_merge_refuses_conflicts_listing_them_and_changes_nothing(run: Run, home: Path, tmp_path: Path) -> None:
    for company in ("Acme", "Beta"):
        assert run("new", "--company", company, "--role", "R", "--at", "2026-11-28 10:00").exit_code == 0
    data = exported(run)
    data["interviews"][0]["role"] = "Other"
    data["interviews"][1]["notes"] = "changed"
    data["interviews"].append({**data["interviews"][0], "id": "new-1128"})
    path = tmp_path / "conflict.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    before = store_bytes(home)
    result = run("import", "--merge", str(path))
    assert result.exit_code == 1
    assert "2 interviews in the file differ from the store's with the same id: acme-1128, beta-1128" in result.stderr
    assert "nothing changed" in result.stderr
    assert store_bytes(home) == before


def test_replacing_says_one_interview(run: Run, tmp_path: Path) -> None:
    interview = one_interview(run)
    result = run("import", str(write_export(tmp_path / "one.json", [interview])), "--yes")
    assert "imported 1 interview, replacing the store" in result.stderr


def test_the_question_without_yes_counts_right(run: Run, tmp_path: Path) -> None:
    interview = one_interview(run)
    result = run("import", str(write_export(tmp_path / "one.json", [interview])))
    assert result.exit_code == 2
    assert "the store already holds 1 interview" in result.stderr and "--merge" in result.stderr


# --- the copy kept before a large import -------------------------------------------------------


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> None:
    from followup import importing

    monkeypatch.setattr(importing, "IMPORT_UNDO_LIMIT", 0)  # every import counts as large


def test_undo_after_a_large_import_names_the_copy(run: Run, home: Path, tmp_path: Path, large: None) -> None:
    before = exported(run) if (home / "followup.json").exists() else None
    assert before is None
    interview = one_interview(run)
    result = run("import", str(write_export(tmp_path / "empty.json", [])), "--yes")
    assert result.exit_code == 0, result.output
    (kept,) = home.glob("followup-before-import-*.json")
    undo = run("undo")
    assert undo.exit_code == 1
    assert "nothing to undo" in undo.stderr
    assert str(kept) in undo.stderr
    assert f"followup import {kept} --yes" in undo.stderr
    assert run("import", str(kept), "--yes").exit_code == 0
    assert exported(run)["interviews"] == [interview]


def _killed_import(home: Path, file: Path, where: str) -> None:
    """`followup import FILE --yes`, killed (as kill -9 would) at `where`."""
    script = f"""
import os, sys
from followup import importing
from followup.store import commit as store
from followup.exports import backup
importing.IMPORT_UNDO_LIMIT = 0
def die(*args, **kwargs):
    os._exit(9)
if {where!r} == "before the commit":
    store.put_in_place = die
else:
    backup.keep = die
sys.argv = ["followup", "import", {str(file)!r}, "--yes"]
from followup.cli import main
main()
"""
    done = subprocess.run([sys.executable, "-c", script], env=os.environ, capture_output=True, text=True, check=False)
    assert done.returncode == 9, done.stderr


def test_an_import_killed_before_its_commit_leaves_no_copy(run: Run, home: Path, tmp_path: Path) -> None:
    one_interview(run)
    before = store_bytes(home)
    _killed_import(home, write_export(tmp_path / "empty.json", []), "before the commit")
    assert store_bytes(home) == before
    assert not list(home.glob("followup-before-import-*"))  # nothing that looks like a copy of a change
    undo = run("undo")  # the next command under the lock removes the staged copy
    assert undo.exit_code == 0, undo.output
    assert not [p for p in home.iterdir() if "before-import" in p.name]


def test_an_import_killed_after_its_commit_keeps_the_copy(run: Run, home: Path, tmp_path: Path) -> None:
    interview = one_interview(run)
    _killed_import(home, write_export(tmp_path / "empty.json", []), "after the commit")
    assert exported(run)["interviews"] == []  # the import was committed
    undo = run("undo")
    assert undo.exit_code == 1
    (kept,) = home.glob("followup-before-import-*.json")
    assert str(kept) in undo.stderr
    assert json.loads(kept.read_text(encoding="utf-8"))["interviews"] == [interview]


# --- plurals ---------------------------------------------------------------------------------


def test_plural() -> None:
    from followup.humanize import plural

    assert plural(0, "interview") == "0 interviews"
    assert plural(1, "interview") == "1 interview"
    assert plural(2, "change") == "2 changes"
    assert plural(2, "entry", "entries") == "2 entries"


def test_checklists_validate_counts_one_step(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "one.yaml"
    path.write_text("name: one\ntitle: One\nsteps:\n  - id: one\n    title: One\n    due: 0\n", encoding="utf-8")
    result = run("checklists", "validate", str(path))
    assert result.exit_code == 0, result.output
    assert "with 1 step" in result.stdout and "1 steps" not in result.stdout


def test_an_interview_file_that_breaks_a_rule_is_reported_never_changed(run: Run, home: Path) -> None:
    """The same in the current layout, where each open interview has its own file."""
    one_interview(run)
    root = json.loads((home / "followup.json").read_text(encoding="utf-8"))
    path = home / "interviews" / root["files"]["acme-1128"]
    data = json.loads(path.read_text(encoding="utf-8"))
    data["interview"]["at"] = "9999-12-31T23:00:00+14:00"
    path.write_text(json.dumps(data), encoding="utf-8")
    before = path.read_bytes()
    for args in (("show", "acme"), ("done", "acme", "1")):
        result = run(*args)
        assert result.exit_code == 1, (args, result.output)
        assert f"{path} is damaged: interview.at (interview acme-1128): the year 9999" in result.stderr
    assert path.read_bytes() == before
    doctor = run("doctor")
    assert doctor.exit_code == 1
    assert "the year 9999" in doctor.stdout + doctor.stderr
