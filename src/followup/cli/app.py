"""The root of the command line: the `followup` options, plain `followup`, and
the one place where every command's end becomes an exit status.

The commands live in their own modules, each with its own Typer; `registry`
says which module holds which, and `lazy.LazyGroup` imports and builds only
the command that runs. No command module imports this one.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Sequence
from typing import Any

import typer

from followup import __version__
from followup.cli.lazy import LazyGroup
from followup.cli.messages import begin, exit_status


class _Commands(LazyGroup):
    """The lazy group, with one handler for every way a command can end."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Errors, usage errors included, as plain lines (not a framed box), and the exit status."""
        run = functools.partial(super().main, args, prog_name, complete_var, False, windows_expand_args, **extra)
        if not standalone_mode:
            return run()
        try:
            begin()
            code = run()
        except (Exception, KeyboardInterrupt) as exc:
            sys.exit(exit_status(exc))
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    cls=_Commands,
    name="followup",
    # The help is the callback's docstring, with its examples (a help= here would hide them).
    # Plain `followup` shows the dashboard (the callback's invoke_without_command), not the help.
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    # Plain help: Typer's rich help loads markdown and traceback modules, a third of start-up.
    rich_markup_mode=None,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"followup {__version__}\n")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _main(
    ctx: typer.Context,
    no_color: bool = typer.Option(False, "--no-color", help="No colour, even on a terminal (as NO_COLOR=1 does)."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """Follow-up checklists for job interviews: what to do after each one, and when.

    With no command: what is overdue, what is due in the next three days, and
    the command to run next.

    \b
    Examples:
      followup
      followup demo
      followup --no-color due
    """
    if no_color:
        from followup.cli.context import no_colour

        ctx.with_resource(no_colour())
    if ctx.invoked_subcommand is None:
        from followup.cli.context import current
        from followup.cli.dashboard import show_dashboard

        show_dashboard(current())
