"""`stats` (outcomes and timeliness) and `letter` (drafted letters as plain text)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text

from followup.render.base import Frame
from followup.render.fit import GAP, Column
from followup.render.table import Cell

if TYPE_CHECKING:
    from followup.letters import Letter
    from followup.stats import Ratio, Stats

LETTER_RULE = 72  # dashes between two letters
LABEL_MIN = 12  # below this, `stats` puts each label and its number on one line of their own


class ReportViews(Frame):
    def stats(self, stats: Stats) -> None:
        """`stats`: outcomes, then how timely the letters were and what came of them.
        On a narrow terminal the labels wrap; the numbers are never cut."""
        if not stats.interviews:
            self.out.print(Text("No interviews yet, so no statistics. Start with `followup new`."))
            return
        names = {"no-response": "no response", "open": "still open"}

        def ratio(value: Ratio, of: str = "") -> Text:
            if not value.total:
                return Text("none yet", style="dim")
            return Text(f"{value.count} of {value.total}{of} ({value.share or 0:.0%})")

        median = stats.median_days_to_letter
        rows: list[Sequence[Cell]] = [
            ["interviews", Text(str(stats.interviews), style="bold")],
            *([Text(f"  {names.get(name, name)}"), Text(str(count))] for name, count in stats.outcomes.items()),
            ["letters sent on time", ratio(stats.letters_on_time)],
            [
                "days from interview to letter",
                Text(f"{median:.1f} (median)") if median is not None else Text("none sent yet", style="dim"),
            ],
            ["offers after on-time follow-up", ratio(stats.offers_after_on_time, " closed")],
            ["offers after late follow-up", ratio(stats.offers_after_late, " closed")],
        ]
        values = max(cell_len(value.plain if isinstance(value, Text) else value) for _, value in rows)
        if self.out.width - values - GAP >= LABEL_MIN:
            self.table([Column("", flex=True, wrap=True), Column("")], rows, header=False)
            return
        # Too narrow for two columns: a line each, which the terminal wraps between words.
        for label, value in rows:
            self.out.print(Text.assemble(label, ": ", value))

    def letters(self, letters: Sequence[Letter], *, terminal: bool) -> None:
        """`letter`: the letters as plain text, never wrapped or styled; with several, a
        header for each and a line of dashes between them. On a `terminal`, control
        characters are shown, not obeyed; a pipe gets the text exactly (escaped only
        where its encoding cannot hold a character)."""
        encoding = None if terminal else self._encoding
        for index, letter in enumerate(letters):
            if len(letters) > 1:
                if index:
                    sys.stdout.write("-" * LETTER_RULE + "\n")
                self.out.print(
                    Text(f"To {self.user(letter.interviewer)} ({self.user(letter.template)}):", style="bold")
                )
                self.out.file.flush()
            text = letter.text
            if terminal:
                # Line ends (LF or CRLF) and tabs are harmless; every other control character is shown.
                text = "\n".join(
                    "\t".join(self.user(part) for part in line.removesuffix("\r").split("\t"))
                    for line in text.split("\n")
                )
            elif encoding is not None and not text.isascii():
                text = text.encode(encoding, "backslashreplace").decode(encoding)
            sys.stdout.write(text)
        sys.stdout.flush()
