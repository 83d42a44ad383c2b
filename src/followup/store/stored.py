"""One open interview read from its file to be shown, without pydantic.

`show` and `letter` read one interview and change nothing. Validating it into
`followup.models.Interview` would cost them pydantic's model machinery and the
building of followup's models: more than everything else such a command does.
So they read the file as it is, into plain objects with the models' fields,
when the pending index vouches for it: the index matches the store as it is
now, and it names the interview's file by its `signature` as the change that
wrote (and validated) it left it (`FileStamp`), which the file still has and
which is older than the index (git's rule for a "racily clean" file). Files
are never rewritten, so that file holds what followup validated. Anything else
(no such index, a file edited or replaced since, several or no matches, a
closed interview, a linked folder) and `read_stored` says None: the command
reads the store the validating way, which names what is wrong.

`tests/test_stored.py` checks that `show` and `letter` print the same either
way, and `tests/test_store.py` that these objects hold what the models hold.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from followup.constants import FIRST_YEAR, LAST_YEAR, OUTCOMES, SLUG, STORE_NAME, TEXT_CONTROL
from followup.ids import MAX_ID, matching
from followup.store.decoding import (
    INTERVIEW_FILE_VERSIONS,
    INTERVIEWS_DIR,
    Damage,
)
from followup.store.files import open_regular, read_regular
from followup.store.identity import FileStamp, digest, signature_of
from followup.store.index import BadIndex, Index, read_index
from followup.when import is_zone_name

STATUSES = ("pending", "done", "skipped")
T = TypeVar("T")


class NotPlain(ValueError):
    """The file is not what followup writes: read it the validating way."""


# What reading a file the index vouches for may raise where the file is not as a change
# left it (damaged, nested too deeply, of another shape; NotPlain is a ValueError): the
# command then reads the store the validating way, which says what is wrong.
UNREADABLE = (OSError, Damage, BadIndex, ValueError, KeyError, AttributeError, TypeError, RecursionError)


@dataclass(frozen=True, slots=True)
class StoredStep:
    id: str
    title: str
    why: str
    due: datetime
    status: str
    done_at: datetime | None
    note: str | None
    reason: str | None
    source: str
    interviewer: str | None
    offset: str
    before_decision: str | None
    after_decision: str | None


@dataclass(frozen=True, slots=True)
class StoredContact:
    name: str
    email: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class StoredInterview:
    """An interview as `followup.models.Interview` has it, read-only: the same
    fields, and the same methods that showing it uses."""

    id: str
    company: str
    role: str
    interviewers: tuple[str, ...]
    at: datetime
    zone: str
    flags: dict[str, bool]
    decision_by: datetime | None
    checklist: str
    outcome: str | None
    closed_at: datetime | None
    notes: str | None
    interviewer_notes: dict[str, str]
    created_at: datetime
    steps: tuple[StoredStep, ...]
    contacts: tuple[StoredContact, ...]
    address: str | None

    def finished_count(self) -> int:
        """Steps done or skipped: the progress `list` shows."""
        return sum(1 for step in self.steps if step.status != "pending")

    def contact(self, name: str) -> StoredContact:
        return next((c for c in self.contacts if c.name == name), StoredContact(name=name))

    @property
    def is_open(self) -> bool:
        return self.outcome is None


@dataclass(frozen=True, slots=True)
class Vouched:
    """An open interview's file that the trusted index vouches for, and what vouched for it."""

    index: Index
    root: dict[str, Any]  # the root, `followup.json`, as JSON data
    key: str  # the interview's id
    name: str  # its file, under interviews/
    data: dict[str, Any]  # the interview as the file holds it
    interview: StoredInterview


def read_stored(home: Path, ref: str) -> StoredInterview | None:
    """The open interview `ref` names (its id, or the start of only one id), read
    from its file; None when the command should read the store the validating way."""
    found = vouched(home, ref)
    return found.interview if found else None


def vouched(home: Path, ref: str) -> Vouched | None:
    """`read_stored`, with the index, the root and the file's data that it read."""
    base = vouched_root(home)
    if base is None:
        return None
    index, root = base
    try:
        files, closed = root["files"], (root.get("history") or {}).get("ids", [])
        matches = matching(ref.strip(), [*files, *closed])
    except (KeyError, AttributeError, TypeError):
        return None
    return vouched_file(home, index, root, matches[0]) if len(matches) == 1 else None


def vouched_root(home: Path) -> tuple[Index, dict[str, Any]] | None:
    """The trusted index and the root it was made for, as JSON data; None if there is none."""
    index = read_index(home)  # one that matches the store as it is now
    if index is None or os.path.islink(home / INTERVIEWS_DIR):
        return None
    try:
        raw = read_regular(home / STORE_NAME)
        if digest(raw) != index.store_digest:
            return None  # replaced since the index was read (by hand: a change would hold the lock)
        # The very bytes a change wrote (and made the index for): JSON without duplicate keys
        # or constants, which json.loads reads in half the time `decode`'s checks take.
        data = json.loads(raw)
        return (index, data) if isinstance(data, dict) else None
    except (OSError, ValueError, RecursionError):  # not JSON: it could only be by a digest collision
        return None


def vouched_file(home: Path, index: Index, root: dict[str, Any], key: str) -> Vouched | None:
    """The open interview `key` from its file, if the index vouches for that file."""
    try:
        name = root["files"].get(key)
        if not isinstance(name, str):
            return None  # a closed one, or none
        data = read_vouched(home, index, stamp_of(index, root, key), name)
        interview = stored_interview(data) if data is not None else None
    except UNREADABLE:
        return None  # the validating way reads it again, and says what is wrong
    if interview is None or data is None or interview.id != key:
        return None
    return Vouched(index, root, key, name, data, interview)


def read_vouched(home: Path, index: Index, stamp: FileStamp | None, name: str) -> dict[str, Any] | None:
    """The interview the file `name` holds, if `stamp` (its line of the index) vouches for
    that file (see `stamped`); None if not. OSError or ValueError if it cannot be read."""
    fd = open_regular(os.path.join(home, INTERVIEWS_DIR, name))  # not pathlib: `export` opens thousands
    try:
        # The file as read is the one vouched for: its stat is taken from the descriptor that reads it.
        info = os.fstat(fd)
        if not stamped(index, stamp, name, signature_of(info)):
            return None
        # The bytes a change wrote (JSON without a key twice): json.loads reads them in half
        # the time `decode`'s checks take, and what they hold is checked field by field.
        data = json.loads(_read_all(fd, info.st_size))
    finally:
        os.close(fd)
    if not isinstance(data, dict):
        return None
    if data.get("version") not in INTERVIEW_FILE_VERSIONS or set(data) != {"version", "interview"}:
        return None
    interview: dict[str, Any] = data["interview"]
    return interview


def _read_all(fd: int, size: int) -> bytes:
    """What is left to read on `fd`, whose file holds `size` bytes: in one read, without
    a buffered file object (`export` reads thousands)."""
    pieces = []
    while piece := os.read(fd, max(size, 1 << 16) + 1):
        pieces.append(piece)
    return b"".join(pieces)


def is_vouched_for(index: Index, root: dict[str, Any], key: str, name: str, now: list[int]) -> bool:
    """Whether the index vouches for the open interview `key`'s file `name`, whose
    `signature` is `now` (see `stamped`)."""
    return stamped(index, stamp_of(index, root, key), name, now)


def stamp_of(index: Index, root: dict[str, Any], key: str) -> FileStamp | None:
    """The `FileStamp` the index holds for the open interview `key`. Only its own line is
    read: the index keeps the summaries in the order the root names the files."""
    try:
        summary = index.summary(list(root["files"]).index(key))
    except (BadIndex, ValueError, KeyError, TypeError):
        return None
    return summary.file if summary.id == key else None


def stamped(index: Index, stamp: FileStamp | None, name: str, now: list[int]) -> bool:
    """Whether `stamp` names the file `name` as the change that wrote (and validated) it
    left it, and the file still has it (its `signature` is `now`), older than the index
    (else it may have been rewritten within the same tick of the file system's clock)."""
    return stamp is not None and stamp[0] == name and now == list(stamp[1:]) and max(now[2], now[3]) < index.written


# --- the checks ---------------------------------------------------------------------------

INTERVIEW_KEYS = {
    *("id", "company", "role", "interviewers", "at", "zone", "flags", "decision_by", "checklist", "outcome"),
    *("closed_at", "notes", "interviewer_notes", "created_at", "steps", "contacts", "address"),
}
STEP_KEYS = {
    *("id", "title", "why", "due", "status", "done_at", "note", "reason", "source", "interviewer", "offset"),
    *("before_decision", "after_decision"),
}
OPTIONAL_KEYS = {"interviewer_notes", "contacts", "address", "after_decision", "why"}
CONTACT_KEYS = {"name", "email", "title"}


def as_dumped(data: dict[str, Any]) -> bool:
    """Whether an interview read by `stored_interview` holds exactly the keys that its
    model's dump would hold, so that writing it as it is writes the bytes the model
    would: fields left out when empty (`exclude_if` in `followup.models`) are there
    only when not, and the others always (an older file may lack `why`)."""
    empty = {key for key in ("interviewer_notes", "contacts") if not data.get(key)}
    empty |= {"address"} if data.get("address") is None else set()
    if set(data) != INTERVIEW_KEYS - empty:
        return False
    for step in data["steps"]:
        if set(step) != STEP_KEYS - ({"after_decision"} if step.get("after_decision") is None else set()):
            return False
    # A contact with neither an email nor a title says nothing, and the model drops it.
    return all(set(c) == CONTACT_KEYS and (c["email"] or c["title"]) for c in data.get("contacts", []))


def stored_interview(data: Any) -> StoredInterview:
    fields = _fields(data, INTERVIEW_KEYS)
    interview_id = _text(fields["id"])
    if not SLUG.fullmatch(interview_id) or len(interview_id) > MAX_ID or not is_zone_name(_text(fields["zone"])):
        raise NotPlain
    flags = _mapping(fields["flags"], lambda value: value if isinstance(value, bool) else _refuse())
    outcome = _optional(fields["outcome"], _text)
    if outcome is not None and outcome not in OUTCOMES:
        raise NotPlain
    interview = StoredInterview(
        id=interview_id,
        company=_text(fields["company"]),
        role=_text(fields["role"]),
        interviewers=tuple(_list(fields["interviewers"], _text)),
        at=stored_moment(fields["at"]),
        zone=fields["zone"],
        flags=flags,
        decision_by=_optional(fields["decision_by"], stored_moment),
        checklist=_text(fields["checklist"]),
        outcome=outcome,
        closed_at=_optional(fields["closed_at"], stored_moment),
        notes=_optional(fields["notes"], _text),
        interviewer_notes=_mapping(fields.get("interviewer_notes", {}), _text),
        created_at=stored_moment(fields["created_at"]),
        steps=tuple(_list(fields["steps"], _step)),
        contacts=tuple(_list(fields.get("contacts", []), _contact)),
        address=_optional(fields.get("address"), _text),
    )
    # The rules across fields, as the models hold them: a file that breaks one is read the validating way.
    names = [contact.name for contact in interview.contacts]
    if (
        (interview.outcome is None) != (interview.closed_at is None)
        or any(step.status == "done" and step.done_at is None for step in interview.steps)
        or len({step.id for step in interview.steps}) != len(interview.steps)
        or len(set(names)) != len(names)
        or not set(names) <= set(interview.interviewers)
    ):
        raise NotPlain
    return interview


def _step(data: Any) -> StoredStep:
    fields = _fields(data, STEP_KEYS)
    step_id, status = _text(fields["id"]), _text(fields.get("status", "pending"))
    if not SLUG.fullmatch(step_id) or status not in STATUSES:
        raise NotPlain
    return StoredStep(
        id=step_id,
        title=_text(fields["title"]),
        why=_text(fields.get("why", "")),
        due=stored_moment(fields["due"]),
        status=status,
        done_at=_optional(fields.get("done_at"), stored_moment),
        note=_optional(fields.get("note"), _text),
        reason=_optional(fields.get("reason"), _text),
        source=_text(fields["source"]),
        interviewer=_optional(fields.get("interviewer"), _text),
        offset=_text(fields["offset"]),
        before_decision=_optional(fields.get("before_decision"), _text),
        after_decision=_optional(fields.get("after_decision"), _text),
    )


def _contact(data: Any) -> StoredContact:
    fields = _fields(data, {"name", "email", "title"})
    return StoredContact(
        name=_text(fields["name"]),
        email=_optional(fields.get("email"), _text),
        title=_optional(fields.get("title"), _text),
    )


def _fields(data: Any, keys: set[str]) -> dict[str, Any]:
    """An object with only these keys, and every one of them that is not optional."""
    if not isinstance(data, dict) or not data.keys() <= keys or not keys - OPTIONAL_KEYS <= data.keys() | {"status"}:
        raise NotPlain
    return data


def _text(value: Any) -> str:
    if not isinstance(value, str) or TEXT_CONTROL.search(value):
        raise NotPlain
    return value


# A time as pydantic writes one, and reads back the same: Python reads many more forms (week
# dates, no `T`), some of which pydantic refuses, and an offset of zero (or of less than a
# minute, which it writes without its seconds) pydantic writes back as `Z`.
MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{6})?(?:Z|[+-](?!00:00$)\d\d:\d\d)")


def stored_moment(value: Any) -> datetime:
    """A time as pydantic writes one (`MOMENT`), in the years followup keeps."""
    if not MOMENT.fullmatch(_text(value)):
        raise NotPlain
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None or moment.utcoffset() is None or not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise NotPlain
    return moment


def _optional(value: Any, read: Callable[[Any], T]) -> T | None:
    return None if value is None else read(value)


def _list(value: Any, read: Callable[[Any], T]) -> list[T]:
    if not isinstance(value, list):
        raise NotPlain
    return [read(item) for item in value]


def _mapping(value: Any, read: Callable[[Any], T]) -> dict[str, T]:
    if not isinstance(value, dict):
        raise NotPlain
    return {_text(key): read(item) for key, item in value.items()}


def _refuse() -> Any:
    raise NotPlain


if TYPE_CHECKING:
    from typing import TypeAlias

    from followup.models import Interview, Step

    ShownInterview: TypeAlias = Interview | StoredInterview  # what `show` and `letter` take
    ShownStep: TypeAlias = Step | StoredStep
