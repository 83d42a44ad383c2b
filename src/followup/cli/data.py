"""`followup export` and `followup import`: the whole store as one JSON file;
the pending steps as a calendar, and every interview as a spreadsheet."""

from __future__ import annotations

import json as jsonlib
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import typer

from followup.cli.app import app
from followup.cli.context import current, interactive
from followup.errors import FollowupError, UsageError
from followup.humanize import json_text
from followup.store.files import write_atomic

if TYPE_CHECKING:
    from followup.models import Interview

EXPORT_VERSION = 1
EXPORT_FORMATS = ("json", "ics", "csv")


@app.command()
def export(
    format_: str = typer.Option(
        "json",
        "--format",
        help="json (the whole store), ics (pending steps, for a calendar app) or csv (one row per interview).",
    ),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write to this file instead of stdout."),
) -> None:
    """Write every interview as JSON, the pending steps as a calendar, or a spreadsheet.

    --format ics writes a to-do with a reminder an hour ahead for each pending
    step of the open interviews; importing a newer file updates those entries.
    --format csv writes one row per interview, open and closed, with when each
    step was done.

    \b
    Examples:
      followup export --out followup-backup.json
      followup export --format ics --out followup.ics
      followup export --format csv --out follow-up-record.csv
    """
    kind = format_.strip().lower()
    if kind not in EXPORT_FORMATS:
        raise UsageError(f"--format: {format_!r} is not supported", "use --format json, ics or csv")
    env = current()
    document = env.store.read()
    interviews = document.every()
    what = _count(len(interviews), "interview")
    if kind == "ics":
        from followup.calendar_export import calendar_bytes

        data = calendar_bytes(interviews, env.now)
        steps = sum(len(i.pending()) for i in interviews if i.is_open)
        what = f"{_count(steps, 'pending step')} of {_count(sum(1 for i in interviews if i.is_open), 'open interview')}"
    elif kind == "csv":
        from followup.csv_export import csv_text

        data = csv_text(interviews).encode("utf-8")
    else:
        data = _export_text(interviews, env.now).encode("utf-8")
    if out is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)  # bytes as they are: CRLF line ends and UTF-8 whatever the locale
        sys.stdout.buffer.flush()
        return
    _write(out, data)
    env.render.changed(f"exported {what} to {out}")


@app.command("import")
def import_(
    file: str = typer.Argument(..., metavar="FILE", help="A file from `followup export`, or - for stdin."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Replace a non-empty store without asking."),
) -> None:
    """Replace the store with the interviews of an export.

    Takes a file from `followup export`, or the output of `followup list
    --all --json`.

    \b
    Example:
      followup import followup-backup.json
    """
    from followup import actions
    from followup.store.format import Damage, validate_interviews
    from followup.views import without_computed

    env = current()
    data = _read_export(file)
    try:
        interviews = validate_interviews([without_computed(item) for item in data["interviews"]])
    except Damage as exc:
        raise FollowupError(f"{file}: {exc}; nothing changed") from None
    current_ids = env.store.read().ids()
    if current_ids and not yes:
        if not interactive():
            raise UsageError(f"the store already holds {len(current_ids)} interviews", "add --yes to replace them")
        if not typer.confirm(f"Replace the {len(current_ids)} interviews in the store?", err=True):
            raise typer.Exit(1)
    with env.store.change() as document:
        kept = None
        if document.ids() and not actions.import_is_undoable(document, interviews):
            # Too large for the undo journal: keep the old store where no later change overwrites it.
            stamp = f"followup-before-import-{env.now:%Y%m%d-%H%M%S}"
            kept = env.home / f"{stamp}.json"
            number = 1
            while kept.exists():  # two imports in one second must not overwrite each other's copy
                number += 1
                kept = env.home / f"{stamp}-{number}.json"
            _write(kept, _export_text(document.every(), env.now))
        summary = actions.import_all(document, interviews, env.now)
    if kept:
        summary += f"; the previous store is in {kept} (`followup import` of it brings it back)"
    env.render.changed(summary)


def _export_text(interviews: list[Interview], now: datetime) -> str:
    data = {
        "version": EXPORT_VERSION,
        "exported_at": now.isoformat(),
        "interviews": [i.model_dump(mode="json") for i in interviews],
    }
    return json_text(data)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _write(path: Path, content: str | bytes) -> None:
    try:
        write_atomic(path, content.encode("utf-8") if isinstance(content, str) else content)
    except OSError as exc:
        raise FollowupError(f"could not write {path}: {exc.strerror or exc}; nothing changed") from None


def _read_export(file: str) -> dict[str, Any]:
    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FollowupError(f"cannot read {file}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        data = jsonlib.loads(text)
    except (ValueError, RecursionError) as exc:
        raise FollowupError(f"{file} is not valid JSON: {exc}; nothing changed") from None
    if isinstance(data, list):  # interview objects, as `followup list --all --json` prints them
        return {"version": EXPORT_VERSION, "interviews": data}
    if not isinstance(data, dict) or not isinstance(data.get("interviews"), list):
        raise FollowupError(f"{file} is not a followup export (no list of interviews); nothing changed")
    if data.get("version") != EXPORT_VERSION:
        raise FollowupError(
            f"{file} is an export of format {data.get('version')!r}; this followup reads {EXPORT_VERSION}"
        )
    return data
