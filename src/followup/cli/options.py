"""Arguments and options that several commands share, declared once, and what
the shell completes for them.

Completion runs at every press of Tab, so it reads as little as it can: the
pending index for open interviews and their steps, the store file's list of
closed ids, the checklist folders. It never raises: a damaged store, or
anything else that goes wrong, completes nothing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from followup.store.summary import Summary

# What may show as help beside a completion: zsh `eval`s it and Typer reads
# it as rich markup, so user text keeps only plain characters.
_UNSAFE_HELP = re.compile(r"[^\w .,·&()+/-]")


def complete_interview_id(incomplete: str) -> list[tuple[str, str]]:
    """Interview ids: open ones first (soonest first), then closed ones."""
    try:
        home = _home()
        open_rows = sorted(_open_summaries(home), key=lambda row: (row.at, row.id))
        items = [(row.id, _help(f"{row.company} · {row.role}")) for row in open_rows]
        open_ids = {row.id for row in open_rows}
        items += [(closed, "closed") for closed in _closed_ids(home) if closed not in open_ids]
        return [item for item in items if item[0].startswith(incomplete)]
    except Exception:
        return []


def complete_step(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Step ids of the interview already typed: pending ones, or for `undo` the finished ones."""
    try:
        ref = ctx.params.get("interview_id")
        if not isinstance(ref, str) or not ref.strip():
            return []
        typed = set(ctx.params.get("steps") or ())
        undoing = ctx.command.name == "undo"
        home = _home()
        rows = {row.id: row for row in _open_summaries(home)}
        found = _resolve(ref.strip(), [*rows, *_closed_ids(home)])  # the rule of find_interview
        if found is None:
            return []
        if found in rows and not undoing:
            items = [(step.id, _help(step.title)) for step in rows[found].pending_steps]
        else:
            from followup.store.core import Store  # closed interviews and finished steps are not in the index

            interview = Store(home).read().get(found)
            if interview is None:
                return []
            items = [(step.id, _help(step.title)) for step in interview.steps if (step.status != "pending") == undoing]
        return [item for item in items if item[0].startswith(incomplete) and item[0] not in typed]
    except Exception:
        return []


def complete_outcome(incomplete: str) -> list[str]:
    """The outcomes `close --outcome` takes."""
    from followup.constants import OUTCOMES

    return [outcome for outcome in OUTCOMES if outcome.startswith(incomplete)]


def complete_checklist(incomplete: str) -> list[tuple[str, str]]:
    """Checklist names, yours and built-in; nothing for a path, so that the shell completes files."""
    try:
        if "/" in incomplete or incomplete.startswith((".", "~")):
            return []
        from followup import checklists
        from followup.cli.context import current

        entries = checklists.available(current().checklist_dir)
        return [(entry.name, entry.source) for entry in entries if entry.name.startswith(incomplete)]
    except Exception:
        return []


def _home() -> Path:
    from followup.cli.context import current

    return current().home


def _open_summaries(home: Path) -> list[Summary]:
    from followup.store.queries import open_summaries

    return open_summaries(home)


def _closed_ids(home: Path) -> list[str]:
    from followup.store.queries import closed_ids

    return closed_ids(home)


def _resolve(ref: str, ids: list[str]) -> str | None:
    """The id `ref` names, as commands resolve it, or None when it names none or several."""
    from followup.ids import matching

    matches = matching(ref, ids)
    return matches[0] if len(matches) == 1 else None


def _help(text: str) -> str:
    plain = _UNSAFE_HELP.sub("", " ".join(text.split()))
    return plain if len(plain) <= 60 else plain[:59] + "…"


INTERVIEW_ID = typer.Argument(
    ...,
    metavar="ID",
    help="The interview's id, or any unambiguous start of it.",
    autocompletion=complete_interview_id,
)
STEPS = typer.Argument(
    ..., metavar="STEP", help="Step ids or numbers, as `show` prints them.", autocompletion=complete_step
)
JSON = typer.Option(False, "--json", help="Print JSON on stdout instead of text.")

ADDRESS_HELP = "The company's postal address for letters; lines separated by newlines or \\n."
