"""The store: one folder, committed by one atomic rename of a small root file.

See the package's docstring (`followup.store`) for the files and why they are safe."""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from followup.constants import LOCK_NAME, LOCK_TIMEOUT, STORE_NAME
from followup.errors import StoreError
from followup.models import Interview
from followup.store.commit import STRAY_TEMPS, commit, locked, unless_saved, write_history, write_interview
from followup.store.decoding import INTERVIEWS_DIR, VERSION, Damage, TooNew, lacking
from followup.store.document import Collected, Document, OpenInterviews
from followup.store.files import (
    Descriptor,
    NotRegular,
    fsync_dir,
    open_regular,
    read_regular,
    remove_stray_temps,
    write_atomic,
)
from followup.store.format import (
    collector_paused,
    encode_history,
    encode_interview,
    encode_store,
    load_history,
    load_interview,
    load_store,
)
from followup.store.guard import check_kept
from followup.store.history_check import still_checked
from followup.store.identity import signature_of, stamps_in
from followup.store.index import Index, read_index
from followup.store.index_update import IndexDraft, stamped_summary, summaries_index, update_index
from followup.store.refusals import damaged, not_regular, refuse_linked_folder

SYNCED_ONE_BY_ONE = 32  # new interview files in one change; more are synced all at once


class Store:
    """Load, lock and save the store in one folder."""

    def __init__(self, home: Path, lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.home = home
        self.path = home / STORE_NAME
        self.backup = home / f"{STORE_NAME}.bak"
        self.lock_path = home / LOCK_NAME
        self.lock_timeout = lock_timeout
        self.interviews = home / INTERVIEWS_DIR

    # --- reading ------------------------------------------------------------------

    def read(self) -> Document:
        """The store as it is now, for commands that only read."""
        for _ in range(3):
            raw = self._raw()
            refuse_linked_folder(self.interviews, self.home)
            if raw is None:
                return Document(open=OpenInterviews(), journal=[], closed_ids=[])
            document = self.load(raw, self.path, self._reader(raw))
            document.open.on_collected = functools.partial(self._read_again, document)
            if not document.history_file:
                return document
            history = self.home / document.history_file
            try:
                # Opened now, read when asked: writers that replace it meanwhile cannot change this snapshot.
                holder = Descriptor(open_regular(history))
            except FileNotFoundError:
                if self._raw() != raw:
                    continue  # writers replaced the store and its history since it was read: read it again
                document.read_history = self._unreadable(history, "is missing")
                return document
            except NotRegular as exc:
                document.read_history = self._unreadable(history, f"is {exc.kind}, not a regular file")
                return document
            except OSError as exc:
                document.read_history = self._unreadable(history, f"cannot be read: {exc.strerror}")
                return document
            document.read_history = self._history_reader(history, holder, document)
            return document
        raise StoreError(f"the store {self.path} kept changing while it was read", "try again")

    def _read_again(self, document: Document) -> None:
        """Make `document` the store as it is now: a file it named was collected.

        The second time, the store is read under its lock with every open
        interview at once: writers cannot collect a file meanwhile, so that a
        reader gets through however many commands write beside it."""
        if document.open.generation == 0:
            document.take(self.read())
            return
        with self.locked():
            fresh = self.read()
            models = {key: fresh.open[key] for key in fresh.open.files}
        document.take(fresh)
        document.open.models.update(models)

    def _raw(self) -> bytes | None:
        try:
            return read_regular(self.path)
        except FileNotFoundError:
            return None
        except NotRegular as exc:
            raise not_regular(exc, self.home) from None
        except OSError as exc:
            raise StoreError(f"cannot read the store {self.path}: {exc.strerror}") from None

    def load(self, raw: bytes, path: Path, reader: Callable[[str, str], Interview] | None = None) -> Document:
        """A store file's bytes as a Document (its open interviews read by `reader`
        when asked for), or a StoreError that says what is wrong."""
        try:
            return load_store(raw, reader)
        except Damage as exc:
            raise damaged(path, str(exc), self.backup, self.path) from None
        except TooNew as exc:
            raise StoreError(
                f"the store {path} was written by a newer followup (format {exc.version}; this one reads {VERSION})",
                "upgrade followup: pip install --upgrade followup",
            ) from None

    def _reader(self, raw: bytes) -> Callable[[str, str], Interview]:
        """How to read an open interview's file named by the root `raw`."""

        def read(interview_id: str, name: str) -> Interview:
            path = self.interviews / name
            try:
                data = read_regular(path)
            except FileNotFoundError:
                if self._raw() != raw:
                    raise Collected(name) from None  # two changes since the root was read: read it again
                raise StoreError(
                    f"the interview file {path} named by {self.path} is missing",
                    f"nothing was changed; {self._interview_hint(interview_id, name)}",
                ) from None
            except NotRegular as exc:
                raise not_regular(exc, self.home) from None
            except OSError as exc:
                raise StoreError(f"cannot read the interview file {path}: {exc.strerror}") from None
            try:
                return load_interview(data, interview_id)
            except Damage as exc:
                raise StoreError(
                    f"the store file {path} is damaged: {exc}",
                    f"nothing was changed; {self._interview_hint(interview_id, name)}",
                ) from None

        return read

    def _interview_hint(self, interview_id: str, name: str) -> str:
        """How to recover one interview's file: the backup, if it names another
        version of that interview that can be read, else a fix by hand."""
        try:
            backup = self.load(read_regular(self.backup), self.backup)
            older = backup.open.files.get(interview_id)
            if older and older != name and (self.interviews / older).is_file():
                return f"restore the previous store with: cp {self.backup} {self.path}; `followup doctor` checks every file"
        except (OSError, StoreError):
            pass  # no backup to restore from
        return "fix the file by hand (it is JSON), or restore it from an export; `followup doctor` checks every file"

    def _history_reader(self, path: Path, holder: Descriptor, document: Document) -> Callable[[], dict[str, Interview]]:
        def read(ids: tuple[str, ...] = tuple(document.closed_ids)) -> dict[str, Interview]:
            try:
                closed = load_history(holder.read_all())
                document.history_read = signature_of(holder.read_from) if holder.read_from else None
                if missing := lacking(ids, closed):
                    raise Damage(missing)
            except Damage as exc:
                raise damaged(path, str(exc), self.backup, self.path) from None
            return closed

        return read

    def _unreadable(self, path: Path, what: str) -> Callable[[], dict[str, Interview]]:
        """A reader that fails only if the closed interviews are asked for: daily commands still work."""

        def fail() -> dict[str, Interview]:
            raise self._unreadable_error(path, what)

        return fail

    def _unreadable_error(self, path: Path, what: str) -> StoreError:
        return StoreError(
            f"the history file {path} named by {self.path} {what}",
            "nothing was changed; `followup doctor` lists the backups that can restore it",
        )

    # --- changing -----------------------------------------------------------------

    @contextlib.contextmanager
    def change(self) -> Iterator[Document]:
        """Lock, load, let the caller change the document, and save it if changed."""
        if not os.path.isdir(self.home):
            try:
                # exist_ok: two first commands at once may both find no folder.
                self.home.mkdir(mode=0o700, parents=True, exist_ok=True)
            except FileExistsError:  # a file, not a folder
                raise StoreError(f"{self.home} is not a folder", "point FOLLOWUP_HOME at a folder") from None
            except OSError as exc:
                raise StoreError(
                    f"cannot create the folder {self.home}: {exc.strerror or exc}",
                    "set FOLLOWUP_HOME to a folder you can write to",
                ) from None
        with self.locked():
            remove_stray_temps(self.home, STRAY_TEMPS)
            with collector_paused():
                document = self.read()
                before = dict(document.open.files)  # what the store names now, soon the backup
                history_before, closed_before = document.history_file, list(document.closed_ids)
                yield document
                if document.changed:
                    old_index = read_index(self.home) if document.loaded_version == VERSION else None  # as it was
                    checked = check_kept(self, document, before, history_before, closed_before, old_index)
                    self._save(document, before, old_index, checked)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """The store's lock, or a StoreError that says who holds it or why it cannot be taken."""
        with locked(self.lock_path, self.lock_timeout):
            yield

    def _save(
        self, document: Document, before: dict[str, str | None], old: Index | None, checked: list[int] | None
    ) -> None:
        previous_history = document.history_file  # what the old store, soon the backup, names
        written: list[Path] = []  # deleted if the change is not committed
        with unless_saved(self.path, written):
            if document.history_changed:
                document.history_file = self._write_history(document)
            self._write_interviews(document, before, written)
            stored = encode_store(document)
            index = self._draft_index(document, before, stored, old)  # now: little is left after the commit
            if document.history_file and not document.history_changed:  # as `check_kept` found it, if still there
                index.header["history"] = still_checked(self.home / document.history_file, checked)
            if document.loaded_version < VERSION and document.raw is not None:
                write_atomic(self.home / f"{STORE_NAME}.v{document.loaded_version}.bak", document.raw)
        named = {name for name in [*before.values(), *document.open.files.values()] if name}
        commit(self.home, stored, index, written, {document.history_file, previous_history}, named)

    def _write_history(self, document: Document) -> str:
        return write_history(self.home, encode_history(sorted(document.closed().values(), key=lambda i: (i.at, i.id))))

    def _write_interviews(self, document: Document, before: dict[str, str | None], written: list[Path]) -> None:
        """Each new or changed open interview in a file of its own under a new name,
        synced to disk, before the root that names it: a crash before the root's
        rename leaves files nothing names, which the next change deletes."""
        files = document.open.files
        fresh = [key for key in files if files[key] is None]
        if not fresh:
            return
        with contextlib.suppress(FileExistsError):
            self.interviews.mkdir(mode=0o700)
        one_by_one = len(fresh) <= SYNCED_ONE_BY_ONE
        for key in fresh:
            files[key] = write_interview(
                self.interviews, key, encode_interview(document.open[key]), before.get(key), written, one_by_one
            )
        if not one_by_one:
            os.sync()  # thousands of files (an import, a migration): one sync of all instead of one each
        fsync_dir(self.interviews)

    def _draft_index(
        self, document: Document, before: dict[str, str | None], stored: bytes, old: Index | None
    ) -> IndexDraft:
        """The index line by line from `old`, the one that matched the store as it was, or afresh."""
        opened = document.open
        changed = [opened[key] for key in opened.changed if key in opened]
        stamp = stamps_in(self.interviews, opened.files)  # the files this change wrote, and the others
        draft = update_index(old, list(before), list(opened), changed, stored, stamp) if old else None
        return draft or summaries_index(opened.each(lambda interview: stamped_summary(interview, stamp)), stored)
