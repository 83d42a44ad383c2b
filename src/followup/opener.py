"""Hand a file or a `mailto:` link to the user's own program for it: `xdg-open`
on Linux and the BSDs, `open` on macOS. Used by `followup letter --open`.

The program runs without a shell, with the path or link as one argument, so
nothing in it is interpreted. A missing opener, or one that fails, is a plain
FollowupError that says where the file is.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

from followup.errors import FollowupError


def openers() -> tuple[str, ...]:
    """`open` on macOS only: on Linux a program called `open` is often `openvt`, which
    starts a program on a virtual console (Debian's kbd package)."""
    return ("open",) if sys.platform == "darwin" else ("xdg-open",)


def open_with_default(target: str, what: str) -> None:
    """Open `target` (a path or a link) with the desktop's program for it; `what` names it in errors."""
    names = openers()
    program = next((found for name in names if (found := shutil.which(name))), None)
    if program is None:
        raise FollowupError(
            f"cannot open {what}: no program to open it with (looked for {' and '.join(names)})",
            "open it yourself" + ("" if sys.platform == "darwin" else ", or install xdg-utils"),
        )
    try:
        done = subprocess.run([program, target], check=False, stdin=subprocess.DEVNULL)
    except OSError as exc:
        raise FollowupError(f"cannot run {program} to open {what}: {exc.strerror or exc}") from None
    if done.returncode != 0:
        raise FollowupError(f"{program} could not open {what} (exit status {done.returncode})")
