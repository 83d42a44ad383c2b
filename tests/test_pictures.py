"""The README's pictures are made from real runs, and cannot go stale unnoticed:
`docs/pictures.py` makes them again here, and they must equal the committed ones."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
NAMES = ["dashboard", "due", "show"]
REMAKE = "run `python docs/pictures.py` and commit the new pictures"


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pictures")
    # The script fixes clock, zone and width itself: whatever the caller's environment says must not matter.
    env = {**os.environ, "TZ": "America/Los_Angeles", "COLUMNS": "37", "NO_COLOR": "1", "FOLLOWUP_NOW": "now"}
    env.pop("FORCE_COLOR", None)
    done = subprocess.run(
        [sys.executable, str(DOCS / "pictures.py"), str(folder)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    return folder


def test_the_script_makes_three_terminal_pictures_and_a_printed_letter(made: Path) -> None:
    assert sorted(path.name for path in made.iterdir()) == sorted([f"{name}.svg" for name in NAMES] + ["letter.png"])


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_letter_picture_is_an_a4_page_like_the_committed_one(made: Path) -> None:
    """Its pixels depend on poppler's version; its size does not."""
    width, height = png_size(made / "letter.png")
    assert abs(height / width - 297 / 210) < 0.01  # A4
    assert png_size(DOCS / "letter.png") == (width, height), f"docs/letter.png is stale: {REMAKE}"


@pytest.mark.parametrize("name", NAMES)
def test_the_committed_pictures_are_up_to_date(made: Path, name: str) -> None:
    committed = DOCS / f"{name}.svg"
    assert committed.is_file(), REMAKE
    assert (made / f"{name}.svg").read_text(encoding="utf-8") == committed.read_text(encoding="utf-8"), (
        f"docs/{name}.svg is stale: {REMAKE}"
    )


def test_the_pictures_show_real_output_in_colour(made: Path) -> None:
    due = (made / "due.svg").read_text(encoding="utf-8")
    assert due.startswith("<svg")
    assert "acme-corp-1127" in due and "overdue" in due
    assert "fill: #cc555a" in due and "fill: #d0b344" in due  # red overdue, yellow due soon
    show = (made / "show.svg").read_text(encoding="utf-8")
    assert "Acme&#160;Corp" in show and "write-letter" in show
    dashboard = (made / "dashboard.svg").read_text(encoding="utf-8")
    assert "next:" in dashboard and "followup&#160;done&#160;acme-corp-1127&#160;write-letter" in dashboard


def test_the_readme_opens_with_the_pictures() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    before_set_up = readme.split("\n## ", 1)[0]
    for name in NAMES:
        assert f"](docs/{name}.svg)" in before_set_up, name


def test_the_readme_shows_the_printed_letter() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    letters = readme.split("\n## Thank-you letters", 1)[1].split("\n## ", 1)[0]
    assert "](docs/letter.png)" in letters
