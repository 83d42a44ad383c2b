"""How a table fits a terminal: which columns it shows, and how wide each is.

A pure function of the columns, the plain text of the rows and the width, so
that it can be tested directly (tests/test_fit.py) and the renderer lays the
rows out itself: rich's `Table` measured and re-measured every cell, which
made `list` at 1,000 interviews spend more than a second in it.

The rules, in order:

- every column is as wide as its widest line (and its header);
- the one `flex` column takes the room the others leave: it wraps (at most
  MEASURE wide) or is cut with an ellipsis;
- while that leaves `flex` less than FLEX_MIN, the columns that may be cut
  (`least`) give up width down to their `least`, and then the columns that
  may be left out (`drop`) go, lowest `drop` first;
- no other column is ever cut: numbers, ids and times are shown whole or not
  at all. Only when the columns that cannot go, with one cell for `flex`
  (FLEX_LEAST when it wraps), are wider than the terminal is the table wider
  than it (the terminal then wraps its lines: better than an id cut short).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len

GAP = 2  # spaces between two columns
FLEX_MIN = 14  # the least the flex column should keep before other columns give way
FLEX_LEAST = 4  # a wrapped flex column is never narrower: wrapped a letter at a time, text is unreadable
MEASURE = 76  # wrapped text wider than this is hard to read, however wide the terminal


@dataclass(frozen=True)
class Column:
    """One column of a table, and how it may give way on a narrow terminal."""

    name: str  # its header
    flex: bool = False  # takes the room the others leave (exactly one column does)
    wrap: bool = False  # flex only: wrapped (at most MEASURE wide) rather than cut
    right: bool = False  # aligned right, as numbers are
    least: int | None = None  # text that may be cut with an ellipsis, down to this width
    drop: int | None = None  # may be left out: the lowest goes first
    label: str = ""  # how the note about hidden columns names it (default: its name)


@dataclass(frozen=True)
class Layout:
    """Which columns a table shows, in order, and their widths; which were left out."""

    shown: tuple[int, ...]  # indices into the columns
    widths: tuple[int, ...]  # one per shown column
    hidden: tuple[int, ...]  # indices of the columns left out, in the order they went

    @property
    def total(self) -> int:
        """The width of the table's lines."""
        return sum(self.widths) + GAP * max(0, len(self.widths) - 1)


def natural_widths(columns: Sequence[Column], rows: Sequence[Sequence[str]], *, header: bool = True) -> list[int]:
    """Each column's widest line, in terminal cells (the header's too, when shown)."""
    widths = [cell_len(column.name) if header else 0 for column in columns]
    for row in rows:
        for index, cell in enumerate(row):
            if "\n" in cell:
                wide = max(cell_len(line) for line in cell.split("\n"))
            else:
                wide = cell_len(cell) if not cell.isascii() else len(cell)
            if wide > widths[index]:
                widths[index] = wide
    return widths


def fit(columns: Sequence[Column], natural: Sequence[int], width: int) -> Layout:
    """Lay out columns whose widest lines are `natural` in `width` cells (see the module's rules)."""
    (flex,) = [index for index, column in enumerate(columns) if column.flex]
    widths = list(natural)
    kept = list(range(len(columns)))

    def room() -> int:
        return width - sum(widths[index] for index in kept if index != flex) - GAP * (len(kept) - 1)

    for index, column in enumerate(columns):
        if column.least is not None and index != flex:
            widths[index] = min(natural[index], max(column.least, widths[index] - max(0, FLEX_MIN - room())))
    hidden = []
    droppable = sorted((column.drop, index) for index, column in enumerate(columns) if column.drop is not None)
    for _, index in droppable:
        if room() >= FLEX_MIN:
            break
        kept.remove(index)
        hidden.append(index)
    left = room()
    if columns[flex].wrap:
        widths[flex] = min(natural[flex], max(FLEX_LEAST, min(left, MEASURE)))
    else:
        widths[flex] = min(natural[flex], max(1, left))  # cut text: a single cell still says "there is more"
    return Layout(tuple(kept), tuple(widths[index] for index in kept), tuple(hidden))
