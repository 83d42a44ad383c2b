"""The Typer application: every command, its help, and one handler that turns
every FollowupError into a message and an exit code.

Commands parse their arguments, call the core and hand the result to the
renderer.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperGroup

from followup import __version__
from followup.cli.messages import ABORTED, report
from followup.errors import FollowupError, UsageError


class _Commands(TyperGroup):
    """Commands in the order they are defined, and one handler for every error."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Usage errors as two plain lines, like every other error, not a framed box."""
        run = functools.partial(super().main, args, prog_name, complete_var, False, windows_expand_args, **extra)
        if not standalone_mode:
            return run()
        try:
            code = run()
        except typer.TyperException as exc:
            context = getattr(exc, "ctx", None)
            command = context.command_path if context is not None else "followup"
            message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
            report(UsageError(message, f"see `{command} --help`"))
            sys.exit(getattr(exc, "exit_code", 2))
        except typer.Abort:
            sys.stderr.write(ABORTED)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except FollowupError as exc:
            report(exc)
            raise typer.Exit(exc.exit_code) from None


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


# Importing the command modules registers their commands on `app`.
from followup.cli import interviews, steps, checklists, letter, data, doctor, stats  # noqa: E402,F401,I001
from followup.cli import demo  # noqa: E402,F401
