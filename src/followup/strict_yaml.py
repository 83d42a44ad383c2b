"""YAML for checklists, strictly: the safe loader, without aliases (no "billion
laughs"), deep nesting or duplicate keys, and the line of any field.

An alias or a duplicate key is noted and reading goes on (an alias reads as
null, a duplicate key keeps its last value), so that every one of them can be
reported at once; a syntax error or deep nesting stops the reading.

Imported only when a checklist file is read: PyYAML is slow to load.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import yaml

MAX_NESTING = 20
YAMLError = yaml.YAMLError
MarkedYAMLError = yaml.MarkedYAMLError


@dataclass(frozen=True)
class Problem:
    """An alias or a duplicate key, where it is (1-based)."""

    message: str
    line: int
    column: int
    alias: bool = False

    def __str__(self) -> str:
        return f"{self.message} (line {self.line}, column {self.column})"


def parse(text: str) -> tuple[yaml.Node | None, Any, list[Problem]]:
    """The document's node tree (for line numbers), its data and the aliases and
    duplicate keys found in it; raises YAMLError for what stops the reading."""
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
        return node, data, sorted(set(loader.problems), key=lambda problem: (problem.line, problem.column))
    finally:
        loader.dispose()


def line_of(node: yaml.Node | None, loc: tuple[int | str, ...]) -> str:
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

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.problems: list[Problem] = []

    def _note(self, message: str, mark: Any, alias: bool = False) -> None:
        self.problems.append(Problem(message, mark.line + 1, mark.column + 1, alias))

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        mark = getattr(event, "start_mark", None)
        if isinstance(event, yaml.AliasEvent):
            # Read as null: never expanded, so a "billion laughs" costs nothing.
            self.get_event()  # type: ignore[no-untyped-call]
            self._note("aliases (*name) are not allowed in a checklist", mark, alias=True)
            return yaml.ScalarNode("tag:yaml.org,2002:null", "", mark, mark)
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
                self._note(f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)
