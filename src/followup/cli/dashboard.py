"""Plain `followup`: what is overdue, what is due soon, and the command to run next.

It reads only the pending index (no pydantic models), so that the command
people type most often stays as fast as `followup due`.
"""

from __future__ import annotations

from pathlib import Path

from followup.cli.context import Env

HORIZON = "3d"  # on the wall clock, as `due --within 3d` counts it
HORIZON_WORDS = "3 days"


def show_dashboard(env: Env, home: Path | None = None) -> str | None:
    """Draw the dashboard of the store in `home` (default: the user's); the id of
    the interview with the most urgent step, if any."""
    from followup.constants import STORE_NAME
    from followup.pending import open_summaries
    from followup.views import due_items

    home = home or env.home
    first_time = not (home / STORE_NAME).exists()
    summaries = [] if first_time else open_summaries(home)
    if not summaries:
        env.render.welcome(first_time)
        return None
    items = due_items(summaries, env.now)
    overdue = [item for item in items if item.overdue]
    horizon = env.horizon(HORIZON, "horizon")
    soon = [item for item in items if not item.overdue and item.step.due <= horizon]
    later = items[len(overdue) + len(soon) :]  # soonest first, so the rest are due later
    env.render.dashboard(overdue, soon, later, interviews=len(summaries), horizon=HORIZON_WORDS)
    return items[0].interview.id if items else None
