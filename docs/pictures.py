"""Make the README's terminal pictures from real runs of followup.

    python docs/pictures.py [FOLDER]     (default: the docs folder beside this script)

Fills a temporary store with the demo interviews (`followup.demo`), runs the
commands through the CLI with colours on, at a fixed time, in a fixed zone and
at a fixed width, and saves what each printed as an SVG terminal picture:
dashboard.svg, due.svg and show.svg. The same inputs always give the same
bytes, so tests/test_pictures.py can check that the committed pictures are
what the commands print today.

letter.png is the first page of a printed letter: the demo's Acme interview is
given its interviewer's email and title and the company's address, a profile
is set, `followup letter acme --format pdf --paper a4` writes the PDF, and
poppler's `pdftoppm` turns it into a picture (the script stops if it is not
installed: `apt-get install poppler-utils`). Its pixels depend on poppler's
version, so the tests check its size, not its bytes.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

NOW = "2026-12-01T15:00:00+01:00"  # a Tuesday afternoon
ZONE = "Europe/Berlin"
WIDTH = 110
ACME = "Acme Corp\\nFriedrichstraße 10\\n10117 Berlin"  # with `\n` typed as is, as the README shows
LETTER_SETUP = [
    ["edit", "acme", "--contact", "Ana López <ana@acme.example>", "--title", "Ana=Head of Data", "--address", ACME],
    ["profile", "--name", "Sam Okafor", "--email", "sam@example.com", "--address", "Lindenstraße 5\\n10969 Berlin"],
]
LETTER_DPI = 60  # an A4 page of 496 x 702 pixels: readable in a README, small in the repository
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
        written.append(_letter_picture(folder, environment, Path(temp)))
    return written


def _letter_picture(folder: Path, environment: dict[str, str | None], temp: Path) -> Path:
    """letter.png: a PDF letter printed by followup, as poppler shows its first page."""
    from typer.testing import CliRunner

    from followup.cli.app import app

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise SystemExit("pdftoppm is missing: install poppler-utils to make letter.png")
    pdf = temp / "letter.pdf"
    for argv in [*LETTER_SETUP, ["letter", "acme", "--format", "pdf", "--paper", "a4", "--out", str(pdf)]]:
        result = CliRunner().invoke(app, argv, env=environment, catch_exceptions=False)
        if result.exit_code != 0:
            raise SystemExit(f"followup {' '.join(argv)} failed ({result.exit_code}): {result.output}")
    target = folder / "letter"
    subprocess.run(
        [pdftoppm, "-png", "-r", str(LETTER_DPI), "-singlefile", "-f", "1", "-l", "1", str(pdf), str(target)],
        check=True,
    )
    return target.with_suffix(".png")


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    # The zone of the process, too, before anything reads the clock.
    os.environ["TZ"] = ZONE
    time.tzset()
    for path in make(folder):
        print(path)


if __name__ == "__main__":
    main()
