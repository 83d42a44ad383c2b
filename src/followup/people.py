"""Interviewer names as a user types them, one rule for every option that names one.

`letter --to` and `edit --remove-interviewer` accept the same: the exact name,
or else an unambiguous, case-insensitive start of the whole name, or else of
any word in it (`lóp` for Ana López), so that what works in one works in the
other.
"""

from __future__ import annotations

from collections.abc import Sequence


def matching_names(names: Sequence[str], wanted: str) -> list[str]:
    """The names `wanted` names: the first of exact, start of the name, start of a
    word that matches anything (several when it is ambiguous; none for blank)."""
    wanted = wanted.strip().casefold()
    if not wanted:
        return []
    exact = [name for name in names if name.casefold() == wanted]
    starts = [name for name in names if name.casefold().startswith(wanted)]
    words = [name for name in names if any(word.startswith(wanted) for word in name.casefold().split())]
    return next((matches for matches in (exact, starts, words) if matches), [])
