"""A letter ready to print, as a PDF on A4 or US Letter, addressed for a window envelope.

The layout is a plain business letter: the sender's block at the top right,
the recipient's block where a window envelope shows it, the date, the subject
in bold, the salutation, the body in wrapped paragraphs (flowing onto more
pages when long, numbered then), the closing, room for a signature and the
typed name. Fold marks on the left edge show where to fold for the envelope.

The text is set in DejaVu Sans, which ships in `followup/fonts/` (Bitstream
Vera licence, DejaVu changes public domain; see LICENSE there) and covers
Latin, Greek and Cyrillic names. A character it lacks would print as a blank
box, so every field is checked first, and a gap is a LetterFormatError naming
the character and the field. Right-to-left scripts are refused the same way:
without a shaping engine their letters would print in the wrong order.

`fpdf2` is imported inside `render_pdf` only, and callers import this module
only when a PDF is asked for, so that no other command pays for it.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from followup.letter_parts import LetterFormatError, LetterParts

if TYPE_CHECKING:
    from fpdf import FPDF

Paper = Literal["a4", "letter"]
PAPERS: tuple[Paper, ...] = ("a4", "letter")
# Territories whose default paper is US Letter: those whose glibc locales give LC_PAPER
# 279 mm x 216 mm (glibc 2.36, /usr/share/i18n/locales: en_US and the locales that copy it).
# No territory has locales of both sizes, so the territory alone decides.
LETTER_TERRITORIES = frozenset({"US", "CA", "MX", "PH", "BO", "CL", "CO", "CR", "GT", "NI", "PA", "PR", "SV", "VE"})
FAMILY = "DejaVuSans"
REGULAR, BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"
INCH = 25.4
# Bidi classes of right-to-left letters, which fpdf2 lays out correctly only with uharfbuzz.
_RIGHT_TO_LEFT = frozenset({"R", "AL"})
# Fields set in bold (the rest are regular): their characters are checked against the bold font.
_BOLD_FIELDS = frozenset({"your name", "the subject"})


@dataclass(frozen=True)
class Layout:
    """Where things go on one paper size, in millimetres from the top-left corner."""

    fpdf_format: str
    left: float  # margin of the body text
    right: float
    top: float
    bottom: float
    # The envelope window: x, y, width, height.
    window: tuple[float, float, float, float]
    # The top of the first recipient line, and the return-address line above it (None: none).
    address_top: float
    return_line_top: float | None
    folds: tuple[float, ...]


# A4, DIN 5008 form B: the address field is 20 mm from the left edge and 45 mm
# from the top, 85 x 45 mm; its upper 17.7 mm are the return-address and notes
# zone, the lower 27.3 mm (six lines) the address itself. Body text starts
# 25 mm from the left edge. Fold marks at 105 mm and 210 mm fold the sheet for
# a DL or C6/5 window envelope.
A4 = Layout(
    fpdf_format="A4",
    left=25.0,
    right=20.0,
    top=15.0,
    bottom=20.0,
    window=(20.0, 45.0, 85.0, 45.0),
    address_top=45.0 + 17.7,
    return_line_top=45.0 + 17.7 - 4.0,
    folds=(105.0, 210.0),
)

# US Letter in a #10 window envelope (4 1/8 x 9 1/2 in). The stock #10 window
# is 1 1/8 x 4 1/2 in, 7/8 in from the envelope's left edge and 1/2 in from
# its bottom (envelope makers give window size height first, then its offset
# from the left and from the bottom). A sheet folded in thirds (11/3 in per
# panel) that sits at the bottom of the envelope shows that window about
# 2 in below the sheet's top; the address goes there, in at most six lines.
LETTER = Layout(
    fpdf_format="Letter",
    left=1.0 * INCH,
    right=1.0 * INCH,
    top=0.6 * INCH,
    bottom=0.8 * INCH,
    window=(0.875 * INCH, 2.0 * INCH, 4.5 * INCH, 1.125 * INCH),
    address_top=2.0 * INCH + 1.5,
    return_line_top=None,
    folds=(11 / 3 * INCH, 22 / 3 * INCH),
)
LAYOUTS: dict[Paper, Layout] = {"a4": A4, "letter": LETTER}

# Type sizes (points) and line heights (mm).
BODY_PT, BODY_LINE = 11.0, 5.2
ADDRESS_PT, ADDRESS_LINE = 10.0, 4.4
SMALL_PT, SMALL_LINE = 8.5, 3.8
RETURN_PT = 6.5
MAX_ADDRESS_LINES = 6
# The sender's block may run down beside the window, but must end before the letter's text does.
MAX_SENDER_LINES = 10
SIGNATURE_SPACE = 18.0


def default_paper(environ: Mapping[str, str] | None = None) -> Paper:
    """Letter when the locale's territory uses it (`LETTER_TERRITORIES`, as glibc
    has it: the US, Canada, Mexico, the Philippines...), A4 elsewhere.

    The locale is the first of LC_ALL, LC_PAPER and LANG that is set, as
    POSIX orders them: `en_US.UTF-8`, `fr_CA` and `es_MX` give Letter; `de_DE`,
    `es_ES`, `C` or nothing give A4.
    """
    env = os.environ if environ is None else environ
    value = next((env[name] for name in ("LC_ALL", "LC_PAPER", "LANG") if env.get(name)), "")
    territory = value.split(".", 1)[0].split("@", 1)[0].partition("_")[2]
    return "letter" if territory.upper() in LETTER_TERRITORIES else "a4"


def font_dir() -> Path:
    """The folder of the bundled fonts (inside the package, also in a source checkout):
    found beside this module, since importing importlib.resources costs `letter` 10 ms."""
    return Path(__file__).parent / "fonts"


def render_pdf(parts: LetterParts, paper: Paper, *, when: datetime | None = None) -> bytes:
    """The letter as the bytes of a PDF file on `paper`.

    `when` sets the file's creation date (for reproducible output).
    Raises LetterFormatError when a field has a character the font lacks, or
    the recipient's block has more lines than the envelope window shows.
    """
    layout = LAYOUTS[paper]
    parts = parts.normalised()
    address = _address_lines(parts)
    if len(address) > MAX_ADDRESS_LINES:
        raise LetterFormatError(
            f"the recipient's block has {len(address)} lines; an envelope window shows {MAX_ADDRESS_LINES}",
            "shorten the company's address (fewer lines)",
        )
    if len(parts.sender.address) > MAX_SENDER_LINES:
        raise LetterFormatError(
            f"your address has {len(parts.sender.address)} lines; a letter has room for {MAX_SENDER_LINES}"
            " beside the envelope window",
            "shorten it with: followup profile --address",
        )
    pdf = _letter_class()(layout)
    pdf.add_font(FAMILY, "", font_dir() / REGULAR)
    pdf.add_font(FAMILY, "B", font_dir() / BOLD)
    _check_coverage(parts, regular=_cmap(pdf, ""), bold=_cmap(pdf, "B"))
    if when is not None:
        pdf.set_creation_date(when)
    pdf.set_title(parts.subject or f"Letter to {parts.recipient.name}")
    if parts.sender.name:
        pdf.set_author(parts.sender.name)
    pdf.set_creator("followup")
    pdf.set_margins(layout.left, layout.top, layout.right)
    pdf.set_auto_page_break(auto=True, margin=layout.bottom)
    pdf.add_page()

    sender_bottom = _sender_block(pdf, parts, layout)
    _recipient_block(pdf, parts, layout, address)
    _body(pdf, parts, layout, start=max(sender_bottom, layout.window[1] + layout.window[3]) + 8.0)
    return bytes(pdf.output())


def _letter_class() -> Callable[[Layout], FPDF]:
    """FPDF with the letter's page furniture: fold marks on page one, page numbers after it.

    Defined on first use, so that importing this module does not import fpdf2.
    """
    from fpdf import FPDF

    class LetterPDF(FPDF):
        def __init__(self, layout: Layout) -> None:
            super().__init__(orientation="portrait", unit="mm", format=layout.fpdf_format)
            self.layout = layout

        def header(self) -> None:
            if self.page_no() == 1:
                self.set_draw_color(150)
                self.set_line_width(0.2)
                for y in self.layout.folds:
                    self.line(4.0, y, 9.0, y)
                self.set_draw_color(0)

        def footer(self) -> None:
            # A letter's first page is not numbered; the pages after it are, with the total.
            if self.page_no() > 1:
                self.set_font(FAMILY, "", SMALL_PT)
                self.set_xy(self.layout.left, self.h - self.layout.bottom + 6.0)
                width = self.w - self.layout.left - self.layout.right
                self.cell(width, SMALL_LINE, f"Page {self.page_no()} of {self.str_alias_nb_pages}", align="C")

    return LetterPDF


def _check_coverage(parts: LetterParts, *, regular: Mapping[int, object], bold: Mapping[int, object]) -> None:
    """Every character of every field must be in the font, and none right-to-left."""
    for field, text in parts.texts().items():
        cmap = bold if field in _BOLD_FIELDS else regular
        missing: list[str] = []
        for char in text:
            if char == "\n" or char in missing:
                continue
            if ord(char) not in cmap or unicodedata.bidirectional(char) in _RIGHT_TO_LEFT:
                missing.append(char)
        if missing:
            shown = ", ".join(f"{char!r} ({_char_name(char)})" for char in missing[:5])
            more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            raise LetterFormatError(
                f"{field} has characters the PDF letter cannot print: {shown}{more}",
                "write them in Latin, Greek or Cyrillic letters for the PDF, or use --format eml or text",
            )


def _cmap(pdf: FPDF, style: str) -> Mapping[int, object]:
    """The characters a loaded font has (fpdf2 reads its cmap with fontTools)."""
    from fpdf.fonts import TTFFont

    font = pdf.fonts[FAMILY.lower() + style]
    assert isinstance(font, TTFFont)
    return font.cmap


def _char_name(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')}"


def _address_lines(parts: LetterParts) -> list[str]:
    recipient = parts.recipient
    lines = [recipient.name, recipient.title, recipient.company, *recipient.address]
    return [" ".join(line.split()) for line in lines if line.strip()]


def _sender_block(pdf: FPDF, parts: LetterParts, layout: Layout) -> float:
    """The sender's name and details, right-aligned at the top; the y of its bottom.

    Lines may use the whole width when the block ends above the envelope
    window; a longer block keeps to the column right of the window (wrapping
    there), so it never shows through the window.
    """
    sender = parts.sender
    lines = [("B", BODY_PT + 0.5, BODY_LINE + 0.5, sender.name.strip())]
    lines += [("", SMALL_PT, SMALL_LINE, line.strip()) for line in (*sender.address, sender.email, sender.phone)]
    lines = [line for line in lines if line[3]]
    right = pdf.w - layout.right
    window_right, window_top = layout.window[0] + layout.window[2], layout.window[1]
    column_left = layout.left

    def fits(style: str, size: float, text: str) -> bool:
        pdf.set_font(FAMILY, style, size)
        return pdf.get_string_width(text) <= right - column_left

    height = sum(line_height for _, _, line_height, _ in lines)
    if layout.top + height > window_top - 2.0 or not all(fits(style, size, text) for style, size, _, text in lines):
        column_left = max(column_left, window_right + 5.0)
    pdf.set_xy(column_left, layout.top)
    for style, size, line_height, text in lines:
        pdf.set_font(FAMILY, style, size)
        pdf.multi_cell(right - column_left, line_height, text, align="R", new_x="LEFT", new_y="NEXT")
    return pdf.get_y()


def _recipient_block(pdf: FPDF, parts: LetterParts, layout: Layout, address: list[str]) -> None:
    """The address inside the window; on A4 a one-line return address above it, in small type."""
    x, _, width, _ = layout.window
    text_left = layout.left
    text_width = x + width - text_left - 2.0
    sender = parts.sender
    if layout.return_line_top is not None and sender.name and sender.address:
        pdf.set_font(FAMILY, "", RETURN_PT)
        line = " · ".join([sender.name, *sender.address])
        if pdf.get_string_width(line) <= text_width:  # optional: left out when too long
            pdf.set_xy(text_left, layout.return_line_top)
            pdf.cell(text_width, 3.0, line)
    pdf.set_font(FAMILY, "", ADDRESS_PT)
    recipient = parts.recipient
    for number, line in enumerate(address):
        pdf.set_xy(text_left, layout.address_top + number * ADDRESS_LINE)
        if line == recipient.name:
            fix = "shorten the interviewer's name"
        elif line == recipient.title:
            fix = "shorten their title (followup edit ID --title)"
        elif line == recipient.company:
            fix = "shorten the company's name (followup edit ID --company)"
        else:
            fix = "break it into two lines in the company's address (followup edit ID --address)"
        _fitted_cell(pdf, text_width, ADDRESS_LINE, line, fix)


def _fitted_cell(pdf: FPDF, width: float, height: float, text: str, fix: str) -> None:
    """One line that must stay inside the window: a longer one is refused, not clipped."""
    if pdf.get_string_width(text) > width:
        raise LetterFormatError(f"the address line {text!r} is wider than the envelope window", fix)
    pdf.cell(width, height, text)


def _body(pdf: FPDF, parts: LetterParts, layout: Layout, *, start: float) -> None:
    width = pdf.w - layout.left - layout.right
    pdf.set_xy(layout.left, start)
    pdf.set_font(FAMILY, "", BODY_PT)
    if parts.date_line:
        pdf.multi_cell(width, BODY_LINE, parts.date_line, align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(BODY_LINE)
    if parts.subject:
        pdf.set_font(FAMILY, "B", BODY_PT)
        pdf.multi_cell(width, BODY_LINE, parts.subject, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FAMILY, "", BODY_PT)
        pdf.ln(BODY_LINE)
    for block in [parts.salutation, *parts.paragraphs]:
        if block:
            pdf.multi_cell(width, BODY_LINE, block, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(BODY_LINE * 0.6)
    # Keep the closing, the signature space and the name together on one page.
    name_lines = parts.signed_name.count("\n") + 1 if parts.signed_name else 0
    needed = BODY_LINE * (1 + name_lines) + SIGNATURE_SPACE
    if pdf.will_page_break(needed):
        pdf.add_page()
    if parts.closing:
        pdf.ln(BODY_LINE * 0.4)
        pdf.multi_cell(width, BODY_LINE, parts.closing, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(SIGNATURE_SPACE)
    if parts.signed_name:
        pdf.multi_cell(width, BODY_LINE, parts.signed_name, align="L", new_x="LMARGIN", new_y="NEXT")
