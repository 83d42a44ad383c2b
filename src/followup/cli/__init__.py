"""The command line: the only package that imports Typer (in `app`, `lazy`,
`registry` and the command modules, never here or in `quick`).

`main` is the `followup` command. Plain `followup` and `followup due` are
answered by `quick` without loading Typer; every other command line, and any
of those two that `quick` does not recognise exactly, goes to the Typer
application in `app`, which imports and builds only the command that runs
(`registry` says which module holds it). Every way in ends through
`messages.exit_status`.
"""

from __future__ import annotations

import gc
import sys
import types
from typing import NoReturn


def main() -> None:
    # Start-up makes a great many objects (Typer's, rich's, pydantic's and followup's
    # classes and models), none of them garbage, and the cyclic collector would sweep
    # them again and again: about a sixth of a command's time. A command ends within a
    # second or so, and reference counting frees what it drops; the one that talks to
    # a server for longer (`sync`) turns the collector back on.
    gc.disable()
    from followup.cli.quick import answer

    status = answer(sys.argv[1:])
    if status is not None:
        leave(status)
    without_pydantic_plugins()
    from followup.cli.app import app

    try:
        app()
    except SystemExit as exc:
        leave(exc.code)
    leave(0)


def leave(code: str | int | None) -> NoReturn:
    """End the command with the status `code` (as `sys.exit` takes it) without
    tearing the interpreter down.

    Python's teardown frees every module and object one by one, and runs a last
    collection over all of them: 20-25 ms of each command, a fifth of `done`'s
    time, for memory the system takes back at once anyway. What teardown does
    that matters is done here first: the exit handlers (`atexit`, and the
    finalizers `weakref.finalize` registers there) run, and stdout and stderr are
    flushed. (What teardown would also collect, such as the frames of an exception
    still held, runs no `finally` or `__del__` that writes anything in followup.)
    Where that is not all, teardown runs as before (`sys.exit`): a
    status that is not a number, another thread still running, or an output
    that cannot be flushed (which teardown reports as it always has)."""
    threading = sys.modules.get("threading")
    if not (code is None or isinstance(code, int)) or (threading is not None and threading.active_count() > 1):
        sys.exit(code)
    import atexit
    import os

    atexit._run_exitfuncs()
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        sys.exit(code)
    os._exit(code or 0)


def without_pydantic_plugins() -> None:
    """Tell pydantic, in this process, that no plugin is installed.

    The first validator pydantic builds asks its plugin loader for plugins
    (`pydantic` entry points, meant for observability tools): the loader
    imports `importlib.metadata` and reads every installed distribution's
    metadata, 25-35 ms of a command whose budget beyond the import floor is
    about 80, and `followup` has no use for such a plugin. A stand-in for the
    loader module (`pydantic/plugin/_loader.py`, whose `get_plugins` pydantic
    imports when it builds a validator) answers "none". Only the command line
    does this: a program that imports followup's modules keeps its plugins.
    `tests/test_speed_guards.py` fails if a pydantic upgrade moves the loader
    (the stand-in would then go unused and the metadata be read again)."""
    name = "pydantic.plugin._loader"
    if name not in sys.modules:
        loader = types.ModuleType(name, "followup: no pydantic plugins (see followup.cli.without_pydantic_plugins)")
        loader.get_plugins = tuple  # type: ignore[attr-defined]  # () : no plugin
        sys.modules[name] = loader
