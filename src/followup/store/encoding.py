"""The store's files as bytes, from models or from plain data alike (see `encode`),
and the names of interview files: nothing here needs followup's models."""

from __future__ import annotations

import re
from typing import Any

from pydantic_core import PydanticSerializationError, to_json

from followup.store.decoding import INTERVIEW_PATTERN, VERSION


def encode(data: dict[str, Any]) -> bytes:
    """Models and plain data as indented UTF-8 JSON, five times faster than
    json.dumps with an indent (which runs in Python; pydantic serialises in Rust).
    Byte for byte what `json.dumps(..., ensure_ascii=False, indent=1)` wrote for
    everything followup writes; a fraction such as 2.5e-05, which only a
    hand-edited journal could hold, may be spelled another way, same value. A
    model and the plain data of its `model_dump(mode="json")` (or the same with
    datetimes) give the same bytes: the same serialiser writes both."""
    try:
        return to_json(data, indent=1) + b"\n"
    except PydanticSerializationError as exc:
        if "surrogates not allowed" not in str(exc):
            raise
        # Text with a lone surrogate, which UTF-8 cannot hold: reported as json.dumps's would be.
        raise UnicodeEncodeError("utf-8", "", 0, 1, "surrogates not allowed") from None


def encode_root(files: dict[str, str | None], history_file: str | None, closed_ids: list[str], journal: Any) -> bytes:
    """The root `followup.json`, once every open interview has its file."""
    return encode(
        {
            "version": VERSION,
            "files": files,
            "history": {"file": history_file, "ids": closed_ids} if history_file else None,
            "journal": journal,
        }
    )


def file_base(interview_id: str) -> str:
    """The start of an interview's file names: its id, if that is a safe file name
    (followup's own ids are), else a slug of it and a digest that tells ids apart."""
    if INTERVIEW_PATTERN.fullmatch(f"{interview_id}.1.json") and len(interview_id) <= 60:
        return interview_id
    import hashlib

    slug = re.sub(r"[^a-z0-9]+", "-", interview_id.lower()).strip("-")[:40]
    return f"{slug or 'x'}-{hashlib.blake2b(interview_id.encode('utf-8', 'surrogatepass'), digest_size=6).hexdigest()}"


def file_version(name: str | None) -> int:
    match = INTERVIEW_PATTERN.fullmatch(name or "")
    return int(match[2]) if match else 0
