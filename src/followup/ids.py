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
