"""Make the README's terminal pictures from real runs of followup.

    python docs/pictures.py [FOLDER]     (default: the docs folder beside this script)

Fills a temporary store with the demo interviews (`followup.demo`), runs the
commands through the CLI with colours on, at a fixed time, in a fixed zone and
at a fixed width, and saves what each printed as an SVG terminal picture:
dashboard.svg, due.svg and show.svg. The same inputs always give the same
bytes, so tests/test_pictures.py can check that the committed pictures are
what the commands print today.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

NOW = "2026-12-01T15:00:00+01:00"  # a Tuesday afternoon
ZONE = "Europe/Berlin"
WIDTH = 110
PICTURES = {
    "dashboard": ["followup"],
    "due": ["followup", "due"],
    "show": ["followup", "show", "acme"],
}


def fixed_environment(home: Path) -> dict[str, str]:
    """What the commands see: the demo store, the clock, the zone, the width, colours on."""
    return {
        "FOLLOWUP_HOME": str(home),
        "FOLLOWUP_NOW": NOW,
        "TZ": ZONE,
        "COLUMNS": str(WIDTH),
        "LINES": "50",
        "FORCE_COLOR": "1",
        "TERM": "xterm-256color",
    }


def make(folder: Path) -> list[Path]:
    """Run the commands on a new demo store; write one SVG for each into `folder`."""
    from rich.console import Console
    from rich.text import Text
    from typer.testing import CliRunner

    from followup.cli.app import app
    from followup.demo import fill
    from followup.when import zone_named

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="followup-pictures-") as temp:
        home = Path(temp) / "home"
        fill(home, datetime.fromisoformat(NOW).astimezone(zone_named(ZONE)), ZONE)
        environment = {**fixed_environment(home), "NO_COLOR": None, "COLORTERM": None}
        for name, argv in PICTURES.items():
            result = CliRunner().invoke(app, argv[1:], env=environment, catch_exceptions=False)
            if result.exit_code != 0:
                raise SystemExit(f"{' '.join(argv)} failed ({result.exit_code}): {result.output}")
            console = Console(record=True, width=WIDTH, file=io.StringIO(), force_terminal=True)
            console.print(Text("$ ", style="dim") + Text(" ".join(argv), style="bold"))
            console.print(Text.from_ansi(result.stdout.rstrip("\n")), crop=False, soft_wrap=True)
            path = folder / f"{name}.svg"
            console.save_svg(str(path), title=" ".join(argv), unique_id=f"followup-{name}")
            written.append(path)
    return written


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    # The zone of the process, too, before anything reads the clock.
    os.environ["TZ"] = ZONE
    time.tzset()
    for path in make(folder):
        print(path)


if __name__ == "__main__":
    main()
