"""Who the thank-you letters go to: the interviewers (or the hiring team), the
one `--to` names, and not those whose letter steps were all skipped.

Pure functions of an interview; `followup.letters` re-exports them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from followup.errors import FollowupError, NotFound
from followup.people import matching_names

if TYPE_CHECKING:
    from followup.store.stored import ShownInterview

HIRING_TEAM = "the hiring team"
# A letter step: a checklist step whose id has the word `letter` (write-letter, mail-letter, email-letter).
LETTER_STEP = re.compile(r"(?:^|-)letter(?:-|$)")


def recipients(interview: ShownInterview, to: str | None = None) -> list[str]:
    """The interviewers to write to: all of them, the one `to` names, or the hiring team.

    `to` is a name or an unambiguous, case-insensitive start of one (of the
    whole name, or else of any word in it: `lóp` for Ana López).
    """
    names = interview.interviewers
    if to is None:
        return list(names) or [HIRING_TEAM]
    matches = matching_names(names, to)
    if len(matches) == 1:
        return matches
    if matches:
        raise NotFound(f"--to {to!r} matches several interviewers: {', '.join(matches)}", "type more of the name")
    listed = ", ".join(names) if names else f"none; the letter goes to {HIRING_TEAM} (leave out --to)"
    raise NotFound(
        f"{interview.id} has no interviewer {to!r} (interviewers: {listed})",
        f"add one with: followup edit {interview.id} --interviewer NAME",
    )


def skipped(interview: ShownInterview, names: list[str]) -> list[str]:
    """The names in `names` whose letter steps were all skipped (a name without
    letter steps is never left out). A letter step is one whose checklist id has
    the word `letter` in it: write-letter, mail-letter, email-letter."""
    left_out = []
    for name in names:
        own = [step for step in interview.steps if LETTER_STEP.search(step.source) and step.interviewer in (name, None)]
        if own and all(step.status == "skipped" for step in own):
            left_out.append(name)
    return left_out


def to_write(interview: ShownInterview, to: str | None) -> tuple[list[str], str | None]:
    """The names to draft for, and a line to say about those left out or kept in.

    Without `to`, an interviewer whose letter steps were all skipped gets no
    letter; when that is everyone, it is an error that says so. A name that
    `to` picks is drafted for anyway (the line says why).
    """
    names = recipients(interview, to)
    left_out = skipped(interview, names)
    if not left_out:
        return names, None
    who = ", ".join(left_out)
    if to is not None:
        return names, f"drafting the letter to {who} although its letter steps are skipped, since --to names them"
    kept = [name for name in names if name not in left_out]
    if not kept:
        raise FollowupError(
            f"every letter step of {interview.id} is skipped: no letter to draft",
            f"to draft one anyway: followup letter {interview.id} --to NAME",
        )
    return kept, f"no letter to {who}: the letter steps are skipped (--to NAME drafts one anyway)"
