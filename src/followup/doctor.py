"""`followup doctor`: check every file followup reads, and say how to recover.

Each check gives a Finding; a damaged store is reported with the backups that
can still be read, newest first, and the command that restores the best one.
"""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from followup import checklists
from followup.constants import STORE_NAME
from followup.doctor_files import check_backup, check_folder, check_index, check_templates, root_problem
from followup.errors import FollowupError
from followup.humanize import plural
from followup.store.collect import named_by_old_roots
from followup.store.core import Store
from followup.store.decoding import HISTORY_PATTERN, INTERVIEW_PATTERN, INTERVIEWS_DIR, Damage, decode
from followup.store.document import Document
from followup.store.files import read_regular
from followup.store.format import validate_interviews

Level = Literal["ok", "warning", "problem"]
# followup's other files in its folder, as private as the store.
PRIVATE_FILES = frozenset({"profile.json", "sync.toml", "caldav-sync.json"})


@dataclass(frozen=True)
class Finding:
    level: Level
    subject: str
    message: str
    fix: str | None = None


@dataclass(frozen=True)
class Backup:
    """A file the store can be restored from, and how."""

    path: Path
    written: datetime
    interviews: int
    restore: str


def examine(store: Store, checklist_dir: Path) -> list[Finding]:
    """Every check, in the order a user would want to read them. The user's
    letter templates are beside their checklists, where `followup letter` finds them."""
    findings, readable = check_folder(store.home)
    if readable:
        checked, document = _check_store(store)
        findings += checked
        findings += check_backup(store)
        try:
            findings += _check_files(store.home)
        except OSError as exc:
            findings.append(Finding("problem", str(store.home), f"cannot check the files: {exc.strerror}"))
        findings += _check_lock(store)
        findings += check_index(store, document)
    findings += _check_profile(store.home)
    findings += _check_checklists(checklist_dir)
    findings += check_templates(checklist_dir.parent / "letters")
    return findings


def _check_store(store: Store) -> tuple[list[Finding], Document | None]:
    """The store and every file it names; the store, if it can be read."""
    subject = str(store.path)
    if not os.path.lexists(store.path):
        return [Finding("ok", subject, "no store yet: nothing has been recorded")], None
    try:
        document = store.read()
        closed = document.closed()
    except FollowupError as exc:
        return [Finding("problem", subject, exc.message, _recovery(store))], None
    findings = _check_interview_files(store, document)
    findings.append(
        Finding(
            "ok",
            subject,
            f"{len(document.open)} open and {plural(len(closed), 'closed interview')}; "
            f"{plural(len(document.journal), 'change')} can be undone",
        )
    )
    return findings, None if any(f.level == "problem" for f in findings) else document


def _check_interview_files(store: Store, document: Document) -> list[Finding]:
    """Each open interview's file, read and checked; then the files that neither
    the store nor its backup names (an interrupted change leaves them)."""
    findings = []
    for key, name in list(document.open.files.items()):
        try:
            document.open[key]
            document.open.models.pop(key, None)  # checked: 10,000 interviews need not stay in memory
        except FollowupError as exc:
            findings.append(Finding("problem", str(store.interviews / (name or key)), exc.message, exc.hint))
    named = {name for name in document.open.files.values() if name} | named_by_old_roots(store.home)
    with contextlib.suppress(OSError, FollowupError):  # no backup, or one that cannot be read: it names nothing
        named |= {name for name in store.load(read_regular(store.backup), store.backup).open.files.values() if name}
    try:
        strays = sorted(p.name for p in store.interviews.iterdir() if p.name not in named)
    except OSError:
        strays = []
    if strays:
        shown = ", ".join(strays[:3]) + (" ..." if len(strays) > 3 else "")
        findings.append(
            Finding(
                "warning",
                str(store.interviews),
                f"{plural(len(strays), 'file')} that neither the store nor its backups name: {shown}",
                "harmless (left by an interrupted command): the next change removes them",
            )
        )
    return findings


def backups(store: Store) -> list[Backup]:
    """Backups of the store that can restore it, newest first: each can be read,
    and so can every file it names (one that names a damaged file restores nothing)."""
    found = []
    candidates = [store.backup, *store.home.glob(f"{STORE_NAME}.v*.bak")]
    for path in candidates:
        document, problem = root_problem(store, path)
        if document is None or problem:
            continue
        restore = f"cp {path} {store.path}"
        found.append(Backup(path, _mtime(path), len(document.open) + len(document.closed_ids), restore))
    for path in store.home.glob("followup-before-import-*.json"):
        try:
            interviews = validate_interviews(decode(read_regular(path)).get("interviews"))
        except (OSError, Damage):
            continue
        restore = f"mv {store.path} {store.path}.damaged && followup import {path}"
        found.append(Backup(path, _mtime(path), len(interviews), restore))
    return sorted(found, key=lambda backup: backup.written, reverse=True)


def _recovery(store: Store) -> str:
    found = backups(store)
    if not found:
        return "no readable backup was found; fix the file by hand (it is JSON), or move it away to start afresh"
    listed = "; ".join(
        f"{b.path.name} ({b.written:%Y-%m-%d %H:%M}, {plural(b.interviews, 'interview')})" for b in found
    )
    return f"readable backups, newest first: {listed}. To restore the newest: {found[0].restore}"


def _check_files(home: Path) -> list[Finding]:
    if not home.is_dir():
        return []
    findings = []
    mode = stat.S_IMODE(home.stat().st_mode)
    if mode & 0o077:
        findings.append(
            Finding("warning", str(home), f"the folder is readable by others ({mode:o})", f"chmod 700 {home}")
        )
    ours = [
        path
        for path in home.iterdir()
        if path.is_file()
        and (
            path.name.startswith(STORE_NAME)
            or HISTORY_PATTERN.fullmatch(path.name)
            or path.name.endswith(".lock")
            or path.name in PRIVATE_FILES
        )
    ]
    interviews = home / INTERVIEWS_DIR
    if interviews.is_dir():
        folder_mode = stat.S_IMODE(interviews.stat().st_mode)
        if folder_mode & 0o077:
            findings.append(
                Finding(
                    "warning",
                    str(interviews),
                    f"the folder is readable by others ({folder_mode:o})",
                    f"chmod 700 {interviews}",
                )
            )
        ours += [path for path in interviews.iterdir() if INTERVIEW_PATTERN.fullmatch(path.name)]
    for path in sorted(ours):
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            findings.append(Finding("warning", str(path), f"readable by others ({mode:o})", f"chmod 600 {path}"))
    strays = sorted(home.glob(f".{STORE_NAME}.*.tmp")) + sorted(home.glob(".history-*.tmp"))
    if strays:
        findings.append(
            Finding(
                "warning",
                str(home),
                f"{len(strays)} temp files left by an interrupted command",
                "harmless: the next change removes them",
            )
        )
    return findings


def _check_profile(home: Path) -> list[Finding]:
    """profile.json, which every letter reads: a damaged one stops them all."""
    from followup import profile

    path = profile.path_in(home)
    if not os.path.lexists(path):
        return []
    try:
        kept = profile.load(home)
    except FollowupError as exc:
        return [Finding("problem", str(path), exc.message, exc.hint)]
    known = [name for name in profile.FIELDS if getattr(kept, name)]
    return [Finding("ok", str(path), f"your profile: {', '.join(known) or 'nothing set'}")]


def _check_lock(store: Store) -> list[Finding]:
    from followup.store.lock import Lock, LockTimeout

    if not store.lock_path.exists():
        return []
    try:
        with Lock(store.lock_path, timeout=0):  # the store's own lock, as a change takes it
            return []
    except LockTimeout as held:
        hint = held.hint if held.marker else None
        return [Finding("warning", str(held.held), "another followup command holds the lock right now", hint)]
    except OSError as exc:
        return [Finding("problem", str(store.lock_path), f"cannot take the lock: {exc.strerror}")]


def _check_checklists(checklist_dir: Path) -> list[Finding]:
    findings = []
    for entry in checklists.available(checklist_dir):
        try:
            loaded = checklists.load(entry.path)
        except FollowupError as exc:
            findings.append(Finding("problem", str(entry.path), exc.message.splitlines()[0], exc.hint))
            continue
        findings.append(
            Finding("ok", str(entry.path), f"checklist {loaded.name} ({entry.source}, {len(loaded.steps)} steps)")
        )
    return findings


def _mtime(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime).astimezone()
