"""Write a file so that a crash at any moment leaves the old or the new content."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import tempfile
import threading
import weakref
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

TEMP_SUFFIX = ".tmp"
# A folder that cannot be synced at all (some network and FUSE file systems)
# is not an error; any other failure to sync it is.
_CANNOT_SYNC_FOLDERS = {errno.EINVAL, errno.ENOTSUP, errno.EBADF, errno.EISDIR, errno.EACCES}


class NotDurable(OSError):
    """The new file is in place, but the folder could not be synced to disk."""


class NotRegular(OSError):
    """A file the store names is something other than a regular file: a FIFO,
    a device, a folder, or a symbolic link (which a change would replace by a
    file, leaving the link's target behind)."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(errno.EINVAL, f"it is {kind}, not a regular file")
        self.path = path
        self.kind = kind


def kind_of(mode: int) -> str:
    """What a file of this mode is, in words."""
    for test, words in (
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return words
    return "not a regular file"


def open_regular(path: str | Path, *, follow: bool = False) -> int:
    """A descriptor open for reading on `path`, which must be a regular file and
    not a link: opened without blocking (a FIFO would wait for a writer for ever)
    and without following a link, then checked on the descriptor itself, so that
    nothing can be swapped in between a check and the open. NotRegular otherwise;
    FileNotFoundError and other OSErrors as `os.open` raises them.

    `follow` reads through a link: for the user's own files (a checklist, the sync
    settings), which may well be links into a folder of dotfiles."""
    nofollow = 0 if follow else os.O_NOFOLLOW
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | nofollow | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW on a link
            raise NotRegular(Path(path), "a symbolic link") from None
        raise
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegular(Path(path), kind_of(mode))
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular(path: Path, *, follow: bool = False) -> bytes:
    """The bytes of a regular file (see `open_regular`)."""
    with os.fdopen(open_regular(path, follow=follow), "rb") as handle:
        return handle.read()


def write_atomic(path: Path, data: bytes) -> None:
    """Temp file beside `path` (owner-only), flush, fsync, rename over, fsync the folder.

    Before the rename, any failure removes the temp file and leaves `path`
    untouched. A failure to sync the folder after the rename raises NotDurable,
    so that the caller can put the old file back.
    """
    put_in_place(staged(path, data), path)


def write_unsynced(path: Path, data: bytes) -> None:
    """`write_atomic` without syncing anything to disk, for the pending index: a reader
    checks it against its own checksums and the store it names, so that what a crash
    leaves of it (the old file, an empty one, a part) is ignored and made again, and a
    change need not wait for a file of megabytes to reach the disk."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def staged(path: Path, data: bytes | Iterable[bytes]) -> Path:
    """`data` in an owner-only temp file beside `path`, synced to disk: the first
    half of `write_atomic`, for a caller that must do something just before the rename."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in [data] if isinstance(data, bytes) else data:  # or its pieces
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return Path(temp)


def write_new(path: Path, data: bytes, sync: bool = True) -> bool:
    """`data` in a file that did not exist (owner-only), synced to disk unless the
    caller syncs many at once; False if the name is taken. Nothing names the file
    yet, so a crash that leaves it half written leaves a stray that the next
    change collects. The caller syncs the folder."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise
    return True


def put_in_place(temp: Path, path: Path) -> None:
    """The second half of `write_atomic`: rename `temp` over `path` (or remove it,
    if that fails), then sync the folder, raising NotDurable if it cannot be."""
    try:
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
def interrupts_ignored() -> Iterator[None]:
    """Ctrl-C (SIGINT) does nothing inside the block: for the work from a commit
    on, which must be finished, after which the command goes on to report what
    it did. Only the main thread receives signals; anywhere else the block
    simply runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        _restore_interrupts(previous if previous is not None else signal.SIG_DFL)


def _restore_interrupts(handler: Any) -> None:
    # signal.signal first runs any Python handler of a signal that arrived meanwhile;
    # if that handler raises, the restore has not happened yet: do it, then let it raise.
    try:
        signal.signal(signal.SIGINT, handler)
    except BaseException:
        signal.signal(signal.SIGINT, handler)
        raise


class Descriptor:
    """An open file descriptor that is closed when read, or when forgotten."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.read_from: os.stat_result | None = None
        self._closer = weakref.finalize(self, os.close, fd)

    def read_all(self) -> bytes:
        self._closer.detach()
        with os.fdopen(self.fd, "rb") as handle:
            self.read_from = os.fstat(handle.fileno())  # the file that was read, as it was
            return handle.read()


def unlink_all(paths: list[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()
