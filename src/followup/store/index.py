"""What is pending, in a small index beside the store, so that `due`, `list`
and the dashboard need not parse and validate whole interviews.

`pending.json` is derived from `followup.json` at every change, in JSON lines:

- a header: the format version, the store file it was made for, the number of
  open interviews, and every pending step's due time as a timestamp, soonest
  first;
- one line per pending step, in that order, ending with the start time of its
  interview as a timestamp (the second key of that order);
- one line per open interview, with its pending steps.

So `due` counts what is overdue or due soon by bisecting the header's list of
timestamps, and finds and decodes only the lines it shows.

The header names the store by what `stat` says of it (inode, size, and the
modification and change times in nanoseconds), recorded after the store is in
place, and by a digest of its bytes. A reader trusts the index only while the
store still matches; otherwise (a crash between the two writes, a hand-edited
or restored store, an index from an older followup) it reads the store itself,
which reports any damage. A reader computes the digest only when the stat
cannot tell: when the store is not older than its index (see `_trusted`).
The store names each open interview's file, and those files are never
changed, so an index that matches the store matches the interviews too.

A change rewrites only the lines of the interviews it changed (`update_index`),
on the index that matched the store it changed; any other index is made afresh
from every open interview (`draft_index`).

This module knows nothing of the store that keeps the interviews: its readers
(`followup.store.queries`) fall back to the store when there is no index to trust.
"""

from __future__ import annotations

import json
import os
import weakref
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple, TypeVar

from followup.constants import INDEX_NAME, STORE_NAME

if TYPE_CHECKING:
    from followup.models import Interview

INDEX_VERSION = 3
LINES_FOUND_ONE_BY_ONE = 200
HEAD_BYTES = 1 << 16  # of the lines after the header, read at first: many screenfuls of steps
T = TypeVar("T")


class PendingStep(NamedTuple):
    number: int  # its place in `show`
    id: str
    title: str
    due: datetime


class Summary(NamedTuple):
    """What `due` and `list` show of one interview."""

    id: str
    company: str
    role: str
    at: datetime
    outcome: str | None
    finished: int
    total: int
    pending_steps: tuple[PendingStep, ...]

    def next_step(self) -> PendingStep | None:
        return min(self.pending_steps, key=lambda step: (step.due, step.number), default=None)

    def overdue_count(self, now: datetime) -> int:
        return 0 if self.outcome else sum(1 for step in self.pending_steps if step.due < now)


class DueItem(NamedTuple):
    """One pending step of one open interview."""

    interview_id: str
    company: str
    step: PendingStep
    overdue: bool

    @property
    def number(self) -> int:
        return self.step.number

    def to_json(self) -> dict[str, Any]:
        return {
            "interview": self.interview_id,
            "company": self.company,
            "step": self.step.id,
            "number": self.step.number,
            "title": self.step.title,
            "due": self.step.due.isoformat(),
            "overdue": self.overdue,
        }


class BadIndex(ValueError):
    """A line of the index is not what this followup writes."""


class Deadlines:
    """Every pending step of the open interviews, soonest first.

    `dues` holds their due times as timestamps, so that counting the steps due
    before a moment is a bisection; a step itself is built only when asked for.
    """

    def __init__(
        self, interviews: int, dues: list[float], step_at: Callable[[int], tuple[str, str, PendingStep]]
    ) -> None:
        self.interviews = interviews
        self.dues = dues
        self._step_at = step_at

    @classmethod
    def of(cls, summaries: Sequence[Summary]) -> Deadlines:
        """The deadlines of these interviews (the open ones), sorted here."""
        rows = sorted_rows(summaries)
        return cls(
            len(summaries), [key[0] for key, _, _ in rows], lambda n: (rows[n][1].id, rows[n][1].company, rows[n][2])
        )

    def __len__(self) -> int:
        return len(self.dues)

    def count_before(self, moment: datetime) -> int:
        """How many are due strictly before `moment` (overdue, when it is now)."""
        return self._count(bisect_left, moment)

    def count_until(self, moment: datetime) -> int:
        """How many are due at or before `moment`."""
        return self._count(bisect_right, moment)

    def _count(self, bisect: Callable[[list[float], float], int], moment: datetime) -> int:
        try:
            return bisect(self.dues, moment.timestamp())
        except TypeError:  # not checked when read, which would cost more than a bisection
            raise BadIndex("a due time that is not a number") from None

    def items(self, now: datetime, start: int = 0, stop: int | None = None) -> list[DueItem]:
        """The steps from place `start` up to `stop`, overdue or not as of `now`."""
        found = []
        for n in range(start, min(len(self), len(self) if stop is None else stop)):
            interview_id, company, step = self._step_at(n)
            found.append(DueItem(interview_id, company, step, step.due < now))
        return found


def sorted_rows(summaries: Iterable[Summary]) -> list[tuple[tuple[float, float, str, int], Summary, PendingStep]]:
    # Total and stable: ties on the due time fall back to the interview, then the step order.
    # Timestamps, because comparing datetimes of different zones is ten times slower.
    rows = [
        ((step.due.timestamp(), summary.at.timestamp(), summary.id, step.number), summary, step)
        for summary in summaries
        if summary.outcome is None
        for step in summary.pending_steps
    ]
    rows.sort(key=lambda row: row[0])
    return rows


def summarize(interview: Interview) -> Summary:
    return Summary(
        id=interview.id,
        company=interview.company,
        role=interview.role,
        at=interview.at,
        outcome=interview.outcome,
        finished=interview.finished_count(),
        total=len(interview.steps),
        pending_steps=tuple(
            PendingStep(number, step.id, step.title, step.due)
            for number, step in enumerate(interview.steps, start=1)
            if step.status == "pending"
        ),
    )


# --- identity ---


def signature(path: Path) -> list[int]:
    """What identifies this version of the file without reading it."""
    info = os.stat(path)
    return [info.st_ino, info.st_size, *stat_times(info)]


def stat_times(info: os.stat_result) -> tuple[int, int]:
    """Its modification and change times, in nanoseconds."""
    return info.st_mtime_ns, info.st_ctime_ns


def digest(store_bytes: bytes) -> str:
    import hashlib  # only for writing, and for reading a racy index: a millisecond saved on `due`

    return hashlib.blake2b(store_bytes, digest_size=16).hexdigest()


# --- reading ---------------------------------------------------------------------------


class Index:
    """A trusted index: its header, and its lines, read, found and decoded only when used."""

    def __init__(self, interviews: int, dues: list[float], head: bytes, rest: BinaryIO | None) -> None:
        self.interviews = interviews
        self.dues = dues
        self._raw = head  # the lines after the header, as far as read
        self._rest = rest  # the index file, open to read the rest from (the same file, if replaced meanwhile)
        if rest is not None:
            weakref.finalize(self, rest.close)  # if never read to the end
        self._starts = [0]  # where lines start in `_raw`, as far as found
        self._lines: list[bytes] | None = None

    def deadlines(self) -> Deadlines:
        return Deadlines(self.interviews, self.dues, lambda n: _step_row(self._line(n)))

    def summaries(self) -> list[Summary]:
        steps = len(self.dues)
        return [_summary(self._line(steps + n)) for n in range(self.interviews)]

    def _line(self, n: int) -> bytes:
        """Line `n` after the header. `due` shows the first few lines only, so
        those are found one by one; beyond them, all are split at once."""
        if self._lines is None and n >= LINES_FOUND_ONE_BY_ONE:
            self._read_rest()
            self._lines = self._raw.split(b"\n")
        if self._lines is not None:
            if n >= len(self._lines) - 1:  # the last "line" is what follows the final newline
                raise BadIndex(f"the index has no line {n + 2}")
            return self._lines[n]
        starts = self._starts
        while len(starts) <= n + 1:
            end = self._raw.find(b"\n", starts[-1])
            if end >= 0:
                starts.append(end + 1)
            elif self._rest is not None:
                self._read_rest()
            else:
                raise BadIndex(f"the index has no line {len(starts) + 1}")
        return self._raw[starts[n] : starts[n + 1] - 1]

    def all_lines(self) -> list[bytes]:
        """Every line after the header, and what follows the last newline (nothing)."""
        self._read_rest()
        return self._raw.split(b"\n")

    @property
    def reads_on(self) -> bool:
        """Whether it keeps the index file open, to read the rest of it when asked."""
        return self._rest is not None

    def _read_rest(self) -> None:
        if self._rest is None:
            return
        try:
            self._raw += self._rest.read()
        except OSError as exc:
            raise BadIndex(str(exc)) from None
        finally:
            self._rest.close()
            self._rest = None


def read_index(home: Path) -> Index | None:
    """The index, or None if it cannot be trusted: missing, broken, or made for another store."""
    try:
        handle = open(home / INDEX_NAME, "rb")  # noqa: SIM115 (the Index may keep it open to read on)
    except OSError:
        return None
    index = None
    try:
        index = _trusted(handle, home / STORE_NAME)
    finally:
        if index is None or not index.reads_on:
            handle.close()
    return index


def _trusted(handle: BinaryIO, store_path: Path) -> Index | None:
    try:
        header_line = handle.readline()
        head = handle.read(HEAD_BYTES)
        written = stat_times(os.fstat(handle.fileno()))[0]
        # After the index is read: a store replaced meanwhile then fails the match below.
        store = signature(store_path)
        header: Any = json.loads(header_line)
        if header["version"] != INDEX_VERSION or header["store"] != store:
            return None
        dues, interviews = header["due"], header["interviews"]
        if not (isinstance(dues, list) and isinstance(interviews, int) and interviews >= 0):
            return None
        # Git's rule for a "racily clean" index: a store changed within the same
        # tick of the file system's clock as it was recorded may keep every stat
        # field, so the stat is enough only for a store older than its index.
        # Otherwise (file systems that count whole seconds, mostly) its bytes decide.
        if max(store[2], store[3]) >= written and header["digest"] != digest(store_path.read_bytes()):
            return None
    except (ValueError, KeyError, TypeError, RecursionError, OSError):
        return None
    return Index(interviews, dues, head, handle if len(head) == HEAD_BYTES else None)


def _step_row(line: bytes) -> tuple[str, str, PendingStep]:
    try:
        interview_id, company, number, step_id, title, due, _ = json.loads(line)
        return str(interview_id), str(company), PendingStep(int(number), str(step_id), str(title), _aware(due))
    except (ValueError, TypeError, RecursionError) as exc:
        raise BadIndex(str(exc)) from None


def _summary(line: bytes) -> Summary:
    try:
        interview_id, company, role, at, finished, total, pending_steps = json.loads(line)
        return Summary(
            id=str(interview_id),
            company=str(company),
            role=str(role),
            at=_aware(at),
            outcome=None,
            finished=int(finished),
            total=int(total),
            pending_steps=tuple(
                PendingStep(int(number), str(step_id), str(title), _aware(due))
                for number, step_id, title, due in pending_steps
            ),
        )
    except (ValueError, TypeError, RecursionError) as exc:
        raise BadIndex(str(exc)) from None


def _aware(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("a time without an offset")
    return moment
