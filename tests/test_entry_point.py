"""The ways users start followup: `python -m followup` and the `followup` script."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from followup import __version__
from helpers import Run, add_interview, script


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


# --- how a command ends (`followup.cli.leave`) ------------------------------------------------

LEAVE = """
import atexit, sys, threading, time
from pathlib import Path
from followup.cli import leave
mark = Path(sys.argv[1])
atexit.register(lambda: mark.write_text("exit handlers ran"))
print("x" * 100_000, end="")  # more than a buffer holds: some of it is still buffered
if sys.argv[2] == "thread":
    threading.Thread(target=lambda: (time.sleep(0.3), mark.with_suffix(".thread").write_text("joined"))).start()
leave(None if sys.argv[3] == "none" else sys.argv[3] if not sys.argv[3].isdigit() else int(sys.argv[3]))
"""


def leaving(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", LEAVE, str(tmp_path / "mark"), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_command_ends_with_its_status_its_output_flushed_and_its_exit_handlers_run(tmp_path: Path) -> None:
    for status, code in (("3", 3), ("0", 0), ("none", 0)):
        done = leaving(tmp_path, "-", status)
        assert done.returncode == code, done.stderr
        assert done.stdout == "x" * 100_000
        assert (tmp_path / "mark").read_text() == "exit handlers ran"
        (tmp_path / "mark").unlink()


def test_a_thread_still_running_is_waited_for(tmp_path: Path) -> None:
    done = leaving(tmp_path, "thread", "4")
    assert done.returncode == 4
    assert (tmp_path / "mark.thread").read_text() == "joined"
    assert (tmp_path / "mark").read_text() == "exit handlers ran"


def test_a_status_in_words_is_printed_as_sys_exit_prints_it(tmp_path: Path) -> None:
    done = leaving(tmp_path, "-", "gone wrong")
    assert done.returncode == 1
    assert done.stderr.strip() == "gone wrong"


def test_output_to_a_closed_pipe_ends_quietly(run: Run, home: Path) -> None:
    """`followup list --json | head -c 10`, with more output than the pipe takes at once."""
    for number in range(40):
        add_interview(run, f"Company {number}", "--note", "n" * 2000)
    done = subprocess.run(
        ["bash", "-c", f"set -o pipefail; '{script()}' list --all --json | head -c 10"],
        env={**os.environ, "FOLLOWUP_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert len(done.stdout) == 10
    assert done.returncode == 1  # as before: `followup` left quietly with status 1 (messages.exit_status)
    assert done.stderr == ""
