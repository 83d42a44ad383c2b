"""The ways users start followup: `python -m followup` and the `followup` script."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from followup import __version__
from helpers import script


def call(*argv: str, home: Path) -> subprocess.CompletedProcess[str]:
    """Run without a terminal on stdin, so that nothing is ever asked."""
    env = {**os.environ, "FOLLOWUP_HOME": str(home)}
    return subprocess.run(
        list(argv), env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, check=False
    )


def test_python_dash_m_followup(home: Path) -> None:
    result = call(sys.executable, "-m", "followup", "--help", home=home)
    assert result.returncode == 0, result.stderr
    assert "Usage" in result.stdout
    for command in ("new", "done", "due", "show", "undo"):
        assert command in result.stdout
    assert "Traceback" not in result.stderr
    assert not (home / "followup.json").exists()  # help touches nothing


def test_console_script(home: Path) -> None:
    result = call(script(), "--help", home=home)
    assert result.returncode == 0, result.stderr
    assert "Usage" in result.stdout
    assert "followup" in result.stdout
    assert "new" in result.stdout

    version = call(script(), "--version", home=home)
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"followup {__version__}"


def test_console_script_round_trip(home: Path) -> None:
    made = call(script(), "new", "--company", "Acme", "--role", "Analyst", home=home)
    assert made.returncode == 0, made.stderr
    assert made.stderr.strip() == "added acme-1128 (Acme, Analyst)"
    assert (home / "followup.json").is_file()
    due = call(sys.executable, "-m", "followup", "due", "--json", home=home)
    assert due.returncode == 0, due.stderr
    assert '"interview": "acme-1128"' in due.stdout


def test_errors_are_plain_lines_without_a_traceback(home: Path) -> None:
    result = call(script(), "show", "nope", home=home)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ")
    assert "nope" in result.stderr
    assert 1 <= len(result.stderr.strip().splitlines()) <= 2
    assert result.stdout == ""


def test_usage_errors_exit_2_without_a_traceback(home: Path) -> None:
    result = call(sys.executable, "-m", "followup", "new", "--company", "Acme", home=home)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "--role" in result.stderr
    assert not (home / "followup.json").exists()

    unknown = call(script(), "new", "--colour", "red", home=home)
    assert unknown.returncode == 2
    assert "Traceback" not in unknown.stderr
    assert "--colour" in unknown.stderr
