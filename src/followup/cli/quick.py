"""Plain `followup` and `followup due`, answered without loading Typer.

Typer converts every option through pydantic, and loading the two costs more
than the whole of `followup due`: twice the time of the stack's import floor
with 50 interviews, and four times Taskwarrior's with 10,000. So the launcher
recognises exactly these command lines and answers them itself:

    followup [--no-color]
    followup [--no-color] due [--within SPAN | -w SPAN | --within=SPAN] [--check] [--all | -a] [--json]

Options in any order, each at most once. Anything else, `--help` and every
mistake included, goes to the Typer application, which parses and reports it.
Tests check that both ways give the same output and exit status.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

FLAGS = {"--check": "check", "--all": "all", "-a": "all", "--json": "json"}
WITHIN = ("--within", "-w")


class Request(NamedTuple):
    command: str  # "due", or "" for plain `followup`
    no_color: bool = False
    within: str | None = None
    check: bool = False
    all: bool = False
    json: bool = False


def recognise(argv: list[str]) -> Request | None:
    """The request, if `argv` is exactly one that `answer` handles; else None."""
    if os.environ.get("_FOLLOWUP_COMPLETE"):  # shell completion is Typer's
        return None
    no_color = argv[:1] == ["--no-color"]
    rest = argv[1:] if no_color else argv
    if not rest:
        return Request("", no_color=no_color)
    if rest[0] != "due":
        return None
    seen: dict[str, bool] = {}
    within: str | None = None
    args = iter(rest[1:])
    for arg in args:
        name = FLAGS.get(arg)
        if name is not None and name not in seen:
            seen[name] = True
            continue
        if arg in WITHIN:
            value = next(args, None)
        elif arg.startswith("--within="):
            value = arg.removeprefix("--within=")
        else:
            return None
        # A value that looks like an option, or a second --within: let Typer judge.
        if within is not None or value is None or value.startswith("-"):
            return None
        within = value
    return Request("due", no_color, within, **seen)


def answer(argv: list[str]) -> int | None:
    """Answer `argv` if `recognise` knows it: the exit status; None to leave it to Typer."""
    request = recognise(argv)
    if request is None:
        return None
    from followup.cli.messages import ABORTED, report
    from followup.errors import FollowupError

    try:
        with _colour(request.no_color):
            return _run(request)
    except FollowupError as exc:
        report(exc)
        return exc.exit_code
    except KeyboardInterrupt:  # as Typer ends on Ctrl-C: quietly, with the shell's status for SIGINT
        return 130
    except EOFError:
        sys.stderr.write("\n" + ABORTED)  # as click reports it
        return 1
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
        _silence_stdout()  # `followup due | head`: as click does, leave quietly
        return 1


def _run(request: Request) -> int:
    from followup.cli.context import current

    env = current()
    if request.command == "due":
        from followup.cli.due import show_due

        return show_due(env, request.within, request.check, request.all, request.json)
    from followup.cli.dashboard import show_dashboard

    show_dashboard(env)
    return 0


@contextmanager
def _colour(off: bool) -> Iterator[None]:
    """`--no-color`: NO_COLOR for this run, as the Typer application sets it."""
    previous = os.environ.get("NO_COLOR")
    if off:
        os.environ["NO_COLOR"] = "1"
    try:
        yield
    finally:
        if off and previous is None:
            os.environ.pop("NO_COLOR", None)
        elif off and previous is not None:
            os.environ["NO_COLOR"] = previous


def _silence_stdout() -> None:
    """Nothing more to stdout, not even the flush at exit, which would fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
