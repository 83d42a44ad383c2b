"""What keeps the daily commands quick, checked without timing anything: what
they import, what they read, and that the faster ways give the same output."""

from __future__ import annotations

import errno
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from followup.cli import without_pydantic_plugins
from followup.escape import json_member, json_text
from followup.store import core
from followup.store.lock import Lock, LockTimeout
from helpers import Run, add_interview, environment, loaded_by, without_flock

# Imported by filelock (15-20 ms), by pydantic's plugin loader (25-35 ms, with the reading
# of every installed distribution's metadata) and by importlib.resources (zipfile, 10 ms):
# no daily command needs any of them.
SLOW_TO_IMPORT = {"filelock", "importlib.metadata", "importlib.resources", "zipfile"}


def daily_commands(acme: str) -> list[list[str]]:
    return [
        ["show", acme],
        ["show", acme, "--json"],
        ["list", "--all", "--json"],
        ["done", acme, "1"],
        ["skip", acme, "2"],
        ["undo"],
        ["edit", acme, "--note", "They asked about the release process."],
        ["new", "-c", "Initech", "-r", "Analyst", "-i", "Bo Chen", "--at", "2026-11-27 15:00", "--flag", "video"],
        ["letter", acme],
        ["checklists"],
        ["close", acme, "--outcome", "offer"],
    ]


def test_no_daily_command_imports_what_it_does_not_need(run: Run, home: Path, tmp_path: Path) -> None:
    acme = add_interview(run, "Acme", "-i", "Ana Lopez")
    commands = daily_commands(acme)
    commands.append(["export", "--out", str(tmp_path / "backup.json")])
    for command in commands:
        out, status, modules = loaded_by(command, home)
        assert status in (0, None), (command, out)
        assert not SLOW_TO_IMPORT & modules, (command, sorted(SLOW_TO_IMPORT & modules))


def test_done_builds_no_checklist_model(run: Run, home: Path) -> None:
    """Checklist models are built when a checklist is first read (`defer_build`)."""
    acme = add_interview(run, "Acme")
    probe = (
        "import sys\nfrom followup.cli import main\nsys.argv = ['followup', 'done', sys.argv[1], '1']\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "from followup.models import Checklist, ChecklistStep, Interview\n"
        "print(Interview.__pydantic_complete__, Checklist.__pydantic_complete__, ChecklistStep.__pydantic_complete__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, acme], env=environment(home), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-3:] == ["True", "False", "False"]


@pytest.mark.parametrize("command", [["show", "{acme}"], ["done", "{acme}", "1"], ["due"]])
def test_a_command_runs_without_the_cyclic_collector(run: Run, home: Path, command: list[str]) -> None:
    """Start-up makes a great many objects and no garbage (see `followup.cli.main`)."""
    acme = add_interview(run, "Acme")
    probe = (
        "import gc, sys\nfrom followup.cli import main\nsys.argv = ['followup', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "print('collector on:', gc.isenabled())\n"
    )
    argv = [part.format(acme=acme) for part in command]
    done = subprocess.run(
        [sys.executable, "-c", probe, *argv], env=environment(home), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "collector on: False"


def test_the_plugin_stand_in_is_what_pydantic_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pydantic imports `get_plugins` from this module when it builds a validator: if an
    upgrade moves it, the stand-in goes unused, and the test above fails too."""
    monkeypatch.delitem(sys.modules, "pydantic.plugin._loader", raising=False)
    without_pydantic_plugins()
    from pydantic.plugin._schema_validator import create_schema_validator

    assert sys.modules["pydantic.plugin._loader"].get_plugins() == ()

    class Probe(BaseModel):
        name: str

    assert Probe(name="x").name == "x"
    assert "followup" in (sys.modules["pydantic.plugin._loader"].__doc__ or "")
    assert create_schema_validator.__module__ == "pydantic.plugin._schema_validator"


def test_new_reads_no_interview_to_look_for_a_twin(run: Run, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The twin check reads the open interviews' summaries, not their files."""
    for company in ("Acme", "Globex", "Initech"):
        add_interview(run, company)
    read: list[str] = []
    loader = core.load_interview
    monkeypatch.setattr(core, "load_interview", lambda data, key: read.append(key) or loader(data, key))
    result = run("new", "-c", "Hooli", "-r", "Analyst", "--at", "2026-11-27 15:00")
    assert result.exit_code == 0, result.output
    assert read == []
    twin = run("new", "-c", "hooli", "-r", "Other", "--at", "2026-11-27 15:00")
    assert twin.exit_code == 0, twin.output
    assert "is already an interview with Hooli" in twin.stderr
    assert read == []


# --- the serialiser of export and list --json ------------------------------------------------

TEXT = st.text(st.characters(exclude_categories=["Cs"]))  # every character JSON text can hold
LEAF = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | TEXT


def _nested(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4)


DATA = st.recursive(LEAF, _nested, max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(DATA, st.integers(1, 3))
def test_json_member_writes_what_json_dumps_wrote(data: Any, depth: int) -> None:
    """`json_text` still writes with json.dumps: `json_member` must write the same, indented."""
    pad = "  " * depth
    assert json_member(data, depth) == pad + json_text(data)[:-1].replace("\n", "\n" + pad)


def test_json_member_of_text_json_cannot_encode_is_as_before() -> None:
    lone = {"note": "\ud800"}
    assert json_member(lone) == "  " + json.dumps(lone, ensure_ascii=False, indent=2).replace("\n", "\n  ")


# --- the store's lock, taken without importing filelock ---------------------------------------


def test_the_lock_and_filelocks_exclude_each_other(tmp_path: Path) -> None:
    from filelock import FileLock, Timeout

    path = tmp_path / "followup.lock"
    ours = Lock(path, timeout=0)
    ours.acquire()
    with pytest.raises(Timeout):
        FileLock(str(path), timeout=0).acquire()
    assert path.stat().st_mode & 0o777 == 0o600
    ours.release()
    with FileLock(str(path), timeout=0), pytest.raises(LockTimeout):
        Lock(path, timeout=0.1).acquire()
    again = Lock(path, timeout=0)
    again.acquire()
    again.release()


def test_without_flock_a_lock_file_left_behind_does_not_block(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`followup.lock` stays between commands: where flock is missing, the lock is a
    marker beside it (filelock would take the existing file for one someone holds)."""
    without_flock(monkeypatch)
    path = tmp_path / "followup.lock"
    path.touch(mode=0o600)
    with Lock(path, timeout=1):
        assert (tmp_path / "followup.lock.held").exists()
        with pytest.raises(LockTimeout):
            Lock(path, timeout=0.2).acquire()
    assert not (tmp_path / "followup.lock.held").exists()
    with Lock(path, timeout=1):
        pass


def test_without_flock_the_marker_of_a_killed_command_does_not_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "followup.lock"
    holds_it = f"""if True:
        import errno, fcntl, time
        from pathlib import Path
        def refuse(fd, operation): raise OSError(errno.ENOSYS, "Function not implemented")
        fcntl.flock = refuse
        from followup.store.lock import Lock
        held = Lock(Path({str(path)!r}), timeout=5)  # kept: filelock releases a lock it collects
        held.acquire()
        print("held", flush=True)
        time.sleep(60)
    """
    holder = subprocess.Popen([sys.executable, "-c", holds_it], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        without_flock(monkeypatch)
        with pytest.raises(LockTimeout):
            Lock(path, timeout=0.2).acquire()
    finally:
        holder.kill()  # SIGKILL: no release
        holder.wait()
    with Lock(path, timeout=2):
        pass


def test_without_flock_commands_and_doctor_work(home: Path, monkeypatch: pytest.MonkeyPatch, run: Run) -> None:
    acme = add_interview(run, "Acme")
    assert (home / "followup.lock").exists()  # left by `new`, as by every change
    without_flock(monkeypatch)
    for argv in (["done", acme, "1"], ["undo"], ["doctor"]):
        result = run(*argv)
        assert result.exit_code == 0, result.output
    assert "holds the lock" not in run("doctor").output


def test_without_flock_a_marker_nobody_can_break_is_named_with_what_to_do(
    home: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    """filelock takes over a marker whose owner died here, not an empty one or one from
    another computer: the error names the marker and says when to delete it."""
    acme = add_interview(run, "Acme")
    without_flock(monkeypatch)
    marker = home / "followup.lock.held"
    marker.touch()
    monkeypatch.setenv("FOLLOWUP_LOCK_TIMEOUT", "0.2")
    held = run("done", acme, "1")
    assert held.exit_code == 1
    assert str(marker) in held.stderr and f"delete {marker}" in held.stderr, held.stderr
    assert str(marker) in run("doctor").output
    marker.unlink()
    assert run("done", acme, "1").exit_code == 0


def test_a_flock_error_other_than_no_flock_is_reported_not_worked_around(
    home: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    """ENOLCK (an NFS lock manager down): a marker would not exclude a process that holds
    the flock, so the command stops with the reason instead."""
    acme = add_interview(run, "Acme")
    without_flock(monkeypatch, errno.ENOLCK)
    result = run("done", acme, "1")
    assert result.exit_code == 1
    assert "cannot take the lock" in result.stderr and "No locks available" in result.stderr, result.stderr
    assert not (home / "followup.lock.held").exists()


def test_without_flock_the_lock_is_filelocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file system without flock (filelock's marker beside the lock file), or a lock
    file filelock would refuse (filelock's lock on it, and its error): filelock decides."""
    import filelock

    taken: list[str] = []

    class Recording:
        def __init__(self, path: str, **_: Any) -> None:
            taken.append(path)

        def acquire(self) -> None:
            pass

        def release(self) -> None:
            taken.append("released")

    monkeypatch.setattr(filelock, "FileLock", Recording)
    monkeypatch.setattr(filelock, "SoftFileLock", Recording)
    path = tmp_path / "followup.lock"
    monkeypatch.setattr("followup.store.lock._locked", lambda fd: (_ for _ in ()).throw(OSError(errno.ENOSYS, "no")))
    lock = Lock(path, timeout=0)
    lock.acquire()
    lock.release()
    (tmp_path / "elsewhere").touch()
    path.unlink()
    path.symlink_to(tmp_path / "elsewhere")
    linked = Lock(path, timeout=0)
    linked.acquire()
    linked.release()
    assert taken == [f"{path}.held", "released", str(path), "released"]
