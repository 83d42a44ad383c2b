"""Every interview as one spreadsheet row: a record of the follow-up you did.

Proof of effort for a job centre, a coach or yourself: who you met, when,
what came of it, and when you did each follow-up step. One column per step of
the checklists used, named by the checklist's step id; per-interviewer copies
of a step (a letter to each person on a panel) share their step's column.

The file goes to other people's spreadsheets, so every cell is made safe to
open (`safe_cell`): control characters are dropped, and a cell that a
spreadsheet would take for a formula gets a leading `'`, as OWASP recommends
against CSV injection.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import NamedTuple

from followup.models import Interview, Step
from followup.outfiles import readable_text

FIXED_COLUMNS = ("id", "company", "role", "date", "interviewers", "outcome")
JOIN = "; "
SKIPPED = "skipped"
# What a spreadsheet takes as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Record(NamedTuple):
    """What the spreadsheet takes of one interview: its fixed cells, its steps'
    sources in order, and the cell of each source. Far smaller than the model,
    so that an export holds one model at a time, not 10,000."""

    row: dict[str, str]
    sources: tuple[str, ...]
    cells: dict[str, str]


def record(interview: Interview) -> Record:
    cells: dict[str, list[str]] = {}
    for step in interview.steps:
        cells.setdefault(step.source, []).append(_cell(step))
    row = {
        "id": interview.id,
        "company": interview.company,
        "role": interview.role,
        "date": _iso(interview.at),
        "interviewers": JOIN.join(interview.interviewers),
        "outcome": interview.outcome or "",
    }
    return Record(
        row,
        tuple(step.source for step in interview.steps),
        {source: JOIN.join(value for value in values if value) for source, values in cells.items()},
    )


def step_columns(interviews: Iterable[Interview]) -> list[str]:
    """The step ids used across the interviews, in the order they first appear.

    A step first seen in a later interview goes right after the step before it
    in that interview, so that columns keep checklist order when checklists
    differ (`email-letter` of a video interview next to `write-letter`, not
    after every step of the others).
    """
    return _columns(tuple(step.source for step in interview.steps) for interview in interviews)


def _columns(sources_of_each: Iterable[Sequence[str]]) -> list[str]:
    columns: list[str] = []
    for sources in sources_of_each:
        previous: str | None = None
        for source in sources:
            if source not in columns:
                place = columns.index(previous) + 1 if previous is not None else len(columns)
                columns.insert(place, source)
            previous = source
    return columns


def rows(interviews: Sequence[Interview]) -> tuple[list[str], list[dict[str, str]]]:
    """The header and one row per interview, every cell a string."""
    return record_rows([record(interview) for interview in interviews])


def record_rows(records: Sequence[Record]) -> tuple[list[str], list[dict[str, str]]]:
    """`rows`, from the interviews' records."""
    column_of = {source: _column_name(source) for source in _columns(r.sources for r in records)}
    header = [*FIXED_COLUMNS, *column_of.values()]
    table = [{**r.row, **{column_of[source]: cell for source, cell in r.cells.items()}} for r in records]
    return header, table


def csv_text(interviews: Sequence[Interview]) -> str:
    """The CSV file: a header row, then the rows; RFC 4180 quoting and line ends."""
    return records_csv([record(interview) for interview in interviews])


def records_csv(records: Sequence[Record]) -> str:
    """`csv_text`, from the interviews' records."""
    header, table = record_rows(records)
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=header, restval="", quoting=csv.QUOTE_MINIMAL)
    writer.writerow({name: safe_cell(name) for name in header})
    writer.writerows({name: safe_cell(value) for name, value in row.items()} for row in table)
    return buffer.getvalue()


def safe_cell(value: str) -> str:
    """A cell as it is written: without control characters (tabs and line breaks
    kept), and with a leading `'` when it starts like a formula (`=1+1`, `-2`,
    `@SUM(...)`), so that a spreadsheet shows it as text instead of running it."""
    value = readable_text(value)
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _column_name(source: str) -> str:
    """A step's column: its id, unless a step is called like a fixed column (`date`)."""
    return f"step {source}" if source in FIXED_COLUMNS else source


def _cell(step: Step) -> str:
    """When a step was done, `skipped`, or nothing while it is pending."""
    if step.status == "done":
        return _iso(step.done_at) if step.done_at else "done"
    if step.status == "skipped":
        return SKIPPED
    return ""


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
