"""`followup export` and `followup import`: the whole store as one JSON file,
the open interviews' steps as a calendar, and every interview as a spreadsheet.

The formats are `followup.exports`, and where a file may be written is
`followup.outfiles`; this module reads the options and says what was done.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Optional

import typer

from followup.cli.context import current, interactive
from followup.cli.registry import group
from followup.errors import FollowupError, UsageError
from followup.store.files import write_atomic

EXPORT_FORMATS = ("json", "ics", "csv")

app = group()


@app.command()
def export(
    format_: str = typer.Option(
        "json",
        "--format",
        metavar="FORMAT",
        help="json (the whole store), ics (the open interviews' steps, for a calendar app) or csv (one row per interview).",
    ),
    out: Optional[Path] = typer.Option(
        None, "--out", "-o", metavar="FILE", help="Write to FILE instead of stdout (- is stdout too)."
    ),
    force: bool = typer.Option(False, "--force", "-f", help="Replace FILE if it exists, without asking."),
) -> None:
    """Write every interview as JSON, the steps as a calendar, or a spreadsheet.

    --format ics writes a to-do for each step of the open interviews, with a
    reminder an hour ahead while it is pending; importing a newer file updates
    those entries and ticks off the done ones. --format csv writes one row per
    interview, open and closed, with when each step was done.

    \b
    Examples:
      followup export --out followup-backup.json
      followup export --format ics --out followup.ics
      followup export --format csv --out follow-up-record.csv
    """
    from followup import outfiles

    kind = format_.strip().lower()
    if kind not in EXPORT_FORMATS:
        raise UsageError(f"--format: {format_!r} is not supported", "use --format json, ics or csv")
    # Checked before any work, so that nothing is thrown away.
    target = None if out is None or outfiles.is_stdout(out) else outfiles.check_all([out], force=force, ask=_ask())[0]
    if target is None:
        outfiles.require_stdout()
    env = current()
    document = env.store.read()
    # Each interview's model is dropped once its piece of the file is made: 10,000 models would take 125 MiB.
    data: Iterable[bytes]
    if kind == "ics":
        from followup.exports.calendar import calendar_pieces, interview_todos

        found = document.each(
            lambda i: (interview_todos(i, env.now), len(i.steps), len(i.pending_steps())) if i.is_open else None
        )
        open_ = [item for item in found if item is not None]
        data = calendar_pieces(todos for todos, _, _ in open_)
        steps = _count(sum(count for _, count, _ in open_), "step")
        what = f"{steps} ({sum(count for _, _, count in open_)} pending) of {_count(len(open_), 'open interview')}"
    elif kind == "csv":
        from followup.exports.spreadsheet import record, records_csv

        records = document.each(record)
        data = [records_csv(records).encode("utf-8")]
        what = _count(len(records), "interview")
    else:
        from followup.exports.backup import backup_member, backup_pieces

        members = document.each(backup_member)
        data = (piece.encode("utf-8") for piece in backup_pieces(members, env.now))
        what = _count(len(members), "interview")
    if target is None:
        outfiles.write_stdout(data)
        return
    outfiles.write(target, data)
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
    from followup.exports.backup import backup_text, read_backup

    env = current()
    interviews = read_backup(_read(file), file)
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
            _write(kept, backup_text(document.every(), env.now))
        summary = actions.import_all(document, interviews, env.now)
    if kept:
        summary += f"; the previous store is in {kept} (`followup import` of it brings it back)"
    env.render.changed(summary)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _write(path: Path, content: str | bytes) -> None:
    try:
        write_atomic(path, content.encode("utf-8") if isinstance(content, str) else content)
    except OSError as exc:
        raise FollowupError(f"could not write {path}: {exc.strerror or exc}; nothing changed") from None


def _read(file: str) -> str:
    try:
        return sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FollowupError(f"cannot read {file}: {getattr(exc, 'strerror', None) or exc}") from None


def _ask() -> Callable[[str], bool] | None:
    """The overwrite question for `--out`, in a terminal; None without one."""
    if not interactive():
        return None
    return lambda question: bool(typer.confirm(question, default=False, err=True))
