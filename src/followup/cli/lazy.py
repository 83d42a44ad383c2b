"""Build only the command that runs, and read its options without pydantic.

Typer builds every command of an application at each start, and converts each
option's text through a pydantic TypeAdapter, whose schema building cost more
than everything else `followup show` does. Two hooks make a run pay only for
its own command:

- `LazyGroup` lists the commands from `registry.COMMANDS`, with their
  summaries for `followup --help`, and imports and builds only the one asked
  for;
- `prepare` gives each parameter of a built command a converter for the plain
  types our commands take (bool, str, list[str], Path) that skips pydantic, and
  each argument a help line that names it (`ID`) without a Python type
  (`ID <str>`).

Both reach into Typer's internals (`typer.main.get_command_from_info`, a
parameter's `_runtime_param`, `typer._coercion.RuntimeParam`, the class of an
argument), so pyproject.toml pins the Typer versions they were tested with, and
tests/test_lazy.py fails if either stops taking effect.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path
from typing import Any

import typer
import typer.main
from typer._coercion import RuntimeParam
from typer.core import TyperArgument, TyperCommand, TyperGroup

from followup.cli.registry import COMMANDS


class LazyGroup(TyperGroup):
    """The commands of `registry.COMMANDS`, in its order, each built when first asked for."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        prepare(self, ctx)  # its own options: the completion ones are added after it is made
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: Any) -> list[str]:
        return [*COMMANDS, *(name for name in self.commands if name not in COMMANDS)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = self.commands.get(cmd_name)
        if command is None and cmd_name in COMMANDS:
            command = self.commands[cmd_name] = build(cmd_name)
            prepare(command, ctx)
        return command

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """As Typer does, with its "Did you mean" drawn from every command, built or not."""
        try:
            return super().resolve_command(ctx, args)
        except typer.TyperException as exc:
            matches = get_close_matches(args[0], self.list_commands(ctx)) if args else []
            if matches and "Did you mean" not in exc.message:
                exc.message = f"{exc.message.rstrip('.')}. Did you mean {', '.join(map(repr, matches))}?"
            raise

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list of `followup --help`, from the summaries, without building a command."""
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [
            (name, TyperCommand(name=name, help=entry.summary).get_short_help_str(limit))
            for name, entry in COMMANDS.items()
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def build(name: str) -> Any:
    """The command `name`, made from its module's own Typer."""
    app: typer.Typer = importlib.import_module(f"followup.cli.{COMMANDS[name].module}").app
    for info in app.registered_commands:
        assert info.callback is not None
        if (info.name or typer.main.get_command_name(info.callback.__name__)) == name:
            command = typer.main.get_command_from_info(info, pretty_exceptions_short=True, rich_markup_mode=None)
            break
    else:  # a module whose Typer is a group of its own
        command = typer.main.get_command(app)
        command.name = name
    return command


def prepare(command: Any, ctx: Any) -> None:
    """Plain converters and type-free argument help for every parameter of
    `command` (its help option included) and of the subcommands it has built."""
    for param in command.get_params(ctx):
        descriptor: Any = getattr(param, "type_descriptor", None)
        convert = _CONVERTERS.get(descriptor.annotation) if descriptor is not None else None
        if convert is not None and param._runtime_param is None:
            param._runtime_param = PlainParam(descriptor.parameter_info, descriptor.annotation, convert)
        if type(param) is TyperArgument and param.metavar:
            param.__class__ = NamedArgument
    for sub in getattr(command, "commands", {}).values():
        prepare(sub, ctx)


@dataclass(frozen=True)
class PlainParam(RuntimeParam):
    """A parameter's text converted by a plain function instead of a pydantic TypeAdapter."""

    convert: Callable[[Any], Any]

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        return self.convert(value)


class NamedArgument(TyperArgument):
    """An argument whose help shows its metavar (`ID`), not its Python type (`ID <str>`)."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "t", "yes", "y", "on")
    return bool(value)


def _text(value: Any) -> str:
    return os.fsdecode(value) if isinstance(value, bytes) else str(value)


def _path(value: Any) -> Path:
    return value if isinstance(value, Path) else Path(_text(value))


def _texts(values: Any) -> list[str]:
    return [_text(value) for value in values]


_CONVERTERS: dict[Any, Callable[[Any], Any]] = {bool: _flag, str: _text, Path: _path, list[str]: _texts}
