"""Outcomes, and how the timeliness of follow-up relates to them.

A pure function of the interviews and `now`: `followup stats` renders its
result as text or JSON.

Definitions:

- A *letter* is a step made from the `mail-letter` or `email-letter` step of
  a checklist (one per interviewer). Skipped letters do not count.
- A letter is *on time* when it was done at or before its due time, and
  *late* when it was done after it, or is still pending past its due time
  (for a closed interview: past its due time when it was closed).
- An interview's follow-up is on time when every letter that counts was on
  time, and late when any was late; interviews without such letters are left
  out of the offer comparison, as are open ones.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from followup.constants import OUTCOMES
from followup.models import Interview, Step

LETTER_STEPS = ("mail-letter", "email-letter")
OPEN = "open"
DAY = 86400.0


@dataclass(frozen=True)
class Ratio:
    """`count` out of `total`."""

    count: int
    total: int

    @property
    def share(self) -> float | None:
        return self.count / self.total if self.total else None

    def to_json(self, count_name: str, total_name: str) -> dict[str, Any]:
        share = self.share
        return {count_name: self.count, total_name: self.total, "share": None if share is None else round(share, 4)}


@dataclass(frozen=True)
class Stats:
    """What `followup stats` shows."""

    interviews: int
    outcomes: dict[str, int]  # every outcome, and "open", in a fixed order
    letters_on_time: Ratio  # on time, of those done or overdue
    median_days_to_letter: float | None
    offers_after_on_time: Ratio  # offers, of closed interviews whose letters were all on time
    offers_after_late: Ratio  # offers, of closed interviews with a late letter

    def to_json(self) -> dict[str, Any]:
        median = self.median_days_to_letter
        return {
            "interviews": self.interviews,
            "outcomes": dict(self.outcomes),
            "letters": {
                **self.letters_on_time.to_json("on_time", "counted"),
                "late": self.letters_on_time.total - self.letters_on_time.count,
                "median_days_to_letter": None if median is None else round(median, 2),
            },
            "offers": {
                "after_on_time": self.offers_after_on_time.to_json("offers", "closed"),
                "after_late": self.offers_after_late.to_json("offers", "closed"),
            },
        }


def compute(interviews: Iterable[Interview], now: datetime) -> Stats:
    """The statistics of these interviews, with lateness judged at `now`."""
    return combine([tally(interview, now) for interview in interviews])


class Tally(NamedTuple):
    """What the statistics take of one interview: far smaller than its model, so
    that `stats` holds one model at a time, not 10,000."""

    outcome: str | None
    verdicts: tuple[bool, ...]  # of the letters that count: on time or not
    days: tuple[float, ...]  # from the interview to each letter done


def tally(interview: Interview, now: datetime) -> Tally:
    verdicts = [verdict for step in letters(interview) if (verdict := timeliness(interview, step, now)) is not None]
    days = [
        (step.done_at - interview.at).total_seconds() / DAY
        for step in letters(interview)
        if step.status == "done" and step.done_at is not None
    ]
    return Tally(interview.outcome, tuple(verdicts), tuple(days))


def combine(tallies: Sequence[Tally]) -> Stats:
    """The statistics of the interviews these tallies were made of."""
    outcomes = dict.fromkeys([*OUTCOMES, OPEN], 0)
    on_time = counted = 0
    days: list[float] = []
    after_on_time = [0, 0]  # offers, closed
    after_late = [0, 0]
    for interview in tallies:
        outcomes[interview.outcome or OPEN] += 1
        on_time += interview.verdicts.count(True)
        counted += len(interview.verdicts)
        days.extend(interview.days)
        if interview.outcome is not None and interview.verdicts:
            group = after_on_time if all(interview.verdicts) else after_late
            group[0] += interview.outcome == "offer"
            group[1] += 1
    return Stats(
        interviews=len(tallies),
        outcomes=outcomes,
        letters_on_time=Ratio(on_time, counted),
        median_days_to_letter=statistics.median(days) if days else None,
        offers_after_on_time=Ratio(*after_on_time),
        offers_after_late=Ratio(*after_late),
    )


def letters(interview: Interview) -> list[Step]:
    """The thank-you letters sent, or to send, for an interview."""
    return [step for step in interview.steps if step.source in LETTER_STEPS]


def timeliness(interview: Interview, step: Step, now: datetime) -> bool | None:
    """True if the letter went on time, False if late, None if it does not count
    (skipped, or pending and not yet due)."""
    if step.status == "done":
        return None if step.done_at is None else step.done_at <= step.due
    if step.status == "skipped":
        return None
    judged_at = interview.closed_at if interview.outcome is not None and interview.closed_at else now
    return False if step.due < judged_at else None
