"""Where and when a command runs: FOLLOWUP_HOME, FOLLOWUP_NOW and the user's zone."""

from __future__ import annotations

import contextlib
import math
import os
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

from followup.constants import LOCK_TIMEOUT
from followup.errors import FollowupError, UsageError
from followup.when import When, local_zone, parse_duration, parse_when, read_when, shift, zone_named

T = TypeVar("T")

if TYPE_CHECKING:
    from followup.models import Interview
    from followup.render import Renderer
    from followup.store.core import Store
    from followup.store.document import Document
    from followup.store.stored import ShownInterview

APP_NAME = "followup"
# A wait longer than this for another followup command is a mistake (`inf`, `1e9`), not a
# wish: one that never ends would hang a cron job for ever. The README says so.
MAX_LOCK_TIMEOUT = 3600.0


@dataclass(frozen=True)
class Env:
    """The place, the time and the zone of one command run."""

    home: Path
    checklist_dir: Path
    now: datetime
    zone_name: str
    zone: tzinfo

    lock_timeout: float = LOCK_TIMEOUT

    @cached_property
    def store(self) -> Store:
        from followup.store.core import Store

        return Store(self.home, self.lock_timeout)

    @cached_property
    def render(self) -> Renderer:
        from followup.render import Renderer

        return Renderer(self.now, self.zone)

    @contextlib.contextmanager
    def change(self) -> Iterator[Document]:
        """The store's read-modify-write, in a folder that can be written, and once it
        is saved, a mark that the command changed something (see `messages.saved`)."""
        from followup.cli.messages import saved

        check_home(self.home, writing=True)
        with self.store.change() as document:
            yield document
        saved()

    def change_quickly(self, change: Callable[[], T | None]) -> T | None:
        """A change made on the store's files as they are (`followup.store.stored_change`):
        its summary, or None if it must be made the validating way (`change`)."""
        from followup.cli.messages import saved

        check_home(self.home, writing=True)
        summary = change()
        if summary is not None:
            saved()
        return summary

    def interview_to_show(self, ref: str) -> ShownInterview:
        """The interview `ref` names, to show or to draft a letter from: read from its
        file as it is where it can be (`followup.store.stored`), else validated."""
        from followup.store.stored import read_stored

        found = read_stored(self.home, ref)
        if found is not None:
            return found
        from followup import actions

        return actions.find_interview(self.store.read(), ref)

    def changed(self, summary: str, interview: Interview | None = None, json: bool = False) -> None:
        """After a change: the interview as JSON if asked, and always the one-line summary."""
        if json and interview is not None:
            from followup.views import interview_json

            self.render.json(interview_json(interview, self.now))
        from followup.render.streams import changed_line

        changed_line(summary)  # as `self.render.changed` prints it, without loading rich for one line

    def parse_when(self, text: str, option: str, prefer: Literal["past", "future"] = "past") -> datetime:
        """Parse a WHEN given with `option`, naming the option if it cannot be read."""
        return self.read_when(text, option, prefer).moment

    def read_when(self, text: str, option: str, prefer: Literal["past", "future"] = "past") -> When:
        """`parse_when`, with what `When` tells about how it was read."""
        try:
            parsed = read_when(text, self.now, self.zone, prefer)
        except UsageError as exc:
            raise UsageError(f"{option}: {exc.message}", exc.hint) from None
        if parsed.note:  # a time that daylight saving skips or repeats: say which was taken
            self.render.warn(f"{option}: {parsed.note}")
        return parsed

    def horizon(self, text: str, option: str) -> datetime:
        try:
            span = parse_duration(text)
        except ValueError as exc:
            raise UsageError(f"{option}: {exc}", "for example --within 3d or --within 12h") from None
        if span.amount < 0:
            raise UsageError(f"{option}: {text!r} lies in the past", "for example --within 3d or --within 12h")
        return shift(self.now, span, self.zone)


def current() -> Env:
    """The Env from the environment variables, read afresh for each command."""
    zone_name, zone_warning = local_zone()
    if zone_warning:
        sys.stderr.write(f"warning: {zone_warning}\n")
    zone = zone_named(zone_name)
    real_now = datetime.now(zone)
    now_text = os.environ.get("FOLLOWUP_NOW", "").strip()
    try:
        # An offset in FOLLOWUP_NOW names an instant, not where the user is: `new` without --at
        # must plan in the user's zone, not in a fixed offset that ignores daylight saving.
        now = parse_when(now_text, real_now, zone).astimezone(zone) if now_text else real_now
    except UsageError as exc:
        raise UsageError(f"FOLLOWUP_NOW: {exc.message}", exc.hint) from None
    home_text = os.environ.get("FOLLOWUP_HOME", "").strip()
    if home_text:
        home = Path(home_text).expanduser()
        checklist_dir = home / "checklists"
    else:
        import platformdirs

        home = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
        checklist_dir = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "checklists"
    check_home(home, writing=False)
    return Env(
        home=home, checklist_dir=checklist_dir, now=now, zone_name=zone_name, zone=zone, lock_timeout=lock_timeout()
    )


def lock_timeout() -> float:
    """FOLLOWUP_LOCK_TIMEOUT in seconds: not nan or negative (a usage error), at most MAX_LOCK_TIMEOUT."""
    text = os.environ.get("FOLLOWUP_LOCK_TIMEOUT", "").strip()
    if not text:
        return LOCK_TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if math.isnan(seconds) or seconds < 0:
        raise UsageError(
            f"FOLLOWUP_LOCK_TIMEOUT: {text!r} is not a number of seconds",
            f"for example FOLLOWUP_LOCK_TIMEOUT=30 (at most {MAX_LOCK_TIMEOUT:g})",
        )
    return min(seconds, MAX_LOCK_TIMEOUT)


def check_home(home: Path, *, writing: bool) -> None:
    """FollowupError, saying plainly what is wrong, when the folder that holds the store
    exists but is not a folder or cannot be listed, or (`writing`) cannot be written to.

    One check before the store is used: otherwise each file's own error surfaces
    somewhere else (a traceback, a welcome screen for a home that is a file, a
    change blamed on the lock). A home that does not exist yet is fine: the first
    change creates it, so the check then applies to the nearest folder that exists.
    """
    hint = "check FOLLOWUP_HOME, or the folder's permissions"
    place = home
    while True:
        try:
            mode = place.stat().st_mode
        except FileNotFoundError:
            if place.parent == place:
                return
            place = place.parent
            continue
        except NotADirectoryError:
            raise FollowupError(
                f"cannot use the folder {home}: part of its path is a file, not a folder", hint
            ) from None
        except OSError as exc:
            raise FollowupError(f"cannot reach the folder {home}: {exc.strerror or exc}", hint) from None
        break
    if not stat.S_ISDIR(mode):
        what = "it" if place == home else f"{place}"
        raise FollowupError(f"cannot use the folder {home}: {what} is a file, not a folder", hint)
    if place == home and not os.access(home, os.R_OK | os.X_OK):
        raise FollowupError(f"cannot read the folder {home}: permission denied", hint)
    if writing and not os.access(place, os.W_OK | os.X_OK):
        raise FollowupError(f"cannot save in the folder {place}: permission denied", hint)


@contextlib.contextmanager
def no_colour() -> Iterator[None]:
    """`--no-color`: NO_COLOR for the block, which the renderer and anything it starts honour."""
    previous = os.environ.get("NO_COLOR")
    os.environ["NO_COLOR"] = "1"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("NO_COLOR", None)
        else:
            os.environ["NO_COLOR"] = previous


def interactive() -> bool:
    """Whether we may ask questions: stdin is an open terminal.

    Not when stdin is closed (`<&-`, as in some cron and CI set-ups: Python then
    has no `sys.stdin`) or its descriptor is no longer valid.
    """
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (OSError, ValueError):
        return False
