"""Where and when a command runs: FOLLOWUP_HOME, FOLLOWUP_NOW and the user's zone."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from followup.constants import LOCK_TIMEOUT
from followup.errors import UsageError
from followup.when import local_zone, parse_duration, parse_when, read_when, shift, zone_named

if TYPE_CHECKING:
    from followup.models import Interview
    from followup.render import Renderer
    from followup.store.core import Store

APP_NAME = "followup"


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

    def changed(self, summary: str, interview: Interview | None = None, json: bool = False) -> None:
        """After a change: the interview as JSON if asked, and always the one-line summary."""
        if json and interview is not None:
            from followup.views import interview_json

            self.render.json(interview_json(interview, self.now))
        self.render.changed(summary)

    def parse_when(self, text: str, option: str, prefer: Literal["past", "future"] = "past") -> datetime:
        """Parse a WHEN given with `option`, naming the option if it cannot be read."""
        try:
            parsed = read_when(text, self.now, self.zone, prefer)
        except UsageError as exc:
            raise UsageError(f"{option}: {exc.message}", exc.hint) from None
        if parsed.note:  # a time that daylight saving skips or repeats: say which was taken
            self.render.warn(f"{option}: {parsed.note}")
        return parsed.moment

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
    timeout_text = os.environ.get("FOLLOWUP_LOCK_TIMEOUT", "").strip()
    try:
        lock_timeout = float(timeout_text) if timeout_text else LOCK_TIMEOUT
    except ValueError:
        raise UsageError(f"FOLLOWUP_LOCK_TIMEOUT: {timeout_text!r} is not a number of seconds") from None
    return Env(
        home=home, checklist_dir=checklist_dir, now=now, zone_name=zone_name, zone=zone, lock_timeout=lock_timeout
    )


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
    """Whether we may ask questions: stdin is a terminal."""
    return sys.stdin.isatty()
