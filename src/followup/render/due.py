"""`due` and plain `followup`: the pending steps of the open interviews, soonest first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text

from followup.render.base import Frame
from followup.render.fit import FLEX_MIN, Column, fit, natural_widths
from followup.render.table import Cell

if TYPE_CHECKING:
    from followup.store.index import DueItem
    from followup.views import Board, DueList


class DueViews(Frame):
    def screenful(self) -> int:
        """How many steps `due` shows by default: what fits on the screen, but at least ten."""
        return max(10, self.out.height - 4)

    def due(self, view: DueList) -> None:
        """The due steps picked for `view`, then how many there are in all."""
        pending_count, overdue_count = view.pending_count, view.overdue_count
        if not pending_count:
            self.out.print("Nothing pending." + ("" if view.interviews else " Start with `followup new`."))
            return
        self._due_table(view.items, note_hidden=True)
        summary = f"{pending_count} pending" + (f", {overdue_count} overdue" if overdue_count else "")
        if len(view.items) < pending_count:
            summary += f"; {pending_count - len(view.items)} more not shown (`followup due --all` shows every one)"
        self.out.print(Text(summary, style="red" if overdue_count else "dim"))

    def _due_table(self, items: Sequence[DueItem], *, note_hidden: bool) -> None:
        """A row per step; where even that leaves too little room for the step's
        title, the title goes under the interview's id and step number instead."""
        rows: list[list[Cell]] = [
            [
                self.status_glyph("pending", item.step.due),
                self.relative_text(item.step.due),
                self.format_time(item.step.due, short=True),
                item.interview_id,
                str(item.number),
                Text(self.user(item.step.title)),
            ]
            for item in items
        ]
        columns = [
            Column(""),
            Column("due"),
            Column("when", drop=1, label="date and time"),
            Column("interview"),
            Column("#", right=True, drop=2, label="step number"),
            Column("step", flex=True),
        ]
        plain = [[cell.plain if isinstance(cell, Text) else cell for cell in row] for row in rows]
        layout = fit(columns, natural_widths(columns, plain), self.out.width)
        if self.out.width - (layout.total - layout.widths[-1]) >= FLEX_MIN:
            self.table(columns, rows, note_hidden=note_hidden)
            return
        heading = self.dot("interview # · step")
        stacked: list[list[Cell]] = [
            [glyph, due, Text.assemble(f"{interview_id} #{number}\n", title)]
            for glyph, due, _, interview_id, number, title in rows
        ]
        stacked_columns = [Column(""), Column("due"), Column(heading, flex=True)]
        self.table(stacked_columns, stacked, note_hidden=False)
        if note_hidden:
            self.out.file.flush()
            self.err.print(
                Text(
                    f"hidden at this width: date and time {self.glyphs.dash} widen the terminal or use --json",
                    style="dim",
                )
            )

    def dashboard(self, board: Board, horizon: str) -> None:
        """Plain `followup`: the overdue steps and those due within `horizon`, a
        few of each, and the one command to run next: done with the most urgent step.
        It says nothing of the columns a narrow terminal hides: `followup due` does."""
        interviews = board.interviews
        head = Text(f"{interviews} open interview{'s' if interviews != 1 else ''}", style="bold")
        dot = self.glyphs.dot
        if board.overdue_count:
            head.append(f" {dot} ")
            head.append(f"{board.overdue_count} overdue", style="bold red")
        head.append(f" {dot} {board.soon_count or 'nothing'} due in the next {horizon}")
        self.out.print(head)
        shown = [*board.overdue_items, *board.soon_items]
        if shown:
            self._due_table(shown, note_hidden=False)
        hidden = board.pending_count - len(shown)
        if hidden:
            self.out.print(Text(f"{hidden} more pending: `followup due` shows every one", style="dim"))
        first = board.first
        if first is None:
            self.out.print(Text("Every step is done or skipped. After your next interview: `followup new`"))
            return
        command = f"followup done {first.interview_id} {first.step.id}"
        if cell_len(command) > self.out.width - len("next: "):
            command = f"followup done {first.interview_id} {first.number}"  # the step's number is shorter
        line = Text.assemble(("next: ", "dim"), (command, "bold"))
        if cell_len(line.plain) > self.out.width:
            self.out.print(Text("next:", style="dim"))
            line = Text(command, style="bold")
        self.out.print(line)
