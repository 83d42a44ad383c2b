"""The store in memory: open interviews read one by one when asked for, closed ones read when asked for."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import TypeVar

from followup.errors import StoreError
from followup.models import Interview, JournalEntry
from followup.store.decoding import VERSION

T = TypeVar("T")


class Collected(StoreError):
    """A file the root named is gone: writers replaced it twice since the root was read."""

    def __init__(self, name: str) -> None:
        super().__init__(f"the store kept changing while it was read ({name} was replaced)", "try again")


class OpenInterviews(MutableMapping[str, Interview]):
    """The open interviews by id, in the root's order. Each is read from its own
    file (and validated) the first time it is asked for, so that a command that
    reads or changes one interview pays for one.

    `files` maps every id to the file that holds it, or to None for an interview
    put here since the store was read (`changed` lists those, to be written).
    """

    def __init__(
        self,
        files: dict[str, str | None] | None = None,
        load: Callable[[str, str], Interview] | None = None,
    ) -> None:
        self.files: dict[str, str | None] = files if files is not None else {}
        self.load = load
        self.models: dict[str, Interview] = {}
        self.changed: set[str] = set()
        self.on_collected: Callable[[], None] | None = None  # the owner reads the store again
        self.generation = 0  # how many times the store was read again

    @classmethod
    def of(cls, interviews: Mapping[str, Interview]) -> OpenInterviews:
        """Interviews not yet in any file."""
        mapping = cls()
        for key, interview in interviews.items():
            mapping[key] = interview
        return mapping

    def __getitem__(self, key: str) -> Interview:
        for _ in range(3):
            found = self.models.get(key)
            if found is not None:  # read already, or read again by `on_collected`
                return found
            name = self.files[key]  # KeyError: not an open interview
            if name is None or self.load is None:
                raise KeyError(key)
            try:
                found = self.models[key] = self.load(key, name)
                return found
            except Collected:
                if self.on_collected is None:
                    raise
                self.on_collected()  # replaces `files` and `load` with the store's newest
        raise Collected(key)

    def values(self) -> list[Interview]:  # type: ignore[override]
        """Every open interview, all from one version of the store: if a file was
        collected on the way, the store was read again, and so are they."""
        return self.each(lambda interview: interview, keep=True)

    def each(self, use: Callable[[Interview], T], *, keep: bool = False) -> list[T]:
        """`use` of every open interview, in order, all from one version of the
        store (as `values`), but, unless `keep`, without keeping the models it
        reads: a command that goes through 10,000 interviews once holds one
        model at a time, and what `use` keeps of each."""
        for _ in range(3):
            generation = self.generation
            found = []
            try:
                for key in list(self.files):
                    kept = keep or key in self.models
                    found.append(use(self[key]))
                    if generation != self.generation:
                        break  # read again on the way: start over on the new version
                    if not kept:
                        del self.models[key]
            except KeyError:
                if generation == self.generation:
                    raise
                continue
            if generation == self.generation:
                return found
        raise Collected("an interview file")

    def __setitem__(self, key: str, interview: Interview) -> None:
        self.files.pop(key, None)  # a replaced interview moves to the end, as in a dict popped and set
        self.files[key] = None
        self.models[key] = interview
        self.changed.add(key)

    def __delitem__(self, key: str) -> None:
        del self.files[key]
        self.models.pop(key, None)
        self.changed.discard(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self.files)

    def __len__(self) -> int:
        return len(self.files)

    def __contains__(self, key: object) -> bool:
        return key in self.files

    def reset(self, files: dict[str, str | None], load: Callable[[str, str], Interview] | None) -> None:
        self.files, self.load = files, load
        self.generation += 1
        self.models.clear()
        self.changed.clear()


@dataclass
class Document:
    """What `followup.json` holds, plus the open interviews it names and the
    closed interviews of its history file.

    Commands change it through `put` and `remove`, which keep the open and
    closed collections apart and note what has to be written.
    """

    open: OpenInterviews
    journal: list[JournalEntry]
    closed_ids: list[str]
    history_file: str | None = None
    history_read: list[int] | None = None  # the history file's signature as `closed` read it
    loaded_version: int = VERSION
    changed: bool = False
    history_changed: bool = False
    raw: bytes | None = field(default=None, repr=False)
    read_history: Callable[[], dict[str, Interview]] | None = field(default=None, repr=False)
    _closed: dict[str, Interview] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.open, OpenInterviews):  # plain models, as tests and imports give them
            self.open = OpenInterviews.of(self.open)

    def closed(self) -> dict[str, Interview]:
        if self._closed is None:
            self._closed = self.read_history() if self.read_history else {}
        return self._closed

    def ids(self) -> list[str]:
        return [*self.open, *(i for i in self.closed_ids if i not in self.open)]

    def get(self, interview_id: str) -> Interview | None:
        if interview_id in self.open:
            try:
                return self.open[interview_id]
            except KeyError:  # the store was read again meanwhile, and it is no longer open
                pass
        if interview_id in self.closed_ids:
            return self.closed().get(interview_id)
        return None

    def every(self) -> list[Interview]:
        """Open and closed interviews, in order of their start time."""
        return sorted([*self.open.values(), *self.closed().values()], key=lambda i: (i.at, i.id))

    def each(self, use: Callable[[Interview], T], *, closed: bool = True) -> list[T]:
        """`use` of every interview (open only, unless `closed`), in order of their
        start time as in `every`, keeping only what `use` returns of the open ones
        (see `OpenInterviews.each`)."""
        rows = self.open.each(lambda interview: (interview.at, interview.id, use(interview)))
        if closed:
            rows += [(interview.at, interview.id, use(interview)) for interview in self.closed().values()]
        rows.sort(key=lambda row: (row[0], row[1]))
        return [row[2] for row in rows]

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
        if interview_id in self.open:
            del self.open[interview_id]
            self.changed = True
        if interview_id in self.closed_ids:
            self.closed().pop(interview_id, None)
            self.closed_ids.remove(interview_id)
            self.history_changed = self.changed = True

    def replace_all(self, interviews: list[Interview]) -> None:
        self.open.reset({}, self.open.load)
        for interview in interviews:
            if interview.is_open:
                self.open[interview.id] = interview
        self._closed = {i.id: i for i in interviews if not i.is_open}
        self.closed_ids = list(self._closed)
        self.history_changed = self.changed = True

    def take(self, newer: Document) -> None:
        """Become `newer` (the store read again), dropping what was read so far."""
        self.open.reset(newer.open.files, newer.open.load)
        self.journal, self.closed_ids, self.history_file = newer.journal, newer.closed_ids, newer.history_file
        self.loaded_version, self.raw, self.read_history, self._closed = (
            newer.loaded_version,
            newer.raw,
            newer.read_history,
            None,
        )
