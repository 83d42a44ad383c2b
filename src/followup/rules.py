"""The rules every text and time that followup keeps must follow, as plain functions.

`followup.models` applies them to every field (they are the store's invariants,
see there); the quick change of `followup.store.stored_change`, which writes
without building the models, applies the same functions to what it changes.
They raise pydantic-core's custom error, whose message pydantic shows as it is
(a ValueError's would start "Value error, "), and need nothing of pydantic but
its core, which every followup command imports anyway.
"""

from __future__ import annotations

from datetime import datetime

from pydantic_core import PydanticCustomError

from followup.constants import FIRST_YEAR, LAST_YEAR, TEXT_CONTROL


def invariant(message: str) -> PydanticCustomError:
    """A broken rule, its message shown as it is."""
    return PydanticCustomError("invariant", message.replace("{", "(").replace("}", ")"))


def plain(value: str) -> str:
    """Text without control characters other than newline and tab (the rule for every text field)."""
    found = TEXT_CONTROL.search(value)
    if found:
        code = ord(found.group())
        raise invariant(
            f"holds the control character U+{code:04X} (written \\u{code:04x} in JSON) at character"
            f" {found.start() + 1}; text may hold newlines and tabs but no other control character"
        )
    return value


def in_years(value: datetime) -> datetime:
    """A time within the years any WHEN may name (later ones overflow the arithmetic every view does)."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise invariant(f"the year {value.year} is not between {FIRST_YEAR} and {LAST_YEAR}")
    return value
