"""What every view shares: the consoles, the clock and zone, the glyphs, and the
small pieces (a due time's words, a state's glyph) that look the same everywhere."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from rich.text import Text

from followup.escape import printable
from followup.humanize import absolute, relative
from followup.render.console import UNICODE, consoles, glyphs, output_encoding
from followup.render.fit import Column
from followup.render.table import Cell, hidden_note, lay_out

SOON_SECONDS = 24 * 3600
NARROW = 60  # below this many columns, times are shown short and less important columns left out


class Frame:
    """Draws results for one command run, in the user's zone, relative to `now`."""

    def __init__(self, now: datetime, zone: tzinfo) -> None:
        self.now = now
        self.zone = zone
        self.out, self.err = consoles()
        self.glyphs = glyphs()
        self._encoding = output_encoding()

    def user(self, text: str) -> str:
        """User text as it can be printed here: controls shown, not obeyed; what the
        encoding cannot hold escaped."""
        return printable(text, self._encoding)

    def format_time(self, moment: datetime, *, short: bool = False) -> str:
        """`Sat 28 Nov 14:00` in the user's zone (`short`: fewer words, for tables)."""
        return absolute(moment, self.zone, self.now, short=short)

    def relative_text(self, due: datetime, live: bool = True) -> Text:
        """`in 3h` or `2d overdue`: red when overdue, yellow within a day, for a
        `live` step (pending, in an open interview)."""
        seconds = (due - self.now).total_seconds()
        style = ("red" if seconds < 0 else ("yellow" if seconds < SOON_SECONDS else "")) if live else ""
        return Text(relative(due, self.now, overdue_words=live), style=style)

    def status_glyph(self, status: str, due: datetime, live: bool = True) -> Text:
        """The state as a glyph, so that it reads without colour too: `!` red when
        overdue, `○` yellow within a day, `✓` green when done, a dim dash when skipped."""
        if live and status == "pending":
            seconds = (due - self.now).total_seconds()
            if seconds < 0:
                return Text(self.glyphs.overdue, style="bold red")
            return Text(self.glyphs.pending, style="yellow" if seconds < SOON_SECONDS else "")
        if status == "done":
            return Text(self.glyphs.done, style="green")
        if status == "skipped":
            return Text(self.glyphs.skipped, style="dim")
        return Text(self.glyphs.pending)

    def dot(self, text: str) -> str:
        """Our own text written with `·`, in the glyphs this output can show."""
        return text if self.glyphs is UNICODE else text.replace(UNICODE.dot, self.glyphs.dot)

    def table(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[Cell]],
        *,
        row_styles: Sequence[str] | None = None,
        header: bool = True,
        note_hidden: bool = True,
    ) -> None:
        """Print a table that fits the terminal (followup.render.fit), and, unless told not
        to, one dim line on stderr naming the columns it had to leave out: a diagnostic, so
        that `followup list | cut -d' ' -f1` gets the rows alone."""
        text, layout = lay_out(
            self.out, columns, rows, ellipsis=self.glyphs.ellipsis, row_styles=row_styles, header=header
        )
        if self.out.color_system is None:
            # No colour, no styles: the plain text is all rich would write, without its per-line work.
            self.out.file.write(text.plain + "\n")
        else:
            self.out.print(text, soft_wrap=True)
        note = hidden_note(columns, layout, self.glyphs.dash)
        if note and note_hidden:
            self.out.file.flush()
            self.err.print(Text(note, style="dim"))
