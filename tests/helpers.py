"""What tests share besides fixtures: the one way to make an interview, SPEC's
keys, the fixed clock, and how to start followup as a process of its own.

Fixtures live in conftest.py; test modules import these with `from helpers import ...`.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

import pytest
from typer.testing import Result

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


Run = Callable[..., Result]


def new_interview(
    run: Run,
    company: str = "Acme",
    *extra: str,
    role: str = "Analyst",
    at: str | None = None,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """`followup new --company COMPANY --role ROLE [--at AT] EXTRA... --json`, which must
    succeed: the new interview object. `extra` holds any other option (`-i`, `--note`...)."""
    when = ("--at", at) if at is not None else ()
    result = run("new", "--company", company, "--role", role, *when, *extra, "--json", env=env)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def add_interview(
    run: Run,
    company: str = "Acme",
    *extra: str,
    role: str = "Analyst",
    at: str | None = None,
    env: dict[str, str] | None = None,
) -> str:
    """The one way tests make an interview (see `new_interview`): its id."""
    return str(new_interview(run, company, *extra, role=role, at=at, env=env)["id"])


def show_json(run: Run, interview_id: str) -> dict[str, Any]:
    """`followup show INTERVIEW_ID --json`, which must succeed: the interview object."""
    result = run("show", interview_id, "--json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def steps_of(run: Run, interview_id: str) -> dict[str, dict[str, Any]]:
    """The interview's steps (see `show_json`), by id."""
    return {step["id"]: step for step in show_json(run, interview_id)["steps"]}


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


def run_followup(
    home: Path,
    *args: str,
    command: Sequence[str] | None = None,
    before: Sequence[str] = (),
    stdin: int | IO[Any] | None = subprocess.DEVNULL,
    input: str | None = None,
    stdout: int | IO[Any] = subprocess.PIPE,
    timeout: float = 60,
    check: bool = False,
    preexec_fn: Callable[[], None] | None = None,
    **extra: str,
) -> subprocess.CompletedProcess[str]:
    """`followup ARGS` run to its end in a process of its own, without a terminal, in the
    `environment` of `home` (`extra` adds variables to it): its exit status, and stdout
    (unless redirected) and stderr as text.

    `command` replaces how followup is started (`followup_argv()`), `before` is a wrapper
    put in front of it (strace...). `input` is written to its stdin; without it stdin is
    empty, unless `stdin` says otherwise. The timeout is a guard against a hang, not a
    measure: a command that blocks raises `subprocess.TimeoutExpired`.
    """
    return subprocess.run(
        [*before, *(followup_argv() if command is None else command), *args],
        env=environment(home, **extra),
        input=input,
        stdin=None if input is not None else stdin,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=timeout,
        check=check,
        preexec_fn=preexec_fn,
    )


# `followup.cli.main` ends the process at once (`cli.leave`, with os._exit): a probe that
# runs on after it turns that into a SystemExit it can catch.
MAIN_RETURNS = """
import os
def _exit(status):
    raise SystemExit(status)
os._exit = _exit
"""

_PROBE = (
    MAIN_RETURNS
    + """
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
)


def loaded_by(argv: list[str], home: Path) -> tuple[str, int | None, set[str]]:
    """Run `followup ARGV` as the console script does, in a fresh interpreter:
    its stdout, its exit status, and every module it loaded."""
    done = run_followup(home, json.dumps(["followup", *argv]), command=[sys.executable, "-c", _PROBE])
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stderr.splitlines()[-1])
    return done.stdout, report["status"], set(report["modules"])


def without_flock(monkeypatch: pytest.MonkeyPatch, error: int = errno.ENOSYS) -> None:
    """A file system where flock fails, as on some network and FUSE mounts (for filelock too)."""
    import fcntl

    def refuse(fd: int, operation: int) -> None:
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr(fcntl, "flock", refuse)


def ticked(home: Path) -> None:
    """The index a second newer than what it vouches for, as on a file system whose clock
    ticked between the writes of a change: on one that counts whole seconds, a file as
    new as the index is (rightly) read the validating way, and a test of the quick way
    would test that instead."""
    index = home / "pending.json"
    if index.exists():
        later = index.stat().st_mtime_ns + 1_000_000_000
        os.utime(index, ns=(later, later))
