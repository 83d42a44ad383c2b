"""The JSON backup: `followup export` writes it and `followup import` reads it.

`{"version": 1, "exported_at": ..., "interviews": [...]}`, each interview as
the store keeps it. `import` also takes a bare list of interview objects, as
`followup list --all --json` prints them, with the keys worked out for the
moment of printing (`overdue` and so on) taken out again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from followup.errors import FollowupError
from followup.escape import json_list, json_member, json_member_of_json, json_member_of_text, json_text
from followup.humanize import plural
from followup.store.files import TEMP_SUFFIX, write_atomic

if TYPE_CHECKING:
    from followup.models import Interview

VERSION = 1
MAX_PROBLEMS = 20  # listed for a bad file; a file wrong throughout would fill the screen


def backup_text(interviews: list[Interview], now: datetime) -> str:
    """The whole store as the backup file's text."""
    data = {
        "version": VERSION,
        "exported_at": now.isoformat(),
        "interviews": [interview.model_dump(mode="json") for interview in interviews],
    }
    return json_text(data)


def backup_member(interview: Interview) -> str:
    """One interview's text in the backup file: `backup_pieces` joins them. Pydantic
    writes the model's JSON in one pass, a third faster than `json_member` of its
    `model_dump` (the same text), which says what it said before of text that JSON
    cannot hold (a lone surrogate)."""
    from pydantic_core import PydanticSerializationError

    try:
        text = interview.model_dump_json(indent=2)
    except PydanticSerializationError:
        return json_member(interview.model_dump(mode="json"), depth=2)
    return json_member_of_text(text, depth=2)


def stored_members(home: Path) -> list[bytes] | None:
    """The `backup_member` texts, as UTF-8, of every interview read from its file as it is,
    without pydantic's models (`followup.store.stored_all.each_stored`): the same text,
    which the same serialiser writes from the data the model dumps; None if the store
    must be read the validating way."""
    from pydantic_core import to_json

    from followup.store.stored_all import each_stored

    return each_stored(home, lambda data: json_member_of_json(to_json(data, indent=2), depth=2))


def backup_pieces(members: Iterable[str], now: datetime) -> Iterator[str]:
    """The text of `backup_text`, in pieces, from the `backup_member` texts of the
    interviews: an export holds one interview's model at a time, not 10,000."""
    yield _head(now)
    yield from json_list(members, depth=2)
    yield "\n}\n"


def backup_bytes(members: list[bytes], now: datetime) -> Iterator[bytes]:
    """`backup_pieces` as UTF-8, of members that are UTF-8 already (`stored_members`)."""
    yield _head(now).encode("utf-8")
    for number, member in enumerate(members):
        yield (b",\n" if number else b"[\n") + member
    yield b"\n  ]\n}\n" if members else b"[]\n}\n"


def _head(now: datetime) -> str:
    return f'{{\n  "version": {json.dumps(VERSION)},\n  "exported_at": {json.dumps(now.isoformat())},\n  "interviews": '


def read_backup(text: str, name: str) -> list[Interview]:
    """The interviews of a backup (or of `list --all --json`) named `name` in
    messages, validated as the store validates its own (the invariants in
    followup.models); FollowupError listing every problem if not."""
    from followup.store.decoding import Damage
    from followup.store.format import validate_interviews
    from followup.views import without_computed

    items = [without_computed(item) for item in _interview_items(text, name)]
    try:
        return validate_interviews(items)
    except Damage as exc:
        problems = every_problem(items) or [str(exc)]
    shown = problems[:MAX_PROBLEMS] + (
        [f"... and {len(problems) - MAX_PROBLEMS} more"] * (len(problems) > MAX_PROBLEMS)
    )
    raise FollowupError("\n".join([f"{name}: {plural(len(problems), 'problem')}; nothing changed", *shown]))


def every_problem(items: list[Any]) -> list[str]:
    """Each field that breaks a rule, as `interviews[3].steps[2].done_at (interview acme-1128): why`
    (the form in which the store's damage is described), and each id used twice."""
    from pydantic import TypeAdapter, ValidationError

    from followup.models import Interview

    problems = []
    try:
        TypeAdapter(list[Interview]).validate_python(items)
    except ValidationError as exc:
        for error in exc.errors():
            where = "interviews"
            for part in error["loc"]:
                where += f"[{part}]" if isinstance(part, int) else f".{part}"
            loc = error["loc"]
            if loc and isinstance(loc[0], int) and isinstance(items[loc[0]], dict):
                interview_id = items[loc[0]].get("id")
                if isinstance(interview_id, str) and interview_id:
                    where += f" (interview {interview_id})"
            problems.append(f"{where}: {error['msg']}")
    ids = [str(item["id"]) for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)]
    problems += [f"interview {i!r} appears {ids.count(i)} times" for i in sorted({i for i in ids if ids.count(i) > 1})]
    return problems


def _interview_items(text: str, name: str) -> list[Any]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise FollowupError(f"{name} is not valid JSON: {exc}; nothing changed") from None
    if isinstance(data, list):  # interview objects, as `followup list --all --json` prints them
        return data
    if not isinstance(data, dict) or not isinstance(data.get("interviews"), list):
        raise FollowupError(f"{name} is not a followup export (no list of interviews); nothing changed")
    if data.get("version") != VERSION:
        raise FollowupError(f"{name} is an export of format {data.get('version')!r}; this followup reads {VERSION}")
    items: list[Any] = data["interviews"]
    return items


# --- the copy kept before an import too large to undo ----------------------------------

KEPT_PREFIX = "followup-before-import-"
_STAGED = re.compile(rf"\.{KEPT_PREFIX}(?P<stamp>[0-9-]+)\.(?P<digest>[0-9a-f]{{16}})\.staged")


def stage_kept_copy(home: Path, interviews: list[Interview], store_raw: bytes, now: datetime) -> Path:
    """The store before an import too large to undo, written (durably) under a hidden
    name that records which store it was taken from; `keep` gives it its visible name
    once the import is committed, so that a killed import leaves no copy to be taken
    for one, and `settle_kept_copies` decides about one left between the two."""
    path = home / f".{KEPT_PREFIX}{now:%Y%m%d-%H%M%S}.{_digest(store_raw)}.staged"
    write_atomic(path, backup_text(interviews, now).encode("utf-8"))
    return path


def keep(staged: Path) -> Path:
    """Give a staged copy its visible name, `followup-before-import-STAMP.json`, a free one."""
    match = _STAGED.fullmatch(staged.name)
    stamp = match["stamp"] if match else "unknown"
    kept = staged.with_name(f"{KEPT_PREFIX}{stamp}.json")
    number = 1
    while kept.exists():  # two imports in one second must not overwrite each other's copy
        number += 1
        kept = staged.with_name(f"{KEPT_PREFIX}{stamp}-{number}.json")
    os.replace(staged, kept)
    return kept


def settle_kept_copies(home: Path, store_path: Path) -> None:
    """Staged copies that a killed import left behind: removed if the store is still the
    one they were taken from (the import never committed), given their visible name if not
    (it did, and the copy is the only way back). Call only under the store's lock."""
    staged = [path for path in home.glob(f".{KEPT_PREFIX}*") if path.is_file()]
    if not staged:
        return
    current = store_digest(store_path)
    if current is None:
        return  # decided by a later command, when the store can be read
    for path in staged:
        settle(path, current)


def settle(path: Path, current: str) -> None:
    """One staged copy, given the digest of the store as it is now (see settle_kept_copies)."""
    match = _STAGED.fullmatch(path.name)
    with contextlib.suppress(OSError):
        if match is None:  # a temp file of a write killed half-way: never a whole copy
            if path.name.endswith(TEMP_SUFFIX):
                path.unlink()
        elif match["digest"] == current:
            path.unlink()
        else:
            keep(path)


def store_digest(store_path: Path) -> str | None:
    """What a staged copy records of the store, for the store as it is now (None if unreadable)."""
    try:
        from followup.store.files import read_regular

        return _digest(read_regular(store_path))
    except OSError:
        return None


def latest_kept_copy(home: Path) -> Path | None:
    """The newest copy kept before an import, if any."""
    copies = []
    for path in home.glob(f"{KEPT_PREFIX}*.json"):
        with contextlib.suppress(OSError):
            copies.append((path.stat().st_mtime_ns, path.name, path))
    return max(copies)[2] if copies else None


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:16]
