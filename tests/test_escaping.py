"""Hostile user text is shown, never obeyed.

Company, role, interviewer names and notes may hold rich markup, C1 controls
(which start ANSI and OSC sequences as ESC does) and newlines; C0 controls other
than newline and tab are refused when typed. Every command prints that text
literally: markup appears as typed, no raw ESC or C1 character reaches the
terminal, and nothing raises. `--json` keeps the text exactly as given.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import Result

from helpers import Run

# C0 controls other than newline and tab are refused on input (tests/test_invariants.py);
# the C1 forms of the same sequences (CSI is \x9b, OSC \x9d, ST \x9c) are taken and must be escaped.
COMPANY = "[red]x[/] Acme \x9b31m\x9b2J"
ROLE = "[bold]Dev[/oops] \x9b6n ops"
INTERVIEWER = "[link=http://e.vil]x[/link] \x9d8;;http://e.vil\x9cAna"
PANEL = "Bob\nEvil \x9b31m"
NOTE = "line1\nline2 [red]x[/] \x9d0;pwned\x9c \x85end"

MARKUP = {
    "company": "[red]x[/]",
    "role": "[bold]Dev[/oops]",
    "interviewer": "[link=http://e.vil]x[/link]",
}
WIDE = {"COLUMNS": "400"}
COLOUR = {"FORCE_COLOR": "1", "NO_COLOR": "", "COLUMNS": "400"}
SGR = re.compile(r"\x1b\[[0-9;]*m")
# Every C0 control but the newline that ends lines, DEL, and every C1 control.
RAW_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def assert_clean(text: str) -> None:
    """No control character that a terminal would obey."""
    found = RAW_CONTROL.findall(text)
    assert not found, f"raw control characters {found!r} in {text!r}"


def assert_ok(result: Result) -> None:
    assert result.exit_code == 0, result.output
    assert_clean(result.stdout)
    assert_clean(result.stderr)


def add_hostile(run: Run, *extra: str, env: dict[str, str] | None = None) -> Result:
    result = run(
        "new",
        "--company",
        COMPANY,
        "--role",
        ROLE,
        "-i",
        INTERVIEWER,
        "-i",
        PANEL,
        "--note",
        NOTE,
        "--at",
        "2026-11-28 11:00",
        *extra,
        env=env,
    )
    assert result.exit_code == 0, result.output
    return result


def hostile_id(run: Run) -> str:
    ids = [i["id"] for i in json.loads(run("list", "--json").stdout)]
    assert len(ids) == 1
    return ids[0]


def store_bytes(home: Path) -> bytes | None:
    path = home / "followup.json"
    return path.read_bytes() if path.exists() else None


# --- plain output -------------------------------------------------------------------


def test_new_prints_hostile_text_literally(run: Run) -> None:
    result = add_hostile(run, env=WIDE)
    assert_ok(result)
    for marker in MARKUP.values():
        assert marker in result.stdout, marker
    assert "[red]x[/]" in result.stdout  # the note's markup as well
    # The change line names company and role, literally.
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert MARKUP["company"] in lines[0] and MARKUP["role"] in lines[0]


def test_new_in_a_normal_width_terminal_is_clean(run: Run) -> None:
    assert_ok(add_hostile(run))


def test_ids_made_from_hostile_company_are_plain(run: Run) -> None:
    add_hostile(run)
    interview_id = hostile_id(run)
    assert re.fullmatch(r"[a-z0-9-]{1,20}", interview_id), interview_id


@pytest.mark.parametrize("env", [None, WIDE], ids=["100-columns", "wide"])
def test_list_prints_hostile_text_literally(run: Run, env: dict[str, str] | None) -> None:
    add_hostile(run)
    result = run("list", env=env)
    assert_ok(result)
    assert MARKUP["company"] in result.stdout
    assert len([line for line in result.stdout.splitlines() if line.strip()]) == 2  # header and one row


@pytest.mark.parametrize("env", [None, WIDE], ids=["100-columns", "wide"])
def test_show_prints_hostile_text_literally(run: Run, env: dict[str, str] | None) -> None:
    add_hostile(run)
    result = run("show", hostile_id(run), env=env)
    assert_ok(result)
    if env:
        for marker in MARKUP.values():
            assert marker in result.stdout, marker
        assert "line2 [red]x[/]" in result.stdout
    # Nothing after a control sequence is swallowed.
    for tail in ("Ana", "Evil", "end", "ops"):
        assert tail in result.stdout, tail


def test_show_keeps_newlines_in_user_text_from_breaking_lines(run: Run) -> None:
    add_hostile(run)
    out = run("show", hostile_id(run), env=WIDE).stdout
    lines = out.splitlines()
    # The note and the second interviewer's name each stay on one line.
    assert any("line1" in line and "line2" in line for line in lines), out
    assert any("Bob" in line and "Evil" in line for line in lines), out


@pytest.mark.parametrize("env", [None, WIDE], ids=["100-columns", "wide"])
def test_due_prints_hostile_text_literally(run: Run, env: dict[str, str] | None) -> None:
    add_hostile(run)
    result = run("due", env=env)
    assert_ok(result)
    if env:
        assert MARKUP["interviewer"] in result.stdout  # in the letter steps' titles
        assert "Bob" in result.stdout and "Evil" in result.stdout
    check = run("due", "--check", env=env)
    assert check.exit_code == 3
    assert_clean(check.stdout)


def test_change_lines_on_stderr_are_literal_and_clean(run: Run) -> None:
    add_hostile(run)
    interview_id = hostile_id(run)
    for args in (
        ("done", interview_id, "1"),
        ("skip", interview_id, "2", "--reason", "[red]no[/] \x9b2J"),
        ("edit", interview_id, "--note", "[bold]again[/] \x9b2J", "--company", COMPANY + " 2"),
        ("close", interview_id, "--outcome", "offer"),
        ("reopen", interview_id),
        ("rm", interview_id, "--yes"),
        ("undo",),
    ):
        result = run(*args)
        assert_ok(result)
        assert len(result.stderr.splitlines()) == 1, (args, result.stderr)
        if args[0] in ("close", "reopen", "rm", "undo"):
            assert MARKUP["company"] in result.stderr, args
    shown = run("show", interview_id, env=WIDE)
    assert_ok(shown)
    assert "[red]no[/]" in shown.stdout  # the skip reason
    assert "[bold]again[/]" in shown.stdout  # the edited note


def test_edit_interviewer_warning_is_clean(run: Run) -> None:
    add_hostile(run)
    result = run("edit", hostile_id(run), "-i", INTERVIEWER + " 2")
    assert_ok(result)


@pytest.mark.parametrize(
    "args",
    [
        ("show", "[red]x[/]\x1b[2J"),
        ("rm", "\x1b]8;;http://e.vil\x07[bold]x", "--yes"),
        ("done", "ID", "\x9b2J[red]step[/]"),
        ("new", "--company", "A", "--role", "B", "--flag", "[red]\x1b[31mlate"),
        ("new", "--company", "A", "--role", "B", "--at", "[red]x[/]\x1b[2J"),
        ("edit", "ID", "--decision-by", "\x85[bold]soon"),
        ("checklists", "show", "[red]\x1b[2J"),
    ],
    ids=["show", "rm", "done-step", "new-flag", "new-at", "edit-decision", "checklist"],
)
def test_errors_quoting_user_text_are_literal_and_clean(run: Run, home: Path, args: tuple[str, ...]) -> None:
    add_hostile(run)
    interview_id = hostile_id(run)
    args = tuple(interview_id if arg == "ID" else arg for arg in args)
    stored = store_bytes(home)
    result = run(*args)
    assert result.exit_code in (1, 2), result.output
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.output
    assert_clean(result.stdout)
    assert_clean(result.stderr)
    assert "[red]" in result.stderr or "[bold]" in result.stderr
    assert store_bytes(home) == stored


def test_undecodable_bytes_from_the_command_line_fail_cleanly(run: Run, home: Path) -> None:
    """A raw 0x9b byte typed in a UTF-8 terminal reaches Python as a lone surrogate."""
    result = run("new", "--company", "Acme \udc9b", "--role", "Dev")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert_clean(result.stderr)
    assert store_bytes(home) is None


def test_hostile_checklist_text_is_literal_and_clean(run: Run, home: Path) -> None:
    folder = home / "checklists"
    folder.mkdir(parents=True)
    (folder / "evil.yaml").write_text(
        "name: evil\n"
        'title: "[red]Evil[/] \\x9b2J"\n'
        'description: "[link=http://e.vil]x[/link] \\x9d8;;http://e.vil\\x9c"\n'
        "flags:\n"
        '  odd: "[bold]Odd?[/oops] \\x9b6n"\n'
        "steps:\n"
        "  - id: one\n"
        '    title: "[red]Step[/] \\x9b31m"\n'
        '    why: "Because\\n[bold]reasons[/] \\x9b2J"\n'
        "    due: 0\n",
        encoding="utf-8",
    )
    listed = run("checklists", env=WIDE)
    assert_ok(listed)
    assert "[red]Evil[/]" in listed.stdout
    shown = run("checklists", "show", "evil", env=WIDE)
    assert_ok(shown)
    for marker in (
        "[red]Evil[/]",
        "[link=http://e.vil]x[/link]",
        "[bold]Odd?[/oops]",
        "[red]Step[/]",
        "[bold]reasons[/]",
    ):
        assert marker in shown.stdout, marker
    made = run("new", "--company", "A", "--role", "B", "--checklist", "evil", env=WIDE)
    assert_ok(made)
    assert "[red]Step[/]" in made.stdout


# --- with colours on ----------------------------------------------------------------


@pytest.mark.parametrize("command", ["new", "list", "show", "due"])
def test_with_colours_on_user_text_is_still_literal(run: Run, command: str) -> None:
    created = add_hostile(run, env=COLOUR)
    if command == "new":
        result = created
    else:
        args = ("show", hostile_id(run)) if command == "show" else (command,)
        result = run(*args, env=COLOUR)
    assert result.exit_code == 0, result.output
    assert SGR.search(result.stdout), "FORCE_COLOR should turn colours on"
    plain = SGR.sub("", result.stdout)
    errors = SGR.sub("", result.stderr)
    assert_clean(plain)
    assert_clean(errors)
    # The user's own `CSI 31m` was not passed through as a colour: its text is still there.
    if command in ("new", "list", "show"):
        assert MARKUP["company"] in plain
        assert "\\x9b31m" in plain
    if command in ("new", "show"):
        assert MARKUP["role"] in plain and MARKUP["interviewer"] in plain
    if command == "due":
        assert MARKUP["interviewer"] in plain


def test_colours_follow_no_color(run: Run) -> None:
    add_hostile(run)
    result = run("show", hostile_id(run), env={"FORCE_COLOR": "", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout


def test_no_color_means_plain_text_even_on_a_terminal(run: Run) -> None:
    """NO_COLOR wins over FORCE_COLOR, and leaves no bold or dim either."""
    add_hostile(run)
    for command in (["show", hostile_id(run)], ["list"], ["due"]):
        result = run(*command, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.stdout, command


# --- JSON ---------------------------------------------------------------------------


def check_interview(data: dict[str, Any]) -> None:
    assert data["company"] == COMPANY
    assert data["role"] == ROLE
    assert data["interviewers"] == [INTERVIEWER, PANEL]
    assert data["notes"] == NOTE
    titles = [step["title"] for step in data["steps"]]
    assert any(INTERVIEWER in title for title in titles)
    assert any(PANEL in title for title in titles)


def assert_json_clean(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    assert_clean(result.stdout)  # JSON escapes every control character it holds
    return json.loads(result.stdout)


def test_json_keeps_the_original_text_exactly(run: Run) -> None:
    check_interview(assert_json_clean(add_hostile(run, "--json")))
    interview_id = hostile_id(run)
    check_interview(assert_json_clean(run("show", interview_id, "--json")))
    (listed,) = assert_json_clean(run("list", "--json"))
    check_interview(listed)
    items = assert_json_clean(run("due", "--json"))
    assert items and all(item["company"] == COMPANY for item in items)
    assert any(INTERVIEWER in item["title"] for item in items)
    (exported,) = assert_json_clean(run("export"))["interviews"]
    check_interview(exported)


def test_json_keeps_the_text_exactly_with_colours_forced(run: Run) -> None:
    add_hostile(run)
    check_interview(assert_json_clean(run("show", hostile_id(run), "--json", env=COLOUR)))


def test_hostile_text_survives_export_and_import(run: Run, tmp_path: Path) -> None:
    add_hostile(run)
    text = run("export").stdout
    other = {"FOLLOWUP_HOME": str(tmp_path / "other")}
    imported = run("import", "-", input=text, env=other)
    assert_ok(imported)
    (interview,) = json.loads(run("list", "--json", env=other).stdout)
    check_interview(interview)


@pytest.mark.parametrize(
    "summary",
    [
        "marked done: thank-interviewer (acme-1128)",
        "edited acme-1128: company Ärztekammer 李雷 e\u0301 (a combining accent)",
        "added x (" + "very long company name " * 12 + ")",
        "[red]x[/] :smile: $HOME\ttab\nnew line \x1b[31m",
    ],
)
@pytest.mark.parametrize("colour", ["truecolor", None])
def test_the_changed_line_is_what_rich_would_print(summary: str, colour: Any) -> None:
    """`changed_line` writes the line without loading rich: byte for byte what the
    stderr console (`render.console.consoles`: soft wrap, no highlighting) printed, in a
    terminal with colour or without, however long or wide the line."""
    from rich.console import Console
    from rich.text import Text

    from followup.escape import printable
    from followup.render.streams import changed_line

    shown = printable(summary)
    by_rich = io.StringIO()
    console = Console(
        file=by_rich, highlight=False, soft_wrap=True, color_system=colour, force_terminal=True, width=20, height=25
    )
    console.print(Text(shown))
    mine = io.StringIO()
    with contextlib.redirect_stderr(mine):
        changed_line(summary)
    assert mine.getvalue() == by_rich.getvalue()


@given(
    st.recursive(
        st.text() | st.integers() | st.none(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
        max_leaves=12,
    ),
    st.integers(1, 3),
)
def test_a_member_made_of_utf8_json_is_the_member_made_of_its_text(data: Any, depth: int) -> None:
    """`export` makes the backup's members of the bytes pydantic writes, DEL and C1 controls
    escaped as the text's are (`json_member_of_text`)."""
    from pydantic_core import PydanticSerializationError, to_json

    from followup.escape import json_member_of_json, json_member_of_text

    try:
        raw = to_json(data, indent=2)
    except PydanticSerializationError:
        return  # a lone surrogate: neither way writes it
    assert json_member_of_json(raw, depth) == json_member_of_text(raw.decode("utf-8"), depth).encode("utf-8")
