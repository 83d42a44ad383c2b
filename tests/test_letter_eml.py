"""Email drafts parse back, with the email package, to the same To, From, Subject and body."""

from __future__ import annotations

import email
import email.policy
import unicodedata
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from email.header import decode_header, make_header
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followup.letter_eml import build_draft, draft_bytes, mailto_url
from followup.letter_parts import LetterFormatError, LetterParts, Recipient, Sender

WHEN = datetime(2026, 12, 1, 15, 0, tzinfo=timezone(timedelta(hours=1)))


def letter(recipient: Recipient, sender: Sender = Sender(), subject: str | None = "Thank you") -> LetterParts:
    return LetterParts(
        sender=sender,
        recipient=recipient,
        date_line="1 December 2026",
        subject=subject,
        salutation=f"Dear {recipient.name},",
        paragraphs=("Thank you for the interview on Friday.", "A second paragraph, ünïcödé and all."),
        closing="Best regards,",
        signed_name=sender.name or "Zoë",
    )


def to_name(raw: bytes) -> str:
    """The display name of the draft's To, as a mail program reads it.

    RFC 2047 §6.2: white space between two encoded words is ignored. Python's
    address parser keeps it (CPython gh-128110, fixed upstream in 2026), so a
    non-ASCII name long enough to be folded over two encoded words, such as
    "Дмитрий Александрович Константинопольский", would come back from
    policy.default with a space inside a word. A folded To is decoded here
    with `decode_header`, which follows §6.2; any other To with policy.default.
    """
    message = email.message_from_bytes(raw, policy=email.policy.default)
    folded = email.message_from_bytes(raw, policy=email.policy.compat32)["To"]
    if "\n" not in folded:
        return str(message["To"].addresses[0].display_name)
    return str(make_header(decode_header(folded.rsplit("<", 1)[0]))).strip()


def parsed(parts: LetterParts) -> EmailMessage:
    message = email.message_from_bytes(draft_bytes(parts, when=WHEN), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


@pytest.mark.parametrize(
    ("name", "address"),
    [
        ("Ana López", "ana@acme.example"),
        ("Łukasz Żółć", "lukasz@firma.example"),
        ("Ελένη Παπαδοπούλου", "eleni@example.gr"),
        ("Дмитрий Иванов", "d.ivanov@example.ru"),
        ("山田 太郎", "yamada@example.jp"),
        ("Дмитрий Александрович Константинопольский", "dmitry@example.ru"),
        ("Smith, Jo", "jo@example.com"),
        ('Jo "JJ" Smith', "jo@example.com"),
        ("O'Brien (Panel lead)", "ob@example.com"),
    ],
)
def test_a_draft_parses_back_with_the_same_to_from_subject_and_body(name: str, address: str) -> None:
    sender = Sender(name="Zoë Nguyễn", email="zoe@example.org")
    parts = letter(Recipient(name=name, email=address), sender, subject=f"Merci, {name} — ¡gracias!")
    message = parsed(parts)
    (to,) = message["To"].addresses
    assert (to_name(draft_bytes(parts, when=WHEN)), to.addr_spec) == (name, address)
    (frm,) = message["From"].addresses
    assert (frm.display_name, frm.addr_spec) == ("Zoë Nguyễn", "zoe@example.org")
    assert message["Subject"] == f"Merci, {name} — ¡gracias!"
    body = message.get_body(("plain",))
    assert body is not None and body.get_content_charset() == "utf-8"
    # RFC 5322 lines end in CRLF on the wire and in the file; the text is the same.
    assert body.get_content().replace("\r\n", "\n") == parts.body_text()


def test_the_draft_is_marked_unsent_dated_and_identified() -> None:
    message = parsed(letter(Recipient("Ana López", email="ana@acme.example"), Sender(email="zoe@example.org")))
    assert message["X-Unsent"] == "1"
    assert message["MIME-Version"] == "1.0"
    assert message["Date"].datetime == WHEN
    assert message["Message-ID"].endswith("@example.org>")
    assert message.get_content_type() == "text/plain"
    assert len(message.get_all("MIME-Version") or []) == 1


def test_the_to_header_is_encoded_not_raw_utf8() -> None:
    raw = draft_bytes(letter(Recipient("Ana López", email="ana@acme.example")), when=WHEN)
    headers = raw.split(b"\r\n\r\n", 1)[0]
    assert headers.isascii()
    assert b"<ana@acme.example>" in headers
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")


def test_without_a_sender_address_there_is_no_from() -> None:
    message = parsed(letter(Recipient("Ana López", email="ana@acme.example"), Sender(name="Zoë")))
    assert message["From"] is None
    assert message["Message-ID"].endswith("@followup.invalid>")


def test_without_a_subject_there_is_no_subject_header() -> None:
    message = parsed(letter(Recipient("Ana López", email="ana@acme.example"), subject=None))
    assert message["Subject"] is None


def test_an_international_domain_is_written_in_ascii() -> None:
    message = parsed(letter(Recipient("Jürgen", email="jurgen@bücher.example")))
    assert message["To"].addresses[0].addr_spec == "jurgen@xn--bcher-kva.example"


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("ana@faß.de", "ana@xn--fa-hia.de"),
        ("bo@ＥＸＡＭＰＬＥ.com", "bo@example.com"),
        ("ana@Acme.Example", "ana@acme.example"),
    ],
)
def test_a_domain_is_written_by_idna_2008_not_2003(typed: str, sent: str) -> None:
    """IDNA 2003 (Python's codec) made faß.de into fass.de: another domain, another person."""
    assert parsed(letter(Recipient("Ana", email=typed)))["To"].addresses[0].addr_spec == sent


def test_no_address_is_a_plain_error_that_says_how_to_add_one() -> None:
    with pytest.raises(LetterFormatError) as caught:
        build_draft(letter(Recipient("Ana López")), when=WHEN)
    assert "no email address for Ana López" in caught.value.message
    assert caught.value.hint is not None and '--contact "Ana López <' in caught.value.hint
    assert caught.value.exit_code == 1


@pytest.mark.parametrize("address", ["ana", "ana@", "@acme.example", "a@b@c", "anä@acme.example", "ana@acme .example"])
def test_a_bad_address_is_a_plain_error(address: str) -> None:
    with pytest.raises(LetterFormatError) as caught:
        build_draft(letter(Recipient("Ana", email=address)), when=WHEN)
    assert repr(address) in caught.value.message


def test_a_naive_date_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="zone-aware"):
        build_draft(letter(Recipient("Ana", email="ana@acme.example")), when=datetime(2026, 12, 1))


def test_mailto_carries_the_address_subject_and_body() -> None:
    parts = letter(Recipient("Ana López", email="ana@acme.example"), subject="Thank you & more? 100%")
    url = mailto_url(parts)
    split = urlsplit(url)
    assert split.scheme == "mailto"
    assert unquote(split.path) == "ana@acme.example"
    assert url.isascii() and " " not in url and "\n" not in url
    query = parse_qs(split.query)
    assert query["subject"] == ["Thank you & more? 100%"]
    assert query["body"] == [parts.body_text().replace("\n", "\r\n")]
    assert "%0D%0A" in url


def test_mailto_needs_an_address_too() -> None:
    with pytest.raises(LetterFormatError, match="no email address"):
        mailto_url(letter(Recipient("Ana López")))


# Names and subjects as people type them: letters, marks, digits, punctuation and spaces in any script.
TYPED = st.text(
    st.characters(categories=("L", "M", "N", "P", "S", "Zs"), exclude_characters="\u2028\u2029\x85"), min_size=1
).map(lambda text: " ".join(text.split()))


@pytest.mark.parametrize(
    "name",
    [
        "0 0000\u0800\u0800\u0800\u0800\u0800\u0800\u0800\u0800\u0800\u0800\u0800\u0800\u0800 )",
        "Дмитрий Александрович Константинопольский фон Штрудельбергер",
    ],
)
def test_a_long_name_keeps_every_space_where_it_is_folded(name: str) -> None:
    """The space that `email`'s own folder left between two encoded words, where RFC 2047 drops it."""
    raw = draft_bytes(letter(Recipient(name=name, email="ana@acme.example")), when=WHEN)
    headers = raw.split(b"\r\n\r\n", 1)[0]
    assert b"\r\n =?utf-8?" in headers  # folded over several encoded words
    assert to_name(raw) == name
    assert all(len(line) <= 78 for line in headers.split(b"\r\n"))


@settings(max_examples=150, deadline=None)
@given(name=TYPED.filter(bool), subject=TYPED.filter(bool), paragraph=TYPED.filter(bool))
def test_any_name_subject_and_body_round_trip(name: str, subject: str, paragraph: str) -> None:
    parts = replace(letter(Recipient(name=name, email="ana@acme.example"), subject=subject), paragraphs=(paragraph,))
    message = parsed(parts)
    assert to_name(draft_bytes(parts, when=WHEN)) == unicodedata.normalize("NFC", name)
    assert message["Subject"] == unicodedata.normalize("NFC", subject)
    body = message.get_body(("plain",))
    assert body is not None
    assert body.get_content().replace("\r\n", "\n") == parts.normalised().body_text()
