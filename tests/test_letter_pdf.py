"""Printed letters, read back with poppler: the text is there, the address sits in the
envelope window, the paper is right, and a character the font lacks is an error."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from followup.letter_parts import LetterFormatError, LetterParts, Recipient, Sender
from followup.letter_pdf import A4, INCH, LAYOUTS, LETTER, PAPERS, Paper, default_paper, render_pdf

POINTS_PER_MM = 72 / 25.4
WHEN = datetime(2026, 12, 1, tzinfo=UTC)
SENDER = Sender(
    name="Zoë Nguyễn", address=("12 Rue des Lilas", "75011 Paris"), email="zoe@example.org", phone="+33 6 12 34 56 78"
)
RECIPIENT = Recipient(
    name="Ana López",
    title="Head of Platforms",
    company="Quuxly GmbH",
    address=("Hauptstraße 5", "10115 Berlin", "Germany"),
    email="ana@quuxly.example",
)


def letter(
    paragraphs: tuple[str, ...] = ("Thank you for the talk on Friday.", "I would like to join the team."),
    recipient: Recipient = RECIPIENT,
    sender: Sender = SENDER,
    subject: str | None = "Thank you",
) -> LetterParts:
    return LetterParts(
        sender=sender,
        recipient=recipient,
        date_line="1 December 2026",
        subject=subject,
        salutation="Dear Ms López,",
        paragraphs=paragraphs,
        closing="Yours sincerely,",
        signed_name=sender.name,
    )


needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="poppler's pdftotext and pdfinfo are not installed (Debian: apt-get install poppler-utils; CI has them)",
)


def write(tmp_path: Path, parts: LetterParts, paper: Paper) -> Path:
    path = tmp_path / f"letter-{paper}.pdf"
    path.write_bytes(render_pdf(parts, paper, when=WHEN))
    return path


def poppler(*argv: str | Path) -> str:
    done = subprocess.run([str(arg) for arg in argv], capture_output=True, text=True, check=True, timeout=60)
    return done.stdout


def words(path: Path, page: int = 1) -> list[tuple[str, float, float, float, float]]:
    """Every word on a page with its box (x0, y0, x1, y1), in millimetres from the top left."""
    xhtml = poppler("pdftotext", "-bbox", "-f", str(page), "-l", str(page), path, "-")
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', xhtml)
    return [(text, *(float(v) / POINTS_PER_MM for v in box)) for *box, text in found]


# --- the paper ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environment", "paper"),
    [
        ({"LANG": "en_US.UTF-8"}, "letter"),
        ({"LANG": "fr_CA"}, "letter"),
        ({"LANG": "en_CA.utf8@custom"}, "letter"),
        ({"LANG": "de_DE.UTF-8"}, "a4"),
        ({"LANG": "en_GB.UTF-8"}, "a4"),
        ({"LANG": "C.UTF-8"}, "a4"),
        ({"LANG": "C"}, "a4"),
        ({}, "a4"),
        ({"LANG": "en_US.UTF-8", "LC_PAPER": "de_DE.UTF-8"}, "a4"),
        ({"LANG": "de_DE.UTF-8", "LC_PAPER": "en_US.UTF-8"}, "letter"),
        ({"LC_PAPER": "en_US.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "a4"),
        ({"LC_ALL": "", "LANG": "en_US.UTF-8"}, "letter"),
    ],
)
def test_the_default_paper_follows_the_locale(environment: dict[str, str], paper: str) -> None:
    assert default_paper(environment) == paper


# Every glibc locale whose LC_PAPER is US Letter (glibc 2.36); es_DO, es_ES, pt_BR and en_AU are A4 there.
GLIBC_LETTER = ["en_US", "en_CA", "fr_CA", "iu_CA", "ik_CA", "shs_CA", "en_PH", "fil_PH", "tl_PH", "es_MX", "nhn_MX"]
GLIBC_LETTER += ["es_BO", "es_CL", "es_CO", "es_CR", "es_GT", "es_NI", "miq_NI", "es_PA", "es_PR", "es_SV", "es_US"]
GLIBC_LETTER += ["es_VE", "chr_US", "unm_US", "yi_US"]


@pytest.mark.parametrize(
    ("locale", "paper"),
    [*((name, "letter") for name in GLIBC_LETTER), *((name, "a4") for name in ("es_DO", "es_ES", "pt_BR", "en_AU"))],
)
def test_the_default_paper_is_letter_wherever_glibc_says_so(locale: str, paper: str) -> None:
    assert default_paper({"LANG": f"{locale}.UTF-8"}) == paper


@needs_poppler
@pytest.mark.parametrize(("paper", "size"), [("a4", "595.28 x 841.89 pts (A4)"), ("letter", "612 x 792 pts (letter)")])
def test_the_page_size(tmp_path: Path, paper: Paper, size: str) -> None:
    info = poppler("pdfinfo", write(tmp_path, letter(), paper))
    assert re.search(r"Page size:\s+" + re.escape(size), info), info
    assert re.search(r"Pages:\s+1\n", info)


# --- the text -------------------------------------------------------------------------


@needs_poppler
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_every_name_the_company_the_address_and_the_body_are_there(tmp_path: Path, paper: Paper) -> None:
    text = poppler("pdftotext", "-layout", write(tmp_path, letter(), paper), "-")
    for expected in [
        "Zoë Nguyễn",
        "12 Rue des Lilas",
        "zoe@example.org",
        "+33 6 12 34 56 78",
        "Ana López",
        "Head of Platforms",
        "Quuxly GmbH",
        "Hauptstraße 5",
        "10115 Berlin",
        "Germany",
        "1 December 2026",
        "Thank you",
        "Dear Ms López,",
        "Thank you for the talk on Friday.",
        "I would like to join the team.",
        "Yours sincerely,",
    ]:
        assert expected in text, f"{expected!r} missing from:\n{text}"
    assert "ana@quuxly.example" not in text  # a postal letter does not print the recipient's email


@needs_poppler
def test_names_in_every_script_the_font_covers_print(tmp_path: Path) -> None:
    names = ["Łukasz Żółć", "Nguyễn Thị Minh", "Zoë Brontë", "Ελένη Παπαδοπούλου", "Дмитрий Иванов", "Ærøskøbing Ŋ"]
    recipient = Recipient(name=names[0], title=names[1], company=names[2], address=tuple(names[3:]))
    text = poppler("pdftotext", write(tmp_path, letter(recipient=recipient), "a4"), "-")
    for name in names:
        assert name in text


@needs_poppler
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_recipients_block_lies_inside_the_envelope_window(tmp_path: Path, paper: Paper) -> None:
    layout = LAYOUTS[paper]
    left, top, width, height = layout.window
    placed = words(write(tmp_path, letter(), paper))
    recipient_lines = [RECIPIENT.name, RECIPIENT.title, RECIPIENT.company, *RECIPIENT.address]
    tops = []
    for line in recipient_lines:
        for word in line.split():
            inside = [
                (x0, y0)
                for text, x0, y0, x1, y1 in placed
                if text == word and left <= x0 and x1 <= left + width and top <= y0 and y1 <= top + height
            ]
            assert inside, f"{word!r} of {line!r} is not inside the window {layout.window} on {paper}"
        tops.append(min(y for _, y in inside))
    assert tops == sorted(tops), "the address lines are not in order, top to bottom"


def test_the_windows_are_where_the_standards_put_them() -> None:
    assert A4.window == (20.0, 45.0, 85.0, 45.0)  # DIN 5008 form B
    assert LETTER.window == pytest.approx((22.225, 50.8, 114.3, 28.575))  # #10: 7/8 in, 2 in; 4 1/2 x 1 1/8 in
    assert LETTER.window[0] == pytest.approx(7 / 8 * INCH)


@needs_poppler
def test_a_long_letter_flows_onto_a_second_page(tmp_path: Path) -> None:
    paragraph = "This sentence makes the paragraph long enough to need several lines on the page. " * 6
    path = write(tmp_path, letter(paragraphs=tuple(f"{n}. {paragraph}" for n in range(1, 9))), "a4")
    assert re.search(r"Pages:\s+2\n", poppler("pdfinfo", path))
    second = poppler("pdftotext", "-f", "2", "-l", "2", path, "-")
    assert "Yours sincerely," in second and "Zoë Nguyễn" in second and "Page 2 of 2" in second
    whole = poppler("pdftotext", path, "-")
    assert all(f"{n}. This sentence" in whole for n in range(1, 9))


def test_the_pdf_is_small(tmp_path: Path) -> None:
    # The fonts are 700 kB each; subset, a one-page letter is a few tens of kB.
    assert len(render_pdf(letter(), "a4", when=WHEN)) < 60_000


def test_the_same_letter_gives_the_same_bytes() -> None:
    assert render_pdf(letter(), "letter", when=WHEN) == render_pdf(letter(), "letter", when=WHEN)


# --- what cannot be printed ---------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "field", "char"),
    [
        (letter(recipient=replace(RECIPIENT, name="山田 太郎")), "the interviewer's name", "山"),
        (letter(recipient=replace(RECIPIENT, company="Unicorn 🦄 Ltd")), "the company", "🦄"),
        (letter(paragraphs=("Thanks!", "We spoke of שלום.")), "paragraph 2 of the letter", "ש"),
        (letter(sender=replace(SENDER, name="Zoë 🦄")), "your name", "🦄"),
    ],
)
def test_a_character_the_font_lacks_is_an_error_naming_it_and_the_field(
    parts: LetterParts, field: str, char: str
) -> None:
    with pytest.raises(LetterFormatError) as caught:
        render_pdf(parts, "a4")
    assert caught.value.message.startswith(field)
    assert repr(char) in caught.value.message and f"U+{ord(char):04X}" in caught.value.message
    assert caught.value.hint is not None and "--format eml" in caught.value.hint


def test_too_many_address_lines_for_the_window_is_an_error() -> None:
    recipient = replace(RECIPIENT, address=("Building 4", "Floor 3", "Hauptstraße 5", "10115 Berlin", "Germany"))
    with pytest.raises(LetterFormatError, match="8 lines; an envelope window shows 6"):
        render_pdf(letter(recipient=recipient), "letter")


@pytest.mark.parametrize(
    ("field", "fix"),
    [
        ("company", "shorten the company's name"),
        ("name", "shorten the interviewer's name"),
        ("title", "shorten their title"),
        ("address", "break it into two lines in the company's address"),
    ],
)
def test_an_address_line_wider_than_the_window_is_an_error_that_names_what_to_shorten(field: str, fix: str) -> None:
    long = "The Extraordinarily Long-Named International Holding Company of Berlin"
    recipient = replace(RECIPIENT, **{field: (long,) if field == "address" else long})
    with pytest.raises(LetterFormatError, match="wider than the envelope window") as caught:
        render_pdf(letter(recipient=recipient), "a4")
    assert caught.value.hint is not None and caught.value.hint.startswith(fix)


def test_a_sender_address_longer_than_the_room_above_the_window_is_an_error() -> None:
    sender = replace(SENDER, address=tuple(f"Line {number}" for number in range(11)))
    with pytest.raises(LetterFormatError, match="your address has 11 lines") as caught:
        render_pdf(letter(sender=sender), "a4")
    assert caught.value.hint is not None and "followup profile --address" in caught.value.hint
    render_pdf(letter(sender=replace(SENDER, address=sender.address[:10])), "a4")  # ten fit


def test_a_letter_without_sender_details_subject_or_name_still_prints() -> None:
    parts = replace(letter(sender=Sender(), subject=None), signed_name="")
    assert render_pdf(parts, "a4").startswith(b"%PDF-")


def test_fpdf2_is_loaded_only_when_a_pdf_is_made() -> None:
    import sys

    code = (
        "import sys\n"
        "import followup.letter_parts, followup.letter_eml, followup.letter_pdf\n"
        "followup.letter_pdf.default_paper()\n"
        "assert 'fpdf' not in sys.modules, 'fpdf imported too early'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr


@needs_poppler
def test_a_long_sender_email_stays_whole_and_a_long_sender_block_keeps_clear_of_the_window(tmp_path: Path) -> None:
    email = "zoe.nguyen-tran.applications@very-long-domain-name.example"
    sender = replace(SENDER, email=email)
    assert email in poppler("pdftotext", write(tmp_path, letter(sender=sender), "letter"), "-")
    many = replace(SENDER, address=tuple(f"Line{n} of the sender" for n in range(1, 10)))
    for paper in PAPERS:
        left, top, width, _ = LAYOUTS[paper].window
        for text, x0, y0, _, _ in words(write(tmp_path, letter(sender=many), paper)):
            if text.startswith("Line") and y0 + 5 > top:
                assert x0 > left + width, f"{text} at ({x0:.0f}, {y0:.0f}) mm runs into the window on {paper}"


def test_a_return_address_too_long_for_the_window_is_left_out() -> None:
    sender = replace(
        SENDER, address=("An Extremely Long Street Name That Goes On and On 1234", "75011 Paris", "France")
    )
    assert render_pdf(letter(sender=sender), "a4").startswith(b"%PDF-")
