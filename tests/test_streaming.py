"""Commands that go through every interview hold one model at a time and write
their output piece by piece (so that 10,000 open interviews stay well under
100 MiB): the output stays byte for byte what the whole list, made at once,
gave before."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from followup.escape import json_list, json_member, json_text
from followup.exports.backup import backup_text
from followup.exports.calendar import PRODID, _todo
from followup.exports.spreadsheet import csv_text
from followup.models import Interview
from followup.stats import compute
from followup.store import Store
from followup.views import interview_json
from helpers import NOW, Run, add_interview

HOSTILE = 'Ev\x9bil "Corp"\x7f, Ünïcode 東京 \\ / \u2028'

SAMPLES: list[Any] = [
    [],
    [{}],
    [[]],
    [1, "two", None, True, 2.5],
    [{"a": [1, {"b": []}], "c": {}}, {"text": HOSTILE, "line": "one\ntwo\r\tthree\x00"}],
    [{"nested": [[1, 2], [3, [4, {"deep": "x\x85y"}]]]}],
]


@pytest.mark.parametrize("items", SAMPLES, ids=range(len(SAMPLES)))
def test_a_list_made_item_by_item_is_the_list_made_at_once(items: list[Any]) -> None:
    assert "".join(json_list(json_member(item) for item in items)) + "\n" == json_text(items)
    inside = {"version": 1, "items": items}
    pieces = "".join(json_list((json_member(item, depth=2) for item in items), depth=2))
    assert '{\n  "version": 1,\n  "items": ' + pieces + "\n}\n" == json_text(inside)


@pytest.fixture
def filled(run: Run) -> None:
    """Open and closed interviews, out of start order, with text that JSON, CSV and iCalendar escape."""
    acme = add_interview(run, "Acme", "-i", "Ana López", "-i", "Bo Chen", "--note", "a\nb", at="2026-11-27 10:00")
    assert run("done", acme, "thank-interviewer", "shake-hands").exit_code == 0
    assert run("skip", acme, "greet-staff").exit_code == 0
    add_interview(run, HOSTILE, "-i", HOSTILE, "--flag", "video", at="2026-11-20 09:00")
    closed = add_interview(run, "Initech", "-i", "Cy", at="2026-11-25 09:00")
    assert run("close", closed, "--outcome", "offer").exit_code == 0
    add_interview(run, "Beta", at="2026-11-20 09:00")  # the same start as the hostile one: the id decides


def every(home: Path) -> list[Interview]:
    return Store(home).read().every()


def now() -> datetime:
    return datetime.fromisoformat(NOW)


def stdout_of(run: Run, *args: str) -> bytes:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


@pytest.mark.parametrize("closed", [False, True], ids=["list", "list --all"])
def test_list_json_is_the_json_of_the_whole_list(run: Run, home: Path, filled: None, closed: bool) -> None:
    interviews = [i for i in every(home) if closed or i.is_open]
    expected = json_text([interview_json(interview, now()) for interview in interviews])
    assert stdout_of(run, "list", "--json", *(["--all"] if closed else [])).decode() == expected
    assert len(json.loads(expected)) == (4 if closed else 3)


def test_list_json_of_an_empty_store(run: Run) -> None:
    assert stdout_of(run, "list", "--json") == b"[]\n"
    assert stdout_of(run, "list", "--all", "--json") == b"[]\n"


def test_export_json_is_the_backup_made_at_once(run: Run, home: Path, filled: None, tmp_path: Path) -> None:
    expected = backup_text(every(home), now()).encode("utf-8")
    assert stdout_of(run, "export") == expected
    out = tmp_path / "backup.json"
    stdout_of(run, "export", "--out", str(out))
    assert out.read_bytes() == expected


def test_export_json_of_an_empty_store(run: Run) -> None:
    assert stdout_of(run, "export") == backup_text([], now()).encode("utf-8")


def test_export_csv_is_the_spreadsheet_made_at_once(run: Run, home: Path, filled: None) -> None:
    assert stdout_of(run, "export", "--format", "csv") == csv_text(every(home)).encode("utf-8")


def test_export_ics_is_the_calendar_made_at_once(run: Run, home: Path, filled: None, tmp_path: Path) -> None:
    calendar = Calendar()  # as icalendar makes a whole calendar, every to-do in it
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "followup")
    for interview in every(home):
        if interview.is_open:
            for step in interview.steps:
                calendar.add_component(_todo(interview, step, now().astimezone(UTC)))
    expected = bytes(calendar.to_ical())
    assert stdout_of(run, "export", "--format", "ics") == expected
    out = tmp_path / "steps.ics"
    stdout_of(run, "export", "--format", "ics", "--out", str(out))
    assert out.read_bytes() == expected


def test_stats_are_those_of_the_whole_list(run: Run, home: Path, filled: None) -> None:
    later = "2026-12-05T10:00:00+01:00"  # letters overdue by then
    expected = compute(every(home), datetime.fromisoformat(later)).to_json()
    result = run("stats", "--json", env={"FOLLOWUP_NOW": later})
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == expected
    assert expected["letters"]["late"] > 0


def test_going_through_every_open_interview_keeps_none_of_their_models(run: Run, home: Path, filled: None) -> None:
    document = Store(home).read()
    ids = document.open.each(lambda interview: interview.id)
    assert ids == list(document.open)
    assert document.open.models == {}  # read one by one, and let go
    first = document.open[ids[0]]  # one asked for is kept, and stays
    assert document.open.each(lambda interview: interview)[0] is first
    assert list(document.open.models) == [ids[0]]
