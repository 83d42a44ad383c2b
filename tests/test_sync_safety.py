"""`followup sync` when things happen at the same time or go wrong, on the real store,
against a real Radicale: another command changing the store while the sync is on the
network, a sync killed at each point of its work, a TLS error, the server down and
back, the list gone."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("caldav")
pytest.importorskip("radicale")

from helpers import NOW, Run, add_interview, environment, followup_argv, steps_of
from radicale_server import free_port, radicale, self_signed
from sync_fakes import Phone

_users = itertools.count()
pytestmark = pytest.mark.usefixtures("no_outer_settings")
PHONE_TICK = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)


def use_server(url: str, monkeypatch: pytest.MonkeyPatch, verify: str | bool = True) -> Phone:
    """A user of its own on the server at `url`, set in the environment, and their phone."""
    user = f"safe{next(_users)}"
    monkeypatch.setenv("FOLLOWUP_CALDAV_URL", url)
    monkeypatch.setenv("FOLLOWUP_CALDAV_USER", user)
    monkeypatch.setenv("FOLLOWUP_CALDAV_PASSWORD", "x")
    phone = Phone(url)
    phone.client = type(phone.client)(url=url, username=user, password="x", ssl_verify_cert=verify)
    return phone


@pytest.fixture
def phone(server: str, monkeypatch: pytest.MonkeyPatch) -> Phone:
    return use_server(server, monkeypatch)


def sync(run: Run, *args: str) -> dict[str, Any]:
    result = run("sync", "--json", *args)
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def failed_plainly(run: Run, *args: str) -> str:
    result = run("sync", *args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert 1 <= len(result.stderr.strip().splitlines()) <= 2, result.stderr
    return result.stderr


def tick(when: datetime = PHONE_TICK) -> Any:
    return lambda todo: (todo.update({"status": "COMPLETED"}), todo.add("completed", when))


def move(due: datetime) -> Any:
    return lambda todo: (todo.pop("due"), todo.add("due", due))


def snapshot(home: Path, phone: Phone) -> tuple[bytes, bytes | None, dict[str, bytes]]:
    """Both sides as bytes: the store's root, the sync state, every to-do on the server."""
    state = home / "caldav-sync.json"
    todos = {uid: todo.to_ical() for uid, todo in phone.todos().items()}
    return (home / "followup.json").read_bytes(), state.read_bytes() if state.exists() else None, todos


# -- another command while the sync is on the network ---------------------------------


def test_the_stores_lock_is_free_during_every_request(
    run: Run, phone: Phone, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from caldav.davclient import DAVClient
    from filelock import FileLock, Timeout

    acme = add_interview(run, "Acme", "--at", "2026-11-27 10:00")
    first, second, *_ = steps_of(run, acme)
    locked: list[str] = []
    asked: list[str] = []
    inner = DAVClient.request

    def probe(self: Any, url: str, method: str = "GET", *args: Any, **kwargs: Any) -> Any:
        asked.append(method)
        lock = FileLock(str(home / "followup.lock"), timeout=0)
        try:
            lock.acquire()
        except Timeout:
            locked.append(f"{method} {url}")
        else:
            lock.release()
        return inner(self, url, method, *args, **kwargs)

    monkeypatch.setattr(DAVClient, "request", probe)
    sync(run)  # the first: the list made, every step sent
    phone.edit(f"{acme}.{first}@followup", tick())
    assert run("done", acme, second).exit_code == 0
    summary = sync(run)  # a tick received and a step sent: the store changed while the server was asked
    assert summary["received"]["done"] == 1 and summary["sent"]["changed"] >= 1
    assert {"PUT", "REPORT"} <= set(asked)
    assert locked == []


def test_a_done_in_another_terminal_while_the_sync_is_on_the_network(
    run: Run, phone: Phone, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the sync's read and its writes, `followup done` runs as a process of its own,
    with a lock timeout of a second: it neither waits for the sync nor is lost or overwritten."""
    from followup.sync.remote import Remote

    acme = add_interview(run, "Acme", "--at", "2026-11-27 10:00")
    ticked, moved, both_ticked, untouched, deleted = steps_of(run, acme)
    sync(run)
    uid = f"{acme}.{{}}@followup".format
    phone_due = datetime(2026, 12, 9, 17, 0, tzinfo=UTC)
    phone.edit(uid(ticked), tick())
    phone.edit(uid(moved), move(phone_due))
    phone.edit(uid(both_ticked), tick())
    phone.delete(uid(deleted))
    others: list[subprocess.CompletedProcess[str]] = []
    read = Remote.read

    def meanwhile(self: Remote, hrefs: list[str]) -> dict[str, tuple[str | None, bytes]]:
        found = read(self, hrefs)  # the sync has read both sides and written nothing yet
        for step in (moved, both_ticked, untouched, deleted):
            others.append(
                subprocess.run(
                    [*followup_argv(), "done", acme, step],
                    env=environment(home, FOLLOWUP_LOCK_TIMEOUT="1"),
                    capture_output=True,
                    text=True,
                    timeout=120,
                    check=False,
                )
            )
        return found

    with monkeypatch.context() as patch:
        patch.setattr(Remote, "read", meanwhile)
        summary = sync(run)
    assert [other.returncode for other in others] == [0, 0, 0, 0], [other.stderr for other in others]
    # What was made of what the phone sent: the deletion (a skip) lost to the done made here.
    assert summary["received"] == {"done": 2, "reopened": 0, "moved": 1, "skipped": 0}

    now = datetime.fromisoformat(NOW)
    shown = steps_of(run, acme)
    assert shown[ticked]["status"] == "done"
    assert shown[moved]["status"] == "done"  # done here meanwhile: kept
    assert datetime.fromisoformat(shown[moved]["due"]) == phone_due  # moved on the phone: kept
    assert shown[both_ticked]["status"] == "done"  # done on both sides: the earlier time wins
    assert datetime.fromisoformat(shown[both_ticked]["done_at"]) == PHONE_TICK
    assert shown[untouched]["status"] == "done"
    assert datetime.fromisoformat(shown[untouched]["done_at"]) == now
    assert shown[deleted]["status"] == "done"  # deleted on the phone, done here meanwhile: done wins

    again = sync(run)  # the local changes made meanwhile reach the phone
    assert again["received"] == {"done": 0, "reopened": 0, "moved": 0, "skipped": 0}
    assert again["sent"] == {"new": 1, "changed": 2, "removed": 0}  # the deleted one is sent again
    todos = phone.todos()
    assert str(todos[uid(moved)]["status"]) == "COMPLETED"
    assert todos[uid(moved)]["due"].dt == phone_due
    assert str(todos[uid(untouched)]["status"]) == "COMPLETED"
    assert str(todos[uid(deleted)]["status"]) == "COMPLETED"
    assert todos[uid(both_ticked)]["completed"].dt == PHONE_TICK
    assert not any(sync(run)["sent"].values())
    assert steps_of(run, acme) == shown


def test_an_interview_closed_while_the_sync_is_on_the_network(
    run: Run, phone: Phone, monkeypatch: pytest.MonkeyPatch
) -> None:
    from followup.sync.remote import Remote

    acme = add_interview(run, "Acme", "--at", "2026-11-27 10:00")
    beta = add_interview(run, "Beta", "--at", "2026-11-26 14:00")
    first = next(iter(steps_of(run, acme)))
    sync(run)
    phone.edit(f"{acme}.{first}@followup", tick())
    read = Remote.read

    def meanwhile(self: Remote, hrefs: list[str]) -> dict[str, tuple[str | None, bytes]]:
        found = read(self, hrefs)
        assert run("close", acme, "--outcome", "rejected").exit_code == 0
        return found

    with monkeypatch.context() as patch:
        patch.setattr(Remote, "read", meanwhile)
        summary = sync(run)
    assert summary["received"]["done"] == 0  # the tick came for an interview closed meanwhile: not made
    shown = run("show", acme, "--json")
    assert shown.exit_code == 0 and json.loads(shown.stdout)["outcome"] == "rejected"
    removed = sync(run)["sent"]["removed"]
    assert removed == len(steps_of(run, acme)) - 1  # the ticked one stays on the phone as a record
    assert {u.split(".")[0] for u, t in phone.todos().items() if str(t["status"]) != "COMPLETED"} == {beta}


# -- a sync killed at each point of its work -------------------------------------------

_KILLER = """
import os, signal, sys
from followup.sync import remote, state, store_side

def kill(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

where = sys.argv[1]
if where == "upload":
    create = remote.Remote.create
    def killing_create(self, href, data):
        create(self, href, data)
        kill()
    remote.Remote.create = killing_create
elif where == "commit":
    store_side.StoreSide.commit = kill
else:
    state.save = kill
sys.argv = ["followup", "sync"]
from followup.cli import main
main()
"""


@pytest.mark.parametrize("where", ["upload", "commit", "state"])
def test_a_sync_killed_anywhere_loses_nothing_and_doubles_nothing(
    run: Run, phone: Phone, home: Path, where: str
) -> None:
    """Killed after its first upload, after all its uploads but before the store's commit,
    or after the store's commit but before the state's write: the next sync ends right."""
    acme = add_interview(run, "Acme", "--at", "2026-11-27 10:00")
    sync(run)
    first = next(iter(steps_of(run, acme)))
    phone.edit(f"{acme}.{first}@followup", tick())
    beta = add_interview(run, "Beta", "--at", "2026-11-26 14:00")
    state = (home / "caldav-sync.json").read_bytes()
    killed = subprocess.run(
        [sys.executable, "-c", _KILLER, where],
        env=environment(home),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert killed.returncode == -9, killed.stderr
    assert (home / "caldav-sync.json").read_bytes() == state
    assert steps_of(run, acme)[first]["status"] == ("done" if where == "state" else "pending")

    summary = sync(run)
    assert summary["received"]["done"] == (0 if where == "state" else 1)
    todos = phone.todos()  # fails on a duplicate UID
    everything = {f"{i}.{s}@followup" for i in (acme, beta) for s in steps_of(run, i)}
    assert set(todos) == everything
    assert steps_of(run, acme)[first]["status"] == "done"
    assert datetime.fromisoformat(steps_of(run, acme)[first]["done_at"]) == PHONE_TICK
    assert str(todos[f"{acme}.{first}@followup"]["status"]) == "COMPLETED"
    assert not any(sync(run)["sent"].values())


# -- the server unreachable, then back ---------------------------------------------------


def changes_on_both_sides(run: Run, phone: Phone) -> tuple[str, str, str]:
    """An interview synced, then a step ticked on the phone and another done here."""
    acme = add_interview(run, "Acme", "--at", "2026-11-27 10:00")
    first, second, *_ = steps_of(run, acme)
    assert sync(run)["sent"]["new"] == len(steps_of(run, acme))
    phone.edit(f"{acme}.{first}@followup", tick())
    assert run("done", acme, second).exit_code == 0
    return acme, first, second


def caught_up(run: Run, phone: Phone, acme: str, first: str, second: str) -> None:
    summary = sync(run)
    assert summary["received"]["done"] == 1 and summary["sent"]["changed"] >= 1
    assert steps_of(run, acme)[first]["status"] == "done"
    assert str(phone.todos()[f"{acme}.{second}@followup"]["status"]) == "COMPLETED"
    assert not any(sync(run)["sent"].values())


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl program to make a certificate")
def test_an_untrusted_certificate_fails_plainly_and_the_next_sync_catches_up(
    run: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server's certificate is trusted (REQUESTS_CA_BUNDLE names it) for the syncs that work,
    and not for the one between: the same server, the same URL, the same state."""
    folder = tmp_path / "tls"
    folder.mkdir()
    certificate, key = self_signed(folder)
    with radicale(folder, tls=(certificate, key)) as url:
        phone = use_server(url, monkeypatch, verify=str(certificate))
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certificate))
        acme, first, second = changes_on_both_sides(run, phone)
        before = snapshot(home, phone)
        monkeypatch.delenv("REQUESTS_CA_BUNDLE")
        said = failed_plainly(run)
        assert f"the CalDAV server at {url} showed a certificate that cannot be trusted" in said
        assert "self-signed" in said and "nothing changed" in said
        assert snapshot(home, phone) == before
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certificate))
        caught_up(run, phone, acme, first, second)


def test_https_to_a_server_without_tls_fails_plainly(
    run: Run, phone: Phone, home: Path, server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_interview(run, "Acme", "--at", "2026-11-27 10:00")
    before = (home / "followup.json").read_bytes()
    secure = server.replace("http://", "https://")
    monkeypatch.setenv("FOLLOWUP_CALDAV_URL", secure)
    said = failed_plainly(run)
    assert f"cannot talk securely with the CalDAV server at {secure} (TLS:" in said
    assert (home / "followup.json").read_bytes() == before
    assert not (home / "caldav-sync.json").exists()
    with pytest.raises(LookupError):
        phone.calendar  # noqa: B018 - nothing was made on the server
    monkeypatch.setenv("FOLLOWUP_CALDAV_URL", server)
    assert sync(run)["sent"]["new"] > 0


def test_the_server_down_then_back(run: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, port = tmp_path / "radicale", free_port()
    folder.mkdir()
    with radicale(folder, port) as url:
        phone = use_server(url, monkeypatch)
        acme, first, second = changes_on_both_sides(run, phone)
        before = snapshot(home, phone)
    said = failed_plainly(run)
    assert f"cannot reach the CalDAV server at {url}" in said
    with radicale(folder, port):
        assert snapshot(home, phone) == before
        caught_up(run, phone, acme, first, second)


# -- the list gone ---------------------------------------------------------------------


def test_a_list_deleted_on_the_server_stops_the_sync_until_recreate(run: Run, phone: Phone, home: Path) -> None:
    acme = add_interview(run, "Acme", "--at", "2026-11-27 10:00")
    sync(run)
    phone.calendar.delete()
    before = ((home / "followup.json").read_bytes(), (home / "caldav-sync.json").read_bytes())
    said = failed_plainly(run)
    assert "no longer on the server" in said and "--recreate" in said
    assert ((home / "followup.json").read_bytes(), (home / "caldav-sync.json").read_bytes()) == before
    assert all(step["status"] == "pending" for step in steps_of(run, acme).values())
    assert sync(run, "--recreate")["sent"]["new"] == len(steps_of(run, acme))
    assert len(phone.todos()) == len(steps_of(run, acme))
