"""The pending index: `due` and `list` read it instead of the whole store, and
never trust it when the store is not byte for byte the one it was made for."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import NOW, Run
from followup.pending import open_summaries, read_index, summarize
from followup.store import Store


def add(run: Run, company: str, *extra: str) -> str:
    result = run("new", "--company", company, "--role", "Analyst", "--json", *extra)
    assert result.exit_code == 0, result.output
    return str(json.loads(result.stdout)["id"])


def slow_summaries(home: Path) -> list[object]:
    return [summarize(interview) for interview in Store(home).read().open.values()]


def test_every_change_writes_an_owner_only_index_that_agrees_with_the_store(run: Run, home: Path) -> None:
    acme = add(run, "Acme", "-i", "Ana", "-i", "Bo")
    add(run, "Beta", "--flag", "video")
    assert run("done", acme, "1", "3").exit_code == 0
    index = home / "pending.json"
    assert stat.S_IMODE(index.stat().st_mode) == 0o600
    assert read_index(home) == slow_summaries(home)


def test_due_and_list_do_not_read_the_store_when_the_index_holds(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(run, "Acme")
    expected_due, expected_list = run("due", "--json").stdout, run("list").stdout

    def refuse(self: Store) -> None:
        raise AssertionError("the whole store was read")

    monkeypatch.setattr(Store, "read", refuse)
    assert run("due", "--json").stdout == expected_due
    assert run("list").stdout == expected_list


def test_a_hand_edited_store_makes_the_index_ignored(run: Run, home: Path) -> None:
    add(run, "Acme")
    store = home / "followup.json"
    store.write_text(store.read_text(encoding="utf-8").replace('"Acme"', '"Acme Renamed"'), encoding="utf-8")
    assert read_index(home) is None
    due = json.loads(run("due", "--json").stdout)
    assert {item["company"] for item in due} == {"Acme Renamed"}
    assert "Acme Renamed" in run("list").stdout


@pytest.mark.parametrize("content", [b"", b"{", b"[]", b'{"version": 1}', b'{"version": 2, "store": "x"}'])
def test_a_broken_or_missing_index_falls_back_to_the_store(run: Run, home: Path, content: bytes) -> None:
    add(run, "Acme")
    expected = json.loads(run("due", "--json").stdout)
    (home / "pending.json").write_bytes(content)
    assert json.loads(run("due", "--json").stdout) == expected
    (home / "pending.json").unlink()
    assert json.loads(run("due", "--json").stdout) == expected
    assert open_summaries(home) == slow_summaries(home)


def test_an_index_with_naive_times_is_not_trusted(run: Run, home: Path) -> None:
    add(run, "Acme")
    index = home / "pending.json"
    data = json.loads(index.read_bytes())
    data["interviews"][0][3] = "2026-11-28T15:00:00"
    index.write_text(json.dumps(data))
    assert read_index(home) is None


def test_a_failed_save_leaves_an_index_that_is_not_trusted(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    acme = add(run, "Acme")
    before = json.loads(run("due", "--json").stdout)
    real = os.replace

    def fail_for_the_store(source: object, target: object) -> None:
        if Path(str(target)).name == "followup.json":
            raise OSError(28, "No space left on device")
        real(source, target)  # type: ignore[arg-type]

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", fail_for_the_store)
        assert run("done", acme, "1").exit_code == 1
    assert read_index(home) is None  # the index was made for a store that never landed
    assert json.loads(run("due", "--json").stdout) == before


# --- what the daily commands import ------------------------------------------------------

NEVER_DAILY = {"dateparser", "jinja2", "icalendar"}


def imported_by(args: list[str], home: Path) -> set[str]:
    code = (
        "import sys\n"
        "from followup.cli import app\n"
        "try:\n"
        f"    app({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    env = {**os.environ, "FOLLOWUP_HOME": str(home), "FOLLOWUP_NOW": NOW}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL
    )
    return set(done.stderr.split())


@pytest.mark.parametrize("command", [["due"], ["list"], ["show", "acme"], ["done", "acme", "2"], ["due", "--check"]])
def test_daily_commands_import_nothing_they_do_not_use(run: Run, home: Path, command: list[str]) -> None:
    add(run, "Acme")
    modules = imported_by(command, home)
    assert "followup.cli" in modules
    assert not (NEVER_DAILY & {name.split(".")[0] for name in modules}), sorted(NEVER_DAILY & modules)
    assert "yaml" not in modules, "only commands that read checklists need YAML"
    if command[0] in ("due", "list"):
        assert "followup.models" not in modules, "the pending index makes models unnecessary"
