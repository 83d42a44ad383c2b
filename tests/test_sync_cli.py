"""`followup sync` through the command line, on the real store, against a real Radicale;
a second caldav client plays the phone."""

from __future__ import annotations

import gc
import itertools
import json
import os
import stat
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

pytest.importorskip("caldav")
pytest.importorskip("radicale")

from helpers import Run, add_interview, loaded_by, steps_of, without_flock
from radicale_server import radicale
from sync_fakes import Phone

_users = itertools.count()
pytestmark = pytest.mark.usefixtures("no_outer_settings")


@pytest.fixture
def phone(server: str, monkeypatch: pytest.MonkeyPatch) -> Phone:
    """A user of its own on the shared server, set in the environment, and their phone."""
    user = f"cli{next(_users)}"
    monkeypatch.setenv("FOLLOWUP_CALDAV_URL", server)
    monkeypatch.setenv("FOLLOWUP_CALDAV_USER", user)
    monkeypatch.setenv("FOLLOWUP_CALDAV_PASSWORD", "x")
    found = Phone(server)
    found.client = type(found.client)(url=server, username=user, password="x")
    return found


def sync(run: Run, *args: str) -> dict[str, object]:
    result = run("sync", "--json", *args)
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def failed_plainly(run: Run, *args: str) -> str:
    result = run("sync", *args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert 1 <= len(result.stderr.strip().splitlines()) <= 2, result.stderr
    return result.stderr


def test_a_first_sync_sends_every_step_and_the_next_changes_nothing(run: Run, phone: Phone, home: Path) -> None:
    acme = add_interview(run, "Acme", "--at", "2026-11-27 10:00")
    beta = add_interview(run, "Beta", "--at", "2026-11-26 14:00")
    count = len(steps_of(run, acme)) + len(steps_of(run, beta))
    result = run("sync")
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == f"sent {count} new"
    todos = phone.todos()
    assert len(todos) == count
    uid = f"{acme}.{next(iter(steps_of(run, acme)))}@followup"
    assert str(todos[uid]["summary"]).startswith("Acme: ")
    assert [str(c) for c in todos[uid]["categories"].cats] == ["followup", "Acme"]
    assert f"followup done {acme}" in str(todos[uid]["description"])
    state = home / "caldav-sync.json"
    assert stat.S_IMODE(state.stat().st_mode) == 0o600
    again = sync(run)
    assert again["sent"] == {"new": 0, "changed": 0, "removed": 0}
    assert run("sync").stderr.strip() == "nothing to sync: both sides agree"


def test_ticked_on_the_phone_is_done_here_and_undo_reverts_the_whole_sync(run: Run, phone: Phone) -> None:
    acme = add_interview(run, "Acme", "--at", "2026-11-27 10:00")
    first, second, *_ = steps_of(run, acme)
    sync(run)
    ticked_at = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)
    phone.edit(f"{acme}.{first}@followup", lambda t: (t.update({"status": "COMPLETED"}), t.add("completed", ticked_at)))
    phone.delete(f"{acme}.{second}@followup")
    summary = sync(run)
    assert summary["received"] == {"done": 1, "reopened": 0, "moved": 0, "skipped": 1}
    shown = steps_of(run, acme)
    assert shown[first]["status"] == "done"
    assert datetime.fromisoformat(str(shown[first]["done_at"])) == ticked_at
    assert shown[second]["status"] == "skipped"

    undone = run("undo")
    assert undone.exit_code == 0, undone.output
    assert "sync: " in undone.stderr
    shown = steps_of(run, acme)
    assert shown[first]["status"] == "pending" and shown[second]["status"] == "pending"
    assert run("undo").stderr.count("sync") == 0  # the sync was one change: the next undo is the `new`

    add_interview(run, "Acme", "--at", "2026-11-27 10:00")  # what the second undo removed
    summary = sync(run)
    todos = phone.todos()
    assert str(todos[f"{acme}.{first}@followup"]["status"]) == "NEEDS-ACTION"  # the undo reached the phone
    assert f"{acme}.{second}@followup" in todos


def test_closing_an_interview_removes_its_todos(run: Run, phone: Phone) -> None:
    acme = add_interview(run, "Acme", "--at", "2026-11-27 10:00")
    beta = add_interview(run, "Beta", "--at", "2026-11-26 14:00")
    sync(run)
    assert run("close", acme, "--outcome", "rejected").exit_code == 0
    summary = sync(run)
    assert summary["sent"] == {"new": 0, "changed": 0, "removed": len(steps_of(run, acme))}
    assert {uid.split(".")[0] for uid in phone.todos()} == {beta}


def test_a_dry_run_changes_nothing(run: Run, phone: Phone, home: Path) -> None:
    acme = add_interview(run, "Acme", "--at", "2026-11-27 10:00")
    before = (home / "followup.json").read_bytes()
    result = run("sync", "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"would have sent {len(steps_of(run, acme))} new")
    assert not (home / "caldav-sync.json").exists()
    assert (home / "followup.json").read_bytes() == before
    with pytest.raises(LookupError):
        phone.calendar  # noqa: B018 - the list was not even made


def test_an_unreachable_server_fails_plainly_and_changes_nothing(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_interview(run, "Acme", "--at", "2026-11-27 10:00")
    before = (home / "followup.json").read_bytes()
    monkeypatch.setenv("FOLLOWUP_CALDAV_URL", "http://127.0.0.1:9/")
    said = failed_plainly(run)
    assert "cannot reach the CalDAV server at http://127.0.0.1:9/" in said
    assert (home / "followup.json").read_bytes() == before
    assert not (home / "caldav-sync.json").exists()


def test_a_sync_runs_with_the_cyclic_collector_on(run: Run, phone: Phone) -> None:
    """`followup.cli.main` turns it off for start-up; a sync, which talks to a server
    for longer, must not pile up cycles from the network libraries."""
    add_interview(run, "Acme", "--at", "2026-11-27 10:00")
    gc.disable()
    try:
        assert run("sync").exit_code == 0
        assert gc.isenabled()
    finally:
        gc.enable()


def test_no_server_set_says_how_to_set_one(run: Run) -> None:
    assert "FOLLOWUP_CALDAV_URL" in failed_plainly(run)


def test_a_list_holding_only_events_is_refused(run: Run, phone: Phone) -> None:
    phone.client.principal().make_calendar(name="followup", supported_calendar_component_set=["VEVENT"])
    add_interview(run, "Acme", "--at", "2026-11-27 10:00")
    assert "holds only events" in failed_plainly(run)


def test_the_password_command(run: Run, phone: Phone, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    printer = tmp_path / "print password.py"
    printer.write_text("import sys\nprint('x')\nprint('second line ignored')\n")
    monkeypatch.delenv("FOLLOWUP_CALDAV_PASSWORD")
    monkeypatch.setenv("FOLLOWUP_CALDAV_PASSWORD_COMMAND", f"{sys.executable} '{printer}'")
    add_interview(run, "Acme", "--at", "2026-11-27 10:00")
    assert sync(run)["sent"]["new"] > 0  # type: ignore[index]

    printer.write_text("import sys\nsys.stderr.write('gpg: decryption failed\\n')\nsys.exit(2)\n")
    said = failed_plainly(run)
    assert "failed (exit 2): gpg: decryption failed" in said
    monkeypatch.setenv("FOLLOWUP_CALDAV_PASSWORD_COMMAND", "no-such-password-program-here show dav")
    assert "was not found" in failed_plainly(run)


def test_settings_from_the_file_and_the_environment_wins(
    run: Run, phone: Phone, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, user = os.environ["FOLLOWUP_CALDAV_URL"], os.environ["FOLLOWUP_CALDAV_USER"]
    home.mkdir(parents=True, exist_ok=True)
    (home / "sync.toml").write_text(f'url = "{url}"\nuser = "{user}"\nlist = "Job hunt"\n')
    monkeypatch.delenv("FOLLOWUP_CALDAV_URL")
    monkeypatch.delenv("FOLLOWUP_CALDAV_USER")
    add_interview(run, "Acme", "--at", "2026-11-27 10:00")
    assert sync(run)["sent"]["new"] > 0  # type: ignore[index]
    phone.list_name = "Job hunt"
    assert phone.todos()

    monkeypatch.setenv("FOLLOWUP_CALDAV_URL", "http://127.0.0.1:9/")  # the environment wins over the file
    assert "on another server" in failed_plainly(run)
    assert "cannot reach the CalDAV server at http://127.0.0.1:9/" in failed_plainly(run, "--recreate")


def test_another_list_name_is_a_new_start_asked_for(run: Run, phone: Phone) -> None:
    acme = add_interview(run, "Acme", "--at", "2026-11-27 10:00")
    sync(run)
    assert "in the list 'followup', not 'Job hunt'" in failed_plainly(run, "--list", "Job hunt")
    assert sync(run, "--list", "Job hunt", "--recreate")["sent"]["new"] == len(steps_of(run, acme))  # type: ignore[index]
    phone.list_name = "Job hunt"
    assert len(phone.todos()) == len(steps_of(run, acme))
    assert not any(sync(run, "--list", "Job hunt")["sent"].values())  # type: ignore[union-attr]


def test_a_password_in_the_settings_file_is_refused(run: Run, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "sync.toml").write_text('url = "http://127.0.0.1:9/"\npassword = "secret"\n')
    said = failed_plainly(run)
    assert "never reads one from a file" in said and "secret" not in said


def test_setup_asks_and_writes_the_settings_without_a_password(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused = run("sync", "--setup")
    assert refused.exit_code == 2 and "terminal" in refused.stderr
    monkeypatch.setattr("followup.cli.sync.interactive", lambda: True)
    result = run("sync", "--setup", input="https://dav.example.com/\nana\npass show dav\n\n")
    assert result.exit_code == 0, result.output
    written = home / "sync.toml"
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    import tomllib

    assert tomllib.loads(written.read_text()) == {
        "url": "https://dav.example.com/",
        "user": "ana",
        "password_command": "pass show dav",
        "list": "followup",
    }
    again = run("sync", "--setup", input="\n\n\nJob hunt\n")  # the answers kept are the defaults
    assert again.exit_code == 0, again.output
    assert tomllib.loads(written.read_text())["list"] == "Job hunt"
    assert tomllib.loads(written.read_text())["url"] == "https://dav.example.com/"


def test_a_wrong_password_fails_plainly(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "guarded"
    folder.mkdir()
    with radicale(folder, users={"ana": "right"}) as url:
        monkeypatch.setenv("FOLLOWUP_CALDAV_URL", url)
        monkeypatch.setenv("FOLLOWUP_CALDAV_USER", "ana")
        monkeypatch.setenv("FOLLOWUP_CALDAV_PASSWORD", "wrong")
        add_interview(run, "Acme", "--at", "2026-11-27 10:00")
        assert "refused the user name or password" in failed_plainly(run)
        monkeypatch.setenv("FOLLOWUP_CALDAV_PASSWORD", "right")
        assert sync(run)["sent"]["new"] > 0  # type: ignore[index]


def test_an_answer_that_is_not_caldav_fails_plainly(
    run: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # its log would mix with followup's stderr
            pass

    (tmp_path / "index.html").write_text("<html>a plain web site</html>")
    handler = functools.partial(Quiet, directory=str(tmp_path))
    web = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=web.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv("FOLLOWUP_CALDAV_URL", f"http://127.0.0.1:{web.server_address[1]}/")
        add_interview(run, "Acme", "--at", "2026-11-27 10:00")
        before = (home / "followup.json").read_bytes()
        assert "did not answer as a CalDAV server" in failed_plainly(run)
        assert (home / "followup.json").read_bytes() == before
        assert not (home / "caldav-sync.json").exists()
    finally:
        web.shutdown()
        web.server_close()
        thread.join()


def test_without_the_caldav_library_sync_says_how_to_install_it(
    run: Run, phone: Phone, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [n for n in sys.modules if n == "caldav" or n.startswith(("caldav.", "followup.sync"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "caldav", None)  # import caldav now fails, as when it is not installed
    assert "pip install 'followup[sync]'" in failed_plainly(run)


@pytest.mark.parametrize("argv", [["due"], [], ["show", "acme"], ["done", "acme", "1"], ["list"]], ids=repr)
def test_other_commands_never_load_the_sync(run: Run, home: Path, argv: list[str]) -> None:
    add_interview(run, "Acme", "--at", "2026-11-27 10:00")
    _, status, modules = loaded_by(argv, home)
    assert status in (0, None)
    loaded = [m for m in modules if m.startswith(("followup.sync", "followup.cli.sync", "caldav", "niquests"))]
    assert loaded == []


def test_a_store_that_cannot_be_saved_leaves_the_sync_state_behind_it(
    run: Run, phone: Phone, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from followup.errors import StoreError
    from followup.store.core import Store

    acme = add_interview(run, "Acme", "--at", "2026-11-27 10:00")
    first = next(iter(steps_of(run, acme)))
    sync(run)
    state = (home / "caldav-sync.json").read_bytes()
    phone.edit(f"{acme}.{first}@followup", lambda t: t.update({"status": "COMPLETED"}))

    def full_disk(self: Store, *args: object) -> None:
        raise StoreError("could not save the store: No space left on device; nothing changed")

    with monkeypatch.context() as patch:
        patch.setattr(Store, "_save", full_disk)
        assert "No space left" in failed_plainly(run)
    assert (home / "caldav-sync.json").read_bytes() == state  # else the next sync would take the tick back
    assert sync(run)["received"]["done"] == 1  # type: ignore[index]
    assert steps_of(run, acme)[first]["status"] == "done"
    assert str(phone.todos()[f"{acme}.{first}@followup"]["status"]) == "COMPLETED"


def test_a_due_time_the_store_refuses_is_sent_back_not_taken(run: Run, phone: Phone) -> None:
    acme = add_interview(run, "Acme", "--at", "2026-11-27 10:00")
    first = next(iter(steps_of(run, acme)))
    due = steps_of(run, acme)[first]["due"]
    sync(run)

    def far(todo: object) -> None:
        todo.pop("due")  # type: ignore[attr-defined]
        todo.add("due", datetime(9999, 12, 30, 12, 0, tzinfo=UTC))  # type: ignore[attr-defined]

    phone.edit(f"{acme}.{first}@followup", far)
    result = run("sync", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["received"]["moved"] == 0  # not taken, so not counted
    assert steps_of(run, acme)[first]["due"] == due
    sync(run)
    assert phone.todos()[f"{acme}.{first}@followup"]["due"].dt == datetime.fromisoformat(str(due))
    assert not any(sync(run)["sent"].values())  # type: ignore[union-attr]
    assert "sync" not in run("undo").stderr  # no sync made a change: the last one is the `new`


def test_on_a_file_system_without_flock_the_lock_files_left_behind_do_not_block(
    run: Run, phone: Phone, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A home first used where flock works keeps `caldav-sync.lock` and `followup.lock`:
    where flock is missing, both locks are markers beside them (see store.lock)."""
    acme = add_interview(run, "Acme", "--at", "2026-11-27 10:00")
    sync(run)
    assert (home / "caldav-sync.lock").exists() and (home / "followup.lock").exists()
    without_flock(monkeypatch)
    monkeypatch.setenv("FOLLOWUP_LOCK_TIMEOUT", "1")
    first = next(iter(steps_of(run, acme)))
    phone.edit(f"{acme}.{first}@followup", lambda t: t.update({"status": "COMPLETED"}))
    assert sync(run)["received"] == {"done": 1, "reopened": 0, "moved": 0, "skipped": 0}
    assert steps_of(run, acme)[first]["status"] == "done"
    assert not list(home.glob("*.held"))
