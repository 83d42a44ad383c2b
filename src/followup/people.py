"""Interviewer names as a user types them, one rule for every option that names one.

`letter --to` and `edit --remove-interviewer` accept the same: the exact name,
or else an unambiguous, case-insensitive start of the whole name, or else of
any word in it (`lóp` for Ana López), and then the same without accents
(`lop` for Ana López, `lukasz` for Łukasz), so that what works in one works in
the other. `--title` and `--note-for` read NAME=VALUE with one rule too
(`split_pair`), which a name that holds `=` itself needs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from followup.errors import UsageError
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


# `"A=B"=CTO`: a name in double quotes, then `=`, says outright where the name ends.
_QUOTED = re.compile(r'\s*"([^"]+)"\s*=(.*)', re.DOTALL)


def check_pair(text: str, option: str, form: str, example: str) -> None:
    """A UsageError unless `text` can be NAME=VALUE (a `=` with a name before it),
    for checking an option before the panel it names is known."""
    name, equals, _ = text.partition("=")
    if not equals or not name.strip():
        raise UsageError(f"{option}: {text!r} is not {form}", f"for example: {option} {example}")


def split_pair(text: str, names: Sequence[str], option: str, form: str, example: str) -> tuple[str, str]:
    """`NAME=VALUE` (`--title`, `--note-for`) as (the name as typed, the value), for the panel `names`.

    A name may hold `=` itself (`A=B=CTO`), so the `=` that ends the name is the
    one that leaves an interviewer on the left (a whole name before the start of
    one). When none does it is the first, so that the error names what was typed
    and ordinary names read as they always did; when two readings name someone,
    the user says which by quoting the name, `"A=B"=CTO`.
    """
    check_pair(text, option, form, example)
    quoted = _QUOTED.fullmatch(text)
    if quoted:
        return quoted.group(1).strip(), quoted.group(2)
    whole = {name.casefold() for name in names}
    splits = [at for at, char in enumerate(text) if char == "=" and text[:at].strip()]
    naming = [at for at in splits if matching_names(names, text[:at])]
    exact = [at for at in naming if text[:at].strip().casefold() in whole]
    if len(exact) == 1:
        at = exact[0]
    elif len(naming) == 1:
        at = naming[0]
    elif not naming:
        at = splits[0]
    else:
        readings = "; ".join(text[:split].strip() for split in naming)
        longest = naming[-1]
        raise UsageError(
            f"{option}: {text!r} could name more than one interviewer ({readings})",
            f"put the name in double quotes: {option} '\"{text[:longest].strip()}\"={text[longest + 1 :]}'",
        )
    return text[:at].strip(), text[at + 1 :]
