"""Interviewer names as a user types them, one rule for every option that names one.

`letter --to` and `edit --remove-interviewer` accept the same: the exact name,
or else an unambiguous, case-insensitive start of the whole name, or else of
any word in it (`lóp` for Ana López), and then the same without accents
(`lop` for Ana López, `lukasz` for Łukasz), so that what works in one works in
the other.
"""

from __future__ import annotations

from collections.abc import Sequence

from followup.ids import latin


def matching_names(names: Sequence[str], wanted: str) -> list[str]:
    """The names `wanted` names: the first of exact, start of the name, start of a
    word that matches anything (several when it is ambiguous; none for blank); as
    typed first, then without accents, so that `lukasz` names Łukasz."""
    for fold in (str.casefold, lambda text: latin(text).casefold()):
        typed = fold(wanted.strip())
        if not typed:
            continue
        exact = [name for name in names if fold(name) == typed]
        starts = [name for name in names if fold(name).startswith(typed)]
        words = [name for name in names if any(word.startswith(typed) for word in fold(name).split())]
        found = next((matches for matches in (exact, starts, words) if matches), [])
        if found:
            return found
    return []
