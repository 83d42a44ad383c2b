"""Deleting the files no root names any more, once a change has committed.

History and interview files are immutable and named by the root
(`followup.json`) and its backup; a root kept from before a migration
(`followup.json.v2.bak`) keeps its files too, since it is the store to go back
to with the older followup. Everything here is best effort: a file that cannot
be deleted now is deleted by a later change.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from followup.store.decoding import HISTORY_PATTERN, INTERVIEW_PATTERN, Damage, decode, is_history_name
from followup.store.files import TEMP_SUFFIX, read_regular


def drop_unnamed(home: Path, interviews: Path, history: set[str | None], named: set[str]) -> None:
    """Delete the history files in `home` and the interview files (and a crash's
    temporary files) in `interviews` that neither `history`/`named` nor a root
    kept from before a migration name."""
    kept = named_by_old_roots(home)
    _drop_unused_history(home, history | kept)
    _drop_unnamed_interviews(interviews, named | kept)


def _drop_unnamed_interviews(interviews: Path, named: set[str]) -> None:
    """The versions two changes old, and what a crash left."""
    with contextlib.suppress(OSError):
        for name in set(os.listdir(interviews)) - named:
            if INTERVIEW_PATTERN.fullmatch(name) or name.endswith(TEMP_SUFFIX):
                with contextlib.suppress(OSError):
                    os.unlink(interviews / name)


def _drop_unused_history(home: Path, keep: set[str | None]) -> None:
    """Or leave them to the next change, if the folder cannot be listed."""
    with contextlib.suppress(OSError):
        for path in list(home.iterdir()):
            if HISTORY_PATTERN.fullmatch(path.name) and path.name not in keep:
                with contextlib.suppress(OSError):
                    path.unlink()


def named_by_old_roots(home: Path) -> set[str]:
    """The interview and history files that the roots kept from before a migration
    (`followup.json.v2.bak`) name, so that they stay while those roots do: such a
    root is the store to go back to with the older followup. Nothing for an
    unreadable one (and format 1 named no files)."""
    names: set[str] = set()
    with contextlib.suppress(OSError):
        for path in home.glob("followup.json.v*.bak"):
            with contextlib.suppress(Damage, OSError):
                names |= _names_in_root(decode(read_regular(path)))  # a FIFO is skipped, not waited on
    return names


def _names_in_root(data: dict[str, Any]) -> set[str]:
    files, history = data.get("files"), data.get("history")
    names = {name for name in files.values() if isinstance(name, str)} if isinstance(files, dict) else set()
    if isinstance(history, dict) and is_history_name(history.get("file")):
        names.add(history["file"])
    return names
