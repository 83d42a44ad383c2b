"""Tables as styled text: the layout from `fit`, the cells' plain text and spans.

It draws what rich's borderless `Table` drew for us (columns two spaces
apart, the header bold, a row's style under its cells' own, cut text ending
in an ellipsis) as one `Text` of plain strings and spans: rich's `Table`
measured and rendered every cell again and again, which made `list` at
1,000 interviews spend more than a second in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.console import Console, JustifyMethod
from rich.style import Style
from rich.text import Span, Text

from followup.render.fit import GAP, Column, Layout, fit, natural_widths

Cell = Text | str


class Piece(NamedTuple):
    """One line of one cell, padded to its column's width: its text, base style and spans."""

    plain: str
    style: str | Style
    spans: list[Span]


def cut(text: str, width: int, ellipsis: str) -> str:
    """`text` cut to `width` cells, ending in `ellipsis` when it had to be cut."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(0, width - cell_len(ellipsis))) + ellipsis


def _pad(plain: str, width: int, right: bool) -> str:
    padding = width - (len(plain) if plain.isascii() else cell_len(plain))
    if padding <= 0:
        return plain
    return " " * padding + plain if right else plain + " " * padding


def _cell_lines(console: Console, cell: Cell, column: Column, width: int, natural: int, ellipsis: str) -> list[Piece]:
    """A cell as lines exactly `width` wide: wrapped, or cut, and aligned."""
    if isinstance(cell, str):
        if natural <= width and "\n" not in cell:
            # Most cells: one line, narrow enough: padded without rich's wrapping machinery.
            return [Piece(_pad(cell, width, column.right), "", [])]
        cell = Text(cell)
    plain = cell.plain
    if "\n" not in plain and (natural <= width or not column.wrap):
        if natural <= width:
            return [Piece(_pad(plain, width, column.right), cell.style, cell.spans)]
        # One line to cut, as rich cuts it: trailing blanks beyond the width go first, and the
        # spans that reached the end cover the ellipsis.
        trailing = len(plain) - len(plain.rstrip())
        if trailing and len(plain) > width:
            plain = plain[: len(plain) - min(trailing, len(plain) - width)]
        plain = cut(plain, width, ellipsis)
        end = len(plain)
        spans = [Span(first, min(last, end), style) for first, last, style in cell.spans if first < end]
        return [Piece(_pad(plain, width, column.right), cell.style, spans)]
    if column.wrap:
        justify: JustifyMethod = "right" if column.right else "left"
        lines = list(cell.wrap(console, width, justify=justify, overflow="fold"))
    else:
        lines = []
        for line in cell.split("\n", allow_blank=True):
            line.rstrip_end(width)
            if cell_len(line.plain) > width:
                line.plain = cut(line.plain, width, ellipsis)
            lines.append(line)
    return [Piece(_pad(line.plain, width, column.right), line.style, line.spans) for line in lines]


def lay_out(
    console: Console,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    *,
    ellipsis: str,
    row_styles: Sequence[str] | None = None,
    header: bool = True,
) -> tuple[Text, Layout]:
    """The table's lines as one `Text` (the header first, when shown), and how it was laid out."""
    plain_rows = [[cell if isinstance(cell, str) else cell.plain for cell in row] for row in rows]
    natural = natural_widths(columns, plain_rows, header=header)
    layout = fit(columns, natural, console.width)
    shown = [
        (columns[index], width, natural[index], index) for index, width in zip(layout.shown, layout.widths, strict=True)
    ]
    table = _Builder()
    if header:
        names = [column.name for column in columns]
        table.row(console, shown, names, "bold", ellipsis, bottom=True)
    for number, row in enumerate(rows):
        table.row(console, shown, row, row_styles[number] if row_styles else "", ellipsis)
    return table.text(), layout


class _Builder:
    """The table's text and spans, a row at a time."""

    def __init__(self) -> None:
        self.chunks: list[str] = []
        self.spans: list[Span] = []
        self.offset = 0

    def row(
        self,
        console: Console,
        shown: list[tuple[Column, int, int, int]],
        row: Sequence[Cell],
        style: str,
        ellipsis: str,
        *,
        bottom: bool = False,
    ) -> None:
        """One row: each cell's lines side by side, the shorter ones filled with blanks
        below (above, in the header, whose names sit just over the rows)."""
        cells = [
            _cell_lines(console, row[index], column, width, natural, ellipsis)
            for column, width, natural, index in shown
        ]
        height = max(len(lines) for lines in cells)
        if height > 1:
            cells = [
                ([Piece(" " * width, "", [])] * (height - len(lines)) if bottom else [])
                + lines
                + ([] if bottom else [Piece(" " * width, "", [])] * (height - len(lines)))
                for lines, (_, width, _, _) in zip(cells, shown, strict=True)
            ]
        for number in range(height):
            if self.chunks:
                self.chunks.append("\n")
                self.offset += 1
            start = self.offset
            row_span = len(self.spans)
            for place, lines in enumerate(cells):
                if place:
                    self.chunks.append(" " * GAP)
                    self.offset += GAP
                plain, cell_style, cell_spans = lines[number]
                end = self.offset + len(plain)
                if cell_style:
                    self.spans.append(Span(self.offset, end, cell_style))
                offset = self.offset
                self.spans.extend(
                    Span(offset + first, offset + last, span_style) for first, last, span_style in cell_spans
                )
                self.chunks.append(plain)
                self.offset = end
            if style:
                # Under the cells' own styles, as rich's Table put a row's style.
                self.spans.insert(row_span, Span(start, self.offset, style))

    def text(self) -> Text:
        return Text("".join(self.chunks), spans=self.spans)


def hidden_note(columns: Sequence[Column], layout: Layout, dash: str) -> str | None:
    """One line naming the columns a narrow terminal left out, or None when none was."""
    if not layout.hidden:
        return None
    names = ", ".join(columns[index].label or columns[index].name for index in sorted(layout.hidden))
    return f"hidden at this width: {names} {dash} widen the terminal or use --json"
