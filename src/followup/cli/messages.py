"""How every command ends: an error as one or two plain lines on stderr, and
the exit status, the same whichever way the command line was read."""

from __future__ import annotations

import errno
import os
import sys

from followup.errors import FollowupError, UsageError
from followup.render.escape import never_fail_to_encode, printable

ABORTED = "\naborted; nothing changed\n"
INTERRUPTED = 130  # the shell's status for SIGINT


def report(exc: FollowupError) -> None:
    """Print an error as one or two plain lines on stderr."""
    never_fail_to_encode()
    lines = exc.message.splitlines() or [""]
    sys.stderr.write("".join(f"{'error: ' if n == 0 else ''}{printable(line)}\n" for n, line in enumerate(lines)))
    if exc.hint:
        sys.stderr.write(f"{printable(exc.hint)}\n")


def exit_status(exc: BaseException) -> int:
    """Say what ended a command, if anything needs saying, and return its exit status.

    The one map from exceptions to exit statuses, for every way in. Anything
    not listed is a bug: it is raised again, for its traceback.
    """
    if isinstance(exc, FollowupError):
        report(exc)
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):  # quietly, as shells expect
        return INTERRUPTED
    if isinstance(exc, EOFError):  # stdin closed during a question
        sys.stderr.write("\n" + ABORTED)
        return 1
    if isinstance(exc, OSError) and exc.errno == errno.EPIPE:  # `followup due | head`: leave quietly
        _silence_stdout()
        return 1
    # Typer's own exceptions can only exist once Typer is loaded; quick answers load none.
    typer = sys.modules.get("typer")
    if typer is not None:
        if isinstance(exc, typer.Exit):
            return int(exc.exit_code)
        if isinstance(exc, typer.Abort):  # a question answered with Ctrl-C or end of input
            sys.stderr.write(ABORTED)
            return 1
        if isinstance(exc, typer.TyperException):  # a usage error: an unknown option, a missing argument
            context = getattr(exc, "ctx", None)
            command = context.command_path if context is not None else "followup"
            report(UsageError(exc.format_message(), f"see `{command} --help`"))
            return int(getattr(exc, "exit_code", UsageError.exit_code))
    raise exc


def _silence_stdout() -> None:
    """Nothing more to stdout, not even the flush at exit, which would fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
