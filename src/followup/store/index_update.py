"""Writing the pending index (see `followup.store.index`): afresh from every open
interview, or line by line from the index of the store as it was."""

from __future__ import annotations

import json
import os
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from followup.store.identity import FileStamp, digest, stat_times
from followup.store.index import HEAD_BYTES, INDEX_VERSION, BadIndex, Index, sorted_rows
from followup.store.index_check import checked_header
from followup.store.summary import PendingStep, Summarized, Summary, summarize

if TYPE_CHECKING:
    from followup.models import Interview

Stamp = Callable[[str], FileStamp | None]  # an open interview's id -> its file, as written
TOUCH_TRIES = 10
UPDATED_LINE_BY_LINE = 64  # interviews changed at most; more (an import) make the index afresh


def newer_than_store(index_path: Path, store_signature: list[int]) -> None:
    """Make the index just written newer than its store on the file system's
    clock, which may not have ticked between the two (every few milliseconds on
    older kernels): readers trust an index by its stat alone only then (see
    `_trusted`). On a clock that counts whole seconds, give up after a few
    tries and leave it to readers to check the digest."""
    store_time = max(store_signature[2], store_signature[3])
    for _ in range(TOUCH_TRIES):
        if stat_times(os.stat(index_path))[0] > store_time:
            return
        time.sleep(0.002)
        os.utime(index_path)


class IndexDraft(NamedTuple):
    """The index of a store about to be written, but for the stat of the store
    file, which exists only once it is in place."""

    header: dict[str, Any]
    body: bytes

    def encode(self, store_signature: list[int]) -> bytes:
        header = {"version": INDEX_VERSION, "store": store_signature, "head": HEAD_BYTES, **self.header}
        return checked_header(_line_encoder().encode(header).encode("utf-8"), self.body) + self.body


def draft_index(interviews: Iterable[Interview], store_bytes: bytes, stamp: Stamp = lambda key: None) -> IndexDraft:
    """The index of these interviews, each with `stamp` of its id (its file, see `FileStamp`)."""
    return summaries_index([stamped_summary(interview, stamp) for interview in interviews], store_bytes)


def stamped_summary(interview: Summarized, stamp: Stamp) -> Summary:
    """The interview's line of the index, naming its file by `stamp`."""
    return summarize(interview)._replace(file=stamp(interview.id))


def summaries_index(summaries: Sequence[Summary], store_bytes: bytes) -> IndexDraft:
    """`draft_index` of the summaries of the interviews, which may be more than a
    command can hold in memory as models (see `OpenInterviews.each`)."""
    rows = sorted_rows(summaries)
    encode = _line_encoder().encode
    lines = [_step_line(encode, key, summary, step) for key, summary, step in rows]
    lines += [_summary_line(encode, summary) for summary in summaries]
    return IndexDraft(
        _draft_header(store_bytes, len(summaries), [_stored(key[0]) for key, _, _ in rows]), b"".join(lines)
    )


def update_index(
    old: Index,
    old_ids: Sequence[str],
    new_ids: Sequence[str],
    changed: Sequence[Summarized],
    store_bytes: bytes,
    stamp: Stamp = lambda key: None,
) -> IndexDraft | None:
    """The index `old` (which matched the store as it was, with `old_ids` open) with
    the lines of the `changed` interviews and of those no longer open replaced,
    for the store about to be written, with `new_ids` open; None if it cannot be
    (too many changes, or an index that is not what it should be).

    The lines to drop are found from the interviews' own lines (by bisecting the
    due times), so a change costs a split of the file, not a pass over its lines."""
    if len(changed) > UPDATED_LINE_BY_LINE or len(old_ids) != old.interviews:
        return None
    try:
        lines = old.all_lines()
    except BadIndex:
        return None
    steps = len(old.dues)
    if len(lines) != steps + old.interviews + 1 or lines[-1]:
        return None
    encode = _line_encoder().encode
    place_of = {key: n for n, key in enumerate(old_ids)}
    gone = {interview.id for interview in changed} | (place_of.keys() - set(new_ids))
    dues, step_lines = list(old.dues), lines[:steps]
    summaries = [stamped_summary(interview, stamp) for interview in changed]
    try:
        drop = _step_lines_of(sorted(gone & place_of.keys()), place_of, lines[steps:-1], dues, step_lines, encode)
        if drop is None:
            return None
        for n in sorted(drop, reverse=True):
            del dues[n], step_lines[n]
        for key, summary, step in sorted_rows(summaries):
            place = bisect_left(dues, key[0])
            while place < len(dues) and dues[place] == key[0] and _row_key(dues[place], step_lines[place]) < key:
                place += 1
            dues.insert(place, _stored(key[0]))
            step_lines.insert(place, _step_line(encode, key, summary, step)[:-1])
    except (ValueError, TypeError, RecursionError, IndexError):
        return None
    fresh = {summary.id: _summary_line(encode, summary)[:-1] for summary in summaries}
    try:
        body = [fresh[key] if key in fresh else lines[steps + place_of[key]] for key in new_ids]
    except KeyError:  # an interview that is new but not among the changed
        return None
    every = step_lines + body
    return IndexDraft(_draft_header(store_bytes, len(new_ids), dues), b"\n".join(every) + b"\n" if every else b"")


def _step_lines_of(
    gone: Sequence[str],
    place_of: dict[str, int],
    summary_lines: list[bytes],
    dues: list[float],
    step_lines: list[bytes],
    encode: Callable[[Any], str],
) -> set[int] | None:
    """Where the step lines of the interviews `gone` are, found from their pending
    steps in their summary lines; None if one is not where it should be."""
    drop = set()
    for key in gone:
        row = json.loads(summary_lines[place_of[key]])
        if row[0] != key:
            return None
        prefix = f"[{encode(key)},".encode()
        for number, _, _, due in row[6]:
            moment = datetime.fromisoformat(due).timestamp()
            found = [
                n
                for n in range(bisect_left(dues, moment), bisect_right(dues, moment))
                if step_lines[n].startswith(prefix) and json.loads(step_lines[n])[2] == number
            ]
            if len(found) != 1:
                return None
            drop.add(found[0])
    return drop


def _draft_header(store_bytes: bytes, interviews: int, dues: list[float]) -> dict[str, Any]:
    return {"digest": digest(store_bytes), "interviews": interviews, "due": dues}


def _stored(due: float) -> float:
    """Whole seconds as integers, which decode several times faster than floats."""
    return int(due) if due.is_integer() else due


def _row_key(due: float, line: bytes) -> tuple[float, float, str, int]:
    """A step line's place in the order of `sorted_rows`."""
    row = json.loads(line)
    return due, float(row[6]), str(row[0]), int(row[2])


def _step_line(
    encode: Callable[[Any], str], key: tuple[float, float, str, int], summary: Summary, step: PendingStep
) -> bytes:
    at = int(key[1]) if key[1].is_integer() else key[1]
    row = [summary.id, summary.company, step.number, step.id, step.title, step.due.isoformat(), at]
    return (encode(row) + "\n").encode("utf-8")


def _summary_line(encode: Callable[[Any], str], summary: Summary) -> bytes:
    row = [
        summary.id,
        summary.company,
        summary.role,
        summary.at.isoformat(),
        summary.finished,
        summary.total,
        [[step.number, step.id, step.title, step.due.isoformat()] for step in summary.pending_steps],
        list(summary.file) if summary.file else None,
    ]
    return (encode(row) + "\n").encode("utf-8")


def _line_encoder() -> json.JSONEncoder:
    # One encoder for every line: json.dumps would make one a line.
    return json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
