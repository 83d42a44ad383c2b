"""`followup export` and `followup import`: the whole store as one JSON file,
the open interviews' steps as a calendar, and every interview as a spreadsheet.

The formats are `followup.exports`, and where a file may be written is
`followup.outfiles`; this module reads the options and says what was done.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from followup.cli.context import Env, current, interactive
from followup.cli.registry import group
from followup.errors import FollowupError, UsageError
from followup.humanize import plural

if TYPE_CHECKING:
    from followup.outfiles import Target

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
    data: Iterable[bytes]
    if kind == "json":
        from followup.exports.backup import backup_bytes, stored_members

        stored = stored_members(env.home)  # from the files as they are, where the index vouches for them
        if stored is not None:
            _write_export(env, target, out, backup_bytes(stored, env.now), plural(len(stored), "interview"))
            return
    document = env.store.read()
    # Each interview's model is dropped once its piece of the file is made: 10,000 models would take 125 MiB.
    if kind == "ics":
        from followup.exports.calendar import calendar_pieces, interview_todos

        found = document.each(
            lambda i: (interview_todos(i, env.now), len(i.steps), len(i.pending_steps())) if i.is_open else None
        )
        open_ = [item for item in found if item is not None]
        data = calendar_pieces(todos for todos, _, _ in open_)
        steps = plural(sum(count for _, count, _ in open_), "step")
        what = f"{steps} ({sum(count for _, _, count in open_)} pending) of {plural(len(open_), 'open interview')}"
    elif kind == "csv":
        from followup.exports.spreadsheet import record, records_csv

        records = document.each(record)
        data = [records_csv(records).encode("utf-8")]
        what = plural(len(records), "interview")
    else:
        from followup.exports.backup import backup_member

        members = document.each(backup_member)
        data = backup_pieces_bytes(members, env.now)
        what = plural(len(members), "interview")
    _write_export(env, target, out, data, what)


def backup_pieces_bytes(members: list[str], now: datetime) -> Iterable[bytes]:
    from followup.exports.backup import backup_pieces

    return (piece.encode("utf-8") for piece in backup_pieces(members, now))


def _write_export(env: Env, target: Target | None, out: Path | None, data: Iterable[bytes], what: str) -> None:
    from followup import outfiles

    if target is None:
        outfiles.write_stdout(data)
        return
    outfiles.write(target, data)
    env.changed(f"exported {what} to {out}")


@app.command("import")
def import_(
    file: str = typer.Argument(..., metavar="FILE", help="A file from `followup export`, or - for stdin."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Replace a non-empty store without asking."),
    merge: bool = typer.Option(False, "--merge", help="Add the interviews the store lacks instead of replacing it."),
) -> None:
    """Replace the store with the interviews of an export, or merge them in.

    Takes a file from `followup export`, or the output of `followup list
    --all --json`. With --merge, interviews the store does not hold are added
    and those it holds as they are skipped; if any holds an id with other
    content, nothing changes and the command lists them. Either can be undone.

    \b
    Examples:
      followup import followup-backup.json
      followup import --merge laptop-backup.json
    """
    from followup import importing
    from followup.exports.backup import (
        keep,
        latest_kept_copy,
        read_backup,
        settle,
        settle_kept_copies,
        stage_kept_copy,
        store_digest,
    )

    env = current()
    interviews = read_backup(_read(file), file)
    current_ids = env.store.read().ids()
    if current_ids and not yes and not merge:
        held = plural(len(current_ids), "interview")
        if not interactive():
            raise UsageError(f"the store already holds {held}", "add --yes to replace them, or --merge to add to them")
        if not typer.confirm(f"Replace the {held} in the store?", err=True):
            raise typer.Exit(1)
    staged = None
    try:
        with env.change() as document:
            settle_kept_copies(env.home, env.store.path)
            if merge:
                summary = importing.import_merge(document, interviews, env.now)
            else:
                if document.ids() and document.raw and not importing.import_is_undoable(document, interviews):
                    # Too large for the undo journal: keep the old store where no later change overwrites it.
                    staged = _kept(lambda: stage_kept_copy(env.home, document.every(), document.raw or b"", env.now))
                summary = importing.import_all(document, interviews, env.now)
    except BaseException:
        if staged is not None:  # removed, unless the import was committed after all
            settle(staged, store_digest(env.store.path) or "")
        raise
    if staged is not None:
        try:
            kept = keep(staged)
        except OSError:  # another command found it first and kept it, or it cannot be renamed
            kept = latest_kept_copy(env.home) or staged
        summary += (
            f"; the previous store is in {kept} (`followup import {shlex.quote(str(kept))} --yes` brings it back)"
        )
    env.render.changed(summary)


def _kept(stage: Callable[[], Path]) -> Path:
    try:
        return stage()
    except OSError as exc:
        raise FollowupError(f"could not keep a copy of the store: {exc.strerror or exc}; nothing changed") from None


def _read(file: str) -> str:
    if file == "-" and sys.stdin is None:  # started with `<&-`
        raise FollowupError("cannot read standard input: it is closed", "give the file's name instead of -")
    try:
        return sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FollowupError(f"cannot read {file}: {getattr(exc, 'strerror', None) or exc}") from None


def _ask() -> Callable[[str], bool] | None:
    """The overwrite question for `--out`, in a terminal; None without one."""
    if not interactive():
        return None
    return lambda question: bool(typer.confirm(question, default=False, err=True))
