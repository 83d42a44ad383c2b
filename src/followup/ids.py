"""Short ids that are easy to type: `acme-1128`, `write-letter-ana`."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable
from datetime import datetime

MAX_ID = 20

# Latin letters that NFKD does not take apart into a base letter and a mark: without
# these, "Łukasz" would lose its first letter ("ukasz").
_LATIN = str.maketrans(
    {"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i", "ß": "ss"}
    | {"Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "Þ": "Th", "þ": "th", "Ð": "D", "ð": "d"}
)


def latin(text: str) -> str:
    """`text` in ASCII letters as far as it has Latin ones: "Łukasz Żółw" is "Lukasz Zolw"."""
    return unicodedata.normalize("NFKD", text.translate(_LATIN)).encode("ascii", "ignore").decode()


def slugify(text: str, limit: int = 12) -> str:
    """ASCII lowercase words joined by dashes, cut at a dash near `limit`."""
    slug = re.sub(r"[^a-z0-9]+", "-", latin(text).lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rstrip("-")
    return slug


def file_slug(text: str, limit: int = 20) -> str:
    """`slugify`, or for a name with no Latin letters (李明, Ольга) its own letters,
    marks and digits, lowercase, joined by dashes: a file name that still says whose
    it is. Nothing else is kept, so no separator, control or bidi character gets in."""
    slug = slugify(text, limit)
    if slug:
        return slug
    kept: list[str] = []
    for char in unicodedata.normalize("NFC", text).lower():
        kind = unicodedata.category(char)[0]
        # A mark belongs to the letter before it (Devanagari vowel signs): alone it is dropped.
        keep = kind in "LN" or (kind == "M" and bool(kept) and kept[-1] != "-")
        kept.append(char if keep else "-")
    slug = re.sub("-+", "-", "".join(kept)).strip("-")
    end = min(limit, len(slug))
    while 0 < end < len(slug) and unicodedata.category(slug[end])[0] == "M":
        end -= 1  # cut before a letter whose marks would be cut off
    return slug[:end].rstrip("-")


def unique(base: str, taken: Collection[str]) -> str:
    """`base`, or `base-2`, `base-3` ... whichever is free."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def matching(ref: str, ids: Iterable[str]) -> list[str]:
    """What a typed id names: itself if it is one, else every id that starts with it.

    One rule for commands and completion alike, so that Tab offers what a command accepts.
    """
    candidates = list(ids)
    if ref in candidates:
        return [ref]
    return [item for item in candidates if item.startswith(ref)] if ref else []


def interview_id(company: str, at: datetime, taken: Collection[str]) -> str:
    """The company's slug and the interview's month and day: `acme-1128`.

    At most 20 characters, even with a `-NN` suffix for the same company twice
    on one day.
    """
    slug = slugify(company, 12) or "interview"
    found = unique(f"{slug}-{at:%m%d}", taken)
    while len(found) > MAX_ID and len(slug) > 1:
        # Past `-99` the suffix needs more room: take it from the company's slug.
        slug = slug[:-1].rstrip("-") or slug[:1]
        found = unique(f"{slug}-{at:%m%d}", taken)
    return found
