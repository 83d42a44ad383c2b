"""The JSON backup: `followup export` writes it and `followup import` reads it.

`{"version": 1, "exported_at": ..., "interviews": [...]}`, each interview as
the store keeps it. `import` also takes a bare list of interview objects, as
`followup list --all --json` prints them, with the keys worked out for the
moment of printing (`overdue` and so on) taken out again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from followup.errors import FollowupError
from followup.render.escape import json_list, json_member, json_text

if TYPE_CHECKING:
    from followup.models import Interview

VERSION = 1


def backup_text(interviews: list[Interview], now: datetime) -> str:
    """The whole store as the backup file's text."""
    data = {
        "version": VERSION,
        "exported_at": now.isoformat(),
        "interviews": [interview.model_dump(mode="json") for interview in interviews],
    }
    return json_text(data)


def backup_member(interview: Interview) -> str:
    """One interview's text in the backup file: `backup_pieces` joins them."""
    return json_member(interview.model_dump(mode="json"), depth=2)


def backup_pieces(members: Iterable[str], now: datetime) -> Iterator[str]:
    """The text of `backup_text`, in pieces, from the `backup_member` texts of the
    interviews: an export holds one interview's model at a time, not 10,000."""
    yield f'{{\n  "version": {json.dumps(VERSION)},\n  "exported_at": {json.dumps(now.isoformat())},\n  "interviews": '
    yield from json_list(members, depth=2)
    yield "\n}\n"


def read_backup(text: str, name: str) -> list[Interview]:
    """The interviews of a backup (or of `list --all --json`) named `name` in
    messages, validated as the store validates its own; FollowupError if not."""
    from followup.store.format import Damage, validate_interviews
    from followup.views import without_computed

    items = _interview_items(text, name)
    try:
        return validate_interviews([without_computed(item) for item in items])
    except Damage as exc:
        raise FollowupError(f"{name}: {exc}; nothing changed") from None


def _interview_items(text: str, name: str) -> list[Any]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise FollowupError(f"{name} is not valid JSON: {exc}; nothing changed") from None
    if isinstance(data, list):  # interview objects, as `followup list --all --json` prints them
        return data
    if not isinstance(data, dict) or not isinstance(data.get("interviews"), list):
        raise FollowupError(f"{name} is not a followup export (no list of interviews); nothing changed")
    if data.get("version") != VERSION:
        raise FollowupError(f"{name} is an export of format {data.get('version')!r}; this followup reads {VERSION}")
    items: list[Any] = data["interviews"]
    return items
