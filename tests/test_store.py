"""The store: round trips, atomic saves, backup, permissions, damage, the lock, history and the journal.

Each test states one guarantee of SPEC's "The store" and "Exit codes and errors"
and fails if it breaks.
"""

from __future__ import annotations

import errno
import functools
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from filelock import FileLock
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup import actions, checklists, constants, journal
from followup.constants import LOCK_NAME, STORE_NAME
from followup.errors import FollowupError, StoreError
from followup.models import OUTCOMES, Checklist, Contact, Interview, JournalEntry, Snapshot
from followup.status import find_steps
from followup.store import core as store_module
from followup.store import format as store_format
from followup.store import stored_write
from followup.store.core import Store
from followup.store.decoding import HISTORY_PATTERN, VERSION
from followup.store.document import Document
from followup.store.encoding import file_base
from followup.store.format import encode_history, encode_interview, encode_store
from followup.store.index import read_index
from followup.store.index_update import IndexDraft
from helpers import add_interview

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 28, 15, 0, tzinfo=BERLIN)
ZONES = ("Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC", "Australia/Lord_Howe")


# --- helpers ------------------------------------------------------------------------


@functools.cache
def post_interview() -> Checklist:
    with tempfile.TemporaryDirectory() as tmp:
        return checklists.load(checklists.locate("post-interview", Path(tmp) / "checklists"))


def planned(company: str = "Acme", role: str = "Engineer", *, at: datetime = NOW, **kwargs: Any) -> Interview:
    options: dict[str, Any] = {
        "interviewers": ["Ana Lopez"],
        "zone_name": "Europe/Berlin",
        "flags": {},
        "decision_by": None,
        "notes": None,
    }
    options.update(kwargs)
    return actions.plan(post_interview(), company=company, role=role, at=at, now=NOW, **options)


def seed(home: Path, *companies: str) -> list[str]:
    """Add one interview per company, each in its own save; returns their ids."""
    ids = []
    for company in companies:
        with Store(home).change() as document:
            interview = planned(company)
            actions.add(document, interview, NOW)
            ids.append(interview.id)
    return ids


def close(home: Path, interview_id: str, outcome: str = "offer") -> None:
    with Store(home).change() as document:
        actions.close(document, actions.find_interview(document, interview_id), outcome, NOW)  # type: ignore[arg-type]


def tick(home: Path, interview_id: str, step: str = "1") -> None:
    with Store(home).change() as document:
        interview = actions.find_interview(document, interview_id)
        actions.set_status(document, interview, find_steps(interview, [step]), "done", NOW)


def temps(home: Path) -> list[str]:
    return sorted(path.name for path in home.glob(".*.tmp"))


def history_files(home: Path) -> set[str]:
    return {path.name for path in home.iterdir() if HISTORY_PATTERN.fullmatch(path.name)}


def pointer(path: Path) -> str | None:
    history = json.loads(path.read_bytes()).get("history") or {}
    return history.get("file")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def dumped(interviews: Any) -> dict[str, Any]:
    return {i.id: i.model_dump(mode="json") for i in interviews}


def assert_clean_error(result: Any, *needles: str) -> None:
    """Exit 1, one or two plain lines on stderr naming what is wrong, no traceback."""
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.startswith("error: ")
    assert 1 <= len(result.stderr.strip().splitlines()) <= 2, result.stderr
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr)


# --- round trip -------------------------------------------------------------------------

# Any text the models take: no C0 control but newline and tab (the journal's text below takes any).
PLAIN = st.characters(
    codec="utf-8", exclude_characters="".join(chr(code) for code in range(32) if chr(code) not in "\t\n")
)
TEXT = st.text(PLAIN, min_size=1, max_size=24).filter(lambda text: text.strip() != "")
OPTIONAL_TEXT = st.none() | TEXT


@st.composite
def interviews(draw: st.DrawFn) -> tuple[Interview, str | None]:
    """A planned interview with random text, steps ticked at random, and maybe an outcome."""
    zone_name = draw(st.sampled_from(ZONES))
    at = draw(
        st.datetimes(
            min_value=datetime(2000, 1, 1),
            max_value=datetime(2060, 12, 31),
            timezones=st.just(ZoneInfo(zone_name)),
            allow_imaginary=False,
        )
    )
    lead = draw(st.none() | st.timedeltas(min_value=timedelta(hours=1), max_value=timedelta(days=40)))
    interview = actions.plan(
        post_interview(),
        company=draw(TEXT),
        role=draw(TEXT),
        interviewers=draw(st.lists(TEXT, max_size=3)),
        at=at,
        zone_name=zone_name,
        flags=draw(st.fixed_dictionaries({}, optional={"late": st.booleans(), "video": st.booleans()})),
        decision_by=None if lead is None else at + lead,
        notes=draw(OPTIONAL_TEXT),
        now=NOW,
    )
    for step in interview.steps:
        status = draw(st.sampled_from(["pending", "done", "skipped"]))
        step.status = status  # type: ignore[assignment]
        if status == "done":
            step.done_at = at + timedelta(seconds=draw(st.integers(0, 90 * 86400)))
            step.note = draw(OPTIONAL_TEXT)
        elif status == "skipped":
            step.reason = draw(OPTIONAL_TEXT)
    return interview, draw(st.none() | st.sampled_from(OUTCOMES))


@settings(max_examples=60, deadline=None)
@given(interviews(), st.sampled_from(["", "Ana\x7f", "Ana\x9b[31m", "Ana \ud800"]))
def test_an_exported_interview_is_the_text_of_its_model_dump(drawn: tuple[Interview, str | None], name: str) -> None:
    """`export` has pydantic write each model's JSON in one pass: the same text as
    `json_member` of its `model_dump`, DEL, C1 controls and lone surrogates included."""
    from followup.escape import json_member
    from followup.exports.backup import backup_member

    interview, _ = drawn
    if name:
        interview.interviewers = [*interview.interviewers, name]
        interview.contacts = [Contact(name=name, title=name, email="ana@acme.example")]
        interview.address = f"{name}\nMain Street 1"
    assert backup_member(interview) == json_member(interview.model_dump(mode="json"), depth=2)


@settings(max_examples=60, deadline=None)
@given(interviews(), st.booleans())
def test_an_open_interview_read_from_its_file_without_pydantic_is_its_model(
    drawn: tuple[Interview, str | None], with_contacts: bool
) -> None:
    """`show` and `letter` read an open interview from its file as it is
    (`followup.store.stored`): every field as the model has it, times written alike."""
    from followup.store.stored import read_stored

    interview, _ = drawn
    if with_contacts and interview.interviewers:
        name = interview.interviewers[0]
        interview.contacts = [Contact(name=name, title="Head of Data", email="ana@acme.example")]
        interview.address = "Acme GmbH\nMain Street 1"
        interview.interviewer_notes = {name: "Ask about the release."}
    with tempfile.TemporaryDirectory() as folder:
        with Store(Path(folder)).change() as document:
            document.put(interview)
        found = read_stored(Path(folder), interview.id)
    assert found is not None

    def same(model: Any, plain: Any) -> None:
        for name in type(model).model_fields:
            want, got = getattr(model, name), getattr(plain, name)
            if isinstance(want, datetime):
                assert (got.isoformat(), got.utcoffset()) == (want.isoformat(), want.utcoffset()), name
            elif name in ("steps", "contacts"):
                assert len(got) == len(want), name
                for one, other in zip(want, got, strict=True):
                    same(one, other)
            else:
                assert (list(got) if name == "interviewers" else got) == want, name

    same(interview, found)
    assert found.is_open and [found.contact(n) for n in interview.interviewers] == [
        type(found.contact(n))(**interview.contact(n).model_dump()) for n in interview.interviewers
    ]


@settings(max_examples=30, deadline=None)
@given(st.lists(interviews(), max_size=4), st.text(max_size=12))
def test_files_are_written_as_json_dumps_with_an_indent_writes_them(
    drawn: list[tuple[Interview, str | None]], text: str
) -> None:
    """The store and history files, serialised by pydantic, are byte for byte what
    json.dumps(ensure_ascii=False, indent=1) would write: any text, any interview."""
    models = list({interview.id: interview for interview, _ in drawn}.values())
    snapshot = Snapshot(id=text, place="closed", interview={"company": text, "n": -1, "on": True, "no": None, "l": []})
    journal = [JournalEntry(at=NOW, summary=text, before=[snapshot])]
    document = Document(
        open={i.id: i for i in models}, journal=journal, closed_ids=[text], history_file="history-1.json"
    )
    document.open.files.update((i.id, f"{file_base(i.id)}.{n}.json") for n, i in enumerate(models, start=1))
    expected = {
        "version": VERSION,
        "files": document.open.files,
        "history": {"file": "history-1.json", "ids": [text]},
        "journal": [entry.model_dump(mode="json") for entry in journal],
    }
    assert encode_store(document) == (json.dumps(expected, ensure_ascii=False, indent=1) + "\n").encode()
    for interview in models:
        alone = {"version": VERSION, "interview": interview.model_dump(mode="json")}
        assert encode_interview(interview) == (json.dumps(alone, ensure_ascii=False, indent=1) + "\n").encode()
    history = {"version": VERSION, "interviews": [i.model_dump(mode="json") for i in models]}
    assert encode_history(models) == (json.dumps(history, ensure_ascii=False, indent=1) + "\n").encode()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(interviews(), min_size=1, max_size=4))
def test_save_and_load_round_trip(drawn: list[tuple[Interview, str | None]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        store = Store(home)
        with store.change() as document:
            for interview, _ in drawn:
                actions.add(document, interview, NOW)
        with store.change() as document:
            for interview, outcome in drawn:
                if outcome is not None:
                    actions.close(document, interview, outcome, NOW)  # type: ignore[arg-type]
            journal = [entry.model_dump(mode="json") for entry in document.journal]

        opened = [i for i, outcome in drawn if outcome is None]
        closed = [i for i, outcome in drawn if outcome is not None]
        loaded = Store(home).read()
        # Compared as JSON (ISO times with their offsets), not with `==` on models: Python
        # never calls an aware time in a repeated DST hour equal to one with another tzinfo.
        assert dumped(loaded.open.values()) == dumped(opened)
        assert sorted(loaded.closed_ids) == sorted(i.id for i in closed)
        assert dumped(loaded.closed().values()) == dumped(closed)
        assert [entry.model_dump(mode="json") for entry in loaded.journal] == journal

        # Saving what was loaded, unchanged, writes the very same bytes.
        before = store.path.read_bytes()
        with store.change() as document:
            document.changed = True
        assert store.path.read_bytes() == before


# --- atomic saves ----------------------------------------------------------------------------


def _fail(*args: Any, **kwargs: Any) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def _break_replace(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    monkeypatch.setattr(os, "replace", _fail)


def _break_store_replace(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """Only the final rename over followup.json fails; history and backup go through."""
    real = os.replace

    def replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if Path(dst) == home / STORE_NAME:
            _fail()
        real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)


def _break_fsync(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    monkeypatch.setattr(os, "fsync", _fail)


def _break_write(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    real = os.fdopen

    class Full:
        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, data: bytes) -> int:
            self.handle.write(data[: len(data) // 2])
            self.handle.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name: str) -> Any:
            return getattr(self.handle, name)

    monkeypatch.setattr(os, "fdopen", lambda *args, **kwargs: Full(real(*args, **kwargs)))


def _break_flush(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    real = os.fdopen

    class FailingFlush:
        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def __enter__(self) -> FailingFlush:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def flush(self) -> None:
            raise OSError(errno.EIO, "Input/output error")

        def __getattr__(self, name: str) -> Any:
            return getattr(self.handle, name)

    monkeypatch.setattr(os, "fdopen", lambda *args, **kwargs: FailingFlush(real(*args, **kwargs)))


def _break_folder_fsync(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """The rename is done, but the folder cannot be synced: the old store must come back."""
    real = os.fsync

    def fsync(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(errno.EIO, "Input/output error")
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)


BREAKAGES = {
    "flush": _break_flush,
    "folder-fsync": _break_folder_fsync,
    "replace": _break_replace,
    "replace-store-only": _break_store_replace,
    "fsync": _break_fsync,
    "write": _break_write,
}


@pytest.mark.parametrize("change", ["tick", "close"])
@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_failed_save_leaves_store_unchanged(
    home: Path, monkeypatch: pytest.MonkeyPatch, breakage: str, change: str
) -> None:
    acme, _ = seed(home, "Acme", "Beta")
    close(home, "beta")  # a history file exists, so a close writes a new one
    store = Store(home)
    before = store.path.read_bytes()
    referenced = pointer(store.path)

    with monkeypatch.context() as patch:
        BREAKAGES[breakage](patch, home)
        with pytest.raises(StoreError) as caught, store.change() as document:
            interview = actions.find_interview(document, acme)
            if change == "tick":
                actions.set_status(document, interview, interview.steps[:1], "done", NOW)
            else:
                actions.close(document, interview, "rejected", NOW)

    message = caught.value.message
    assert "could not save" in message
    assert "nothing changed" in message
    assert str(store.path) in message
    assert store.path.read_bytes() == before
    assert temps(home) == []
    assert referenced is not None and (home / referenced).exists()
    assert Store(home).read().open[acme].steps[0].status == "pending"
    # The lock was released: the same change now goes through.
    tick(home, acme)
    assert Store(home).read().open[acme].steps[0].status == "done"


def test_a_folder_that_cannot_be_synced_at_all_is_not_an_error(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Some file systems refuse fsync on a folder (EINVAL): saving must still work there."""
    (acme,) = seed(home, "Acme")
    store = Store(home)
    before = store.path.read_bytes()
    real = os.fsync

    def fsync(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "Invalid argument")
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    tick(home, acme)
    assert Store(home).read().open[acme].steps[0].status == "done"
    assert store.path.read_bytes() != before


def test_backup_is_copied_where_hard_links_are_not_supported(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (acme,) = seed(home, "Acme")
    before = (home / STORE_NAME).read_bytes()
    monkeypatch.setattr(os, "link", lambda *args, **kwargs: _fail())
    tick(home, acme)
    assert (home / f"{STORE_NAME}.bak").read_bytes() == before
    assert temps(home) == []


def test_cli_done_with_failing_replace_exits_1_and_changes_nothing(
    run: Callable[..., Any], home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    acme = add_interview(run, "Acme", "-i", "Ana Lopez", role="Engineer", at="today 10:00")
    store_file = home / STORE_NAME
    before = store_file.read_bytes()

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", _fail)
        result = run("done", acme, "1")

    assert_clean_error(result, "could not save", "nothing changed", str(store_file))
    assert store_file.read_bytes() == before
    assert temps(home) == []
    shown = run("show", acme, "--json")
    assert json.loads(shown.stdout)["steps"][0]["status"] == "pending"


def test_text_that_is_not_unicode_never_reaches_the_store(run: Callable[..., Any], home: Path) -> None:
    """Non-UTF-8 bytes in argv arrive as lone surrogates, which UTF-8 cannot encode."""
    acme = add_interview(run, "Acme", "-i", "Ana Lopez", role="Engineer", at="today 10:00")
    store_file = home / STORE_NAME
    before = store_file.read_bytes()

    result = run("done", acme, "1", "--note", "caf\udce9")

    assert result.exit_code != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ")
    assert store_file.read_bytes() == before
    assert temps(home) == []
    Store(home).read()


def test_ctrl_c_once_the_store_is_replaced_waits_for_its_index_and_backup(
    run: Callable[..., Any], home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    acme = add_interview(run, "Acme", "-i", "Ana Lopez", role="Engineer", at="today 10:00")
    before = (home / STORE_NAME).read_bytes()
    real = IndexDraft.encode

    def interrupted(self: IndexDraft, signature: list[int]) -> bytes:
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C just after the commit
        return real(self, signature)

    monkeypatch.setattr(IndexDraft, "encode", interrupted)
    result = run("done", acme, "1")

    assert result.exit_code == 0, result.output  # saved, so reported as saved
    assert "marked done" in result.stderr
    assert (home / f"{STORE_NAME}.bak").read_bytes() == before
    assert read_index(home) is not None  # the index follows the store
    assert temps(home) == []
    assert Store(home).read().open[acme].steps[0].status == "done"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_an_index_made_afresh_holds_one_model_at_a_time(home: Path) -> None:
    """A change whose index must be made afresh (the first after an upgrade of its
    format, or after a copy) reads every open interview: 10,000 models held at once
    would take 150 MiB, so only the one the change touched stays."""
    acme, *_ = seed(home, "Acme", "Beta", "Gamma")
    (home / "pending.json").unlink()
    with Store(home).change() as document:
        interview = actions.find_interview(document, acme)
        actions.set_status(document, interview, find_steps(interview, ["1"]), "done", NOW)
    assert set(document.open.models) == {acme}
    assert read_index(home) is not None


def test_ctrl_c_before_the_store_is_replaced_changes_nothing(
    run: Callable[..., Any], home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    acme = add_interview(run, "Acme", "-i", "Ana Lopez", role="Engineer", at="today 10:00")
    before = (home / STORE_NAME).read_bytes()

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    files = sorted((home / "interviews").iterdir())
    monkeypatch.setattr(store_module, "summaries_index", interrupted)
    monkeypatch.setattr(store_module, "update_index", interrupted)
    monkeypatch.setattr(stored_write, "update_index", interrupted)  # as `done` changes a file that is vouched for
    result = run("done", acme, "1")

    assert result.exit_code == 130
    assert (home / STORE_NAME).read_bytes() == before
    assert temps(home) == []
    assert sorted((home / "interviews").iterdir()) == files  # the new interview file is gone too
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_ctrl_c_while_the_new_store_is_synced_changes_nothing(
    run: Callable[..., Any], home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Until the rename, Ctrl-C still works: a slow disk can be given up on."""
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to tell which file is being synced")
    acme = add_interview(run, "Acme", "-i", "Ana Lopez", role="Engineer", at="today 10:00")
    before = (home / STORE_NAME).read_bytes()
    real = os.fsync

    def interrupted(fd: int) -> None:
        if Path(os.readlink(f"/proc/self/fd/{fd}")).name.startswith(f".{STORE_NAME}."):
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C while the new store is only a temp file
        real(fd)

    monkeypatch.setattr(os, "fsync", interrupted)
    result = run("done", acme, "1")

    assert result.exit_code == 130
    assert (home / STORE_NAME).read_bytes() == before
    assert temps(home) == []


def test_a_folder_that_cannot_be_listed_after_the_commit_does_not_fail_the_change(
    run: Callable[..., Any], home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Dropping unused history files comes after the commit: the change is saved, so it is reported."""
    acme = add_interview(run, "Acme", "-i", "Ana Lopez", role="Engineer", at="today 10:00")
    real = Path.iterdir

    def refuse(self: Path) -> Iterator[Path]:
        if self == home:
            raise OSError(errno.EMFILE, "Too many open files")
        return real(self)

    monkeypatch.setattr(Path, "iterdir", refuse)
    result = run("done", acme, "1")

    assert result.exit_code == 0, result.output
    assert "marked done" in result.stderr
    assert Store(home).read().open[acme].steps[0].status == "done"


# --- backup --------------------------------------------------------------------------------------


def test_backup_holds_the_previous_store_and_its_history(home: Path) -> None:
    seed(home, "Acme", "Beta")
    close(home, "acme")
    first = (home / STORE_NAME).read_bytes()
    close(home, "beta")
    backup = home / f"{STORE_NAME}.bak"

    assert backup.read_bytes() == first
    assert backup.stat().st_ino != (home / STORE_NAME).stat().st_ino
    old_history = pointer(backup)
    assert old_history is not None and old_history != pointer(home / STORE_NAME)
    assert (home / old_history).exists()

    # Restoring the backup gives back the store as it was, history included.
    (home / STORE_NAME).write_bytes(backup.read_bytes())
    restored = Store(home).read()
    assert list(restored.open) == ["beta-1128"]
    assert restored.closed()["acme-1128"].outcome == "offer"


# --- permissions --------------------------------------------------------------------------------


@pytest.fixture
def umask() -> Iterator[Callable[[int], int]]:
    """Set the process umask for one test; the old one is restored afterwards."""
    old = os.umask(0o077)
    os.umask(old)
    try:
        yield os.umask
    finally:
        os.umask(old)


@pytest.mark.parametrize("mask", [0o022, 0o000])
def test_files_are_private_whatever_the_umask(
    run: Callable[..., Any], home: Path, umask: Callable[[int], int], mask: int
) -> None:
    umask(mask)
    assert not home.exists()
    acme = add_interview(run, "Acme", "-i", "Ana Lopez", role="Engineer", at="today 10:00")
    add_interview(run, "Beta", "-i", "Ana Lopez", role="Engineer", at="today 10:00")
    assert run("close", acme, "--outcome", "offer").exit_code == 0

    assert mode(home) == 0o700
    names = [STORE_NAME, f"{STORE_NAME}.bak", LOCK_NAME, *sorted(history_files(home))]
    assert len(names) == 4
    for name in names:
        assert mode(home / name) == 0o600, name


def test_a_readable_store_becomes_private_on_the_next_save(home: Path, umask: Callable[[int], int]) -> None:
    umask(0o022)
    (acme,) = seed(home, "Acme")
    (home / STORE_NAME).chmod(0o644)
    tick(home, acme)
    assert mode(home / STORE_NAME) == 0o600
    assert mode(home / f"{STORE_NAME}.bak") == 0o600


# --- damaged stores -------------------------------------------------------------------------


def _edit(change: Callable[[dict[str, Any]], None]) -> Callable[[bytes], bytes]:
    def damage(good: bytes) -> bytes:
        data = json.loads(good)
        change(data)
        return json.dumps(data).encode()

    return damage


def _nan(good: bytes) -> bytes:
    assert b'"decision_by": null' in good
    return good.replace(b'"decision_by": null', b'"decision_by": NaN', 1)


def _nan_in_journal(good: bytes) -> bytes:
    """A journal snapshot holds free-form JSON, which only the JSON reader itself can police."""
    assert b'"interview": null' in good
    return good.replace(b'"interview": null', b'"interview": {"company": NaN}', 1)


def _conflict(good: bytes) -> bytes:
    first, rest = good.split(b"\n", 1)
    return first + b"\n<<<<<<< HEAD\n" + rest + b"=======\n>>>>>>> other\n"


def _not_utf8(good: bytes) -> bytes:
    assert b'"company": "Acme"' in good
    return good.replace(b'"company": "Acme"', b'"company": "Acme \xff\xfe"', 1)


DAMAGES: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "truncated": (lambda good: good[: len(good) // 2], "not valid JSON"),
    "empty": (lambda good: b"", "empty"),
    "all-nul": (lambda good: b"\x00" * len(good), "NUL"),
    "byte-order-mark": (lambda good: b"\xef\xbb\xbf" + good, "byte-order mark"),
    "merge-conflict": (_conflict, "merge-conflict markers (line 2)"),
    "nested-1000-deep": (
        lambda good: b'{"version": 2, "files": ' + b"[" * 1000 + b"]" * 1000 + b"}",
        "nested too deeply",
    ),
    "5000-digit-number": (lambda good: good.replace(b'"version": 3', b'"version": ' + b"9" * 5000, 1), "digits"),
    "duplicate-keys": (lambda good: good.replace(b'"version": 3', b'"version": 3, "version": 3', 1), "twice"),
    "nan-in-journal": (_nan_in_journal, "NaN"),
    "top-level-list": (lambda good: b"[]\n", "JSON object"),
    "no-version": (_edit(lambda data: data.pop("version")), "version"),
    "version-not-a-number": (_edit(lambda data: data.update(version="1")), "version"),
    "unknown-field": (_edit(lambda data: data.update(extras={})), "'extras'"),
    "history-outside": (_edit(lambda data: data.update(history={"file": "../x.json", "ids": []})), "history"),
    "file-outside": (_edit(lambda data: data["files"].update({"acme-1128": "../x.json"})), "files.acme-1128"),
    "file-named-twice": (_edit(lambda data: data["files"].update({"beta-1128": "acme-1128.1.json"})), "two"),
}
# Damage to the file of one open interview (acme-1128): found when that interview is read.
INTERVIEW_DAMAGES: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "truncated": (lambda good: good[: len(good) // 2], "not valid JSON"),
    "missing-field": (_edit(lambda data: data["interview"].pop("company")), "interview.company"),
    "wrong-type-in-step": (
        _edit(lambda data: data["interview"]["steps"][1].update(due="soon")),
        "interview.steps[1].due (interview acme-1128)",
    ),
    "not-utf8": (_not_utf8, "not UTF-8"),
    "nan": (_nan, "NaN"),
    "company-not-text": (_edit(lambda data: data["interview"].update(company=5)), "company"),
    "steps-not-a-list": (_edit(lambda data: data["interview"].update(steps="none")), "steps"),
    "another-interview": (_edit(lambda data: data["interview"].update(id="beta-1128")), "'beta-1128'"),
    "another-version": (_edit(lambda data: data.update(version=1)), "version"),
}


@pytest.fixture(params=sorted(DAMAGES))
def damaged(request: pytest.FixtureRequest, home: Path) -> tuple[bytes, bytes, str]:
    """A good store (with its backup) whose followup.json is then damaged."""
    seed(home, "Acme", "Beta")
    damage, reason = DAMAGES[request.param]
    bad = damage((home / STORE_NAME).read_bytes())
    (home / STORE_NAME).write_bytes(bad)
    return bad, (home / f"{STORE_NAME}.bak").read_bytes(), reason


def test_damaged_store_is_refused_by_read_and_change(home: Path, damaged: tuple[bytes, bytes, str]) -> None:
    bad, backup, reason = damaged
    store = Store(home)
    with pytest.raises(StoreError) as caught:
        store.read()
    assert str(store.path) in caught.value.message
    assert "damaged" in caught.value.message
    assert reason in caught.value.message

    with pytest.raises(StoreError), store.change() as document:
        document.changed = True
    assert store.path.read_bytes() == bad
    assert store.backup.read_bytes() == backup


@pytest.mark.parametrize(
    "command",
    [["list"], ["due"], ["done", "acme-1128", "1"], ["new", "--company", "A", "--role", "B"], ["undo"]],
    ids=lambda command: command[0],
)
def test_damaged_store_through_the_cli(
    run: Callable[..., Any], home: Path, damaged: tuple[bytes, bytes, str], command: list[str]
) -> None:
    bad, backup, reason = damaged
    result = run(*command)
    assert_clean_error(result, str(home / STORE_NAME), reason)
    assert result.stdout == ""
    assert (home / STORE_NAME).read_bytes() == bad
    assert (home / f"{STORE_NAME}.bak").read_bytes() == backup


@pytest.fixture(params=sorted(INTERVIEW_DAMAGES))
def damaged_interview(request: pytest.FixtureRequest, home: Path) -> tuple[Path, bytes, str]:
    """A good store whose file for acme-1128 is then damaged: (that file, the store, the reason)."""
    seed(home, "Acme", "Beta")
    path = home / "interviews" / json.loads((home / STORE_NAME).read_bytes())["files"]["acme-1128"]
    damage, reason = INTERVIEW_DAMAGES[request.param]
    path.write_bytes(damage(path.read_bytes()))
    return path, (home / STORE_NAME).read_bytes(), reason


def test_a_damaged_interview_file_is_refused_when_read(home: Path, damaged_interview: tuple[Path, bytes, str]) -> None:
    path, stored, reason = damaged_interview
    store = Store(home)
    document = store.read()
    assert document.get("beta-1128") is not None  # the others still read
    with pytest.raises(StoreError) as caught:
        document.get("acme-1128")
    assert str(path) in caught.value.message
    assert "damaged" in caught.value.message
    assert reason in caught.value.message
    assert "fix the file by hand" in str(caught.value.hint)  # the backup names that same file

    with pytest.raises(StoreError), store.change() as document:
        actions.find_interview(document, "acme-1128")
        document.changed = True
    assert store.path.read_bytes() == stored


@pytest.mark.parametrize(
    "command", [["show", "acme-1128"], ["done", "acme-1128", "1"], ["list", "--json"]], ids=lambda c: c[0]
)
def test_a_damaged_interview_file_through_the_cli(
    run: Callable[..., Any], home: Path, damaged_interview: tuple[Path, bytes, str], command: list[str]
) -> None:
    path, stored, reason = damaged_interview
    result = run(*command)
    assert_clean_error(result, str(path), reason)
    assert result.stdout == ""
    assert (home / STORE_NAME).read_bytes() == stored


def test_a_missing_interview_file_is_reported_with_its_name(run: Callable[..., Any], home: Path) -> None:
    seed(home, "Acme", "Beta")
    path = home / "interviews" / json.loads((home / STORE_NAME).read_bytes())["files"]["acme-1128"]
    path.unlink()
    result = run("done", "acme-1128", "1")
    assert_clean_error(result, str(path), "missing")
    assert run("show", "beta-1128").exit_code == 0


def test_store_from_a_newer_followup_is_refused(run: Callable[..., Any], home: Path) -> None:
    seed(home, "Acme")
    data = json.loads((home / STORE_NAME).read_bytes())
    data["version"] = 99
    newer = json.dumps(data).encode()
    (home / STORE_NAME).write_bytes(newer)

    with pytest.raises(StoreError) as caught:
        Store(home).read()
    assert "newer followup" in caught.value.message
    assert str(home / STORE_NAME) in caught.value.message

    for command in (["list"], ["done", "acme-1128", "1"], ["new", "--company", "A", "--role", "B"]):
        result = run(*command)
        assert_clean_error(result, "newer followup", str(home / STORE_NAME))
    assert (home / STORE_NAME).read_bytes() == newer


# --- the lock -----------------------------------------------------------------------------------


def test_change_fails_cleanly_while_another_process_holds_the_lock(home: Path) -> None:
    (acme,) = seed(home, "Acme")
    store = Store(home, lock_timeout=0.2)
    before = store.path.read_bytes()
    held = FileLock(str(store.lock_path))
    with held:
        with pytest.raises(StoreError) as caught, store.change() as document:
            document.changed = True
        assert str(store.lock_path) in caught.value.message
        assert "locked" in caught.value.message
        assert list(store.read().open) == [acme]
        assert store.path.read_bytes() == before
    with store.change() as document:
        actions.set_status(document, document.open[acme], document.open[acme].steps[:1], "done", NOW)
    assert store.read().open[acme].steps[0].status == "done"


def test_cli_while_locked(run: Callable[..., Any], home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    acme = add_interview(run, "Acme", "-i", "Ana Lopez", role="Engineer", at="today 10:00")
    before = (home / STORE_NAME).read_bytes()
    monkeypatch.setenv("FOLLOWUP_LOCK_TIMEOUT", "0.2")
    with FileLock(str(home / LOCK_NAME)):
        listed = run("list", "--json")
        assert listed.exit_code == 0
        assert [row["id"] for row in json.loads(listed.stdout)] == [acme]
        assert run("due").exit_code == 0
        result = run("done", acme, "1")
    assert_clean_error(result, "locked", str(home / LOCK_NAME))
    assert (home / STORE_NAME).read_bytes() == before


def test_a_lock_file_left_behind_never_blocks(home: Path) -> None:
    (acme,) = seed(home, "Acme")
    (home / LOCK_NAME).write_text("12345\n")
    with Store(home, lock_timeout=0).change() as document:
        actions.set_status(document, document.open[acme], document.open[acme].steps[:1], "done", NOW)
    assert Store(home).read().open[acme].steps[0].status == "done"


def test_a_lock_held_by_a_process_that_died_never_blocks(home: Path) -> None:
    (acme,) = seed(home, "Acme")
    lock = home / LOCK_NAME
    script = "import os, sys\nfrom filelock import FileLock\nFileLock(sys.argv[1]).acquire()\nos._exit(0)\n"
    subprocess.run([sys.executable, "-c", script, str(lock)], check=True)
    assert lock.exists()
    with Store(home, lock_timeout=0).change() as document:
        actions.set_status(document, document.open[acme], document.open[acme].steps[:1], "done", NOW)
    assert Store(home).read().open[acme].steps[0].status == "done"


def test_a_failed_change_releases_the_lock(home: Path) -> None:
    (acme,) = seed(home, "Acme")
    with pytest.raises(StoreError), Store(home).change():
        raise StoreError("something went wrong")
    with Store(home, lock_timeout=0).change() as document:
        actions.set_status(document, document.open[acme], document.open[acme].steps[:1], "done", NOW)


def test_concurrent_writers_lose_no_change(home: Path) -> None:
    script = textwrap.dedent(
        """
        import sys
        from datetime import datetime
        from pathlib import Path
        from zoneinfo import ZoneInfo
        from followup import actions, checklists
        from followup.store.core import Store

        home, worker = Path(sys.argv[1]), sys.argv[2]
        checklist = checklists.load(checklists.locate("post-interview", home / "checklists"))
        now = datetime(2026, 11, 28, 15, tzinfo=ZoneInfo("Europe/Berlin"))
        for n in range(5):
            interview = actions.plan(
                checklist, company=f"w{worker} c{n}", role="r", interviewers=[], at=now,
                zone_name="Europe/Berlin", flags={}, decision_by=None, notes=None, now=now,
            )
            with Store(home).change() as document:
                actions.add(document, interview, now)
        """
    )
    workers = [subprocess.Popen([sys.executable, "-c", script, str(home), str(n)]) for n in range(4)]
    assert [worker.wait() for worker in workers] == [0, 0, 0, 0]
    companies = {i.company for i in Store(home).read().open.values()}
    assert companies == {f"w{w} c{n}" for w in range(4) for n in range(5)}
    assert temps(home) == []


# --- history --------------------------------------------------------------------------------------


def test_closing_moves_an_interview_to_a_history_file(run: Callable[..., Any], home: Path) -> None:
    acme = add_interview(run, "Acme", "-i", "Ana Lopez", role="Engineer", at="today 10:00")
    beta = add_interview(run, "Beta", "-i", "Ana Lopez", role="Engineer", at="today 10:00")
    assert run("close", acme, "--outcome", "offer").exit_code == 0

    data = json.loads((home / STORE_NAME).read_bytes())
    assert list(data["files"]) == [beta]
    assert data["history"]["ids"] == [acme]
    name = data["history"]["file"]
    assert HISTORY_PATTERN.fullmatch(name)
    history = json.loads((home / name).read_bytes())
    assert [(i["id"], i["outcome"]) for i in history["interviews"]] == [(acme, "offer")]


@pytest.fixture
def with_history(run: Callable[..., Any], home: Path) -> tuple[str, str, Path]:
    acme = add_interview(run, "Acme", "-i", "Ana Lopez", role="Engineer", at="today 10:00")
    beta = add_interview(run, "Beta", "-i", "Ana Lopez", role="Engineer", at="today 10:00")
    assert run("close", acme, "--outcome", "rejected").exit_code == 0
    name = pointer(home / STORE_NAME)
    assert name is not None
    return acme, beta, home / name


def test_daily_reads_leave_the_history_file_alone(home: Path, with_history: tuple[str, str, Path]) -> None:
    _, beta, _ = with_history
    document = Store(home).read()
    assert list(document.open) == [beta]
    assert document._closed is None


def test_daily_commands_work_with_a_damaged_history_file(
    run: Callable[..., Any], home: Path, with_history: tuple[str, str, Path]
) -> None:
    acme, beta, history = with_history
    history.write_bytes(b"{ this is not json")
    listed = run("list", "--json")
    assert listed.exit_code == 0, listed.stderr
    assert [row["id"] for row in json.loads(listed.stdout)] == [beta]
    due = run("due", "--json")
    assert due.exit_code == 0, due.stderr
    assert {item["interview"] for item in json.loads(due.stdout)} == {beta}

    result = run("list", "--all")
    assert_clean_error(result, str(history))
    assert_clean_error(run("show", acme), str(history))
    assert history.read_bytes() == b"{ this is not json"


def test_daily_commands_work_with_an_unreadable_history_file(
    run: Callable[..., Any], home: Path, with_history: tuple[str, str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """As chmod 000 would do for a normal user (the tests may run as root, who reads anything)."""
    _, beta, history = with_history
    real = os.open

    def refuse_history(path: Any, *args: Any, **kwargs: Any) -> int:
        if HISTORY_PATTERN.fullmatch(Path(path).name):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse_history)
    for command in (["list", "--json"], ["due", "--json"], ["show", beta, "--json"]):
        result = run(*command)
        assert result.exit_code == 0, (command, result.stderr)
        assert beta in result.stdout
    assert_clean_error(run("list", "--all"), str(history))


def test_closed_interviews_are_read_when_asked_for(
    run: Callable[..., Any], home: Path, with_history: tuple[str, str, Path]
) -> None:
    acme, beta, _ = with_history
    listed = run("list", "--all", "--json")
    assert listed.exit_code == 0
    assert {row["id"]: row["outcome"] for row in json.loads(listed.stdout)} == {acme: "rejected", beta: None}
    shown = run("show", acme, "--json")
    assert shown.exit_code == 0
    assert json.loads(shown.stdout)["outcome"] == "rejected"

    assert run("reopen", acme).exit_code == 0
    data = json.loads((home / STORE_NAME).read_bytes())
    assert set(data["files"]) == {acme, beta}
    assert acme not in (data["history"] or {}).get("ids", [])


def test_unused_history_files_are_deleted_but_the_backups_is_kept(home: Path) -> None:
    acme, beta, gamma = seed(home, "Acme", "Beta", "Gamma")
    store_file, backup = home / STORE_NAME, home / f"{STORE_NAME}.bak"
    close(home, acme)
    first = pointer(store_file)
    close(home, beta)
    second = pointer(store_file)
    assert first is not None and second is not None and first != second
    assert pointer(backup) == first
    assert history_files(home) == {first, second}

    tick(home, gamma)  # the closed set does not change: both files now name `second`
    assert pointer(store_file) == pointer(backup) == second
    assert history_files(home) == {second}
    assert Store(home).read().closed().keys() == {acme, beta}


def test_stray_temp_files_are_removed_by_the_next_change(run: Callable[..., Any], home: Path) -> None:
    add_interview(run, "Acme", "-i", "Ana Lopez", role="Engineer", at="today 10:00")
    strays = [".followup.json.k3j2x9.tmp", ".history-7.json.a8b8c8.tmp", f".{STORE_NAME}.bak.tmp"]
    for name in strays:
        (home / name).write_bytes(b'{"version": 1, "interv')
    (home / "notes.txt").write_text("mine")
    (home / ".vim-swap.tmp").write_text("not ours")  # a temp file of some other program

    assert run("list").exit_code == 0
    assert temps(home) == sorted([*strays, ".vim-swap.tmp"]), "a reader must not delete a writer's temp file"

    assert run("new", "--company", "Beta", "--role", "QA").exit_code == 0
    assert temps(home) == [".vim-swap.tmp"]
    assert (home / "notes.txt").read_text() == "mine"


# --- the journal ----------------------------------------------------------------------------------------


def test_plain_undo_walks_back_through_every_kind_of_change(run: Callable[..., Any], home: Path) -> None:
    acme = add_interview(run, "Acme", "-i", "Ana Lopez", role="Engineer", at="today 10:00")
    assert run("done", acme, "1").exit_code == 0
    assert run("close", acme, "--outcome", "offer").exit_code == 0
    assert run("rm", acme, "--yes").exit_code == 0
    assert Store(home).read().ids() == []

    def undo(expected: str) -> Interview | None:
        result = run("undo")
        assert result.exit_code == 0, result.stderr
        assert "undid:" in result.stderr and expected in result.stderr, result.stderr
        return Store(home).read().get(acme)

    after_rm = undo(f"deleted {acme}")
    assert after_rm is not None and after_rm.outcome == "offer"
    after_close = undo(f"closed {acme}")
    assert after_close is not None and after_close.is_open and after_close.steps[0].status == "done"
    assert acme in Store(home).read().open
    after_done = undo(f"{acme}: marked done")
    assert after_done is not None and after_done.steps[0].status == "pending"
    assert undo(f"added {acme}") is None

    result = run("undo")
    assert_clean_error(result, "nothing to undo")


def test_the_journal_is_bounded(home: Path) -> None:
    (acme,) = seed(home, "Acme")
    changes = constants.JOURNAL_LIMIT + 5
    for n in range(changes):
        with Store(home).change() as document:
            interview = document.open[acme]
            status = "done" if n % 2 == 0 else "pending"
            actions.set_status(document, interview, interview.steps[:1], status, NOW)
    entries = json.loads((home / STORE_NAME).read_bytes())["journal"]
    assert len(entries) == constants.JOURNAL_LIMIT
    assert entries[-1]["summary"] == f"{acme}: marked done: thank-interviewer"

    for _ in range(constants.JOURNAL_LIMIT):
        with Store(home).change() as document:
            journal.undo_last(document)
    with pytest.raises(FollowupError, match="nothing to undo"), Store(home).change() as document:
        journal.undo_last(document)
    # What is left is the store after the changes that fell out of the journal.
    assert Store(home).read().open[acme].steps[0].status == "done"


def test_nothing_to_undo_on_an_empty_store(run: Callable[..., Any], home: Path) -> None:
    result = run("undo")
    assert_clean_error(result, "nothing to undo")
    assert not (home / STORE_NAME).exists()


# --- versions and migrations -------------------------------------------------------


def _from_version_0(data: dict[str, Any]) -> dict[str, Any]:
    """A made-up older format, for the machinery: open interviews were under "open"."""
    migrated = {key: value for key, value in data.items() if key != "open"}
    migrated["interviews"] = data["open"]
    return migrated


def _make_version_1(home: Path) -> bytes:
    """The store as followup's format 1 wrote it: the open interviews in followup.json itself."""
    data = json.loads((home / STORE_NAME).read_bytes())
    files = data.pop("files")
    opened = [json.loads((home / "interviews" / name).read_bytes())["interview"] for name in files.values()]
    history = data.pop("history")
    old = {"version": 1, "interviews": opened, "history": history, "journal": data["journal"]}
    shutil.rmtree(home / "interviews")
    (home / "pending.json").unlink()
    raw = json.dumps(old, ensure_ascii=False, indent=1).encode() + b"\n"
    (home / STORE_NAME).write_bytes(raw)
    return raw


def test_a_store_of_format_1_is_read_and_migrated_by_the_first_change(run: Callable[..., Any], home: Path) -> None:
    acme, beta = seed(home, "Acme", "Beta")
    close(home, beta)
    old = _make_version_1(home)

    assert set(Store(home).read().open) == {acme}
    assert set(Store(home).read().closed()) == {beta}
    for command in (["list"], ["due"], ["show", acme], ["list", "--all", "--json"]):
        assert run(*command).exit_code == 0
    assert (home / STORE_NAME).read_bytes() == old
    assert not (home / "interviews").exists()

    assert run("done", acme, "1").exit_code == 0
    assert (home / f"{STORE_NAME}.v1.bak").read_bytes() == old
    assert stat.S_IMODE((home / f"{STORE_NAME}.v1.bak").stat().st_mode) == 0o600
    saved = json.loads((home / STORE_NAME).read_bytes())
    assert saved["version"] == store_format.VERSION == 3
    assert list(saved["files"]) == [acme]
    assert (home / "interviews" / saved["files"][acme]).exists()
    document = Store(home).read()
    assert document.open[acme].steps[0].status == "done"
    assert set(document.closed()) == {beta}
    assert run("undo").exit_code == 0  # the journal came along
    assert Store(home).read().open[acme].steps[0].status == "pending"


def _make_version_0(home: Path) -> bytes:
    _make_version_1(home)
    data = json.loads((home / STORE_NAME).read_bytes())
    data["version"] = 0
    data["open"] = data.pop("interviews")
    old = json.dumps(data).encode()
    (home / STORE_NAME).write_bytes(old)
    return old


def test_an_older_store_is_read_migrated_and_saved_after_a_backup(
    run: Callable[..., Any], home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    acme, beta = seed(home, "Acme", "Beta")
    old = _make_version_0(home)
    monkeypatch.setitem(store_format.MIGRATIONS, 0, _from_version_0)

    # Reading migrates in memory and writes nothing.
    assert set(Store(home).read().open) == {acme, beta}
    assert run("list").exit_code == 0
    assert (home / STORE_NAME).read_bytes() == old
    assert not (home / f"{STORE_NAME}.v0.bak").exists()

    # The first change keeps the old file, then writes the current format.
    result = run("done", acme, "1")
    assert result.exit_code == 0, result.output
    assert (home / f"{STORE_NAME}.v0.bak").read_bytes() == old
    assert stat.S_IMODE((home / f"{STORE_NAME}.v0.bak").stat().st_mode) == 0o600
    saved = json.loads((home / STORE_NAME).read_bytes())
    assert saved["version"] == store_format.VERSION
    assert "open" not in saved
    assert Store(home).read().open[acme].steps[0].status == "done"


def test_a_version_without_a_migration_is_refused(run: Callable[..., Any], home: Path) -> None:
    (acme,) = seed(home, "Acme")
    old = _make_version_0(home)
    result = run("done", acme, "1")
    assert_clean_error(result, "format 0 is unknown", str(home / STORE_NAME))
    assert (home / STORE_NAME).read_bytes() == old


# --- snapshots -----------------------------------------------------------------------


def test_a_reader_keeps_its_snapshot_while_writers_replace_the_history(home: Path) -> None:
    acme, beta, gamma = seed(home, "Acme", "Beta", "Gamma")
    close(home, acme)
    document = Store(home).read()  # holds history-1.json open, unread
    first = pointer(home / STORE_NAME)
    close(home, beta)
    close(home, gamma)  # two changes later, nothing names the first history file any more
    assert first is not None and not (home / first).exists()
    assert set(document.closed()) == {acme}
    assert set(document.open) == {beta, gamma}
