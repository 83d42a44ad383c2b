"""A letter as an email draft (an RFC 5322 `.eml` file), or as a `mailto:` link.

The draft is built with the standard `email` package (policy `default`), so
names and subjects in any script are encoded the way mail programs expect
(`To: =?utf-8?q?Ana_L=C3=B3pez?= <ana@acme.example>`) and the file parses back
to the same text. `X-Unsent: 1` makes Outlook (and Thunderbird) open the file
as a draft ready to send rather than as a received message.

A draft needs the interviewer's email address: a `To:` with only a name is not
a valid address (RFC 5322 §3.4), and a draft that a mail program opens with an
empty `To:` is one more step where a thank-you gets late. So a missing address
is a LetterFormatError that says how to add it.

A long non-ASCII name is folded over several encoded words, as RFC 2047
requires (at most 75 characters each). Mail programs join them back as §6.2
says: the white space between two encoded words is not part of the name. The
`email` package's own folder of address headers can split a name at one of its
spaces and leave that space between two encoded words, where it is lost, so
`To` and `From` with a name outside ASCII are folded by `email.header.Header`,
which keeps every character of the name inside the encoded words. Python's own
address parser before CPython gh-128110 adds a space at such a join, which is
why the tests decode a folded To with `decode_header`.
"""

from __future__ import annotations

import email.policy
import email.utils
from datetime import datetime
from email.errors import HeaderParseError
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from urllib.parse import quote

from followup.letter_parts import LetterFormatError, LetterParts, NoEmailAddress, Recipient

# Message-IDs need a domain; without the sender's, one that can never be real (RFC 2606).
FALLBACK_DOMAIN = "followup.invalid"


def build_draft(parts: LetterParts, *, when: datetime, message_id: str | None = None) -> EmailMessage:
    """The draft email for one letter, dated `when` (zone-aware).

    `message_id` (like `<x@y>`) is for reproducible output; by default a new one is made.
    """
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError("the Date of a draft needs a zone-aware datetime")
    parts = parts.normalised()
    to = recipient_address(parts.recipient)
    message = EmailMessage(policy=email.policy.default)
    message["To"] = to
    sender = parts.sender
    if sender.email:
        message["From"] = _address(sender.name, sender.email, "your email address")
    if parts.subject:
        message["Subject"] = parts.subject
    message["Date"] = email.utils.format_datetime(when)
    domain = message["From"].addresses[0].domain if sender.email else FALLBACK_DOMAIN
    message["Message-ID"] = message_id or email.utils.make_msgid(domain=domain)
    message["X-Unsent"] = "1"
    message["MIME-Version"] = "1.0"
    message.set_content(parts.body_text(), subtype="plain", charset="utf-8")
    return message


def draft_bytes(parts: LetterParts, *, when: datetime, message_id: str | None = None) -> bytes:
    """The draft as the bytes of an `.eml` file (CRLF line ends, as RFC 5322 has them)."""
    message = build_draft(parts, when=when, message_id=message_id)
    return message.as_bytes(policy=_DraftPolicy(linesep="\r\n"))


class _DraftPolicy(email.policy.EmailPolicy):
    """policy.default, but `To` and `From` with a name outside ASCII folded without
    losing a space (see the module's docstring)."""

    def fold(self, name: str, value: str) -> str:
        return _fold_address(name, value, self.linesep) or super().fold(name, value)

    def fold_binary(self, name: str, value: str) -> bytes:
        folded = _fold_address(name, value, self.linesep)
        return folded.encode("ascii") if folded else super().fold_binary(name, value)


def _fold_address(name: str, value: object, linesep: str) -> str | None:
    """`Name: =?utf-8?...?= <address>` for a one-address header whose name is not ASCII, else None."""
    addresses: tuple[Address, ...] = getattr(value, "addresses", ())
    if name.lower() not in ("to", "from") or len(addresses) != 1 or addresses[0].display_name.isascii():
        return None
    address = addresses[0]
    words = Header(address.display_name, "utf-8", header_name=name).encode(linesep=linesep)
    last_line = words.rsplit(linesep, 1)[-1]
    gap = " " if len(last_line) + len(address.addr_spec) + 3 <= 78 else linesep + " "
    return f"{name}: {words}{gap}<{address.addr_spec}>{linesep}"


def mailto_url(parts: LetterParts) -> str:
    """A `mailto:` link (RFC 6068) with the address, the subject and the body.

    RFC 6068 allows only the address in the link, not the name. Every
    character outside the unreserved set is percent-encoded as UTF-8, and line
    ends in the body become CRLF (`%0D%0A`), as §5 asks.
    """
    parts = parts.normalised()
    to = recipient_address(parts.recipient)
    query = []
    if parts.subject:
        query.append("subject=" + quote(parts.subject, safe=""))
    body = parts.body_text().replace("\r\n", "\n").replace("\n", "\r\n")
    query.append("body=" + quote(body, safe=""))
    return f"mailto:{quote(to.addr_spec, safe='@')}?{'&'.join(query)}"


def recipient_address(recipient: Recipient) -> Address:
    """The interviewer as a `To:` address, or a LetterFormatError saying how to add one."""
    if not recipient.email.strip():
        raise NoEmailAddress(_plain(recipient.name))
    return _address(recipient.name, recipient.email, f"the email address of {recipient.name}")


def _address(name: str, address: str, what: str) -> Address:
    """A checked Address; an internationalised domain is written in its ASCII (IDNA) form."""
    address = address.strip()
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        raise LetterFormatError(f"{what} is not an email address: {address!r}", "write it like ana@example.com")
    if not local.isascii():
        raise LetterFormatError(
            f"{what} has letters outside ASCII before the @ ({address!r}), which few mail servers accept",
            "check the address with its owner",
        )
    try:
        from followup.domains import ascii_domain

        return Address(display_name=_plain(name), addr_spec=f"{local}@{ascii_domain(domain)}")
    except (HeaderParseError, ValueError, IndexError, UnicodeError) as exc:  # what the parser raises for junk
        raise LetterFormatError(
            f"{what} is not an email address: {address!r} ({exc})", "write it like ana@example.com"
        ) from None


def _plain(text: str) -> str:
    """A name on one line: a header cannot hold a line break."""
    return " ".join(text.split())
