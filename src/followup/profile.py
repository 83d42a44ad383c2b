"""The user's own details, kept once for every letter: name, postal address, email, phone.

They live in `profile.json` in the followup folder, beside the store but not in
it: they are not about an interview, so they are neither undone by `undo` nor
replaced by `import`, an export of the interviews does not carry them, and
`letter` reads one small file instead of the store. The file is written
atomically (temp file, fsync, rename) with owner-only permissions, under the
store's lock, like every file followup keeps. `FOLLOWUP_NAME` still overrides
the name, for a one-off letter signed otherwise.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from followup.errors import FollowupError, UsageError
from followup.letter_parts import Sender

PROFILE_NAME = "profile.json"
VERSION = 1
FIELDS = ("name", "address", "email", "phone")
# C0 controls but tab and newline, as in every text followup keeps (constants.TEXT_CONTROL, without loading
# pydantic), and here DEL and the C1 controls too: U+009B is a CSI some terminals obey, and the PDF
# letter refuses them all (its font has none), so they are refused when typed, not at the first letter.
# The store's rule (constants.TEXT_CONTROL) stays as it is, so that stores with them keep loading.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Profile:
    """The sender's details; "" for what is not known. `address` has its lines separated by newlines."""

    name: str = ""
    address: str = ""
    email: str = ""
    phone: str = ""

    def sender(self, name_override: str = "") -> Sender:
        """The sender of a letter; `name_override` (FOLLOWUP_NAME) wins over the name."""
        return Sender(
            name=name_override.strip() or self.name,
            address=tuple(line for line in self.address.splitlines() if line.strip()),
            email=self.email,
            phone=self.phone,
        )

    def to_json(self) -> dict[str, str | None]:
        return {key: value or None for key, value in asdict(self).items()}


def path_in(home: Path) -> Path:
    return home / PROFILE_NAME


def load(home: Path) -> Profile:
    """The profile kept in `home`, or an empty one; a FollowupError for a damaged file."""
    from followup.store.files import NotRegular, read_regular

    path = path_in(home)
    try:
        raw = read_regular(path)  # never blocks on a FIFO put in its place
    except FileNotFoundError:
        return Profile()
    except NotRegular as exc:
        raise _damaged(path, f"it is {exc.kind}, not a file") from None
    except OSError as exc:
        raise FollowupError(f"cannot read your profile {path}: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _damaged(path, f"not valid JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise _damaged(path, f"expected an object with version {VERSION}")
    unknown = sorted(set(data) - {"version", *FIELDS})
    if unknown:
        raise _damaged(path, f"unknown field {unknown[0]!r}")
    values: dict[str, Any] = {key: data.get(key) or "" for key in FIELDS}
    if not all(isinstance(value, str) for value in values.values()):
        raise _damaged(path, "every field is text")
    controlled = next((key for key, value in values.items() if CONTROL.search(value)), None)
    if controlled:
        raise _damaged(path, f"its {controlled} holds a control character")
    return Profile(**values)


def updated(profile: Profile, changes: dict[str, str]) -> Profile:
    """The profile with `changes` (field to new text; "" clears it), each trimmed:
    the address line by line, the other fields on one line."""
    clean = {}
    for key, value in changes.items():
        if key not in {f.name for f in fields(Profile)}:
            raise ValueError(key)
        found = CONTROL.search(value)
        if found:
            raise UsageError(
                f"--{key}: holds the control character U+{ord(found.group()):04X} at character {found.start() + 1}",
                "type the text again without it",
            )
        if key == "address":
            lines = [" ".join(line.split()) for line in value.replace("\\n", "\n").splitlines()]
            clean[key] = "\n".join(line for line in lines if line)
        else:
            clean[key] = " ".join(value.split())
    return replace(profile, **clean)


def save(home: Path, profile: Profile) -> None:
    """Write the profile atomically, owner-only (the folder is made if missing)."""
    from followup.escape import json_text
    from followup.store.files import write_atomic

    path = path_in(home)
    data = {"version": VERSION, **{key: value for key, value in asdict(profile).items() if value}}
    try:
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_atomic(path, json_text(data).encode("utf-8"))
    except OSError as exc:
        raise FollowupError(
            f"could not save your profile {path}: {exc.strerror or exc}; nothing changed",
            "check the free space and permissions of that folder",
        ) from None


def _damaged(path: Path, why: str) -> FollowupError:
    return FollowupError(
        f"your profile {path} is damaged: {why}",
        "fix the file (it is JSON), or delete it and set your details again with `followup profile`",
    )
