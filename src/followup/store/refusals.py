"""The store's refusals in words: a damaged file, and a file that is not a regular one."""

from __future__ import annotations

import os
from pathlib import Path

from followup.constants import STORE_NAME
from followup.errors import StoreError
from followup.store.files import NotRegular


def not_regular(exc: NotRegular, home: Path) -> StoreError:
    """A file of the store that is a link, a FIFO, a device or a folder. A link
    is refused rather than written through: the store's files are committed
    together by one rename in one folder (see `followup.store`), which a root
    that lives in another folder than its interview files and backup would
    break; a synced folder is used by pointing FOLLOWUP_HOME at it."""
    if exc.kind == "a symbolic link":
        try:
            target = exc.path.resolve(strict=False).parent
        except (OSError, RuntimeError):
            target = None
        where = f"FOLLOWUP_HOME={target}" if target else "FOLLOWUP_HOME at the folder that holds the real files"
        return StoreError(
            f"{exc.path} is a symbolic link: followup keeps its files together in one folder and does not follow links there",
            f"nothing was changed; point {where} (move every file of {home} there first), or replace the link by the file",
        )
    return StoreError(
        f"{exc.path} is {exc.kind}, not a regular file, so followup cannot read it",
        f"nothing was changed; move it out of {home} (followup never makes one); `followup doctor` checks every file",
    )


def refuse_linked_folder(folder: Path, home: Path) -> None:
    """A folder of the store that is a link (`interviews`) is refused as a linked file is."""
    if os.path.islink(folder):
        raise not_regular(NotRegular(folder, "a symbolic link"), home)


def _restore_hint(backup: Path, store: Path) -> str:
    if backup.is_file():
        return f"fix the file, or restore the previous store with: cp {backup} {store}"
    return "fix the file (there is no backup yet)"


def damaged(path: Path, reason: str, backup: Path, store: Path | None = None) -> StoreError:
    store = store or path.with_name(STORE_NAME)
    return StoreError(
        f"the store file {path} is damaged: {reason}",
        f"nothing was changed; {_restore_hint(backup, store)}; `followup doctor` checks every file",
    )
