"""The store's lock: an flock that filelock respects, taken without importing
filelock, and where a file system has no flock, filelock's marker file."""

from __future__ import annotations

import errno
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from followup.store.lock import Lock, LockTimeout
from helpers import Run, add_interview, without_flock


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


def test_without_flock_a_marker_that_cannot_be_made_is_named(
    home: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    """Where the lock is the marker, an error making it names the marker, not followup.lock."""
    import filelock

    acme = add_interview(run, "Acme")
    without_flock(monkeypatch)
    marker = home / "followup.lock.held"

    def refused(self: object, *_: object, **__: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(marker))

    monkeypatch.setattr(filelock.SoftFileLock, "acquire", refused)
    result = run("done", acme, "1")
    assert result.exit_code == 1
    assert f"cannot take the lock {marker}: Permission denied" in result.stderr, result.stderr


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
