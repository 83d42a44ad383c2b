"""Whether the history file is the one the last change found intact (see `guard`),
without reading it: by its `signature`, recorded in the index that change wrote."""

from __future__ import annotations

from pathlib import Path

from followup.store.identity import signature
from followup.store.index import Index


def unchanged_since_checked(path: Path, index: Index) -> bool:
    """Whether the history file at `path` is the one the change that wrote `index`
    found intact: the same `signature`, and (git's rule for a "racily clean"
    file, as for the store in `followup.store.index`) older than the index, so
    that one rewritten within the same tick of the file system's clock as that
    change, on a file system that counts whole seconds, is read again."""
    now = _signature_of(path)
    return now is not None and now == index.history and max(now[2], now[3]) < index.written


def still_checked(path: Path, checked: list[int] | None) -> list[int] | None:
    """`checked`, the signature of the history file as a change found it, if the file at
    `path` still has it (not replaced since by another program); else None."""
    return checked if checked is not None and _signature_of(path) == checked else None


def _signature_of(path: Path) -> list[int] | None:
    try:
        return signature(path)
    except OSError:
        return None  # missing or unreadable: `_check_history` says which
