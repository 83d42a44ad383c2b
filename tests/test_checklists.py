"""Checklist files: the built-in advice, user overrides, strict and safe loading, `checklists validate`."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import Result

from followup import checklists
from followup.constants import DEFAULT_CHECKLIST
from followup.errors import EXIT_ERROR, ChecklistError
from followup.models import Checklist
from followup.schedule import plan_steps
from followup.when import parse_duration

Run = Callable[..., Result]

GOOD = """\
name: mine
title: My checklist
flags:
  late: "Were you late?"
steps:
  - id: thank
    title: Thank them
    why: Because it matters.
    due: "0"
  - id: sorry
    title: Apologise
    due: "0"
    when: late
  - id: letter
    title: Write to {interviewer}
    due: "+1d"
    per_interviewer: true
    before_decision: 2bd
"""


@pytest.fixture
def user_dir(home: Path) -> Path:
    folder = home / "checklists"
    folder.mkdir(parents=True)
    return folder


def write(folder: Path, text: str, name: str = "mine.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load_error(path: Path) -> ChecklistError:
    with pytest.raises(ChecklistError) as caught:
        checklists.load(path)
    error = caught.value
    assert error.exit_code == EXIT_ERROR == 1
    assert str(path) in error.message
    return error


def builtin(name: str, user_dir: Path) -> Checklist:
    return checklists.load(checklists.locate(name, user_dir))


# --- the built-in checklists ------------------------------------------------------------


def test_builtins_are_listed(user_dir: Path) -> None:
    entries = {entry.name: entry for entry in checklists.available(user_dir)}
    assert {"post-interview", "pre-interview"} <= set(entries)
    for name in ("post-interview", "pre-interview"):
        assert entries[name].source == "built-in"
        assert entries[name].path.parent == checklists.builtin_dir()
    assert DEFAULT_CHECKLIST == "post-interview"


def test_every_builtin_loads_and_explains_every_step(user_dir: Path) -> None:
    for entry in checklists.available(user_dir):
        loaded = checklists.load(entry.path)
        assert loaded.name == entry.name
        assert loaded.title
        assert loaded.steps
        for item in loaded.steps:
            assert item.title.strip()
            assert len(item.why.strip()) > 20, item.id
            if "{interviewer}" in item.title:
                assert item.per_interviewer, item.id


def test_post_interview_carries_the_advice(user_dir: Path) -> None:
    post = builtin("post-interview", user_dir)
    assert post.name == "post-interview"
    assert set(post.flags) == {"late", "video"}
    assert all(question.endswith("?") for question in post.flags.values())
    steps = {item.id: item for item in post.steps}
    assert [item.id for item in post.steps][:1] == ["thank-interviewer"]

    thank = steps["thank-interviewer"]
    assert thank.when is None
    assert parse_duration(thank.due).amount == 0
    assert "supervisor" in thank.why

    assert steps["thank-patience"].when == "late"
    assert "patience" in steps["thank-patience"].title.lower()
    assert steps["shake-hands"].when == "not video"
    assert "official close" in steps["shake-hands"].why
    assert steps["greet-staff"].when == "not video"
    assert "team player" in steps["greet-staff"].why

    write_letter = steps["write-letter"]
    assert write_letter.per_interviewer
    assert write_letter.when is None
    assert write_letter.before_decision is not None
    assert parse_duration(write_letter.before_decision).unit == "bd"
    assert "personal" in write_letter.title.lower()
    assert "pre-planned" in write_letter.why

    mail = steps["mail-letter"]
    assert mail.per_interviewer
    assert mail.when == "not video"
    assert mail.before_decision is not None
    assert parse_duration(mail.before_decision).unit == "bd"
    assert "before a" in mail.why and "decision" in mail.why
    assert mail.too_late is not None and "email" in mail.too_late.lower()

    email = steps["email-letter"]
    assert email.when == "video"
    assert email.per_interviewer
    assert email.before_decision is not None

    # The letter is written before it is mailed.
    assert post.steps.index(write_letter) < post.steps.index(mail)
    assert parse_duration(write_letter.due).amount <= parse_duration(mail.due).amount


def test_post_interview_plans_by_flags(user_dir: Path) -> None:
    post = builtin("post-interview", user_dir)
    at = datetime(2026, 11, 26, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))

    def plan(flags: dict[str, bool], interviewers: list[str]) -> list[str]:
        planned = plan_steps(
            post, at=at, zone_name="Europe/Berlin", interviewers=interviewers, flags=flags, decision_by=None
        )
        return [item.id for item in planned]

    in_person = plan({}, ["Ana Lima"])
    assert in_person == ["thank-interviewer", "shake-hands", "greet-staff", "write-letter", "mail-letter"]
    late_video = plan({"late": True, "video": True}, ["Ana Lima", "Ben Okoro"])
    assert late_video == [
        "thank-interviewer",
        "thank-patience",
        "write-letter-ana",
        "write-letter-ben",
        "email-letter-ana",
        "email-letter-ben",
    ]


def test_pre_interview_carries_the_advice(user_dir: Path) -> None:
    pre = builtin("pre-interview", user_dir)
    steps = {item.id: item for item in pre.steps}
    assert {"study-questions", "prepare-questions", "choose-outfit", "plan-route"} <= set(steps)
    assert "questions to ask" in steps["prepare-questions"].title
    assert "early" in steps["plan-route"].title
    assert "Never be late" in steps["plan-route"].why
    for item in pre.steps:
        assert parse_duration(item.due).amount < 0, item.id


# --- where checklists come from ----------------------------------------------------------------


def test_user_checklist_wins_over_builtin(user_dir: Path) -> None:
    mine = write(user_dir, GOOD.replace("name: mine", "name: post-interview"), "post-interview.yaml")
    entries = {entry.name: entry for entry in checklists.available(user_dir)}
    assert entries["post-interview"].source == "user"
    assert entries["post-interview"].path == mine
    assert entries["pre-interview"].source == "built-in"
    assert [entry.name for entry in checklists.available(user_dir)].count("post-interview") == 1
    assert checklists.locate("post-interview", user_dir) == mine
    assert checklists.load(checklists.locate("post-interview", user_dir)).title == "My checklist"


def test_user_checklist_with_yml_suffix(user_dir: Path) -> None:
    mine = write(user_dir, GOOD, "mine.yml")
    assert checklists.locate("mine", user_dir) == mine
    assert "mine" in [entry.name for entry in checklists.available(user_dir)]


def test_available_ignores_other_files(user_dir: Path) -> None:
    write(user_dir, GOOD, "Not A Slug.yaml")
    write(user_dir, GOOD, "notes.txt")
    (user_dir / "folder.yaml").mkdir()
    names = [entry.name for entry in checklists.available(user_dir)]
    assert names == sorted(names)
    assert set(names) == {"post-interview", "pre-interview"}


def test_available_without_a_user_folder(home: Path) -> None:
    names = [entry.name for entry in checklists.available(home / "missing")]
    assert {"post-interview", "pre-interview"} <= set(names)


def test_a_path_loads_any_file(tmp_path: Path, user_dir: Path) -> None:
    elsewhere = write(tmp_path / "elsewhere", GOOD, "mine.yaml")
    assert checklists.locate(str(elsewhere), user_dir) == elsewhere
    loaded = checklists.load(elsewhere)
    assert loaded.name == "mine"
    assert [item.id for item in loaded.steps] == ["thank", "sorry", "letter"]
    assert loaded.steps[2].before_decision == "2bd"


def test_unknown_name_lists_the_available_ones(user_dir: Path) -> None:
    with pytest.raises(ChecklistError) as caught:
        checklists.locate("no-such-list", user_dir)
    assert "no-such-list" in caught.value.message
    assert "post-interview" in caught.value.message
    assert caught.value.exit_code == 1


def test_missing_path_is_an_error(tmp_path: Path, user_dir: Path) -> None:
    with pytest.raises(ChecklistError, match="no checklist file"):
        checklists.locate(str(tmp_path / "nope.yaml"), user_dir)


@pytest.mark.parametrize("name", ["..", "...", ".hidden", "UPPER", "two words", "x..y", "-x", "x\x00y", ""])
def test_names_that_are_not_slugs_are_refused(name: str, user_dir: Path) -> None:
    with pytest.raises(ChecklistError, match="not a checklist name"):
        checklists.locate(name, user_dir)


@pytest.mark.parametrize("name", ["../x", "..\\x", "../checklists/../x", "../x.yaml"])
def test_dotted_names_never_reach_outside_the_checklist_folders(
    name: str, tmp_path: Path, user_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Files sit right beside the user's folder, where `user_dir / "../x.yaml"` would find them.
    write(user_dir.parent, GOOD, "x.yaml")
    write(user_dir.parent, GOOD, "x")
    # Something with a slash is a path, relative to where the user is, not to the checklist folder.
    cwd = tmp_path / "work" / "deep"
    cwd.mkdir(parents=True)
    monkeypatch.chdir(cwd)
    with pytest.raises(ChecklistError, match="no checklist file"):
        checklists.locate(name, user_dir)


# --- invalid files ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "present", "absent"),
    [
        pytest.param(
            """\
            name: mine
            title: Mine
            steps:
              - id: a
                title: A
                due: "0"
              - id: b
                title: B
                due: "+1d"
              - id: c
                title: C
                due: soon
            """,
            ["steps[2].due", "line 12", "+1d"],  # +1d: it shows what a duration looks like
            [],
            id="a-bad-due",
        ),
        pytest.param(
            "name: mine\ntitle: T\nsteps:\n  - id: a\n    due: '0'\n",
            ["steps[0].title", "missing", "(line 4)"],  # the line of the step that lacks it
            [],
            id="a-missing-field",
        ),
        pytest.param(
            """\
            name: mine
            title: Mine
            stpes: []
            steps:
              - id: a
                title: A
                due: "0"
                whn: late
            """,
            ["stpes", "(line 3)", "steps[0].whn", "(line 8)", "unknown field"],
            [],
            id="unknown-keys",
        ),
        pytest.param(
            """\
            name: mine
            title: Mine
            steps:
              - id: a
                title: A
                due: "0"
              - id: a
                title: B
                due: "0"
            """,
            ["steps[1].id", "'a'", "unique", "(line 7)"],
            ["top level"],
            id="duplicate-step-ids",
        ),
        pytest.param(
            """\
            name: mine
            title: Mine
            flags:
              late: "Late?"
            steps:
              - id: a
                title: A
                due: "0"
              - id: b
                title: B
                due: "0"
                when: not video
            """,
            ["steps[1].when", "'video'", "not declared", "late", "(line 12)"],  # late: what is declared
            [],
            id="when-naming-an-undeclared-flag",
        ),
    ],
)
def test_a_bad_field_is_named_with_its_line(tmp_path: Path, body: str, present: list[str], absent: list[str]) -> None:
    """The file, the field, its line and what is wrong; the hint names `validate`, which lists every problem."""
    error = load_error(write(tmp_path, body))
    for words in present:
        assert words in error.message
    for words in absent:
        assert words not in error.message
    assert error.hint is not None and "validate" in error.hint


@pytest.mark.parametrize(
    ("body", "field", "line"),
    [
        ("name: Mine List\ntitle: T\nsteps:\n  - {id: a, title: A, due: '0'}\n", "name", 1),
        ("name: mine\ntitle: T\nsteps:\n  - {id: Not Slug, title: A, due: '0'}\n", "steps[0].id", 4),
        (
            "name: mine\ntitle: T\nsteps:\n  - id: a\n    title: A\n    due: '0'\n    before_decision: -2d\n",
            "steps[0].before_decision",
            7,
        ),
        ("name: mine\ntitle: T\nsteps:\n  - id: a\n    title: A\n    due: true\n", "steps[0].due", 6),
        (
            "name: mine\ntitle: T\nsteps:\n  - id: a\n    title: A\n    due: '0'\n    per_interviewer: maybe\n",
            "steps[0].per_interviewer",
            7,
        ),
        ("name: mine\ntitle: T\nflags:\n  Late: '?'\nsteps:\n  - {id: a, title: A, due: '0'}\n", "flags", 4),
        ("name: mine\ntitle: T\nsteps: []\n", "steps", 3),
        ("name: mine\ntitle: ''\nsteps:\n  - {id: a, title: A, due: '0'}\n", "title", 2),
    ],
)
def test_invalid_values_name_the_field_and_line(tmp_path: Path, body: str, field: str, line: int) -> None:
    error = load_error(write(tmp_path, body))
    assert f": {field}: " in error.message
    assert f"(line {line})" in error.message


@pytest.mark.parametrize("word", ["no", "yes", "off", "on", "true", "false"])
def test_when_as_a_yaml_boolean_gives_a_clear_error(tmp_path: Path, word: str) -> None:
    path = write(
        tmp_path,
        f"""\
        name: mine
        title: Mine
        flags:
          video: "Video?"
        steps:
          - id: a
            title: A
            due: "0"
            when: {word}
        """,
    )
    error = load_error(path)
    assert "steps[0].when" in error.message
    assert "(line 9)" in error.message
    assert "quote" in error.message


def test_yaml_aliases_are_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        name: mine
        title: &t Mine
        steps:
          - id: a
            title: *t
            due: "0"
        """,
    )
    error = load_error(path)
    assert "alias" in error.message
    assert "line 5" in error.message


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    path = write(tmp_path, "\n".join(lines) + "\n")
    assert "alias" in load_error(path).message


@pytest.mark.parametrize(
    ("body", "key", "line"),
    [
        ("name: mine\ntitle: Mine\ntitle: Other\nsteps:\n  - {id: a, title: A, due: '0'}\n", "title", 3),
        ("name: mine\ntitle: Mine\nsteps:\n  - id: a\n    title: A\n    due: '0'\n    due: '+1d'\n", "due", 7),
        (
            "name: mine\ntitle: Mine\nflags:\n  late: A?\n  late: B?\nsteps:\n  - {id: a, title: A, due: '0'}\n",
            "late",
            5,
        ),
    ],
)
def test_duplicate_mapping_keys_are_refused(tmp_path: Path, body: str, key: str, line: int) -> None:
    error = load_error(write(tmp_path, body))
    assert f"duplicate key {key!r}" in error.message
    assert f"line {line}" in error.message


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system",
        "!!python/object/new:os.system",
        "!!python/name:os.system",
        "!!python/object:os.system",
    ],
)
def test_python_tags_never_run_code(tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "pwned"
    path = write(
        tmp_path,
        f"""\
        name: mine
        title: {tag} ["touch {marker}"]
        steps:
          - id: a
            title: A
            due: "0"
        """,
    )
    error = load_error(path)
    assert "line 2" in error.message
    assert not marker.exists()


@pytest.mark.parametrize(
    "body",
    ["", "# only a comment\n", "- a\n- b\n", "just text\n", "42\n"],
)
def test_top_level_must_be_a_mapping(tmp_path: Path, body: str) -> None:
    assert "mapping" in load_error(write(tmp_path, body)).message


def test_yaml_syntax_error_gives_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "name: mine\ntitle: [unclosed\nsteps:\n  - id: a\n")
    error = load_error(path)
    assert "not valid YAML" in error.message
    assert "line" in error.message and "column" in error.message


def test_larger_than_the_cap_is_refused(tmp_path: Path) -> None:
    padding = "# " + "x" * 78 + "\n"
    body = GOOD + padding * (checklists.MAX_CHECKLIST_BYTES // len(padding) + 1)
    path = tmp_path / "mine.yaml"
    path.write_text(body, encoding="utf-8")
    assert path.stat().st_size > checklists.MAX_CHECKLIST_BYTES
    assert "larger than" in load_error(path).message


def test_just_under_the_cap_is_accepted(tmp_path: Path) -> None:
    padding = "# " + "x" * 78 + "\n"
    body = GOOD + padding * ((checklists.MAX_CHECKLIST_BYTES - len(GOOD)) // len(padding))
    path = tmp_path / "mine.yaml"
    path.write_text(body, encoding="utf-8")
    assert path.stat().st_size <= checklists.MAX_CHECKLIST_BYTES
    assert checklists.load(path).name == "mine"


def test_non_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(GOOD.replace("My checklist", "Café list").encode("latin-1"))
    error = load_error(path)
    assert "UTF-8" in error.message
    assert error.hint is not None and "UTF-8" in error.hint


def test_utf8_with_bom_and_non_ascii_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.replace("My checklist", "Café list ✓").encode("utf-8"))
    assert checklists.load(path).title == "Café list ✓"


def test_unreadable_path_is_a_checklist_error(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder.yaml"
    folder.mkdir()
    assert "cannot read" in load_error(folder).message


def test_a_list_of_errors_is_capped(tmp_path: Path) -> None:
    steps = "".join(f"  - {{id: s{n}, title: S, due: nope}}\n" for n in range(12))
    error = load_error(write(tmp_path, f"name: mine\ntitle: T\nsteps:\n{steps}"))
    assert 1 < len(error.message.splitlines()) <= 5


# --- the CLI ------------------------------------------------------------------------------


def test_cli_validate_a_good_file(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    result = run("checklists", "validate", str(path))
    assert result.exit_code == 0, result.stderr
    assert "valid" in result.stdout
    assert "mine" in result.stdout
    assert "3 steps" in result.stdout


def test_cli_validate_a_bad_file(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path, "name: mine\ntitle: Mine\nsteps:\n  - id: a\n    title: A\n    due: soon\n")
    result = run("checklists", "validate", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert str(path) in result.stderr
    assert "steps[0].due" in result.stderr
    assert "line 6" in result.stderr
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) <= 3


@pytest.mark.parametrize(
    "body",
    [
        "name: mine\ntitle: &t Mine\nsteps:\n  - {id: a, title: *t, due: '0'}\n",
        "name: mine\nname: again\n",
        "title: !!python/object/apply:os.getcwd []\n",
        "[unclosed\n",
    ],
)
def test_cli_validate_never_shows_a_traceback(run: Run, tmp_path: Path, body: str) -> None:
    result = run("checklists", "validate", str(write(tmp_path, body)))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr + result.stdout


def test_cli_validate_non_utf8_and_missing_files(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: caf\xe9\n".encode("latin-1"))
    result = run("checklists", "validate", str(path))
    assert result.exit_code == 1
    assert "UTF-8" in result.stderr
    missing = run("checklists", "validate", str(tmp_path / "missing.yaml"))
    assert missing.exit_code == 1
    assert "cannot read" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_cli_lists_a_user_override(run: Run, user_dir: Path) -> None:
    write(user_dir, GOOD.replace("name: mine", "name: post-interview"), "post-interview.yaml")
    result = run("checklists", "--json")
    assert result.exit_code == 0, result.stderr
    entries = {entry["name"]: entry for entry in json.loads(result.stdout)}
    assert entries["post-interview"]["source"] == "user"
    assert entries["post-interview"]["steps"] == 3
    assert entries["pre-interview"]["source"] == "built-in"
    shown = run("checklists", "show", "post-interview", "--json")
    assert json.loads(shown.stdout)["title"] == "My checklist"


def test_cli_lists_a_broken_user_checklist_without_failing(run: Run, user_dir: Path) -> None:
    write(user_dir, "name: broken\ntitle: B\nsteps: []\n", "broken.yaml")
    result = run("checklists", "--json")
    assert result.exit_code == 0, result.stderr
    entries = {entry["name"]: entry for entry in json.loads(result.stdout)}
    assert entries["broken"]["steps"] is None
    assert "steps" in entries["broken"]["error"]


def test_the_name_must_match_the_file_name(tmp_path: Path, user_dir: Path) -> None:
    """Commands find checklists by file name and interviews record `name`: a mismatch
    would make an interview's checklist impossible to find again."""
    (user_dir / "post-interview.yaml").write_text(GOOD, encoding="utf-8")  # name: mine
    error = load_error(user_dir / "post-interview.yaml")
    assert "name: 'mine' differs from the file name (line 1)" in error.message
    assert error.hint is not None and "mine.yaml" in error.hint


@pytest.mark.parametrize("depth", [25, 100_000])
def test_deep_nesting_is_refused_with_file_and_line(tmp_path: Path, depth: int) -> None:
    path = write(tmp_path, "name: mine\ntitle: Mine\nsteps: " + "[" * depth + "]" * depth + "\n")
    error = load_error(path)
    assert str(path) in error.message
    assert "nested too deeply" in error.message and "line 3" in error.message


@pytest.mark.parametrize(("field", "value"), [("title", "yes"), ("id", "no"), ("due", "off")])
def test_yaml_11_booleans_give_a_clear_error(tmp_path: Path, field: str, value: str) -> None:
    fields = {"id": "a", "title": "A", "due": '"0"', field: value}
    step = "\n".join(f"    {key}: {text}" for key, text in fields.items())
    error = load_error(write(tmp_path, f"name: mine\ntitle: Mine\nsteps:\n  -\n{step}\n"))
    assert f"steps[0].{field}" in error.message and "line" in error.message
    assert "quotes" in error.message


# --- every problem at once ------------------------------------------------------------------


def test_cli_validate_reports_every_problem_as_a_line(run: Run, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        name: other
        title: Mine
        steps:
          - {id: a, title: A, due: soon}
          - {id: a, title: A, due: "0", when: late}
          - {id: b, title: "", due: "0", colour: red}
        """,
    )
    result = run("checklists", "validate", str(path))
    assert result.exit_code == 1
    lines = result.stderr.removeprefix("error: ").splitlines()
    expected = [
        f"{path}: steps[0].due: ",
        f"{path}: steps[2].title: ",
        f"{path}: steps[2].colour: unknown field (a typo?) (line 6)",
        f"{path}: steps[1].id: 'a' is used twice; step ids must be unique (line 5)",
        f"{path}: steps[1].when: flag 'late' is not declared under flags (declared: none) (line 5)",
        f"{path}: name: 'other' differs from the file name (line 1)",
    ]
    for start in expected:
        assert any(line.startswith(start) for line in lines), (start, lines)


def test_every_check_across_fields_is_reported_when_the_fields_are_valid(tmp_path: Path) -> None:
    path = write(tmp_path, "name: mine\ntitle: T\nsteps:\n" + "  - {id: a, title: A, due: '0', when: late}\n" * 3)
    message = load_error(path).message
    assert message.count("is used twice") == 2
    assert message.count("flag 'late' is not declared") == 3
    assert "(line 5)" in message


def test_cli_validate_reports_every_alias_and_duplicate_key(run: Run, tmp_path: Path) -> None:
    body = "name: mine\ntitle: &t Mine\ntitle: Again\nsteps:\n  - {id: a, title: *t, due: '0', due: '1d'}\n"
    result = run("checklists", "validate", str(write(tmp_path, body)))
    assert result.exit_code == 1
    assert "duplicate key 'title' (line 3, column 1)" in result.stderr
    assert "duplicate key 'due' (line 5" in result.stderr
    assert "aliases (*name) are not allowed in a checklist (line 5" in result.stderr


def test_load_lists_the_first_problems_and_counts_the_rest(tmp_path: Path) -> None:
    steps = "".join(f"  - {{id: s{n}, title: S, due: nope}}\n" for n in range(12))
    path = write(tmp_path, f"name: mine\ntitle: T\nsteps:\n{steps}")
    assert load_error(path).message.splitlines()[-1] == "... and 8 more problems"
    with pytest.raises(ChecklistError) as caught:
        checklists.load(path, every_problem=True)
    assert len(caught.value.message.splitlines()) == 12


def test_a_checklist_of_more_than_a_hundred_steps_is_refused(tmp_path: Path) -> None:
    steps = "".join(f"  - {{id: s{n}, title: S, due: '0', per_interviewer: true}}\n" for n in range(101))
    message = load_error(write(tmp_path, f"name: mine\ntitle: T\nsteps:\n{steps}")).message
    assert message == f"{tmp_path / 'mine.yaml'}: steps: 101 steps; a checklist has at most 100 (line 4)"
    assert (
        len(checklists.load(write(tmp_path, f"name: mine\ntitle: T\nsteps:\n{steps[: steps.rindex('  - ')]}")).steps)
        == 100
    )


def test_cli_validate_never_wraps_the_path_however_long(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path / ("a-long-folder-name-" * 8), GOOD)
    home = tmp_path / ("another-long-folder-" * 8)
    result = run("checklists", "validate", str(path))
    assert result.exit_code == 0, result.stderr
    assert f"{path}: valid checklist 'mine' with 3 steps\n" in result.stdout
    listed = run("checklists", env={"FOLLOWUP_HOME": str(home)})
    assert f"Your own checklists go in {home / 'checklists'}\n" in listed.stdout
