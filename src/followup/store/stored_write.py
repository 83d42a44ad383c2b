"""Writing an open interview's file on the store as it is, without the models: what
the quick changes (`stored_change`) and the quick `new` (`stored_add`) share.

Each holds the store's lock as `Store.change` does (`locked_to_change`), makes
sure the validating way would have nothing more to read before saving
(`root_as_written`, `nothing_to_check`), and commits a root naming one new
interview file, with the index updated line by line (`write_open`).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from followup import constants
from followup.constants import INDEX_NAME, LOCK_NAME, STORE_NAME
from followup.store.commit import STRAY_TEMPS, commit, locked, unless_saved, write_interview
from followup.store.decoding import INTERVIEWS_DIR, ROOT_KEYS, VERSION, Damage, decode
from followup.store.encoding import encode, encode_root
from followup.store.files import fsync_dir, read_regular, remove_stray_temps
from followup.store.history_check import still_checked, unchanged_since_checked
from followup.store.identity import signature, stamps_in
from followup.store.index import Index
from followup.store.index_update import update_index
from followup.store.stored import NotPlain, StoredInterview, is_vouched_for, stored_interview


@contextlib.contextmanager
def locked_to_change(home: Path, lock_timeout: float) -> Iterator[bool]:
    """The store's lock, and the temp files of a change killed half-way removed, as
    `Store.change` takes it; False, without the lock, for a store without an index
    (nothing vouches for its files, and there may be no folder to lock in)."""
    if not (home / INDEX_NAME).is_file():
        yield False
        return
    with locked(home / LOCK_NAME, lock_timeout):
        remove_stray_temps(home, STRAY_TEMPS)
        yield True


def root_as_written(root: dict[str, Any]) -> bool:
    """A root of the current format, as this followup writes it."""
    files, history = root.get("files"), root.get("history")
    return (
        root.get("version") == VERSION
        and set(root) <= ROOT_KEYS
        and isinstance(files, dict)
        and all(isinstance(name, str) for name in files.values())
        and (history is None or (isinstance(history, dict) and set(history) == {"file", "ids"}))
        and isinstance(root.get("journal", []), list)
    )


def nothing_to_check(home: Path, index: Index, root: dict[str, Any], changed: str | None) -> bool:
    """Whether `guard.check_kept` would find nothing to read when the interview `changed`
    (None for a new one) is saved: each other file that replaces another version the
    backup names is vouched for, and so is the history file."""
    backup_files: dict[str, Any] = {}
    backup_history = None
    try:
        # json.loads, not `decode`: a backup with a key twice, which `decode` refuses (and
        # `guard` then reads nothing for), gives the answer here or False (the validating way).
        backup = json.loads(read_regular(home / f"{STORE_NAME}.bak"))
        if backup.get("version") != VERSION:
            return False  # an older root, which `guard` reads migrated: the validating way
        backup_files = backup.get("files") or {}
        backup_history = (backup.get("history") or {}).get("file")
    except (OSError, ValueError, AttributeError, RecursionError):  # ValueError: not JSON, or not UTF-8
        pass  # no backup that can be read: it can restore nothing, and `guard` reads nothing for it
    if not isinstance(backup_files, dict) or not all(isinstance(name, str) for name in backup_files.values()):
        return False
    for key, name in root["files"].items():
        previous = backup_files.get(key)
        if key != changed and previous and previous != name and not _vouched_as_it_is(home, index, root, key, name):
            return False
    history = (root.get("history") or {}).get("file")
    return history is None or (backup_history == history and unchanged_since_checked(home / history, index))


def _vouched_as_it_is(home: Path, index: Index, root: dict[str, Any], key: str, name: str) -> bool:
    try:
        return is_vouched_for(index, root, key, name, signature(home / INTERVIEWS_DIR / name))
    except OSError:
        return False  # missing or unreadable: the validating way says which


def journal_with(
    root: dict[str, Any], summary: str, now: datetime, key: str, before: dict[str, Any] | None
) -> list[Any]:
    """The root's journal and the entry of a change to the interview `key`, which keeps
    it as it was (`before`: open, or None for one the change adds), as `journal.record`
    of a `journal.snapshot` makes it and the models dump it."""
    snapshot = {"id": key, "place": "open" if before is not None else "absent", "interview": before}
    journal = [*root.get("journal", []), {"at": now, "summary": summary, "before": [snapshot]}]
    return journal[-constants.JOURNAL_LIMIT :]  # looked up when called: the model test lowers it


def write_open(
    home: Path,
    index: Index,
    root: dict[str, Any],
    key: str,
    old_name: str | None,
    interview: dict[str, Any],
    journal: list[Any],
) -> StoredInterview | None:
    """Commit a root that names a new file holding `interview` (the open interview
    `key`, whose file was `old_name`, or a new one) and holds `journal`: the interview
    as the file holds it; None, with nothing written, if the file would not be read
    as it is (`stored`) or the index cannot be updated line by line."""
    try:
        data = encode({"version": VERSION, "interview": interview})
        changed = stored_interview(decode(data)["interview"])  # what the file will hold, held to `stored`'s checks
    except (UnicodeEncodeError, Damage, NotPlain, ValueError, KeyError, TypeError, AttributeError):
        return None  # text UTF-8 cannot hold, or a file `stored` would not read: the validating way says why
    files: dict[str, str] = root["files"]
    history = root.get("history")
    history_file, closed_ids = (history["file"], history["ids"]) if history else (None, [])
    interviews = home / INTERVIEWS_DIR
    written: list[Path] = []
    with unless_saved(home / STORE_NAME, written):
        name = write_interview(interviews, key, data, old_name, written, sync=True)
        fsync_dir(interviews)
        new_files: dict[str, str | None] = {other: file for other, file in files.items() if other != key}
        new_files[key] = name  # a changed interview moves to the end, as `Document.put` moves it
        stored = encode_root(new_files, history_file, closed_ids, journal)
        draft = update_index(index, list(files), list(new_files), [changed], stored, stamps_in(interviews, new_files))
        if draft is None:
            (interviews / name).unlink()
            return None
        if history_file:
            draft.header["history"] = still_checked(home / history_file, index.history)
    commit(home, stored, draft, written, {history_file}, {*files.values(), name})
    return changed
