"""One sync: read what changed on each side, merge each to-do, write both sides.

Order of work, chosen so that a crash or a failure at any point loses nothing:
the server's changes are read (one REPORT, then one calendar-multiget for all
the to-dos to merge), then every remote write is made conditionally, to-do by
to-do; the local changes of the to-dos done so far are applied as one change
and their agreed values saved in the state. A to-do written but not recorded
(a crash) is found again at the next sync and adopted, never duplicated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from followup.errors import FollowupError
from followup.sync import state as state_file
from followup.sync.local import LocalChange, LocalChanges, LocalSide, LocalStep
from followup.sync.merge import Values, merge
from followup.sync.remote import Conflict, Listing, Remote
from followup.sync.state import Entry, SyncState
from followup.sync.summary import Summary
from followup.sync.vtodo import read, render, says_plainly, uid_of

RETRIES = 3  # a to-do that changes on the server this often while we write it waits for the next sync
FULL_EVERY = 20  # a full href/ETag listing every so often, even when the sync token works
MASS_DELETION_MIN = 3  # fewer vanished to-dos than this are ordinary deletions on the phone
PHONE_DELETED = "deleted on the phone (followup sync)"
PHONE_CANCELLED = "cancelled on the phone (followup sync)"


class MassDeletion(FollowupError):
    """Too many of followup's to-dos vanished at once to believe it was the user."""


@dataclass
class Options:
    list_name: str = "followup"
    dry_run: bool = False
    allow_mass_deletion: bool = False
    recreate: bool = False  # forget the state's list: find the list by name (or make it) and send everything
    before_write: Callable[[str, str], None] | None = None  # test hook: (method, uid) before each write
    # How the state is written; `followup sync` writes it after the store's commit, under its lock,
    # so that a store that failed to save never leaves a state whose base claims what it lacks.
    save_state: Callable[[Path, SyncState], None] | None = None


@dataclass
class _Remote:
    href: str | None
    etag: str | None
    data: bytes | None
    values: Values | None  # None: not on the server


class Sync:
    def __init__(self, local: LocalSide, remote: Remote, path: Path, options: Options, now: datetime) -> None:
        self.local, self.remote, self.path, self.options = local, remote, path, options
        self.now = now.astimezone(UTC).replace(microsecond=0)
        self.summary = Summary(dry_run=options.dry_run)
        self.changes: list[LocalChange] = []

    def run(self) -> Summary:
        state = SyncState() if self.options.recreate else state_file.load(self.path)
        self._same_list(state)
        steps = {step.uid: step for step in self.local.steps()}
        state.list_url = self.remote.open_list(state.list_url, self.options.list_name, create=not self.options.dry_run)
        state.list_name = self.options.list_name
        full = state.sync_token is None or state.syncs_since_full >= FULL_EVERY
        if state.list_url is None:  # a dry run before the list exists: it would be empty
            listing = Listing({}, set(), None, True)
        else:
            listing = self.remote.changes(None if full else state.sync_token)
        by_href = state.by_href()
        if listing.full:
            deleted = {href for href in by_href if href not in listing.changed}
            state.foreign = {h: e for h, e in state.foreign.items() if h in listing.changed}
        else:
            deleted = {href for href in listing.deleted if href in by_href}
            for href in listing.deleted:
                state.foreign.pop(href, None)
        self._guard(len(deleted), len(by_href))
        to_read = [
            href
            for href, etag in listing.changed.items()
            if href not in deleted
            and (
                (href in by_href and state.todos[by_href[href]].etag != etag)
                or (href not in by_href and state.foreign.get(href) != etag)
            )
        ]
        for uid, entry in state.todos.items():  # to-dos to be written need their current text (other apps' properties)
            step = steps.get(uid)
            if (
                entry.href
                and entry.href not in deleted
                and entry.href not in to_read
                and (step is None or Values.of(step) != entry.base)
            ):
                to_read.append(entry.href)
        fetched = self.remote.read(to_read)
        remotes: dict[str, _Remote] = {}
        for href, (etag, data) in fetched.items():
            found = by_href.get(href) or uid_of(data)
            if found is not None and (found in state.todos or found in steps):
                remotes[found] = _Remote(href, etag, data, None)
                state.foreign.pop(href, None)
            elif etag:
                state.foreign[href] = etag
        done: set[str] = set()
        try:
            for uid in sorted(set(steps) | set(state.todos)):
                known = state.todos.get(uid)
                remote = remotes.get(uid)
                if remote is None:
                    if known is not None and known.href and known.href not in deleted:
                        remote = _Remote(known.href, known.etag, None, known.base)  # unchanged there
                    else:
                        remote = _Remote(None, None, None, None)
                self._one(uid, steps.get(uid), known, remote, state)
                done.add(uid)
        finally:
            complete = done >= set(steps) | set(state.todos)
            if complete:
                state.sync_token = listing.token
                state.syncs_since_full = 0 if listing.full else state.syncs_since_full + 1
            self._finish(state)
        return self.summary

    def _same_list(self, state: SyncState) -> None:
        """The state is about one list on one server: another name or server is a new start, asked for."""
        if state.list_url is None:
            return
        if not self.remote.serves(state.list_url):
            where = f"on another server ({state.list_url})"
        elif state.list_name is not None and state.list_name != self.options.list_name:
            where = f"in the list {state.list_name!r}, not {self.options.list_name!r}"
        else:
            return
        raise FollowupError(
            f"followup's to-dos are {where}; nothing changed",
            hint="to move them, run `followup sync --recreate` (with the same --list) to send every step "
            "to the new list; the old one is left as it is",
        )

    def _guard(self, vanished: int, known: int) -> None:
        if self.options.allow_mass_deletion or vanished < MASS_DELETION_MIN or 2 * vanished <= known:
            return
        raise MassDeletion(
            f"{vanished} of the {known} to-dos followup keeps on the server vanished at once; nothing changed",
            hint="if you deleted them on purpose, run `followup sync --accept-deletions` to skip their steps; "
            "if the list was emptied by mistake, run `followup sync --recreate` to send every step again",
        )

    def _finish(self, state: SyncState) -> None:
        # Counted from the final changes, so that a merge retried after a 412 counts once.
        self.summary.count_received(self.changes)
        if self.options.dry_run:
            return
        if self.changes:
            self.local.apply(LocalChanges(self.changes))
        (self.options.save_state or state_file.save)(self.path, state)

    # -- one to-do ------------------------------------------------------

    def _one(self, uid: str, step: LocalStep | None, entry: Entry | None, remote: _Remote, state: SyncState) -> None:
        for _attempt in range(RETRIES):
            try:
                self._attempt(uid, step, entry, remote, state)
                return
            except Conflict:
                remote = self._refetch(uid, remote.href or self.remote.href_for(uid), step)
        raise FollowupError(
            f"the to-do {uid} kept changing on the server while followup wrote it",
            hint="run `followup sync` again in a moment",
        )

    def _refetch(self, uid: str, href: str, step: LocalStep | None) -> _Remote:
        got = self.remote.get(href)
        if got is None:
            return _Remote(None, None, None, None)
        etag, data = got
        return _Remote(href, etag, data, None)

    def _values(self, uid: str, remote: _Remote, step: LocalStep | None, entry: Entry | None) -> Values | None:
        if remote.values is not None or remote.data is None:
            return remote.values
        zone = (step.due if step else entry.base.due if entry else self.now).tzinfo or UTC
        fallback = step.due if step else entry.base.due if entry else self.now
        return read(remote.data, uid, zone, fallback)

    def _attempt(
        self, uid: str, step: LocalStep | None, entry: Entry | None, remote: _Remote, state: SyncState
    ) -> None:
        there = self._values(uid, remote, step, entry)
        if step is None:  # the interview was closed or deleted here
            if there is not None and there.status == "pending" and remote.href:
                self._delete(uid, remote)
                self.summary.removed += 1
            state.todos.pop(uid, None)
            return
        mine = Values.of(step)
        if there is None:
            if entry is not None and mine == entry.base:  # deleted there, unchanged here
                if entry.href is not None and mine.status == "pending":
                    self._change(step, "skipped", reason=PHONE_DELETED)
                state.todos[uid] = Entry(
                    None, None, replace(mine, status="skipped") if mine.status == "pending" else mine
                )
                return
            if entry is not None and entry.href is None and mine == entry.base:
                return
            agreed = self._done_at(mine)
            href = self.remote.href_for(uid)
            self._write("PUT", uid)
            etag = None if self.options.dry_run else self.remote.create(href, render(uid, agreed, self.now))
            self.summary.sent_new += 1
            state.todos[uid] = Entry(href, etag, agreed)
            return
        merged = merge(entry.base if entry else None, mine, there)
        agreed = self._done_at(merged.values)
        self._receive(step, mine, agreed)
        if merged.due_conflict:
            self.summary.conflicts.append(f"{step.summary}: moved on both sides; kept followup's due time")
        etag = remote.etag
        if agreed != there or (remote.data is not None and not says_plainly(remote.data, uid, agreed.status)):
            data = remote.data or self._current(remote)
            self._write("PUT", uid)
            if not self.options.dry_run:
                if etag is None:
                    raise Conflict(uid)
                etag = self.remote.update(remote.href or "", etag, render(uid, agreed, self.now, data))
            self.summary.sent_changed += 1
        state.todos[uid] = Entry(remote.href, etag, agreed)

    def _current(self, remote: _Remote) -> bytes | None:
        if self.options.dry_run or remote.href is None:
            return None
        got = self.remote.get(remote.href)
        if got is None:
            raise Conflict(remote.href)
        return got[1]

    def _delete(self, uid: str, remote: _Remote) -> None:
        self._write("DELETE", uid)
        if not self.options.dry_run:
            if remote.etag is None:
                raise Conflict(uid)
            self.remote.delete(remote.href or "", remote.etag)

    def _write(self, method: str, uid: str) -> None:
        if self.options.before_write is not None and not self.options.dry_run:
            self.options.before_write(method, uid)

    def _done_at(self, values: Values) -> Values:
        if values.status == "done" and values.done_at is None:
            return replace(values, done_at=self.now)
        return values

    def _receive(self, step: LocalStep, mine: Values, agreed: Values) -> None:
        """The local changes that bring the step to the agreed values."""
        self.changes = [c for c in self.changes if c.uid != step.uid]  # a retried merge replaces its changes
        if agreed.status != mine.status or agreed.done_at != mine.done_at:
            if agreed.status == "done":
                self._change(step, "done", at=agreed.done_at)
            elif agreed.status == "pending":
                self._change(step, "pending")
            else:
                self._change(step, "skipped", reason=PHONE_CANCELLED)
        if agreed.due != mine.due:
            self._change(step, "due", due=agreed.due.astimezone(step.due.tzinfo))

    def _change(self, step: LocalStep, kind: str, **fields: object) -> None:
        self.changes.append(LocalChange(step.uid, step.interview_id, step.step_id, kind, **fields))  # type: ignore[arg-type]


def sync(
    local: LocalSide, remote: Remote, path: Path, options: Options | None = None, now: datetime | None = None
) -> Summary:
    """Sync the local steps with the CalDAV list; see the module docstring for the order of work."""
    return Sync(local, remote, path, options or Options(), now or datetime.now(UTC)).run()
