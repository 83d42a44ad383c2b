"""A drafted letter as a file of the format asked for: plain text, an email draft, a PDF.

`followup letter --format eml|pdf` drafts the text from the template as
always (`followup.letters`), then takes it apart (`letter_parts.parse_letter`)
with the sender from the profile and the recipient from the interview's
contacts, and lays it out (`letter_eml`, `letter_pdf`, imported only here and
only for their format). Pure functions of their arguments.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from followup.letter_parts import LetterParts, Recipient, Sender, parse_letter
from followup.letter_recipients import HIRING_TEAM

if TYPE_CHECKING:
    from followup.letter_pdf import Paper
    from followup.letters import Letter
    from followup.store.stored import ShownInterview

Format = Literal["text", "eml", "pdf"]
FORMATS: tuple[Format, ...] = ("text", "eml", "pdf")
SUFFIXES = {"text": ".txt", "eml": ".eml", "pdf": ".pdf"}


def recipient(interview: ShownInterview, name: str) -> Recipient:
    """The interviewer `name` (or the hiring team) with their title and email, at the company's address."""
    contact = interview.contact(name)
    lines = [line for line in (interview.address or "").splitlines() if line.strip()]
    if lines and lines[0].casefold() == interview.company.casefold():
        lines = lines[1:]  # the company's name, which the block has already
    return Recipient(
        name="Hiring team" if name == HIRING_TEAM else name,
        title=contact.title or "",
        company=interview.company,
        address=tuple(lines),
        email=contact.email or "",
    )


def parts_of(interview: ShownInterview, letter: Letter, sender: Sender, now: datetime, zone: tzinfo) -> LetterParts:
    """The letter's text taken apart, addressed; dated today where the user is."""
    today = now.astimezone(zone)
    return parse_letter(
        letter.text,
        sender=sender,
        recipient=recipient(interview, letter.interviewer),
        date_line=f"{today.day} {today:%B %Y}",
    )


def file_bytes(parts: LetterParts, fmt: Format, *, paper: Paper, when: datetime) -> bytes:
    """The bytes of an `.eml` draft or a PDF letter (LetterFormatError when it cannot be made)."""
    if fmt == "eml":
        from followup.letter_eml import draft_bytes

        return draft_bytes(parts, when=when)
    from followup.letter_pdf import render_pdf

    return render_pdf(parts, paper, when=when)


def default_out(interview: ShownInterview, fmt: Format) -> Path:
    """Where eml and pdf letters go without `--out`: `letter-ID.eml` in the current
    folder (for a panel, `letter-ID-ana.eml` and so on, as `--out` names them)."""
    return Path(f"letter-{interview.id}{SUFFIXES[fmt]}")
