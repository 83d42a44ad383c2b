"""The pending index: `due` and `list` read it instead of the whole store, and
never trust it when the store is not the very file it was made for."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from followup.store import index as pending
from followup.store import index_check, index_update
from followup.store.core import Store
from followup.store.identity import stamps_in
from followup.store.index import Deadlines, read_index
from followup.store.queries import open_summaries
from followup.store.summary import Summary, summarize
from followup.views import due_list
from helpers import NOW, Run, add_interview, loaded_by

NOW_TIME = datetime.fromisoformat(NOW)


def signed(index: bytes) -> bytes:
    """An index edited by hand, with its checks made again (as a hostile edit could),
    so that what follows the checks is what is tested."""
    header, body = index.split(b"\n", 1)
    try:
        data = json.loads(header)
    except (ValueError, RecursionError):
        return index
    data.pop("check", None)
    data.pop("rest", None)
    data.setdefault("head", pending.HEAD_BYTES)
    return index_check.checked_header(json.dumps(data, separators=(",", ":")).encode(), body) + body


def slow_summaries(home: Path, stamped: bool = False) -> list[object]:
    """Each open interview's summary, made from its model (with its file as it is now, if `stamped`)."""
    document = Store(home).read()
    stamp = stamps_in(home / "interviews", document.open.files)
    return [
        summarize(interview)._replace(file=stamp(interview.id) if stamped else None)
        for interview in document.open.values()
    ]


def shown(summaries: list[Summary]) -> list[Summary]:
    """What `due` and `list` show of them: not their files, which only the index holds."""
    return [summary._replace(file=None) for summary in summaries]


def test_every_change_writes_an_owner_only_index_that_agrees_with_the_store(run: Run, home: Path) -> None:
    acme = add_interview(run, "Acme", "-i", "Ana", "-i", "Bo")
    add_interview(run, "Beta", "--flag", "video")
    assert run("done", acme, "1", "3").exit_code == 0
    index = home / "pending.json"
    assert stat.S_IMODE(index.stat().st_mode) == 0o600
    found = read_index(home)
    assert found is not None
    assert found.summaries() == slow_summaries(home, stamped=True)
    deadlines = found.deadlines()
    expected = due_list(Deadlines.of(slow_summaries(home)), NOW_TIME, None, None).items  # type: ignore[arg-type]
    assert deadlines.items(NOW_TIME) == expected
    assert len(deadlines) == len(expected) and deadlines.interviews == 2


def test_due_and_list_do_not_read_the_store_when_the_index_holds(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_interview(run, "Acme")
    expected_due, expected_list = run("due", "--json").stdout, run("list").stdout

    def refuse(self: Store) -> None:
        raise AssertionError("the whole store was read")

    monkeypatch.setattr(Store, "read", refuse)
    assert run("due", "--json").stdout == expected_due
    assert run("list").stdout == expected_list


def another_version(home: Path, company: str, renamed: str) -> tuple[bytes, bytes]:
    """A hand-made file for the one open interview, with the company renamed: the
    root's text that names its file now, and the same-size text naming the new one."""
    (name,) = json.loads((home / "followup.json").read_bytes())["files"].values()
    new_name = name.replace(".1.json", ".9.json")
    assert new_name != name
    text = (home / "interviews" / name).read_bytes().replace(f'"{company}"'.encode(), f'"{renamed}"'.encode())
    (home / "interviews" / new_name).write_bytes(text)
    return f'"{name}"'.encode(), f'"{new_name}"'.encode()


def test_a_hand_edited_store_makes_the_index_ignored(run: Run, home: Path) -> None:
    add_interview(run, "Acme")
    store = home / "followup.json"
    old, new = another_version(home, "Acme", "Acme Renamed")
    store.write_bytes(store.read_bytes().replace(old, new))
    assert read_index(home) is None
    due = json.loads(run("due", "--json").stdout)
    assert {item["company"] for item in due} == {"Acme Renamed"}
    assert "Acme Renamed" in run("list").stdout


@pytest.mark.parametrize(
    "content", [b"", b"{", b"[]", b"\n", b'{"version": 1}\n', b'{"version": 2, "store": "x"}\n', b'{"version": 2}']
)
def test_a_broken_or_missing_index_falls_back_to_the_store(run: Run, home: Path, content: bytes) -> None:
    add_interview(run, "Acme")
    expected = json.loads(run("due", "--json").stdout)
    (home / "pending.json").write_bytes(content)
    assert json.loads(run("due", "--json").stdout) == expected
    (home / "pending.json").unlink()
    assert json.loads(run("due", "--json").stdout) == expected
    assert shown(open_summaries(home)) == slow_summaries(home)


def test_an_index_with_naive_times_falls_back_to_the_store(run: Run, home: Path) -> None:
    add_interview(run, "Acme")
    expected_due, expected_list = run("due", "--json").stdout, run("list").stdout
    index = home / "pending.json"
    lines = index.read_bytes().split(b"\n")
    lines[1] = lines[1].replace(b"+01:00", b"")  # the first step's due time
    lines[-2] = lines[-2].replace(b"+01:00", b"")  # the interview's time
    index.write_bytes(signed(b"\n".join(lines)))
    assert read_index(home) is not None  # the header is fine: the lines are found wrong when read
    assert run("due", "--json").stdout == expected_due
    assert run("list").stdout == expected_list


@pytest.mark.parametrize("cut", [1, 2, 10])
def test_a_truncated_index_falls_back_to_the_store(run: Run, home: Path, cut: int) -> None:
    add_interview(run, "Acme")
    add_interview(run, "Beta")
    expected_due, expected_list, expected_board = run("due", "--json").stdout, run("list").stdout, run().stdout
    index = home / "pending.json"
    index.write_bytes(index.read_bytes()[:-cut])
    assert run("due", "--json").stdout == expected_due
    assert run("list").stdout == expected_list
    assert run().stdout == expected_board


def test_a_same_size_edit_of_the_store_in_place_is_noticed(run: Run, home: Path) -> None:
    add_interview(run, "Acme")
    store = home / "followup.json"
    before = os.stat(store)
    # Same inode and size; the edit gets a later modification time, as any edit by hand does.
    old, new = another_version(home, "Acme", "Acmf")
    with open(store, "r+b") as handle:
        text = handle.read()
        handle.seek(0)
        handle.write(text.replace(old, new))
    os.utime(store, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
    assert (os.stat(store).st_ino, os.stat(store).st_size) == (before.st_ino, before.st_size)
    assert read_index(home) is None
    assert {item["company"] for item in json.loads(run("due", "--json").stdout)} == {"Acmf"}


def test_a_store_restored_from_its_backup_is_noticed(run: Run, home: Path) -> None:
    acme = add_interview(run, "Acme")
    assert run("done", acme, "1").exit_code == 0
    os.replace(home / "followup.json.bak", home / "followup.json")  # back to before `done`
    assert read_index(home) is None
    due = json.loads(run("due", "--json").stdout)
    assert (acme, 1) in {(item["interview"], item["number"]) for item in due}


def test_deadlines_count_by_bisection_as_the_steps_say(run: Run, home: Path) -> None:
    for company, at in [("Acme", "2026-11-20 10:00"), ("Beta", "2026-11-27 10:00"), ("Gamma", "now")]:
        add_interview(run, company, "--at", at)
    summaries = slow_summaries(home)
    found = read_index(home)
    assert found is not None
    for deadlines in (found.deadlines(), Deadlines.of(summaries)):  # type: ignore[arg-type]
        items = deadlines.items(NOW_TIME)
        assert deadlines.count_before(NOW_TIME) == sum(item.overdue for item in items) > 0
        for item in items:
            assert deadlines.count_until(item.step.due) >= 1 + items.index(item)
            assert deadlines.count_before(item.step.due) <= items.index(item)


def replace_failing_for(name: str) -> Callable[[object, object], None]:
    """os.replace, failing as on a full disk for a target called `name`."""
    real = os.replace

    def replace(source: object, target: object) -> None:
        if Path(str(target)).name == name:
            raise OSError(28, "No space left on device")
        real(source, target)  # type: ignore[arg-type]

    return replace


def test_a_failed_save_leaves_what_due_shows_as_it_was(run: Run, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    acme = add_interview(run, "Acme")
    before = json.loads(run("due", "--json").stdout)
    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", replace_failing_for("followup.json"))
        assert run("done", acme, "1").exit_code == 1
    # Whether the index is still trusted (holding the store as the backup-to-be
    # touched its change time) or not, what `due` shows is the unchanged store.
    assert json.loads(run("due", "--json").stdout) == before
    assert shown(open_summaries(home)) == slow_summaries(home)


def test_an_index_that_cannot_be_written_leaves_the_change_saved_and_the_old_index_ignored(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    acme = add_interview(run, "Acme")
    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", replace_failing_for("pending.json"))
        assert run("done", acme, "1").exit_code == 0
    assert read_index(home) is None  # made for the store before `done`
    due = json.loads(run("due", "--json").stdout)
    assert (acme, 1) not in {(item["interview"], item["number"]) for item in due}
    assert run("done", acme, "2").exit_code == 0
    assert read_index(home) is not None  # the next change writes it again


# --- what the daily commands import ------------------------------------------------------

NEVER_DAILY = {"dateparser", "jinja2", "icalendar"}


@pytest.mark.parametrize("command", [["due"], ["list"], ["show", "acme"], ["done", "acme", "2"], ["due", "--check"]])
def test_daily_commands_import_nothing_they_do_not_use(run: Run, home: Path, command: list[str]) -> None:
    add_interview(run, "Acme")
    modules = loaded_by(command, home)[2]
    assert "followup.cli" in modules
    assert not (NEVER_DAILY & {name.split(".")[0] for name in modules}), sorted(NEVER_DAILY & modules)
    assert "yaml" not in modules, "only commands that read checklists need YAML"
    if command[0] in ("due", "list"):
        assert "followup.models" not in modules, "the pending index makes models unnecessary"


# --- when the file system's clock cannot tell -------------------------------------------------


def coarse(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file's times as one whole second, as on a file system whose clock is too coarse
    to tell a store from one written in the same tick."""
    monkeypatch.setattr(pending, "stat_times", lambda info: (1_700_000_000 * 10**9, 1_700_000_000 * 10**9))


def edit_in_place(path: Path, old: bytes, new: bytes) -> None:
    assert len(old) == len(new)
    with open(path, "r+b") as handle:
        text = handle.read()
        handle.seek(0)
        handle.write(text.replace(old, new))


def test_a_racy_index_is_trusted_only_while_the_store_has_its_digest(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    coarse(monkeypatch)
    add_interview(run, "Acme")
    assert read_index(home) is not None  # same stat, same bytes
    old, new = another_version(home, "Acme", "Acmf")
    edit_in_place(home / "followup.json", old, new)  # same inode, size and (coarse) times
    assert read_index(home) is None
    assert {item["company"] for item in json.loads(run("due", "--json").stdout)} == {"Acmf"}


def test_an_index_newer_than_its_store_is_trusted_without_reading_the_store(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_interview(run, "Acme")
    store = os.stat(home / "followup.json")
    later = max(store.st_mtime_ns, store.st_ctime_ns) + 10**9
    os.utime(home / "pending.json", ns=(later, later))

    def refuse(data: bytes) -> str:
        raise AssertionError("the store was hashed")

    monkeypatch.setattr(pending, "digest", refuse)
    assert read_index(home) is not None


@pytest.mark.parametrize(
    "header",
    [
        b'{"version":4,"store":STORE,"digest":"x","interviews":-5,"due":[]}',
        b"[" * 100_000,
        b'{"version":4,"store":STORE,"digest":"x","interviews":1,"due":["soon"]}',
    ],
)
def test_a_header_that_makes_no_sense_falls_back_to_the_store(run: Run, home: Path, header: bytes) -> None:
    add_interview(run, "Acme")
    expected_due, expected_list = run("due", "--json").stdout, run("list").stdout
    index = home / "pending.json"
    store = json.dumps(pending.signature(home / "followup.json")).encode()
    rest = index.read_bytes().split(b"\n", 1)[1]
    index.write_bytes(signed(header.replace(b"STORE", store) + b"\n" + rest))
    os.utime(index)  # newer than the store, so that only the header decides
    # Due times are checked when counted, which costs less than checking them all when read.
    assert read_index(home) is None or b"soon" in header
    assert run("due", "--json").stdout == expected_due
    assert run("due").exit_code == run().exit_code == 0
    assert run("list").stdout == expected_list


def test_a_deeply_nested_line_falls_back_to_the_store(run: Run, home: Path) -> None:
    add_interview(run, "Acme")
    expected = run("due", "--json").stdout
    index = home / "pending.json"
    lines = index.read_bytes().split(b"\n")
    lines[1] = b"[" * 100_000
    index.write_bytes(signed(b"\n".join(lines)))
    assert run("due", "--json").stdout == expected
    assert run().exit_code == 0


@pytest.mark.parametrize(("head_bytes", "one_by_one"), [(1, 200), (150, 200), (150, 2), (1 << 16, 1)])
def test_lines_read_and_found_in_parts_give_what_the_store_gives(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch, head_bytes: int, one_by_one: int
) -> None:
    for n, company in enumerate(["Acme", "Beta", "Gamma", "Delta"]):
        add_interview(run, company, "--at", f"2026-11-2{n} 10:00")
    commands = [("due", "--json"), ("due",), ("due", "--within", "2d"), ("list",), ()]
    (home / "pending.json").rename(home / "kept.json")
    expected = [run(*command).stdout for command in commands]  # from the store
    (home / "kept.json").rename(home / "pending.json")
    monkeypatch.setattr(pending, "HEAD_BYTES", head_bytes)
    monkeypatch.setattr(pending, "LINES_FOUND_ONE_BY_ONE", one_by_one)
    assert read_index(home) is not None
    assert [run(*command).stdout for command in commands] == expected


def test_the_index_is_made_newer_than_its_store_when_the_clock_has_not_ticked(home: Path) -> None:
    home.mkdir()
    index = home / "pending.json"
    index.write_bytes(b"{}\n")
    written = os.stat(index).st_mtime_ns
    if written % 10**9 == 0:
        pytest.skip("this file system's clock counts whole seconds: readers check the digest instead")
    index_update.newer_than_store(index, [0, 0, written, written])  # a store written in the same tick
    assert os.stat(index).st_mtime_ns > written
