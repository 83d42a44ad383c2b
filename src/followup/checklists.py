"""Find, load and validate checklist files.

A user's checklist in their checklist folder wins over a built-in one of the
same name; a path loads any file. YAML is read with a safe loader that also
refuses aliases (no "billion laughs") and duplicate keys, and validation errors
name the file, the line and the field.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from followup.constants import SLUG
from followup.errors import ChecklistError

if TYPE_CHECKING:
    from pydantic import ValidationError

    from followup.checked_checklists import CheckedChecklist
    from followup.models import Checklist

MAX_CHECKLIST_BYTES = 256 * 1024
MAX_STEPS = 100  # a checklist is a short list; the plan of an interview is bounded in schedule.py
SUFFIXES = (".yaml", ".yml")
# Checks across fields (a duplicate step id, an undeclared flag) name their field in the message.
_FIELD_IN_MESSAGE = re.compile(r"(?P<field>[a-z_]+(?:\[\d+\]|\.[a-z_]+)*): (?P<message>.+)")
_FIELD_PART = re.compile(r"\[(\d+)\]|([a-z_]+)")


def builtin_dir() -> Path:
    """The checklists shipped in the wheel, or the repo's folder in a source checkout."""
    # The package's folder, which is what importlib's resources.files("followup") gives,
    # without importing it (and zipfile, 10 ms): followup is installed as files, never zipped.
    packaged = Path(__file__).parent / "builtin_checklists"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "checklists"


@dataclass(frozen=True)
class ChecklistFile:
    """Where a checklist of a given name lives and whose it is."""

    name: str
    path: Path
    source: str  # "user" or "built-in"


def available(user_dir: Path) -> list[ChecklistFile]:
    """Every checklist by name; a user's file hides a built-in of that name."""
    found: dict[str, ChecklistFile] = {}
    for source, folder in (("built-in", builtin_dir()), ("user", user_dir)):
        for path in _yaml_files(folder):
            found[path.stem] = ChecklistFile(path.stem, path, source)
    return sorted(found.values(), key=lambda entry: entry.name)


def _yaml_files(folder: Path) -> Iterator[Path]:
    if not folder.is_dir():
        return
    try:
        paths = sorted(folder.iterdir())
    except OSError as exc:
        raise ChecklistError(f"cannot read the checklist folder {folder}: {exc.strerror or exc}") from None
    for path in paths:
        if path.suffix in SUFFIXES and path.is_file() and SLUG.fullmatch(path.stem):
            yield path


def locate(name_or_path: str, user_dir: Path) -> Path:
    """The file for `--checklist`: a path if it looks like one, else a name."""
    if "/" in name_or_path or "\\" in name_or_path or name_or_path.endswith(SUFFIXES):
        path = Path(name_or_path).expanduser()
        if not path.is_file():
            raise ChecklistError(
                f"no checklist file at {path}", "check the path, or give a name from `followup checklists`"
            )
        return path
    if not SLUG.fullmatch(name_or_path):
        raise ChecklistError(
            f"{name_or_path!r} is not a checklist name",
            "names are lowercase words joined by dashes; `followup checklists` lists them",
        )
    for folder in (user_dir, builtin_dir()):
        for suffix in SUFFIXES:
            candidate = folder / f"{name_or_path}{suffix}"
            if candidate.is_file():
                return candidate
    names = ", ".join(entry.name for entry in available(user_dir)) or "none"
    raise ChecklistError(
        f"no checklist named {name_or_path!r} (available: {names})", "`followup checklists` lists them"
    )


def load(path: Path, *, every_problem: bool = False, keep_in: Path | None = None) -> Checklist:
    """Read and validate one checklist file, or raise ChecklistError naming the
    problems: the first few, or with `every_problem` (for `checklists validate`) all.
    With `keep_in`, the store's folder, the valid checklist is kept there for
    `load_checked` (`followup.checked_checklists`)."""
    return _validated(path, read_raw(path), every_problem, keep_in)


def _validated(path: Path, raw: bytes, every_problem: bool, keep_in: Path | None) -> Checklist:
    checklist = _parsed(path, raw, every_problem)
    if keep_in is not None:
        from followup.checked_checklists import keep

        keep(keep_in, path, raw, checklist.model_dump(mode="json"))
    return checklist


def load_checked(path: Path, home: Path) -> Checklist | CheckedChecklist:
    """The checklist at `path`: the copy kept in the store's folder `home` when this
    followup validated these very bytes before (no YAML, no models), else the file
    validated now, and kept."""
    from followup.checked_checklists import checked

    raw = read_raw(path)
    return checked(home, path, raw) or _validated(path, raw, False, home)


def read_raw(path: Path) -> bytes:
    """A checklist file's bytes; a FIFO, a device or a file too large for a checklist is refused."""
    try:
        from followup.store.files import open_regular

        with os.fdopen(open_regular(path, follow=True), "rb") as handle:  # a FIFO is refused, not waited on
            raw = handle.read(MAX_CHECKLIST_BYTES + 1)
    except OSError as exc:
        raise ChecklistError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_CHECKLIST_BYTES:
        raise ChecklistError(
            f"{path}: larger than {MAX_CHECKLIST_BYTES // 1024} KiB; a checklist is a short list of steps"
        )
    return raw


def _parsed(path: Path, raw: bytes, every_problem: bool) -> Checklist:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ChecklistError(f"{path}: not UTF-8 text (byte {exc.start})", "save the file as UTF-8") from None
    # YAML and the models are loaded only here: finding and listing checklists needs neither.
    from followup.strict_yaml import MarkedYAMLError, YAMLError, parse

    try:
        node, data, yaml_problems = parse(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise ChecklistError(f"{path}: not valid YAML: {exc.problem or exc.context}{where}") from None
    except (YAMLError, RecursionError) as exc:
        raise ChecklistError(f"{path}: not valid YAML: {exc}") from None
    lines = [f"{path}: not valid YAML: {problem}" for problem in yaml_problems]
    if not isinstance(data, dict):
        lines.append(f"{path}: expected a mapping with name, title and steps at the top level")
    if any(problem.alias for problem in yaml_problems) or not isinstance(data, dict):
        # An alias reads as null: the checks of the fields would only repeat it.
        raise ChecklistError(_listed(lines, every_problem), _FIX)
    checklist, problems, hint = _validate(path, node, data)
    lines += problems
    if lines or checklist is None:
        raise ChecklistError(_listed(lines, every_problem), hint if len(lines) == 1 and hint else _FIX)
    return checklist


_FIX = "fix the file; `followup checklists validate FILE` lists every problem"


def _listed(lines: list[str], every_problem: bool, shown: int = 4) -> str:
    if every_problem or len(lines) <= shown + 1:
        return "\n".join(lines)
    return "\n".join([*lines[:shown], f"... and {len(lines) - shown} more problems"])


def _validate(path: Path, node: Any, data: dict[Any, Any]) -> tuple[Checklist | None, list[str], str | None]:
    """The checklist, or every problem found in its fields as `file: field: message (line N)`."""
    from pydantic import ValidationError

    from followup.models import Checklist
    from followup.strict_yaml import line_of

    lines: list[str] = []
    steps = data.get("steps")
    if isinstance(steps, list) and len(steps) > MAX_STEPS:
        lines.append(
            f"{path}: steps: {len(steps)} steps; a checklist has at most {MAX_STEPS}{line_of(node, ('steps',))}"
        )
        data = {**data, "steps": steps[:MAX_STEPS]}  # the first ones are still checked
    checklist = None
    try:
        checklist = Checklist.model_validate(data)
    except ValidationError as exc:
        found = field_errors(exc)
        if not any(error["type"] == "value_error" and not error["loc"] for error in exc.errors()):
            found += _cross_checks(data)  # pydantic stopped before the checks across fields
        lines += [f"{path}: {field}: {message}{line_of(node, loc)}" for field, message, loc in found]
    name = data.get("name")
    if isinstance(name, str) and SLUG.fullmatch(name) and name != path.stem:
        # Commands find a checklist by its file name and interviews record `name`: they must agree.
        lines.append(f"{path}: name: {name!r} differs from the file name{line_of(node, ('name',))}")
        return None, lines, f"rename the file to {name}{path.suffix}, or set name: {path.stem}"
    return (checklist if not lines else None), lines, None


def _cross_checks(data: dict[Any, Any]) -> list[tuple[str, str, tuple[int | str, ...]]]:
    """The model's checks across fields (a step id used twice, an undeclared flag),
    on the raw data: pydantic runs them only once every field is valid."""
    from followup.models import step_problems

    steps = data.get("steps")
    if not isinstance(steps, list):
        return []
    pairs = [(step.get("id"), step.get("when")) if isinstance(step, dict) else (None, None) for step in steps]
    return [_named(message) for message in step_problems(pairs, data.get("flags"))]


def _named(message: str) -> tuple[str, str, tuple[int | str, ...]]:
    """`steps[2].id: message` as its field, its message and its location."""
    named = _FIELD_IN_MESSAGE.fullmatch(message)
    if not named:
        return "(top level)", message, ()
    loc = tuple(int(index) if index else part for index, part in _FIELD_PART.findall(named["field"]))
    return named["field"], named["message"], loc


def field_errors(exc: ValidationError) -> list[tuple[str, str, tuple[int | str, ...]]]:
    """Pydantic errors as (`steps[2].due`, `expected a duration like +1d`, loc)."""
    result = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        message = str(error["msg"]).removeprefix("Value error, ")
        if not loc:
            # The checks across fields: one line per problem, each naming its field.
            result += [_named(line) for line in message.splitlines()]
            continue
        field = ""
        for part in loc:
            field += f"[{part}]" if isinstance(part, int) else (f".{part}" if field else str(part))
        if error["type"] == "extra_forbidden":
            message = "unknown field (a typo?)"
        elif error["type"] == "missing":
            message = "required field is missing"
        elif isinstance(error.get("input"), bool) and "bool" not in error["type"]:
            message += " (yes, no, on and off mean true or false in YAML: put the word in quotes)"
        result.append((field, message, loc))
    return result
