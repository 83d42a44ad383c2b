"""What identifies a file of the store without reading it: its `signature` (what
`stat` says of it), and a digest of its bytes. The index names the store it was
made for by both, the history file and each open interview's file by their
signatures (`FileStamp`), as the change that wrote the index found them."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path


def signature(path: Path) -> list[int]:
    """What identifies this version of the file without reading it (the link
    itself, for a link, which the store refuses: no index is trusted for it)."""
    return signature_of(os.lstat(path))


def signature_of(info: os.stat_result) -> list[int]:
    return [info.st_ino, info.st_size, *stat_times(info)]


def stat_times(info: os.stat_result) -> tuple[int, int]:
    """Its modification and change times, in nanoseconds."""
    return info.st_mtime_ns, info.st_ctime_ns


def digest(store_bytes: bytes) -> str:
    import hashlib

    return hashlib.blake2b(store_bytes, digest_size=16).hexdigest()


# An open interview's file as the change that wrote it (or `doctor`, which read it)
# left it: its name and `signature`. Files are never rewritten, so while the file
# still has it, it holds what followup validated (see `followup.store.stored`).
FileStamp = tuple[str, int, int, int, int]


def file_stamp(folder: Path, name: str | None) -> FileStamp | None:
    if not name:
        return None
    try:
        ino, size, modified, changed = signature(folder / name)
    except OSError:
        return None
    return (name, ino, size, modified, changed)


def stamps_in(folder: Path, files: Mapping[str, str | None]) -> Callable[[str], FileStamp | None]:
    """The `file_stamp` of each open interview, by id, of the `files` that name them."""
    return lambda key: file_stamp(folder, files.get(key))
