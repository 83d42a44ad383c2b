"""What a change must find readable before it saves: the files whose older
versions saving would delete (see `check_kept`)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from followup.store.decoding import HISTORY_FILE_VERSIONS, Damage, TooNew, decode
from followup.store.document import Document
from followup.store.files import NotRegular, read_regular
from followup.store.format import load_store
from followup.store.index import signature
from followup.store.refusals import damaged, not_regular

if TYPE_CHECKING:
    from followup.store.core import Store


def check_kept(
    store: Store,
    document: Document,
    before: dict[str, str | None],
    history: str | None,
    closed_ids: list[str],
    history_checked: list[int] | None = None,
) -> None:
    """Refuse the change (a StoreError, nothing written) if a file the store
    names cannot be read where saving would lose what could replace it.

    Saving makes the store the backup and deletes the files that only the
    old backup named: an older version of an interview changed by the last
    change, or an older history file. So each file of the store that takes
    the place of one of those is read and validated first, and the history
    file is always read (it is one file, and a truncated, emptied or missing
    one would otherwise be carried on by every change, the intact older one
    deleted). Interviews that neither this change nor the last one touched
    are named by the backup too, so nothing of them is lost; `doctor` checks
    every file. The history file is not read again while it has the
    `signature` it had when the last change checked it (`history_checked`,
    from the index): history files are never rewritten, so it is that file."""
    backup_files: dict[str, str | None] = {}
    backup_history: str | None = None
    with contextlib.suppress(OSError, Damage, TooNew):  # no backup that can be read: it can restore nothing
        older = load_store(read_regular(store.backup))
        backup_files, backup_history = older.open.files, older.history_file
    read = store._reader(document.raw) if document.raw is not None else None
    for key, name in before.items():
        previous = backup_files.get(key)
        if name and read and previous and previous != name and key not in document.open.models:
            read(key, name)
    if history and not document.history_changed:
        if backup_history != history:
            document.closed()  # validated in full: the backup's own history file is about to go
        elif history_checked is None or _signature_of(store.home / history) != history_checked:
            _check_history(store, store.home / history, closed_ids)


def _signature_of(path: Path) -> list[int] | None:
    try:
        return signature(path)
    except OSError:
        return None  # missing or unreadable: `_check_history` says which


def _check_history(store: Store, path: Path, closed_ids: list[str]) -> None:
    """The history file as JSON with every closed id: cheap enough for every change."""
    try:
        data = decode(read_regular(path))
    except FileNotFoundError:
        raise store._unreadable_error(path, "is missing") from None
    except NotRegular as exc:
        raise not_regular(exc, store.home) from None
    except OSError as exc:
        raise store._unreadable_error(path, f"cannot be read: {exc.strerror}") from None
    except Damage as exc:
        raise damaged(path, str(exc), store.backup, store.path) from None
    items = data.get("interviews")
    ids = {item.get("id") for item in items if isinstance(item, dict)} if isinstance(items, list) else set()
    missing = [i for i in closed_ids if i not in ids]
    if data.get("version") not in HISTORY_FILE_VERSIONS or missing:
        reason = f"it lacks closed interviews {', '.join(missing[:5])}" if missing else "not a history file"
        raise damaged(path, reason, store.backup, store.path)
