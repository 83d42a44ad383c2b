"""Every test runs in its own FOLLOWUP_HOME, at a fixed time, in a fixed zone and width."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from followup.cli.app import app

# The keys SPEC promises in every interview object and step of `--json` output.
INTERVIEW_KEYS = {
    "id",
    "company",
    "role",
    "interviewers",
    "at",
    "flags",
    "decision_by",
    "checklist",
    "outcome",
    "notes",
    "steps",
}
STEP_KEYS = {"id", "title", "why", "due", "status", "done_at", "overdue"}

# Saturday 28 November 2026, 15:00 in Berlin (UTC+01:00).
NOW = "2026-11-28T15:00:00+01:00"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary home, a fixed clock and zone, and a stable terminal for every test."""
    home = tmp_path / "home"
    monkeypatch.setenv("FOLLOWUP_HOME", str(home))
    monkeypatch.setenv("FOLLOWUP_NOW", NOW)
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    return home


@pytest.fixture
def home(isolated: Path) -> Path:
    return isolated


Run = Callable[..., Result]


@pytest.fixture
def run() -> Run:
    """Run `followup ARGS` as a user would; unexpected exceptions fail the test.

    `result.stdout` is the data, `result.stderr` the messages.
    """
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False)

    return invoke


def add_interview(run: Run, company: str, *extra: str) -> str:
    """`followup new` for `company` (role Analyst, plus `extra`); the new interview's id."""
    result = run("new", "--company", company, "--role", "Analyst", "--json", *extra)
    assert result.exit_code == 0, result.output
    return str(json.loads(result.stdout)["id"])


# --- followup as a process of its own ---------------------------------------------------


def script() -> str:
    """The installed console script: beside this interpreter, else on PATH."""
    beside = Path(sys.executable).parent / "followup"
    if beside.is_file():
        return str(beside)
    found = shutil.which("followup")
    if found is None:
        pytest.fail("the followup console script is not installed")
    return found


def followup_argv() -> list[str]:
    """How to start followup: the console script beside this interpreter, else `python -m followup`."""
    beside = Path(sys.executable).parent / "followup"
    return [str(beside)] if beside.is_file() else [sys.executable, "-m", "followup"]


def environment(home: Path, **extra: str) -> dict[str, str]:
    """This process's environment for a followup process of its own, in `home`, at NOW."""
    env = {
        **os.environ,
        "FOLLOWUP_HOME": str(home),
        "FOLLOWUP_NOW": NOW,
        "TZ": "Europe/Berlin",
        "NO_COLOR": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.pop("FOLLOWUP_LOCK_TIMEOUT", None)
    env.update(extra)
    return env


_PROBE = """
import json, sys
sys.argv = json.loads(sys.argv[1])
from followup.cli import main
try:
    main()
    status = None
except SystemExit as exc:
    status = exc.code
sys.stderr.write("\\n" + json.dumps({"status": status, "modules": sorted(sys.modules)}) + "\\n")
"""


def loaded_by(argv: list[str], home: Path) -> tuple[str, int | None, set[str]]:
    """Run `followup ARGV` as the console script does, in a fresh interpreter:
    its stdout, its exit status, and every module it loaded."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(["followup", *argv])],
        env=environment(home),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stderr.splitlines()[-1])
    return done.stdout, report["status"], set(report["modules"])
