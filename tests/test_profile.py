"""`followup profile`: the sender's details, kept once, owner-only."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from helpers import Run


def test_profile_is_set_shown_and_kept_owner_only(run: Run, home: Path) -> None:
    assert json.loads(run("profile", "--json").stdout) == {"name": None, "address": None, "email": None, "phone": None}
    result = run("profile", "--name", " Sam  Lee ", "--email", "sam@example.com", "--address", "1 High St\\nLeeds")
    assert result.exit_code == 0, result.output
    assert "saved your name, address, email" in result.stderr
    assert json.loads(run("profile", "--json").stdout) == {
        "name": "Sam Lee",
        "address": "1 High St\nLeeds",
        "email": "sam@example.com",
        "phone": None,
    }
    assert stat.S_IMODE((home / "profile.json").stat().st_mode) == 0o600
    assert "address: 1 High St, Leeds" in run("profile").stdout
    assert run("profile", "--email", "", "--phone", "+44 113 000").exit_code == 0
    data = json.loads(run("profile", "--json").stdout)
    assert data["email"] is None and data["phone"] == "+44 113 000" and data["name"] == "Sam Lee"


def test_a_bad_email_or_a_damaged_profile_is_a_plain_error(run: Run, home: Path) -> None:
    result = run("profile", "--email", "sam at example")
    assert result.exit_code == 2 and "not an email address" in result.stderr
    assert not (home / "profile.json").exists()
    home.mkdir(exist_ok=True)
    (home / "profile.json").write_text('{"version": 1, "nmae": "x"}', encoding="utf-8")
    for args in (["profile"], ["profile", "--name", "Sam"]):
        result = run(*args)
        assert result.exit_code == 1 and "nmae" in result.stderr and "Traceback" not in result.output
    assert (home / "profile.json").read_text(encoding="utf-8") == '{"version": 1, "nmae": "x"}'


def test_a_control_character_is_refused_and_nothing_saved(run: Run, home: Path) -> None:
    result = run("profile", "--name", "Sam\x1b[31m")
    assert result.exit_code == 2 and "--name: holds the control character U+001B" in result.stderr
    assert not (home / "profile.json").exists()
    assert run("profile", "--address", "12 Elm Road\nLeeds\tLS6").exit_code == 0  # newline and tab are text
    home.joinpath("profile.json").write_text('{"version": 1, "name": "Sam\\u0007"}', encoding="utf-8")
    result = run("profile")
    assert result.exit_code == 1 and "its name holds a control character" in result.stderr


def test_a_c1_control_or_del_is_refused_as_a_c0_one_is(run: Run, home: Path) -> None:
    # The PDF letter cannot print them and U+009B is a CSI some terminals obey: refused when typed.
    for option, text, code in (
        ("--name", "Sam\x9b31m", "U+009B at character 4"),
        ("--address", "12 Elm Road\\nLeeds\x85", "U+0085 at character 19"),
        ("--phone", "\x80113", "U+0080 at character 1"),
        ("--name", "Sam\x9f", "U+009F at character 4"),
        ("--name", "Sam\x7f", "U+007F at character 4"),
    ):
        result = run("profile", option, text)
        assert result.exit_code == 2, result.output
        assert result.stderr.splitlines() == [
            f"error: {option}: holds the control character {code}",
            "type the text again without it",
        ]
    assert not (home / "profile.json").exists()
    assert run("profile", "--name", "Sam \xa0Lee\u00a9").exit_code == 0  # U+00A0 and after are text
    for field in ("name", "address", "phone"):
        home.joinpath("profile.json").write_text(f'{{"version": 1, "{field}": "Sam\\u009b1m"}}', encoding="utf-8")
        result = run("profile")
        assert result.exit_code == 1 and f"its {field} holds a control character" in result.stderr


def test_a_fifo_or_a_folder_as_the_profile_is_an_error_not_a_hang(run: Run, home: Path) -> None:
    import os

    home.mkdir(exist_ok=True)
    os.mkfifo(home / "profile.json")
    result = run("profile")  # would block for ever reading the FIFO
    assert result.exit_code == 1 and "is a FIFO" in result.stderr and "profile.json" in result.stderr
    assert stat.S_ISFIFO((home / "profile.json").lstat().st_mode)
    os.unlink(home / "profile.json")
    (home / "profile.json").mkdir()
    result = run("profile", "--name", "Sam")
    assert result.exit_code == 1 and "not a file" in result.stderr


def test_a_lock_that_cannot_be_taken_is_a_plain_error(run: Run, home: Path) -> None:
    home.mkdir(exist_ok=True)
    (home / "followup.lock").symlink_to(home / "nowhere" / "lock")
    result = run("profile", "--name", "Sam")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "cannot take the lock" in result.stderr
    assert not (home / "profile.json").exists()
