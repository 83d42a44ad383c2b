"""How fast followup answers, as whole processes, next to its import floor and Taskwarrior.

Makes stores of 50, 1,000 and 10,000 open interviews (and a long history:
10,000 interviews of which 50 are open), then times every daily command in
alternating rounds against the floor of the stack measured in the same run
(`import typer, rich.console, rich.table, pydantic`; `--help` against the same
without pydantic; and, for reference, the same plus `followup.models`, which
every command that reads or writes an interview imports), and `task next` / `task done` on as many tasks when
Taskwarrior is installed (Debian's `taskwarrior` package). Prints one table of
medians, ratios and peak memory, then the targets of issues 4 and 10, met or not.

Every timed run follows an untimed run of the same command, so that all are timed
with their files in the page cache (see `Measure.once`).

Every command that changes the store changes the same thing in every run: its
store is restored from a template copy before each run (untimed), and the first
run must say it changed something and must change the files, or the benchmark
stops (so it never again times a `done` that prints "nothing changed").

Usage, with followup installed in this Python's environment:

    python benchmarks/bench.py                     # about a quarter of an hour on two cores
    python benchmarks/bench.py --markdown          # the tables for the README
    python benchmarks/bench.py --runs 3 --sizes 50,1000 --only show,done,help

`--only` takes command names (show, list, due, dashboard, checklists, letter,
export, done, skip, undo, new, edit, close), `help` for every `--help`, and
`task` for Taskwarrior; the floors are always measured. The history store
(10,000, 50 open) is made when 10000 is among `--sizes`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

NOW = datetime(2026, 11, 28, 15, 0, tzinfo=ZoneInfo("Europe/Berlin"))
BIN = Path(sys.executable).parent
FOLLOWUP = str(BIN / "followup")
TIME = "/usr/bin/time"
HELP_FLOOR = "import typer, rich.console, rich.table"
DATA_FLOOR = "import typer, rich.console, rich.table, pydantic"
# Not a floor the targets use, but what every command that reads or writes an interview
# must import on top of it: pydantic's model machinery and followup's models (with the
# plugin stand-in the command line uses, see followup.cli.without_pydantic_plugins).
MODELS_FLOOR = f"{DATA_FLOOR}; from followup.cli import without_pydantic_plugins as w; w(); import followup.models"
COMPANIES = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Tyrell", "Cyberdyne", "Soylent"]
ROLES = ["Data analyst", "Engineer", "Designer", "Product manager", "QA lead"]
PEOPLE = ["Ana López", "Bo Chen", "Chidi Okafor", "Dana Levi", "Eva Novak"]
COMMANDS = [  # as `followup --help` lists them; each one's --help is timed
    *("new", "list", "show", "edit", "close", "reopen", "rm", "done", "skip", "undo", "due"),
    *("letter", "export", "import", "doctor", "stats", "demo", "checklists"),
]
KEYS = ["show", "list", "due", "dashboard", "checklists", "letter", "export"]
KEYS += ["done", "skip", "undo", "new", "edit", "close", "help", "task"]


# --- stores -----------------------------------------------------------------------------
#
# The only calls into followup's code (all else goes through the `followup` command):
#   followup.checklists.locate(name, folder) and .load(path) -> Checklist
#   followup.actions.plan(checklist, company=, role=, interviewers=, at=, zone_name=, flags=,
#                         decision_by=, notes=, now=) -> Interview (a pydantic model)
#   Interview/Step .model_copy(update=...), .model_dump(mode="json"), .id, .steps, .status, .due
#   followup.store.Store(home).change() as document: document.put(interview)
# and, when the last of these is gone, `followup import FILE --yes` of a JSON export instead.


@dataclass(frozen=True)
class Target:
    """An open interview and one of its pending steps, for the commands to work on."""

    interview: str
    step: str


def plan_interviews(home: Path, total: int, open_count: int, seed: int = 1) -> tuple[list[Any], list[Target]]:
    """`total` interviews over the past year, the newest `open_count` of them open with
    one or two steps pending (some overdue), and a target in each open one."""
    from followup import actions, checklists

    rng = random.Random(seed)
    checklist = checklists.load(checklists.locate("post-interview", home / "checklists"))
    interviews: list[Any] = []
    targets: list[Target] = []
    taken: set[str] = set()
    for n in range(total):
        is_open = n >= total - open_count
        at = NOW - timedelta(hours=(total - n) * (24 * 365 // max(total, 1)) + 2)
        if is_open:
            at = NOW - timedelta(hours=rng.randint(2, 24 * 6))
        interview = actions.plan(
            checklist,
            company=f"{rng.choice(COMPANIES)} {n}",
            role=rng.choice(ROLES),
            interviewers=rng.sample(PEOPLE, rng.choice([1, 1, 2])),
            at=at,
            zone_name="Europe/Berlin",
            flags={"video": rng.random() < 0.3, "late": rng.random() < 0.1},
            decision_by=at + timedelta(days=rng.randint(5, 14)),
            notes="We talked about the team's move to a new office.",
            now=at,
        )
        keep = rng.choice([1, 2]) if is_open else 0
        done = len(interview.steps) - keep
        steps = [
            step.model_copy(update={"status": "done", "done_at": step.due}) if number < done else step
            for number, step in enumerate(interview.steps)
        ]
        update: dict[str, Any] = {"id": _free(interview.id, taken), "steps": steps}
        if not is_open:
            outcome = rng.choice(["offer", "rejected", "withdrawn", "no-response"])
            update |= {"outcome": outcome, "closed_at": at + timedelta(days=10)}
        interview = interview.model_copy(update=update)
        interviews.append(interview)
        if is_open:
            targets.append(Target(interview.id, next(s.id for s in interview.steps if s.status == "pending")))
    return interviews, targets


def _free(base: str, taken: set[str]) -> str:
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    taken.add(name)
    return name


def make_store(home: Path, total: int, open_count: int, env: dict[str, str], via: str) -> list[Target]:
    """Make the store in `home`, through the store's API or through `followup import`."""
    interviews, targets = plan_interviews(home, total, open_count)
    if via == "api":
        try:
            from followup.store import Store

            with Store(home).change() as document:
                for interview in interviews:
                    document.put(interview)
            return targets
        except (ImportError, AttributeError, TypeError) as exc:
            print(f"  the store's API has changed ({exc!r}): making the store by `followup import`", file=sys.stderr)
    source = home.parent / f"{home.name}-export.json"
    export = {
        "version": 1,
        "exported_at": NOW.isoformat(),
        "interviews": [i.model_dump(mode="json") for i in interviews],
    }
    source.write_text(json.dumps(export), encoding="utf-8")
    run([FOLLOWUP, "import", str(source), "--yes"], {**env, "FOLLOWUP_HOME": str(home)}, "followup import")
    source.unlink()
    return targets


def make_tasks(folder: Path, count: int) -> dict[str, str]:
    """A Taskwarrior database of `count` pending tasks; returns the environment to use it."""
    folder.mkdir(parents=True)
    rc = folder / "taskrc"
    rc.write_text(f"data.location={folder}\nconfirmation=off\nverbose=nothing\nnews.version=2.6.2\n")
    env = {**os.environ, "TASKRC": str(rc), "TASKDATA": str(folder)}
    rng = random.Random(2)
    tasks = [
        {
            "description": f"Follow up with {rng.choice(COMPANIES)} {n}: thank-you letter",
            "status": "pending",
            "entry": "20261120T100000Z",
            "due": (NOW + timedelta(hours=rng.randint(-72, 200))).strftime("%Y%m%dT%H%M%SZ"),
            "uuid": f"00000000-0000-4000-8000-{n:012d}",
        }
        for n in range(count)
    ]
    source = folder / "tasks.json"
    source.write_text(json.dumps(tasks))
    subprocess.run(["task", "import", str(source)], env=env, check=True, capture_output=True)
    return env


def run(argv: list[str], env: dict[str, str] | None, name: str) -> subprocess.CompletedProcess[str]:
    """An untimed run that must succeed (set-up and checks)."""
    done = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 3):
        raise SystemExit(f"{name} failed ({done.returncode}): {(done.stdout + done.stderr)[-500:]}")
    return done


def restore(
    template: Path, home: Path, then: list[list[str]] | None = None, env: dict[str, str] | None = None
) -> Callable[[], None]:
    """A set-up that puts the template back in `home`, then runs the commands `then`."""

    def copy() -> None:
        shutil.rmtree(home, ignore_errors=True)
        shutil.copytree(template, home)
        for argv in then or []:
            run(argv, env, " ".join(argv[1:]))

    return copy


def digest(home: Path) -> str:
    """What the store's files hold (lock files aside), to tell a change from a no-op."""
    hashed = hashlib.sha256()
    for path in sorted(home.rglob("*")):
        if path.is_file() and "lock" not in path.name:
            hashed.update(str(path.relative_to(home)).encode() + b"\0" + path.read_bytes())
    return hashed.hexdigest()


# --- timing -----------------------------------------------------------------------------


@dataclass
class Measure:
    """One command to time, with a set-up before each run (untimed), and its samples."""

    name: str
    key: str  # what --only selects
    argv: list[str]
    env: dict[str, str] | None = None
    setup: Callable[[], None] | None = None
    floor: str | None = "data"  # which floor its ratio is to: "help", "data" or none
    changes: Path | None = None  # the home it must change, checked on the first run
    scenario: str = ""
    samples: list[float] = field(default_factory=list)
    peak_kib: int = 0

    def once(self) -> None:
        # Each timed run is warm: the command runs once, untimed, just before (on a set-up
        # of its own). Some kernels page out file pages left idle for a while (this project's
        # machine: after a minute, by DAMON), and a round of every command takes longer than
        # that: a command would then read its own modules and store from disk, while the
        # floor, whose modules every command uses, never does.
        if self.setup:
            self.setup()
        subprocess.run(self.argv, env=self.env, stdin=subprocess.DEVNULL, capture_output=True, check=False)
        if self.setup:
            self.setup()
        if not self.samples:
            self.first()
            return
        start = time.perf_counter()
        done = subprocess.run(
            self.argv, env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        self.samples.append(time.perf_counter() - start)
        if done.returncode not in (0, 3):
            raise SystemExit(f"{self.name} failed ({done.returncode}): {done.stderr.decode()[-500:]}")

    def first(self) -> None:
        """The first timed run, which also checks that a change changed something."""
        before = digest(self.changes) if self.changes else ""
        start = time.perf_counter()
        done = subprocess.run(self.argv, env=self.env, stdin=subprocess.DEVNULL, capture_output=True, check=False)
        self.samples.append(time.perf_counter() - start)
        said = (done.stdout + done.stderr).decode(errors="replace")
        if done.returncode not in (0, 3):
            raise SystemExit(f"{self.name} failed ({done.returncode}): {said[-500:]}")
        if self.changes and ("nothing changed" in said or digest(self.changes) == before):
            raise SystemExit(
                f"{self.name}: `{' '.join(self.argv[1:])}` changed nothing, so timing it would time a no-op;"
                f" it said:\n{said[-500:]}"
            )

    def measure_memory(self) -> None:
        if self.setup:
            self.setup()
        done = subprocess.run(
            [TIME, "-v", *self.argv],
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        match = re.search(rb"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
        self.peak_kib = int(match[1]) if match else 0

    @property
    def median(self) -> float:
        return statistics.median(self.samples)


def scenario_measures(
    label: str, template: Path, work: Path, env: dict[str, str], target: Target, other: Target
) -> list[Measure]:
    """Every daily command on one store.

    Readers read the template itself. Each change gets a fresh copy of it, then one
    untimed change in the copy: a copy has a new inode and change time, so its
    pending index no longer matches its store, and a store that a user changes has
    an index that does (the untimed change writes it, as every change does).
    """
    home = work / f"run-{template.name}"
    read_env = {**env, "FOLLOWUP_HOME": str(template)}
    change_env = {**env, "FOLLOWUP_HOME": str(home)}
    tick = [FOLLOWUP, "done", target.interview, target.step]
    refresh = [FOLLOWUP, "edit", other.interview, "--note", "A note the benchmark changes before each run."]
    back = restore(template, home, [refresh], change_env)
    after_tick = restore(template, home, [tick], change_env)
    interview, step = target.interview, target.step
    panel = ["-c", "Bench", "-r", "Tester", "-i", "Ana López", "-i", "Bo Chen", "--checklist", "post-interview"]
    panel += ["--flag", "video", "--note", "We talked about the new office."]
    iso = ["--at", "2026-11-28T10:00:00+01:00", "--decision-by", "2026-12-08"]
    words = ["--at", "today 10:00", "--decision-by", "next friday"]
    reads = [
        ("dashboard", "followup", []),
        ("due", "due", ["due"]),
        ("show", "show", ["show", interview]),
        ("list", "list", ["list"]),
        ("letter", "letter", ["letter", interview]),
        (
            "export",
            "export",
            ["export", "--format", "json", "--out", str(work / f"export-{template.name}.json"), "--force"],
        ),
        ("checklists", "checklists", ["checklists"]),
    ]
    changes = [
        ("done", "done", ["done", interview, step], back),
        ("skip", "skip", ["skip", interview, step], back),
        ("undo", "undo ID STEP", ["undo", interview, step], after_tick),
        ("undo", "undo", ["undo"], after_tick),
        ("new", "new --at ISO", ["new", *panel, *iso], back),
        ("new", "new --at words", ["new", *panel, *words], back),
        ("edit", "edit --note", ["edit", interview, "--note", "They asked about the release process."], back),
        ("close", "close", ["close", interview, "--outcome", "offer"], back),
    ]
    measures = [Measure(f"{name} ({label})", key, [FOLLOWUP, *argv], read_env) for key, name, argv in reads]
    measures += [
        Measure(f"{name} ({label})", key, [FOLLOWUP, *argv], change_env, setup, changes=home)
        for key, name, argv, setup in changes
    ]
    for measure in measures:
        measure.scenario = label
    return measures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=11, help="rounds of runs; the median is reported (default 11)")
    parser.add_argument("--sizes", default="50,1000,10000", help="numbers of open interviews (default 50,1000,10000)")
    parser.add_argument("--only", default="", help=f"only these commands, comma-separated: {', '.join(KEYS)}")
    parser.add_argument("--markdown", action="store_true", help="print the tables as Markdown, for the README")
    parser.add_argument("--store-via", choices=["api", "import"], default="api", help="how to make the stores")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    only = {key.strip() for key in args.only.split(",") if key.strip()} or set(KEYS)
    if unknown := only - set(KEYS):
        parser.error(f"--only: not a command here: {', '.join(sorted(unknown))}")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    work = Path(tempfile.mkdtemp(prefix="followup-bench-"))
    base_env = {**os.environ, "FOLLOWUP_NOW": NOW.isoformat(), "TZ": "Europe/Berlin", "NO_COLOR": "1", "COLUMNS": "100"}
    base_env["FOLLOWUP_NAME"] = "Sam Bench"
    has_task = "task" in only and shutil.which("task") is not None
    empty_env = {**base_env, "FOLLOWUP_HOME": str(work / "empty")}
    measures: list[Measure] = [
        Measure("floor: import typer, rich", "floor", [sys.executable, "-c", HELP_FLOOR], floor="help"),
        Measure("floor: ... + pydantic", "floor", [sys.executable, "-c", DATA_FLOOR]),
        Measure("... + followup.models", "floor", [sys.executable, "-c", MODELS_FLOOR]),
    ]
    if "help" in only:
        measures += [
            Measure(f"followup {name}--help", "help", [FOLLOWUP, *name.split(), "--help"], empty_env, floor="help")
            for name in ["", *(f"{command} " for command in COMMANDS)]
        ]
    scenarios = [(f"{size} open", size, size) for size in sizes]
    scenarios += [("10000, 50 open", 10000, 50)] if 10000 in sizes else []
    templates: dict[Path, str] = {}
    try:
        for label, total, open_count in scenarios:
            if only - {"help", "task"}:
                print(f"making a store of {label} ...", file=sys.stderr)
                template = work / f"store-{total}-{open_count}"
                targets = make_store(template, total, open_count, base_env, args.store_via)
                # A store in use holds the checklists its `new`s validated (`followup.checked_checklists`).
                run([FOLLOWUP, "checklists"], {**base_env, "FOLLOWUP_HOME": str(template)}, "followup checklists")
                target, other = targets[len(targets) // 2], targets[0]
                found = scenario_measures(label, template, work, base_env, target, other)
                templates[template] = digest(template)
                measures += [measure for measure in found if measure.key in only]
            if has_task and open_count == total:
                print(f"making {total} Taskwarrior tasks ...", file=sys.stderr)
                tasks = work / f"tasks-{total}"
                task_env = make_tasks(tasks / "data", total)
                task_back = restore(tasks / "data", tasks / "live")
                live_env = {**task_env, "TASKDATA": str(tasks / "live")}
                (tasks / "live").mkdir()
                measures += [
                    Measure(f"task next ({total} tasks)", "task", ["task", "next"], live_env, task_back, floor=None),
                    Measure(
                        f"task done ({total} tasks)", "task", ["task", "1", "done"], live_env, task_back, floor=None
                    ),
                ]
        print(f"timing {len(measures)} commands, {args.runs} rounds ...", file=sys.stderr)
        for _ in range(args.runs):
            for measure in measures:  # alternating, so that drift hits every command alike
                measure.once()
        for template, before in templates.items():
            if digest(template) != before:
                print(f"warning: a command that only reads changed the store {template.name}", file=sys.stderr)
        if Path(TIME).exists():
            for measure in measures:
                measure.measure_memory()
        report(measures, args.runs, args.markdown)
    finally:
        shutil.rmtree(work, ignore_errors=True)


# --- report -----------------------------------------------------------------------------


def report(measures: list[Measure], runs: int, markdown: bool) -> None:
    by_name = {m.name: m for m in measures}
    floors = {"help": by_name["floor: import typer, rich"].median, "data": by_name["floor: ... + pydantic"].median}

    def ratio(m: Measure) -> float:
        return m.median / floors[m.floor] if m.floor else float("nan")

    print(
        f"Medians of {runs} run{'s' if runs > 1 else ''} on {os.cpu_count()} cores, Python {sys.version.split()[0]}.\n"
    )
    rows = [
        [
            f"`{m.name}`",
            f"{m.median * 1000:.0f} ms",
            f"{ratio(m):.2f}" if m.floor else "",
            f"{m.peak_kib / 1024:.0f} MiB" if m.peak_kib else "",
        ]
        for m in measures
    ]
    table(["command", "median", "× floor", "peak memory"], rows, "-rrr", markdown)
    print()

    def between(a: str, b: str) -> float | None:
        return by_name[a].median / by_name[b].median if a in by_name and b in by_name else None

    def worst(label: str, limit: float, text: str) -> list[str]:
        daily = [m for m in measures if m.scenario == label]
        if not daily:
            return [text, "not measured", ""]
        over = sorted((m for m in daily if ratio(m) > limit), key=ratio, reverse=True)
        top = max(daily, key=ratio)
        met = "yes" if not over else f"NO: {len(over)} of {len(daily)}, " + ", ".join(_short(m) for m in over)
        return [text, f"{ratio(top):.2f} (`{_short(top)}`)", met]

    def check(text: str, value: float | None, limit: float) -> list[str]:
        if value is None:
            return [text, "not measured", ""]
        return [text, f"{value:.2f}", "yes" if value <= limit else "NO"]

    helps = [m for m in measures if m.key == "help"]
    top_help = max(helps, key=ratio) if helps else None
    big = [m for m in measures if m.scenario == "10000 open" and m.peak_kib]
    heaviest = max(big, key=lambda m: m.peak_kib) if big else None
    rows = [
        check(
            "`--help` of the app and each command ≤ 1.5 × its floor"
            + (f" (worst: `{_short(top_help)}`)" if top_help else ""),
            ratio(top_help) if top_help else None,
            1.5,
        ),
        worst("50 open", 1.5, "every daily command, 50 open, ≤ 1.5 × the floor"),
        worst("1000 open", 1.75, "every daily command, 1,000 open, ≤ 1.75 × the floor"),
        worst("50 open", 1.3, "(aim) every daily command, 50 open, ≤ 1.3 × the floor"),
        worst("1000 open", 1.3, "(aim) every daily command, 1,000 open, ≤ 1.3 × the floor"),
        check(
            "`done` of a pending step, 10,000 open, ≤ 1.5 × with 50",
            between("done (10000 open)", "done (50 open)"),
            1.5,
        ),
        check(
            "`due`, 50 open, ≤ 1.5 × the floor",
            ratio(by_name["due (50 open)"]) if "due (50 open)" in by_name else None,
            1.5,
        ),
        check(
            "`due`, 10,000 with 50 open, ≤ 1.5 × `due` with 50", between("due (10000, 50 open)", "due (50 open)"), 1.5
        ),
        check(
            "`done`, 10,000 with 50 open, ≤ 1.5 × `done` with 50",
            between("done (10000, 50 open)", "done (50 open)"),
            1.5,
        ),
        check(
            "`due`, 10,000 open, ≤ `task next` on 10,000", between("due (10000 open)", "task next (10000 tasks)"), 1.0
        ),
    ]
    if heaviest:
        over = [_short(m) for m in big if m.peak_kib >= 100 * 1024]
        met = "yes" if not over else f"NO: {', '.join(over)}"
        rows.append(
            [
                "every command, 10,000 open, under 100 MiB",
                f"{heaviest.peak_kib / 1024:.0f} MiB (`{_short(heaviest)}`)",
                met,
            ]
        )
    else:
        rows.append(["every command, 10,000 open, under 100 MiB", "not measured", ""])
    table(["target", "measured", "met"], rows, "-rc", markdown)


def _short(measure: Measure) -> str:
    return measure.name.removesuffix(f" ({measure.scenario})")


def table(header: list[str], rows: list[list[str]], align: str, markdown: bool) -> None:
    """Markdown as the README holds it, or columns for a terminal (`align`: - left, r right, c centre)."""
    if markdown:
        rule = {"-": "---", "r": "---:", "c": ":---:"}
        print(f"| {' | '.join(header)} |")
        print(f"| {' | '.join(rule[a] for a in align)} |")
        for row in rows:
            print(f"| {' | '.join(row)} |")
        return
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    for row in [header, *rows]:
        cells = [cell.rjust(w) if a == "r" else cell.ljust(w) for cell, w, a in zip(row, widths, align, strict=True)]
        print("  ".join(cells).rstrip())


if __name__ == "__main__":
    main()
