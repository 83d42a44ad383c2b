"""Streams that escape what their encoding cannot hold rather than fail, and
what an encoding can hold.

Free of rich, because the command line's error messages (followup.cli.messages)
need it without drawing anything. Escaping the text itself is the core's
(followup.escape).
"""

from __future__ import annotations

import codecs
import contextlib
import io
import sys
from typing import TextIO


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
