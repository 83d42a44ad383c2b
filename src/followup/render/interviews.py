"""`show` (one interview and its steps) and `list` (a row per interview)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text

from followup.humanize import absolute, relative
from followup.render.base import NARROW, Frame
from followup.render.fit import MEASURE, Column
from followup.render.table import Cell, cut
from followup.when import zone_named

if TYPE_CHECKING:
    from followup.store.stored import ShownInterview, ShownStep
    from followup.store.summary import Summary

COMPANY_WIDTH = 24  # company · role, at most, in `list`


class InterviewViews(Frame):
    def interview(self, interview: ShownInterview) -> None:
        """`show`: the interview's facts, then its steps in order."""
        dot = self.glyphs.dot
        measure = min(self.out.width, MEASURE + 24)  # as wide as the table below at most
        head = Text()
        head.append(self.user(interview.company), style="bold")
        head.append(f" {dot} {self.user(interview.role)}")
        head.append(f"  ({interview.id})", style="dim")
        self.out.print(head, width=measure)
        facts = [self._start(interview)]
        if interview.interviewers:
            facts.append("with " + ", ".join(self.user(name) for name in interview.interviewers))
        if interview.decision_by:
            facts.append(f"decision by {self.format_time(interview.decision_by)}")
        flags_on = [name for name, value in interview.flags.items() if value]
        if flags_on:
            facts.append("flags: " + ", ".join(flags_on))
        if interview.outcome:
            facts.append(f"closed: {interview.outcome}")
        self.out.print(Text(f" {dot} ".join(facts), style="dim"), width=measure)
        for contact in interview.contacts:  # "Ana López, Head of Data <ana@acme.example>", one line each
            line = contact.name + (f", {contact.title}" if contact.title else "")
            line += f" <{contact.email}>" if contact.email else ""
            self.out.print(Text("contact: ", style="dim") + Text(self.user(line)), width=measure)
        if interview.address:
            address = ", ".join(interview.address.splitlines())
            self.out.print(Text("address: ", style="dim") + Text(self.user(address)), width=measure)
        if interview.notes:
            self.out.print(Text("note: ", style="dim") + Text(self.user(interview.notes)), width=measure)
        for name, own in interview.interviewer_notes.items():
            self.out.print(Text(f"note for {self.user(name)}: ", style="dim") + Text(self.user(own)), width=measure)
        rows: list[list[Cell]] = []
        styles = []
        short = self.out.width < NARROW
        steps: Sequence[ShownStep] = interview.steps
        for number, step in enumerate(steps, start=1):
            title = Text(self.user(step.title))
            title.append(f"\n{step.id}", style="dim")
            if step.status == "pending" and step.why:
                title.append("\n" + self.user(step.why), style="dim italic")
            if step.status == "done" and step.done_at:
                title.append(f"\ndone {self.format_time(step.done_at)}", style="dim")
                if step.note:
                    title.append(f": {self.user(step.note)}", style="dim")
            if step.status == "skipped" and step.reason:
                title.append(f"\nskipped: {self.user(step.reason)}", style="dim")
            live = interview.is_open and step.status == "pending"
            stamp = self.format_time(step.due, short=short)
            due = Text(stamp, style="dim")
            if step.status == "pending":
                due = Text.assemble(self.relative_text(step.due, live), "\n" + stamp)
            rows.append([str(number), self.status_glyph(step.status, step.due, live), title, due])
            styles.append("dim" if step.status != "pending" else "")
        columns = [Column("#", right=True), Column(""), Column("step", flex=True, wrap=True), Column("due")]
        self.table(columns, rows, row_styles=styles)

    def _start(self, interview: ShownInterview) -> str:
        """`at Fri 27 Nov 10:00 (1d ago)`; for an interview in another zone, its own
        time first and then the user's, which the steps' times are in:
        `at Fri 27 Nov 10:00 Tokyo time (02:00 here, 1d ago)`."""
        ago = relative(interview.at, self.now, overdue_words=False)
        there_zone = zone_named(interview.zone)
        there, here = interview.at.astimezone(there_zone), interview.at.astimezone(self.zone)
        if there.utcoffset() == here.utcoffset():
            return f"at {self.format_time(interview.at)} ({ago})"
        name = interview.zone
        label = f"UTC{name}" if name[:1] in "+-" else name.rsplit("/", 1)[-1].replace("_", " ") + " time"
        here_text = f"{here:%H:%M}" if here.date() == there.date() else self.format_time(interview.at)
        return f"at {absolute(interview.at, there_zone, self.now)} {label} ({here_text} here, {ago})"

    def interviews(self, rows: Sequence[Summary], showing_all: bool) -> None:
        """`list`: a row per interview, the id first (for `followup list | cut -d' ' -f1`)."""
        if not rows:
            hint = "" if showing_all else " (`followup list --all` includes closed ones)"
            self.out.print(f"No interviews yet{hint}. Start with `followup new`.")
            return
        dot, dash, ellipsis = self.glyphs.dot, self.glyphs.dash, self.glyphs.ellipsis
        cells: list[list[Cell]] = []
        for row in rows:
            next_step = row.next_step()
            next_text = Text(dash, style="dim")
            if row.outcome:
                next_text = Text(f"closed: {row.outcome}", style="dim")
            elif next_step is not None:
                # Only the time takes the colour: `+` would spread its style over the title too.
                next_text = Text.assemble(self.relative_text(next_step.due), " " + self.user(next_step.title))
            company = cut(f"{self.user(row.company)} {dot} {self.user(row.role)}", COMPANY_WIDTH, ellipsis)
            overdue_count = row.overdue_count(self.now)
            overdue_cell = Text(str(overdue_count), style="bold red") if overdue_count else Text("0", style="dim")
            date = self.format_time(row.at).rsplit(" ", 1)[0]
            progress = f"{row.finished}/{row.total}"
            cells.append([row.id, self._state(row), Text(company), date, progress, overdue_cell, next_text])
        styles = ["dim" if row.outcome else "" for row in rows]
        # The id stays first, for `followup list | cut -d' ' -f1`; the state follows it, as in `show`.
        columns = [
            Column("id"),
            Column(""),
            Column(f"company {dot} role", least=12, drop=3, label="company and role"),
            Column("date", drop=1),
            Column("done", right=True, drop=4, label="steps done"),
            Column("!", right=True, drop=2, label="overdue steps"),
            Column("next step", flex=True),
        ]
        self.table(columns, cells, row_styles=styles)

    def _state(self, row: Summary) -> Text:
        """An interview's state as its most urgent step's glyph: `!` when a step is
        overdue, `○` while steps are pending, `✓` when none is; a closed interview
        left with pending steps shows the dash of a skipped step."""
        if row.outcome:
            return self.status_glyph("skipped" if row.pending_steps else "done", row.at, live=False)
        next_step = row.next_step()
        if next_step is None:
            return self.status_glyph("done", row.at)
        return self.status_glyph("pending", next_step.due)
