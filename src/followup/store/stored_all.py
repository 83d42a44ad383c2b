"""Every interview, open and closed, read from its file as it is, without pydantic
(see `followup.store.stored`): what `export` writes, where the index vouches for
every file."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from followup.store.decoding import (
    HISTORY_FILE_VERSIONS,
    INTERVIEW_FILE_VERSIONS,
    INTERVIEWS_DIR,
    VERSION,
    Damage,
    decode,
)
from followup.store.files import open_regular, read_regular
from followup.store.identity import signature_of
from followup.store.index import BadIndex
from followup.store.stored import NotPlain, as_dumped, stamped, stored_interview, stored_moment, vouched_root

T = TypeVar("T")


def each_stored(home: Path, use: Callable[[dict[str, Any]], T]) -> list[T] | None:
    """`use` of every interview, open and closed, as its file holds it (the data its
    model dumps), in order of start time as `Document.each` gives them; None when
    the command should read the store the validating way: the index does not vouch
    for every open interview's file and for the history file, as the last change
    that read it through found it, or one is not as a model would dump it."""
    from followup.store.history_check import unchanged_since_checked

    base = vouched_root(home)
    if base is None:
        return None
    index, root = base
    rows: list[tuple[datetime, str, T]] = []
    try:
        files, history = root["files"], root.get("history")
        if root.get("version") != VERSION or not all(isinstance(name, str) for name in files.values()):
            return None
        stamps = {summary.id: summary.file for summary in index.summaries()}
        if len(stamps) != len(files):
            return None
        for key, name in files.items():
            with os.fdopen(open_regular(home / INTERVIEWS_DIR / name), "rb") as handle:
                if not stamped(index, stamps.get(key), name, signature_of(os.fstat(handle.fileno()))):
                    return None
                data = decode(handle.read())
            if data.get("version") not in INTERVIEW_FILE_VERSIONS or set(data) != {"version", "interview"}:
                return None
            rows.append(_vouched_row(data["interview"], key, use))
        if history is not None:
            path = home / history["file"]
            if not unchanged_since_checked(path, index):
                return None
            data = decode(read_regular(path))
            closed = data["interviews"]
            if data.get("version") not in HISTORY_FILE_VERSIONS or sorted(i["id"] for i in closed) != sorted(
                history["ids"]
            ):
                return None  # not as `_write_history` wrote it for this root: the validating way says why
            rows += [_row(item, item["id"], use) for item in closed]
    except (OSError, Damage, BadIndex, ValueError, KeyError, AttributeError, TypeError):  # NotPlain is a ValueError
        return None
    rows.sort(key=lambda row: (row[0], row[1]))
    return [row[2] for row in rows]


def _vouched_row(data: Any, key: str, use: Callable[[dict[str, Any]], T]) -> tuple[datetime, str, T]:
    """An open interview's row, from a file the index vouches for: it holds what a change
    validated, so only what the export relies on is checked (its id, start and keys)."""
    if not isinstance(data, dict) or data.get("id") != key or not as_dumped(data):
        raise NotPlain
    return stored_moment(data["at"]), key, use(data)


def _row(data: Any, key: str, use: Callable[[dict[str, Any]], T]) -> tuple[datetime, str, T]:
    """A closed interview's row: the history file was found intact, not validated, so all is checked."""
    interview = stored_interview(data)
    if interview.id != key or not as_dumped(data):
        raise NotPlain
    return interview.at, interview.id, use(data)
