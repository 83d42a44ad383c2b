"""How every command reports an error: one or two plain lines on stderr."""

from __future__ import annotations

import sys

from followup.errors import FollowupError
from followup.render.escape import never_fail_to_encode, printable

ABORTED = "\naborted; nothing changed\n"


def report(exc: FollowupError) -> None:
    """Print an error as one or two plain lines on stderr."""
    never_fail_to_encode()
    lines = exc.message.splitlines() or [""]
    sys.stderr.write("".join(f"{'error: ' if n == 0 else ''}{printable(line)}\n" for n, line in enumerate(lines)))
    if exc.hint:
        sys.stderr.write(f"{printable(exc.hint)}\n")
