"""Concurrency between real processes: the lock, readers, and a full disk.

SPEC ("The store"): changes are serialised between concurrent processes by a
lock, so two terminals never lose each other's changes; a command that only
reads never waits for the lock; a failed command leaves the store as it was.
README ("Your data"): a lock left by a killed process never blocks anyone.

Every process here is a real one, on the test's own FOLLOWUP_HOME.
"""

from __future__ import annotations

import itertools
import json
import re
import resource
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

from followup.store import core as store_core
from followup.store.core import LOCK_NAME, LOCK_TIMEOUT, STORE_NAME, Store
from helpers import environment, followup_argv, run_followup

# The steps of the default checklist for an interview with no interviewer, in order.
STEPS = ("thank-interviewer", "shake-hands", "greet-staff", "write-letter", "mail-letter")
HISTORY_FILE = re.compile(r"history-\d+\.json")


# --- helpers -------------------------------------------------------------------------------


def start(home: Path, *args: str, **extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*followup_argv(), *args],
        env=environment(home, **extra),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def new(home: Path, company: str) -> str:
    made = run_followup(home, "new", "--company", company, "--role", "Engineer", "--json")
    assert made.returncode == 0, made.stderr
    return str(json.loads(made.stdout)["id"])


def temps(home: Path) -> list[str]:
    return sorted(path.name for path in home.glob(".*.tmp"))


def assert_clean_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    """Exit 1, one or two plain lines on stderr, each needle in them, no traceback."""
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: "), result.stderr
    assert 1 <= len(result.stderr.strip().splitlines()) <= 2, result.stderr
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr)


# --- many writers at once -------------------------------------------------------------------

# A worker makes `changes` changes through the CLI, in its own process: per interview one
# `new` and four `done`, each a separate command with its own lock and save. It records
# the commands that failed (a lock timeout would be one) and its slowest command.
WORKER = textwrap.dedent(
    """
    import json, os, sys, time
    from datetime import datetime
    from zoneinfo import ZoneInfo
    from followup.cli.app import app
    from followup.ids import interview_id

    worker, changes, results = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    steps = sys.argv[4].split(",")
    at = datetime(2026, 11, 28, 15, tzinfo=ZoneInfo("Europe/Berlin"))
    sys.stdout = open(os.devnull, "w")
    failed, slowest, made = [], 0.0, 0
    for n in range(changes // (1 + len(steps))):
        company = f"W{worker}-{n}"
        ident = interview_id(company, at, ())
        commands = [["new", "--company", company, "--role", "Engineer"]]
        commands += [["done", ident, step] for step in steps]
        for command in commands:
            started = time.monotonic()
            code = app(command, standalone_mode=False)
            slowest = max(slowest, time.monotonic() - started)
            made += 1
            if code not in (None, 0):
                failed.append([command, code])
    with open(results, "w") as out:
        json.dump({"failed": failed, "slowest": slowest, "made": made}, out)
    """
)


@pytest.mark.parametrize("workers", [2, pytest.param(4, marks=pytest.mark.slow)])
def test_concurrent_writers_lose_and_duplicate_nothing(tmp_path: Path, home: Path, workers: int) -> None:
    changes = 200
    done = STEPS[:4]  # the last step stays pending, so a lost `done` cannot hide behind it
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    env = environment(home)  # the CLI's own lock timeout, as a user would have it
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), str(w), str(changes), str(tmp_path / f"result-{w}.json"), ",".join(done)],
            env=env,
            stdin=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(workers)
    ]
    errors = [proc.communicate(timeout=600)[1] for proc in procs]
    assert [proc.returncode for proc in procs] == [0] * workers, errors
    results = [json.loads((tmp_path / f"result-{w}.json").read_text()) for w in range(workers)]
    print("slowest single command per worker:", [round(r["slowest"], 2) for r in results], "s")
    assert [r["made"] for r in results] == [changes] * workers
    assert [r["failed"] for r in results] == [[]] * workers, "a command failed under contention (see stderr)"

    interviews = list(Store(home).read().open.values())
    companies = sorted(i.company for i in interviews)
    expected = sorted(f"W{w}-{n}" for w in range(workers) for n in range(changes // 5))
    assert companies == expected, "an interview was lost or made twice"
    assert len({i.id for i in interviews}) == len(interviews)
    statuses = {i.company: tuple(s.status for s in i.steps) for i in interviews}
    lost = sorted(company for company, got in statuses.items() if got != ("done",) * 4 + ("pending",))
    assert lost == [], f"steps marked done were lost: {lost[:5]}"
    assert temps(home) == []


# --- the lock -------------------------------------------------------------------------------------


def test_a_held_lock_makes_a_change_fail_after_the_configured_wait(home: Path) -> None:
    acme = new(home, "Acme")
    store = home / STORE_NAME
    before = store.read_bytes()
    with FileLock(str(home / LOCK_NAME)):
        started = time.monotonic()
        result = run_followup(home, "done", acme, "1", FOLLOWUP_LOCK_TIMEOUT="0.5")
        waited = time.monotonic() - started
    assert_clean_error(result, "locked", str(home / LOCK_NAME))
    assert waited >= 0.5, "it gave up without waiting"
    assert waited < LOCK_TIMEOUT, f"it waited {waited:.1f}s, the default, not FOLLOWUP_LOCK_TIMEOUT"
    assert store.read_bytes() == before
    assert temps(home) == []
    # The same change goes through once the lock is free.
    assert run_followup(home, "done", acme, "1", FOLLOWUP_LOCK_TIMEOUT="0.5").returncode == 0


@pytest.mark.slow
def test_a_held_lock_makes_a_change_fail_after_the_default_wait(home: Path) -> None:
    acme = new(home, "Acme")
    before = (home / STORE_NAME).read_bytes()
    with FileLock(str(home / LOCK_NAME)):
        started = time.monotonic()
        result = run_followup(home, "done", acme, "1", timeout=LOCK_TIMEOUT + 50)
        waited = time.monotonic() - started
    assert_clean_error(result, "locked", str(home / LOCK_NAME))
    assert waited >= LOCK_TIMEOUT
    assert (home / STORE_NAME).read_bytes() == before


def test_a_change_waits_for_the_lock_and_then_goes_through(home: Path) -> None:
    acme = new(home, "Acme")
    lock = FileLock(str(home / LOCK_NAME))
    lock.acquire()
    try:
        waiting = start(home, "done", acme, "shake-hands", FOLLOWUP_LOCK_TIMEOUT="60")
        time.sleep(1.0)
        assert waiting.poll() is None, "it did not wait for the lock"
    finally:
        lock.release()
    _, err = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, err
    steps = {s.id: s.status for s in Store(home).read().open[acme].steps}
    assert steps["shake-hands"] == "done"


HOLDER = textwrap.dedent(
    """
    import sys, time
    from filelock import FileLock
    lock = FileLock(sys.argv[1])
    lock.acquire()
    print("locked", flush=True)
    time.sleep(600)
    """
)


def test_a_lock_held_by_a_killed_process_never_blocks(home: Path) -> None:
    acme = new(home, "Acme")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(home / LOCK_NAME)],
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        blocked = run_followup(home, "done", acme, "1", FOLLOWUP_LOCK_TIMEOUT="0.2")
        assert_clean_error(blocked, "locked")  # the holder really holds it
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=60)
    assert holder.returncode == -signal.SIGKILL
    assert (home / LOCK_NAME).exists()

    result = run_followup(home, "done", acme, "1", FOLLOWUP_LOCK_TIMEOUT="0")
    assert result.returncode == 0, result.stderr
    assert Store(home).read().open[acme].steps[0].status == "done"


# --- readers ----------------------------------------------------------------------------------------


def test_readers_never_wait_for_the_lock(home: Path) -> None:
    acme = new(home, "Acme")
    with FileLock(str(home / LOCK_NAME)):
        # A reader that took the lock would fail here after 0.2 s.
        for args in (["list", "--json"], ["list", "--all", "--json"], ["show", acme, "--json"], ["due"]):
            result = run_followup(home, *args, FOLLOWUP_LOCK_TIMEOUT="0.2")
            assert result.returncode == 0, (args, result.stderr)
        listed = run_followup(home, "list", "--json", FOLLOWUP_LOCK_TIMEOUT="0.2")
    assert [row["id"] for row in json.loads(listed.stdout)] == [acme]


WRITER = textwrap.dedent(
    """
    import os, sys
    from followup.cli.app import app

    count = int(sys.argv[1])
    sys.stdout = open(os.devnull, "w")
    for n in range(count):
        ident = f"writer-{n}-1128"
        for command in (["new", "--company", f"Writer {n}", "--role", "r"], ["done", ident, "thank-interviewer"]):
            code = app(command, standalone_mode=False)
            if code not in (None, 0):
                sys.exit(f"{command}: exit {code}")
    """
)


def progress(interviews: list[dict[str, Any]]) -> tuple[int, int]:
    """How many interviews, and how many steps done; a whole interview has all five steps."""
    steps = [interview["steps"] for interview in interviews]
    assert all(isinstance(s, list) and len(s) == len(STEPS) for s in steps), "an interview is not whole"
    return len(interviews), sum(step["status"] == "done" for s in steps for step in s)


def test_readers_never_see_a_half_made_store(home: Path) -> None:
    """While a writer adds interviews and ticks steps, readers always see a whole store that only grows."""
    new(home, "Acme")
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, "50"],
        env=environment(home),
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen: list[tuple[int, int]] = []
    listed: list[tuple[int, int]] = []
    problems: list[str] = []

    def in_process() -> None:
        for attempt in itertools.count():
            if writer.poll() is not None and attempt >= 20:
                return
            try:
                document = Store(home).read()
                seen.append(progress([i.model_dump(mode="json") for i in document.every()]))
            except Exception as exc:
                problems.append(f"Store.read: {exc!r}")

    reading = threading.Thread(target=in_process)
    reading.start()
    try:
        for attempt in itertools.count():
            if writer.poll() is not None and attempt >= 4:
                break
            # A reader that waited for the lock would fail at once.
            result = run_followup(home, "list", "--all", "--json", FOLLOWUP_LOCK_TIMEOUT="0")
            if result.returncode != 0:
                problems.append(f"list --all --json: exit {result.returncode}: {result.stderr}")
            else:
                listed.append(progress(json.loads(result.stdout)))
    finally:
        _, err = writer.communicate(timeout=600)
        reading.join()
    assert writer.returncode == 0, err
    assert problems == [], problems[:3]
    assert len(set(seen)) > 5, "the reader hardly overlapped the writer"
    for views, who in ((seen, "Store.read()"), (listed, "`list --all --json`")):
        assert [count for count, _ in views] == sorted(count for count, _ in views), f"{who} saw interviews vanish"
        assert [done for _, done in views] == sorted(done for _, done in views), f"{who} saw a done step undone"
    final = run_followup(home, "list", "--all", "--json")
    assert progress(json.loads(final.stdout)) == (51, 50), "the writer's changes are not all there"
    assert all(count <= 51 and done <= 50 for count, done in seen + listed), "a reader saw changes never made"


def test_a_reader_outpaced_by_two_changes_still_sees_a_whole_store(
    home: Path, run: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader is paused right after it read followup.json, while another process makes two changes."""
    acme, beta, gamma = new(home, "Acme"), new(home, "Beta"), new(home, "Gamma")
    assert run_followup(home, "close", acme, "-o", "offer").returncode == 0  # the store now names a history file
    before = {acme, beta, gamma}
    real = store_core.read_regular
    paused: list[subprocess.CompletedProcess[str]] = []

    def read_bytes(path: Path) -> bytes:
        data = real(path)
        if path == home / STORE_NAME and not paused:
            # Meanwhile, elsewhere: a close writes a new history file, and the next change drops the old one.
            paused.append(run_followup(home, "close", beta, "-o", "rejected"))
            paused.append(run_followup(home, "done", gamma, "1"))
        return data

    with monkeypatch.context() as patch:
        patch.setattr(store_core, "read_regular", read_bytes)  # how the store reads its root
        result = run("list", "--all", "--json")

    assert [p.returncode for p in paused] == [0, 0], [p.stderr for p in paused]
    assert result.exit_code == 0, result.stderr
    assert {row["id"] for row in json.loads(result.stdout)} == before


@pytest.mark.parametrize("command", [["show", "{gamma}", "--json"], ["list", "--all", "--json"]])
def test_a_reader_outpaced_every_time_reads_under_the_lock_and_gets_through(
    home: Path, run: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    """Writers make two changes each time the reader has read followup.json without the lock, so
    the file it names is always gone when it gets there; the reader must not give up."""
    acme, beta, gamma = new(home, "Acme"), new(home, "Beta"), new(home, "Gamma")
    real = store_core.read_regular
    outpaced: list[int] = []

    def read_bytes(path: Path) -> bytes:
        data = real(path)
        if path == home / STORE_NAME:
            try:
                with FileLock(str(home / LOCK_NAME), timeout=0):
                    pass
            except TimeoutError:  # the reader holds the lock: no writer can get in now
                return data
            for args in (["done", gamma, "1"], ["undo", gamma, "1"]):  # two changes: the file is collected
                outpaced.append(run_followup(home, *args).returncode)
        return data

    with monkeypatch.context() as patch:
        patch.setattr(store_core, "read_regular", read_bytes)
        result = run(*[arg.format(gamma=gamma) for arg in command])

    assert len(outpaced) >= 4 and set(outpaced) == {0}  # outpaced at least twice
    assert result.exit_code == 0, result.stderr
    shown = json.loads(result.stdout)
    ids = {shown["id"]} if isinstance(shown, dict) else {row["id"] for row in shown}
    assert ids == ({gamma} if command[0] == "show" else {acme, beta, gamma})


# --- a full disk ------------------------------------------------------------------------------------


def limit_file_size(size: int) -> Callable[[], None]:
    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


def fill_the_disk(home: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    """Run `followup ARGS` where no file can grow past half the store's size."""
    return run_followup(home, *args, preexec_fn=limit_file_size((home / STORE_NAME).stat().st_size // 2))


def folder(home: Path) -> dict[str, bytes]:
    return {str(path.relative_to(home)): path.read_bytes() for path in home.rglob("*") if path.is_file()}


@pytest.fixture
def three(home: Path) -> str:
    """Acme open, Beta closed (so there is a history file to keep), Acme's id."""
    acme = new(home, "Acme")
    new(home, "Beta")
    assert run_followup(home, "close", "beta-1128", "-o", "offer").returncode == 0
    return acme


@pytest.mark.parametrize("command", ["done", "new", "close"])
def test_a_full_disk_changes_nothing_in_the_store(home: Path, three: str, command: str) -> None:
    """No file may grow past half the store: the save fails, and the store, its backup and its
    history stay byte for byte. A file derived from the store (a summary for the daily
    commands) may be rewritten, but no reader may then trust it: see the plain `list`."""
    args = {
        "done": ["done", three, "1"],
        "new": ["new", "--company", "Gamma", "--role", "Engineer"],
        "close": ["close", three, "-o", "rejected"],
    }[command]
    before = folder(home)

    result = fill_the_disk(home, args)

    assert_clean_error(result, "could not save", "nothing changed", str(home / STORE_NAME))
    after = folder(home)
    assert sorted(after) == sorted(before), "a file was left behind, or one was removed"
    assert after[STORE_NAME] == before[STORE_NAME], "the store changed"
    history = [name for name in before if HISTORY_FILE.fullmatch(name)]
    assert history and all(after[name] == before[name] for name in history), "a history file changed"
    assert after[f"{STORE_NAME}.bak"] == before[f"{STORE_NAME}.bak"], "the backup changed"
    assert temps(home) == []
    listed = run_followup(home, "list", "--all", "--json")
    assert sorted(row["id"] for row in json.loads(listed.stdout)) == sorted([three, "beta-1128"])
    shown = run_followup(home, "show", three, "--json")
    assert [step["status"] for step in json.loads(shown.stdout)["steps"]] == ["pending"] * 5
    table = run_followup(home, "list")  # the plain table, which may read a summary kept beside the store
    assert table.returncode == 0, table.stderr
    assert "Gamma" not in table.stdout
    assert [line for line in table.stdout.splitlines() if three in line and "0/5" in line], table.stdout
