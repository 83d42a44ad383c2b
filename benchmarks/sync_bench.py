"""How long `followup sync` takes, and how many HTTP requests it makes, against a local Radicale.

Starts a Radicale (no authentication, a temporary folder, a free port), makes a
store of N open interviews (50 by default), and measures:

- the first sync (every step sent): time and requests;
- an idle sync (nothing changed on either side): time and requests, in
  process and as a whole `followup sync` process (start-up included);
- a sync after k to-dos were edited on the phone, for k = 1 and k = 10: the
  requests must not grow with k (one REPORT, one calendar-multiget, and one
  conditional PUT per to-do whose text followup rewrites).

Targets (issue 13): an idle sync makes at most 2 requests; reading k changed
to-dos takes a constant number of requests, not k.

Usage, with followup installed with its test extra in this Python's environment:

    python benchmarks/sync_bench.py              # a minute or so
    python benchmarks/sync_bench.py --interviews 10 --runs 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from followup import actions
from followup.checklists import load, locate
from followup.store.core import Store
from followup.sync import state as state_file
from followup.sync.engine import Options, sync
from followup.sync.remote import Remote
from followup.sync.store_side import StoreSide
from followup.sync.summary import Summary
from radicale_server import radicale

NOW = datetime(2026, 11, 28, 14, 0, tzinfo=UTC)
USER = "bench"
COMPANIES = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Tyrell", "Cyberdyne", "Soylent"]


def make_store(home: Path, count: int) -> None:
    checklist = load(locate("post-interview", home / "checklists"))
    with Store(home).change() as document:
        for n in range(count):
            interview = actions.plan(
                checklist,
                company=f"{COMPANIES[n % len(COMPANIES)]} {n}",
                role="Analyst",
                interviewers=["Ana López"],
                at=NOW - timedelta(days=1, hours=n % 24),
                zone_name="Europe/Berlin",
                flags={},
                decision_by=None,
                notes=None,
                now=NOW,
            )
            actions.add(document, interview, NOW)


def one_sync(home: Path, url: str) -> tuple[float, int, Summary]:
    """A sync as `followup sync` makes it (under the lock, the state after the commit), in process."""
    remote = Remote(url, USER, "x")
    saved: list[tuple[Path, Any]] = []
    options = Options(save_state=lambda path, state: saved.append((path, state)))

    def write_state() -> None:
        for path, state in saved:
            state_file.save(path, state)

    start = time.perf_counter()
    with Store(home).change(then=write_state) as document:
        summary = sync(StoreSide(document, NOW), remote, home / state_file.STATE_FILE, options, NOW)
    return time.perf_counter() - start, remote.requests, summary


def process_sync(home: Path, url: str) -> float:
    env = {
        **os.environ,
        "FOLLOWUP_HOME": str(home),
        "FOLLOWUP_NOW": NOW.isoformat(),
        "FOLLOWUP_CALDAV_URL": url,
        "FOLLOWUP_CALDAV_USER": USER,
        "FOLLOWUP_CALDAV_PASSWORD": "x",
    }
    start = time.perf_counter()
    subprocess.run([str(Path(sys.executable).parent / "followup"), "sync"], env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def edit_on_phone(url: str, count: int, mark: int) -> None:
    import caldav
    from icalendar import Calendar

    client = caldav.DAVClient(url=url, username=USER, password="x")
    calendar = next(c for c in client.principal().calendars() if c.get_display_name() == "followup")
    for obj in calendar.search(todo=True)[:count]:
        parsed = Calendar.from_ical(obj.data)
        todo = next(iter(parsed.walk("VTODO")))
        todo.pop("x-apple-sort-order", None)
        todo.add("x-apple-sort-order", mark)  # what a phone app adds: followup reads it, writes nothing back
        obj.data = parsed.to_ical().decode()
        obj.save(increase_seqno=False)


def median(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, radicale(Path(folder)) as url:
        home = Path(folder) / "home"
        make_store(home, args.interviews)
        seconds, requests, summary = one_sync(home, url)
        print(f"first sync of {args.interviews} interviews: {seconds:.2f} s, {requests} requests ({summary.text()})")
        idle = [one_sync(home, url) for _ in range(args.runs)]
        idle_requests = max(r for _, r, _ in idle)
        print(f"idle sync: {statistics.median(s for s, _, _ in idle) * 1000:.0f} ms, {idle_requests} requests")
        print(f"idle `followup sync` process: {median(args.runs, lambda: process_sync(home, url)) * 1000:.0f} ms")
        by_k = {}
        for k in (1, 10):
            edit_on_phone(url, k, k)
            seconds, by_k[k], summary = one_sync(home, url)
            print(f"after {k} edited on the phone: {seconds * 1000:.0f} ms, {by_k[k]} requests ({summary.text()})")
        print(f"target: idle sync at most 2 requests: {'met' if idle_requests <= 2 else 'NOT met'}")
        print(f"target: requests constant in k: {'met' if by_k[1] == by_k[10] else 'NOT met'}")


if __name__ == "__main__":
    main()
