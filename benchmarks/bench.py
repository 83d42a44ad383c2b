"""How fast followup answers, as whole processes, next to its floor and Taskwarrior.

Makes stores of 50, 1,000 and 10,000 interviews (and a long history: 10,000
interviews of which 50 are open), then times `followup --help`, `due`,
`show`, `done` and `new` in alternating rounds, against the import floor of
the stack, and `task next` / `task done` on as many tasks when Taskwarrior is
installed (Debian's `taskwarrior` package). Prints one table of medians,
ratios and peak memory, then the targets of issue 4, met or not.

Usage, with followup installed in this Python's environment:

    python benchmarks/bench.py              # about five minutes on two cores
    python benchmarks/bench.py --runs 5     # quicker, noisier
"""

from __future__ import annotations

import argparse
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
from zoneinfo import ZoneInfo

NOW = datetime(2026, 11, 28, 15, 0, tzinfo=ZoneInfo("Europe/Berlin"))
BIN = Path(sys.executable).parent
FOLLOWUP = str(BIN / "followup")
HELP_FLOOR = "import typer, rich.console, rich.table"
DATA_FLOOR = "import typer, rich.console, rich.table, pydantic"
COMPANIES = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Tyrell", "Cyberdyne", "Soylent"]
ROLES = ["Data analyst", "Engineer", "Designer", "Product manager", "QA lead"]
PEOPLE = ["Ana López", "Bo Chen", "Chidi Okafor", "Dana Levi", "Eva Novak"]


# --- stores ---------------------------------------------------------------------------


def make_store(home: Path, total: int, open_count: int, seed: int = 1) -> list[str]:
    """`total` interviews over the past year, the newest `open_count` of them open
    with one or two steps pending (some overdue); returns the open ids."""
    from followup import actions, checklists
    from followup.store import Store

    rng = random.Random(seed)
    checklist = checklists.load(checklists.locate("post-interview", home / "checklists"))
    open_ids = []
    with Store(home).change() as document:
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
            for step in interview.steps[: len(interview.steps) - keep]:
                step.status, step.done_at = "done", step.due
            if not is_open:
                interview.outcome = rng.choice(["offer", "rejected", "withdrawn", "no-response"])
                interview.closed_at = at + timedelta(days=10)
            actions.add(document, interview, at)
            if is_open:
                open_ids.append(interview.id)
        document.journal.clear()
    return open_ids


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


# --- timing -----------------------------------------------------------------------------


@dataclass
class Measure:
    """One command to time, with a set-up run before each (untimed) and its samples."""

    name: str
    argv: list[str]
    env: dict[str, str] | None = None
    setup: Callable[[], None] | None = None
    samples: list[float] = field(default_factory=list)
    peak_kib: int = 0

    def once(self) -> None:
        if self.setup:
            self.setup()
        start = time.perf_counter()
        done = subprocess.run(self.argv, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
        self.samples.append(time.perf_counter() - start)
        if done.returncode not in (0, 3):
            raise SystemExit(f"{self.name} failed ({done.returncode}): {done.stderr.decode()[-300:]}")

    def measure_memory(self) -> None:
        if self.setup:
            self.setup()
        done = subprocess.run(
            ["/usr/bin/time", "-v", *self.argv], env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        match = re.search(rb"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
        self.peak_kib = int(match[1]) if match else 0

    @property
    def median(self) -> float:
        return statistics.median(self.samples)


def restore(template: Path, home: Path) -> Callable[[], None]:
    def copy() -> None:
        shutil.rmtree(home, ignore_errors=True)
        shutil.copytree(template, home)

    return copy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=11, help="rounds of runs; the median is reported")
    parser.add_argument("--sizes", default="50,1000,10000", help="store sizes, all open")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="followup-bench-"))
    base_env = {**os.environ, "FOLLOWUP_NOW": NOW.isoformat(), "TZ": "Europe/Berlin", "NO_COLOR": "1", "COLUMNS": "100"}
    has_task = shutil.which("task") is not None and Path("/usr/bin/time").exists()
    measures: list[Measure] = [
        Measure("floor: import typer, rich", [sys.executable, "-c", HELP_FLOOR]),
        Measure("floor: ... + pydantic", [sys.executable, "-c", DATA_FLOOR]),
        Measure("followup --help", [FOLLOWUP, "--help"], {**base_env, "FOLLOWUP_HOME": str(work / "empty")}),
    ]
    scenarios = [(f"{size} open", size, size) for size in sizes] + [("10000, 50 open", 10000, 50)]
    try:
        for label, total, open_count in scenarios:
            print(f"making a store of {label} ...", file=sys.stderr)
            template = work / f"store-{total}-{open_count}"
            open_ids = make_store(template, total, open_count)
            home = work / f"run-{total}-{open_count}"
            restore(template, home)()
            env = {**base_env, "FOLLOWUP_HOME": str(home)}
            target = open_ids[len(open_ids) // 2]
            back = restore(template, home)
            measures += [
                Measure(f"due ({label})", [FOLLOWUP, "due"], env),
                Measure(f"show ({label})", [FOLLOWUP, "show", target], env),
                Measure(f"done ({label})", [FOLLOWUP, "done", target, "1"], env, back),
                Measure(f"new ({label})", [FOLLOWUP, "new", "-c", "Bench", "-r", "Tester", "--at", "2h ago"], env, back),
            ]
            if has_task and open_count == total:
                print(f"making {total} Taskwarrior tasks ...", file=sys.stderr)
                tasks = work / f"tasks-{total}"
                task_env = make_tasks(tasks / "data", total)
                task_back = restore(tasks / "data", tasks / "live")
                live_env = {**task_env, "TASKDATA": str(tasks / "live")}
                (tasks / "live").mkdir()
                measures += [
                    Measure(f"task next ({total} tasks)", ["task", "next"], live_env, task_back),
                    Measure(f"task done ({total} tasks)", ["task", "1", "done"], live_env, task_back),
                ]
        print(f"timing {len(measures)} commands, {args.runs} rounds ...", file=sys.stderr)
        for _ in range(args.runs):
            for measure in measures:  # alternating, so that drift hits every command alike
                measure.once()
        for measure in measures:
            measure.measure_memory()
        report({m.name: m for m in measures}, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(by_name: dict[str, Measure], runs: int) -> None:
    help_floor = by_name["floor: import typer, rich"].median
    data_floor = by_name["floor: ... + pydantic"].median
    print(f"Medians of {runs} runs on {os.cpu_count()} cores, Python {sys.version.split()[0]}.\n")
    print("| command | median | × floor | peak memory |")
    print("| --- | ---: | ---: | ---: |")
    for name, measure in by_name.items():
        floor = help_floor if "--help" in name or "typer, rich" in name else data_floor
        ratio = f"{measure.median / floor:.2f}" if not name.startswith("task") else ""
        print(f"| `{name}` | {measure.median * 1000:.0f} ms | {ratio} | {measure.peak_kib / 1024:.0f} MiB |")
    print()

    def ratio(a: str, b: str) -> float | None:
        if a in by_name and b in by_name:
            return by_name[a].median / by_name[b].median
        return None

    checks = [
        ("`--help` ≤ 1.5 × its floor", ratio("followup --help", "floor: import typer, rich"), 1.5),
        ("`due`, 50 open, ≤ 1.5 × its floor", ratio("due (50 open)", "floor: ... + pydantic"), 1.5),
        ("`due`, 10,000 with 50 open, ≤ 1.5 × `due` with 50", ratio("due (10000, 50 open)", "due (50 open)"), 1.5),
        ("`done`, 10,000 with 50 open, ≤ 1.5 × `done` with 50", ratio("done (10000, 50 open)", "done (50 open)"), 1.5),
        ("`due`, 10,000 open, ≤ `task next` on 10,000", ratio("due (10000 open)", "task next (10000 tasks)"), 1.0),
    ]
    print("| target | measured | met |")
    print("| --- | ---: | :---: |")
    for text, value, limit in checks:
        if value is None:
            print(f"| {text} | not measured | |")
        else:
            print(f"| {text} | {value:.2f} | {'yes' if value <= limit else 'NO'} |")
    big = by_name.get("due (10000 open)")
    if big:
        mib = big.peak_kib / 1024
        print(f"| `due`, 10,000 open, under 100 MiB | {mib:.0f} MiB | {'yes' if mib < 100 else 'NO'} |")


if __name__ == "__main__":
    main()
