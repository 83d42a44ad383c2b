"""The sync engine against a real Radicale; a second caldav client plays the phone."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

pytest.importorskip("caldav")
pytest.importorskip("radicale")

from followup.errors import FollowupError
from followup.sync.engine import MassDeletion, Options, sync
from followup.sync.remote import Remote
from followup.sync.summary import Summary
from sync_fakes import BERLIN, FakeLocal, Phone

NOW = datetime(2026, 11, 28, 14, 0, tzinfo=UTC)
_users = itertools.count()


class World:
    """followup's side (a fake store, a state file) and the phone, on one user's lists."""

    def __init__(self, url: str, home: Path) -> None:
        self.url = url
        self.user = f"user{next(_users)}"
        self.local = FakeLocal()
        self.state = home / "caldav-sync.json"
        self.phone = Phone(url)
        self.phone.client = type(self.phone.client)(url=url, username=self.user, password="x")
        self.last: Remote | None = None

    def remote(self) -> Remote:
        self.last = Remote(self.url, self.user, "x")
        return self.last

    def sync(self, **options: object) -> Summary:
        return sync(self.local, self.remote(), self.state, Options(**options), NOW)  # type: ignore[arg-type]


@pytest.fixture
def world(server: str, tmp_path: Path) -> World:
    return World(server, tmp_path)


def test_first_sync_sends_every_step_and_a_second_writes_nothing(world: World) -> None:
    uids = world.local.add_interview("acme")
    first = world.sync()
    assert (first.sent_new, first.sent_changed) == (3, 0)
    todos = world.phone.todos()
    assert set(todos) == set(uids)
    todo = todos[uids[0]]
    assert str(todo["summary"]) == "Acme: step 0"
    assert str(todo["status"]) == "NEEDS-ACTION"
    assert todo["due"].dt == datetime(2026, 12, 1, 9, 0, tzinfo=BERLIN)
    assert [str(a["action"]) for a in todo.walk("VALARM")] == ["DISPLAY"]
    second = world.sync()
    assert not second.changed_anything
    assert world.last is not None and world.last.requests <= 2
    assert second.text().startswith("nothing to sync")


def test_lost_state_adopts_instead_of_duplicating(world: World) -> None:
    world.local.add_interview("acme")
    world.sync()
    world.state.unlink()
    summary = world.sync()
    assert summary.sent_new == 0
    assert len(world.phone.todos()) == 3


def test_a_crash_between_upload_and_state_write_leaves_no_duplicate(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.local.add_interview("acme")
    from followup.sync import state as state_file

    def crash(path: Path, state: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(state_file, "save", crash)
    with pytest.raises(OSError):
        world.sync()
    monkeypatch.undo()
    assert len(world.phone.todos()) == 3
    summary = world.sync()
    assert summary.sent_new == 0
    assert len(world.phone.todos()) == 3


@pytest.mark.parametrize(
    "tick",
    [
        lambda t: t.update({"status": "COMPLETED"}),
        lambda t: t.add("completed", datetime(2026, 11, 28, 10, 0, tzinfo=UTC)),
        lambda t: t.add("percent-complete", 100),
    ],
    ids=["status", "completed", "percent"],
)
def test_ticked_on_the_phone_marks_the_step_done(world: World, tick: object) -> None:
    uid = world.local.add_interview("acme")[0]
    world.sync()

    world.phone.edit(uid, tick)
    summary = world.sync()
    assert summary.received_done == 1
    step = world.local.by_uid[uid]
    assert step.status == "done" and step.done_at is not None
    assert len(world.local.journal) == 1  # one journal entry for the whole sync
    todo = world.phone.todos()[uid]
    assert str(todo["status"]) == "COMPLETED" and "completed" in todo
    assert not world.sync().changed_anything


def test_reopened_on_the_phone(world: World) -> None:
    uid = world.local.add_interview("acme")[0]
    world.local.set(uid, status="done", done_at=datetime(2026, 11, 27, 9, 0, tzinfo=BERLIN))
    world.sync()

    def reopen(todo: object) -> None:
        for name in ("status", "completed", "percent-complete"):
            todo.pop(name, None)  # type: ignore[attr-defined]
        todo.add("status", "NEEDS-ACTION")  # type: ignore[attr-defined]

    world.phone.edit(uid, reopen)
    summary = world.sync()
    assert summary.received_reopened == 1
    assert world.local.by_uid[uid].status == "pending"


def test_due_moved_on_the_phone_and_a_date_only_due(world: World) -> None:
    first, second = world.local.add_interview("acme", steps=2)
    world.sync()
    moved = datetime(2026, 12, 5, 16, 30, tzinfo=BERLIN)

    def move(todo: object) -> None:
        todo.pop("due")  # type: ignore[attr-defined]
        todo.add("due", moved)  # type: ignore[attr-defined]

    def date_only(todo: object) -> None:
        todo.pop("due")  # type: ignore[attr-defined]
        todo.add("due", date(2026, 12, 7))  # type: ignore[attr-defined]

    world.phone.edit(first, move)
    world.phone.edit(second, date_only)
    summary = world.sync()
    assert summary.received_moved == 2
    assert world.local.by_uid[first].due == moved
    assert world.local.by_uid[second].due == datetime(2026, 12, 7, 23, 59, 59, tzinfo=BERLIN)


def test_due_across_a_dst_change_keeps_the_wall_clock_time(world: World) -> None:
    uid = world.local.add_interview("acme", steps=1, start=datetime(2027, 3, 29, 9, 0, tzinfo=BERLIN))[0]
    world.sync()
    todo = world.phone.todos()[uid]
    assert todo["due"].params["TZID"] == "Europe/Berlin"
    assert todo["due"].dt.utcoffset() == timedelta(hours=2)  # summer time, after 28 March 2027
    assert not world.sync().changed_anything


def test_both_sides_changed_done_wins_and_followups_due_wins(world: World) -> None:
    uid = world.local.add_interview("acme")[0]
    world.sync()
    world.phone.edit(
        uid,
        lambda t: (
            t.pop("due"),
            t.add("due", datetime(2026, 12, 9, 9, 0, tzinfo=BERLIN)),
            t.update({"status": "COMPLETED"}),
        ),
    )
    mine = datetime(2026, 12, 3, 12, 0, tzinfo=BERLIN)
    world.local.set(uid, due=mine)
    summary = world.sync()
    assert world.local.by_uid[uid].status == "done"
    assert world.local.by_uid[uid].due == mine
    assert summary.conflicts and "kept followup's due" in summary.conflicts[0]
    todo = world.phone.todos()[uid]
    assert todo["due"].dt == mine and str(todo["status"]) == "COMPLETED"


@pytest.mark.parametrize("earlier", ["phone", "here"])
def test_ticked_on_both_sides_keeps_the_earliest_completion(world: World, earlier: str) -> None:
    uid = world.local.add_interview("acme")[0]
    world.sync()
    first, second = datetime(2026, 11, 27, 18, 0, tzinfo=UTC), datetime(2026, 11, 28, 9, 30, tzinfo=UTC)
    on_phone, here = (first, second) if earlier == "phone" else (second, first)
    world.phone.edit(uid, lambda t: (t.update({"status": "COMPLETED"}), t.add("completed", on_phone)))
    world.local.set(uid, status="done", done_at=here.astimezone(BERLIN))
    world.sync()
    assert world.local.by_uid[uid].done_at == first
    assert world.phone.todos()[uid]["completed"].dt == first
    assert not world.sync().changed_anything


def test_the_phone_edits_between_read_and_write(world: World) -> None:
    uid = world.local.add_interview("acme")[0]
    world.sync()
    world.local.set(uid, summary="Acme: renamed")
    edited = []

    def meddle(method: str, which: str) -> None:
        if which == uid and not edited:
            edited.append(1)
            world.phone.edit(uid, lambda t: t.update({"status": "COMPLETED"}))

    summary = world.sync(before_write=meddle)
    assert edited and summary.sent_changed == 1
    todo = world.phone.todos()[uid]
    assert str(todo["summary"]) == "Acme: renamed" and str(todo["status"]) == "COMPLETED"
    assert world.local.by_uid[uid].status == "done"


def test_deleted_on_the_phone_skips_the_step_unless_it_changed_here(world: World) -> None:
    kept, changed = world.local.add_interview("acme", steps=2)
    world.sync()
    world.phone.delete(kept)
    world.phone.delete(changed)
    world.local.set(changed, summary="Acme: changed here")
    summary = world.sync()
    assert world.local.by_uid[kept].status == "skipped"
    assert summary.received_skipped == 1 and summary.sent_new == 1
    assert set(world.phone.todos()) == {changed}
    assert not world.sync().changed_anything


def test_a_done_todo_deleted_on_the_phone_leaves_the_step_done(world: World) -> None:
    """Phone apps clear completed tasks: that is tidying up, not skipping what was done."""
    uid = world.local.add_interview("acme")[0]
    done_at = datetime(2026, 11, 27, 9, 0, tzinfo=BERLIN)
    world.local.set(uid, status="done", done_at=done_at)
    world.sync()
    world.phone.delete(uid)
    summary = world.sync()
    assert (world.local.by_uid[uid].status, world.local.by_uid[uid].done_at) == ("done", done_at)
    assert not summary.changed_anything and uid not in world.phone.todos()  # not sent again either
    assert not world.sync().changed_anything


def test_closing_an_interview_removes_its_open_todos_even_after_a_412(world: World) -> None:
    uids = world.local.add_interview("acme", steps=2)
    world.local.set(uids[1], status="done", done_at=datetime(2026, 11, 27, 9, 0, tzinfo=BERLIN))
    world.sync()
    world.local.close("acme")
    meddled = []

    def meddle(method: str, which: str) -> None:
        if method == "DELETE" and not meddled:
            meddled.append(which)
            world.phone.edit(which, lambda t: t.add("x-apple-sort-order", 5))

    summary = world.sync(before_write=meddle)
    assert meddled and summary.removed == 1
    assert set(world.phone.todos()) == {uids[1]}  # the done one stays as a record


def test_other_apps_properties_survive(world: World) -> None:
    uid = world.local.add_interview("acme")[0]
    world.sync()

    def decorate(todo: object) -> None:
        from icalendar import Alarm

        todo.add("x-apple-sort-order", 42)  # type: ignore[attr-defined]
        alarm = Alarm()
        alarm.add("action", "AUDIO")
        alarm.add("trigger", timedelta(minutes=-5), parameters={"RELATED": "END"})
        todo.add_component(alarm)  # type: ignore[attr-defined]

    world.phone.edit(uid, decorate)
    world.local.set(uid, summary="Acme: renamed")
    world.sync()
    todo = world.phone.todos()[uid]
    assert str(todo["summary"]) == "Acme: renamed"
    assert str(todo["x-apple-sort-order"]) == "42"
    assert sorted(str(a["action"]) for a in todo.walk("VALARM")) == ["AUDIO", "DISPLAY"]


def test_phone_made_todos_are_left_alone(world: World) -> None:
    world.local.add_interview("acme", steps=1)
    world.sync()
    world.phone.add(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//phone//EN\r\nBEGIN:VTODO\r\nUID:milk\r\nSUMMARY:Buy milk\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"
    )
    assert not world.sync().changed_anything
    assert not world.sync().changed_anything
    assert "milk" in world.phone.todos()


def test_an_invalid_sync_token_still_finds_deletions(world: World) -> None:
    uids = world.local.add_interview("acme")
    world.sync()
    import json

    raw = json.loads(world.state.read_text())
    raw["sync_token"] = "http://radicale.org/ns/sync/" + "0" * 64
    world.state.write_text(json.dumps(raw))
    world.phone.delete(uids[0])
    summary = world.sync()
    assert summary.received_skipped == 1
    assert world.local.by_uid[uids[0]].status == "skipped"


def test_mass_deletion_stops_and_changes_nothing(world: World) -> None:
    uids = world.local.add_interview("acme", steps=4)
    world.sync()
    for uid in uids[:3]:
        world.phone.delete(uid)
    before = world.state.read_bytes()
    with pytest.raises(MassDeletion):
        world.sync()
    assert world.state.read_bytes() == before and not world.local.journal
    summary = world.sync(allow_mass_deletion=True)
    assert summary.received_skipped == 3


def test_dry_run_changes_nothing(world: World) -> None:
    world.local.add_interview("acme")
    summary = world.sync(dry_run=True)
    assert summary.sent_new == 3 and summary.text().startswith("would have sent 3 new")
    assert not world.state.exists()
    world.sync()
    world.local.set("acme.step0@followup", summary="Acme: renamed")
    world.sync(dry_run=True)
    assert str(world.phone.todos()["acme.step0@followup"]["summary"]) == "Acme: step 0"


def test_server_down_then_back(world: World, tmp_path: Path) -> None:
    world.local.add_interview("acme")
    with pytest.raises(FollowupError, match="cannot reach"):
        sync(world.local, Remote("http://127.0.0.1:9/", world.user, "x"), world.state, Options(), NOW)
    assert not world.state.exists()
    assert world.sync().sent_new == 3


def test_reading_k_changed_todos_takes_a_constant_number_of_requests(world: World) -> None:
    uids = world.local.add_interview("acme", steps=6)
    world.sync()
    counts = []
    for k in (1, 5):
        for uid in uids[:k]:
            world.phone.edit(uid, lambda t, k=k: t.add("x-apple-sort-order", k))
        world.sync()
        assert world.last is not None
        counts.append(world.last.requests)
    assert counts[0] == counts[1] == 2  # one REPORT, one calendar-multiget
