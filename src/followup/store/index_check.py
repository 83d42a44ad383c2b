"""The pending index's checks of itself (see `followup.store.index`), and reading
a file only if it is a regular one, both without heavy imports (`due` loads them)."""

from __future__ import annotations

import json
import os
import stat
import zlib
from pathlib import Path

CHECK_START = b'{"check":"'
CHECK_LENGTH = 8  # hex digits
__all__ = ["CHECK_LENGTH", "CHECK_START", "checked_header", "regular_bytes", "self_check"]


def self_check(*parts: bytes) -> bytes:
    """The index's checksum of its own bytes after the check (see the module's docstring):
    a CRC-32, which finds the damage a crash or a hand edit does (it guards against
    accidents; anyone who can edit the index can edit the store) at several gigabytes
    a second, where a cryptographic digest of 5 MB (10,000 open interviews) took 4 ms."""
    check = 0
    for part in parts:
        check = zlib.crc32(part, check)
    return b"%08x" % check


def checked_header(header: bytes, body: bytes) -> bytes:
    """The header line, from the header as a JSON object (without its newline,
    with `head`, the number of bytes of `body` that the first check covers):
    the check of the header and those bytes first, then the check of the rest."""
    head = json.loads(header)["head"]
    protected = b'"rest":"' + self_check(body[head:]) + b'",' + header[1:] + b"\n"
    return CHECK_START + self_check(protected, body[:head]) + b'",' + protected


def regular_bytes(path: Path) -> bytes:
    """A file's bytes, if it is a regular file and not a link (a FIFO would block):
    the same check as `followup.store.files.read_regular`, without its imports."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError("not a regular file")
        os.set_blocking(fd, True)
        return handle.read()
