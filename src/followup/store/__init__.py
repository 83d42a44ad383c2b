"""The store: the interviews on disk, safe against crashes, races and damage.

Files in the store's folder (FOLLOWUP_HOME):

- `followup.json`, the root and the single commit point: the name of each open
  interview's file, the history file's name and the closed ids, and the undo
  journal (whose entries hold what they replaced, so that undo needs no file).
- `interviews/ID.N.json`, one file per version of one open interview. It is
  written once under a new name (N counts that interview's versions), synced
  to disk, and never changed.
- `history-N.json`, every closed interview, also written once and never changed.
- `followup.json.bak`, the previous root; `pending.json`, the index of what is
  pending (see `index`); `followup.lock`; `followup.json.vN.bak`, a root of an
  older format, kept when it was migrated.

A change takes the lock, reads the root, and reads and validates only the
interviews it touches. Saving writes and syncs the new interview files (and a
new history file if closed interviews changed), then the new root under a temp
name, and renames it over the old one: that rename commits the change. A crash
before it leaves the old root, which names only files that are still there
(the new ones, named by nothing, are deleted by the next change); a crash after
it leaves the new root and every file it names. The old root becomes the backup.
Then the index is updated line by line from the one that matched the old root,
and the files that neither the root nor the backup names are deleted, so a
backup can always be restored by copying it over the root.

Readers take no lock. A reader that holds an older root may find that a file it
names was deleted (two changes were committed meanwhile): it then reads the
root again (`Document.take`). The history file is opened when the root is read,
so a reader's closed interviews are always those of its root.

Every file is opened without following a link and without blocking, and read
only if it is a regular file (`files.read_regular`): a FIFO or a device would
hang every command, and a link would be replaced by a file at the first change,
its target never updated again. A linked root or `interviews` folder is refused
rather than written through: writing through would put the root in another
folder than its interview files and backup, so that one rename no longer
commits them together, nor a crash leave one of two whole stores. A linked
FOLLOWUP_HOME is fine (it is resolved once, and everything stays in one folder).

A change is refused while a file it must keep cannot be read (`guard`): saving
makes the root the backup and deletes what only the old backup named, so the
history file and each interview file that replaces an older version are read
first; an intact older file is never deleted for a damaged newer one.

Format 1 (followup 0.x) kept the open interviews in the root itself: it is read
as it is, and written in the current format by the first change, after
`followup.json.v1.bak` keeps the old file. Format 3 only added optional fields
(the interviewers' contacts, the company's address): a format-2 root is kept
as `followup.json.v2.bak`, the interview and history files of older formats
are read as they are, and the files such an old root names are not deleted
while it is there, so that it stays a store the older followup can use. A
root of a newer format is refused.

Modules, none of which imports the one before it in this list: `core` (Store:
reading, locking, saving a Document of models), `stored_change` (changes made
on one interview's file as it is, without the models), `stored_all` (every
interview read so, for `export`), `stored` (reading one interview's file as it is), `queries` (answers from the index or
the store), `guard` (what a change must find readable), `format` (the files
as models, migrations, damage), `commit` (the lock, new interview files and
the commit by one rename, then the index, backup and collection),
`index_update`, `index` (the pending index, knowing nothing of the store),
`collect` (deleting the files no root names), `refusals` (the errors for
damaged and non-regular files), `document` (the store in memory), `encoding`
(the files as bytes, from models or plain data), `decoding`, `files` (atomic
and new-file writes, reading regular files only), `lock` (the flock around a
change). This package imports none of them, so that `followup due` loads only
the index; nothing from `commit` down loads pydantic's models.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    """`from followup.store import Store`, imported only when asked for: the
    index and its queries must load without pydantic (see `followup due`)."""
    if name == "Store":
        from followup.store.core import Store

        return Store
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
