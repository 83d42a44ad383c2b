"""A model-based test: random sequences of real commands against a simple model of the store.

A hypothesis state machine runs `followup` in-process (new, done, skip, undo of
steps, close, reopen, rm, plain undo, export and import, and a save that fails
with a full disk) and keeps a plain dict of what the store should hold, with a
journal of whole-model snapshots for plain `undo`. After every step it checks
the guarantees of SPEC's "The store" and "Exit codes and errors": the store
equals the model, a failed command changed nothing, the files are the owner's
only, no temp file is left behind, and `list` and `due` agree with the model.
"""

from __future__ import annotations

import copy
import errno
import json
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from typer.testing import CliRunner, Result

from followup import constants, importing
from followup.cli.app import app
from followup.constants import TEXT_CONTROL as CONTROL
from followup.ids import slugify
from followup.store.core import STORE_NAME, Store
from helpers import add_interview

NOW = "2026-11-28T15:00:00+01:00"
NOW_AT = datetime.fromisoformat(NOW)
COMPANIES = ("Acme", " ACME ", "Ünïcødé GmbH", "[red]x[/]", "[bold]Beta[/bold]", "東京", "Evil\x1b[31m")
ROLES = ("Engineer", "Data analyst", "[i]lead[/i]", " Ärztin ")
NAMES = ("Ana López", "Bob", "[u]Zoë[/u]", "李雷", "  ")
FLAGS = ("late", "video")
# Now and then a new interview the command must refuse: a blank company, or a flag the checklist lacks.
MISTAKES = (None, None, None, None, None, None, "blank company", "unknown flag")
# --at as typed (None: the default, now) and as the store keeps it.
STARTS: dict[str | None, str] = {
    None: NOW,
    "2026-11-20 10:00": "2026-11-20T10:00:00+01:00",
    "2026-07-01T10:00+02:00": "2026-07-01T10:00:00+02:00",
}
OUTCOMES = ("offer", "rejected", "withdrawn", "no-response", "hired")  # hired is not an outcome
COMPUTED = ("number", "overdue")  # step keys that --json works out for now; not stored
KINDS = ("new", "done", "skip", "undo", "close", "reopen", "rm", "undo_last", "import")

Model = dict[str, dict[str, Any]]


@dataclass
class Change:
    """A command, and what it must do to the model: `after` maps its result to the
    new model, or is None when the command must fail with `code` and change nothing."""

    args: list[str]
    after: Callable[[Result], Model] | None
    code: int = 0
    message: str = ""
    journal: str = "push"  # push, pop, clear, or none when nothing is saved
    stderr: str | None = None  # the whole of stderr, whitespace normalised
    stderr_start: str | None = None  # how stderr begins, when the rest depends on the store


def stored_form(interview: dict[str, Any]) -> dict[str, Any]:
    """An interview object from --json without the keys worked out for now."""
    steps = [{k: v for k, v in step.items() if k not in COMPUTED} for step in interview["steps"]]
    stored = {**interview, "steps": steps}
    # --json lists every interviewer's contact and the address; the store keeps only what is known.
    contacts = [c for c in stored.pop("contacts", []) if c["email"] or c["title"]]
    if contacts:
        stored["contacts"] = contacts
    if stored.get("address", 0) is None:
        del stored["address"]
    return stored


def one_line(text: str) -> str:
    return " ".join(text.split())


def describe(args: list[str], result: Result) -> str:
    return f"followup {args!r} -> exit {result.exit_code}\nstdout: {result.stdout}\nstderr: {result.stderr}"


@settings(
    max_examples=40,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
class FollowupModel(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        # State machines cannot use function-scoped fixtures: one fresh folder per run.
        self.root = Path(tempfile.mkdtemp(prefix="followup-model-"))
        self.home = self.root / "home"  # made by followup itself, so its mode is followup's doing
        self.env = {
            "FOLLOWUP_HOME": str(self.home),
            "FOLLOWUP_NOW": NOW,
            "TZ": "Europe/Berlin",
            "NO_COLOR": "1",
            "COLUMNS": "200",
        }
        self.runner = CliRunner()
        self.model: Model = {}
        self.journal: list[tuple[Model, str]] = []  # (the model before a change, its summary)
        self.patches: list[Any] = []
        self.exports = 0

    def teardown(self) -> None:
        event(f"interviews at the end: {len(self.model)}")
        for patch in reversed(self.patches):
            patch.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    # --- running commands ---------------------------------------------------------------

    def cli(self, *args: str) -> Result:
        return self.runner.invoke(app, list(args), env=self.env, catch_exceptions=False)

    def read(self, name: str) -> bytes | None:
        try:
            return (self.home / name).read_bytes()
        except FileNotFoundError:
            return None

    def run(self, change: Change, fail_at: int | None = None) -> None:
        """Run a command, the `fail_at`-th os.replace failing with ENOSPC, and check it against the model."""
        store_before, backup_before = self.read(STORE_NAME), self.read(f"{STORE_NAME}.bak")
        if fail_at is not None:  # a backup that could not be moved keeps older files until the next save
            self.backup_behind, self.behind_root = True, None
        fired: list[int] = []
        if fail_at is None:
            result = self.cli(*change.args)
        else:
            real_replace = os.replace
            calls = 0

            def flaky_replace(*args: Any, **kwargs: Any) -> None:
                nonlocal calls
                calls += 1
                if calls == fail_at:
                    fired.append(Path(str(args[1])).name)
                    raise OSError(errno.ENOSPC, "No space left on device")
                real_replace(*args, **kwargs)

            with mock.patch("os.replace", side_effect=flaky_replace):
                result = self.cli(*change.args)
        shown = describe(change.args, result)
        # A save gets past a failure of its last two renames: the pending index (which is then
        # ignored) and the old store's onto the backup (which then stays one change behind).
        failed = bool(fired) and result.exit_code != 0
        backup_failed = fired == [f"{STORE_NAME}.bak"]
        outcome = "failed save" if failed else f"exit {result.exit_code}" + (", save failure survived" if fired else "")
        event(f"{change.args[0]} ({change.journal if change.after else 'refused'}): {outcome}")
        if failed or change.after is None:
            code, words = (
                (1, ("No space left on device", "nothing changed")) if failed else (change.code, (change.message,))
            )
            assert result.exit_code == code, shown
            assert result.stderr.startswith("error: "), shown
            assert all(word in result.stderr for word in words), shown
            # "could not keep a copy" when the failed file is the copy a large import keeps beside the store
            kept = ("could not save", "could not write", "could not keep a copy of the store")
            assert not failed or any(words in result.stderr for words in kept), shown
            assert result.stdout == "", shown
            assert self.read(STORE_NAME) == store_before, f"a failed command changed the store\n{shown}"
            return
        assert result.exit_code == 0, shown
        after = change.after(result)
        if change.stderr is not None:
            assert one_line(result.stderr) == change.stderr, shown
        if change.stderr_start is not None:
            assert one_line(result.stderr).startswith(change.stderr_start), shown
        if change.journal == "none":
            assert self.read(STORE_NAME) == store_before, f"a command that changed nothing saved\n{shown}"
            assert self.read(f"{STORE_NAME}.bak") == backup_before, shown
        elif store_before is not None and backup_failed:
            assert self.read(f"{STORE_NAME}.bak") == backup_before, f"the backup moved on a failed rename\n{shown}"
        elif store_before is not None:
            assert self.read(f"{STORE_NAME}.bak") == store_before, f"the backup is not the previous store\n{shown}"
        else:
            assert self.read(f"{STORE_NAME}.bak") == backup_before, shown
        if change.journal == "push":
            self.journal.append((self.model, one_line(result.stderr)))
            if len(self.journal) > constants.JOURNAL_LIMIT:
                event("journal limit reached")
            del self.journal[: -constants.JOURNAL_LIMIT]
        elif change.journal == "pop":
            self.journal.pop()
        elif change.journal == "clear":
            self.journal.clear()
        self.model = after

    # --- choosing what to act on ----------------------------------------------------------

    def resolve(self, ref: str) -> str | None:
        """The interview an ID argument names: the exact id, or the only one it starts."""
        if ref in self.model:
            return ref
        matches = [i for i in self.model if i.startswith(ref)]
        return matches[0] if len(matches) == 1 else None

    def pick_ref(self, data: st.DataObject, among: list[str] | None = None) -> str:
        """Mostly a whole id; sometimes a start of one (maybe ambiguous) or no id at all."""
        ids = among or sorted(self.model)
        how = data.draw(st.sampled_from(["id", "id", "id", "prefix", "unknown"]))
        if not ids or how == "unknown":
            return "zz-nope"
        target = data.draw(st.sampled_from(ids))
        return target[: data.draw(st.integers(1, len(target)))] if how == "prefix" else target

    @staticmethod
    def find_step(steps: list[dict[str, Any]], ref: str) -> int | None:
        """The index of the step a STEP argument names: its number, id, or the only id it starts."""
        if ref.isdigit() and 1 <= int(ref) <= len(steps):
            return int(ref) - 1
        for index, step in enumerate(steps):
            if step["id"] == ref:
                return index
        matches = [index for index, step in enumerate(steps) if step["id"].startswith(ref)]
        return matches[0] if len(matches) == 1 else None

    def changed(self, target: str, edit: Callable[[dict[str, Any]], None]) -> Callable[[Result], Model]:
        """`after` for a command that changes one interview and may print it with --json."""

        def after(result: Result) -> Model:
            model = copy.deepcopy(self.model)
            edit(model[target])
            if result.stdout:
                assert stored_form(json.loads(result.stdout)) == model[target], result.stdout
            return model

        return after

    # --- the commands, as plans ------------------------------------------------------------

    def plan_new(self, data: st.DataObject) -> Change:
        company = data.draw(st.sampled_from(COMPANIES), label="company")
        role = data.draw(st.sampled_from(ROLES), label="role")
        names = data.draw(st.lists(st.sampled_from(NAMES), max_size=3), label="interviewers")
        flags = data.draw(st.lists(st.sampled_from(FLAGS), max_size=2, unique=True), label="flags")
        start = data.draw(st.sampled_from(list(STARTS)), label="at")
        done_first = data.draw(st.booleans(), label="done step 1")
        mistake = data.draw(st.sampled_from(MISTAKES), label="mistake")
        company = "   " if mistake == "blank company" else company
        flags = [*flags, "remote"] if mistake == "unknown flag" else flags
        # --force: twins (same company and start) are drawn on purpose, for the id rule; the
        # warning they get otherwise is tested in test_cli_guard.py.
        args = ["new", "--company", company, "--role", role, "--json", "--force"]
        args += [arg for name in names for arg in ("--interviewer", name)]
        args += [arg for flag in flags for arg in ("--flag", flag)]
        args += ["--at", start] if start else []
        args += ["--done", "1"] if done_first else []
        if not company.strip():
            return Change(args, None, 2, "--company")
        if "remote" in flags:
            return Change(args, None, 2, "remote")
        if CONTROL.search(company):  # a control character other than newline or tab
            return Change(args, None, 2, "--company")
        at = STARTS[start]
        base = f"{slugify(company) or 'interview'}-{at[5:7]}{at[8:10]}"
        new_id, n = base, 1
        while new_id in self.model:
            n += 1
            new_id = f"{base}-{n}"
        people = [name.strip() for name in names if name.strip()]
        late, video = "late" in flags, "video" in flags

        def after(result: Result) -> Model:
            made = stored_form(json.loads(result.stdout))
            expected = {
                "id": new_id,
                "company": company.strip(),
                "role": role.strip(),
                "interviewers": people,
                "at": at,
                "flags": {"late": late, "video": video},
                "checklist": "post-interview",
                "outcome": None,
                "closed_at": None,
                "created_at": NOW,
            }
            assert {key: made[key] for key in expected} == expected, result.stdout
            # thank; thank-patience if late; shake hands and greet staff unless video; per interviewer a
            # letter to write and one to mail (or email)
            assert len(made["steps"]) == 1 + late + 2 * (not video) + 2 * max(1, len(people)), result.stdout
            statuses = [step["status"] for step in made["steps"]]
            assert statuses == ["done" if done_first and k == 0 else "pending" for k in range(len(statuses))]
            model = copy.deepcopy(self.model)
            model[new_id] = made
            return model

        return Change(args, after)

    def plan_status(self, data: st.DataObject, status: str) -> Change:
        command = {"done": "done", "skipped": "skip", "pending": "undo"}[status]
        ref = self.pick_ref(data)
        target = self.resolve(ref)
        if target is None:
            return Change([command, ref, "1"], None, 1, ref)
        steps = self.model[target]["steps"]
        ids = [step["id"] for step in steps]
        one = st.one_of(st.integers(1, len(steps) + 1).map(str), st.sampled_from(ids))
        refs = data.draw(st.lists(one, min_size=1, max_size=2), label="steps")
        args = [command, ref, *refs]
        text = None if status == "pending" else data.draw(st.sampled_from([None, "met [b]Ana[/b] at the door"]))
        if text is not None:
            args += ["--note" if status == "done" else "--reason", text]
        if data.draw(st.booleans(), label="--json"):
            args.append("--json")
        found = [self.find_step(steps, step_ref) for step_ref in refs]
        if None in found:
            return Change(args, None, 1, "has no step")
        # A step already in that state keeps its time and note, unless a new note or reason is given.
        changing = [i for i in found if i is not None and (steps[i]["status"] != status or text is not None)]
        if not changing:
            return Change(args, self.changed(target, lambda interview: None), journal="none")

        def edit(interview: dict[str, Any]) -> None:
            for index in changing:
                step = interview["steps"][index]
                step["status"] = status
                step["done_at"] = NOW if status == "done" else None
                step["note"] = text if status == "done" else None
                step["reason"] = text if status == "skipped" else None

        return Change(args, self.changed(target, edit))

    def plan_close(self, data: st.DataObject) -> Change:
        ref = self.pick_ref(data)
        outcome = data.draw(st.sampled_from(OUTCOMES), label="outcome")
        args = ["close", ref, "--outcome", outcome]
        if outcome == "hired":
            return Change(args, None, 2, "not an outcome")
        target = self.resolve(ref)
        if target is None:
            return Change(args, None, 1, ref)
        if self.model[target]["outcome"] is not None:
            return Change(args, None, 1, "already closed")

        def edit(interview: dict[str, Any]) -> None:
            interview["outcome"] = outcome
            interview["closed_at"] = NOW

        return Change(args, self.changed(target, edit))

    def plan_reopen(self, data: st.DataObject) -> Change:
        closed = sorted(i for i, interview in self.model.items() if interview["outcome"] is not None)
        ref = self.pick_ref(data, closed)
        target = self.resolve(ref)
        if target is None:
            return Change(["reopen", ref], None, 1, ref)
        if self.model[target]["outcome"] is None:
            return Change(["reopen", ref], None, 1, "already open")

        def edit(interview: dict[str, Any]) -> None:
            interview["outcome"] = None
            interview["closed_at"] = None

        return Change(["reopen", ref], self.changed(target, edit))

    def plan_rm(self, data: st.DataObject) -> Change:
        ref = self.pick_ref(data)
        target = self.resolve(ref)
        if target is None:
            return Change(["rm", ref, "--yes"], None, 1, ref)
        model = {i: interview for i, interview in self.model.items() if i != target}
        return Change(["rm", ref, "--yes"], lambda result: model)

    def plan_undo_last(self, data: st.DataObject) -> Change:
        if not self.journal:
            return Change(["undo"], None, 1, "nothing to undo")
        before, summary = self.journal[-1]
        return Change(["undo"], lambda result: before, journal="pop", stderr_start=f"undid: {summary}; now ")

    def plan_import(self, data: st.DataObject) -> Change:
        self.exports += 1
        out = self.root / f"export-{self.exports}.json"
        result = self.cli("export", "--out", str(out))
        assert result.exit_code == 0, describe(["export"], result)
        exported = json.loads(out.read_text(encoding="utf-8"))
        assert {i["id"]: i for i in exported["interviews"]} == self.model, "export differs from the model"
        assert len(exported["interviews"]) == len(self.model)
        dropped = data.draw(st.sets(st.sampled_from(sorted(self.model))), label="left out") if self.model else set()
        if dropped:
            exported["interviews"] = [i for i in exported["interviews"] if i["id"] not in dropped]
            out.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
        yes = data.draw(st.sampled_from([True, True, False]), label="--yes")
        args = ["import", str(out), *(["--yes"] if yes else [])]
        if self.model and not yes:
            return Change(args, None, 2, "--yes")
        model = {i: interview for i, interview in self.model.items() if i not in dropped}
        # Undo keeps a snapshot of every interview the import touches, up to a limit; past it the journal goes.
        if len(self.model) <= importing.IMPORT_UNDO_LIMIT:
            return Change(args, lambda result: model)
        previous = self.model

        def after(result: Result) -> Model:
            # ... and the old store is kept aside, in a file the summary names
            kept = re.search(r"the previous store is in (\S+)", one_line(result.stderr))
            if kept:
                saved = json.loads(Path(kept[1]).read_text(encoding="utf-8"))["interviews"]
                assert {i["id"]: i for i in saved} == previous, f"{kept[1]} is not the store before the import"
            return model

        return Change(args, after, journal="clear")

    def plan(self, kind: str, data: st.DataObject) -> Change:
        if kind in ("done", "skip", "undo"):
            return self.plan_status(data, {"done": "done", "skip": "skipped", "undo": "pending"}[kind])
        planner: Callable[[st.DataObject], Change] = getattr(self, f"plan_{kind}")
        return planner(data)

    # --- rules ------------------------------------------------------------------------------

    @initialize(small=st.booleans())
    def limits(self, small: bool) -> None:
        """Half the runs with a short journal and a low import limit, so that both are reached."""
        if small:
            for module, name, value in ((constants, "JOURNAL_LIMIT", 3), (importing, "IMPORT_UNDO_LIMIT", 2)):
                patch = mock.patch.object(module, name, value)
                patch.start()
                self.patches.append(patch)

    @initialize(data=st.data(), count=st.integers(0, 3))
    def seed(self, data: st.DataObject, count: int) -> None:
        """Most runs start with a few interviews to act on."""
        for _ in range(count):
            self.run(self.plan_new(data))

    @rule(data=st.data())
    def new(self, data: st.DataObject) -> None:
        self.run(self.plan_new(data))

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def done(self, data: st.DataObject) -> None:
        self.run(self.plan("done", data))

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def skip(self, data: st.DataObject) -> None:
        self.run(self.plan("skip", data))

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def undo_steps(self, data: st.DataObject) -> None:
        self.run(self.plan("undo", data))

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def close(self, data: st.DataObject) -> None:
        self.run(self.plan_close(data))

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def reopen(self, data: st.DataObject) -> None:
        self.run(self.plan_reopen(data))

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def rm(self, data: st.DataObject) -> None:
        self.run(self.plan_rm(data))

    @rule(data=st.data())
    def undo_last(self, data: st.DataObject) -> None:
        self.run(self.plan_undo_last(data))

    @rule(data=st.data())
    def export_import(self, data: st.DataObject) -> None:
        self.run(self.plan_import(data))

    @rule(data=st.data(), kind=st.sampled_from(KINDS), fail_at=st.integers(1, 4))
    def failed_write(self, data: st.DataObject, kind: str, fail_at: int) -> None:
        """The fail_at-th rename of a save fails as on a full disk (if the save gets that far): a save
        renames a new history file, the store, the pending index and the backup into place."""
        self.run(self.plan(kind, data), fail_at=fail_at)

    # --- invariants ---------------------------------------------------------------------------

    @invariant()
    def store_equals_model(self) -> None:
        document = Store(self.home).read()
        every = document.every()
        stored = {interview.id: interview.model_dump(mode="json") for interview in every}
        assert len(stored) == len(every), "an interview is in the store twice"
        assert stored == self.model
        open_ids = {i for i, interview in self.model.items() if interview["outcome"] is None}
        assert set(document.open) == open_ids
        assert sorted(document.closed_ids) == sorted(set(self.model) - open_ids)
        assert len(document.journal) == len(self.journal)

    @invariant()
    def owner_only_and_no_temp_files(self) -> None:
        if not self.home.exists():
            return
        assert stat.S_IMODE(self.home.stat().st_mode) == 0o700
        for path in self.home.iterdir():
            assert not path.name.endswith(".tmp"), f"a temp file is left behind: {path.name}"
            if path.name in ("interviews", "cache"):  # the cache holds a folder of checked checklists
                assert stat.S_IMODE(path.lstat().st_mode) == 0o700, f"{path.name} is {oct(path.lstat().st_mode)}"
                for inner in path.rglob("*"):
                    mode = 0o700 if inner.is_dir() else 0o600
                    assert stat.S_IMODE(inner.lstat().st_mode) == mode, f"{inner} is {oct(inner.lstat().st_mode)}"
            else:
                assert stat.S_IMODE(path.lstat().st_mode) == 0o600, f"{path.name} is {oct(path.lstat().st_mode)}"

    @invariant()
    def backup_is_complete(self) -> None:
        """`cp followup.json.bak followup.json` must work: the history file it names is still there."""
        raw = self.read(f"{STORE_NAME}.bak")
        if raw is None:
            return
        history = json.loads(raw).get("history") or {}
        if history.get("file"):
            assert (self.home / history["file"]).exists(), f"the backup's {history['file']} is gone"
        for name in json.loads(raw).get("files", {}).values():
            assert (self.home / "interviews" / name).exists(), f"the backup's {name} is gone"

    @invariant()
    def interview_files_are_those_the_store_and_backup_name(self) -> None:
        folder = self.home / "interviews"
        if not folder.exists():
            return
        named: set[str] = set()
        for name in (STORE_NAME, f"{STORE_NAME}.bak"):
            raw = self.read(name)
            if raw is not None:
                named |= set(json.loads(raw).get("files", {}).values())
        present = {path.name for path in folder.iterdir()}
        current = self.read(STORE_NAME)
        assert current is None or set(json.loads(current)["files"].values()) <= present, "a named file is gone"
        if getattr(self, "backup_behind", False):
            if self.behind_root is None:
                self.behind_root = current
            elif current != self.behind_root:
                self.backup_behind = False  # saved since, and that save collected what nothing names
        if not getattr(self, "backup_behind", False):
            assert present <= named, f"files nothing names: {sorted(present - named)}"

    @invariant()
    def list_shows_open_interviews(self) -> None:
        result = self.cli("list", "--json")
        assert result.exit_code == 0, describe(["list", "--json"], result)
        listed = [stored_form(interview) for interview in json.loads(result.stdout)]
        open_ids = [i for i, interview in self.model.items() if interview["outcome"] is None]
        expected = sorted(open_ids, key=lambda i: (datetime.fromisoformat(self.model[i]["at"]), i))
        assert [interview["id"] for interview in listed] == expected
        assert listed == [self.model[i] for i in expected]

    @invariant()
    def due_shows_pending_steps_of_open_interviews(self) -> None:
        result = self.cli("due", "--json")
        assert result.exit_code == 0, describe(["due", "--json"], result)
        got = [(item["interview"], item["step"], item["number"], item["overdue"]) for item in json.loads(result.stdout)]
        pending = sorted(
            (datetime.fromisoformat(step["due"]), datetime.fromisoformat(interview["at"]), i, number, step["id"])
            for i, interview in self.model.items()
            if interview["outcome"] is None
            for number, step in enumerate(interview["steps"], start=1)
            if step["status"] == "pending"
        )
        assert got == [(i, step, number, due < NOW_AT) for due, _, i, number, step in pending]


TestFollowupModel = FollowupModel.TestCase


def _store_cannot_be_replaced() -> Any:
    """A full disk at the moment the new store would be put in place, after everything before it."""
    real_replace = os.replace

    def full_disk(source: str, target: str) -> None:
        if Path(target).name == STORE_NAME:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(source, target)

    return mock.patch("os.replace", side_effect=full_disk)


def test_failed_save_then_a_change_leaves_no_temp_file(run: Callable[..., Result], home: Path) -> None:
    """Found by the state machine: a save that failed once left the backup another name of the
    store, and the next change then left a temp file behind."""
    add_interview(run, "Acme", role="Engineer")
    with _store_cannot_be_replaced():
        failed = run("done", "acme-1128", "1")
    assert failed.exit_code == 1
    assert "could not save" in failed.stderr
    assert "nothing changed" in failed.stderr
    assert run("done", "acme-1128", "1").exit_code == 0
    assert sorted(path.name for path in home.glob(".*.tmp")) == []


def test_failed_save_keeps_the_previous_backup(run: Callable[..., Result], home: Path) -> None:
    """SPEC: the previous version is kept as a backup, and a failed command leaves the store as it was."""
    add_interview(run, "Acme", role="Engineer")
    add_interview(run, "Beta", role="Engineer")
    backup = (home / f"{STORE_NAME}.bak").read_bytes()
    with _store_cannot_be_replaced():
        failed = run("rm", "beta-1128", "--yes")
    assert failed.exit_code == 1
    assert "nothing changed" in failed.stderr
    assert (home / f"{STORE_NAME}.bak").read_bytes() == backup


def test_each_large_import_keeps_its_own_copy_of_the_old_store(
    run: Callable[..., Result], home: Path, tmp_path: Path
) -> None:
    """An import too large for the journal keeps the old store in a file that no later change
    overwrites, not even a second such import in the same second (FOLLOWUP_NOW is fixed)."""
    add_interview(run, "Acme", role="Engineer")
    add_interview(run, "Beta", role="Engineer")
    export = tmp_path / "acme-only.json"
    assert run("export", "--out", str(export)).exit_code == 0
    data = json.loads(export.read_text(encoding="utf-8"))
    data["interviews"] = [i for i in data["interviews"] if i["id"] == "acme-1128"]
    export.write_text(json.dumps(data), encoding="utf-8")
    with mock.patch.object(importing, "IMPORT_UNDO_LIMIT", 0):
        assert run("import", str(export), "--yes").exit_code == 0
        assert run("import", str(export), "--yes").exit_code == 0
    kept = [json.loads(path.read_text(encoding="utf-8")) for path in home.glob("followup-before-import-*.json")]
    assert ["acme-1128", "beta-1128"] in [sorted(i["id"] for i in store["interviews"]) for store in kept]
