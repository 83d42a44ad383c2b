"""`export`, `import` and `checklists`: the store as a file, and the checklists on offer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import INTERVIEW_KEYS, Run
from followup.checklists import builtin_dir

USER_CHECKLIST = """\
name: post-interview
title: My own follow-up
flags:
  remote: "Was it remote?"
steps:
  - id: send-email
    title: Send a short email
    why: Quick and friendly.
    due: +2h
  - id: call-recruiter
    title: Call the recruiter
    why: Ask about the next steps.
    due: +3d
    when: not remote
"""


def store_bytes(home: Path) -> bytes | None:
    path = home / "followup.json"
    return path.read_bytes() if path.exists() else None


def export(run: Run, **kwargs: Any) -> dict[str, Any]:
    result = run("export", **kwargs)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def filled(run: Run) -> None:
    """Three interviews in every state: open with ticks and skips, closed, and a panel."""
    commands = [
        (
            "new",
            "--company",
            "Acme",
            "--role",
            "Data analyst",
            "-i",
            "Ana Lopez",
            "--at",
            "2026-11-26 10:00",
            "--decision-by",
            "2026-12-04",
            "--note",
            "Hiking, and the new café",
            "--flag",
            "late",
        ),
        ("new", "--company", "Globex", "--role", "Engineer", "--at", "2026-11-28 11:00", "--flag", "video"),
        (
            "new",
            "--company",
            "Initech",
            "--role",
            "Tester",
            "-i",
            "Bo Li",
            "-i",
            "Cy Dee",
            "--at",
            "2026-11-20 09:00",
        ),
        ("done", "acme", "1", "--at", "2026-11-26 11:00", "--note", "went well"),
        ("skip", "acme", "greet-staff", "--reason", "side exit"),
        ("close", "initech", "--outcome", "rejected"),
    ]
    for args in commands:
        result = run(*args)
        assert result.exit_code == 0, result.output


# --- export -------------------------------------------------------------------------


def test_export_prints_every_interview_open_and_closed(run: Run, filled: None) -> None:
    result = run("export")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert data["version"] == 1
    interviews = data["interviews"]
    assert sorted(i["id"] for i in interviews) == ["acme-1126", "globex-1128", "initech-1120"]
    for interview in interviews:
        assert set(interview) >= INTERVIEW_KEYS
    by_id = {i["id"]: i for i in interviews}
    assert by_id["initech-1120"]["outcome"] == "rejected"
    assert by_id["acme-1126"]["notes"] == "Hiking, and the new café"
    acme_steps = {s["id"]: s for s in by_id["acme-1126"]["steps"]}
    assert acme_steps["thank-interviewer"]["status"] == "done"
    assert acme_steps["thank-interviewer"]["note"] == "went well"
    assert acme_steps["greet-staff"]["status"] == "skipped"
    assert acme_steps["greet-staff"]["reason"] == "side exit"


def test_export_of_an_empty_store(run: Run, home: Path) -> None:
    data = export(run)
    assert data["version"] == 1
    assert data["interviews"] == []
    assert store_bytes(home) is None  # reading does not create a store


def test_export_out_writes_the_file(run: Run, filled: None, tmp_path: Path) -> None:
    target = tmp_path / "backup.json"
    result = run("export", "--out", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "3" in lines[0] and str(target) in lines[0]
    assert json.loads(target.read_text(encoding="utf-8")) == export(run)


def test_export_out_to_a_missing_folder_exits_1(run: Run, filled: None, tmp_path: Path) -> None:
    result = run("export", "--out", str(tmp_path / "no" / "such" / "dir" / "backup.json"))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert not (tmp_path / "no").exists()


def test_export_of_an_unknown_format_is_refused_cleanly(run: Run, filled: None, tmp_path: Path) -> None:
    result = run("export", "--format", "xml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "xml" in result.stderr and "ics" in result.stderr
    assert "Traceback" not in result.output
    target = tmp_path / "store.xml"
    assert run("export", "--format", "xml", "--out", str(target)).exit_code == 2
    assert not target.exists()


# --- import -------------------------------------------------------------------------


def test_import_round_trip_loses_nothing(run: Run, filled: None, tmp_path: Path) -> None:
    first = tmp_path / "first.json"
    assert run("export", "--out", str(first)).exit_code == 0
    other = {"FOLLOWUP_HOME": str(tmp_path / "other")}
    result = run("import", str(first), env=other)
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "imported 3" in lines[0]
    again = export(run, env=other)
    original = json.loads(first.read_text(encoding="utf-8"))
    assert again["interviews"] == original["interviews"]
    # Closed stays closed, open stays open.
    listed = run("list", "--json", env=other)
    assert [i["id"] for i in json.loads(listed.stdout)] == ["acme-1126", "globex-1128"]
    assert run("show", "initech", "--json", env=other).exit_code == 0
    assert run("show", "acme", env=other).stdout == run("show", "acme").stdout


def test_import_from_stdin(run: Run, filled: None, tmp_path: Path) -> None:
    text = run("export").stdout
    other = {"FOLLOWUP_HOME": str(tmp_path / "other")}
    result = run("import", "-", input=text, env=other)
    assert result.exit_code == 0, result.output
    assert export(run, env=other)["interviews"] == json.loads(text)["interviews"]


def test_import_into_a_non_empty_store_without_yes_exits_2(run: Run, home: Path, filled: None, tmp_path: Path) -> None:
    incoming = tmp_path / "incoming.json"
    data = export(run)
    data["interviews"] = data["interviews"][:1]
    incoming.write_text(json.dumps(data), encoding="utf-8")
    stored = store_bytes(home)
    result = run("import", str(incoming))
    assert result.exit_code == 2
    assert "--yes" in result.stderr
    assert "Traceback" not in result.output
    assert store_bytes(home) == stored


def test_import_yes_replaces_the_store_and_undo_puts_it_back(
    run: Run, home: Path, filled: None, tmp_path: Path
) -> None:
    before = export(run)
    incoming = tmp_path / "incoming.json"
    data = dict(before)
    data["interviews"] = [i for i in before["interviews"] if i["id"] == "globex-1128"]
    incoming.write_text(json.dumps(data), encoding="utf-8")
    result = run("import", str(incoming), "--yes")
    assert result.exit_code == 0, result.output
    assert [i["id"] for i in export(run)["interviews"]] == ["globex-1128"]
    assert "acme-1126" not in run("list", "--all").stdout
    undone = run("undo")
    assert undone.exit_code == 0, undone.output
    assert "imported" in undone.stderr
    assert export(run)["interviews"] == before["interviews"]


BROKEN_FILES = {
    "invalid-json": "{not json",
    "empty-file": "",
    "a-number": "42",
    "no-interviews": json.dumps({"version": 1}),
    "interviews-not-a-list": json.dumps({"version": 1, "interviews": {"a": 1}}),
    "wrong-version": json.dumps({"version": 99, "interviews": []}),
    "no-version": json.dumps({"interviews": []}),
    "missing-fields": json.dumps({"version": 1, "interviews": [{"id": "x"}]}),
}


def test_import_takes_the_json_of_list_and_show(run: Run, home: Path, filled: None, tmp_path: Path) -> None:
    listed = run("list", "--all", "--json")
    assert listed.exit_code == 0, listed.output
    before = json.loads(run("export").stdout)["interviews"]
    path = tmp_path / "listed.json"
    path.write_text(listed.stdout, encoding="utf-8")
    fresh = tmp_path / "fresh-home"
    result = run("import", str(path), env={"FOLLOWUP_HOME": str(fresh)})
    assert result.exit_code == 0, result.output
    after = json.loads(run("export", env={"FOLLOWUP_HOME": str(fresh)}).stdout)["interviews"]
    assert after == before


@pytest.mark.parametrize("name", sorted(BROKEN_FILES))
def test_import_of_a_broken_file_exits_1_and_changes_nothing(
    run: Run, home: Path, filled: None, tmp_path: Path, name: str
) -> None:
    path = tmp_path / f"{name}.json"
    path.write_text(BROKEN_FILES[name], encoding="utf-8")
    stored = store_bytes(home)
    result = run("import", str(path), "--yes")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    lines = result.stderr.splitlines()
    if name == "missing-fields":  # one line for each problem, after the one that counts them
        assert lines[0].endswith("6 problems; nothing changed"), lines
        assert lines[1] == "interviews[0].company (interview x): Field required", lines
        assert len(lines) == 7, lines
    else:
        assert 1 <= len(lines) <= 2
    assert "Traceback" not in result.output
    assert store_bytes(home) == stored


def _break_status(data: dict[str, Any]) -> None:
    data["interviews"][0]["steps"][0]["status"] = "finished"


def _break_date(data: dict[str, Any]) -> None:
    data["interviews"][0]["at"] = "last tuesday-ish"


def _add_unknown_field(data: dict[str, Any]) -> None:
    data["interviews"][0]["colour"] = "red"


def _break_outcome(data: dict[str, Any]) -> None:
    data["interviews"][0]["outcome"] = "hired!"


def _naive_times(data: dict[str, Any]) -> None:
    interview = data["interviews"][0]
    interview["at"] = interview["at"][:19]
    for step in interview["steps"]:
        step["due"] = step["due"][:19]


@pytest.mark.parametrize("damage", [_break_status, _break_date, _add_unknown_field, _break_outcome, _naive_times])
def test_import_of_invalid_interview_data_exits_1_and_changes_nothing(
    run: Run, home: Path, filled: None, tmp_path: Path, damage: Any
) -> None:
    data = export(run)
    damage(data)
    path = tmp_path / "damaged.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    stored = store_bytes(home)
    result = run("import", str(path), "--yes")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert "interviews[0]" in result.stderr and "nothing changed" in result.stderr
    assert store_bytes(home) == stored
    # Every command still works on the untouched store.
    assert run("due").exit_code == 0
    assert run("list").exit_code == 0


def test_import_of_invalid_data_into_an_empty_store_creates_nothing(run: Run, home: Path, tmp_path: Path) -> None:
    path = tmp_path / "damaged.json"
    path.write_text(json.dumps({"version": 1, "interviews": [{"id": "x"}]}), encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == 1
    assert store_bytes(home) is None


def test_import_refuses_duplicate_ids(run: Run, home: Path, filled: None, tmp_path: Path) -> None:
    data = export(run)
    data["interviews"].append(dict(data["interviews"][0]))
    path = tmp_path / "twice.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    stored = store_bytes(home)
    result = run("import", str(path), "--yes")
    assert result.exit_code == 1
    assert data["interviews"][0]["id"] in result.stderr
    assert store_bytes(home) == stored


def test_import_of_a_missing_file_exits_1(run: Run, home: Path, filled: None, tmp_path: Path) -> None:
    stored = store_bytes(home)
    result = run("import", str(tmp_path / "nope.json"), "--yes")
    assert result.exit_code == 1
    assert "nope.json" in result.stderr
    assert "Traceback" not in result.output
    assert store_bytes(home) == stored


def test_import_without_a_file_is_a_usage_error(run: Run) -> None:
    assert run("import").exit_code == 2


# --- checklists ---------------------------------------------------------------------


def builtin_steps(name: str) -> list[dict[str, Any]]:
    return yaml.safe_load((builtin_dir() / f"{name}.yaml").read_text(encoding="utf-8"))["steps"]


def checklist_row(output: str, name: str) -> list[str]:
    rows = [line.split() for line in output.splitlines() if line.startswith(name + " ")]
    assert len(rows) == 1, output
    return rows[0]


def test_checklists_lists_the_built_in_ones(run: Run) -> None:
    result = run("checklists")
    assert result.exit_code == 0, result.output
    for name in ("post-interview", "pre-interview"):
        row = checklist_row(result.stdout, name)
        assert row[1:3] == ["built-in", str(len(builtin_steps(name)))], row


def test_checklists_json(run: Run) -> None:
    result = run("checklists", "--json")
    assert result.exit_code == 0, result.output
    entries = {entry["name"]: entry for entry in json.loads(result.stdout)}
    assert {"post-interview", "pre-interview"} <= set(entries)
    for name in ("post-interview", "pre-interview"):
        assert entries[name]["source"] == "built-in"
        assert entries[name]["steps"] == len(builtin_steps(name))
        assert entries[name]["error"] is None


def test_a_user_checklist_shows_as_user_and_wins(run: Run, home: Path) -> None:
    folder = home / "checklists"
    folder.mkdir(parents=True)
    (folder / "post-interview.yaml").write_text(USER_CHECKLIST, encoding="utf-8")
    result = run("checklists")
    assert result.exit_code == 0, result.output
    assert checklist_row(result.stdout, "post-interview")[1:3] == ["user", "2"]
    assert checklist_row(result.stdout, "pre-interview")[1] == "built-in"
    assert len([line for line in result.stdout.splitlines() if line.startswith("post-interview ")]) == 1
    entries = {entry["name"]: entry for entry in json.loads(run("checklists", "--json").stdout)}
    assert entries["post-interview"]["source"] == "user"
    assert entries["post-interview"]["steps"] == 2

    shown = run("checklists", "show", "post-interview")
    assert shown.exit_code == 0, shown.output
    assert "My own follow-up" in shown.stdout
    assert "Was it remote?" in shown.stdout

    made = run("new", "--company", "Acme", "--role", "Dev", "--json")
    assert made.exit_code == 0, made.output
    assert [s["id"] for s in json.loads(made.stdout)["steps"]] == ["send-email", "call-recruiter"]


def test_an_invalid_user_checklist_is_listed_as_invalid(run: Run, home: Path) -> None:
    folder = home / "checklists"
    folder.mkdir(parents=True)
    (folder / "typo.yaml").write_text(
        "name: typo\ntitle: Typo\nstepz:\n  - id: a\n    title: A\n    due: 0\n", encoding="utf-8"
    )
    (folder / "not-yaml.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    result = run("checklists")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    for name in ("typo", "not-yaml"):
        row = " ".join(checklist_row(result.stdout, name))
        assert "user" in row and "invalid" in row, row
    assert checklist_row(result.stdout, "post-interview")[1] == "built-in"
    listed = run("checklists", "--json")
    assert listed.exit_code == 0, listed.output
    entries = {entry["name"]: entry for entry in json.loads(listed.stdout)}
    for name in ("typo", "not-yaml"):
        assert entries[name]["source"] == "user"
        assert entries[name]["steps"] is None
        assert entries[name]["error"]
    assert entries["post-interview"]["error"] is None
    shown = run("checklists", "show", "typo")
    assert shown.exit_code == 1
    assert "stepz" in shown.stderr
    assert "Traceback" not in shown.output


def test_checklists_show_gives_the_flag_questions_and_every_why(run: Run) -> None:
    result = run("checklists", "show", "post-interview")
    assert result.exit_code == 0, result.output
    out = words(result.stdout)
    raw = yaml.safe_load((builtin_dir() / "post-interview.yaml").read_text(encoding="utf-8"))
    assert raw["flags"]
    for name, question in raw["flags"].items():
        assert f"flag {name}: {question}" in out
    for step in raw["steps"]:
        assert words(step["title"]) in out, step["id"]
        assert step["id"] in out
        assert words(step["why"]) in out, step["id"]


def test_checklists_show_json(run: Run) -> None:
    result = run("checklists", "show", "pre-interview", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["name"] == "pre-interview"
    assert [s["id"] for s in data["steps"]] == [s["id"] for s in builtin_steps("pre-interview")]


def test_checklists_show_of_an_unknown_name_exits_1(run: Run) -> None:
    result = run("checklists", "show", "nope")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "nope" in result.stderr
    assert "post-interview" in result.stderr  # says what there is
    assert "Traceback" not in result.output


def test_a_large_import_keeps_the_previous_store_where_no_change_overwrites_it(
    run: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from followup import importing

    monkeypatch.setattr(importing, "IMPORT_UNDO_LIMIT", 0)  # every import counts as large
    first = run("new", "--company", "Old", "--role", "Kept")
    assert first.exit_code == 0, first.output
    before = json.loads(run("export").stdout)["interviews"]
    path = tmp_path / "new.json"
    path.write_text(json.dumps({"version": 1, "interviews": []}), encoding="utf-8")
    result = run("import", str(path), "--yes")
    assert result.exit_code == 0, result.output
    kept = sorted(home.glob("followup-before-import-*.json"))
    assert len(kept) == 1 and str(kept[0]) in result.stderr
    assert oct(kept[0].stat().st_mode & 0o777) == "0o600"
    # Later changes rotate the backup, but the kept copy brings the old store back.
    for company in ("A", "B"):
        assert run("new", "--company", company, "--role", "R").exit_code == 0
    assert run("import", str(kept[0]), "--yes").exit_code == 0
    assert json.loads(run("export").stdout)["interviews"] == before
