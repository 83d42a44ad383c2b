"""Interviewers as people write them: `Ana López <ana@acme.example>`, or a plain name.

The `Name <email>` form is the one people know from email and git. It is read
with the standard `email` package, and the address is checked the way a draft
will need it (`letter_eml`), so that a mistyped address is refused when it is
typed (exit 2, in words), not weeks later when the letter is due.

`--title "Ana=Head of Data"` gives a title: the name (or its start, as
`letter --to` takes it), `=`, the title (`people.split_pair` finds the `=`). Pure functions, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from followup.errors import NotFound, UsageError
from followup.people import matching_names, split_pair

if TYPE_CHECKING:
    from followup.models import Contact, Interview

_EXAMPLE = 'write it like "Ana López <ana@acme.example>", or the name alone'
# Something that looks like an address: no spaces, one @ with text on both sides, a dot after it.
_ADDRESS = re.compile(r"[^@\s<>(),;:\"\[\]\\]+@[^@\s<>(),;:\"\[\]\\]+\.[^@\s<>(),;:\"\[\]\\.]+")


@dataclass(frozen=True)
class Person:
    """A name and, if given, an email address (`email` is "" without one)."""

    name: str
    email: str = ""


def parse_person(text: str, option: str = "--interviewer") -> Person:
    """`Ana López <ana@acme.example>`, `<ana@…>` alone is refused (a letter needs a
    name), `Ana López` is a name without an address; a malformed address is a
    UsageError that says what is wrong."""
    if "<" not in text and ">" not in text and "@" not in text:
        return Person(text.strip())  # a plain name, kept as typed
    text = " ".join(text.split())
    from email.utils import parseaddr

    name, address = parseaddr(text)
    name = " ".join(name.split())
    if not address or not text.endswith(">") or text.count("<") != 1:
        raise UsageError(f"{option}: {text!r} is not a name with an email address", _EXAMPLE)
    if not name:
        before, _, inside = text.partition("<")
        before = before.strip()
        if "," in before:  # `Doe, John <j@x>` reads as two addresses, the first without one
            hint = f"put a name with a comma in double quotes: {option} '\"{before}\" <{inside.rstrip('>')}>'"
            raise UsageError(f"{option}: {text!r}: a comma separates addresses", hint)
        raise UsageError(f"{option}: {text!r} has an email address but no name", _EXAMPLE)
    return Person(name, check_address(address, option))


def check_address(address: str, option: str) -> str:
    """`address` if it is an email address a draft can be sent to, else a UsageError."""
    from email.errors import HeaderParseError
    from email.headerregistry import Address

    address = address.strip()
    if not _ADDRESS.fullmatch(address):
        raise UsageError(f"{option}: {address!r} is not an email address", "write it like ana@acme.example")
    try:
        checked = Address(addr_spec=_ascii(address))
    except (HeaderParseError, ValueError, IndexError, UnicodeError):
        raise UsageError(f"{option}: {address!r} is not an email address", "write it like ana@acme.example") from None
    if not checked.username.isascii():
        raise UsageError(
            f"{option}: {address!r} has letters outside ASCII before the @, which few mail servers accept",
            "check the address with its owner",
        )
    return address


def _ascii(address: str) -> str:
    from followup.domains import ascii_domain

    local, _, domain = address.rpartition("@")
    return f"{local}@{ascii_domain(domain)}"


def parse_people(texts: list[str], option: str = "--interviewer") -> list[Person]:
    """Every `--interviewer` that names someone, in order, as given (a repeated name
    stays repeated, as before contacts; the first address given for a name wins)."""
    people = [parse_person(text, option) for text in texts]
    return [person for person in people if person.name]


def with_contacts(interview: Interview, people: list[Person]) -> list[Contact]:
    """The interview's contacts with the emails of `people` set (others kept),
    for the interviewers who are still on the panel."""
    from followup.models import Contact

    contacts = {c.name: c for c in interview.contacts if c.name in interview.interviewers}
    given: set[str] = set()  # the first address given for a repeated name wins
    for person in people:
        if person.email and person.name not in given:
            given.add(person.name)
            old = contacts.get(person.name, Contact(name=person.name))
            contacts[person.name] = _changed(old, "--interviewer", email=person.email)
    return list(contacts.values())


def set_contacts(interview: Interview, contact: list[str], title: list[str], panel: list[str]) -> list[Contact]:
    """The contacts after `edit --contact "Name <email>"` and `--title "Name=Title"`,
    on the panel `panel` (the interview's, or the one the edit gives it).

    Both name an interviewer as `letter --to` does (a name that is not on the
    panel is an error: adding a person is `--add-interviewer`'s job); a
    `--contact` with the name alone, or an empty title, clears it.
    """
    from followup.models import Contact

    contacts = {c.name: c for c in interview.contacts if c.name in panel}
    for text in contact:
        person = parse_person(text, "--contact")
        found = _one(panel, person.name, "--contact", interview.id)
        old = contacts.get(found, Contact(name=found))
        contacts[found] = _changed(old, "--contact", email=person.email or None)
    for text in title:
        who, what = split_pair(text, panel, "--title", "NAME=TITLE", '"Ana=Head of Data"')
        found = _one(panel, who, "--title", interview.id)
        old = contacts.get(found, Contact(name=found))
        contacts[found] = _changed(old, "--title", title=" ".join(what.split()) or None)
    kept = [c for c in contacts.values() if c.email or c.title]
    return sorted(kept, key=lambda c: panel.index(c.name))


def _changed(old: Contact, option: str, **changes: str | None) -> Contact:
    """`old` with `changes`, validated as every contact is (a copy would skip the checks)."""
    from pydantic import ValidationError

    from followup.models import Contact

    try:
        return Contact.model_validate({**old.model_dump(), **changes})
    except ValidationError as exc:
        raise UsageError(f"{option}: {exc.errors()[0]['msg']}") from None


def _one(panel: list[str], wanted: str, option: str, interview_id: str) -> str:
    matches = matching_names(panel, wanted)
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise NotFound(
            f"{option} {wanted!r} matches several interviewers: {', '.join(matches)}", "type more of the name"
        )
    listed = ", ".join(panel) or "none"
    raise NotFound(
        f"{interview_id} has no interviewer {wanted!r} (interviewers: {listed})",
        "add one with --add-interviewer",
    )


def address_text(text: str) -> str | None:
    """`--address`: lines separated by newlines or a typed `\\n`, each trimmed; None when empty.
    A control character is refused here, when it is typed (as the model would refuse it)."""
    from followup.constants import TEXT_CONTROL as CONTROL

    found = CONTROL.search(text)
    if found:
        raise UsageError(
            f"--address: holds the control character U+{ord(found.group()):04X} at character {found.start() + 1}",
            "type the address again without it",
        )
    lines = [" ".join(line.split()) for line in text.replace("\\n", "\n").splitlines()]
    kept = [line for line in lines if line]
    return "\n".join(kept) or None
