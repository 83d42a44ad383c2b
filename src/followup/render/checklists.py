"""`checklists` (the checklists there are) and `checklists show` (one of them)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text

from followup.render.base import Frame
from followup.render.fit import Column
from followup.render.table import Cell

if TYPE_CHECKING:
    from followup.checked_checklists import CheckedChecklist
    from followup.checklists import ChecklistFile
    from followup.models import Checklist


class ChecklistViews(Frame):
    def checklists(self, entries: Sequence[tuple[ChecklistFile, Checklist | CheckedChecklist | str]]) -> None:
        rows: list[list[Cell]] = []
        for entry, loaded in entries:
            if isinstance(loaded, str):
                rows.append([entry.name, entry.source, "?", Text(f"invalid: {self.user(loaded)}", style="red")])
            else:
                rows.append([entry.name, entry.source, str(len(loaded.steps)), Text(self.user(loaded.title))])
        columns = [
            Column("name"),
            Column("source", drop=1),
            Column("steps", right=True, drop=2),
            Column("title", flex=True),
        ]
        self.table(columns, rows)

    def checklist(self, checklist: Checklist, source: str) -> None:
        self.out.print(
            Text(self.user(checklist.title), style="bold") + Text(f"  ({checklist.name}, {source})", style="dim")
        )
        if checklist.description:
            self.out.print(Text(self.user(checklist.description), style="dim"))
        for name, question in checklist.flags.items():
            self.out.print(Text(f"flag {name}: ", style="bold") + Text(self.user(question)))
        rows: list[list[Cell]] = []
        for number, step in enumerate(checklist.steps, start=1):
            extras = []
            if step.when:
                extras.append(f"when {step.when}")
            if step.per_interviewer:
                extras.append("per interviewer")
            if step.before_decision:
                extras.append(f"{step.before_decision} before the decision")
            if step.after_decision:
                extras.append(f"{step.after_decision} after the decision")
            text = Text(self.user(step.title))
            text.append(f"\n{step.id}" + (f" ({'; '.join(extras)})" if extras else ""), style="dim")
            if step.why:
                text.append("\n" + self.user(step.why), style="dim italic")
            rows.append([str(number), step.due, text])
        columns = [Column("#", right=True), Column("due"), Column("step", flex=True, wrap=True)]
        self.table(columns, rows)
