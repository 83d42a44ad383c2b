"""`followup new`'s adding of an interview, made on the store's files as they are.

Recording an interview is the other thing a user does after each one, and the
validating way costs it pydantic's model machinery and the building of
followup's models (half its time). `add` writes the interview that
`followup.new_interview` planned from a checked checklist as `actions.add`
would, byte for byte, wherever that is sure:

- the pending index matches the store as it is now and vouches for the root
  (`stored.vouched_root`), which is of the current format (`root_as_written`);
- saving would have nothing to validate (`stored_write.nothing_to_check`): every
  file that replaces another version the backup names is vouched for, and the
  history file is the one the last change found intact;
- the interview gets the free id `actions.add` gives it (`ids.interview_id`, with
  the ids of the open and the closed interviews taken), the journal an entry
  that says it was absent, as `journal.snapshot` and `journal.record` make them;
- the file written is read back as `stored` reads files before anything names it.

Anything else, and `add` says None: `new` adds it the validating way, which
also says what is wrong. `tests/test_stored_add.py` checks that both ways leave
the same bytes in every file.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from followup.change_words import added_words
from followup.ids import interview_id
from followup.store.decoding import INTERVIEWS_DIR
from followup.store.stored import StoredInterview, vouched_root
from followup.store.stored_write import journal_with, locked_to_change, nothing_to_check, root_as_written, write_open
from followup.when import zone_named


def add(home: Path, lock_timeout: float, planned: dict[str, Any], now: datetime) -> tuple[str, StoredInterview] | None:
    """Add the interview `planned` (`new_interview.planned`) under a free id: the
    summary and the interview as stored, or None where the validating way must add it
    (nothing is written then)."""
    with locked_to_change(home, lock_timeout) as held:
        base = vouched_root(home) if held else None
        if base is None or not (home / INTERVIEWS_DIR).is_dir():
            return None
        index, root = base
        if not root_as_written(root) or not nothing_to_check(home, index, root, None):
            return None
        history = root.get("history") or {}
        taken = {*root["files"], *history.get("ids", [])}
        at: datetime = planned["at"]
        key = interview_id(planned["company"], at.astimezone(zone_named(planned["zone"])), taken)
        interview = {**planned, "id": key}
        summary = added_words(key, interview["company"], interview["role"])
        journal = journal_with(root, summary, now, key, None)
        stored = write_open(home, index, root, key, None, interview, journal)
        return (summary, stored) if stored is not None else None
