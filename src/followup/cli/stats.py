"""`followup stats`: outcomes, and how timely follow-up relates to them."""

from __future__ import annotations

from followup.cli.context import current
from followup.cli.options import JSON
from followup.cli.registry import group

app = group()


@app.command()
def stats(json: bool = JSON) -> None:
    """Show outcomes, letters sent on time, and offers after on-time versus late follow-up.

    A letter (mail-letter or email-letter) is on time when it was done by its
    due time; letters still pending past it count as late, skipped ones not
    at all.

    \b
    Examples:
      followup stats
      followup stats --json
    """
    from followup.stats import combine, tally

    env = current()
    result = combine(env.store.read().each(lambda interview: tally(interview, env.now)))
    if json:
        env.render.json(result.to_json())
    else:
        env.render.stats(result)
