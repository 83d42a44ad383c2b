"""The sync state file: per to-do its href, ETag and the values last agreed.

It is the base of the three-way merge and the memory of which to-dos are
followup's. It also keeps the list's URL and the sync token (RFC 6578). The
file sits in the followup folder, owner-only, written atomically (the caller
holds the store's lock). Losing it loses nothing: the next sync reads the
whole list and adopts the to-dos it finds under followup's UIDs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from followup.errors import FollowupError
from followup.store.files import write_atomic
from followup.sync.merge import Values

STATE_FILE = "caldav-sync.json"
VERSION = 1


@dataclass
class Entry:
    """One of followup's to-dos. `href` None: deleted on the phone, the step skipped for it."""

    href: str | None
    etag: str | None
    base: Values


@dataclass
class SyncState:
    list_url: str | None = None
    list_name: str | None = None
    sync_token: str | None = None
    syncs_since_full: int = 0
    todos: dict[str, Entry] = field(default_factory=dict)  # by UID
    foreign: dict[str, str] = field(default_factory=dict)  # href -> ETag of to-dos that are not followup's

    def by_href(self) -> dict[str, str]:
        return {entry.href: uid for uid, entry in self.todos.items() if entry.href}


def load(path: Path) -> SyncState:
    """The state, or an empty one when there is no file yet."""
    try:
        from followup.store.files import read_regular

        raw = json.loads(read_regular(path).decode("utf-8"))  # a FIFO is refused, not waited on
        if raw.get("version") != VERSION:
            raise ValueError(f"version {raw.get('version')!r}")
        return SyncState(
            list_url=raw["list_url"],
            list_name=raw["list_name"],
            sync_token=raw["sync_token"],
            syncs_since_full=int(raw["syncs_since_full"]),
            todos={uid: _entry(item) for uid, item in raw["todos"].items()},
            foreign=dict(raw["foreign"]),
        )
    except FileNotFoundError:
        return SyncState()
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise FollowupError(
            f"the sync state {path} cannot be read ({error})",
            hint=f"move it aside: the next sync adopts the to-dos already on the server. ({path})",
        ) from error


def save(path: Path, state: SyncState) -> None:
    data = {
        "version": VERSION,
        "list_url": state.list_url,
        "list_name": state.list_name,
        "sync_token": state.sync_token,
        "syncs_since_full": state.syncs_since_full,
        "todos": {uid: _entry_json(entry) for uid, entry in sorted(state.todos.items())},
        "foreign": dict(sorted(state.foreign.items())),
    }
    write_atomic(path, (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode())


def _entry(item: dict[str, Any]) -> Entry:
    base = item["base"]
    done_at = base["done_at"]
    return Entry(
        href=item["href"],
        etag=item["etag"],
        base=Values(
            status=base["status"],
            due=datetime.fromisoformat(base["due"]),
            done_at=datetime.fromisoformat(done_at) if done_at else None,
            summary=base["summary"],
            description=base["description"],
            categories=tuple(base["categories"]),
        ),
    )


def _entry_json(entry: Entry) -> dict[str, Any]:
    base = entry.base
    return {
        "href": entry.href,
        "etag": entry.etag,
        "base": {
            "status": base.status,
            "due": base.due.isoformat(),
            "done_at": base.done_at.isoformat() if base.done_at else None,
            "summary": base.summary,
            "description": base.description,
            "categories": list(base.categories),
        },
    }
