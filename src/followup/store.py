"""The store: open interviews in one small JSON file, history beside it.

`followup.json` is the store and the single point of truth. It holds the open
interviews, the undo journal, and a pointer to the history file that holds the
closed ones. History files are written once under a new name and never changed,
so the daily commands read only the small file, and every change is committed
by one atomic replace of `followup.json`: a crash leaves the old store or the
new one. The previous `followup.json` is kept as `followup.json.bak`, with the
history file it points to.

Writers hold a lock around load-change-save; readers take no lock, since they
can only ever see a complete file.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from followup.atomic import remove_stray_temps, write_atomic
from followup.errors import StoreError
from followup.models import Interview, JournalEntry

VERSION = 1
STORE_NAME = "followup.json"
LOCK_NAME = "followup.lock"
HISTORY_PATTERN = re.compile(r"history-(\d+)\.json")
LOCK_TIMEOUT = 10.0

# One function per old version, each returning the document one version newer.
MIGRATIONS: dict[int, Any] = {}

_interviews = TypeAdapter(list[Interview])
_journal = TypeAdapter(list[JournalEntry])


@dataclass
class Document:
    """The store in memory. Closed interviews are read only when asked for."""

    open: dict[str, Interview]
    journal: list[JournalEntry]
    closed_ids: list[str]
    history_file: str | None = None
    loaded_version: int = VERSION
    _closed: dict[str, Interview] | None = None
    _loader: Any = None
    changed: bool = False
    history_changed: bool = False
    raw: bytes | None = field(default=None, repr=False)

    def closed(self) -> dict[str, Interview]:
        if self._closed is None:
            self._closed = self._loader(self.history_file) if self.history_file else {}
        return self._closed

    def ids(self) -> list[str]:
        return [*self.open, *(i for i in self.closed_ids if i not in self.open)]

    def get(self, interview_id: str) -> Interview | None:
        if interview_id in self.open:
            return self.open[interview_id]
        if interview_id in self.closed_ids:
            return self.closed().get(interview_id)
        return None

    def every(self) -> list[Interview]:
        """Open and closed interviews, in order of their start time."""
        return sorted([*self.open.values(), *self.closed().values()], key=lambda i: (i.at, i.id))

    def put(self, interview: Interview) -> None:
        """Add or replace an interview, filed as open or closed by its outcome."""
        self.remove(interview.id)
        if interview.is_open:
            self.open[interview.id] = interview
        else:
            self.closed()[interview.id] = interview
            self.closed_ids.append(interview.id)
            self.history_changed = True
        self.changed = True

    def remove(self, interview_id: str) -> None:
        if self.open.pop(interview_id, None) is not None:
            self.changed = True
        if interview_id in self.closed_ids:
            self.closed().pop(interview_id, None)
            self.closed_ids.remove(interview_id)
            self.history_changed = self.changed = True

    def replace_all(self, interviews: list[Interview]) -> None:
        self.open = {i.id: i for i in interviews if i.is_open}
        self._closed = {i.id: i for i in interviews if not i.is_open}
        self.closed_ids = list(self._closed)
        self.history_changed = self.changed = True


class Store:
    """Load, lock and save the store in one folder."""

    def __init__(self, home: Path, lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.home = home
        self.path = home / STORE_NAME
        self.backup = home / f"{STORE_NAME}.bak"
        self.lock_path = home / LOCK_NAME
        self.lock_timeout = lock_timeout

    def read(self) -> Document:
        """The store as it is now, for commands that only read."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return Document(open={}, journal=[], closed_ids=[], _loader=self._load_history)
        except OSError as exc:
            raise StoreError(f"cannot read the store {self.path}: {exc.strerror}") from None
        return self._parse(raw)

    @contextlib.contextmanager
    def change(self) -> Iterator[Document]:
        """Lock, load, let the caller change the document, and save it if changed."""
        from filelock import FileLock, Timeout

        self._make_home()
        lock = FileLock(str(self.lock_path), timeout=self.lock_timeout, mode=0o600)
        try:
            lock.acquire()
        except Timeout:
            raise StoreError(
                f"the store is locked by another followup command (lock file {self.lock_path})",
                "wait for it to finish and try again",
            ) from None
        try:
            remove_stray_temps(self.home)
            document = self.read()
            yield document
            if document.changed:
                self._save(document)
        finally:
            lock.release()

    # --- loading -------------------------------------------------------------

    def _parse(self, raw: bytes) -> Document:
        data = _decode(raw, self.path)
        version = data.get("version")
        if not isinstance(version, int) or isinstance(version, bool):
            raise self._damaged("no version number at the top level")
        if version > VERSION:
            raise StoreError(
                f"the store {self.path} was written by a newer followup (format {version}; this one reads {VERSION})",
                "upgrade followup: pip install --upgrade followup",
            )
        loaded_version = version
        while version < VERSION:
            if version not in MIGRATIONS:
                raise self._damaged(f"format {version} is unknown")
            data = MIGRATIONS[version](data)
            version += 1
        unknown = set(data) - {"version", "interviews", "history", "journal"}
        if unknown:
            raise self._damaged(f"unknown field {sorted(unknown)[0]!r} at the top level")
        history = data.get("history") or {}
        if not isinstance(history, dict):
            raise self._damaged("history: expected an object")
        history_file = history.get("file")
        closed_ids = history.get("ids", [])
        if (history_file is not None and not _is_history_name(history_file)) or not (
            isinstance(closed_ids, list) and all(isinstance(i, str) for i in closed_ids)
        ):
            raise self._damaged("history: expected a file name like history-1.json and a list of ids")
        try:
            interviews = _interviews.validate_python(data.get("interviews", []))
            journal = _journal.validate_python(data.get("journal", []))
        except ValidationError as exc:
            raise self._damaged(_first_error(exc)) from None
        return Document(
            open={i.id: i for i in interviews},
            journal=journal,
            closed_ids=list(closed_ids),
            history_file=history_file,
            loaded_version=loaded_version,
            _loader=self._load_history,
            raw=raw,
        )

    def _load_history(self, name: str) -> dict[str, Interview]:
        path = self.home / name
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise StoreError(
                f"the history file {path} named by {self.path} is missing",
                f"nothing was changed; restore the previous store with: cp {self.backup} {self.path}",
            ) from None
        except OSError as exc:
            raise StoreError(
                f"cannot read the history file {path}: {exc.strerror or exc}",
                "check its permissions; nothing was changed",
            ) from None
        data = _decode(raw, path)
        try:
            interviews = _interviews.validate_python(data.get("interviews"))
        except ValidationError as exc:
            raise self._damaged(_first_error(exc), path) from None
        return {i.id: i for i in interviews}

    def _damaged(self, reason: str, path: Path | None = None) -> StoreError:
        return damaged(path or self.path, reason)

    # --- saving --------------------------------------------------------------

    def _make_home(self) -> None:
        if not self.home.exists():
            self.home.mkdir(mode=0o700, parents=True)

    def _save(self, document: Document) -> None:
        try:
            if document.history_changed:
                document.history_file = self._write_history(document)
            if document.loaded_version < VERSION and document.raw is not None:
                write_atomic(self.home / f"{STORE_NAME}.v{document.loaded_version}.bak", document.raw)
            if self.path.exists():
                self._keep_backup()
            write_atomic(self.path, _encode(_store_data(document)))
        except OSError as exc:
            raise StoreError(
                f"could not save {self.path}: {exc.strerror or exc}; nothing changed",
                "check the free space and permissions of that folder",
            ) from None
        except UnicodeEncodeError:
            raise StoreError(
                f"could not save {self.path}: some text is not valid Unicode; nothing changed",
                "retype it in a UTF-8 terminal (undecodable bytes cannot be stored)",
            ) from None
        self._drop_unused_history()

    def _keep_backup(self) -> None:
        """Make `followup.json.bak` the current store, atomically, before replacing it."""
        temp = self.home / f".{STORE_NAME}.bak.tmp"
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        try:
            os.link(self.path, temp)
        except OSError:
            write_atomic(self.backup, self.path.read_bytes())
            return
        try:
            with contextlib.suppress(OSError):
                os.chmod(temp, 0o600)  # as private as the store, even if the old file was not
            os.replace(temp, self.backup)
        except BaseException:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise

    def _write_history(self, document: Document) -> str:
        numbers = [int(m[1]) for p in self.home.iterdir() if (m := HISTORY_PATTERN.fullmatch(p.name))]
        name = f"history-{max(numbers, default=0) + 1}.json"
        closed = sorted(document.closed().values(), key=lambda i: (i.at, i.id))
        data = {"version": VERSION, "interviews": [i.model_dump(mode="json") for i in closed]}
        write_atomic(self.home / name, _encode(data))
        return name

    def _drop_unused_history(self) -> None:
        """Delete history files that neither the store nor its backup name."""
        keep = set()
        for path in (self.path, self.backup):
            with contextlib.suppress(OSError, ValueError, AttributeError):
                keep.add(json.loads(path.read_bytes()).get("history", {}).get("file"))
        for path in self.home.iterdir():
            if HISTORY_PATTERN.fullmatch(path.name) and path.name not in keep:
                with contextlib.suppress(OSError):
                    path.unlink()


def damaged(path: Path, reason: str) -> StoreError:
    backup = path.with_name(path.name + ".bak")
    return StoreError(
        f"the store {path} is damaged: {reason}",
        f"nothing was changed; fix the file, or restore the previous store with: cp {backup} {path}",
    )


def _decode(raw: bytes, path: Path) -> dict[str, Any]:
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
    except UnicodeDecodeError as exc:
        raise damaged(path, f"not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise damaged(path, f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except (ValueError, RecursionError) as exc:
        raise damaged(path, f"not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise damaged(path, "expected a JSON object at the top level")
    return data


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a valid JSON value")


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}"


def _is_history_name(name: Any) -> bool:
    return isinstance(name, str) and HISTORY_PATTERN.fullmatch(name) is not None


def _store_data(document: Document) -> dict[str, Any]:
    return {
        "version": VERSION,
        "interviews": [i.model_dump(mode="json") for i in document.open.values()],
        "history": {"file": document.history_file, "ids": document.closed_ids} if document.history_file else None,
        "journal": [entry.model_dump(mode="json") for entry in document.journal],
    }


def _encode(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
