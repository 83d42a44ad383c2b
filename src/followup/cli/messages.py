"""How every command ends: an error as one or two plain lines on stderr, and
the exit status, the same whichever way the command line was read.

Two rules hold here for every command:
- Standard output must be open (`begin`): a view run with `>&-` would print
  nothing and exit 0, so a script could not tell; it is one plain line and
  status 1 instead, before anything is read or changed. A write to it that fails
  later (a full disk) is the same line.
- Once a change is saved (`saved`), nothing that fails after it (printing the
  change line, JSON, an encoding, a closed stdout, even an interruption) turns
  into a failure status: a retry would make the change twice. It is a warning
  that says the change was saved, and status 0.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys

from followup.errors import FollowupError, UsageError
from followup.escape import printable
from followup.render.streams import never_fail_to_encode

ABORTED = "\naborted; nothing changed\n"
INTERRUPTED = 130  # the shell's status for SIGINT

_saved = False  # whether the running command has saved a change (module state: one command per process)


def begin() -> None:
    """Start a command: nothing saved yet, and FollowupError when standard output is closed."""
    global _saved
    _saved = False
    if sys.stdout is None:  # `>&-`: Python then has no sys.stdout (outfiles.require_stdout's rule, for all)
        raise FollowupError(
            "standard output is closed; nothing written", "redirect it to a file (letter and export take --out FILE)"
        )


def saved() -> None:
    """The running command has saved its change: no failure status from here on."""
    global _saved
    _saved = True


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
    not listed is a bug: it is raised again, for its traceback, unless a change
    was saved before it (then it is a warning, and status 0).
    """
    if _saved:
        return _after_saving(exc)
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
    if isinstance(exc, OSError) and _stdout_broken(exc):  # `>/dev/full`, a descriptor closed meanwhile
        from followup.outfiles import stdout_failed

        report(stdout_failed(exc))
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


def _after_saving(exc: BaseException) -> int:
    """The status after a change was saved: 0, with a warning if something failed after it."""
    if isinstance(exc, FollowupError):
        what = exc.message
    elif isinstance(exc, OSError) and exc.errno == errno.EPIPE:
        _silence_stdout()
        return 0
    elif isinstance(exc, KeyboardInterrupt):
        what = "interrupted"
    else:
        typer = sys.modules.get("typer")
        if typer is not None and isinstance(exc, typer.Exit) and not exc.exit_code:
            return 0
        what = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if isinstance(exc, OSError) and _stdout_broken(exc):
        _silence_stdout()
    never_fail_to_encode()
    with contextlib.suppress(OSError, ValueError, AttributeError):  # stderr closed too: the status still says
        sys.stderr.write(f"warning: the change was saved, but then: {printable(what)}\n")
    return 0


# What a write to standard output fails with (a full disk or /dev/full, a descriptor
# closed or unusable): an OSError with no file name, as the store's own are wrapped.
_OUTPUT_ERRNOS = {errno.ENOSPC, errno.EBADF, errno.EIO, errno.EDQUOT, errno.EFBIG}


def _stdout_broken(exc: OSError | None = None) -> bool:
    """Whether standard output cannot take what is written to it (`exc` the failure seen)."""
    if exc is not None and exc.filename is None and exc.errno in _OUTPUT_ERRNOS:
        return True
    try:
        if sys.stdout is None:
            return True
        sys.stdout.flush()
    except (OSError, ValueError):
        return True
    return False


def _silence_stdout() -> None:
    """Nothing more to stdout, not even the flush at exit, which would fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
