"""Find, load and validate checklist files.

A user's checklist in their checklist folder wins over a built-in one of the
same name; a path loads any file. YAML is read with a safe loader that also
refuses aliases (no "billion laughs") and duplicate keys, and validation errors
name the file, the line and the field.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from followup.errors import ChecklistError
from followup.models import SLUG, Checklist

MAX_CHECKLIST_BYTES = 256 * 1024
SUFFIXES = (".yaml", ".yml")
MAX_NESTING = 20
# Checks across fields (a duplicate step id, an undeclared flag) name their field in the message.
_FIELD_IN_MESSAGE = re.compile(r"(?P<field>[a-z_]+(?:\[\d+\]|\.[a-z_]+)*): (?P<message>.+)", re.DOTALL)
_FIELD_PART = re.compile(r"\[(\d+)\]|([a-z_]+)")


def builtin_dir() -> Path:
    """The checklists shipped in the wheel, or the repo's folder in a source checkout."""
    packaged = Path(str(resources.files("followup"))) / "builtin_checklists"
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
    for path in sorted(folder.iterdir()):
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


def load(path: Path) -> Checklist:
    """Read and validate one checklist file, or raise ChecklistError naming the problem."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_CHECKLIST_BYTES + 1)
    except OSError as exc:
        raise ChecklistError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_CHECKLIST_BYTES:
        raise ChecklistError(
            f"{path}: larger than {MAX_CHECKLIST_BYTES // 1024} KiB; a checklist is a short list of steps"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ChecklistError(f"{path}: not UTF-8 text (byte {exc.start})", "save the file as UTF-8") from None
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise ChecklistError(f"{path}: not valid YAML: {exc.problem or exc.context}{where}") from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise ChecklistError(f"{path}: not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise ChecklistError(f"{path}: expected a mapping with name, title and steps at the top level")
    try:
        checklist = Checklist.model_validate(data)
    except ValidationError as exc:
        lines = [f"{path}: {field}: {message}{_line_of(node, loc)}" for field, message, loc in field_errors(exc)]
        raise ChecklistError(
            "\n".join(lines[:5]), "fix the file; `followup checklists validate FILE` checks it"
        ) from None
    if checklist.name != path.stem:
        # Commands find a checklist by its file name and interviews record `name`: they must agree.
        raise ChecklistError(
            f"{path}: name: {checklist.name!r} differs from the file name{_line_of(node, ('name',))}",
            f"rename the file to {checklist.name}{path.suffix}, or set name: {path.stem}",
        )
    return checklist


def field_errors(exc: ValidationError) -> list[tuple[str, str, tuple[int | str, ...]]]:
    """Pydantic errors as (`steps[2].due`, `expected a duration like +1d`, loc)."""
    result = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        message = str(error["msg"]).removeprefix("Value error, ")
        named = _FIELD_IN_MESSAGE.fullmatch(message) if not loc else None
        if named:
            loc = tuple(int(index) if index else name for index, name in _FIELD_PART.findall(named["field"]))
            message = named["message"]
        field = ""
        for part in loc:
            field += f"[{part}]" if isinstance(part, int) else (f".{part}" if field else str(part))
        if error["type"] == "extra_forbidden":
            message = "unknown field (a typo?)"
        elif error["type"] == "missing":
            message = "required field is missing"
        elif isinstance(error.get("input"), bool) and "bool" not in error["type"]:
            message += " (yes, no, on and off mean true or false in YAML: put the word in quotes)"
        result.append((field or "(top level)", message, loc))
    return result


def _line_of(node: yaml.Node | None, loc: tuple[int | str, ...]) -> str:
    """` (line N)` for the YAML node at a pydantic location, if it can be found."""
    for part in loc:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            child = next((value for key, value in node.value if key.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
        if child is None:
            break  # a missing field: the line of the mapping that lacks it
        node = child
    return f" (line {node.start_mark.line + 1})" if node is not None else ""


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases, deep nesting and duplicate keys."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        mark = getattr(event, "start_mark", None)
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed in a checklist", mark)
        if self.depth >= MAX_NESTING:
            # A checklist is three levels deep; far deeper is an attack or an accident.
            raise yaml.composer.ComposerError(None, None, "nested too deeply for a checklist", mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                continue  # SafeLoader itself reports an unhashable key
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)
