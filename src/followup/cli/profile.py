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
    from filelock import FileLock, Timeout

    from followup import profile as profiles
    from followup.constants import LOCK_NAME
    from followup.contacts import check_address
    from followup.errors import StoreError

    env = current()
    changes = {
        key: value for key, value in (("name", name), ("address", address), ("phone", phone)) if value is not None
    }
    if email is not None:
        changes["email"] = check_address(email, "--email") if email.strip() else ""
    if changes:
        env.home.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            with FileLock(str(env.home / LOCK_NAME), timeout=env.lock_timeout, mode=0o600):
                profiles.save(env.home, profiles.updated(profiles.load(env.home), changes))
        except Timeout:
            raise StoreError("the folder is locked by another followup command", "wait for it and try again") from None
        except OSError as exc:  # a lock file that is a link or a folder, or another user's (sudo)
            lock = env.home / LOCK_NAME
            raise StoreError(
                f"cannot take the lock {lock}: {exc.strerror or exc}; nothing changed",
                "check that you own the folder and its files, and that the disk has room",
            ) from None
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
