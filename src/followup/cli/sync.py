"""`followup sync`: the open interviews' steps, both ways, with a CalDAV task list.

The only command that touches the network, and the only one that imports
`followup.sync` (and through it python-caldav, an optional extra). The store's
lock is never held while the server is talked to, so that a `followup done`
in another terminal, or a cron sync on a slow server, never makes another
command wait: the steps are read without the lock, the sync talks to the
server, and only then is the store's lock taken, for the server's changes to
be merged into the store as it is now and saved as one journal entry
(`StoreSide.commit`); the sync state is written once the store has committed,
under the store's lock again. A lock of the sync's own (`caldav-sync.lock`)
keeps any other sync out from the state's reading to its writing. See
`followup.sync.engine` for the order of the remote writes.
"""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from followup.cli.context import Env, check_home, current, interactive
from followup.cli.options import JSON
from followup.cli.registry import group
from followup.errors import FollowupError, UsageError

if TYPE_CHECKING:
    from followup.sync.settings import Settings
    from followup.sync.state import SyncState
    from followup.sync.summary import Summary

app = group()

DEFAULT_LIST = "followup"
SYNC_LOCK = "caldav-sync.lock"


@app.command()
def sync(
    list_name: Optional[str] = typer.Option(
        None, "--list", metavar="NAME", help="The task list's display name (default: followup); made when missing."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would change on either side; change nothing."),
    accept_deletions: bool = typer.Option(
        False, "--accept-deletions", help="Many to-dos vanished at once on purpose: skip their steps."
    ),
    recreate: bool = typer.Option(
        False, "--recreate", help="Forget the list followup knew: find or make it by name and send every step."
    ),
    setup: bool = typer.Option(
        False, "--setup", help="Ask for the server, user and password command, and keep them in sync.toml."
    ),
    json: bool = JSON,
) -> None:
    """Send every step to a CalDAV task list and bring back what changed there.

    The server comes from FOLLOWUP_CALDAV_URL and FOLLOWUP_CALDAV_USER, the
    password from FOLLOWUP_CALDAV_PASSWORD or the first line printed by
    FOLLOWUP_CALDAV_PASSWORD_COMMAND; `--setup` keeps the first three in
    sync.toml in the followup folder (the environment wins; never a
    password). Ticked, reopened, moved or deleted on the phone comes back
    here; plain `followup undo` reverts all that one sync changed.

    \b
    Examples:
      followup sync --setup
      followup sync
      followup sync --dry-run --list "Job hunt"
      followup sync --json
    """
    from followup.sync import settings as settings_file

    gc.enable()  # off for start-up (see `followup.cli.main`); a sync talks to a server for longer
    env = current()
    if setup:
        ask_settings(env)
        return
    found = settings_file.load(env.home)
    if not found.url:
        raise FollowupError(
            "followup sync needs a CalDAV server: FOLLOWUP_CALDAV_URL is not set",
            "run `followup sync --setup`, or set FOLLOWUP_CALDAV_URL and FOLLOWUP_CALDAV_USER",
        )
    summary = run_sync(
        env,
        found,
        list_name or found.list_name or DEFAULT_LIST,
        dry_run=dry_run,
        accept_deletions=accept_deletions,
        recreate=recreate,
    )
    if json:
        env.render.json(summary.as_json())
    for line in summary.text().splitlines():
        env.render.changed(line)


def run_sync(
    env: Env, settings: Settings, list_name: str, *, dry_run: bool, accept_deletions: bool, recreate: bool
) -> Summary:
    from followup.sync import settings as settings_file
    from followup.sync import state as state_file
    from followup.sync.engine import Options
    from followup.sync.engine import sync as run
    from followup.sync.remote import Remote  # says how to install caldav when it is missing
    from followup.sync.store_side import StoreSide

    assert settings.url is not None
    password = settings_file.password(settings)
    if password is None and settings.user and interactive():
        import getpass

        password = getpass.getpass(f"Password for {settings.user} at {settings.url}: ")
    remote = Remote(settings.url, settings.user, password)
    path = env.home / state_file.STATE_FILE
    states: list[tuple[Path, SyncState]] = []
    options = Options(
        list_name=list_name,
        dry_run=dry_run,
        allow_mass_deletion=accept_deletions,
        recreate=recreate,
        save_state=lambda where, state: states.append((where, state)),
    )
    if dry_run:
        check_home(env.home, writing=False)
        return run(StoreSide(env.store.read(), env.now), remote, path, options, env.now)

    from followup.cli.messages import saved

    failure: FollowupError | None = None
    summary: Summary | None = None
    check_home(env.home, writing=True)
    with _sync_lock(env):
        # Read without the store's lock, as every command that only reads: a command that changes
        # the store meanwhile is not kept waiting on the network, and `commit` merges with it.
        side = StoreSide(env.store.read(), env.now)
        try:
            summary = run(side, remote, path, options, env.now)
        except FollowupError as error:
            failure = error  # what the engine did before it failed is kept: it is on the server already
        if side.received:
            with env.store.change() as document:
                committed = side.commit(document)
            if summary is not None:  # what was made, not what was received: see StoreSide.commit
                summary.count_received(committed.made)
                summary.conflicts += committed.conflicts
        # The state only after the store's commit: a state ahead of a store that failed to save would
        # make the next sync take back what the phone did. Under the store's lock again, and under
        # the sync lock all along, so that no other sync reads the state in between.
        if states:
            with env.store.change():
                for where, state in states:
                    state_file.save(where, state)
    if failure is not None:
        raise failure  # status 1 even after a partial save: a sync run again does nothing twice
    saved()
    assert summary is not None
    return summary


@contextlib.contextmanager
def _sync_lock(env: Env) -> Iterator[None]:
    """One sync at a time, from reading the sync state to writing it (cron and a sync by hand)."""
    from followup.store.lock import Lock, LockTimeout

    env.home.mkdir(mode=0o700, parents=True, exist_ok=True)
    lock = Lock(env.home / SYNC_LOCK, env.lock_timeout)  # as the store's: flock, or a marker without it
    try:
        lock.acquire()
    except LockTimeout as held:
        raise FollowupError("another `followup sync` is running; nothing changed", held.hint) from None
    except OSError as exc:
        raise FollowupError(f"cannot take the lock {env.home / SYNC_LOCK}: {exc.strerror or exc}") from None
    try:
        yield
    finally:
        lock.release()


def ask_settings(env: Env) -> None:
    """`--setup`: ask in a terminal for what is missing, and write sync.toml."""
    from followup.sync import settings as settings_file

    path = settings_file.config_path(env.home)
    if not interactive():
        raise UsageError(
            "followup sync --setup asks its questions in a terminal",
            f"set FOLLOWUP_CALDAV_URL and FOLLOWUP_CALDAV_USER instead, or write {path} by hand",
        )
    known = settings_file.load(env.home)
    sys.stderr.write(f"Connecting followup to a CalDAV server; the answers go to {path} (never the password).\n")
    url = _ask("Server URL (such as https://cloud.example.com/remote.php/dav)", known.url)
    user = _ask("User name", known.user)
    command = _ask(
        "Command that prints the password (such as: pass show dav), or empty to use FOLLOWUP_CALDAV_PASSWORD",
        known.password_command,
        required=False,
    )
    list_name = _ask("Task list name", known.list_name or DEFAULT_LIST)
    written = settings_file.save(
        env.home,
        settings_file.Settings(url=url, user=user, password_command=command or None, list_name=list_name),
    )
    env.render.changed(f"saved the sync settings to {written}; try them with `followup sync --dry-run`")


def _ask(question: str, default: str | None, *, required: bool = True) -> str:
    while True:
        answer: str = typer.prompt(question, default=default or "", show_default=bool(default), err=True)
        answer = answer.strip()
        if answer or not required:
            return answer
        sys.stderr.write("Please give an answer.\n")
