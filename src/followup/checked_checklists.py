"""Checklists already validated, kept so that `followup new` and `followup checklists`
read them again without PyYAML and pydantic's models (together half the time those
commands took).

When `checklists.load` has validated a file, it keeps the checklist as the model
dumps it in `cache/checklists/DIGEST.json` under the store's folder. DIGEST hashes
the file's bytes, its name (which must agree with the checklist's) and what the
rules were (this followup's version, and the size and time of the models' source):
an entry is found only for the very bytes a followup with the very same rules
validated. An edited file has other bytes, so it is validated again; an entry
that cannot be read, or whose fields are not of their types, is not found.

Nothing is kept where the store's folder does not exist yet (a cache is no reason
to make it), and a cache that cannot be written is no error: the next command
validates the file again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from followup import __version__
from followup.store.index_check import regular_bytes

CACHE_DIR = Path("cache") / "checklists"
FORMAT = 1
MAX_KEPT = 64  # each edit of a checklist keeps a new entry: the oldest go


@dataclass(frozen=True, slots=True)
class CheckedStep:
    """A checklist step as `followup.models.ChecklistStep` validated it."""

    id: str
    title: str
    why: str
    due: str
    when: str | None
    per_interviewer: bool
    before_decision: str | None
    after_decision: str | None
    too_late: str | None


@dataclass(frozen=True, slots=True)
class CheckedChecklist:
    """A checklist as `followup.models.Checklist` validated it (a `planning.Plan`)."""

    name: str
    title: str
    description: str
    flags: dict[str, str]
    steps: tuple[CheckedStep, ...]


def _rules() -> bytes:
    models = os.stat(Path(__file__).with_name("models.py"))
    return f"{FORMAT} {__version__} {models.st_size} {models.st_mtime_ns}".encode()


def _entry(home: Path, path: Path, raw: bytes) -> Path:
    digest = hashlib.sha256(b"\0".join([_rules(), path.stem.encode("utf-8", "surrogatepass"), raw])).hexdigest()
    return home / CACHE_DIR / f"{digest}.json"


def checked(home: Path, path: Path, raw: bytes) -> CheckedChecklist | None:
    """The kept checklist of the file `path` holding `raw`, if one was validated."""
    try:
        data = json.loads(regular_bytes(_entry(home, path, raw)))  # a FIFO in its place is a miss, not a wait
        steps = tuple(CheckedStep(**_fields(step, CheckedStep)) for step in data.pop("steps"))
        checklist = CheckedChecklist(steps=steps, **_fields(data, CheckedChecklist, skip="steps"))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    flags_are_text = all(isinstance(key, str) and isinstance(value, str) for key, value in checklist.flags.items())
    return checklist if steps and flags_are_text and checklist.name == path.stem else None


_TYPES: dict[str, tuple[type, ...]] = {
    "id": (str,),
    "name": (str,),
    "title": (str,),
    "why": (str,),
    "description": (str,),
    "due": (str,),
    "when": (str, type(None)),
    "per_interviewer": (bool,),
    "before_decision": (str, type(None)),
    "after_decision": (str, type(None)),
    "too_late": (str, type(None)),
    "flags": (dict,),
}


def _fields(data: Any, kind: type, skip: str = "") -> dict[str, Any]:
    """`data`'s fields for `kind`, each of its type; raises TypeError otherwise."""
    names = [name for name in kind.__dataclass_fields__ if name != skip]  # type: ignore[attr-defined]
    if not isinstance(data, dict) or set(data) != set(names):
        raise TypeError("not the fields of a checked checklist")
    for name in names:
        if not isinstance(data[name], _TYPES[name]):
            raise TypeError(f"{name}: not of its type")
    return data


def keep(home: Path, path: Path, raw: bytes, dumped: dict[str, Any]) -> None:
    """Keep the checklist `dumped` (a model dump) that the file `path` holding `raw` validated to."""
    if not home.is_dir():
        return
    entry = _entry(home, path, raw)
    temp = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
    try:
        for folder in (entry.parent.parent, entry.parent):  # each owner-only, as the store's folder is
            folder.mkdir(mode=0o700, exist_ok=True)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(dumped, handle, ensure_ascii=False)
        # A reader finds the whole entry or none; no fsync: a lost entry is a miss. (POSIX's rename
        # replaces as os.replace does; os.replace is left to the store's saves, whose tests fail it.)
        os.rename(temp, entry)
        _prune(entry.parent)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
    for old in entries[:-MAX_KEPT]:
        old.unlink(missing_ok=True)
