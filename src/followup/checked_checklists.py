"""Checklists already validated, kept so that `followup new` and `followup checklists`
read them again without PyYAML and pydantic's models (together half the time those
commands took).

When `checklists.load` has validated a file, it keeps the checklist as the model
dumps it in `cache/checklists/DIGEST.json` under the store's folder. DIGEST hashes
the file's bytes, its name (which must agree with the checklist's) and what the
rules were (this followup's version, and the size and time of the modules that
validate a checklist, RULES):
an entry is found only for the very bytes a followup with the very same rules
validated. An edited file has other bytes, so it is validated again. An entry
starts with a digest of its name and of the rest (`_seal`), so that one edited by
hand, copied under another name, damaged, or whose fields are not of their types
is not found either, and the file is validated again.

Nothing is kept where there is no store yet (a cache is no reason to make the
folder), in a cache folder that is a link, or by an install without sources; a
cache that cannot be written is no error. `new` and the list of `checklists`
keep and read entries (a hit marks its entry used); the entries used least
recently go beyond MAX_KEPT, and nothing else in the folder is ever deleted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from followup import __version__
from followup.constants import STORE_NAME
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


# The modules whose rules a checklist is validated by (and its durations written in).
RULES = ("models.py", "rules.py", "when.py", "constants.py", "ids.py", "checklists.py", "strict_yaml.py")


def _rules() -> bytes | None:
    """What the rules were (this followup's version, and the size and time of each
    module of RULES), or None where they cannot be told (an install without sources):
    then nothing is kept or found."""
    here = Path(__file__).parent
    try:
        stats = [os.stat(here / name) for name in RULES]
    except OSError:
        return None
    return " ".join([str(FORMAT), __version__, *(f"{s.st_size}.{s.st_mtime_ns}" for s in stats)]).encode()


def _entry(home: Path, path: Path, raw: bytes) -> Path | None:
    """Where the entry of the file `path` holding `raw` is kept; None where there is no
    cache to use: no store yet, no rules to key it on, or a cache folder that is a
    link (pruning it would delete whatever the link leads to)."""
    rules = _rules()
    folder = home / CACHE_DIR
    if rules is None or not (home / STORE_NAME).is_file() or folder.parent.is_symlink() or folder.is_symlink():
        return None
    digest = hashlib.sha256(b"\0".join([rules, path.stem.encode("utf-8", "surrogatepass"), raw])).hexdigest()
    return folder / f"{digest}.json"


def _seal(name: str, text: bytes) -> bytes:
    """The first line of an entry: a digest of its name and of the JSON after it, so that
    an entry edited by hand (whose checklist nothing validated) is a miss."""
    return hashlib.sha256(name.encode("ascii") + b"\0" + text).hexdigest().encode("ascii")


def checked(home: Path, path: Path, raw: bytes) -> CheckedChecklist | None:
    """The kept checklist of the file `path` holding `raw`, if one was validated."""
    entry = _entry(home, path, raw)
    if entry is None:
        return None
    try:
        seal, _, text = regular_bytes(entry).partition(b"\n")  # a FIFO in its place is a miss, not a wait
        if seal != _seal(entry.name, text):
            return None
        data = json.loads(text)
        steps = tuple(CheckedStep(**_fields(step, CheckedStep)) for step in data.pop("steps"))
        checklist = CheckedChecklist(steps=steps, **_fields(data, CheckedChecklist, skip="steps"))
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None
    flags_are_text = all(isinstance(key, str) and isinstance(value, str) for key, value in checklist.flags.items())
    if not (steps and flags_are_text and checklist.name == path.stem):
        return None
    with contextlib.suppress(OSError):
        os.utime(entry)  # used now: the last to be pruned
    return checklist


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
    entry = _entry(home, path, raw)
    if entry is None:
        return
    temp = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
    try:
        for folder in (entry.parent.parent, entry.parent):  # each owner-only, as the store's folder is
            folder.mkdir(mode=0o700, exist_ok=True)
        text = json.dumps(dumped, ensure_ascii=False).encode("utf-8")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(_seal(entry.name, text) + b"\n" + text)
        # A reader finds the whole entry or none; no fsync: a lost entry is a miss. (POSIX's rename
        # replaces as os.replace does; os.replace is left to the store's saves, whose tests fail it.)
        os.rename(temp, entry)
        _prune(entry.parent)
    except (OSError, ValueError):  # ValueError: text JSON cannot hold (a lone surrogate)
        with contextlib.suppress(OSError):
            temp.unlink()


ENTRY = re.compile(r"[0-9a-f]{64}\.json")
TEMP = re.compile(r"\.[0-9a-f]{64}\.json\.\d+\.tmp")  # what a `keep` killed half-way left
STALE_SECONDS = 600


def _prune(folder: Path) -> None:
    """The entries least recently used beyond MAX_KEPT go, and temp files older than
    STALE_SECONDS; nothing else in the folder is touched."""
    names = os.listdir(folder)
    entries = [folder / name for name in names if ENTRY.fullmatch(name)]
    for old in sorted(entries, key=lambda p: p.stat().st_mtime_ns)[:-MAX_KEPT]:
        old.unlink(missing_ok=True)
    for temp in (folder / name for name in names if TEMP.fullmatch(name)):
        if time.time() - temp.stat().st_mtime > STALE_SECONDS:
            temp.unlink(missing_ok=True)
