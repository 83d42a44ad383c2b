"""Times as people read them: "in 3h", "Sat 28 Nov 14:00".

(Escaping user text lives in followup.escape.)"""

from __future__ import annotations

from datetime import datetime, tzinfo


def span(seconds: float) -> str:
    """A rough, short length of time: 45m, 3h, 2d, 5w."""
    seconds = abs(seconds)
    minutes = int(seconds // 60)
    if minutes < 1:
        return "<1m"
    if minutes < 60:
        return f"{minutes}m"
    hours = minutes // 60
    if hours < 48:
        return f"{hours}h"
    days = hours // 24
    if days < 14:
        return f"{days}d"
    return f"{days // 7}w"


def relative(moment: datetime, now: datetime, *, overdue_words: bool = True) -> str:
    """`in 3h`, or `2d overdue` (`2d ago` when lateness is not the point)."""
    delta = (moment - now).total_seconds()
    if delta >= 0:
        return f"in {span(delta)}"
    return f"{span(delta)} {'overdue' if overdue_words else 'ago'}"


def absolute(moment: datetime, zone: tzinfo, now: datetime, *, short: bool = False) -> str:
    """`Sat 28 Nov 14:00` in the user's zone; the year only when it is not this one.

    `short` drops the date within six days of `now` (`Sat 14:00`) and the
    weekday beyond (`4 Dec 14:00`), for tables with many rows.
    """
    local = moment.astimezone(zone)
    local_now = now.astimezone(zone)
    year = "" if local.year == local_now.year else f" {local.year}"
    if short:
        if abs((local.date() - local_now.date()).days) <= 6:
            return f"{local:%a %H:%M}"
        return f"{local.day} {local:%b}{year} {local:%H:%M}"
    return f"{local:%a} {local.day} {local:%b}{year} {local:%H:%M}"


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """`1 interview`, `3 interviews` (`nouns` for a plural not made with -s)."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"
