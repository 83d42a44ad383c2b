"""The store's lock: `flock` on `followup.lock`, taken around every read-modify-write.

On POSIX this is the lock `filelock.FileLock` takes (an exclusive `flock` on
the same file), so an older followup, or a test, that holds a `FileLock`
excludes a change here and the other way round; taking it directly spares every change
the 15-20 ms of importing filelock. filelock takes over wherever this would
not do what it does: without `fcntl` (Windows), and for a lock file that
cannot be opened as filelock opens it (a link, a FIFO, another user's file:
its error is the one the user always saw). The lock belongs to the open
descriptor, so a process that dies releases it, and a lock file left behind
never blocks.

On a file system without `flock` (some network and FUSE mounts) the lock is
filelock's marker file `followup.lock.held` instead, which exists only while
a command holds it (filelock removes one whose owner died). Not
`followup.lock` itself: that file stays between commands, and filelock takes
an existing file for a marker someone holds, so every change would wait out
its timeout.
"""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path
from typing import Any

MARKER_SUFFIX = ".held"  # followup.lock.held: the lock where flock is missing
POLL = 0.05  # seconds between two tries, as filelock's default
_BUSY = {errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES}  # some file systems say EACCES for a held lock
# flock itself is not there. Any other error (ENOLCK from an NFS lock manager that is down) is
# reported: a process sent to the marker while another holds the flock would not be excluded.
_NO_FLOCK = {errno.ENOSYS, errno.EOPNOTSUPP, getattr(errno, "ENOTSUP", errno.EOPNOTSUPP)}


class LockTimeout(Exception):
    """Another process held the lock for the whole timeout: `held` names the file
    that shows it (the marker where flock is missing), `hint` what to do."""

    def __init__(self, path: Path, marker: Path | None = None) -> None:
        super().__init__(str(marker or path))
        self.path = path
        self.marker = marker

    @property
    def held(self) -> Path:
        return self.marker or self.path

    @property
    def hint(self) -> str:
        if self.marker is None:
            return "wait for it to finish and try again"
        # filelock takes over a marker whose owner died on this computer, not one from another
        # computer (the usual case on a network mount) nor an empty or unreadable one.
        return f"wait for it to finish; if no followup command is running on any computer, delete {self.marker}"


class Lock:
    """The lock on `path` (made owner-only if new), held from `acquire` to `release`."""

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self._fd: int | None = None
        self._fallback: Any = None

    def acquire(self) -> None:
        """Take the lock: LockTimeout after `timeout` seconds (one try when 0),
        OSError when the file cannot be opened or locked."""
        try:
            import fcntl  # noqa: F401  # flock is there
        except ImportError:  # no flock here: filelock's lock for this platform
            self._acquire_filelock()
            return
        flags = os.O_RDWR | os.O_CREAT | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOFOLLOW  # as filelock opens it
        try:
            fd = os.open(self.path, flags, 0o600)
        except OSError:  # a link, a FIFO, a file of another user: filelock says what it always said
            self._acquire_filelock()
            return
        deadline = time.monotonic() + self.timeout
        try:
            while not _locked(fd):
                if time.monotonic() >= deadline:
                    raise LockTimeout(self.path)
                time.sleep(POLL)
        except OSError as exc:
            os.close(fd)
            if exc.errno not in _NO_FLOCK:
                raise
            self._acquire_marker()
            return
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def __enter__(self) -> Lock:
        self.acquire()
        return self

    def __exit__(self, *_: object) -> None:
        self.release()

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # closing the descriptor releases its lock
        elif self._fallback is not None:
            self._fallback.release()
            self._fallback = None

    def _acquire_filelock(self) -> None:
        from filelock import FileLock

        self._take(FileLock(str(self.path), timeout=self.timeout, mode=0o600))

    def _acquire_marker(self) -> None:
        from filelock import SoftFileLock

        marker = self.path.with_name(self.path.name + MARKER_SUFFIX)
        self._take(SoftFileLock(str(marker), timeout=self.timeout, mode=0o600), marker)

    def _take(self, lock: Any, marker: Path | None = None) -> None:
        from filelock import Timeout

        try:
            lock.acquire()
        except Timeout:
            raise LockTimeout(self.path, marker) from None
        self._fallback = lock


def _locked(fd: int) -> bool:
    """One try at the exclusive lock: False while another holds it, OSError if it cannot be had."""
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in _BUSY:
            return False
        raise
    return True
