"""What one sync did (or, with --dry-run, would do), as a line or two and as JSON."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from followup.sync.local import LocalChange


@dataclass
class Summary:
    sent_new: int = 0
    sent_changed: int = 0
    removed: int = 0
    received_done: int = 0
    received_reopened: int = 0
    received_moved: int = 0
    received_skipped: int = 0
    conflicts: list[str] = field(default_factory=list)
    dry_run: bool = False

    def count_received(self, changes: Iterable[LocalChange]) -> None:
        """The `received` counts: one per change to a step, by kind."""
        kinds = [change.kind for change in changes]
        self.received_done = kinds.count("done")
        self.received_reopened = kinds.count("pending")
        self.received_skipped = kinds.count("skipped")
        self.received_moved = kinds.count("due")

    @property
    def changed_anything(self) -> bool:
        return any(
            count for name, count in asdict(self).items() if isinstance(count, int) and not isinstance(count, bool)
        )

    def text(self) -> str:
        """ "sent 7 new, 1 changed, 2 removed; received 2 done, 1 moved", and a line per conflict."""
        sent = _parts([(self.sent_new, "new"), (self.sent_changed, "changed"), (self.removed, "removed")])
        received = _parts(
            [
                (self.received_done, "done"),
                (self.received_reopened, "reopened"),
                (self.received_moved, "moved"),
                (self.received_skipped, "skipped"),
            ]
        )
        halves = [f"sent {sent}" if sent else "", f"received {received}" if received else ""]
        line = "; ".join(h for h in halves if h) or "nothing to sync: both sides agree"
        if self.dry_run:
            line = f"would have {line}" if self.changed_anything else line
            line += " (dry run: nothing changed)"
        return "\n".join([line, *self.conflicts])

    def as_json(self) -> dict[str, Any]:
        return {
            "sent": {"new": self.sent_new, "changed": self.sent_changed, "removed": self.removed},
            "received": {
                "done": self.received_done,
                "reopened": self.received_reopened,
                "moved": self.received_moved,
                "skipped": self.received_skipped,
            },
            "conflicts": list(self.conflicts),
            "dry_run": self.dry_run,
        }


def _parts(counts: list[tuple[int, str]]) -> str:
    return ", ".join(f"{count} {word}" for count, word in counts if count)
