"""The store's files as bytes: read them strictly, say exactly what is wrong, write them.

The root `followup.json` (format 3) names the file of each open interview
under `interviews/`, the history file, and holds the journal; format 1 held
the open interviews themselves, and is migrated on read (see `_from_version_1`);
format 2 lacked only the optional contacts and address.

A hand-edited or damaged file is never guessed at: decoding fails with the
reason and the place (line and column, or the field and the interview), so
that the caller can refuse to write over it.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import threading
from collections.abc import Callable, Iterator
from typing import Any

from pydantic import TypeAdapter, ValidationError

from followup.models import Interview, JournalEntry
from followup.store.decoding import (
    HISTORY_FILE_VERSIONS,
    INTERVIEW_FILE_VERSIONS,
    INTERVIEW_PATTERN,
    ROOT_KEYS,
    VERSION,
    Damage,
    TooNew,
    decode,
    is_history_name,
)
from followup.store.document import Document, OpenInterviews
from followup.store.encoding import encode, encode_root

# One function per old format, each turning a document of that version into
# one of the next; `load_store` applies them in turn, and the caller keeps a
# copy of the old file before it writes the new one.
Migration = Callable[[dict[str, Any]], dict[str, Any]]


def _from_version_1(data: dict[str, Any]) -> dict[str, Any]:
    """Format 1 held the open interviews in the root: keep them inline here, to be
    written to their own files by the first change (readers use them as they are)."""
    interviews = data.pop("interviews", None) or []
    if not isinstance(interviews, list):
        raise Damage("interviews: expected a list")
    files: dict[str, Any] = {}
    for n, item in enumerate(interviews):
        key = item.get("id") if isinstance(item, dict) else None
        files[key if isinstance(key, str) else f"#{n}"] = item
    if len(files) != len(interviews):
        validate_interviews(interviews)  # names the id used twice
    return {**data, "version": 2, "files": files}


def _from_version_2(data: dict[str, Any]) -> dict[str, Any]:
    """Format 3 added the interviewers' contacts and the company's address, both
    optional: a format-2 root, and the files it names, are already format 3."""
    return {**data, "version": 3}


MIGRATIONS: dict[int, Migration] = {1: _from_version_1, 2: _from_version_2}


@functools.cache
def _interviews() -> TypeAdapter[list[Interview]]:
    # Made from the model once it is built (see `followup.models`, `defer_build`): an
    # adapter made first would build the same validator again, for nothing, a few ms.
    Interview.model_rebuild()
    return TypeAdapter(list[Interview])


@functools.cache
def _journal() -> TypeAdapter[list[JournalEntry]]:
    JournalEntry.model_rebuild()
    return TypeAdapter(list[JournalEntry])


class _CollectorPause:
    """Nested and threaded pauses of the cyclic collector: the first to begin
    turns it off (if it was on), the last to end turns it back on."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.depth = 0
        self.was_enabled = False

    @contextlib.contextmanager
    def __call__(self) -> Iterator[None]:
        with self.lock:
            if self.depth == 0:
                self.was_enabled = gc.isenabled()
                gc.disable()
            self.depth += 1
        try:
            yield
        finally:
            with self.lock:
                self.depth -= 1
                if self.depth == 0 and self.was_enabled:
                    gc.enable()


# Loading and saving make a great many small objects, none of them garbage yet;
# the cyclic collector would sweep them again and again (validating 10,000
# interviews takes twice as long with it running).
collector_paused = _CollectorPause()


def load_store(raw: bytes, load: Callable[[str, str], Interview] | None = None) -> Document:
    """`followup.json` as a Document (history not yet read, each open interview
    read by `load` when asked for), migrated if old."""
    with collector_paused():
        return _load_store(raw, load)


def _load_store(raw: bytes, load: Callable[[str, str], Interview] | None) -> Document:
    data = decode(raw)
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise Damage("no version number at the top level")
    if version > VERSION:
        raise TooNew(version)
    loaded_version = version
    while version < VERSION:
        if version not in MIGRATIONS:
            raise Damage(f"format {version} is unknown")
        data = MIGRATIONS[version](data)
        version += 1
    unknown = sorted(set(data) - ROOT_KEYS)
    if unknown:
        raise Damage(f"unknown field {unknown[0]!r} at the top level")
    history = data.get("history") or {}
    if not isinstance(history, dict):
        raise Damage("history: expected an object")
    history_file = history.get("file")
    closed_ids = history.get("ids", [])
    if (history_file is not None and not is_history_name(history_file)) or not (
        isinstance(closed_ids, list) and all(isinstance(i, str) for i in closed_ids)
    ):
        raise Damage("history: expected a file name like history-1.json and a list of ids")
    files = data.get("files") or {}
    if not isinstance(files, dict):
        raise Damage("files: expected an object")
    named = [name for name in files.values() if not isinstance(name, dict)]
    for key, name in files.items():
        if not isinstance(name, dict) and not (isinstance(name, str) and INTERVIEW_PATTERN.fullmatch(name)):
            raise Damage(f"files.{key}: expected a file name like acme-1128.1.json")
    if len(set(named)) != len(named):
        raise Damage("files: one file is named for two interviews")
    opened = OpenInterviews(dict.fromkeys(files), load)
    opened.files.update((key, name) for key, name in files.items() if isinstance(name, str))
    inline = [item for item in files.values() if isinstance(item, dict)]
    for interview in validate_interviews(inline):  # only from format 1, written by the first change
        opened[interview.id] = interview
    try:
        journal = _journal().validate_python(data.get("journal", []))
    except ValidationError as exc:
        raise Damage(_describe(exc, "journal")) from None
    return Document(
        open=opened,
        journal=journal,
        closed_ids=list(closed_ids),
        history_file=history_file,
        loaded_version=loaded_version,
        raw=raw,
    )


def load_history(raw: bytes) -> dict[str, Interview]:
    with collector_paused():
        data = decode(raw)
        _check_file_version(data, HISTORY_FILE_VERSIONS)
        return {i.id: i for i in validate_interviews(data.get("interviews"))}


def load_interview(raw: bytes, interview_id: str) -> Interview:
    """One open interview's file, which must hold that interview."""
    with collector_paused():
        data = decode(raw)
        _check_file_version(data, INTERVIEW_FILE_VERSIONS)
        (interview,) = validate_interviews([data.get("interview")], "interview")
    if interview.id != interview_id:
        raise Damage(f"it holds interview {interview.id!r}, but the store names it for {interview_id!r}")
    return interview


def _check_file_version(data: dict[str, Any], versions: tuple[int, ...]) -> None:
    if data.get("version") not in versions or isinstance(data.get("version"), bool):
        raise Damage(f"expected version {VERSION}, found {data.get('version')!r}")


def encode_interview(interview: Interview) -> bytes:
    return encode({"version": VERSION, "interview": interview})


def validate_interviews(items: Any, key: str = "interviews") -> list[Interview]:
    """Interview objects as JSON data into models, or Damage naming the first bad field
    or an id used twice (saving would silently drop one of the two)."""
    try:
        interviews = _interviews().validate_python(items)
    except ValidationError as exc:
        raise Damage(_describe(exc, key, items)) from None
    seen: set[str] = set()
    for interview in interviews:
        if interview.id in seen:
            raise Damage(f"interview {interview.id!r} appears twice")
        seen.add(interview.id)
    return interviews


def _describe(exc: ValidationError, key: str, items: Any = None) -> str:
    """The first error as `interviews[3].steps[2].due (interview acme-1128): message`."""
    error = exc.errors()[0]
    where = key
    for part in error["loc"][1:] if key == "interview" else error["loc"]:
        where += f"[{part}]" if isinstance(part, int) else f".{part}"
    loc = error["loc"]
    if loc and isinstance(loc[0], int) and isinstance(items, list) and isinstance(items[loc[0]], dict):
        interview_id = items[loc[0]].get("id")
        if isinstance(interview_id, str):
            where += f" (interview {interview_id})"
    return f"{where}: {error['msg']}"


def encode_store(document: Document) -> bytes:
    """The root, once every open interview has its file (see `Store._write_interviews`)."""
    return encode_root(document.open.files, document.history_file, document.closed_ids, document.journal)


def encode_history(closed: list[Interview]) -> bytes:
    return encode({"version": VERSION, "interviews": closed})
