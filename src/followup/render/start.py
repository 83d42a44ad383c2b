"""How to begin: plain `followup` with nothing open, and what to try after `followup demo`."""

from __future__ import annotations

from rich.text import Text

from followup.render.base import Frame
from followup.render.fit import Column
from followup.render.table import Cell


class StartViews(Frame):
    def welcome(self, first_time: bool) -> None:
        """Plain `followup` with no open interview: three ways to start."""
        rows: list[list[Cell]] = [
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
        self.table([Column("command"), Column("what", flex=True, wrap=True)], rows, header=False)

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
            self.out.print(Text("  " + self.user(command), style="bold"), soft_wrap=True)
        self.out.print(Text("A new terminal goes back to your own interviews.", style="dim"))
