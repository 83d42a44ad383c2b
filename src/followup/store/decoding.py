"""The store's files as JSON, decoded strictly, without pydantic: the formats'
versions, and `decode`, which says exactly what is wrong with bytes that are not
the JSON object a file of the store must hold (`followup.store.format` then
validates it into models; `followup.store.stored` reads an interview to show it).
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Container, Iterable
from typing import Any

VERSION = 3
# Interview and history files of these formats read alike, so files written before
# a migration stay as they are: format 3 only added optional fields (contacts,
# address), and a history file of format 1 (followup 0.x) has the same shape.
# Format 1 had no interview files.
INTERVIEW_FILE_VERSIONS = (2, 3)
ROOT_KEYS = frozenset({"version", "files", "history", "journal"})  # the top level of the root, `followup.json`
HISTORY_FILE_VERSIONS = (1, 2, 3)
HISTORY_PATTERN = re.compile(r"history-(\d+)\.json")
# interviews/acme-1128.3.json: the id (or, for an id that is no safe file name,
# a slug of it and a digest), then the version of that interview's file.
INTERVIEW_PATTERN = re.compile(r"([a-z0-9][a-z0-9-]{0,80})\.(\d{1,9})\.json")
INTERVIEWS_DIR = "interviews"
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
    # Only a \\u escape makes a lone surrogate, and followup writes none: a fast search first.
    if (b"\\ud" in raw or b"\\uD" in raw) and (where := _lone_surrogate(data)):
        raise Damage(
            f"{where}: holds a lone surrogate (a \\ud800-\\udfff escape not part of a pair), which is not text"
        )
    return data


def lacking(closed_ids: Iterable[str], present: Container[object]) -> str | None:
    """What is wrong with a history file that does not hold every closed interview the root lists."""
    missing = [i for i in closed_ids if i not in present]
    return f"it lacks closed interviews {', '.join(missing[:5])}" if missing else None


def _lone_surrogate(data: Any) -> str | None:
    """Where a text is that UTF-8 cannot hold (`files.acme` or `interview.steps[2].note`)."""
    found: list[tuple[str, Any]] = [("", data)]
    while found:
        where, value = found.pop()
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return where.lstrip(".") or "the top level"
        elif isinstance(value, dict):
            found += [(f"{where}.{key}", key) for key in value]
            found += [(f"{where}.{key}", item) for key, item in value.items()]
        elif isinstance(value, list):
            found += [(f"{where}[{n}]", item) for n, item in enumerate(value)]
    return None


def _conflict(raw: bytes) -> Damage | None:
    conflict = _CONFLICT.search(raw)
    if conflict is None:
        return None
    line = raw.count(b"\n", 0, conflict.start()) + 1
    return Damage(f"it holds merge-conflict markers (line {line}); resolve the conflict")


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


def is_history_name(name: Any) -> bool:
    return isinstance(name, str) and HISTORY_PATTERN.fullmatch(name) is not None
