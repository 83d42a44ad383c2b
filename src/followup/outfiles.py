"""Files followup writes outside its store: `letter --out`, `export --out`.

SPEC: they are written atomically, never over an existing file without
`--force` (or a yes in a terminal), never over anything that is not a regular
file, and through a symlink to its target; `-` is standard output.

Why each rule:
- The type is checked with lstat/stat and nothing is ever opened: a FIFO would
  block for ever, and a rename over a device node (as root) replaces
  `/dev/full` with a text file.
- A symlink is followed to its file and the new file is renamed in beside that
  file, so that a link into a synced folder (`~/Dropbox/thanks.txt`) stays a
  link and its target is the file that changes. A link that leads nowhere (or
  round in a loop) is refused: where it would create a file is a guess.
- A new file is linked into place (`os.link` fails if a file appeared there
  meanwhile), so a file made between the check and the write is never
  replaced silently either.
- A replaced file keeps its permission bits; a new one is owner-only (the
  temp file's mode), as the store's files are.

The policy is here, in the core; the CLI only supplies the question to ask in
a terminal (`ask`), or None when there is none.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from followup.errors import FollowupError
from followup.store.files import NotDurable, fsync_dir, put_in_place, staged

STDOUT = "-"
FORCE_HINT = "add --force to replace it"

# What a file a person reads (`cat`, an editor, a spreadsheet) must not hold: C0
# controls other than tab and line feed, a carriage return that is not part of
# CRLF (it sends the cursor back over the line), DEL and the C1 controls (U+009B
# is a CSI to some terminals).
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")


def is_stdout(path: Path | str) -> bool:
    """`--out -`: standard output."""
    return str(path) == STDOUT


def readable_text(text: str) -> str:
    """`text` without the control characters a terminal would obey when the file is
    `cat`ed (see _CONTROLS); tabs, line feeds and CRLF line ends are kept."""
    return _CONTROLS.sub("", text)


@dataclass(frozen=True)
class Target:
    """A checked place to write: `path` as the user named it (for messages), `real`
    the file that changes (the end of a symlink at `path`), and `mode` the
    permission bits of the file there now (None when there is none yet)."""

    path: Path
    real: Path
    mode: int | None

    @property
    def exists(self) -> bool:
        return self.mode is not None


def check(path: Path) -> Target:
    """Where writing `path` would go, or FollowupError (nothing written) when it is
    anything but a regular file, a symlink to one, or a new name in a folder."""
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return _new(path)
    except OSError as exc:
        raise _cannot(path, exc.strerror or str(exc)) from None
    real = path
    if stat.S_ISLNK(found.st_mode):
        real = Path(os.path.realpath(path))
        try:
            found = os.stat(path)
        except FileNotFoundError:
            raise _cannot(path, f"it is a symlink to {real}, which does not exist") from None
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise _cannot(path, "it is a symlink that leads round in a loop") from None
            raise _cannot(path, exc.strerror or str(exc)) from None
    if not stat.S_ISREG(found.st_mode):
        leads = f" (a symlink to {real})" if real != path else ""
        raise _cannot(path, f"it is {_kind(found.st_mode)}{leads}, not a regular file")
    return Target(path, real, stat.S_IMODE(found.st_mode))


def check_all(
    paths: Sequence[Path],
    *,
    force: bool,
    ask: Callable[[str], bool] | None,
    agreed: Iterable[Path] = (),
) -> list[Target]:
    """Check every path before anything is written, then the overwrite rule: with
    `force`, replace; else ask about the existing files (those not already
    `agreed` to), or refuse when `ask` is None (no terminal)."""
    targets = [check(path) for path in paths]
    seen = set(agreed)
    existing = [target for target in targets if target.exists and target.path not in seen]
    if existing and not force:
        names = ", ".join(str(target.path) for target in existing)
        verb = "exists" if len(existing) == 1 else "exist"
        pronoun = "it" if len(existing) == 1 else "them"
        if ask is None:
            raise FollowupError(f"{names} already {verb}; nothing written", f"add --force to replace {pronoun}")
        if not ask(f"{names} already {verb}; replace {pronoun}?"):
            raise FollowupError(f"kept {names}; nothing written")
    return targets


def write(target: Target, data: bytes | Iterable[bytes]) -> None:
    """`data` (or its pieces) into the file `target` names, atomically, or FollowupError."""
    try:
        temp = staged(target.real, data)
    except OSError as exc:
        raise _failed(target.path, exc) from None
    try:
        if target.mode is None:
            _link_new(temp, target)
        else:
            os.chmod(temp, target.mode)
            check(target.path)  # still a regular file: shrinks the window between the check and the rename
            put_in_place(temp, target.real)
    except NotDurable as exc:
        raise FollowupError(f"wrote {target.path}, but could not sync its folder to disk: {exc.strerror}") from None
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise _failed(target.path, exc) from None
        raise


def write_stdout(data: bytes | Iterable[bytes]) -> None:
    """`data` (or its pieces) to standard output as bytes (CRLF and UTF-8 whatever the
    locale), or FollowupError when it is closed (`>&-`) or fails (a full disk, a closed pipe)."""
    stream = require_stdout()
    try:
        stream.flush()
        for piece in [data] if isinstance(data, bytes) else data:
            stream.buffer.write(piece)
        stream.buffer.flush()
    except OSError as exc:
        raise stdout_failed(exc) from None


def require_stdout() -> TextIO:
    """Standard output, or FollowupError when the command was started without one
    (`>&-`: Python then has no `sys.stdout`); call before anything changes."""
    if sys.stdout is None:
        raise FollowupError("standard output is closed; nothing written", "redirect it to a file, or give --out FILE")
    return sys.stdout


def stdout_failed(exc: OSError) -> FollowupError:
    """The error for a failed write to standard output. Standard output is pointed at
    /dev/null first, so that Python's own flush at exit fails no second time."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        if sys.stdout is not None:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, sys.stdout.fileno())
            os.close(null)
    if exc.errno == errno.EPIPE:
        return FollowupError("standard output was closed before everything was written")
    return FollowupError(f"cannot write to standard output: {exc.strerror or exc}")


def _new(path: Path) -> Target:
    folder = path.parent
    try:
        found = os.stat(folder)
    except OSError:
        raise _cannot(path, f"no folder {folder}") from None
    if not stat.S_ISDIR(found.st_mode):
        raise _cannot(path, f"{folder} is not a folder")
    return Target(path, path, None)


def _link_new(temp: Path, target: Target) -> None:
    """The temp file under its new name, unless a file appeared there since the check."""
    try:
        os.link(temp, target.real)
    except FileExistsError:
        raise _cannot(target.path, "a file appeared there meanwhile") from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        put_in_place(temp, target.real)  # a file system without hard links: rename it in
        return
    os.unlink(temp)
    try:
        fsync_dir(target.real.parent)
    except OSError as exc:
        raise NotDurable(exc.errno, exc.strerror) from exc


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _cannot(path: Path, why: str) -> FollowupError:
    return FollowupError(f"cannot write {path}: {why}; nothing written")


def _failed(path: Path, exc: OSError) -> FollowupError:
    return FollowupError(f"could not write {path}: {exc.strerror or exc}")
