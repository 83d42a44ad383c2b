"""What commands ask of the store, answered from the pending index when it can
be trusted and from the store itself when not: these are the only functions
that know both (the index knows nothing of the store)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from followup.constants import STORE_NAME
from followup.store.index import BadIndex, Deadlines, Index, read_index
from followup.store.index_check import regular_bytes
from followup.store.summary import Summary, summarize

T = TypeVar("T")


def with_pending(home: Path, use: Callable[[Index | None], T]) -> T:
    """`use(index)`, or `use(None)` when there is no index to trust or a line of
    it turns out broken; `use` then reads the store."""
    index = read_index(home)
    if index is not None:
        try:
            return use(index)
        except BadIndex:
            pass
    return use(None)


def store_summaries(home: Path) -> list[Summary]:
    """The slow path: pydantic and the whole store, which reports any damage."""
    from followup.store.core import Store

    return [summarize(interview) for interview in Store(home).read().open.values()]


def open_summaries(home: Path) -> list[Summary]:
    """The open interviews' summaries: from the index if it can be trusted, else from the store."""
    return with_pending(home, lambda index: index.summaries() if index else store_summaries(home))


def from_deadlines(home: Path, pick: Callable[[Deadlines], T]) -> T:
    """What `pick` takes from the pending steps of the open interviews, soonest
    first: from the index if it can be trusted, else from the store. `pick` only
    picks (a broken line of the index starts it again on the store); drawing
    comes after."""
    return with_pending(home, lambda index: pick(index.deadlines() if index else Deadlines.of(store_summaries(home))))


def closed_ids(home: Path) -> list[str]:
    """The closed interviews' ids as the store names them, for shell completion:
    read without pydantic or validation, and never raising (a store that cannot
    be read has none to offer)."""
    try:
        data = json.loads(regular_bytes(home / STORE_NAME))
        history = data.get("history") or {}
        ids = history.get("ids") or []
        return [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else []
    except (OSError, ValueError, AttributeError, TypeError, RecursionError):
        return []
