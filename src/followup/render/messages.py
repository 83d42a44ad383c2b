"""Lines rather than tables: the one line a change prints, warnings, `doctor`'s
findings, plain text and JSON."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text

from followup.escape import json_list, json_text
from followup.render import streams
from followup.render.base import Frame

if TYPE_CHECKING:
    from followup.doctor import Finding
    from followup.schedule import TooLate


class MessageViews(Frame):
    def changed(self, summary: str) -> None:
        """The one line every changing command prints (`streams.changed_line`)."""
        streams.changed_line(summary)

    def note(self, message: str) -> None:
        """A plain line on stderr: what was understood, for the user to check."""
        self.err.print(Text(self.user(message), style="dim"))

    def warn(self, message: str) -> None:
        self.err.print(Text("warning: ", style="bold yellow") + Text(self.user(message)))

    def too_late(self, items: Sequence[TooLate]) -> None:
        for late in items:
            advice = (late.advice or "Do it today, by the fastest way you have.").strip()
            deadline = self.format_time(late.deadline)
            tense = "was" if late.deadline < self.now else "is"  # due at a start still ahead: "is"
            self.warn(f"{late.step.source}: the decision is close; this {tense} due by {deadline}. {advice}")

    def findings(self, findings: Sequence[Finding]) -> None:
        """`doctor`: a line per check, with what to do under each that needs it."""
        marks = {
            "ok": (self.glyphs.done, "green"),
            "warning": ("!", "yellow"),
            "problem": (self.glyphs.problem, "bold red"),
        }
        for finding in findings:
            glyph, style = marks[finding.level]
            line = Text(f"{glyph} ", style=style) + Text(self.user(finding.subject), style="bold")
            line.append(": " + self.user(finding.message))
            # Never wrapped by us: a command to copy must stay on one line.
            self.out.print(line, soft_wrap=True)
            if finding.fix:
                self.out.print(Text("  " + self.user(finding.fix), style="dim"), soft_wrap=True)
        problems = sum(1 for finding in findings if finding.level == "problem")
        verdict = f"{problems} problem{'s' if problems > 1 else ''} found" if problems else "no problems found"
        self.out.print(Text(verdict, style="bold" if problems else "dim"))

    def json(self, data: Any) -> None:
        sys.stdout.write(json_text(data))

    def json_list(self, members: Iterable[str]) -> None:
        """A list of `json_member` texts, as `json` writes the list, a piece at a time."""
        for piece in json_list(members):
            sys.stdout.write(piece)
        sys.stdout.write("\n")

    def text(self, text: str) -> None:
        self.out.print(Text(self.user(text)), soft_wrap=True)
