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

import sys


def main() -> None:
    from followup.cli.quick import answer

    status = answer(sys.argv[1:])
    if status is not None:
        sys.exit(status)
    from followup.cli.app import app

    app()
