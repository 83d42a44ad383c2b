"""Names and limits that many modules share, in a module that imports nothing heavy."""

from __future__ import annotations

import re
from typing import Literal, get_args

Outcome = Literal["offer", "rejected", "withdrawn", "no-response"]
OUTCOMES: tuple[str, ...] = get_args(Outcome)
Status = Literal["pending", "done", "skipped"]

DEFAULT_CHECKLIST = "post-interview"
LOCK_TIMEOUT = 10.0
STORE_NAME = "followup.json"
INDEX_NAME = "pending.json"
LOCK_NAME = "followup.lock"
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# The years a time may fall in, wherever it comes from (WHEN, the store, an import):
# far enough for any interview, near enough that adding a checklist's spans never overflows.
FIRST_YEAR = 1900
# What no text followup keeps may hold: the C0 controls but tab and newline (a terminal
# obeys them: ESC starts ANSI and OSC sequences). `followup.rules.plain` applies it.
TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
LAST_YEAR = 2200
# The changes plain `followup undo` can walk back through (the journal keeps what each replaced).
JOURNAL_LIMIT = 20
