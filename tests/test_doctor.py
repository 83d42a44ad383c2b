"""`followup doctor`: every file checked, and a recovery that works when followed."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
from pathlib import Path

import pytest
from filelock import FileLock

from helpers import Run, add_interview


def follow_the_printed_copy(run: Run, pattern: str, output: str) -> None:
    """Run the `cp` command that doctor printed (group 1 of `pattern`) as a user would:
    afterwards doctor finds no problem."""
    command = re.search(pattern, output)
    assert command is not None, output
    _, source, target = shlex.split(command[1])
    shutil.copy(source, target)
    assert run("doctor").exit_code == 0


def test_an_empty_home_is_healthy(run: Run) -> None:
    result = run("doctor")
    assert result.exit_code == 0, result.output
    assert "no store yet" in result.stdout
    assert "checklist post-interview (built-in, 8 steps)" in result.stdout
    assert "no problems found" in result.stdout


def test_a_healthy_store_is_described(run: Run) -> None:
    add_interview(run, "Acme")
    beta = add_interview(run, "Beta")
    assert run("close", beta, "--outcome", "offer").exit_code == 0
    result = run("doctor")
    assert result.exit_code == 0, result.output
    assert "1 open and 1 closed interview;" in result.stdout


def test_a_damaged_store_lists_backups_and_the_printed_command_restores_it(run: Run, home: Path) -> None:
    acme = add_interview(run, "Acme")
    add_interview(run, "Beta")
    (home / "followup.json").write_text('{"version": 1, "interv', encoding="utf-8")
    result = run("doctor")
    assert result.exit_code == 1
    assert "✗" in result.stdout and str(home / "followup.json") in result.stdout
    assert "followup.json.bak" in result.stdout and "1 interview)" in result.stdout
    assert "1 problem found" in result.stdout
    follow_the_printed_copy(run, r"To restore the newest: (cp \S+ \S+)", result.stdout)
    assert run("show", acme).exit_code == 0


def test_without_a_readable_backup_doctor_says_so(run: Run, home: Path) -> None:
    add_interview(run, "Acme")
    (home / "followup.json").write_bytes(b"\x00" * 64)
    result = run("doctor")
    assert result.exit_code == 1
    assert "only NUL bytes" in result.stdout
    assert "no readable backup" in result.stdout


def test_a_missing_history_file_is_a_problem(run: Run, home: Path) -> None:
    acme = add_interview(run, "Acme")
    assert run("close", acme, "--outcome", "rejected").exit_code == 0
    for path in home.glob("history-*.json"):
        path.unlink()
    result = run("doctor")
    assert result.exit_code == 1
    assert "history file" in result.stdout and "missing" in result.stdout


def test_loose_permissions_and_stray_temps_are_warnings(run: Run, home: Path) -> None:
    add_interview(run, "Acme")
    add_interview(run, "Beta")
    (home / "followup.json").chmod(0o644)
    (home / ".followup.json.abc123.tmp").write_text("{")
    result = run("doctor")
    assert result.exit_code == 0, result.output
    assert f"chmod 600 {home / 'followup.json'}" in result.stdout
    assert "temp files left by an interrupted command" in result.stdout


def test_a_held_lock_is_reported(run: Run, home: Path) -> None:
    add_interview(run, "Acme")
    with FileLock(str(home / "followup.lock")):
        result = run("doctor")
    assert result.exit_code == 0, result.output
    assert "holds the lock" in result.stdout


def test_an_invalid_user_checklist_is_a_problem(run: Run, home: Path) -> None:
    folder = home / "checklists"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text("name: mine\ntitle: T\nsteps: []\n", encoding="utf-8")
    result = run("doctor")
    assert result.exit_code == 1
    assert str(folder / "mine.yaml") in result.stdout and "steps" in result.stdout


@pytest.mark.parametrize("damage", [b"", b"[]", b'{"version": 99}'])
def test_doctor_json_lists_findings(run: Run, home: Path, damage: bytes) -> None:
    add_interview(run, "Acme")
    (home / "followup.json").write_bytes(damage)
    result = run("doctor", "--json")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert {"level", "subject", "message", "fix"} <= set(findings[0])
    assert findings[0]["level"] == "problem" and findings[0]["subject"] == str(home / "followup.json")


def interview_file(home: Path, interview_id: str) -> Path:
    return home / "interviews" / json.loads((home / "followup.json").read_bytes())["files"][interview_id]


def test_a_damaged_interview_file_is_a_problem_and_the_printed_command_restores_it(run: Run, home: Path) -> None:
    acme = add_interview(run, "Acme")
    add_interview(run, "Beta")
    assert run("done", acme, "1").exit_code == 0  # acme's newest file; the backup names the one before
    path = interview_file(home, acme)
    path.write_bytes(b'{"version": 2, "interv')
    result = run("doctor")
    assert result.exit_code == 1
    assert str(path) in result.stdout and "not valid JSON" in result.stdout
    follow_the_printed_copy(run, r"restore the previous store with: (cp \S+ \S+);", result.stdout)
    assert run("show", acme).exit_code == 0


def test_a_damaged_interview_file_that_the_backup_shares_is_to_be_fixed_by_hand(run: Run, home: Path) -> None:
    acme = add_interview(run, "Acme")
    add_interview(run, "Beta")
    path = interview_file(home, acme)
    path.write_bytes(b"")
    result = run("doctor")
    assert result.exit_code == 1
    assert str(path) in result.stdout and "empty" in result.stdout and "fix the file by hand" in result.stdout


def test_a_missing_interview_file_is_a_problem(run: Run, home: Path) -> None:
    acme = add_interview(run, "Acme")
    interview_file(home, acme).unlink()
    result = run("doctor")
    assert result.exit_code == 1
    assert str(interview_file(home, acme)) in result.stdout and "missing" in result.stdout


def test_interview_files_that_nothing_names_are_strays(run: Run, home: Path) -> None:
    acme = add_interview(run, "Acme")
    (home / "interviews" / "acme-1128.9.json").write_text("{")
    result = run("doctor")
    assert result.exit_code == 0, result.output
    assert "1 file that neither the store nor its backups name: acme-1128.9.json" in result.stdout
    assert run("done", acme, "1").exit_code == 0
    assert "neither the store" not in run("doctor").stdout


def test_doctor_checks_the_profile_every_letter_reads(run: Run, home: Path) -> None:
    assert run("profile", "--name", "Sam Okafor", "--email", "sam@example.com").exit_code == 0
    healthy = run("doctor")
    assert healthy.exit_code == 0 and "profile.json: your profile: name, email" in healthy.stdout
    (home / "profile.json").write_text('{"version": 1, "name": "x"', encoding="utf-8")
    broken = run("doctor")
    assert broken.exit_code == 1 and "profile.json is damaged: not valid JSON" in broken.stdout
    (home / "profile.json").unlink()
    os.mkfifo(home / "profile.json")
    fifo = run("doctor")  # refused, not waited on
    assert fifo.exit_code == 1 and "FIFO" in fifo.stdout
