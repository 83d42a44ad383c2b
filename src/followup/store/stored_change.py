"""A change of steps (`done`, `skip`, `undo ID STEP`), and a plain `undo` of a change to
one open interview, made on that interview's file as it is.

Ticking a step off is what a user does most, and the validating way costs it
pydantic's model machinery and the building of followup's models: more than
all else such a change does. This module makes the same change without them,
wherever that is the very change the validating way would make, byte for byte:

- the pending index matches the store as it is now (so the root holds what a
  change of this followup wrote, having validated it) and vouches for the
  interview's file (`stored.vouched`: the file a change wrote and validated,
  unchanged since), in the current format;
- every other file that saving would make the only copy of an interview (the
  backup names another version of it) is vouched for too, where `guard` would
  validate it, and the history file, if any, is the one the last change found
  intact: nothing is left for `guard` to read;
- the steps, their new state and the summary come from `followup.status`, as
  the validating way's do, and the new text and times are held to the models'
  own rules (`followup.rules`); an undo puts back the journal's copy of the
  interview, which nothing validated since it was taken (a validating change
  carries the journal on as it is): the copy must pass every check of
  `stored.stored_interview` (the models' rules on each field and across
  fields, times written as pydantic writes them) and hold the keys a model
  dumps (`stored.as_dumped`), and the line that says what is true again comes
  from `change_words`;
  the file written is read back as `stored` reads files, before anything names it.

The new file, the root (whose journal keeps the interview as it was, for
`undo`) and the index are then written and committed as `Store` commits
(`commit`), under the same lock. Anything else, and `change_status` says None:
the command makes its change the validating way, which also says what is
wrong. `tests/test_stored_change.py` checks that both ways leave the same bytes
in every file.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic_core import PydanticCustomError

from followup.constants import OUTCOMES, STORE_NAME, Status
from followup.rules import in_years, plain
from followup.status import NewState, find_steps, plan_status
from followup.store.commit import commit, unless_saved, write_history
from followup.store.decoding import INTERVIEWS_DIR, VERSION, Damage, decode
from followup.store.encoding import encode, encode_root
from followup.store.identity import stamps_in
from followup.store.index_update import update_index
from followup.store.stored import (
    NotPlain,
    Vouched,
    as_dumped,
    stored_interview,
    vouched,
    vouched_file,
    vouched_root,
)
from followup.store.stored_all import checked_row, vouched_history
from followup.store.stored_write import journal_with, locked_to_change, nothing_to_check, root_as_written, write_open


def change_status(
    home: Path,
    lock_timeout: float,
    ref: str,
    step_refs: Sequence[str],
    status: Status,
    now: datetime,
    *,
    at: datetime | None = None,
    note: str | None = None,
    reason: str | None = None,
) -> str | None:
    """Mark steps of the interview `ref` done, skipped or pending again, as
    `actions.set_status` would; returns the summary, or None where the change
    must be made the validating way (nothing is written then)."""
    with _changing(home, lock_timeout, ref) as found:
        if found is None:
            return None
        interview = found.interview
        changes, summary = plan_status(
            interview, find_steps(interview, step_refs), status, now, at=at, note=note, reason=reason
        )
        if not changes:
            return summary
        new_steps = {step.id: new for step, new in changes}
        if not all(_keeps_rules(new) for new in new_steps.values()):
            return None
        return summary if _save(home, found, new_steps, summary, now) else None


# The fields `edit` changes on the file as it is: text that nothing else follows.
TEXT_FIELDS = ("company", "role", "notes")


def edit_text(home: Path, lock_timeout: float, ref: str, changes: dict[str, str | None], now: datetime) -> str | None:
    """`edit` of the interview's company, role or note (None clears the note), as
    `actions.edit` makes it; its summary, or None where the validating way must."""
    from followup.change_words import field_words

    if not changes or not set(changes) <= set(TEXT_FIELDS):
        return None
    try:
        for name, text in changes.items():
            if text is None and name != "notes":
                return None
            if text is not None:
                plain(text)
    except PydanticCustomError:
        return None  # the validating way says what is wrong with it
    with _changing(home, lock_timeout, ref) as found:
        if found is None:
            return None
        summary = f"edited {found.key}: {field_words(changes)}"
        journal = _journal_with(found, summary, now)
        return (
            summary
            if write_open(home, found.index, found.root, found.key, found.name, {**found.data, **changes}, journal)
            is not None
            else None
        )


def close(home: Path, lock_timeout: float, ref: str, outcome: str, now: datetime) -> str | None:
    """`close` of an open interview with its outcome, as `actions.close` makes it: the
    interview joins the others in a new history file; its summary, or None where the
    validating way must close it (nothing is written then)."""
    if outcome not in OUTCOMES:
        return None
    try:
        in_years(now)
    except PydanticCustomError:
        return None
    with _changing(home, lock_timeout, ref) as found:
        closed = _closed(home, found) if found is not None else None
        if found is None or closed is None:
            return None
        summary = f"closed {found.key} ({found.interview.company}): {outcome}"
        journal = _journal_with(found, summary, now)
        interview = {**found.data, "outcome": outcome, "closed_at": now}
        return summary if _move_to_history(home, found, interview, closed, journal) else None


def _closed(home: Path, found: Vouched) -> list[tuple[datetime, str, dict[str, Any]]] | None:
    """The closed interviews of the history file that the index vouches for (the last
    change found it intact), each as the model dumps it; None if it cannot be told."""
    history = found.root.get("history")
    if history is None:
        return []
    try:
        items = vouched_history(home, found.index, history, (VERSION,))
        return None if items is None else [checked_row(item, lambda data: data) for item in items]
    except (OSError, Damage, NotPlain, ValueError, KeyError, TypeError, AttributeError):  # NotPlain is a ValueError
        return None


def _move_to_history(
    home: Path,
    found: Vouched,
    interview: dict[str, Any],
    closed: list[tuple[datetime, str, dict[str, Any]]],
    journal: list[Any],
) -> bool:
    """Commit a root without `found`'s file, naming a new history file that holds
    `closed` and `interview` in order of their start time, as `Store._write_history`
    writes it; False, with nothing written, where the validating way must."""
    root = found.root
    history = root.get("history")
    old_file, closed_ids = (history["file"], history["ids"]) if history else (None, [])
    rows = sorted([*closed, (found.interview.at, found.key, interview)], key=lambda row: (row[0], row[1]))
    try:
        data = encode({"version": VERSION, "interviews": [row[2] for row in rows]})
        stored_interview(decode(encode(interview)))  # held to `stored`'s checks, the outcome's among them
    except (UnicodeEncodeError, Damage, NotPlain, ValueError, KeyError, TypeError, AttributeError):
        return False
    files: dict[str, str] = root["files"]
    new_files: dict[str, str | None] = {key: file for key, file in files.items() if key != found.key}
    with unless_saved(home / STORE_NAME, []):
        name = write_history(home, data)
        stored = encode_root(new_files, name, [*closed_ids, found.key], journal)
        stamp = stamps_in(home / INTERVIEWS_DIR, new_files)
        draft = update_index(found.index, list(files), list(new_files), [], stored, stamp)
        if draft is None:
            (home / name).unlink()
            return False
    commit(home, stored, draft, [], {name, old_file}, set(files.values()))
    return True


def undo_last(home: Path, lock_timeout: float) -> tuple[str, str] | None:
    """Plain `undo` of a change to one open interview (a tick, an edit), as
    `journal.undo_last` would: its summary and the line that says what is true
    again; None where the validating way must undo it (another kind of change,
    an empty journal, a file or history not vouched for: nothing is written then)."""
    from followup.change_words import undone
    from followup.exports.backup import settle_kept_copies

    with locked_to_change(home, lock_timeout) as held:
        if not held:
            return None
        settle_kept_copies(home, home / STORE_NAME)
        base = vouched_root(home)
        journal = base[1].get("journal") if base else None
        if base is None or not isinstance(journal, list) or not journal:
            return None
        last = journal[-1]
        snapshots = last.get("before") if isinstance(last, dict) else None
        if not (isinstance(snapshots, list) and len(snapshots) == 1 and isinstance(snapshots[0], dict)):
            return None  # a change of several interviews (an import): the validating way
        snapshot = snapshots[0]
        key, back_data = snapshot.get("id"), snapshot.get("interview")
        if snapshot.get("place") != "open" or not isinstance(key, str) or not isinstance(back_data, dict):
            return None  # the interview was added or closed: the validating way
        found = _changeable(home, vouched_file(home, base[0], base[1], key))
        if found is None:
            return None
        try:
            back = stored_interview(back_data)
        except (NotPlain, ValueError, KeyError, TypeError, AttributeError):
            return None
        if back.id != key or not as_dumped(back_data) or not isinstance(summary := last.get("summary"), str):
            return None
        line = undone(summary, [(back, found.interview)])
        return (
            (summary, line)
            if write_open(home, found.index, found.root, found.key, found.name, back_data, journal[:-1]) is not None
            else None
        )


@contextlib.contextmanager
def _changing(home: Path, lock_timeout: float, ref: str) -> Iterator[Vouched | None]:
    """Under the lock, the open interview `ref` names, if it can be changed on its file as it is."""
    with locked_to_change(home, lock_timeout) as held:
        yield _changeable(home, vouched(home, ref)) if held else None


def _changeable(home: Path, found: Vouched | None) -> Vouched | None:
    """`found`, if the validating way would save its change with nothing more to read."""
    if found is None or not (root_as_written(found.root) and as_dumped(found.data)):
        return None
    return found if nothing_to_check(home, found.index, found.root, found.key) else None


def _journal_with(found: Vouched, summary: str, now: datetime) -> list[Any]:
    return journal_with(found.root, summary, now, found.key, found.data)


def _keeps_rules(new: NewState) -> bool:
    """The new state holds to the models' rules (the validating way says what is wrong if not)."""
    try:
        for text in (new.note, new.reason):
            if text is not None:
                plain(text)
        if new.done_at is not None:
            in_years(new.done_at)
    except PydanticCustomError:
        return False
    return new.status != "done" or (new.done_at is not None and new.done_at.utcoffset() is not None)


def _save(home: Path, found: Vouched, new_steps: dict[str, NewState], summary: str, now: datetime) -> bool:
    """Write the interview with its steps changed, and a journal entry that keeps it
    as it was; False, with nothing written, where the validating way must save it."""
    steps = [_changed(step, new_steps.get(step["id"])) for step in found.data["steps"]]
    written = write_open(
        home,
        found.index,
        found.root,
        found.key,
        found.name,
        {**found.data, "steps": steps},
        _journal_with(found, summary, now),
    )
    return written is not None


def _changed(step: dict[str, Any], new: NewState | None) -> dict[str, Any]:
    if new is None:
        return step
    return {**step, "status": new.status, "done_at": new.done_at, "note": new.note, "reason": new.reason}
