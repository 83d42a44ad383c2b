"""Write a file so that a crash at any moment leaves the old or the new content."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

TEMP_SUFFIX = ".tmp"
# A folder that cannot be synced at all (some network and FUSE file systems)
# is not an error; any other failure to sync it is.
_CANNOT_SYNC_FOLDERS = {errno.EINVAL, errno.ENOTSUP, errno.EBADF, errno.EISDIR, errno.EACCES}


class NotDurable(OSError):
    """The new file is in place, but the folder could not be synced to disk."""


def write_atomic(path: Path, data: bytes) -> None:
    """Temp file beside `path` (owner-only), flush, fsync, rename over, fsync the folder.

    Before the rename, any failure removes the temp file and leaves `path`
    untouched. A failure to sync the folder after the rename raises NotDurable,
    so that the caller can put the old file back.
    """
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    try:
        fsync_dir(path.parent)
    except OSError as exc:
        raise NotDurable(exc.errno, exc.strerror) from exc


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _CANNOT_SYNC_FOLDERS:
            raise
    finally:
        os.close(fd)


def remove_stray_temps(folder: Path, prefixes: tuple[str, ...]) -> None:
    """Delete the temp files that a killed process left behind, those whose names
    start with one of `prefixes` and no others; call only under the lock."""
    if not folder.is_dir():
        return
    for path in folder.glob(f".*{TEMP_SUFFIX}"):
        if path.name.startswith(prefixes):
            with contextlib.suppress(OSError):
                path.unlink()


@contextlib.contextmanager
def deferred_interrupts() -> Iterator[None]:
    """Ctrl-C (SIGINT) is ignored until the block is done: for the work that
    follows a commit, which must be finished, after which the command goes on
    to report what it did. Only the main thread receives signals; anywhere else
    the block simply runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.SIG_DFL)
