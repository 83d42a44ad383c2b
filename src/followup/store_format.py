"""The store's files as bytes: read them strictly, say exactly what is wrong, write them.

A hand-edited or damaged file is never guessed at: decoding fails with the
reason and the place (line and column, or the field and the interview), so
that the caller can refuse to write over it.
"""

from __future__ import annotations

import codecs
import contextlib
import gc
import json
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any

from pydantic import TypeAdapter, ValidationError
from pydantic_core import PydanticSerializationError, to_json

from followup.document import VERSION, Document
from followup.models import Interview, JournalEntry

HISTORY_PATTERN = re.compile(r"history-(\d+)\.json")
TOP_LEVEL = {"version", "interviews", "history", "journal"}

# One function per old format, each turning a document of that version into
# one of the next; `load_store` applies them in turn, and the caller keeps a
# copy of the old file before it writes the new one.
Migration = Callable[[dict[str, Any]], dict[str, Any]]
MIGRATIONS: dict[int, Migration] = {}

_interviews = TypeAdapter(list[Interview])
_journal = TypeAdapter(list[JournalEntry])
_CONFLICT = re.compile(rb"^(<<<<<<<|>>>>>>>|=======)", re.MULTILINE)


class Damage(Exception):
    """Why a file cannot be read, in words for the user."""


class TooNew(Exception):
    """The file was written by a newer followup."""

    def __init__(self, version: int) -> None:
        super().__init__(version)
        self.version = version


def decode(raw: bytes) -> dict[str, Any]:
    """Bytes into the JSON object they hold, or Damage saying what is wrong and where."""
    if not raw.strip():
        raise Damage("the file is empty")
    if not raw.strip(b"\x00"):
        raise Damage("the file holds only NUL bytes (typical after a crash of the file system)")
    if raw.startswith(codecs.BOM_UTF8):
        raise Damage("the file starts with a byte-order mark; save it as UTF-8 without BOM")
    # Conflict markers are looked for only once the file fails to parse (it always
    # does: no JSON line starts with them), since a search costs 75 ms at 30 MB.
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _conflict(raw) or Damage(f"not UTF-8 text (byte {exc.start})") from None
    try:
        data = json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_refuse_duplicates)
    except json.JSONDecodeError as exc:
        raise _conflict(raw) or Damage(f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise _conflict(raw) or Damage("not valid JSON: nested too deeply") from None
    except ValueError as exc:
        raise _conflict(raw) or Damage(f"not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise Damage("expected a JSON object at the top level")
    return data


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


def _conflict(raw: bytes) -> Damage | None:
    conflict = _CONFLICT.search(raw)
    if conflict is None:
        return None
    line = raw.count(b"\n", 0, conflict.start()) + 1
    return Damage(f"it holds merge-conflict markers (line {line}); resolve the conflict")


def load_store(raw: bytes) -> Document:
    """`followup.json` as a Document (history not yet read), migrated if old."""
    with collector_paused():
        return _load_store(raw)


def _load_store(raw: bytes) -> Document:
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
    unknown = sorted(set(data) - TOP_LEVEL)
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
    interviews = validate_interviews(data.get("interviews", []))
    try:
        journal = _journal.validate_python(data.get("journal", []))
    except ValidationError as exc:
        raise Damage(_describe(exc, "journal")) from None
    return Document(
        open={i.id: i for i in interviews},
        journal=journal,
        closed_ids=list(closed_ids),
        history_file=history_file,
        loaded_version=loaded_version,
        raw=raw,
    )


def load_history(raw: bytes) -> dict[str, Interview]:
    with collector_paused():
        data = decode(raw)
        if data.get("version") != VERSION:
            raise Damage(f"expected version {VERSION}, found {data.get('version')!r}")
        return {i.id: i for i in validate_interviews(data.get("interviews"))}


def validate_interviews(items: Any) -> list[Interview]:
    """Interview objects as JSON data into models, or Damage naming the first bad field
    or an id used twice (saving would silently drop one of the two)."""
    try:
        interviews = _interviews.validate_python(items)
    except ValidationError as exc:
        raise Damage(_describe(exc, "interviews", items)) from None
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
    for part in error["loc"]:
        where += f"[{part}]" if isinstance(part, int) else f".{part}"
    loc = error["loc"]
    if loc and isinstance(loc[0], int) and isinstance(items, list) and isinstance(items[loc[0]], dict):
        interview_id = items[loc[0]].get("id")
        if isinstance(interview_id, str):
            where += f" (interview {interview_id})"
    return f"{where}: {error['msg']}"


def is_history_name(name: Any) -> bool:
    return isinstance(name, str) and HISTORY_PATTERN.fullmatch(name) is not None


def encode_store(document: Document) -> bytes:
    return _encode(
        {
            "version": VERSION,
            "interviews": list(document.open.values()),
            "history": {"file": document.history_file, "ids": document.closed_ids} if document.history_file else None,
            "journal": document.journal,
        }
    )


def encode_history(closed: list[Interview]) -> bytes:
    return _encode({"version": VERSION, "interviews": closed})


def _encode(data: dict[str, Any]) -> bytes:
    """Models and plain data as indented UTF-8 JSON, five times faster than
    json.dumps with an indent (which runs in Python; pydantic serialises in Rust).
    Byte for byte what `json.dumps(..., ensure_ascii=False, indent=1)` wrote for
    everything followup writes; a fraction such as 2.5e-05, which only a
    hand-edited journal could hold, may be spelled another way, same value."""
    try:
        return to_json(data, indent=1) + b"\n"
    except PydanticSerializationError as exc:
        if "surrogates not allowed" not in str(exc):
            raise
        # Text with a lone surrogate, which UTF-8 cannot hold: reported as json.dumps's would be.
        raise UnicodeEncodeError("utf-8", "", 0, 1, "surrogates not allowed") from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a valid JSON value")


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"the key {key!r} appears twice in one object")
            seen.add(key)
    return result
