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
