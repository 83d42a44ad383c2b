"""`followup doctor`: check the store and every checklist."""

from __future__ import annotations

import typer

from followup.cli.context import current
from followup.cli.options import JSON
from followup.cli.registry import group

app = group()


@app.command()
def doctor(json: bool = JSON) -> None:
    """Check the store, backups and checklists; say how to recover.

    Exits 1 when something needs fixing.

    \b
    Example:
      followup doctor
    """
    from dataclasses import asdict

    from followup.doctor import examine

    env = current()
    findings = examine(env.store, env.checklist_dir)
    if json:
        env.render.json([asdict(finding) for finding in findings])
    else:
        env.render.findings(findings)
    if any(finding.level == "problem" for finding in findings):
        raise typer.Exit(1)
