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

The index checks itself: the header starts with `"check"`, a checksum of the
rest of the header and of the first `head` bytes of the lines (what `due`
reads anyway), then `"rest"`, a checksum of the lines after those, checked when
they are read; and the number of lines must be the header's count of steps and
interviews. A damaged or hand-edited index would otherwise show steps and
times that exist nowhere and make `due --check` say nothing is overdue; one
that fails is ignored, as a stale one is (a line found wrong later makes the
command start again on the store), and the next change or `followup doctor`
writes it afresh. So `due` checks 64 KiB whatever the number of interviews.

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

The header also holds the `signature` of the store's history file (closed
interviews, which can be most of the store) as it was when the change that
wrote the index had checked or written it: history files are never rewritten,
so while the signature holds, the next change need not read the whole file
again to know it is intact (see `followup.store.guard`).

This module knows nothing of the store that keeps the interviews: its readers
(`followup.store.queries`) fall back to the store when there is no index to trust.
"""

from __future__ import annotations

import json
import os
import stat
import weakref
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple, TypeVar

from followup.constants import INDEX_NAME, STORE_NAME
from followup.store.identity import FileStamp, digest, signature, stat_times
from followup.store.index_check import CHECK_LENGTH, CHECK_START, regular_bytes, self_check
from followup.store.summary import PendingStep, Summary

INDEX_VERSION = 6  # 6: CRC-32 self-checks
LINES_FOUND_ONE_BY_ONE = 200
HEAD_BYTES = 1 << 16  # of the lines after the header, read at first: many screenfuls of steps
T = TypeVar("T")


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


# --- reading ---------------------------------------------------------------------------


class Index:
    """A trusted index: its header, and its lines, read, found and decoded only when used."""

    def __init__(
        self,
        interviews: int,
        dues: list[float],
        head: bytes,
        rest: BinaryIO | None,
        rest_check: bytes = b"",
        history: list[int] | None = None,
        written: int = 0,
        store_digest: str = "",
    ) -> None:
        self.interviews = interviews
        self.store_digest = store_digest  # the `digest` of the root it was made for
        self.history = history  # the `signature` of the store's history file as the change found it intact
        self.written = written  # the index's modification time, in nanoseconds
        self.dues = dues
        self._raw = head  # the lines after the header, as far as read
        self._rest = rest  # the index file, open to read the rest from (the same file, if replaced meanwhile)
        self._rest_check = rest_check  # the checksum of what follows `head`, checked when read
        if rest is not None:
            weakref.finalize(self, rest.close)  # if never read to the end
        self._starts = [0]  # where lines start in `_raw`, as far as found
        self._lines: list[bytes] | None = None

    def deadlines(self) -> Deadlines:
        return Deadlines(self.interviews, self.dues, lambda n: _step_row(self._line(n)))

    def summaries(self) -> list[Summary]:
        steps = len(self.dues)
        return [_summary(self._line(steps + n)) for n in range(self.interviews)]

    def file_stamps(self) -> dict[str, FileStamp | None]:
        """Each open interview's id and the file its line names (`summaries` without
        the rest of each line, which `export` does not need)."""
        steps = len(self.dues)
        return dict(_file_stamp(self._line(steps + n)) for n in range(self.interviews))

    def summary(self, n: int) -> Summary:
        """The summary of the `n`th open interview, in the root's order (as the lines are)."""
        if not 0 <= n < self.interviews:
            raise BadIndex(f"no interview {n}")
        return _summary(self._line(len(self.dues) + n))

    def _line(self, n: int) -> bytes:
        """Line `n` after the header. `due` shows the first few lines only, so
        those are found one by one; beyond them, all are split at once."""
        if self._lines is None and n >= LINES_FOUND_ONE_BY_ONE:
            self.read_rest()
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
                self.read_rest()
            else:
                raise BadIndex(f"the index has no line {len(starts) + 1}")
        return self._raw[starts[n] : starts[n + 1] - 1]

    def all_lines(self) -> list[bytes]:
        """Every line after the header, and what follows the last newline (nothing):
        the list the index reads its lines from, split once (not to be changed)."""
        self.read_rest()
        if self._lines is None:
            self._lines = self._raw.split(b"\n")
        return self._lines

    @property
    def reads_on(self) -> bool:
        """Whether it keeps the index file open, to read the rest of it when asked."""
        return self._rest is not None

    def read_rest(self) -> None:
        """The rest of the file, checked against its checksum in the header, and the
        number of lines against the header's counts: BadIndex if either fails."""
        if self._rest is None:
            return
        try:
            rest = self._rest.read()
        except OSError as exc:
            raise BadIndex(str(exc)) from None
        finally:
            self._rest.close()
            self._rest = None
        if self_check(rest) != self._rest_check:
            raise BadIndex("the index fails its own check")
        self._raw += rest
        if self._raw.count(b"\n") != len(self.dues) + self.interviews or (not self._raw.endswith(b"\n") and self._raw):
            raise BadIndex("the index does not have the lines its header counts")


def read_index(home: Path) -> Index | None:
    """The index, or None if it cannot be trusted: missing, broken, not a regular
    file (a FIFO would block for ever), failing its own check, or made for another store."""
    try:
        fd = os.open(home / INDEX_NAME, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except OSError:
        return None
    handle = os.fdopen(fd, "rb")  # the Index may keep it open to read on
    index = None
    try:
        info = os.fstat(fd)
        if stat.S_ISREG(info.st_mode):
            os.set_blocking(fd, True)
            index = _trusted(handle, stat_times(info)[0], home / STORE_NAME)
    except OSError:
        index = None
    finally:
        if index is None or not index.reads_on:
            handle.close()
    return index


def _trusted(handle: BinaryIO, written: int, store_path: Path) -> Index | None:
    try:
        header_line = handle.readline()
        checked = len(CHECK_START) + CHECK_LENGTH
        if not (header_line.startswith(CHECK_START) and header_line[checked : checked + 2] == b'",'):
            return None
        header: Any = json.loads(header_line)
        if not (isinstance(header["head"], int) and header["head"] >= 0):
            return None
        head = handle.read(header["head"])
        if header_line[len(CHECK_START) : checked] != self_check(header_line[checked + 2 :], head):
            return None
        # After the index is read: a store replaced meanwhile then fails the match below.
        store = signature(store_path)
        if header["version"] != INDEX_VERSION or header["store"] != store:
            return None
        dues, interviews = header["due"], header["interviews"]
        if not (isinstance(dues, list) and isinstance(interviews, int) and interviews >= 0):
            return None
        # Git's rule for a "racily clean" index: a store changed within the same
        # tick of the file system's clock as it was recorded may keep every stat
        # field, so the stat is enough only for a store older than its index.
        # Otherwise (file systems that count whole seconds, mostly) its bytes decide.
        if max(store[2], store[3]) >= written and header["digest"] != digest(regular_bytes(store_path)):
            return None
        history = header.get("history")
        if not (history is None or (isinstance(history, list) and all(type(n) is int for n in history))):
            return None
        rest = str(header["rest"]).encode("ascii")
        index = Index(interviews, dues, head, handle, rest, history, written, str(header["digest"]))
        if len(head) < header["head"]:
            index.read_rest()  # all read already: check it whole now
    except (ValueError, KeyError, TypeError, RecursionError, OSError, UnicodeError):
        return None
    return index


def _step_row(line: bytes) -> tuple[str, str, PendingStep]:
    try:
        interview_id, company, number, step_id, title, due, _ = json.loads(line)
        return str(interview_id), str(company), PendingStep(int(number), str(step_id), str(title), _aware(due))
    except (ValueError, TypeError, RecursionError) as exc:
        raise BadIndex(str(exc)) from None


def _file_stamp(line: bytes) -> tuple[str, FileStamp | None]:
    try:
        interview_id, _, _, _, _, _, _, file = json.loads(line)
        return str(interview_id), _stamp(file)
    except (ValueError, TypeError, RecursionError) as exc:
        raise BadIndex(str(exc)) from None


def _stamp(file: Any) -> FileStamp | None:
    if file is None:
        return None
    name, *numbers = file
    stamp = (str(name), *(int(n) for n in numbers))
    if len(stamp) != 5:
        raise ValueError("a file stamp is a name and four numbers")
    return stamp  # type: ignore[return-value]  # five items: a FileStamp


def _summary(line: bytes) -> Summary:
    try:
        interview_id, company, role, at, finished, total, pending_steps, file = json.loads(line)
        file = _stamp(file)
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
            file=file,
        )
    except (ValueError, TypeError, RecursionError) as exc:
        raise BadIndex(str(exc)) from None


def _aware(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("a time without an offset")
    return moment
