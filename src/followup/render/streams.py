"""Streams that escape what their encoding cannot hold rather than fail, and
what an encoding can hold.

Free of rich, because the command line's error messages (followup.cli.messages)
and the line a change prints (`changed_line`) need it without drawing anything. Escaping the text itself is the core's
(followup.escape).
"""

from __future__ import annotations

import codecs
import contextlib
import io
import sys
from typing import TextIO

from followup.escape import printable


def encoding_of(stream: TextIO) -> str:
    """The canonical name of the encoding `stream` writes in."""
    name = getattr(stream, "encoding", None) or "utf-8"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "ascii"


def holds(stream: TextIO, text: str) -> bool:
    """Whether `stream` can print `text` as it is."""
    encoding = encoding_of(stream)
    if encoding.startswith("utf-"):
        return True
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def never_fail_to_encode() -> None:
    """Let stdout and stderr escape what their encoding cannot hold instead of raising."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and not encoding_of(stream).startswith("utf-"):
            with contextlib.suppress(AttributeError, ValueError, io.UnsupportedOperation):
                stream.reconfigure(errors="backslashreplace")


def output_encoding() -> str | None:
    """The encoding user text must fit, or None when stdout holds any text."""
    encoding = encoding_of(sys.stdout)
    return None if encoding.startswith("utf-") else encoding


def changed_line(summary: str) -> None:
    """The one line every changing command prints, on stderr, after what it printed on
    stdout: without rich, which writes such a line as it is (stderr's lines are never
    wrapped, and this one has no style and, shown as `printable`, no control
    character), so that a `done` need not load it."""
    never_fail_to_encode()
    sys.stdout.flush()
    sys.stderr.write(printable(summary, output_encoding()) + "\n")
