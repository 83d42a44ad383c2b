"""Everything followup shows on a terminal; the only package that imports rich.

User text always goes in as `Text`, never as markup, so a company called
`[red]x[/]` prints literally; control characters are shown, not obeyed
(`followup.escape`, in the core). Data goes to stdout, messages and errors to stderr.

- `console`: the consoles, the terminal's width, the glyphs the encoding can show;
- `streams`: stdout and stderr that escape what their encoding cannot hold (no
  rich: error messages use it too);
- `fit`: which columns a table shows and how wide (a pure function), `table`: its lines;
- `base`: what every view shares; `messages`, `interviews`, `due`, `start`,
  `checklists`, `reports`: the views; `renderer`: the one class that has them all.

`Renderer` is imported lazily, so that `from followup.render.streams import
never_fail_to_encode` does not load rich.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from followup.render.renderer import Renderer

__all__ = ["Renderer"]


def __getattr__(name: str) -> Any:
    if name == "Renderer":
        from followup.render.renderer import Renderer

        return Renderer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
