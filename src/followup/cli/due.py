"""`followup due`: what is pending across all interviews, overdue first.

Free of Typer, so that the launcher can answer the command people type most
without loading it (see `followup.cli.quick`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from followup.errors import EXIT_OVERDUE

if TYPE_CHECKING:
    from followup.cli.context import Env

# Its option names, for the Typer command (cli/steps.py) and the quick path (cli/quick.py).
WITHIN = ("--within", "-w")
CHECK = ("--check",)
ALL = ("--all", "-a")
JSON = ("--json",)


def show_due(env: Env, within: str | None, *, check: bool, everything: bool, json: bool) -> int:
    """Draw the due steps (as JSON, all of them); the exit status."""
    from followup.store.queries import from_deadlines
    from followup.views import due_list

    horizon = None if within is None else env.horizon(within, "--within")
    limit = None if everything or json else env.render.screenful()
    view = from_deadlines(env.home, lambda deadlines: due_list(deadlines, env.now, horizon, limit))
    if json:
        env.render.json([item.to_json() for item in view.items])
    else:
        env.render.due(view)
    return EXIT_OVERDUE if check and view.overdue_count else 0
