"""The two consoles a command prints to, as wide as the terminal really is, and
the glyphs its encoding can show.

- Width: `COLUMNS=0` (as under `docker exec` without a tty) or a value that is
  not a sensible number means "unknown", not zero: the terminal's own width
  then, or 80 in a pipe. rich would take 0 at its word and print nothing.
- Encoding: on a stream that cannot hold ✓ or ○ (`PYTHONIOENCODING=ascii`,
  `LANG=C`), ASCII glyphs stand in, user text gets `\\u` escapes, and the
  streams escape anything else rather than fail: a view never ends in a
  traceback, and a change already saved is never reported as a failure.
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass
from typing import Literal

from rich.console import Console

from followup.render.streams import holds, never_fail_to_encode, output_encoding

__all__ = ["output_encoding"]  # here too, beside the consoles it is for

DEFAULT_WIDTH = 80
DEFAULT_HEIGHT = 25
MAX_SIZE = 10_000  # COLUMNS or LINES beyond this are a mistake, not a terminal


@dataclass(frozen=True)
class Glyphs:
    """The symbols the views draw with, as one set so that a stream gets all or none."""

    done: str
    skipped: str
    pending: str
    overdue: str
    problem: str
    dot: str  # between the parts of a line: "Acme · Engineer"
    dash: str  # "nothing here"
    ellipsis: str  # at the end of cut text


UNICODE = Glyphs(done="✓", skipped="–", pending="○", overdue="!", problem="✗", dot="·", dash="—", ellipsis="…")
ASCII = Glyphs(done="+", skipped="-", pending="o", overdue="!", problem="x", dot="-", dash="-", ellipsis="...")


def glyphs() -> Glyphs:
    """The Unicode glyphs when both streams can show them, else ASCII ones."""
    every = "".join(vars(UNICODE).values())
    return UNICODE if holds(sys.stdout, every) and holds(sys.stderr, every) else ASCII


def _size(variable: str) -> int | None:
    text = os.environ.get(variable, "").strip()
    return int(text) if text.isdigit() and 0 < int(text) <= MAX_SIZE else None


def terminal_size() -> tuple[int, int]:
    """Columns and lines: COLUMNS and LINES when they make sense, else the terminal's, else 80 by 25."""
    width, height = _size("COLUMNS"), _size("LINES")
    if width is None or height is None:
        size = None
        for stream in (sys.__stdout__, sys.__stderr__, sys.__stdin__):
            with contextlib.suppress(AttributeError, ValueError, OSError):
                if stream is not None and stream.isatty():
                    size = os.get_terminal_size(stream.fileno())
                    break
        if width is None:
            width = size.columns if size and size.columns > 0 else DEFAULT_WIDTH
        if height is None:
            height = size.lines if size and size.lines > 0 else DEFAULT_HEIGHT
    return width, height


def consoles() -> tuple[Console, Console]:
    """stdout for data, never wrapped by rich; stderr for messages, single lines the terminal wraps."""
    never_fail_to_encode()
    width, height = terminal_size()
    # NO_COLOR means plain text: rich alone would still send bold and dim.
    colour: Literal["auto"] | None = None if os.environ.get("NO_COLOR") else "auto"
    out = Console(highlight=False, soft_wrap=False, color_system=colour, width=width, height=height)
    err = Console(stderr=True, highlight=False, soft_wrap=True, color_system=colour, width=width, height=height)
    return out, err
