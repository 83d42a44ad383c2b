"""Plain `followup`: what is overdue, what is due soon, and the command to run next.

It reads only the pending index (no pydantic models), and the launcher runs it
without Typer, so that the command people type most often stays as fast as
`followup due`.
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
    from followup.store.queries import from_deadlines
    from followup.views import board

    home = home or env.home
    if not (home / STORE_NAME).exists():
        env.render.welcome(first_time=True)
        return None
    horizon = env.horizon(HORIZON, "horizon")
    view = from_deadlines(home, lambda deadlines: board(deadlines, env.now, horizon))
    if not view.interviews:
        env.render.welcome(first_time=False)
        return None
    env.render.dashboard(view, horizon=HORIZON_WORDS)
    return view.first.interview_id if view.first else None
