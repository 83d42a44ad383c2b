"""Every interview, open and closed, read from its file as it is, without pydantic
(see `followup.store.stored`): what `export` writes, where the index vouches for
every file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from followup.store.decoding import (
    HISTORY_FILE_VERSIONS,
    VERSION,
    decode,
)
from followup.store.files import read_regular
from followup.store.history_check import unchanged_since_checked
from followup.store.index import Index
from followup.store.stored import (
    UNREADABLE,
    NotPlain,
    as_dumped,
    read_vouched,
    stored_interview,
    stored_moment,
    vouched_root,
)

T = TypeVar("T")


def each_stored(home: Path, use: Callable[[dict[str, Any]], T]) -> list[T] | None:
    """`use` of every interview, open and closed, as its file holds it (the data its
    model dumps), in order of start time as `Document.each` gives them; None when
    the command should read the store the validating way: the index does not vouch
    for every open interview's file and for the history file, as the last change
    that read it through found it, or one is not as a model would dump it."""
    base = vouched_root(home)
    if base is None:
        return None
    index, root = base
    rows: list[tuple[datetime, str, T]] = []
    try:
        files, history = root["files"], root.get("history")
        if root.get("version") != VERSION or not all(isinstance(name, str) for name in files.values()):
            return None
        stamps = index.file_stamps()
        if len(stamps) != len(files):
            return None
        for key, name in files.items():
            data = read_vouched(home, index, stamps.get(key), name)
            if data is None:
                return None
            rows.append(_vouched_row(data, key, use))
        if history is not None:
            closed = vouched_history(home, index, history, HISTORY_FILE_VERSIONS)
            if closed is None:
                return None
            rows += [checked_row(item, use) for item in closed]
    except UNREADABLE:
        return None
    rows.sort(key=lambda row: (row[0], row[1]))
    return [row[2] for row in rows]


def _vouched_row(data: Any, key: str, use: Callable[[dict[str, Any]], T]) -> tuple[datetime, str, T]:
    """An open interview's row, from a file the index vouches for: it holds what a change
    validated, so only what the export relies on is checked (its id, start and keys)."""
    if not isinstance(data, dict) or data.get("id") != key or not as_dumped(data):
        raise NotPlain
    return stored_moment(data["at"]), key, use(data)


def vouched_history(
    home: Path, index: Index, history: dict[str, Any], versions: tuple[int, ...]
) -> list[dict[str, Any]] | None:
    """The closed interviews of the root's `history` (its file and ids) from a file of one
    of `versions` that the index vouches for (the last change that read it through found it
    intact), as JSON data; None if not, or if it holds other ids than the root names.
    OSError, Damage and the errors of data not as expected if it cannot be read."""
    path = home / history["file"]
    if not unchanged_since_checked(path, index):
        return None
    data = decode(read_regular(path))
    items: list[dict[str, Any]] = data["interviews"]
    if data.get("version") not in versions or sorted(item["id"] for item in items) != sorted(history["ids"]):
        return None  # not as `Store._write_history` wrote it for this root: the validating way says why
    return items


def checked_row(data: Any, use: Callable[[dict[str, Any]], T]) -> tuple[datetime, str, T]:
    """A closed interview's row: the history file was found intact, not validated, so all
    is checked (NotPlain if it breaks a rule or is not as its model would dump it)."""
    interview = stored_interview(data)
    if interview.id != data["id"] or not as_dumped(data):
        raise NotPlain
    return interview.at, interview.id, use(data)
