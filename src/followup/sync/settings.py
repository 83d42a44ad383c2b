"""Where `followup sync` connects: the environment first, then `sync.toml` in the followup folder.

FOLLOWUP_CALDAV_URL, FOLLOWUP_CALDAV_USER and FOLLOWUP_CALDAV_PASSWORD_COMMAND
(and the list's name) may be kept in the file, written by `followup sync
--setup`; the password itself never is: it comes from FOLLOWUP_CALDAV_PASSWORD
or from the output of the password command (its first line), run without a
shell, as `pass show dav` or `secret-tool lookup service dav` would be.
This module reads no network and imports no CalDAV library.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from followup.errors import FollowupError
from followup.store.files import write_atomic

CONFIG_FILE = "sync.toml"
ENV = {
    "url": "FOLLOWUP_CALDAV_URL",
    "user": "FOLLOWUP_CALDAV_USER",
    "password_command": "FOLLOWUP_CALDAV_PASSWORD_COMMAND",
}
PASSWORD_ENV = "FOLLOWUP_CALDAV_PASSWORD"
COMMAND_TIMEOUT = 120  # seconds: a password manager may ask for its own passphrase


@dataclass(frozen=True)
class Settings:
    url: str | None = None
    user: str | None = None
    password_command: str | None = None
    list_name: str | None = None


def config_path(home: Path) -> Path:
    return home / CONFIG_FILE


def from_file(home: Path) -> Settings:
    """What `sync.toml` says, or nothing when there is no such file."""
    path = config_path(home)
    try:
        from followup.store.files import read_regular

        raw = tomllib.loads(read_regular(path, follow=True).decode("utf-8"))  # a FIFO is refused, not waited on
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise FollowupError(
            f"the sync settings {path} cannot be read ({error})",
            hint="fix the file, or run `followup sync --setup` to write it anew",
        ) from None
    if "password" in raw:
        raise FollowupError(
            f"the sync settings {path} hold a password; followup never reads one from a file",
            hint="remove it, and set FOLLOWUP_CALDAV_PASSWORD_COMMAND (such as `pass show dav`) instead",
        )
    values = {key: raw.get(key) for key in ("url", "user", "password_command", "list")}
    for key, value in values.items():
        if value is not None and not isinstance(value, str):
            raise FollowupError(f"the sync settings {path}: {key} must be text")
    return Settings(values["url"], values["user"], values["password_command"], values["list"])


def load(home: Path) -> Settings:
    """The file's settings, each overridden by its environment variable when that is set."""
    found = from_file(home)
    for field, name in ENV.items():
        value = os.environ.get(name, "").strip()
        if value:
            found = replace(found, **{field: value})
    return found


def save(home: Path, settings: Settings) -> Path:
    """Write the settings (never a password) to `sync.toml`, owner-only."""
    lines = ["# followup sync settings; the environment (FOLLOWUP_CALDAV_*) wins over them."]
    for key, value in (
        ("url", settings.url),
        ("user", settings.user),
        ("password_command", settings.password_command),
        ("list", settings.list_name),
    ):
        if value:
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")  # a JSON string is a TOML basic string
    path = config_path(home)
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_atomic(path, ("\n".join(lines) + "\n").encode())
    return path


def password(settings: Settings) -> str | None:
    """FOLLOWUP_CALDAV_PASSWORD, else the first line the password command prints, else None."""
    given = os.environ.get(PASSWORD_ENV)
    if given:
        return given
    if not settings.password_command:
        return None
    return run_password_command(settings.password_command)


def run_password_command(command: str) -> str:
    try:
        words = shlex.split(command)
    except ValueError as error:
        raise FollowupError(f"the password command {command!r} cannot be read: {error}") from None
    if not words:
        raise FollowupError("the password command is empty", hint="set FOLLOWUP_CALDAV_PASSWORD_COMMAND")
    try:
        done = subprocess.run(words, capture_output=True, text=True, timeout=COMMAND_TIMEOUT, check=False)
    except FileNotFoundError:
        raise FollowupError(
            f"the password command {words[0]!r} was not found", hint="check FOLLOWUP_CALDAV_PASSWORD_COMMAND"
        ) from None
    except (OSError, subprocess.TimeoutExpired) as error:
        raise FollowupError(f"the password command {words[0]!r} could not run: {error}") from None
    if done.returncode != 0:
        said = (done.stderr or "").strip().splitlines()
        raise FollowupError(
            f"The password command {words[0]!r} failed (exit {done.returncode})"
            + (f": {said[0][:200]}" if said else "."),
            hint="nothing changed; check FOLLOWUP_CALDAV_PASSWORD_COMMAND",
        )
    first = (done.stdout or "").splitlines()
    if not first or not first[0]:
        raise FollowupError(
            f"the password command {words[0]!r} printed no password",
            hint="it must print the password on its first line",
        )
    return first[0]
