"""The text a letter template produces comes apart into LetterParts, losing nothing."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from followup.letter_parts import LetterParts, Recipient, Sender, parse_letter
from followup.letters import PLACEHOLDER, builtin_dir, compile_template, locate

ANA = Recipient(name="Ana López", title="Head of Data", company="Acme Corp", email="ana@acme.example")
ZOE = Sender(name="Zoë Nguyễn", email="zoe@example.org")


def values(**changes: Any) -> dict[str, Any]:
    """What `letters.fields` gives a template, without needing an Interview."""
    zone = timezone(timedelta(hours=1))
    base = {
        "interviewer": "Ana López",
        "named": True,
        "first_name": "Ana",
        "interviewers": ["Ana López"],
        "company": "Acme Corp",
        "role": "Data Engineer",
        "date": "Friday 27 November",
        "today": "1 December 2026",
        "at": datetime(2026, 11, 27, 10, tzinfo=zone),
        "now": datetime(2026, 12, 1, 15, tzinfo=zone),
        "note": "We talked about streaming.",
        "has_note": True,
        "your_name": "Zoë Nguyễn",
        "video": False,
        "id": "acme-corp-1127",
    }
    return {**base, **changes}


def render(name: str, **changes: Any) -> str:
    template = compile_template(locate(name, builtin_dir()))
    return template.render(values(**changes)).rstrip() + "\n"


def test_the_mail_template_comes_apart() -> None:
    parts = parse_letter(render("mail"), sender=ZOE, recipient=ANA, date_line="unused")
    assert parts.date_line == "1 December 2026"
    assert parts.subject is None
    assert parts.salutation == "Dear Ana López,"
    assert len(parts.paragraphs) == 3
    assert parts.paragraphs[0].startswith("Thank you for taking the time")
    assert parts.paragraphs[1] == "We talked about streaming."
    assert parts.closing == "Yours sincerely,"
    assert parts.signed_name == "Zoë Nguyễn"
    assert parts.sender == ZOE and parts.recipient == ANA


def test_the_email_template_comes_apart_and_its_body_is_what_the_template_wrote() -> None:
    text = render("email")
    parts = parse_letter(text, sender=ZOE, recipient=ANA, date_line="1 December 2026")
    assert parts.subject == "Thank you for the Data Engineer interview"
    assert parts.date_line == "1 December 2026"  # the template has none: the one given
    assert parts.salutation == "Dear Ana López,"
    assert parts.closing == "Best regards,"
    assert parts.signed_name == "Zoë Nguyễn"
    # The email body is the template's text after its Subject line, unchanged.
    assert parts.body_text() == text.split("\n", 2)[2]


def test_without_the_users_name_the_signature_line_is_not_a_name() -> None:
    parts = parse_letter(render("mail", your_name=""), sender=Sender(), recipient=ANA)
    assert parts.closing == "Yours sincerely,"
    assert parts.signed_name == ""


def test_the_placeholder_note_stays_a_paragraph() -> None:
    parts = parse_letter(render("mail", note=PLACEHOLDER, has_note=False), sender=ZOE, recipient=ANA)
    assert PLACEHOLDER in parts.paragraphs


def test_the_hiring_team_salutation() -> None:
    text = render("email", named=False, interviewer="the hiring team")
    assert parse_letter(text, sender=ZOE, recipient=Recipient("the hiring team")).salutation == "Dear hiring team,"


def test_a_letter_of_any_shape_loses_no_text() -> None:
    text = "Some words first.\nOn two lines.\n\nAnd more, with no salutation and no closing.\n"
    parts = parse_letter(text, sender=ZOE, recipient=ANA, date_line="today")
    assert parts.paragraphs == ("Some words first.\nOn two lines.", "And more, with no salutation and no closing.")
    assert (parts.salutation, parts.closing, parts.signed_name, parts.date_line) == ("", "", "", "today")


def test_windows_line_ends_and_decomposed_letters_are_normalised() -> None:
    decomposed = "Nguye\u0302\u0303n"  # e + circumflex + tilde, as some keyboards type it
    text = f"Subject: Hi\r\n\r\nDear {decomposed},\r\n\r\nThanks.\r\n\r\nBest,\r\n{decomposed}\r\n"
    parts = parse_letter(text, sender=ZOE, recipient=ANA)
    assert parts.salutation == "Dear Nguyễn,"
    assert parts.signed_name == "Nguyễn"
    assert parts.paragraphs == ("Thanks.",)


@pytest.mark.parametrize("closing", ["Kind regards,", "Thanks again,", "Yours faithfully,"])
def test_other_closings(closing: str) -> None:
    parts = parse_letter(f"Dear Ana,\n\nThank you.\n\n{closing}\nZoë\n", sender=ZOE, recipient=ANA)
    assert (parts.closing, parts.signed_name, parts.paragraphs) == (closing, "Zoë", ("Thank you.",))


def test_texts_name_every_field_for_error_messages() -> None:
    parts = parse_letter(render("mail"), sender=ZOE, recipient=ANA)
    texts = parts.texts()
    assert texts["the interviewer's name"] == "Ana López"
    assert texts["the company"] == "Acme Corp"
    assert texts["paragraph 2 of the letter"] == "We talked about streaming."


def test_parts_are_frozen() -> None:
    parts = parse_letter(render("mail"), sender=ZOE, recipient=ANA)
    assert isinstance(parts, LetterParts)
    with pytest.raises(AttributeError):
        parts.subject = "changed"  # type: ignore[misc]
