"""The store: the interviews on disk, safe against crashes, locks and damage.

TODO design docstring
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    """`from followup.store import Store`, imported only when asked for: the
    index and its queries must load without pydantic (see `followup due`)."""
    if name == "Store":
        from followup.store.core import Store

        return Store
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
