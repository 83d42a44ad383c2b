"""`followup export --format csv`: one spreadsheet row per interview, as proof of the follow-up done."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from conftest import Run
from followup.exports.spreadsheet import csv_text, rows, safe_cell, step_columns
from followup.store import Store

HOSTILE = 'Acme, Inc. "R&D"\nsecond line; Ünïcødé 🎉'
POST_INTERVIEW = [
    "thank-interviewer",
    "shake-hands",
    "greet-staff",
    "write-letter",
    "mail-letter",
]


def ok(run: Run, *args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


def add(run: Run, *args: str) -> str:
    return str(json.loads(ok(run, "new", "--json", *args))["id"])


def exported(run: Run) -> str:
    """The CSV on stdout, byte for byte (CliRunner's `stdout` folds CRLF)."""
    result = run("export", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result.stdout_bytes.decode("utf-8")


def read(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return list(reader.fieldnames or []), list(reader)


@pytest.fixture
def ids(run: Run) -> dict[str, str]:
    """A panel with a letter done and one skipped, a video interview closed with an offer, a hostile name."""
    panel = add(
        run, "--company", "Acme", "--role", "Analyst", "-i", "Ana López", "-i", "Bo Li", "--at", "2026-11-26 10:00"
    )
    ok(run, "done", panel, "thank-interviewer", "--at", "2026-11-26 11:00")
    ok(run, "done", panel, "mail-letter-ana", "--at", "2026-11-27 09:15")
    ok(run, "done", panel, "mail-letter-bo", "--at", "2026-11-27 16:40")
    ok(run, "skip", panel, "greet-staff")
    video = add(
        run, "--company", "Globex", "--role", "Engineer", "-i", "Cy", "--at", "2026-11-20 14:00", "--flag", "video"
    )
    ok(run, "done", video, "email-letter", "--at", "2026-11-20 19:00")
    ok(run, "close", video, "--outcome", "offer")
    hostile = add(run, "--company", HOSTILE, "--role", 'Data "wizard", senior', "--at", "2026-11-28 09:00")
    return {"panel": panel, "video": video, "hostile": hostile}


def test_one_row_per_interview_open_and_closed(run: Run, ids: dict[str, str]) -> None:
    header, table = read(exported(run))
    assert header[:6] == ["id", "company", "role", "date", "interviewers", "outcome"]
    assert [row["id"] for row in table] == [ids["video"], ids["panel"], ids["hostile"]]  # by date
    by_id = {row["id"]: row for row in table}
    panel, video = by_id[ids["panel"]], by_id[ids["video"]]
    assert panel["company"] == "Acme"
    assert panel["date"] == "2026-11-26T10:00:00+01:00"
    assert panel["interviewers"] == "Ana López; Bo Li"
    assert panel["outcome"] == ""
    assert video["outcome"] == "offer"


def test_step_columns_hold_when_each_step_was_done(run: Run, ids: dict[str, str]) -> None:
    header, table = read(exported(run))
    # The steps of every checklist used, in checklist order: email-letter joins after the post-interview steps.
    assert header[6:] == [*POST_INTERVIEW, "email-letter"]
    by_id = {row["id"]: row for row in table}
    panel, video = by_id[ids["panel"]], by_id[ids["video"]]
    assert panel["thank-interviewer"] == "2026-11-26T11:00:00+01:00"
    assert panel["greet-staff"] == "skipped"
    assert panel["shake-hands"] == ""  # pending
    assert panel["write-letter"] == ""  # both copies pending
    assert panel["mail-letter"] == "2026-11-27T09:15:00+01:00; 2026-11-27T16:40:00+01:00"
    assert panel["email-letter"] == ""  # not in its plan
    assert video["email-letter"] == "2026-11-20T19:00:00+01:00"
    assert video["shake-hands"] == ""  # a video interview has none


def test_commas_quotes_and_newlines_survive(run: Run, ids: dict[str, str]) -> None:
    _, table = read(exported(run))
    hostile = next(row for row in table if row["id"] == ids["hostile"])
    assert hostile["company"] == HOSTILE
    assert hostile["role"] == 'Data "wizard", senior'
    assert len(table) == 3  # the newline inside a quoted cell did not start a row


def test_out_writes_utf8_with_crlf_line_ends(run: Run, ids: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "record.csv"
    result = run("export", "--format", "csv", "--out", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.strip() == f"exported 3 interviews to {target}"
    raw = target.read_bytes()
    assert raw.startswith(b"id,company,role,date,interviewers,outcome,thank-interviewer,")
    assert raw.endswith(b"\r\n")
    assert "Ana López".encode() in raw
    with target.open(encoding="utf-8", newline="") as handle:
        assert [row["id"] for row in csv.DictReader(handle)] == [ids["video"], ids["panel"], ids["hostile"]]


def test_an_empty_store_is_a_header(run: Run) -> None:
    result = run("export", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == b"id,company,role,date,interviewers,outcome\r\n"


def test_core_columns_follow_checklists_and_a_step_cannot_take_a_fixed_column(run: Run, home: Path) -> None:
    checklist = home.parent / "odd.yaml"
    checklist.write_text(
        "name: odd\ntitle: Odd\nsteps:\n"
        "  - {id: date, title: Fix a date, due: '+1d'}\n"
        "  - {id: thank-interviewer, title: Thank, due: '0'}\n",
        encoding="utf-8",
    )
    add(run, "--company", "Acme", "--role", "Analyst", "--at", "2026-11-26 10:00")
    odd = add(run, "--company", "Odd", "--role", "Analyst", "--at", "2026-11-27 10:00", "--checklist", str(checklist))
    ok(run, "done", odd, "date", "--at", "2026-11-28 09:00")
    interviews = Store(home).read().every()
    assert step_columns(interviews) == [*POST_INTERVIEW, "date"]  # a first step new to the columns goes last
    header, table = rows(interviews)
    assert header == ["id", "company", "role", "date", "interviewers", "outcome", *POST_INTERVIEW, "step date"]
    by_id: dict[str, dict[str, Any]] = {row["id"]: row for row in table}
    assert by_id[odd]["date"] == "2026-11-27T10:00:00+01:00"
    assert by_id[odd]["step date"] == "2026-11-28T09:00:00+01:00"
    parsed_header, parsed = read(csv_text(interviews))
    assert parsed_header == header
    assert [row["id"] for row in parsed] == [row["id"] for row in table]
    assert datetime.fromisoformat(parsed[0]["date"]).tzinfo is not None


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("\r\n=1", "'\r\n=1"),
        ("Acme = good", "Acme = good"),
        ("", ""),
    ],
)
def test_a_cell_that_starts_like_a_formula_gets_a_quote(value: str, written: str) -> None:
    assert safe_cell(value) == written


def test_formulas_and_control_characters_never_reach_the_spreadsheet(run: Run) -> None:
    add(
        run,
        "--company",
        '=HYPERLINK("http://evil","Acme")',
        "--role",
        "@SUM(1+1)",
        "-i",
        "-Ana",
        "--at",
        "2026-11-26 10:00",
    )
    # C0 controls but tab and newline are refused on input (tests/test_invariants.py): C1 ones remain.
    add(run, "--company", "Evil\x9b2J\x9dcCorp\x85", "--role", "Analyst\x9c", "--at", "2026-11-27 10:00")
    text = exported(run)
    assert not any((ord(c) < 32 and c not in "\t\r\n") or 0x7F <= ord(c) <= 0x9F for c in text)
    _, table = read(text)
    first, second = table
    assert first["company"] == '\'=HYPERLINK("http://evil","Acme")'
    assert first["role"] == "'@SUM(1+1)"
    assert first["interviewers"] == "'-Ana"
    assert second["company"] == "Evil2JcCorp"
    assert second["role"] == "Analyst"
    assert first["date"] == "2026-11-26T10:00:00+01:00"  # dates and times stay as they are
