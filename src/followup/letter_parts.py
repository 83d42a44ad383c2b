"""One finished letter as plain parts: who writes, to whom, the date, the subject, the text.

`followup letter` fills a Jinja2 template into plain text (`followup.letters`).
The email draft (`letter_eml`) and the printed letter (`letter_pdf`) need that
text taken apart: the PDF sets the date, the salutation and the closing in
their own places, and the email puts the subject in a header. `parse_letter`
does that for the shape every template has (an optional `Subject:` line, an
optional date line, "Dear …,", paragraphs, a closing, the name), so one
template feeds text, EML and PDF alike.

Plain frozen dataclasses, no I/O and no third-party imports: cheap to import
and easy to build in tests.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from followup.errors import FollowupError

# A salutation line: "Dear Ana López,", "Hello team,", "Hi Ana:". Short, on its own.
_SALUTATION = re.compile(
    r"dear\b.{0,76}|(hello|hi|hey|good (morning|afternoon|evening)|to)\b.{0,76}[,:!]", re.IGNORECASE
)
_SUBJECT = re.compile(r"Subject:[ \t]*(?P<subject>.*)", re.IGNORECASE)
# The closing: one short line ending in a comma ("Yours sincerely,", "Best regards,").
_CLOSING = re.compile(r"[^\n,.;:!?]{2,40},")
# The mail template's signature line when the user's name is unknown.
_SIGNATURE_LINE = re.compile(r"_{3,}")
# At most this many lines after the closing are the typed name (and perhaps a title).
_MAX_NAME_LINES = 3


class LetterFormatError(FollowupError):
    """A letter cannot be made in the format asked for: no address, a character the font lacks."""


class NoEmailAddress(LetterFormatError):
    """An email needs the interviewer's address, and the interview has none for them."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"no email address for {name}: an email needs one",
            f'add it with `followup edit ID --contact "{name} <name@example.com>"`',
        )
        self.name = name


@dataclass(frozen=True)
class Sender:
    """The user, as the profile keeps them; every part is optional."""

    name: str = ""
    address: tuple[str, ...] = ()
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Recipient:
    """The interviewer (or the hiring team): a name, and what else is known."""

    name: str
    title: str = ""
    company: str = ""
    address: tuple[str, ...] = ()
    email: str = ""


@dataclass(frozen=True)
class LetterParts:
    """A letter ready to lay out: every piece of text in its place.

    `paragraphs` keep the line breaks the template wrote inside them (a list
    or an address in the body stays as written); blank lines separate them.
    """

    sender: Sender
    recipient: Recipient
    date_line: str
    subject: str | None
    salutation: str
    paragraphs: tuple[str, ...]
    closing: str
    signed_name: str

    def body_text(self) -> str:
        """The letter as an email body: salutation, paragraphs, closing and name.

        No date line and no subject: an email carries both in its headers.
        """
        blocks = [self.salutation, *self.paragraphs]
        sign_off = "\n".join(line for line in (self.closing, self.signed_name) if line)
        text = "\n\n".join(block for block in [*blocks, sign_off] if block)
        return text + "\n"

    def normalised(self) -> LetterParts:
        """The same letter with every text in NFC (`Nguyễn` one character per letter) and tabs as spaces."""
        s, r = self.sender, self.recipient
        return LetterParts(
            sender=Sender(_nfc(s.name), tuple(map(_nfc, s.address)), _nfc(s.email), _nfc(s.phone)),
            recipient=Recipient(
                _nfc(r.name), _nfc(r.title), _nfc(r.company), tuple(map(_nfc, r.address)), _nfc(r.email)
            ),
            date_line=_nfc(self.date_line),
            subject=None if self.subject is None else _nfc(self.subject),
            salutation=_nfc(self.salutation),
            paragraphs=tuple(map(_nfc, self.paragraphs)),
            closing=_nfc(self.closing),
            signed_name=_nfc(self.signed_name),
        )

    def texts(self) -> dict[str, str]:
        """Every piece of text by a name a user would recognise, for error messages."""
        fields = {
            "your name": self.sender.name,
            "your address": "\n".join(self.sender.address),
            "your email": self.sender.email,
            "your phone": self.sender.phone,
            "the interviewer's name": self.recipient.name,
            "the interviewer's title": self.recipient.title,
            "the company": self.recipient.company,
            "the company's address": "\n".join(self.recipient.address),
            "the date line": self.date_line,
            "the subject": self.subject or "",
            "the salutation": self.salutation,
            "the closing": self.closing,
            "the name under the signature": self.signed_name,
        }
        for number, paragraph in enumerate(self.paragraphs, start=1):
            fields[f"paragraph {number} of the letter"] = paragraph
        return fields


def parse_letter(text: str, *, sender: Sender, recipient: Recipient, date_line: str = "") -> LetterParts:
    """Take the text a letter template produced apart into LetterParts.

    The shape read (each piece optional, blank lines between blocks):

        Subject: Thank you            (email templates)
        1 December 2026               (a one-line block before the salutation)
        Dear Ana López,
        paragraphs …
        Yours sincerely,              (the last short line ending in a comma,
        Ana                            followed by at most three lines: the name)

    `date_line` is used when the text has none (an email template has none).
    Text that fits no part is kept as paragraphs: nothing the user wrote is lost.
    """
    lines = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    subject = None
    if lines and (match := _SUBJECT.fullmatch(lines[0].strip())):
        subject = match["subject"].strip() or None
        lines = lines[1:]
    blocks = _blocks(lines)

    salutation = ""
    head: list[str] = []
    for index, block in enumerate(blocks):
        if len(block) == 1 and _SALUTATION.fullmatch(block[0].strip()):
            salutation = block[0].strip()
            head = ["\n".join(head_block) for head_block in blocks[:index]]
            blocks = blocks[index + 1 :]
            break
    # Before the salutation: a date line when the template wrote one, else body text.
    found_date = head.pop() if head and "\n" not in head[-1] and len(head[-1]) <= 60 else ""
    closing, signed_name, blocks = _sign_off(blocks)
    paragraphs = head + ["\n".join(block) for block in blocks]
    return LetterParts(
        sender=sender,
        recipient=recipient,
        date_line=found_date or date_line,
        subject=subject,
        salutation=salutation,
        paragraphs=tuple(paragraph for paragraph in paragraphs if paragraph),
        closing=closing,
        signed_name=signed_name,
    )


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).replace("\t", "    ")


def _blocks(lines: list[str]) -> list[list[str]]:
    """Runs of non-blank lines (right-stripped), in order."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _sign_off(blocks: list[list[str]]) -> tuple[str, str, list[list[str]]]:
    """The closing line, the typed name, and the blocks before them.

    The closing is the last short line ending in a comma that has at most
    three lines after it (in its block or the next one); those lines are the name.
    """
    flat = [(b, i) for b, block in enumerate(blocks) for i in range(len(block))]
    for position in range(len(flat) - 1, -1, -1):
        b, i = flat[position]
        after = len(flat) - position - 1
        if after > _MAX_NAME_LINES:
            break
        line = blocks[b][i].strip()
        if _CLOSING.fullmatch(line):
            name_lines = [blocks[nb][ni].strip() for nb, ni in flat[position + 1 :]]
            name = "\n".join(name_lines)
            if _SIGNATURE_LINE.fullmatch(name):
                name = ""
            before = [list(block) for block in blocks[:b]]
            if i:
                before.append(blocks[b][:i])
            return line, name, before
    return "", "", blocks
