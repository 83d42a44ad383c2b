"""Plain `followup` and `followup due`, answered without loading Typer.

These are the commands people type most, and their target is to answer below
the stack's import floor (importing typer, rich and pydantic): 0.9 times it
with 50 open interviews. Even with only the invoked command built and its
options converted without pydantic (`followup.cli.lazy`), going through Typer
costs `due` 1.0 to 1.25 times the floor, against 0.65 to 0.85 here (50 open
interviews, alternating runs on a busy machine): importing Typer is most of
the floor, and building even one command costs more than the margin.
So the launcher recognises exactly these command lines and answers them itself:

    followup [--no-color]
    followup [--no-color] due [--within SPAN | -w SPAN | --within=SPAN] [--check] [--all | -a] [--json]

Options in any order, each at most once. Anything else, `--help` and every
mistake included, goes to the Typer application, which parses and reports it.
Tests check that both ways give the same output and exit status; both end
through `messages.exit_status`, and take `due`'s option names from `cli.due`.
"""

from __future__ import annotations

import os
from contextlib import nullcontext
from typing import NamedTuple

from followup.cli.due import ALL, CHECK, JSON, WITHIN

FLAGS = {**dict.fromkeys(CHECK, "check"), **dict.fromkeys(ALL, "all"), **dict.fromkeys(JSON, "json")}


class Request(NamedTuple):
    command: str  # "due", or "" for plain `followup`
    no_color: bool = False
    within: str | None = None
    check: bool = False
    all: bool = False
    json: bool = False


def recognise(argv: list[str]) -> Request | None:
    """The request, if `argv` is exactly one that `answer` handles; else None."""
    # Shell completion is Typer's: click names its variable after the script
    # (`_FOLLOWUP_COMPLETE`, or `_FU_COMPLETE` for a link named `fu`).
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ):
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
        elif arg.startswith(f"{WITHIN[0]}="):
            value = arg.removeprefix(f"{WITHIN[0]}=")
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
    from followup.cli.context import no_colour
    from followup.cli.messages import begin, exit_status

    try:
        begin()
        with no_colour() if request.no_color else nullcontext():
            return _run(request)
    except (Exception, KeyboardInterrupt) as exc:
        return exit_status(exc)


def _run(request: Request) -> int:
    from followup.cli.context import current

    env = current()
    if request.command == "due":
        from followup.cli.due import show_due

        return show_due(env, request.within, check=request.check, everything=request.all, json=request.json)
    from followup.cli.dashboard import show_dashboard

    show_dashboard(env)
    return 0
