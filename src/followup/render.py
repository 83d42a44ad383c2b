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
    from followup.letters import Letter
    from followup.models import Checklist, Interview
    from followup.schedule import TooLate
    from followup.stats import Ratio, Stats
    from followup.store.index import DueItem, Summary
    from followup.views import Board, DueList

SOON_SECONDS = 24 * 3600
GLYPHS = {"done": "✓", "skipped": "–", "pending": "○", "overdue": "!"}
NARROW = 60  # below this many columns, times are shown short and less important columns left out
FLEX_MIN = 14  # the least a table's flexible column should keep before other columns give way
MEASURE = 76  # wrapped text wider than this is hard to read, however wide the terminal


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
        """The state as a glyph, so that it reads without colour too: `!` red when
        overdue, `○` yellow within a day, `✓` green when done, a dim dash when skipped."""
        if live and status == "pending":
            seconds = (due - self.now).total_seconds()
            if seconds < 0:
                return Text(GLYPHS["overdue"], style="bold red")
            return Text(GLYPHS["pending"], style="yellow" if seconds < SOON_SECONDS else "")
        return Text(GLYPHS[status], style={"done": "green", "skipped": "dim"}.get(status, ""))

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
        squeeze: dict[str, int] | None = None,
        drop: Sequence[str] = (),
        header: bool = True,
    ) -> Table:
        """A borderless table that fits the terminal: every column keeps its
        width except `flex`, which takes what is left and wraps (at most
        MEASURE wide) or is cut with an ellipsis.

        When that leaves `flex` less than FLEX_MIN, the columns in `squeeze`
        are cut down towards the width given for each, and then the columns in
        `drop` are left out, in that order, until it fits."""
        kept, widths, room = self._fit(columns, rows, flex=flex, squeeze=squeeze, drop=drop, header=header)
        table = Table(box=None, header_style="bold", pad_edge=False, show_header=header)
        # Plain strings as Text: rich would parse them for markup and emoji, which is slow and not wanted.
        for name in kept:
            if name == flex:
                table.add_column(
                    Text(name),
                    max_width=max(4, min(room, MEASURE) if wrap else room),
                    no_wrap=not wrap,
                    overflow="fold" if wrap else "ellipsis",
                )
            elif squeeze and name in squeeze:
                table.add_column(Text(name), no_wrap=True, max_width=widths[name], overflow="ellipsis")
            else:
                table.add_column(Text(name), no_wrap=True, justify="right" if name in right else "left")
        places = [columns.index(name) for name in kept]
        for index, row in enumerate(rows):
            cells = (Text(cell) if isinstance(cell, str) else cell for cell in (row[place] for place in places))
            table.add_row(*cells, style=row_styles[index] if row_styles else None)
        return table

    def _fit(
        self,
        columns: Sequence[str],
        rows: Sequence[Sequence[Text | str]],
        *,
        flex: str,
        squeeze: dict[str, int] | None = None,
        drop: Sequence[str] = (),
        header: bool = True,
    ) -> tuple[list[str], dict[str, int], int]:
        """How `_grid` lays out a table: the columns kept, their widths, and the room left for `flex`."""
        widths = {name: cell_len(name) if header else 0 for name in columns}
        for row in rows:
            for name, cell in zip(columns, row, strict=True):
                plain = cell.plain if isinstance(cell, Text) else cell
                widths[name] = max(widths[name], *(cell_len(line) for line in plain.split("\n")))
        kept = list(columns)

        def room() -> int:
            fixed = sum(widths[name] for name in kept if name != flex) + 2 * (len(kept) - 1)
            return self.out.width - fixed

        for name, least in (squeeze or {}).items():
            widths[name] = max(least, widths[name] - max(0, FLEX_MIN - room()))
        for name in drop:
            if room() >= FLEX_MIN:
                break
            kept.remove(name)
        return kept, widths, room()

    # --- commands -------------------------------------------------------------------

    def interview(self, interview: Interview) -> None:
        """`show`: the interview's facts, then its steps in order."""
        measure = min(self.out.width, MEASURE + 24)  # as wide as the table below at most
        head = Text()
        head.append(printable(interview.company), style="bold")
        head.append(f" · {printable(interview.role)}")
        head.append(f"  ({interview.id})", style="dim")
        self.out.print(head, width=measure)
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
        self.out.print(Text(" · ".join(facts), style="dim"), width=measure)
        if interview.notes:
            self.out.print(Text("note: ", style="dim") + Text(printable(interview.notes)), width=measure)
        rows: list[list[Text | str]] = []
        styles = []
        short = self.out.width < NARROW
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
            live = interview.is_open and step.status == "pending"
            stamp = absolute(step.due, self.zone, self.now, short=short)
            due = Text(stamp, style="dim")
            if step.status == "pending":
                due = Text.assemble(self._relative(step.due, live), "\n" + stamp)
            rows.append([str(number), self._glyph(step.status, step.due, live), title, due])
            styles.append("dim" if step.status != "pending" else "")
        self.out.print(
            self._grid(["#", "", "step", "due"], rows, flex="step", wrap=True, right=["#"], row_styles=styles)
        )

    def screenful(self) -> int:
        """How many steps `due` shows by default: what fits on the screen, but at least ten."""
        return max(10, self.out.height - 4)

    def due(self, view: DueList) -> None:
        """The due steps picked for `view`, then how many there are in all."""
        if not view.pending:
            self.out.print("Nothing pending." + ("" if view.interviews else " Start with `followup new`."))
            return
        self.out.print(self._due_table(view.items))
        summary = f"{view.pending} pending" + (f", {view.overdue} overdue" if view.overdue else "")
        if len(view.items) < view.pending:
            summary += f"; {view.pending - len(view.items)} more not shown (`followup due --all` shows every one)"
        self.out.print(Text(summary, style="red" if view.overdue else "dim"))

    def _due_table(self, items: Sequence[DueItem]) -> Table:
        """A row per step; where even that leaves too little room for the step's
        title, the title goes under the interview's id and step number instead."""
        rows: list[list[Text | str]] = [
            [
                self._glyph("pending", item.step.due),
                self._relative(item.step.due),
                absolute(item.step.due, self.zone, self.now, short=True),
                item.interview,
                str(item.number),
                Text(printable(item.step.title)),
            ]
            for item in items
        ]
        columns = ["", "due", "when", "interview", "#", "step"]
        drop = ("when", "#")
        if self._fit(columns, rows, flex="step", drop=drop)[2] >= FLEX_MIN:
            return self._grid(columns, rows, flex="step", right=["#"], drop=drop)
        stacked: list[list[Text | str]] = [
            [glyph, due, Text.assemble(f"{interview_id} #{number}\n", title)]
            for glyph, due, _, interview_id, number, title in rows
        ]
        return self._grid(["", "due", "interview # · step"], stacked, flex="interview # · step")

    def dashboard(self, board: Board, horizon: str) -> None:
        """Plain `followup`: the overdue steps and those due within `horizon`, a
        few of each, and the one command to run next: done with the most urgent step."""
        interviews = board.interviews
        head = Text(f"{interviews} open interview{'s' if interviews != 1 else ''}", style="bold")
        if board.overdue_count:
            head.append(" · ")
            head.append(f"{board.overdue_count} overdue", style="bold red")
        head.append(f" · {board.soon_count or 'nothing'} due in the next {horizon}")
        self.out.print(head)
        shown = [*board.overdue, *board.soon]
        if shown:
            self.out.print(self._due_table(shown))
        hidden = board.pending - len(shown)
        if hidden:
            self.out.print(Text(f"{hidden} more pending: `followup due` shows every one", style="dim"))
        first = board.first
        if first is None:
            self.out.print(Text("Every step is done or skipped. After your next interview: `followup new`"))
            return
        command = f"followup done {first.interview} {first.step.id}"
        if cell_len(command) > self.out.width - len("next: "):
            command = f"followup done {first.interview} {first.number}"  # the step's number is shorter
        line = Text.assemble(("next: ", "dim"), (command, "bold"))
        if cell_len(line.plain) > self.out.width:
            self.out.print(Text("next:", style="dim"))
            line = Text(command, style="bold")
        self.out.print(line)

    def welcome(self, first_time: bool) -> None:
        """Plain `followup` with no open interview: three ways to start."""
        rows: list[list[Text | str]] = [
            [
                Text("followup new", style="bold"),
                "record an interview right after it ends" if first_time else "record your next interview",
            ],
            (
                [Text("followup demo", style="bold"), "try followup on a week of sample interviews"]
                if first_time
                else [Text("followup list --all", style="bold"), "your closed interviews"]
            ),
            [Text("followup --help", style="bold"), "every command, with examples"],
        ]
        self.out.print(self._grid(["command", "what"], rows, flex="what", wrap=True, header=False))

    def explore(self, home: str, interview_id: str | None) -> None:
        """After `followup demo`: how to look around the demo store."""
        import shlex

        self.out.print(Text("To explore this demo store (your own interviews are untouched):"))
        commands = [f"export FOLLOWUP_HOME={shlex.quote(home)}", "followup list"]
        if interview_id:
            commands.append(f"followup show {interview_id}")
        commands += ["followup due", "followup"]
        for command in commands:
            # Never wrapped by us: a command to copy must stay on one line.
            self.out.print(Text("  " + printable(command), style="bold"), soft_wrap=True)
        self.out.print(Text("A new terminal goes back to your own interviews.", style="dim"))

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
                # Only the time takes the colour: `+` would spread its style over the title too.
                next_text = Text.assemble(self._relative(next_step.due), " " + printable(next_step.title))
            company = Text(_cut(printable(row.company) + " · " + printable(row.role), 24))
            late = row.overdue(self.now)
            overdue = Text(str(late), style="bold red") if late else Text("0", style="dim")
            when = absolute(row.at, self.zone, self.now).rsplit(" ", 1)[0]
            state = self._state(row)
            cells.append([row.id, state, company, when, f"{row.finished}/{row.total}", overdue, next_text])
        styles = ["dim" if row.outcome else "" for row in rows]
        # The id stays first, for `followup list | cut -d' ' -f1`; the state follows it, as in `show`.
        columns = ["id", "", "company · role", "date", "done", "!", "next step"]
        self.out.print(
            self._grid(
                columns,
                cells,
                flex="next step",
                right=["done", "!"],
                row_styles=styles,
                squeeze={"company · role": 12},
                drop=("date", "!", "company · role", "done"),
            )
        )

    def _state(self, row: Summary) -> Text:
        """An interview's state as its most urgent step's glyph: `!` when a step is
        overdue, `○` while steps are pending, `✓` when none is; a closed interview
        left with pending steps shows the dash of a skipped step."""
        if row.outcome:
            return self._glyph("skipped" if row.pending else "done", row.at, live=False)
        next_step = row.next_step()
        if next_step is None:
            return self._glyph("done", row.at)
        return self._glyph("pending", next_step.due)

    def checklists(self, entries: Sequence[tuple[ChecklistFile, Checklist | str]]) -> None:
        rows: list[list[Text | str]] = []
        for entry, loaded in entries:
            if isinstance(loaded, str):
                rows.append([entry.name, entry.source, "?", Text(f"invalid: {printable(loaded)}", style="red")])
            else:
                rows.append([entry.name, entry.source, str(len(loaded.steps)), Text(printable(loaded.title))])
        columns = ["name", "source", "steps", "title"]
        self.out.print(self._grid(columns, rows, flex="title", right=["steps"], drop=("source", "steps")))

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

    def stats(self, stats: Stats) -> None:
        """`stats`: outcomes, then how timely the letters were and what came of them."""
        if not stats.interviews:
            self.out.print(Text("No interviews yet, so no statistics. Start with `followup new`."))
            return
        names = {"no-response": "no response", "open": "still open"}

        def ratio(value: Ratio, of: str = "") -> Text:
            if not value.total:
                return Text("none yet", style="dim")
            return Text(f"{value.count} of {value.total}{of} ({value.share or 0:.0%})")

        median = stats.median_days_to_letter
        rows: list[tuple[str, Text]] = [
            ("interviews", Text(str(stats.interviews), style="bold")),
            *((f"  {names.get(name, name)}", Text(str(count))) for name, count in stats.outcomes.items()),
            ("letters sent on time", ratio(stats.letters_on_time)),
            (
                "days from interview to letter",
                Text(f"{median:.1f} (median)") if median is not None else Text("none sent yet", style="dim"),
            ),
            ("offers after on-time follow-up", ratio(stats.offers_after_on_time, " closed")),
            ("offers after late follow-up", ratio(stats.offers_after_late, " closed")),
        ]
        table = Table(box=None, show_header=False, pad_edge=False)
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True)
        for label, value in rows:
            table.add_row(Text(label), value)
        self.out.print(table)

    def letters(self, letters: Sequence[Letter], *, terminal: bool) -> None:
        """`letter`: the letters as plain text, never wrapped or styled; with several, a
        header for each and a line of dashes between them. On a `terminal`, control
        characters are shown, not obeyed; a pipe gets the text exactly."""
        for index, letter in enumerate(letters):
            if len(letters) > 1:
                if index:
                    sys.stdout.write("-" * 72 + "\n")
                self.out.print(
                    Text(f"To {printable(letter.interviewer)} ({printable(letter.template)}):", style="bold")
                )
                self.out.file.flush()
            text = letter.text
            if terminal:
                # Line ends (LF or CRLF) and tabs are harmless; every other control character is shown.
                text = "\n".join(
                    "\t".join(printable(part) for part in line.removesuffix("\r").split("\t"))
                    for line in text.split("\n")
                )
            sys.stdout.write(text)
        sys.stdout.flush()


def _cut(text: str, width: int) -> str:
    return text if cell_len(text) <= width else text[: width - 1] + "…"
