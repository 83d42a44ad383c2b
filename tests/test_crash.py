"""Crash consistency: a changing command killed with SIGKILL at any moment.

SPEC ("The store"): every change is atomic, so a crash at any moment leaves
either the old or the new store; a failed command leaves the store as it was.

The random loop starts real `followup new`, `done`, `rm` and `close` processes,
kills each after a random delay (or lets it finish) and then checks that:

- the store loads, and so do its backup and the history file it names;
- a command that exited 0 made its whole change;
- a killed command's change is wholly there or wholly absent;
- after a command that ran to the end, no `.*.tmp` file is left in the folder.

Set FOLLOWUP_CRASH_SEED to replay a run; the seed is printed and is part of
every failure message. The sweep at the end stops a command at each of its
system calls on the store's folder in turn, by strace, to kill it there or to
make that call fail.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from followup.ids import interview_id
from followup.store.core import LOCK_NAME, STORE_NAME, Store
from followup.store.format import load_interview
from helpers import environment, followup_argv, run_followup

AT = datetime(2026, 11, 28, 15, 0, tzinfo=ZoneInfo("Europe/Berlin"))
WORKERS = 2  # one per core, each on its own home
KILLS_PER_WORKER = 110  # 220 kills in all
MAX_ITERATIONS = 600  # per worker; a safety net, never reached in practice
SEED_INTERVIEWS = 4

# company -> (interview id, "open" or the outcome, ((step id, status), ...))
State = dict[str, tuple[str, str, tuple[tuple[str, str], ...]]]


def temps(home: Path) -> list[str]:
    return sorted(path.name for path in home.glob(".*.tmp"))


def files(home: Path) -> dict[str, tuple[int, int, int]]:
    """What a change to the folder alters: its names, and each file's inode, size and time."""
    found = {}
    for entry in os.scandir(home):
        try:
            info = entry.stat(follow_symlinks=False)
        except FileNotFoundError:
            continue
        found[entry.name] = (info.st_ino, info.st_size, info.st_mtime_ns)
    return found


def observe(home: Path) -> State:
    """The store as a reader sees it; raises if it, or the history it names, does not load."""
    document = Store(home).read()
    return {i.company: (i.id, i.outcome or "open", tuple((s.id, s.status) for s in i.steps)) for i in document.every()}


def named_files(path: Path) -> set[str]:
    """The interview files a store of format 3 names."""
    data = json.loads(path.read_bytes())
    assert isinstance(data, dict) and data.get("version") == 3 and isinstance(data.get("files"), dict)
    return set(data["files"].values())


def check_backup(home: Path) -> None:
    """The backup, if there is one, is a whole store too: every file it names is there and loads."""
    backup = home / f"{STORE_NAME}.bak"
    if backup.exists():
        data = json.loads(backup.read_bytes())
        for key, name in data["files"].items():
            load_interview((home / "interviews" / name).read_bytes(), key)


def unnamed(home: Path) -> list[str]:
    """Interview files that neither the store nor its backup names."""
    folder = home / "interviews"
    if not folder.exists():
        return []
    named = named_files(home / STORE_NAME)
    if (home / f"{STORE_NAME}.bak").exists():
        named |= named_files(home / f"{STORE_NAME}.bak")
    return sorted(path.name for path in folder.iterdir() if path.name not in named)


@dataclass
class Worker:
    """One home, one random stream and the model of what its store holds."""

    number: int
    home: Path
    seed: int
    env: dict[str, str]
    rng: random.Random = field(init=False)
    model: State = field(default_factory=dict)
    template: tuple[tuple[str, str], ...] = ()
    typical: float = 0.0
    made: int = 0
    kills: int = 0
    finished: int = 0
    killed_before: int = 0  # the change was not there
    killed_leaving_temps: int = 0  # the change was not there, and a new temp file was
    killed_after: int = 0  # the change was there
    stop: threading.Event = field(default_factory=threading.Event)  # set when another worker failed

    def __post_init__(self) -> None:
        self.rng = random.Random(f"{self.seed}-{self.number}")

    def where(self, iteration: int, op: list[str]) -> str:
        return f"seed {self.seed}, worker {self.number}, iteration {iteration}, `followup {' '.join(op)}`"

    def start(self, args: list[str]) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [*followup_argv(), *args],
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def company(self) -> str:
        self.made += 1
        return f"Crash {self.number}-{self.made}"

    def seed_store(self) -> None:
        """A few interviews made without interruption; their run times give the typical duration."""
        durations = []
        for _ in range(SEED_INTERVIEWS):
            args = ["new", "--company", self.company(), "--role", "Engineer"]
            started = time.monotonic()
            proc = self.start(args)
            _, err = proc.communicate(timeout=60)
            durations.append(time.monotonic() - started)
            assert proc.returncode == 0, (self.where(0, args), err.decode())
        self.model = observe(self.home)
        assert len(self.model) == SEED_INTERVIEWS
        self.template = next(iter(self.model.values()))[2]
        assert self.template and all(status == "pending" for _, status in self.template)
        self.typical = statistics.median(durations)

    def pick(self) -> tuple[list[str], State]:
        """A change that is possible in the model, and the model after it."""
        after = dict(self.model)
        open_ = sorted(company for company, (_, outcome, _) in self.model.items() if outcome == "open")
        pending = [c for c in open_ if any(status == "pending" for _, status in self.model[c][2])]
        choice = self.rng.choices(["new", "done", "rm", "close"], weights=[35, 35, 15, 15])[0]
        if len(open_) < 4 or (choice == "done" and not pending):
            choice = "new"
        if choice == "new":
            company = self.company()
            after[company] = (interview_id(company, AT, ()), "open", self.template)
            return ["new", "--company", company, "--role", "Engineer"], after
        if choice == "done":
            company = self.rng.choice(pending)
            ident, outcome, steps = self.model[company]
            step = self.rng.choice([step for step, status in steps if status == "pending"])
            after[company] = (ident, outcome, tuple((s, "done" if s == step else status) for s, status in steps))
            return ["done", ident, step], after
        company = self.rng.choice(open_)
        ident, _, steps = self.model[company]
        if choice == "rm":
            del after[company]
            return ["rm", ident, "--yes"], after
        after[company] = (ident, "rejected", steps)
        return ["close", ident, "--outcome", "rejected"], after

    def kill_at_random(self, proc: subprocess.Popen[bytes]) -> None:
        """SIGKILL `proc` at a random moment, unless it exits first.

        Two kills in five land anywhere in a run. Two in five land in the save,
        which takes only a few milliseconds of a run: they wait for the first
        change the command makes to the folder (a new file, or a file's size,
        time or inode), then a few milliseconds more. One run in five is left
        to finish, so that the next command's clean-up is checked often.
        """
        draw = self.rng.random()
        if draw < 0.2:
            return
        if draw < 0.6:
            time.sleep(self.rng.uniform(0, 1.2 * self.typical))
        else:
            before = files(self.home)
            while proc.poll() is None and files(self.home) == before:
                time.sleep(0.0002)
            time.sleep(self.rng.uniform(0, 0.005))
        proc.kill()  # a no-op if it has already exited

    def run(self) -> Worker:
        self.seed_store()
        iteration = 0
        while self.kills < KILLS_PER_WORKER and not self.stop.is_set():
            iteration += 1
            assert iteration <= MAX_ITERATIONS, f"seed {self.seed}: only {self.kills} kills in {MAX_ITERATIONS} runs"
            try:
                self.step(iteration)
            except BaseException:
                self.stop.set()
                raise
        # One last command that runs to the end cleans up whatever the last kill left.
        self.finish(iteration + 1)
        return self

    def step(self, iteration: int) -> None:
        before = self.model
        args, after = self.pick()
        where = self.where(iteration, args)
        left = set(temps(self.home))
        proc = self.start(args)
        self.kill_at_random(proc)
        _, err = proc.communicate(timeout=60)
        stray = temps(self.home)
        try:
            state = observe(self.home)
            check_backup(self.home)
        except Exception as exc:
            raise AssertionError(f"{where}: the store does not load after exit {proc.returncode}: {exc!r}") from exc
        if proc.returncode == -signal.SIGKILL:
            self.kills += 1
            assert state in (before, after), f"{where}: killed, and the store is neither the old nor the new one"
            if set(stray) - left:
                self.killed_leaving_temps += 1
            elif state == after:
                self.killed_after += 1
            else:
                self.killed_before += 1
        else:
            self.finished += 1
            assert proc.returncode == 0, f"{where}: exit {proc.returncode}: {err.decode()}"
            assert state == after, f"{where}: exited 0, but its change is not (all) in the store"
            self.check_no_temps(where)
        self.model = state

    def check_no_temps(self, where: str) -> None:
        """A command that ran to the end removed every stray temp file, and left none of its own."""
        stray = temps(self.home)
        assert stray == [], f"{where}: ran to the end and left temp files {stray}"
        extra = unnamed(self.home)
        assert extra == [], f"{where}: ran to the end and left interview files nothing names: {extra}"

    def finish(self, iteration: int) -> None:
        args, after = self.pick()
        proc = self.start(args)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, (self.where(iteration, args), err.decode())
        assert observe(self.home) == after, self.where(iteration, args)
        self.check_no_temps(self.where(iteration, args))


@pytest.mark.slow
def test_sigkill_at_any_moment_leaves_the_old_or_the_new_store(tmp_path: Path) -> None:
    seed = int(os.environ.get("FOLLOWUP_CRASH_SEED") or random.randrange(2**32))
    print(f"FOLLOWUP_CRASH_SEED={seed}")
    stop = threading.Event()
    workers = []
    for number in range(WORKERS):
        home = tmp_path / f"home-{number}"
        env = environment(home)
        workers.append(Worker(number, home, seed, env, stop=stop))
    with ThreadPoolExecutor(WORKERS) as pool:
        done = list(pool.map(Worker.run, workers))

    for worker in done:
        print(
            f"worker {worker.number}: typical run {worker.typical:.3f}s, {worker.kills} kills"
            f" ({worker.killed_before} before the change, {worker.killed_leaving_temps} mid-save leaving temp files,"
            f" {worker.killed_after} after it), {worker.finished} ran to the end, {len(worker.model)} interviews"
        )
    assert sum(worker.kills for worker in done) >= 200
    # The kills must reach the save itself, or this test proves little.
    assert sum(worker.killed_leaving_temps + worker.killed_after for worker in done) >= 10, f"seed {seed}"


def test_a_kill_between_backup_and_store_leaves_no_temp_after_the_next_command(home: Path) -> None:
    """The backup is another name of the store, as a kill right after keeping it left it in earlier versions.

    A rename between two names of one file does nothing and succeeds, so a temp file
    renamed over the backup would survive a command that exits 0.
    """
    for company in ("Acme", "Beta"):
        made = run_followup(home, "new", "--company", company, "--role", "Engineer")
        assert made.returncode == 0, made.stderr
    store, backup = home / STORE_NAME, home / f"{STORE_NAME}.bak"
    backup.unlink()
    os.link(store, backup)

    done = run_followup(home, "done", "acme-1128", "thank-interviewer")

    assert done.returncode == 0, done.stderr
    assert {s.id: s.status for s in Store(home).read().open["acme-1128"].steps}["thank-interviewer"] == "done"
    assert temps(home) == []


# --- every crash point and every failure, one system call at a time ------------------------------
#
# The random kills above land where the timing takes them. Here strace stops the command at
# each system call it makes on the store's folder, in turn: once to kill it there (SIGKILL on
# entry, so that call never happens), once to make that call fail (EIO). Whatever the store's
# code does, in place or through temp files, with or without fsync, every step of it is hit.

TRACED = (
    "openat,write,pwrite64,ftruncate,fsync,fdatasync,rename,renameat,renameat2,"
    "link,linkat,unlink,unlinkat,mkdir,chmod,fchmod,fchmodat"
)
CALL = re.compile(r"^\d+\s+(\w+)\(")


def strace_works() -> bool:
    strace = shutil.which("strace")
    if strace is None:
        return False
    probe = subprocess.run([strace, "-qq", "-o", os.devnull, "true"], capture_output=True, check=False)
    return probe.returncode == 0  # ptrace may be forbidden in a container


needs_strace = pytest.mark.skipif(not strace_works(), reason="strace is not installed, or ptrace is not allowed")


@dataclass(frozen=True)
class Call:
    name: str
    nth: int  # among the command's calls of this name, as strace counts for `when=`
    line: str


def calls_on(home: Path, args: list[str], out: Path) -> list[Call]:
    """The system calls `followup ARGS` makes on `home`, in order (except opening a file to read it)."""
    strace = ["strace", "-f", "-qq", "-y", "-o", str(out), "-e", f"trace={TRACED}"]
    run_followup(home, *args, before=strace, check=True)
    seen: dict[str, int] = {}
    found = []
    for line in out.read_text().splitlines():
        match = CALL.match(line)
        if match is None:
            continue
        name = match[1]
        seen[name] = seen.get(name, 0) + 1
        if str(home) in line and not (name == "openat" and "O_RDONLY" in line):
            found.append(Call(name, seen[name], line))
    return found


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Acme and Beta open, Delta closed: a store, a backup and a history file."""
    home = tmp_path_factory.mktemp("base") / "home"
    for args in (
        ["new", "--company", "Acme", "--role", "Engineer"],
        ["new", "--company", "Beta", "--role", "Engineer"],
        ["new", "--company", "Delta", "--role", "Engineer"],
        ["close", "delta-1128", "--outcome", "offer"],
    ):
        made = run_followup(home, *args)
        assert made.returncode == 0, made.stderr
    return home


COMMANDS = {
    "done": ["done", "acme-1128", "shake-hands"],
    "close": ["close", "acme-1128", "--outcome", "rejected"],
}
# The command after the stopped one, which must clean up whatever that one left.
FOLLOW = ["done", "beta-1128", "greet-staff"]


def followed(state: State) -> State:
    ident, outcome, steps = state["Beta"]
    return {**state, "Beta": (ident, outcome, tuple((s, "done" if s == "greet-staff" else t) for s, t in steps))}


def stop_at(call: Call, mode: str, args: list[str], home: Path, before: State, after: State) -> list[str]:
    """Run `followup ARGS` in `home`, stopped at `call`, then the next command; what went wrong."""
    stored = (home / STORE_NAME).read_bytes()
    action = "signal=KILL" if mode == "kill" else "error=EIO"
    trace = home.parent / "trace"
    strace = ["strace", "-f", "-qq", "-o", str(trace), "-e", f"trace={call.name}"]
    strace += ["-e", f"inject={call.name}:{action}:when={call.nth}"]
    stopped = run_followup(home, *args, before=strace)
    if "(INJECTED)" not in trace.read_text() and stopped.returncode != -signal.SIGKILL:
        return ["strace did not stop it there: the command made other calls than when it was traced"]
    message = stopped.stderr.strip().splitlines()[-1:] or [""]
    try:
        state = observe(home)
        check_backup(home)
    except Exception as exc:
        return [f"the store does not load: {exc!r}"]
    if state not in (before, after):
        return ["the store is neither the old nor the new one"]
    wrong = []
    if mode == "kill" and stopped.returncode != -signal.SIGKILL:
        wrong.append(f"it was not killed (exit {stopped.returncode})")
    if mode == "fail":
        if "Traceback" in stopped.stderr or stopped.returncode not in (0, 1):
            wrong.append(f"exit {stopped.returncode} with a traceback: {message[0]}")
        elif stopped.returncode == 0 and state != after:
            wrong.append("exit 0, but the change is not (all) there")
        elif stopped.returncode == 1 and not stopped.stderr.startswith("error: "):
            wrong.append(f"exit 1 without an error message: {stopped.stderr!r}")
        elif "nothing changed" in stopped.stderr and (home / STORE_NAME).read_bytes() != stored:
            wrong.append("it says nothing changed, but the store changed")
        if call.name not in ("unlink", "unlinkat") and temps(home):  # a temp file it could not delete may stay
            wrong.append(f"it left temp files {temps(home)}")
        if call.name not in ("unlink", "unlinkat") and unnamed(home):
            wrong.append(f"it left interview files nothing names: {unnamed(home)}")
        if not temps(home) and not unnamed(home):
            return wrong  # it ran to its end: nothing for the next command to recover from
    nxt = run_followup(home, *FOLLOW)
    if nxt.returncode != 0:
        wrong.append(f"the next command failed: {nxt.stderr.strip()}")
    elif temps(home):
        wrong.append(f"the next command left temp files {temps(home)}")
    elif unnamed(home):
        wrong.append(f"the next command left interview files nothing names: {unnamed(home)}")
    elif observe(home) != followed(state):
        wrong.append("the next command's change is not (all) there")
    return wrong


def sweep(tmp_path: Path, base: Path, command: str, mode: str, skip: Callable[[Call], bool]) -> list[str]:
    """Stop `command` at each of its calls on the store's folder in turn; what went wrong, and where."""
    args = COMMANDS[command]
    reference = tmp_path / "reference" / "home"
    shutil.copytree(base, reference)
    before = observe(reference)
    calls = calls_on(reference, args, tmp_path / "trace")
    after = observe(reference)
    assert after != before and len(calls) > 5, "the command changed nothing, or strace saw nothing"

    def one(n: int, call: Call) -> list[str]:
        home = tmp_path / f"{n}" / "home"
        shutil.copytree(base, home)
        where = f"{mode} at {call.name} #{call.nth} ({call.line.split(' ', 1)[1][:160]})"
        return [f"{where}: {wrong}" for wrong in stop_at(call, mode, args, home, before, after)]

    chosen = [(n, call) for n, call in enumerate(calls) if not skip(call)]
    with ThreadPoolExecutor(2) as pool:  # one process per core
        found = list(pool.map(lambda chose: one(*chose), chosen))
    return [problem for problems in found for problem in problems]


def opens_the_lock(call: Call) -> bool:
    return call.name == "openat" and f'{LOCK_NAME}"' in call.line


@needs_strace
@pytest.mark.slow
@pytest.mark.parametrize("mode", ["kill", "fail"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_crash_point_and_failure_leaves_the_old_or_the_new_store(
    tmp_path: Path, base: Path, command: str, mode: str
) -> None:
    problems = sweep(tmp_path, base, command, mode, skip=lambda call: False)
    assert problems == [], "\n".join(problems)


@needs_strace
def test_a_lock_file_that_cannot_be_opened_is_a_plain_error(tmp_path: Path, base: Path) -> None:
    problems = sweep(tmp_path, base, "done", "fail", skip=lambda call: not opens_the_lock(call))
    assert problems == [], "\n".join(problems)
