"""What a change must find readable before it saves: the files whose older
versions saving would delete (see `check_kept`)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from followup.store.decoding import HISTORY_FILE_VERSIONS, Damage, TooNew, decode, lacking
from followup.store.document import Document
from followup.store.files import NotRegular, open_regular, read_regular
from followup.store.format import load_store
from followup.store.history_check import unchanged_since_checked
from followup.store.identity import signature_of
from followup.store.index import Index
from followup.store.refusals import not_regular

if TYPE_CHECKING:
    from followup.store.core import Store


def check_kept(
    store: Store,
    document: Document,
    before: dict[str, str | None],
    history: str | None,
    closed_ids: list[str],
    index: Index | None = None,
) -> list[int] | None:
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
    every file.

    The history file is not read again while it is the file the last change
    found intact (`unchanged_since_checked`, by the `index` that change
    wrote): history files are never rewritten. Returns the `signature` of the
    history file as this change read it and found it intact, for the index to
    record (`still_checked`), or None."""
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
    if not history or document.history_changed:
        return None
    path = store.home / history
    if backup_history != history:
        document.closed()  # validated in full, every closed id too: the backup's own history file is about to go
        return document.history_read
    if index is not None and unchanged_since_checked(path, index):
        return index.history
    return _check_history(store, path, closed_ids)


def _check_history(store: Store, path: Path, closed_ids: list[str]) -> list[int]:
    """The history file as JSON with every closed id, cheap enough for every change;
    its signature as read (through the descriptor that read it)."""
    try:
        with os.fdopen(open_regular(path), "rb") as handle:
            info = os.fstat(handle.fileno())
            data = decode(handle.read())
    except FileNotFoundError:
        raise store._unreadable_error(path, "is missing") from None
    except NotRegular as exc:
        raise not_regular(exc, store.home) from None
    except OSError as exc:
        raise store._unreadable_error(path, f"cannot be read: {exc.strerror}") from None
    except Damage as exc:  # the backup names this very file: restoring it would not help
        raise store._unreadable_error(path, f"is damaged: {exc}") from None
    items = data.get("interviews")
    ids = {item.get("id") for item in items if isinstance(item, dict)} if isinstance(items, list) else set()
    reason = lacking(closed_ids, ids) or (
        "not a history file" if data.get("version") not in HISTORY_FILE_VERSIONS else None
    )
    if reason:
        raise store._unreadable_error(path, f"is damaged: {reason}")
    return signature_of(info)
