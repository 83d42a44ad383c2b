"""User text made safe to print: control characters shown, never obeyed, in
plain text and in JSON.

Pure text in, text out, so it lives in the core: exports and the profile write
JSON with it, and the renderer and the command line's messages print with it.
The streams that escape what their encoding cannot hold are the renderer's
(followup.render.streams).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

# C0 and C1 controls (ANSI and OSC sequences start with them), and the
# invisible format characters that reorder text (bidi overrides, isolates).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_DEL_AND_C1 = re.compile(r"[\x7f-\x9f]")
_DEL_AND_C1_UTF8 = re.compile(rb"\x7f|\xc2[\x80-\x9f]")  # the same in UTF-8 (0xC2 only ever leads)


def printable(text: str, encoding: str | None = None) -> str:
    """User text with control characters (ANSI, OSC, C1) shown, never obeyed; with an
    `encoding` that cannot hold some of it (ASCII, Latin-1), those characters as
    `\\u` escapes, so that printing it never fails."""
    text = _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
    if encoding is not None and not text.isascii():
        text = text.encode(encoding, "backslashreplace").decode(encoding)
    return text


def json_text(data: Any) -> str:
    """Indented JSON with readable non-ASCII text, in which DEL and C1 controls
    are escaped (as json escapes C0 ones), so a terminal never obeys them."""
    return _escaped(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


def json_member(data: Any, depth: int = 1) -> str:
    """`data` as `json_text` writes it as an item of a list `depth` levels deep,
    so that a long list can be made one item at a time (`json_list`): one
    interview's text is far smaller than its model, and than the whole list's."""
    return json_member_of_text(_dumps(data), depth)


def json_member_of_text(text: str, depth: int = 1) -> str:
    """`json_member` of the data whose JSON text (as `json.dumps` writes it, indented
    by 2) is `text`: for text that pydantic made of a model in one pass."""
    pad = "  " * depth
    return pad + _escaped(text).replace("\n", "\n" + pad)


def json_member_of_json(raw: bytes, depth: int = 1) -> bytes:
    """`json_member_of_text` of UTF-8 JSON text, as UTF-8: what `export` makes of
    thousands of interviews without decoding and encoding each again."""
    pad = b"  " * depth
    if b"\x7f" in raw or b"\xc2" in raw:  # DEL, or maybe a C1 control (U+0080 to U+009F)
        raw = _DEL_AND_C1_UTF8.sub(lambda m: b"\\u%04x" % ord(m.group().decode("utf-8")), raw)
    return pad + raw.replace(b"\n", b"\n" + pad)


def _dumps(data: Any) -> str:
    """`json.dumps(data, ensure_ascii=False, indent=2)`, made by pydantic's serialiser
    in Rust: the same text for JSON data without fractions (such as an interview's),
    five times faster, which is most of `export` and `list --json` with many
    interviews. Only their callers, which load models, come here: `due --json`
    never imports pydantic_core. Text it cannot write (a lone surrogate) goes to
    json.dumps, which says what it said before."""
    from pydantic_core import PydanticSerializationError, to_json

    try:
        return to_json(data, indent=2).decode("utf-8")
    except PydanticSerializationError:
        return json.dumps(data, ensure_ascii=False, indent=2)


def json_list(members: Iterable[str], depth: int = 1) -> Iterator[str]:
    """The pieces of the list of these `json_member` texts, `depth` levels deep:
    joined, the text `json_text` makes of the list (without its final newline)."""
    first = True
    for member in members:
        yield ("[\n" if first else ",\n") + member
        first = False
    yield "[]" if first else "\n" + "  " * (depth - 1) + "]"


def _escaped(text: str) -> str:
    # Strings in JSON text hold no newline and every control below DEL is escaped
    # already, so this applies to a whole text or to its pieces alike.
    if text.isascii() and "\x7f" not in text:  # no C1 control, and no scan by the pattern
        return text
    return _DEL_AND_C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
