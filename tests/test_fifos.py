"""A FIFO (or another file that is not a regular file) wherever followup reads one of its own
files is refused or skipped, never waited on: a FIFO would block the command for ever."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers import Run, add_interview, run_followup


@pytest.fixture
def acme(run: Run, home: Path) -> str:
    return add_interview(run, "Acme", "--at", "2026-11-27 10:00")


def test_a_fifo_named_like_a_migration_backup_is_skipped(run: Run, home: Path, acme: str) -> None:
    os.mkfifo(home / "followup.json.v9.bak")
    done = run_followup(home, "done", acme, "1", timeout=30)  # TimeoutExpired if it waits on the FIFO
    assert done.returncode == 0, done.stderr
    doctor = run_followup(home, "doctor", timeout=30)
    assert "Traceback" not in doctor.stderr


def test_a_fifo_as_the_sync_settings_is_refused(home: Path, acme: str) -> None:
    os.mkfifo(home / "sync.toml")
    result = run_followup(home, "sync", timeout=30)
    assert result.returncode == 1 and "sync.toml" in result.stderr and "FIFO" in result.stderr


def test_a_fifo_as_the_sync_state_is_refused(home: Path, acme: str) -> None:
    os.mkfifo(home / "caldav-sync.json")
    result = run_followup(home, "sync", timeout=30, FOLLOWUP_CALDAV_URL="http://127.0.0.1:9/", FOLLOWUP_CALDAV_USER="a")
    assert result.returncode == 1 and "FIFO" in result.stderr, result.stderr


def test_a_fifo_as_a_checklist_is_refused_and_a_link_to_a_checklist_is_read(home: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    result = run_followup(home, "checklists", "validate", str(fifo), timeout=30)
    assert result.returncode == 1 and "FIFO" in result.stderr, result.stderr
    builtin = Path(__file__).resolve().parents[1] / "checklists" / "post-interview.yaml"
    link = tmp_path / "post-interview.yaml"
    link.symlink_to(builtin)  # a checklist kept in a folder of dotfiles
    assert run_followup(home, "checklists", "validate", str(link), timeout=30).returncode == 0
