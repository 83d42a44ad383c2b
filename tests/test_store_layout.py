"""The store's layout: one immutable file per open-interview version, named by a
small root; the pending index updated line by line; files collected once
neither the store nor its backup names them, and readers that outlive them."""

from __future__ import annotations

import json
import random
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup import actions, journal
from followup.models import Interview
from followup.store import core as store_module
from followup.store import encoding as store_format
from followup.store.core import STORE_NAME, Store
from followup.store.decoding import INTERVIEW_PATTERN
from followup.store.identity import FileStamp, stamps_in
from followup.store.index import Index, read_index
from followup.store.index_update import draft_index, update_index
from test_store import NOW, dumped, planned, seed, tick

INTERVIEWS = "interviews"


def named(path: Path) -> set[str]:
    return set(json.loads(path.read_bytes())["files"].values()) if path.exists() else set()


def on_disk(home: Path) -> set[str]:
    return {path.name for path in (home / INTERVIEWS).iterdir()}


def index_body(home: Path) -> bytes:
    return (home / "pending.json").read_bytes().split(b"\n", 1)[1]


def fresh_body(home: Path) -> bytes:
    """The index lines as a full rebuild from every open interview would write them,
    each interview's file named as it is now."""
    document = Store(home).read()
    stamp = stamps_in(home / "interviews", document.open.files)
    return draft_index(document.open.values(), (home / STORE_NAME).read_bytes(), stamp).body


# --- the index, line by line ---------------------------------------------------------------


def as_index(draft_header: dict[str, Any], body: bytes) -> Index:
    return Index(draft_header["interviews"], draft_header["due"], body, None)


@st.composite
def changes(draw: st.DrawFn) -> tuple[list[Interview], list[Interview], list[Interview]]:
    """Interviews before a change, after it, and those the change wrote anew."""
    rng = random.Random(draw(st.integers(0, 2**32)))
    count = draw(st.integers(0, 12))
    before = []
    for n in range(count):
        # Start times and due times that tie often, so that the order's later keys matter.
        at = NOW + timedelta(hours=rng.choice([0, 0, 1, 24]))
        interview = planned(f"Co {n}", at=at)
        interview.id = f"co-{n}"
        for step in interview.steps:
            if rng.random() < 0.4:
                step.status = rng.choice(["done", "skipped"])  # type: ignore[assignment]
        before.append(interview)
    after = {i.id: i for i in before}
    changed = []
    for interview in list(before):
        roll = rng.random()
        if roll < 0.2:
            del after[interview.id]
        elif roll < 0.45:
            copy = interview.model_copy(deep=True)
            for step in copy.steps:
                if rng.random() < 0.5:
                    step.status = rng.choice(["pending", "done", "skipped"])  # type: ignore[assignment]
            if rng.random() < 0.3:
                copy.at = copy.at + timedelta(hours=rng.choice([-1, 1]))
                for step in copy.steps:
                    step.due = NOW + timedelta(hours=rng.choice([0, 1, 2]))
            del after[copy.id]
            after[copy.id] = copy  # a changed interview moves to the end, as Document.put moves it
            changed.append(copy)
    for n in range(draw(st.integers(0, 3))):
        new = planned(f"New {n}", at=NOW + timedelta(hours=rng.choice([0, 1])))
        new.id = f"new-{n}"
        after[new.id] = new
        changed.append(new)
    return before, list(after.values()), changed


@settings(max_examples=150, deadline=None)
@given(changes())
def test_the_index_updated_line_by_line_is_the_index_made_afresh(
    drawn: tuple[list[Interview], list[Interview], list[Interview]],
) -> None:
    before, after, changed = drawn

    def stamp(key: str) -> FileStamp:  # each interview's file, named on its line
        return (f"{key}.1.json", len(key), 2, 3, 4)

    old = draft_index(before, b"old store", stamp)
    updated = update_index(
        as_index(old.header, old.body), [i.id for i in before], [i.id for i in after], changed, b"new store", stamp
    )
    fresh = draft_index(after, b"new store", stamp)
    assert updated is not None
    assert updated.header == fresh.header
    assert updated.body == fresh.body


def test_an_index_that_does_not_fit_the_store_is_not_updated() -> None:
    interviews = [planned("Acme"), planned("Beta")]
    interviews[1].id = "beta-1128"
    old = draft_index(interviews, b"store")
    index = as_index(old.header, old.body)
    assert update_index(index, ["acme-1128"], ["acme-1128"], [], b"new") is None  # one interview too few
    broken = as_index(old.header, old.body[:-5])
    assert update_index(broken, ["acme-1128", "beta-1128"], ["acme-1128"], [], b"new") is None


# --- the store ---------------------------------------------------------------------------------


def test_a_change_writes_one_new_file_and_the_index_stays_exact(home: Path) -> None:
    acme, beta, gamma = seed(home, "Acme", "Beta", "Gamma")
    files = on_disk(home)
    tick(home, beta)
    assert len(on_disk(home) - files) == 1  # beta's new version, beside the old one the backup names
    assert index_body(home) == fresh_body(home)
    assert read_index(home) is not None
    tick(home, gamma)
    assert on_disk(home) == named(home / STORE_NAME) | named(home / f"{STORE_NAME}.bak")
    assert index_body(home) == fresh_body(home)
    assert {i.id for i in Store(home).read().open.values()} == {acme, beta, gamma}


def test_a_change_reads_and_validates_only_the_interview_it_changes(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = seed(home, *(f"Co{n}" for n in range(12)))
    read: list[str] = []
    real = store_module.load_interview

    def counting(raw: bytes, interview_id: str) -> Interview:
        read.append(interview_id)
        return real(raw, interview_id)

    monkeypatch.setattr(store_module, "load_interview", counting)
    tick(home, ids[5])
    assert read == [ids[5]]
    assert index_body(home) == fresh_body(home)


def test_files_nobody_names_are_collected_by_the_next_change(home: Path) -> None:
    (acme,) = seed(home, "Acme")
    stray = home / INTERVIEWS / "acme-1128.77.json"
    stray.write_bytes(b"{ half written")
    tick(home, acme)
    assert not stray.exists()
    assert on_disk(home) == named(home / STORE_NAME) | named(home / f"{STORE_NAME}.bak")


def test_the_backup_names_only_files_that_are_kept(run: Callable[..., Any], home: Path) -> None:
    (acme,) = seed(home, "Acme")
    for step in ("1", "2", "3"):
        tick(home, acme, step)
    assert named(home / f"{STORE_NAME}.bak") <= on_disk(home)
    (home / STORE_NAME).write_bytes((home / f"{STORE_NAME}.bak").read_bytes())  # restore it, as doctor says
    statuses = [s.status for s in Store(home).read().open[acme].steps[:3]]
    assert statuses == ["done", "done", "pending"]
    assert run("done", acme, "3").exit_code == 0


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, 4))
def test_a_reader_whose_files_were_collected_reads_the_store_again(changes_between: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        acme, beta = seed(home, "Acme", "Beta")
        document = Store(home).read()
        for n in range(changes_between):
            tick(home, acme, str(n + 1))
        interview = document.get(acme)  # its file may be gone: two changes make it unnamed
        assert interview is not None
        expected = Store(home).read().get(acme)
        assert expected is not None
        assert dumped([interview]) == dumped([expected]) or changes_between < 2
        assert document.get(beta) is not None


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["new", "tick", "close", "reopen", "rm", "undo"]), min_size=1, max_size=12))
def test_a_store_round_trip_through_any_changes(operations: list[str]) -> None:
    """Whatever the changes, the store reads back as the model says, the index is the one
    made afresh, and the folder holds just the files the store and its backup name."""
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        store = Store(home)
        made = 0
        for operation in operations:
            with store.change() as document:
                opened, closed = list(document.open), list(document.closed_ids)
                if operation == "new" or not (opened or closed):
                    made += 1
                    actions.add(document, planned(f"Co {made}"), NOW)
                elif operation == "tick" and opened:
                    interview = document.open[opened[-1]]
                    pending = [s for s in interview.steps if s.status == "pending"]
                    actions.set_status(document, interview, pending[:1], "done", NOW)
                elif operation == "close" and opened:
                    actions.close(document, document.open[opened[0]], "offer", NOW)
                elif operation == "reopen" and closed:
                    interview = document.get(closed[0])
                    assert interview is not None
                    actions.reopen(document, interview, NOW)
                elif operation == "rm" and (opened or closed):
                    found = document.get([*opened, *closed][0])
                    assert found is not None
                    actions.remove(document, found, NOW)
                elif operation == "undo" and document.journal:
                    journal.undo_last(document)
                expected = dumped(document.every())
            loaded = Store(home).read()
            assert dumped(loaded.every()) == expected
            if loaded.open:
                assert index_body(home) == fresh_body(home)
                assert on_disk(home) <= named(home / STORE_NAME) | named(home / f"{STORE_NAME}.bak")
                assert named(home / STORE_NAME) <= on_disk(home)


def test_bulk_creation_in_one_change_still_works(home: Path) -> None:
    """As benchmarks/bench.py makes its stores: many interviews added in one change."""
    with Store(home).change() as document:
        for n in range(150):
            actions.add(document, planned(f"Bulk {n}", at=NOW - timedelta(hours=n)), NOW)
        document.journal.clear()
    document = Store(home).read()
    assert len(document.open) == 150 and document.journal == []
    assert len(on_disk(home)) == 150
    assert index_body(home) == fresh_body(home)


def test_the_root_names_files_by_a_pattern_that_stays_in_the_folder() -> None:
    assert store_format.file_base("acme-1128") == "acme-1128"
    for strange in ("../../etc/passwd", "A B/C", "x" * 200, "ümlaut", ""):
        base = store_format.file_base(strange)
        assert INTERVIEW_PATTERN.fullmatch(f"{base}.1.json"), strange
    assert store_format.file_base("a/b") != store_format.file_base("a-b")
