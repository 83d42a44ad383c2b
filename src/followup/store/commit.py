"""Saving a change: the lock around it, new interview files, and the one rename
of the root that commits it, then the index, the backup and the collection of
files no root names (see the package's docstring for why this is safe).

Nothing here knows followup's models: `Store` saves a Document of models
through it, and `stored_change` a change made on the files as they are.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from followup.constants import INDEX_NAME, STORE_NAME
from followup.errors import StoreError
from followup.store.collect import drop_unnamed
from followup.store.decoding import HISTORY_PATTERN, INTERVIEWS_DIR
from followup.store.encoding import file_base, file_version
from followup.store.files import (
    TEMP_SUFFIX,
    NotDurable,
    interrupts_ignored,
    put_in_place,
    staged,
    unlink_all,
    write_atomic,
    write_new,
    write_unsynced,
)
from followup.store.identity import signature
from followup.store.index_update import IndexDraft, newer_than_store
from followup.store.lock import Lock, LockTimeout

# The temp files a change killed half-way leaves, removed by the next change under the lock.
STRAY_TEMPS = (f".{STORE_NAME}.", f".{INDEX_NAME}.", ".history-")


@contextlib.contextmanager
def locked(lock_path: Path, timeout: float) -> Iterator[None]:
    """The store's lock, or a StoreError that says who holds it or why it cannot be taken."""
    lock = Lock(lock_path, timeout)
    try:
        lock.acquire()
    except LockTimeout as held:
        raise StoreError(
            f"the store is locked by another followup command (lock file {held.held})", held.hint
        ) from None
    except OSError as exc:  # a lock file left by another user (sudo), a read-only or full disk
        raise StoreError(
            f"cannot take the lock {exc.filename or lock_path}: {exc.strerror or exc}; nothing changed",
            "check that you own the folder and its files, and that the disk has room",
        ) from None
    try:
        yield
    finally:
        lock.release()


def write_interview(
    interviews: Path, key: str, data: bytes, before: str | None, written: list[Path], sync: bool
) -> str:
    """One version of an open interview in a file of its own, under a name no file
    has (its id and the next free version after `before`); returns the name."""
    base, version = file_base(key), file_version(before)
    while True:
        version += 1
        name = f"{base}.{version}.json"
        if write_new(interviews / name, data, sync=sync):
            written.append(interviews / name)
            return name


def write_history(home: Path, data: bytes) -> str:
    """A new history file holding `data`, under the next free name; returns the name."""
    numbers = [int(m[1]) for p in home.iterdir() if (m := HISTORY_PATTERN.fullmatch(p.name))]
    name = f"history-{max(numbers, default=0) + 1}.json"
    write_atomic(home / name, data)
    return name


@contextlib.contextmanager
def unless_saved(path: Path, written: list[Path]) -> Iterator[None]:
    """Before the commit: on any failure, delete the files `written` for the change
    and say why nothing changed."""
    try:
        yield
    except BaseException as exc:
        unlink_all(written)
        if isinstance(exc, OSError):
            raise not_saved(path, exc) from None
        if not isinstance(exc, UnicodeEncodeError):
            raise
        raise StoreError(
            f"could not save {path}: some text is not valid Unicode; nothing changed",
            "retype it in a UTF-8 terminal (undecodable bytes cannot be stored)",
        ) from None


def not_saved(path: Path, exc: OSError) -> StoreError:
    return StoreError(
        f"could not save {path}: {exc.strerror or exc}; nothing changed",
        "check the free space and permissions of that folder",
    )


def commit(
    home: Path, stored: bytes, index: IndexDraft, written: list[Path], history: set[str | None], named: set[str]
) -> None:
    """Put the root `stored` in place, whose new files (`written`) are on disk: then
    the index, the backup, and the deletion of files that only the old backup
    named (`named`: every interview file the old or new root names; `history`:
    their history files)."""
    path = home / STORE_NAME
    # The old store is held under a temp name until the new one is in place, and
    # only then becomes the backup: a failed save leaves store and backup as they were.
    previous = home / f".{STORE_NAME}.previous{TEMP_SUFFIX}"
    had_store = path.exists()
    with unless_saved(path, written):
        if had_store:
            _hold(path, previous)
        try:
            temp = staged(path, stored)
        except BaseException:
            with contextlib.suppress(OSError):
                previous.unlink()
            raise
    # The rename commits the change; from it on, Ctrl-C is ignored, so that the
    # index and the backup follow the store before the command reports the change.
    with interrupts_ignored():
        try:
            put_in_place(temp, path)
        except NotDurable as exc:
            _roll_back(path, previous if had_store else None, home / f"{STORE_NAME}.bak")
            unlink_all(written)
            raise not_saved(path, exc) from None
        except BaseException as exc:
            unlink_all(written)
            with contextlib.suppress(OSError):
                previous.unlink()
            if isinstance(exc, OSError):
                raise not_saved(path, exc) from None
            raise
        _after_commit(home, index, previous if had_store else None, history, named)


def _after_commit(
    home: Path, index: IndexDraft, previous: Path | None, history: set[str | None], named: set[str]
) -> None:
    """The pending index for the store now in place, the old store as the
    backup, and the history and interview files neither names deleted. The change is saved
    whatever happens here, so nothing here fails the command: an index that
    cannot be written leaves one that is ignored, and a backup that cannot
    be moved stays one change behind."""
    with contextlib.suppress(OSError):
        store = signature(home / STORE_NAME)
        write_unsynced(home / INDEX_NAME, index.encode(store))  # checked when read: no need to sync it
        newer_than_store(home / INDEX_NAME, store)
    if previous is not None:
        try:
            os.replace(previous, home / f"{STORE_NAME}.bak")
        except OSError:
            return  # the backup is one behind, so keep every history file
        finally:
            with contextlib.suppress(OSError):  # a rename between two names of one file does nothing
                previous.unlink()
    drop_unnamed(home, home / INTERVIEWS_DIR, history, named)


def _hold(path: Path, previous: Path) -> None:
    """Keep the current store as `previous`: another name for the same file, or a copy."""
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)  # the backup is as private as the store, even if the old file was not
    with contextlib.suppress(FileNotFoundError):
        previous.unlink()
    try:
        os.link(path, previous)
    except OSError:  # a file system without hard links
        previous.write_bytes(path.read_bytes())
        os.chmod(previous, 0o600)


def _roll_back(path: Path, previous: Path | None, backup: Path) -> None:
    """Put the old store back after a save that could not be made durable."""
    try:
        if previous is not None:
            os.replace(previous, path)
        else:
            path.unlink()
    except OSError as exc:
        raise StoreError(
            f"could not save {path} safely, nor put the old store back: {exc.strerror}",
            f"check the disk; the previous store is {previous or backup}",
        ) from None
