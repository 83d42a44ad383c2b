"""Every table stays readable in a 40, 80 or 200 column terminal: columns
shrink, long text is cut with an ellipsis (or wrapped, in `show`), less
important columns give way on a narrow screen, ids stay whole so they can be
typed, and no line is ever wider than the terminal."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer
from rich.cells import cell_len

from followup.cli.app import app
from helpers import Run, add_interview

WIDTHS = [40, 80, 200]
COMPANY = "Vandelay Industries International Import, Export and Latex Holdings"
ROLE = "Senior Principal Staff Data Platform Reliability Engineer, Northern Europe"
PANEL = ["Maximiliane Alexandra von Hohenzollern-Sigmaringen", "Bartholomew Featherstonehaugh-Cholmondeley"]
CHECKLIST = "a-checklist-with-a-rather-long-name"
STEP_TITLE = "Send a handwritten postcard with a drawing of the office building to everyone you met that day"
COMMANDS = {
    "dashboard": [],
    "list": ["list"],
    "list-all": ["list", "--all"],
    "show": ["show", "vandelay"],
    "show-own-checklist": ["show", "kramerica"],
    "due": ["due"],
    "checklists": ["checklists"],
    "checklists-show": ["checklists", "show", CHECKLIST],
}
if "stats" in typer.main.get_command(app).list_commands(None):  # type: ignore[attr-defined,arg-type]
    COMMANDS["stats"] = ["stats"]


@pytest.fixture
def long_store(run: Run, home: Path) -> dict[str, str]:
    """Long names everywhere: company, role, a panel, a checklist and its steps; the ids."""
    folder = home / "checklists"
    folder.mkdir(parents=True)
    (folder / f"{CHECKLIST}.yaml").write_text(
        f"name: {CHECKLIST}\n"
        "title: A checklist whose title goes on and on, well past what any narrow terminal could show\n"
        "steps:\n"
        "  - id: send-a-handwritten-postcard\n"
        f"    title: {STEP_TITLE}\n"
        "    why: People remember a drawing long after they have forgotten an email.\n"
        "    due: +2d\n"
        "  - id: thank\n"
        "    title: Thank them\n"
        "    due: -1d\n",
        encoding="utf-8",
    )
    vandelay = add_interview(
        run,
        COMPANY,
        *(arg for name in PANEL for arg in ("-i", name)),
        "--decision-by",
        "2026-12-11",
        "--note",
        "We talked about the " + "very " * 20 + "long commute",
        "--done",
        "thank-interviewer",
        role=ROLE,
        at="2026-11-27 09:00",
    )
    ids = {"vandelay": vandelay}
    ids["kramerica"] = add_interview(run, "Kramerica Industries", "--checklist", CHECKLIST, role=ROLE)
    ids["pendant"] = add_interview(run, "Pendant Publishing", role=ROLE, at="2026-11-20 10:00")
    assert run("close", ids["pendant"], "--outcome", "rejected").exit_code == 0
    return ids


def render(run: Run, args: list[str], width: int) -> str:
    result = run(*args, env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()
    return result.stdout


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(COMMANDS))
def test_no_line_is_wider_than_the_terminal(
    run: Run, long_store: dict[str, str], home: Path, name: str, width: int
) -> None:
    out = render(run, COMMANDS[name], width)
    # A line that names a path is left whole for copying (the terminal wraps it, softly).
    wide = [line for line in out.splitlines() if cell_len(line) > width and str(home) not in line]
    assert not wide, f"{len(wide)} lines wider than {width}:\n" + "\n".join(wide)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["dashboard", "list", "due"])
def test_ids_stay_whole_and_long_text_is_cut(run: Run, long_store: dict[str, str], name: str, width: int) -> None:
    out = render(run, COMMANDS[name], width)
    for interview_id in (long_store["vandelay"], long_store["kramerica"]):
        assert interview_id in out, f"{interview_id} is cut at {width} columns"
    if width < 200:
        assert "…" in out
    # Every row still shows its state glyph.
    rows = [line for line in out.splitlines() if long_store["vandelay"] in line and not line.startswith("next")]
    glyph = r"[!○✓]"
    assert rows and all(re.match(rf"({glyph}  .*|\S+ +{glyph}  .*)", line) for line in rows), rows


def test_a_wide_terminal_shows_long_text_in_full(run: Run, long_store: dict[str, str]) -> None:
    due = render(run, ["due"], 200)
    assert f"Write a thank-you letter to {PANEL[0]}, with a personal note" in due
    listed = render(run, ["list"], 200)
    assert f"{STEP_TITLE[:60]}" not in listed or STEP_TITLE in listed  # cut only for want of room
    assert render(run, ["checklists"], 200).count("past what any narrow terminal could show") == 1


def test_a_narrow_terminal_leaves_out_less_important_columns(run: Run, long_store: dict[str, str]) -> None:
    assert render(run, ["due"], 80).splitlines()[0].split() == ["due", "when", "interview", "#", "step"]
    # At 40 columns the absolute time goes, and the step's title moves under its interview.
    due = render(run, ["due"], 40).splitlines()
    assert due[0].split() == ["due", "interview", "#", "·", "step"]
    first = json.loads(run("due", "--json").stdout)[0]
    assert due[1].split()[-2:] == [first["interview"], f"#{first['number']}"]
    assert due[2].strip().removesuffix("…") in first["title"]
    listed = render(run, ["list"], 40).splitlines()
    assert "company" not in listed[0] and "date" not in listed[0]
    assert "company · role" in render(run, ["list"], 80).splitlines()[0]
    assert "source" not in render(run, ["checklists"], 40).splitlines()[0]


@pytest.mark.parametrize("width", WIDTHS)
def test_show_wraps_instead_of_cutting(run: Run, long_store: dict[str, str], width: int) -> None:
    out = render(run, ["show", long_store["kramerica"]], width)
    words = " ".join(out.split())
    for word in STEP_TITLE.split():
        assert word in words, word
    assert "…" not in out


def test_show_keeps_wrapped_text_to_a_readable_measure(run: Run, long_store: dict[str, str]) -> None:
    out = render(run, ["show", long_store["vandelay"]], 200)
    assert max(cell_len(line.rstrip()) for line in out.splitlines()) < 120


@pytest.mark.parametrize("width", WIDTHS)
def test_the_next_command_on_the_dashboard_fits_on_one_line(run: Run, long_store: dict[str, str], width: int) -> None:
    out = render(run, [], width)
    (line,) = [line for line in out.splitlines() if line.startswith("followup done") or "next: " in line]
    assert long_store["vandelay"] in line or long_store["kramerica"] in line
    assert cell_len(line) <= width
