"""Stores and exports written by earlier releases (tests/data, see its README) open,
upgrade on the first write, keep a copy of the old root, and lose no field."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest

from followup.store.core import Store
from followup.store.decoding import VERSION
from helpers import Run

DATA = Path(__file__).parent / "data"
STORE_NAME = "followup.json"


def _install(home: Path, name: str) -> bytes:
    shutil.copytree(DATA / name, home)
    return (home / STORE_NAME).read_bytes()


def _as_written(name: str) -> dict[str, dict[str, Any]]:
    """Every interview of a fixture store, as its files hold it, by id."""
    folder = DATA / name
    root = json.loads((folder / STORE_NAME).read_bytes())
    history = json.loads((folder / root["history"]["file"]).read_bytes())["interviews"]
    if root["version"] == 1:
        opened = root["interviews"]
    else:
        opened = [
            json.loads((folder / "interviews" / file).read_bytes())["interview"] for file in root["files"].values()
        ]
    return {item["id"]: item for item in [*opened, *history]}


def _in_store(home: Path) -> dict[str, dict[str, Any]]:
    return {i.id: i.model_dump(mode="json") for i in Store(home).read().every()}


@pytest.mark.parametrize(("name", "old_version"), [("store-v1", 1), ("store-v2", 2)])
def test_an_old_store_opens_upgrades_on_first_write_and_keeps_every_field(
    run: Run, home: Path, name: str, old_version: int
) -> None:
    old = _install(home, name)
    expected = _as_written(name)
    assert _in_store(home) == expected  # read as it is
    for command in (["list", "--all"], ["due"], ["show", "acme"], ["list", "--all", "--json"]):
        assert run(*command).exit_code == 0
    assert (home / STORE_NAME).read_bytes() == old  # reading writes nothing

    result = run("edit", "zoe", "--contact", "Nguyễn Văn An <an@zoe.example>")
    assert result.exit_code == 0, result.output
    backup = home / f"{STORE_NAME}.v{old_version}.bak"
    assert backup.read_bytes() == old
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert json.loads((home / STORE_NAME).read_bytes())["version"] == VERSION == 3

    after = _in_store(home)
    zoe = after["zoe-co-1126"]
    assert zoe.pop("contacts") == [{"name": "Nguyễn Văn An", "email": "an@zoe.example", "title": None}]
    assert after == expected  # every other field, of every interview, as it was
    assert run("undo").exit_code == 0  # the old journal came along
    assert _in_store(home) == expected


def test_the_old_root_stays_restorable_after_more_changes(run: Run, home: Path) -> None:
    """`followup.json.v2.bak` is the store to go back to with the older followup:
    the files it names stay, however many changes follow."""
    _install(home, "store-v2")
    expected = _as_written("store-v2")
    for _ in range(3):
        assert run("done", "acme", "1").exit_code == 0
        assert run("undo", "acme", "1").exit_code == 0
    assert run("reopen", "old").exit_code == 0
    assert run("close", "old", "--outcome", "withdrawn").exit_code == 0
    restored = home.parent / "restored"
    restored.mkdir()
    shutil.copy(home / f"{STORE_NAME}.v2.bak", restored / STORE_NAME)
    shutil.copytree(home / "interviews", restored / "interviews")
    for history in home.glob("history-*.json"):
        shutil.copy(history, restored)
    assert _in_store(restored) == expected
    # doctor agrees: the files the old root names are not strays that "the next change removes".
    doctor = run("doctor")
    assert "neither the store nor" not in doctor.stdout, doctor.stdout


def test_an_export_of_the_previous_release_imports(run: Run, home: Path) -> None:
    result = run("import", str(DATA / "export-v1.json"), "--yes")
    assert result.exit_code == 0, result.output
    exported = json.loads((DATA / "export-v1.json").read_bytes())["interviews"]
    assert _in_store(home) == {item["id"]: item for item in exported}


def test_a_store_from_a_newer_version_is_refused(run: Run, home: Path) -> None:
    old = _install(home, "store-v2")
    newer = old.replace(b'"version": 2', f'"version": {VERSION + 1}'.encode(), 1)
    (home / STORE_NAME).write_bytes(newer)
    for command in (["list"], ["done", "acme", "1"]):
        result = run(*command)
        assert result.exit_code == 1
        assert "newer followup" in result.stderr and "Traceback" not in result.output
    assert (home / STORE_NAME).read_bytes() == newer
