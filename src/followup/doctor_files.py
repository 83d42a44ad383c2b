"""`followup doctor`'s checks of the folder, the backup, the pending index and
the user's letter templates (the store itself is checked in `followup.doctor`).

Each returns Findings (see `followup.doctor`) and never raises for what it finds.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from followup.constants import INDEX_NAME
from followup.errors import FollowupError
from followup.store.decoding import Damage, TooNew
from followup.store.files import NotRegular, kind_of, read_regular
from followup.store.format import load_history, load_interview, load_store

if TYPE_CHECKING:
    from followup.doctor import Finding
    from followup.store.core import Store
    from followup.store.document import Document


def check_folder(home: Path) -> tuple[list[Finding], bool]:
    """The folder itself: it exists (or can be made), is a folder, can be listed
    and written to. The findings, and whether the store in it can be read at all."""
    from followup.doctor import Finding

    subject = str(home)
    try:
        info = os.stat(home)
    except FileNotFoundError:
        return [], True  # no store yet, which the store's check says
    except OSError as exc:
        fix = f"check the permissions of the folders above it (ls -ld {home.parent}), or set FOLLOWUP_HOME"
        return [Finding("problem", subject, f"cannot reach the folder: {exc.strerror}", fix)], False
    if not stat.S_ISDIR(info.st_mode):
        what = kind_of(info.st_mode) if not stat.S_ISREG(info.st_mode) else "a file"
        fix = "point FOLLOWUP_HOME at a folder (or at one that does not exist yet), or move the file away"
        return [Finding("problem", subject, f"FOLLOWUP_HOME is {what}, not a folder", fix)], False
    try:
        os.listdir(home)
    except OSError as exc:
        fix = f"make it yours and readable: chmod 700 {home}"
        return [Finding("problem", subject, f"cannot list the folder: {exc.strerror}", fix)], False
    findings = []
    for folder in (home, home / "interviews"):
        if folder != home and not folder.is_dir():
            continue
        problem = _cannot_write(folder)
        if problem:
            fix = f"no change can be saved: make it writable (chmod u+w {folder}), or point FOLLOWUP_HOME at a folder you can write to"
            findings.append(Finding("problem", str(folder), f"cannot write in the folder: {problem}", fix))
    return findings, True


def _cannot_write(folder: Path) -> str | None:
    """Why a file cannot be made in `folder`, or None: a temp file made and removed."""
    try:
        fd, temp = tempfile.mkstemp(dir=folder, prefix=".followup-doctor.", suffix=".tmp")
    except OSError as exc:
        return exc.strerror or str(exc)
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(temp)
    return None


def root_problem(store: Store, path: Path) -> tuple[Document | None, str | None]:
    """A root file (the store or a backup) and every file it names, read and
    validated: the document, and the first problem (which file, what is wrong)."""
    try:
        document = load_store(read_regular(path))
    except NotRegular as exc:
        return None, f"it is {exc.kind}, not a regular file"
    except OSError as exc:
        return None, f"cannot be read: {exc.strerror}"
    except Damage as exc:
        return None, f"damaged: {exc}"
    except TooNew as exc:
        return None, f"written by a newer followup (format {exc.version})"
    for key, name in document.open.files.items():
        if name is None:  # held inline (an old format)
            continue
        try:
            load_interview(read_regular(store.interviews / name), key)
        except (OSError, Damage) as exc:
            return document, f"the interview file {store.interviews / name} it names {_why(exc)}"
    if document.history_file:
        history = store.home / document.history_file
        try:
            closed = load_history(read_regular(history))
        except (OSError, Damage) as exc:
            return document, f"the history file {history} it names {_why(exc)}"
        missing = [i for i in document.closed_ids if i not in closed]
        if missing:
            return document, f"the history file {history} it names lacks {', '.join(missing[:5])}"
    return document, None


def _why(exc: OSError | Damage) -> str:
    if isinstance(exc, NotRegular):
        return f"is {exc.kind}, not a regular file"
    if isinstance(exc, FileNotFoundError):
        return "is missing"
    if isinstance(exc, OSError):
        return f"cannot be read: {exc.strerror}"
    return f"is damaged: {exc}"


def check_backup(store: Store) -> list[Finding]:
    """`followup.json.bak`, checked as the store is, with the files it names."""
    from followup.doctor import Finding

    if not os.path.lexists(store.backup):
        return []
    _, problem = root_problem(store, store.backup)
    if problem:
        fix = "do not restore from it; the next change replaces it by a backup of the store as it is now"
        return [Finding("problem", str(store.backup), f"the backup cannot restore the store: {problem}", fix)]
    return [Finding("ok", str(store.backup), "the backup and the files it names can be read")]


def check_index(store: Store, document: Document | None) -> list[Finding]:
    """`pending.json` against the store (`document`, read and checked, or None
    if it cannot be): rebuilt when it does not agree, so that `due` reads it again."""
    from followup.doctor import Finding
    from followup.store.identity import stamps_in
    from followup.store.index import read_index
    from followup.store.index_update import draft_index

    path = store.home / INDEX_NAME
    if document is None or document.raw is None:
        return []
    index = read_index(store.home)
    if index is not None:
        fresh = draft_index(document.open.values(), document.raw, stamps_in(store.interviews, document.open.files))
        with contextlib.suppress(FollowupError, ValueError):
            if b"\n".join(index.all_lines()) == fresh.body and index.dues == fresh.header["due"]:
                return [Finding("ok", str(path), "the pending index agrees with the store")]
    why = "missing" if not os.path.lexists(path) else "damaged, edited, or made for another version of the store"
    from followup.store.lock import LockTimeout

    try:
        rebuild_index(store)
    except (FollowupError, OSError, LockTimeout) as exc:
        message = (
            exc.message
            if isinstance(exc, FollowupError)
            else "another command holds the lock"
            if isinstance(exc, LockTimeout)
            else exc.strerror
        )
        return [Finding("warning", str(path), f"the pending index is {why}, and could not be rebuilt: {message}")]
    return [Finding("warning", str(path), f"the pending index was {why}: rebuilt it from the store", "nothing to do")]


def rebuild_index(store: Store) -> None:
    """The index made afresh from the store, under the lock (not waited for:
    `doctor` only reports a lock held by another command)."""
    from followup.store.files import write_atomic
    from followup.store.identity import signature, stamps_in
    from followup.store.index_update import draft_index, newer_than_store
    from followup.store.lock import Lock

    with Lock(store.lock_path, timeout=0):
        document = store.read()
        draft = draft_index(
            document.open.values(), document.raw or b"", stamps_in(store.interviews, document.open.files)
        )
        path = store.home / INDEX_NAME
        store_signature = signature(store.path)
        write_atomic(path, draft.encode(store_signature))
        newer_than_store(path, store_signature)


def check_templates(letters_dir: Path) -> list[Finding]:
    """The user's letter templates, filled in for a sample interview within the caps."""
    from followup.doctor import Finding
    from followup.letters import check_templates as check

    findings = []
    for result in check(letters_dir, now=datetime.now().astimezone()):
        if result.problem:
            findings.append(Finding("problem", str(result.path), result.problem, result.hint))
        else:
            findings.append(Finding("ok", str(result.path), "letter template"))
    return findings
