"""Everything followup shows on a terminal; the only module that imports rich.

User text always goes in as `Text`, never as markup, so a company called
`[red]x[/]` prints literally; control characters are shown, not obeyed.
Data goes to stdout, messages and errors to stderr.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from followup.humanize import absolute, json_text, printable, relative

if TYPE_CHECKING:
    # Types only: importing these would load YAML and pydantic for commands that need neither.
    from followup.checklists import ChecklistFile
    from followup.doctor import Finding
    from followup.models import Checklist, Interview
    from followup.pending import Summary
    from followup.schedule import TooLate
    from followup.views import DueItem

SOON_SECONDS = 24 * 3600
GLYPHS = {"done": "✓", "skipped": "–", "pending": "○", "overdue": "!"}


class Renderer:
    """Draws results for one command run, in the user's zone, relative to `now`."""

    def __init__(self, now: datetime, zone: tzinfo) -> None:
        self.now = now
        self.zone = zone
        # NO_COLOR means plain text: rich alone would still send bold and dim.
        plain = bool(os.environ.get("NO_COLOR"))
        self.out = Console(highlight=False, soft_wrap=False, color_system=None if plain else "auto")
        # Messages are single lines that the terminal wraps: no newlines of our own in them.
        self.err = Console(stderr=True, highlight=False, soft_wrap=True, color_system=None if plain else "auto")

    # --- plain lines ---------------------------------------------------------------

    def changed(self, summary: str) -> None:
        """The one line every changing command prints."""
        self.out.file.flush()
        self.err.print(Text(printable(summary)))

    def warn(self, message: str) -> None:
        self.err.print(Text("warning: ", style="bold yellow") + Text(printable(message)))

    def too_late(self, items: Sequence[TooLate]) -> None:
        for late in items:
            advice = (late.advice or "Do it today, by the fastest way you have.").strip()
            self.warn(
                f"{late.step.source}: the decision is close; this was due by {self.when(late.deadline)}. {advice}"
            )

    def findings(self, findings: Sequence[Finding]) -> None:
        """`doctor`: a line per check, with what to do under each that needs it."""
        marks = {"ok": ("✓", "green"), "warning": ("!", "yellow"), "problem": ("✗", "bold red")}
        for finding in findings:
            glyph, style = marks[finding.level]
            line = Text(f"{glyph} ", style=style) + Text(printable(finding.subject), style="bold")
            line.append(": " + printable(finding.message))
            # Never wrapped by us: a command to copy must stay on one line.
            self.out.print(line, soft_wrap=True)
            if finding.fix:
                self.out.print(Text("  " + printable(finding.fix), style="dim"), soft_wrap=True)
        problems = sum(1 for finding in findings if finding.level == "problem")
        verdict = f"{problems} problem{'s' if problems > 1 else ''} found" if problems else "no problems found"
        self.out.print(Text(verdict, style="bold" if problems else "dim"))

    def json(self, data: Any) -> None:
        sys.stdout.write(json_text(data))

    def text(self, text: str) -> None:
        self.out.print(Text(printable(text)))

    # --- pieces ------------------------------------------------------------------

    def _relative(self, due: datetime, live: bool = True) -> Text:
        """`in 3h` or `2d overdue`: red when overdue, yellow within a day, for a
        `live` step (pending, in an open interview)."""
        seconds = (due - self.now).total_seconds()
        style = ("red" if seconds < 0 else ("yellow" if seconds < SOON_SECONDS else "")) if live else ""
        return Text(relative(due, self.now, overdue_words=live), style=style)

    def _glyph(self, status: str, due: datetime, live: bool = True) -> Text:
        if live and status == "pending" and due < self.now:
            return Text(GLYPHS["overdue"], style="bold red")
        return Text(GLYPHS[status], style="green" if status == "done" else "")

    def when(self, moment: datetime) -> str:
        return absolute(moment, self.zone, self.now)

    def _grid(
        self,
        columns: Sequence[str],
        rows: Sequence[Sequence[Text | str]],
        *,
        flex: str,
        wrap: bool = False,
        right: Sequence[str] = (),
        row_styles: Sequence[str] | None = None,
    ) -> Table:
        """A borderless table that fits the terminal: every column keeps its
        width except `flex`, which takes what is left and wraps or is cut with
        an ellipsis."""
        widths = [cell_len(name) for name in columns]
        for row in rows:
            for index, cell in enumerate(row):
                plain = cell.plain if isinstance(cell, Text) else cell
                widths[index] = max(widths[index], *(cell_len(line) for line in plain.split("\n")))
        fixed = sum(w for name, w in zip(columns, widths, strict=True) if name != flex) + 2 * (len(columns) - 1)
        table = Table(box=None, header_style="bold", pad_edge=False)
        for name in columns:
            if name == flex:
                table.add_column(
                    name,
                    max_width=max(10, self.out.width - fixed),
                    no_wrap=not wrap,
                    overflow="fold" if wrap else "ellipsis",
                )
            else:
                table.add_column(name, no_wrap=True, justify="right" if name in right else "left")
        for index, row in enumerate(rows):
            table.add_row(*row, style=row_styles[index] if row_styles else None)
        return table

    # --- commands -------------------------------------------------------------------

    def interview(self, interview: Interview) -> None:
        """`show`: the interview's facts, then its steps in order."""
        head = Text()
        head.append(printable(interview.company), style="bold")
        head.append(f" · {printable(interview.role)}")
        head.append(f"  ({interview.id})", style="dim")
        self.out.print(head)
        facts = [f"at {self.when(interview.at)} ({relative(interview.at, self.now, overdue_words=False)})"]
        if interview.interviewers:
            facts.append("with " + ", ".join(printable(name) for name in interview.interviewers))
        if interview.decision_by:
            facts.append(f"decision by {self.when(interview.decision_by)}")
        on = [name for name, value in interview.flags.items() if value]
        if on:
            facts.append("flags: " + ", ".join(on))
        if interview.outcome:
            facts.append(f"closed: {interview.outcome}")
        self.out.print(Text(" · ".join(facts), style="dim"))
        if interview.notes:
            self.out.print(Text("note: ", style="dim") + Text(printable(interview.notes)))
        rows: list[list[Text | str]] = []
        styles = []
        for number, step in enumerate(interview.steps, start=1):
            title = Text(printable(step.title))
            title.append(f"\n{step.id}", style="dim")
            if step.status == "pending" and step.why:
                title.append("\n" + printable(step.why), style="dim italic")
            if step.status == "done" and step.done_at:
                title.append(f"\ndone {self.when(step.done_at)}", style="dim")
                if step.note:
                    title.append(f": {printable(step.note)}", style="dim")
            if step.status == "skipped" and step.reason:
                title.append(f"\nskipped: {printable(step.reason)}", style="dim")
            live = interview.is_open
            live = interview.is_open and step.status == "pending"
            due = Text(self.when(step.due), style="dim")
            if step.status == "pending":
                due = self._relative(step.due, live) + Text("\n" + self.when(step.due))
            rows.append([str(number), self._glyph(step.status, step.due, live), title, due])
            styles.append("dim" if step.status != "pending" else "")
        self.out.print(
            self._grid(["#", "", "step", "due"], rows, flex="step", wrap=True, right=["#"], row_styles=styles)
        )

    def due(self, items: Sequence[DueItem], total: int, everything: bool = False) -> None:
        """The due steps; unless `everything`, only as many as fit on one screen."""
        if not items:
            self.out.print("Nothing pending." + ("" if total else " Start with `followup new`."))
            return
        shown = items if everything else items[: max(10, self.out.height - 4)]
        rows: list[list[Text | str]] = [
            [
                self._glyph("pending", item.step.due),
                self._relative(item.step.due),
                absolute(item.step.due, self.zone, self.now, short=True),
                item.interview.id,
                str(item.number),
                Text(printable(item.step.title)),
            ]
            for item in shown
        ]
        self.out.print(self._grid(["", "due", "when", "interview", "#", "step"], rows, flex="step", right=["#"]))
        overdue = sum(1 for item in items if item.overdue)
        summary = f"{len(items)} pending" + (f", {overdue} overdue" if overdue else "")
        if len(shown) < len(items):
            summary += f"; {len(items) - len(shown)} more not shown (`followup due --all` shows every one)"
        self.out.print(Text(summary, style="red" if overdue else "dim"))

    def interviews(self, rows: Sequence[Summary], showing_all: bool) -> None:
        if not rows:
            hint = "" if showing_all else " (`followup list --all` includes closed ones)"
            self.out.print(f"No interviews yet{hint}. Start with `followup new`.")
            return
        cells: list[list[Text | str]] = []
        for row in rows:
            next_step = row.next_step()
            next_text = Text("—", style="dim")
            if row.outcome:
                next_text = Text(f"closed: {row.outcome}", style="dim")
            elif next_step is not None:
                next_text = self._relative(next_step.due) + Text(" " + printable(next_step.title))
            company = Text(_cut(printable(row.company) + " · " + printable(row.role), 24))
            late = row.overdue(self.now)
            overdue = Text(str(late), style="bold red") if late else Text("0", style="dim")
            when = absolute(row.at, self.zone, self.now).rsplit(" ", 1)[0]
            cells.append([row.id, company, when, f"{row.finished}/{row.total}", overdue, next_text])
        styles = ["dim" if row.outcome else "" for row in rows]
        columns = ["id", "company · role", "date", "done", "!", "next step"]
        self.out.print(self._grid(columns, cells, flex="next step", right=["done", "!"], row_styles=styles))

    def checklists(self, entries: Sequence[tuple[ChecklistFile, Checklist | str]]) -> None:
        rows: list[list[Text | str]] = []
        for entry, loaded in entries:
            if isinstance(loaded, str):
                rows.append([entry.name, entry.source, "?", Text(f"invalid: {printable(loaded)}", style="red")])
            else:
                rows.append([entry.name, entry.source, str(len(loaded.steps)), Text(printable(loaded.title))])
        self.out.print(self._grid(["name", "source", "steps", "title"], rows, flex="title", right=["steps"]))

    def checklist(self, checklist: Checklist, source: str) -> None:
        self.out.print(
            Text(printable(checklist.title), style="bold") + Text(f"  ({checklist.name}, {source})", style="dim")
        )
        if checklist.description:
            self.out.print(Text(printable(checklist.description), style="dim"))
        for name, question in checklist.flags.items():
            self.out.print(Text(f"flag {name}: ", style="bold") + Text(printable(question)))
        rows: list[list[Text | str]] = []
        for number, step in enumerate(checklist.steps, start=1):
            extras = []
            if step.when:
                extras.append(f"when {step.when}")
            if step.per_interviewer:
                extras.append("per interviewer")
            if step.before_decision:
                extras.append(f"{step.before_decision} before the decision")
            text = Text(printable(step.title))
            text.append(f"\n{step.id}" + (f" ({'; '.join(extras)})" if extras else ""), style="dim")
            if step.why:
                text.append("\n" + printable(step.why), style="dim italic")
            rows.append([str(number), step.due, text])
        self.out.print(self._grid(["#", "due", "step"], rows, flex="step", wrap=True, right=["#"]))


def _cut(text: str, width: int) -> str:
    return text if cell_len(text) <= width else text[: width - 1] + "…"
