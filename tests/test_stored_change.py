"""`done`, `skip` and `undo ID STEP` change the interview's file as it is, without
pydantic's models (`followup.store.stored_change`), where the validating way
would make the very same change: both leave the same bytes in every file. Where
they would not (a file edited by hand, no index, text the models refuse, a
file or history the change would have to validate), the change is made the
validating way, which says what is wrong."""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup import actions, checklists, journal
from followup.constants import Status
from followup.errors import FollowupError
from followup.ids import matching
from followup.status import find_steps
from followup.store import stored_change
from followup.store.core import Store
from followup.store.index import read_index
from helpers import Run, add_interview, loaded_by, ticked

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 11, 20, 10, 0, tzinfo=BERLIN)
COMPANIES = ["Acme", "Globex", "Initech"]


def make_store(home: Path, closed: bool) -> list[str]:
    """Three open interviews, each saved by a change of its own, and one closed (a history file)."""
    checklist = checklists.load(checklists.locate("post-interview", home / "checklists"))
    ids = []
    for n, company in enumerate([*COMPANIES, *(["Umbrella"] if closed else [])]):
        at = START + timedelta(days=n)
        with Store(home).change() as document:
            interview = actions.plan(
                checklist,
                company=company,
                role="Analyst",
                interviewers=["Ana López", "Bo Chen"][: 1 + n % 2],
                at=at,
                zone_name="Europe/Berlin",
                flags={},
                decision_by=at + timedelta(days=10),
                notes=None,
                now=at,
            )
            actions.add(document, interview, at)
            ids.append(interview.id)
    if closed:
        with Store(home).change() as document:
            actions.close(document, actions.find_interview(document, ids[-1]), "offer", START + timedelta(days=5))
    return ids[: len(COMPANIES)]


def validating(home: Path, ref: str, steps: list[str], status: Status, now: datetime, **given: Any) -> str:
    """The change as `followup done` made it before: through the models."""
    with Store(home).change() as document:
        interview = actions.find_interview(document, ref)
        return actions.set_status(document, interview, find_steps(interview, steps), status, now, **given)


def files_of(home: Path) -> dict[str, bytes]:
    """Every file of the store, the index with the stat of each file left out
    (two stores made alike differ in inodes and times, not in what they hold)."""
    found = {}
    for path in sorted(home.rglob("*")):
        if path.is_file() and path.name not in ("followup.lock", "pending.json"):
            found[str(path.relative_to(home))] = path.read_bytes()
    index = (home / "pending.json").read_bytes().split(b"\n")
    header = json.loads(index[0])
    found["pending.json header"] = json.dumps([header["digest"], header["interviews"], header["due"]]).encode()
    rows = [json.loads(line) for line in index[1:] if line]
    found["pending.json lines"] = json.dumps([row[:-1] if len(row) == 8 else row for row in rows]).encode()
    return found


def outcome(change: Any, *args: Any, **given: Any) -> tuple[str, Any]:
    try:
        return "ok", change(*args, **given)
    except FollowupError as exc:
        return type(exc).__name__, f"{exc.message} / {exc.hint}"


STATUS_CHANGES = st.tuples(
    st.integers(0, len(COMPANIES) - 1),
    st.lists(st.sampled_from(["1", "2", "4", "8", "thank", "mail-letter", "write", "nope"]), min_size=1, max_size=3),
    st.sampled_from(["done", "skipped", "pending"]),
    st.one_of(st.none(), st.integers(-6 * 24 * 60, 60)),  # --at, minutes from now (after it is refused)
    st.one_of(st.none(), st.sampled_from(["posted at the station", "", "naïve ☃ note", "line\nbreak"])),
    st.one_of(st.none(), st.sampled_from(["met only the recruiter", "x"])),
)
EDITS = st.tuples(
    st.just("edit"),
    st.integers(0, len(COMPANIES) - 1),
    st.dictionaries(
        st.sampled_from(["company", "role", "notes"]),
        st.one_of(st.none(), st.sampled_from(["Acme & Söhne", "Lead analyst", "We talked\nabout ☃", "x"])),
        min_size=1,
    ).map(lambda changes: {k: v for k, v in changes.items() if v is not None or k == "notes"}),
)
CLOSES = st.tuples(st.just("close"), st.integers(0, len(COMPANIES) - 1), st.sampled_from(["offer", "rejected"]))
CHANGES = st.one_of(STATUS_CHANGES, st.just("undo"), EDITS, CLOSES)


def close_validating(home: Path, ref: str, outcome: str, now: datetime) -> str:
    """`followup close` as it was made before: through the models."""
    with Store(home).change() as document:
        return actions.close(document, actions.find_interview(document, ref), outcome, now)  # type: ignore[arg-type]


def edit_validating(home: Path, ref: str, changes: dict[str, Any], now: datetime) -> str:
    """`followup edit` of text fields as it was made before: through the models."""
    with Store(home).change() as document:
        return actions.edit(document, actions.find_interview(document, ref), changes, now)  # type: ignore[arg-type]


def undo_validating(home: Path) -> tuple[str, str]:
    """Plain `followup undo` as it was made before: through the models."""
    with Store(home).change() as document:
        return journal.undo_last(document)


def names_one_open_interview(home: Path, ref: str) -> bool:
    root = json.loads((home / "followup.json").read_bytes())
    matches = matching(ref, [*root["files"], *((root.get("history") or {}).get("ids") or [])])
    return len(matches) == 1 and matches[0] in root["files"]


def history_file(home: Path) -> str | None:
    return (json.loads((home / "followup.json").read_bytes()).get("history") or {}).get("file")


def last_change_of_one_open_interview(home: Path) -> bool:
    """Whether plain `undo` would put back one open interview: what it changes on the file as it is."""
    root = json.loads((home / "followup.json").read_bytes())
    before = (root.get("journal") or [{"before": []}])[-1]["before"]
    return len(before) == 1 and before[0]["place"] == "open" and before[0]["id"] in root["files"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    changes=st.lists(CHANGES, min_size=1, max_size=8),
    closed=st.booleans(),
    clock=st.sampled_from([BERLIN, UTC, timezone(timedelta(hours=-5))]),
    micro=st.integers(0, 999_999),
)
def test_a_change_on_the_file_leaves_the_bytes_the_validating_way_leaves(
    changes: list[Any],
    closed: bool,
    clock: Any,
    micro: int,
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        quick, slow = Path(folder, "quick"), Path(folder, "slow")
        ids = make_store(quick, closed)
        assert make_store(slow, closed) == ids
        assert files_of(quick) == files_of(slow)
        now = datetime(2026, 11, 28, 15, 0, 0, micro, tzinfo=BERLIN).astimezone(clock)
        # Whether a change has read the history file through since the last change that wrote it
        # (the close, or an undo of it): till then, the backup names another history file, which
        # the next save deletes, so the validating way reads the history file through once.
        read_through = not closed
        for number, change in enumerate(changes):
            now += timedelta(minutes=number)
            ticked(quick)
            assert read_index(quick) is not None
            history = history_file(quick)
            said: tuple[str, Any]
            if isinstance(change, str):  # plain undo
                expected = read_through and last_change_of_one_open_interview(quick)
                said = outcome(stored_change.undo_last, quick, 1.0)
                if said[1] is None:  # as `followup undo` then does
                    assert not expected, "undone the validating way, where the file could be changed as it is"
                    said = outcome(undo_validating, quick)
                else:
                    assert expected, said
                assert said == outcome(undo_validating, slow)
            elif change[0] == "close":
                _, which, result = change
                said = outcome(stored_change.close, quick, 1.0, ids[which], result, now)
                if said[1] is None:
                    assert not (read_through and names_one_open_interview(quick, ids[which]))
                    said = outcome(close_validating, quick, ids[which], result, now)
                assert said == outcome(close_validating, slow, ids[which], result, now)
            elif change[0] == "edit":
                _, which, edits = change
                if not edits:
                    continue
                said = outcome(stored_change.edit_text, quick, 1.0, ids[which], edits, now)
                if said[1] is None:
                    assert not (read_through and names_one_open_interview(quick, ids[which]))
                    said = outcome(edit_validating, quick, ids[which], edits, now)
                assert said == outcome(edit_validating, slow, ids[which], edits, now)
            else:
                which, steps, status, minutes, note, reason = change
                given: dict[str, Any] = {}
                if status == "done":
                    given |= {"at": None if minutes is None else now + timedelta(minutes=minutes), "note": note}
                if status == "skipped":
                    given["reason"] = reason
                ref = ids[which][: 3 + number % 5]  # the whole id, or the start of it
                said = outcome(stored_change.change_status, quick, 1.0, ref, steps, status, now, **given)
                if said[1] is None:  # as `followup done` then does
                    assert not (read_through and names_one_open_interview(quick, ref)), (
                        "made the validating way, where the file could be changed as it is"
                    )
                    said = outcome(validating, quick, ref, steps, status, now, **given)
                assert said == outcome(validating, slow, ref, steps, status, now, **given)
            if said[0] == "ok" and "nothing changed" not in str(said[1]):
                read_through = history_file(quick) == history
            assert files_of(quick) == files_of(slow)


def test_done_skip_undo_edit_and_close_build_no_model(run: Run, home: Path) -> None:
    acme, beta = add_interview(run, "Acme"), add_interview(run, "Beta")
    for argv in (
        ["done", acme, "1", "--note", "said thanks"],
        ["skip", acme, "2"],
        ["undo", acme, "1"],
        ["undo"],
        ["edit", acme, "--note", "Ask about the team", "--role", "Lead"],
        ["close", beta, "--outcome", "rejected"],
    ):
        ticked(home)
        out, status, modules = loaded_by(argv, home)
        assert status in (0, None), out
        assert "pydantic.main" not in modules, argv
        assert "followup.models" not in modules, argv
    shown = json.loads(run("show", acme, "--json").stdout)
    assert [step["status"] for step in shown["steps"][:2]] == ["done", "skipped"]  # `undo` undid `undo acme 1`
    assert (shown["notes"], shown["role"]) == ("Ask about the team", "Lead")
    assert json.loads(run("show", beta, "--json").stdout)["outcome"] == "rejected"
    assert "no problems found" in run("doctor").stdout


def by_hand(home: Path, interview_id: str, change: dict[str, Any]) -> None:
    name = json.loads((home / "followup.json").read_bytes())["files"][interview_id]
    path = home / "interviews" / name
    data = json.loads(path.read_bytes())
    data["interview"].update(change)
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def unchanged(home: Path) -> dict[str, bytes]:
    return {str(p.relative_to(home)): p.read_bytes() for p in sorted(home.rglob("*")) if p.is_file()}


def test_a_file_edited_by_hand_is_changed_the_validating_way(run: Run, home: Path) -> None:
    acme = add_interview(run, "Acme")
    by_hand(home, acme, {"company": "Acme Corp"})  # valid, but not as followup wrote it
    before = unchanged(home)
    assert stored_change.change_status(home, 1.0, acme, ["1"], "done", datetime.now(BERLIN)) is None
    assert unchanged(home) == before
    result = run("done", acme, "1")
    assert result.exit_code == 0, result.output
    assert run("show", acme, "--json").stdout.count('"done"') == 1


def test_a_damaged_file_is_reported_as_the_validating_way_reports_it(run: Run, home: Path) -> None:
    acme = add_interview(run, "Acme")
    by_hand(home, acme, {"at": "3000-01-01T10:00:00+01:00"})
    before = unchanged(home)
    result = run("done", acme, "1")
    assert result.exit_code == 1
    assert "the year 3000" in result.stderr
    assert unchanged(home) == before


@pytest.mark.parametrize(
    ("command", "option", "text"),
    [
        ("done", "--note", "a\x1b[2Jb"),
        ("skip", "--reason", "x\x07"),
        ("edit", "--note", "\x1b]0;x"),
        ("edit", "--company", "A\x00"),
    ],
)
def test_text_the_models_refuse_is_refused_as_they_refuse_it(
    run: Run, home: Path, command: str, option: str, text: str
) -> None:
    acme = add_interview(run, "Acme")
    before = unchanged(home)
    result = run(command, acme, *(["1"] if command != "edit" else []), option, text)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"error: {option}: holds the control character"), result.stderr
    assert unchanged(home) == before


def test_without_an_index_the_change_is_made_the_validating_way(run: Run, home: Path) -> None:
    acme = add_interview(run, "Acme")
    (home / "pending.json").unlink()
    assert stored_change.change_status(home, 1.0, acme, ["1"], "done", datetime.now(BERLIN)) is None
    assert run("done", acme, "1").exit_code == 0
    assert read_index(home) is not None  # written again by the change
    ticked(home)
    assert stored_change.change_status(home, 1.0, acme, ["2"], "done", datetime.now(BERLIN)) is not None


def test_a_file_the_backup_would_lose_is_validated_first(run: Run, home: Path) -> None:
    """The last change replaced Globex's file: the backup names its older version,
    which this change's save deletes, so Globex's file must be read first."""
    acme, globex = add_interview(run, "Acme"), add_interview(run, "Globex")
    assert run("done", globex, "1").exit_code == 0
    by_hand(home, globex, {"company": "Globex\x1b[2J"})  # damaged after it was written
    before = unchanged(home)
    assert stored_change.change_status(home, 1.0, acme, ["1"], "done", datetime.now(BERLIN)) is None
    result = run("done", acme, "1")
    assert result.exit_code == 1
    assert "U+001B" in result.stderr
    assert unchanged(home) == before


def test_a_history_file_replaced_since_is_read_the_validating_way(run: Run, home: Path) -> None:
    acme, beta = add_interview(run, "Acme"), add_interview(run, "Beta")
    assert run("close", beta, "--outcome", "offer").exit_code == 0
    assert run("done", acme, "1").exit_code == 0
    history = home / json.loads((home / "followup.json").read_bytes())["history"]["file"]
    history.write_bytes(b"{}")
    before = unchanged(home)
    assert stored_change.change_status(home, 1.0, acme, ["2"], "done", datetime.now(BERLIN)) is None
    result = run("done", acme, "2")
    assert result.exit_code == 1
    assert "history" in result.stderr
    assert unchanged(home) == before


def test_an_old_format_is_migrated_the_validating_way(run: Run, home: Path) -> None:
    acme = add_interview(run, "Acme")
    root = json.loads((home / "followup.json").read_bytes())
    root["version"] = 2
    (home / "followup.json").write_text(json.dumps(root, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert stored_change.change_status(home, 1.0, acme, ["1"], "done", datetime.now(BERLIN)) is None
    assert run("done", acme, "1").exit_code == 0
    assert (home / "followup.json.v2.bak").is_file()


def test_unknown_steps_and_ids_say_what_the_validating_way_says(run: Run, home: Path) -> None:
    acme = add_interview(run, "Acme")
    add_interview(run, "Acorn")
    quick = run("done", acme, "nope")
    assert quick.exit_code == 1 and f"{acme} has no step 'nope'" in quick.stderr, quick.stderr
    several = run("done", "ac", "1")
    assert several.exit_code == 1 and "matches several interviews" in several.stderr
    future = run("done", acme, "1", "--at", "tomorrow 10:00")
    assert future.exit_code == 2 and "cannot be done in the future" in future.stderr


def test_a_store_locked_by_another_command_is_not_changed(run: Run, home: Path) -> None:
    from filelock import FileLock

    acme = add_interview(run, "Acme")
    before = unchanged(home)
    with FileLock(str(home / "followup.lock")):
        result = run("done", acme, "1", env={"FOLLOWUP_LOCK_TIMEOUT": "0.2"})
    assert result.exit_code == 1
    assert "locked by another followup command" in result.stderr
    assert {k: v for k, v in unchanged(home).items() if k != "followup.lock"} == {
        k: v for k, v in before.items() if k != "followup.lock"
    }
    assert os.path.exists(home / "followup.lock")


def test_what_is_written_as_it_is_has_the_keys_a_model_dumps(run: Run, home: Path) -> None:
    from followup.models import Interview, Step
    from followup.store import stored

    assert set(Interview.model_fields) == stored.INTERVIEW_KEYS
    assert set(Step.model_fields) == stored.STEP_KEYS
    plain_one = add_interview(run, "Acme")
    full = add_interview(run, "Globex", "-i", "Ana López <ana@globex.example>", "--decision-by", "2026-12-08")
    assert (
        run("edit", full, "--address", "Globex\nMain St 1", "--note-for", "Ana López=Ask about the team").exit_code == 0
    )
    for key in (plain_one, full):
        dumped = Store(home).read().open[key].model_dump(mode="json")
        assert stored.as_dumped(dumped), key
        assert not stored.as_dumped({**dumped, "address": None})  # a model leaves it out
        assert not stored.as_dumped({**dumped, "steps": [{**dumped["steps"][0], "after_decision": None}]})
        assert not stored.as_dumped({**dumped, "steps": [{k: v for k, v in dumped["steps"][0].items() if k != "why"}]})
    dumped = Store(home).read().open[full].model_dump(mode="json")
    assert dumped["contacts"] and dumped["address"] and dumped["interviewer_notes"]
    assert not stored.as_dumped({**dumped, "contacts": [{"name": "Ana López", "email": None, "title": None}]})


def test_a_backup_of_an_older_format_is_left_to_the_validating_way(run: Run, home: Path) -> None:
    acme = add_interview(run, "Acme")
    assert run("done", acme, "1").exit_code == 0
    backup = json.loads((home / "followup.json.bak").read_bytes())
    backup["version"] = 2
    (home / "followup.json.bak").write_text(json.dumps(backup, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert stored_change.change_status(home, 1.0, acme, ["2"], "done", datetime.now(BERLIN)) is None
    assert run("done", acme, "2").exit_code == 0


@pytest.mark.parametrize(
    "damage",
    [
        "same step ids",
        "done without done_at",
        "closed_at while open",
        "a contact who is no interviewer",
        "a week date",
    ],
)
def test_undo_of_a_journal_copy_the_models_refuse_is_refused_as_they_refuse_it(
    run: Run, home: Path, damage: str
) -> None:
    """The journal's copies are validated only when undone: a hand-edited one that a
    validating change carried on (writing an index that vouches for the root) is still refused."""
    acme = add_interview(run, "Acme", "-i", "Ana López")
    assert run("done", acme, "1").exit_code == 0
    root = json.loads((home / "followup.json").read_bytes())
    copy = root["journal"][-1]["before"][0]["interview"]
    if damage == "same step ids":
        copy["steps"][1]["id"] = copy["steps"][0]["id"]
    elif damage == "done without done_at":
        copy["steps"][0].update(status="done", done_at=None)
    elif damage == "closed_at while open":
        copy["closed_at"] = copy["at"]
    elif damage == "a contact who is no interviewer":
        copy["contacts"] = [{"name": "Zed", "email": "zed@acme.example", "title": None}]
    else:
        copy["at"] = "2026-W48-5T10:00:00+01:00"
    (home / "followup.json").write_text(json.dumps(root, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert run("done", acme, "3").exit_code == 0  # the validating way, which carries the journal on
    assert run("undo").exit_code == 0  # undoes that `done` (its copy is intact)
    ticked(home)
    before = unchanged(home)
    assert stored_change.undo_last(home, 1.0) is None
    result = run("undo")
    assert result.exit_code == 1, result.output
    assert "the undo journal in the store is damaged" in result.stderr
    assert unchanged(home) == before
    assert "no problems found" in run("doctor").stdout


def test_a_time_pydantic_would_write_another_way_is_changed_the_validating_way(
    run: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Accra's local mean time was 52 seconds behind UTC: pydantic writes that offset as
    -00:00 (without its seconds) and reads it back as UTC, which it writes as Z."""
    monkeypatch.setenv("TZ", "Africa/Accra")
    twin = tmp_path / "twin"
    for where in (home, twin):
        monkeypatch.setenv("FOLLOWUP_HOME", str(where))
        acme = add_interview(run, "Acme", at="1910-06-01 10:00")
        assert b"-00:00" in unchanged(where)[f"interviews/{acme}.1.json"]
    monkeypatch.setenv("FOLLOWUP_HOME", str(home))
    ticked(home)
    assert stored_change.change_status(home, 1.0, acme, ["1"], "done", datetime.now(BERLIN)) is None
    assert run("done", acme, "1").exit_code == 0
    monkeypatch.setenv("FOLLOWUP_HOME", str(twin))
    assert run("done", acme, "1", "--json").exit_code == 0
    assert unchanged(home)[f"interviews/{acme}.2.json"] == unchanged(twin)[f"interviews/{acme}.2.json"]
