"""`followup demo`: a week of sample interviews in a new temporary store."""

from __future__ import annotations

from followup.cli.context import current
from followup.cli.registry import group

app = group()


@app.command()
def demo() -> None:
    """Try followup on a week of sample interviews, in a new temporary folder.

    Your own store is never touched: the demo fills a new folder, shows its
    dashboard and prints how to point followup at it.

    \b
    Example:
      followup demo
    """
    import shutil
    import tempfile
    from pathlib import Path

    from followup import demo as samples
    from followup.cli.dashboard import show_dashboard
    from followup.errors import FollowupError

    env = current()
    try:
        home = Path(tempfile.mkdtemp(prefix="followup-demo-"))
    except OSError as exc:
        raise FollowupError(
            f"cannot make a folder for the demo in {tempfile.gettempdir()}: {exc.strerror or exc}",
            "set TMPDIR to a folder you can write to",
        ) from None
    try:
        ids = samples.fill(home, env.now, env.zone_name)
    except BaseException:
        shutil.rmtree(home, ignore_errors=True)
        raise
    urgent = show_dashboard(env, home)
    env.render.explore(str(home), urgent or (ids[0] if ids else None))
