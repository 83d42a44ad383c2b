"""`followup new` adds the interview on the store's files as they are, without YAML or
pydantic's models (`followup.store.stored_add`, from the checklist `checklists.load`
validated and kept, `followup.checked_checklists`), wherever the validating way would
add the very same one: both leave the same bytes in every file and print the same.
Where they would not (no index, a checklist not validated yet or edited since, what
the models refuse), the validating way adds it, and says what is wrong."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup import checked_checklists
from followup.store import stored_add
from helpers import Run, add_interview, loaded_by, ticked

# Byte for byte comparison of two stores made alike (test_stored_change explains the index's lines).
from test_stored_change import files_of

PLAIN = ["new", "-c", "Acme", "-r", "Analyst", "-i", "Ana López", "--at", "2026-11-27T10:00:00+01:00"]


def cache_of(home: Path) -> Path:
    return home / checked_checklists.CACHE_DIR


def sealed(entry: Path, text: bytes) -> None:
    """`text` in the entry, with the seal `keep` writes: what only a damaged followup would keep."""
    entry.write_bytes(checked_checklists._seal(entry.name, text) + b"\n" + text)


# A checklist of other shapes than the built-in ones: a step per interviewer without the
# placeholder, a step before the start, hours and business days, leads both ways.
CUSTOM = """\
name: custom
title: Other shapes
flags:
  remote: "Was it remote?"
steps:
  - id: prepare
    title: Read about them again
    due: "-2d"
  - id: note
    title: Write down what you talked about
    due: "+3h"
    per_interviewer: true
  - id: call
    title: Call {interviewer}
    due: "+24h"
    per_interviewer: true
    when: remote
    before_decision: 3bd
    too_late: Call today.
  - id: nudge
    title: Nudge them
    due: "+1bd"
    when: not remote
    after_decision: 1d
"""


def make_store(run: Run, home: Path) -> None:
    """Two interviews (the second `new` keeps the checked checklist) and a third, so
    that the backup names the files of the first two; and a checklist of the user's."""
    (home / "checklists").mkdir(parents=True)
    (home / "checklists" / "custom.yaml").write_text(CUSTOM)
    for company in ("Acme", "Globex", "Initech"):
        add_interview(run, company, "-i", "Ana López", at="2026-11-27T10:00:00+01:00", env={"FOLLOWUP_HOME": str(home)})
    assert run("checklists", env={"FOLLOWUP_HOME": str(home)}).exit_code == 0  # checks (and keeps) custom too


def test_a_plain_new_reads_no_yaml_and_builds_no_models(run: Run, home: Path) -> None:
    make_store(run, home)
    assert list(cache_of(home).glob("*.json")), "the validating way keeps the checked checklist"
    ticked(home)
    out, status, modules = loaded_by(PLAIN, home)
    assert status == 0
    assert "Acme · Analyst" in out
    assert "followup.models" not in modules and "yaml" not in modules and "pydantic.main" not in modules
    root = json.loads((home / "followup.json").read_bytes())
    assert list(root["files"]) == ["acme-1127", "globex-1127", "initech-1127", "acme-1127-2"]
    assert root["journal"][-1]["summary"] == "added acme-1127-2 (Acme, Analyst)"


def test_an_edited_checklist_is_validated_again(run: Run, home: Path) -> None:
    make_store(run, home)
    mine = home / "checklists"
    builtin = Path(__file__).resolve().parents[1] / "checklists" / "post-interview.yaml"
    shutil.copy(builtin, mine / "post-interview.yaml")
    run("checklists")  # validates and keeps the user's copy
    text = (mine / "post-interview.yaml").read_text().replace("name: post-interview", "name: post-interview\nbogus: 1")
    (mine / "post-interview.yaml").write_text(text)
    ticked(home)
    result = run(*PLAIN)
    assert result.exit_code == 1, result.output  # ChecklistError, as SPEC has it
    assert "bogus: unknown field" in result.stderr


def test_a_damaged_cache_entry_is_a_miss(run: Run, home: Path) -> None:
    make_store(run, home)
    for entry in cache_of(home).glob("*.json"):
        sealed(entry, b'{"name": "post-interview", "title": 3}')  # as if written so: still not of its types
    ticked(home)
    _, status, modules = loaded_by(PLAIN, home)
    assert status == 0 and "followup.models" in modules  # validated again
    _, status, modules = loaded_by(PLAIN, home)
    assert "followup.models" not in modules  # and kept again


def test_no_cache_is_made_where_there_is_no_store(run: Run, home: Path) -> None:
    assert run("checklists").exit_code == 0
    assert not home.exists()
    (home / "checklists").mkdir(parents=True)  # the user's checklists, and no store yet
    assert run("checklists").exit_code == 0
    assert not (home / "cache").exists()


def test_a_cache_entry_nested_too_deeply_to_read_is_a_miss(run: Run, home: Path) -> None:
    make_store(run, home)
    for entry in cache_of(home).glob("*.json"):
        sealed(entry, ("[" * 100_000 + "]" * 100_000).encode())
    assert run("checklists").exit_code == 0
    assert run(*PLAIN).exit_code == 0


def test_a_cache_entry_edited_by_hand_is_a_miss(run: Run, home: Path) -> None:
    """Its fields keep their types, but nothing validated the steps it now has."""
    make_store(run, home)
    for entry in cache_of(home).glob("*.json"):
        seal, _, text = entry.read_bytes().partition(b"\n")
        data = json.loads(text)
        data["steps"][1]["id"] = data["steps"][0]["id"]  # a step id twice
        entry.write_bytes(seal + b"\n" + json.dumps(data).encode())
    ticked(home)
    _, status, modules = loaded_by(PLAIN, home)
    assert status == 0 and "followup.models" in modules  # validated again


def test_a_linked_cache_folder_is_not_used(run: Run, home: Path, tmp_path: Path) -> None:
    """Pruning it would delete what the link leads to: the user's own files."""
    make_store(run, home)
    mine = tmp_path / "mine"
    mine.mkdir()
    for number in range(checked_checklists.MAX_KEPT + 6):
        (mine / f"note{number}.json").write_text("{}")
    shutil.rmtree(cache_of(home))
    cache_of(home).symlink_to(mine)
    assert run("checklists").exit_code == 0
    assert run(*PLAIN).exit_code == 0
    assert sorted(path.name for path in mine.iterdir()) == sorted(f"note{n}.json" for n in range(70))


def test_pruning_deletes_only_entries(home: Path) -> None:
    home.mkdir(mode=0o700)
    (home / "followup.json").write_text("{}")
    cache_of(home).mkdir(parents=True)
    (cache_of(home) / "mine.json").write_text("{}")
    for n in range(checked_checklists.MAX_KEPT + 5):
        checked_checklists.keep(home, Path("x.yaml"), str(n).encode(), {"n": n})
    assert (cache_of(home) / "mine.json").exists()


def test_more_checklists_than_the_cache_keeps_are_still_found(run: Run, home: Path) -> None:
    """The entries used least recently go, not those made first: a command that reads
    every checklist in turn finds each of those it read last time."""
    make_store(run, home)
    builtin = Path(__file__).resolve().parents[1] / "checklists" / "post-interview.yaml"
    text = builtin.read_text()
    for number in range(checked_checklists.MAX_KEPT - 10):
        name = f"list-{number}"
        (home / "checklists" / f"{name}.yaml").write_text(text.replace("name: post-interview", f"name: {name}"))
    assert run("checklists").exit_code == 0
    entries = {path.name: path.stat().st_mtime_ns for path in cache_of(home).glob("*.json")}
    for entry in cache_of(home).glob("*.json"):
        os.utime(entry, ns=(1, 1))  # long unused
    assert run("checklists").exit_code == 0
    assert {path.name for path in cache_of(home).glob("*.json")} == set(entries)
    assert all(path.stat().st_mtime_ns > 1 for path in cache_of(home).glob("*.json"))  # each found, and used


def test_an_install_without_the_models_source_keeps_no_cache(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_store(run, home)
    shutil.rmtree(cache_of(home))
    monkeypatch.setattr(checked_checklists, "__file__", str(home / "nowhere" / "checked_checklists.py"))
    assert run("checklists").exit_code == 0
    assert run(*PLAIN).exit_code == 0
    assert not cache_of(home).exists()


def test_a_start_with_seconds_in_its_offset_is_added_the_validating_way(run: Run, home: Path) -> None:
    """The models write such an offset without its seconds; `new` prints what the validating way prints."""
    make_store(run, home)
    ticked(home)
    _, status, modules = loaded_by([*PLAIN[:-2], "--at", "2026-11-27T10:00:00+01:00:30"], home)
    assert status == 0 and "followup.models" in modules


def test_a_cache_that_cannot_be_written_is_no_error(run: Run, home: Path) -> None:
    home.mkdir(mode=0o700)
    (home / "cache").write_text("not a folder")
    assert run("checklists").exit_code == 0
    assert "post-interview" in run("checklists").stdout


def test_the_cache_keeps_a_bounded_number_of_entries(home: Path) -> None:
    home.mkdir(mode=0o700)
    (home / "followup.json").write_text("{}")  # a store: the cache is kept beside one
    for n in range(checked_checklists.MAX_KEPT + 5):
        checked_checklists.keep(home, Path("x.yaml"), str(n).encode(), {"n": n})
    entries = list(cache_of(home).glob("*.json"))
    assert len(entries) == checked_checklists.MAX_KEPT
    assert oct(cache_of(home).stat().st_mode & 0o777) == oct(0o700)
    assert oct((home / "cache").stat().st_mode & 0o777) == oct(0o700)
    assert all(entry.stat().st_mode & 0o077 == 0 for entry in entries)


# --- both ways, byte for byte ----------------------------------------------------------------

TEXT = st.sampled_from(["Acme", "Globex & Söhne", "  Initech  ", "[red]x[/]", "", "   ", "Tab\there", "Bell\x07"])
PEOPLE = st.lists(
    st.sampled_from(
        ["Ana López", "Bo Chen", "Ana López <ana@acme.example>", "Bo Chen <bo@x.example>", " Cy ", "Ana Lopez", "x\x1b"]
    ),
    max_size=3,
)
STARTS = st.sampled_from(
    ["2026-11-27T10:00:00+01:00", "2026-11-27T10:00", "today 10:00", "yesterday 9:30", "2026-03-29T01:30", "now"]
)
DECISIONS = st.sampled_from([None, "2026-12-08", "next friday", "2026-11-20", "2026-11-29T12:00:00-05:00"])
NEW = st.fixed_dictionaries(
    {
        "company": TEXT,
        "role": st.sampled_from(["Analyst", "", "Lead\nanalyst"]),
        "people": PEOPLE,
        "at": STARTS,
        "decision": DECISIONS,
        "flags": st.lists(st.sampled_from(["late", "video", "remote", "nope"]), max_size=2, unique=True),
        "note": st.sampled_from([None, "", "We talked about ☃", " spaces "]),
        "note_for": st.lists(st.sampled_from(["Ana=Hola", "Bo Chen=Thanks", "Nobody=x"]), max_size=1),
        "done": st.lists(
            st.sampled_from(["thank-interviewer", "shake-hands", "1", "write", "nope", "prepare", "note", "call"]),
            max_size=2,
        ),
        "address": st.sampled_from([None, "Acme GmbH\\nMain St 1", "  ", "bad\x1b"]),
        "force": st.booleans(),
        "checklist": st.sampled_from(["post-interview", "custom"]),
    }
)


def argv_of(new: dict[str, Any]) -> list[str]:
    argv = ["new", "-c", new["company"], "-r", new["role"], "--checklist", new["checklist"]]
    for person in new["people"]:
        argv += ["-i", person]
    if new["at"] != "now":
        argv += ["--at", new["at"]]
    if new["decision"]:
        argv += ["--decision-by", new["decision"]]
    for flag in new["flags"]:
        argv += ["-f", flag]
    if new["note"] is not None:
        argv += ["--note", new["note"]]
    for pair in new["note_for"]:
        argv += ["--note-for", pair]
    for step in new["done"]:
        argv += ["--done", step]
    if new["address"] is not None:
        argv += ["--address", new["address"]]
    return [*argv, *(["--force"] if new["force"] else [])]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(news=st.lists(NEW, min_size=1, max_size=3))
def test_new_on_the_files_leaves_the_bytes_the_validating_way_leaves(
    run: Run, tmp_path_factory: pytest.TempPathFactory, news: list[dict[str, Any]]
) -> None:
    folder = tmp_path_factory.mktemp("both")
    quick, slow = folder / "quick", folder / "slow"
    make_store(run, quick)
    make_store(run, slow)
    taken = 0
    real_add = stored_add.add

    def counted(*args: Any) -> Any:
        nonlocal taken
        added = real_add(*args)
        taken += added is not None
        return added

    stored_add.add = counted  # type: ignore[assignment]
    try:
        for new in news:
            argv = argv_of(new)
            ticked(quick)
            shutil.rmtree(
                cache_of(slow), ignore_errors=True
            )  # so that `new` validates the checklist, and adds the validating way
            before = taken
            said = run(*argv, env={"FOLLOWUP_HOME": str(quick)})
            on_the_files = taken - before
            expected = run(*argv, env={"FOLLOWUP_HOME": str(slow)})
            assert taken == before + on_the_files, "the store without a checked checklist took the quick way"
            assert on_the_files == (expected.exit_code == 0), f"added the validating way: {argv}"
            assert (said.exit_code, said.stdout, said.stderr) == (
                expected.exit_code,
                expected.stdout,
                expected.stderr,
            ), argv
            assert {k: v for k, v in files_of(quick).items() if not k.startswith("cache")} == {
                k: v for k, v in files_of(slow).items() if not k.startswith("cache")
            }
    finally:
        stored_add.add = real_add  # type: ignore[assignment]


def test_a_backup_nested_too_deeply_to_read_is_no_crash(run: Run, home: Path) -> None:
    """The one file of the store no index vouches for: a change reads it as the
    validating way does (it can restore nothing), and makes its change."""
    make_store(run, home)
    (home / "followup.json.bak").write_text("[" * 200_000 + "]" * 200_000)
    ticked(home)
    result = run("done", "acme", "shake-hands")
    assert result.exit_code == 0, result.output
    assert "marked done" in result.stderr
