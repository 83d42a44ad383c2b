"""`followup checklists`: list, show and validate checklist files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from followup.cli.context import current
from followup.cli.options import JSON, complete_checklist
from followup.cli.registry import group

if TYPE_CHECKING:
    from followup.checked_checklists import CheckedChecklist
    from followup.checklists import ChecklistFile
    from followup.models import Checklist

app = group(
    # The help is the callback's docstring, with its examples (a help= here would hide them).
    no_args_is_help=False,
    invoke_without_command=True,
)


@app.callback(invoke_without_command=True)
def list_checklists(ctx: typer.Context, json: bool = JSON) -> None:
    """List, show and validate checklists.

    \b
    Examples:
      followup checklists
      followup checklists show post-interview
      followup checklists validate my-list.yaml
    """
    if ctx.invoked_subcommand is not None:
        return
    env = current()
    from followup import checklists as files
    from followup.errors import ChecklistError

    entries: list[tuple[ChecklistFile, Checklist | CheckedChecklist | str]] = []
    for entry in files.available(env.checklist_dir):
        try:
            entries.append((entry, files.load_checked(entry.path, env.home)))
        except ChecklistError as exc:
            entries.append((entry, exc.message.splitlines()[0]))
    if json:
        env.render.json(
            [
                {
                    "name": entry.name,
                    "source": entry.source,
                    "path": str(entry.path),
                    "steps": len(loaded.steps) if not isinstance(loaded, str) else None,
                    "title": loaded.title if not isinstance(loaded, str) else None,
                    "error": loaded if isinstance(loaded, str) else None,
                }
                for entry, loaded in entries
            ]
        )
    else:
        env.render.checklists(entries)
        env.render.text(f"Your own checklists go in {env.checklist_dir}")


@app.command("show")
def show_checklist(
    name: str = typer.Argument(
        ..., metavar="NAME", help="A checklist name, or a PATH.yaml.", autocompletion=complete_checklist
    ),
    json: bool = JSON,
) -> None:
    """Show a checklist's flags and steps, with the advice behind each.

    \b
    Example:
      followup checklists show post-interview
    """
    env = current()
    from followup import checklists as files

    path = files.locate(name, env.checklist_dir)
    checklist = files.load(path)
    if json:
        env.render.json({**checklist.model_dump(mode="json"), "path": str(path)})
    else:
        source = (
            "yours"
            if path.parent == env.checklist_dir
            else ("built-in" if path.parent == files.builtin_dir() else str(path))
        )
        env.render.checklist(checklist, source)


@app.command("validate")
def validate(file: Path = typer.Argument(..., metavar="FILE", help="The checklist file to check.")) -> None:
    """Check a checklist file and say what is wrong with it, field by field.

    \b
    Example:
      followup checklists validate ~/mine.yaml
    """
    env = current()
    from followup import checklists as files
    from followup.humanize import plural

    checklist = files.load(file, every_problem=True)
    env.render.text(f"{file}: valid checklist {checklist.name!r} with {plural(len(checklist.steps), 'step')}")
