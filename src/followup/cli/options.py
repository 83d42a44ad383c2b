"""Arguments and options that several commands share, declared once."""

from __future__ import annotations

import typer

INTERVIEW_ID = typer.Argument(..., metavar="ID", help="The interview's id, or any unambiguous start of it.")
STEPS = typer.Argument(..., metavar="STEP", help="Step ids or numbers, as `show` prints them.")
JSON = typer.Option(False, "--json", help="Print JSON on stdout instead of text.")
