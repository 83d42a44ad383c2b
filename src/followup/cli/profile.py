"""`followup profile`: show or set your own details, which every letter uses."""

from __future__ import annotations

from typing import Optional

import typer

from followup.cli.context import current
from followup.cli.options import JSON
from followup.cli.registry import group

app = group()


@app.command()
def profile(
    name: Optional[str] = typer.Option(None, "--name", metavar="TEXT", help="Your name, as you sign letters."),
    address: Optional[str] = typer.Option(
        None, "--address", metavar="TEXT", help="Your postal address; lines separated by newlines or \\n."
    ),
    email: Optional[str] = typer.Option(None, "--email", metavar="EMAIL", help="Your email address."),
    phone: Optional[str] = typer.Option(None, "--phone", metavar="TEXT", help="Your phone number."),
    json: bool = JSON,
) -> None:
    """Show or set your name, address, email and phone for letters.

    Kept once in profile.json in the followup folder; '' clears a field.
    FOLLOWUP_NAME, when set, signs letters instead of the name.

    \b
    Examples:
      followup profile --name "Sam Lee" --email sam@example.com --address "Sam Lee\\n1 High St\\nLeeds LS1 1AA"
      followup profile --json
    """
    from followup import profile as profiles
    from followup.contacts import check_address
    from followup.store.core import Store

    env = current()
    changes = {
        key: value for key, value in (("name", name), ("address", address), ("phone", phone)) if value is not None
    }
    if email is not None:
        changes["email"] = check_address(email, "--email") if email.strip() else ""
    if changes:
        env.home.mkdir(mode=0o700, parents=True, exist_ok=True)
        with Store(env.home, env.lock_timeout).locked():  # the store's own lock, its own errors
            profiles.save(env.home, profiles.updated(profiles.load(env.home), changes))
    kept = profiles.load(env.home)
    if json:
        env.render.json(kept.to_json())
    else:
        for label, value in (
            ("name", kept.name),
            ("address", kept.address),
            ("email", kept.email),
            ("phone", kept.phone),
        ):
            shown = ", ".join(value.splitlines()) if value else "(not set)"
            env.render.text(f"{label + ':':9}{shown}")
    if changes:
        env.render.changed(f"saved your {', '.join(changes)} in {profiles.path_in(env.home)}")
