"""`followup stats`: outcomes, letters on time, and offers after on-time versus late follow-up."""

from __future__ import annotations

import itertools
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from followup.models import Interview, Outcome, Step
from followup.stats import Ratio, compute
from helpers import NOW, Run

T = datetime.fromisoformat
NUMBERS = itertools.count(1)


def letter(due: str, *, done: str | None = None, skipped: bool = False, source: str = "mail-letter") -> Step:
    return Step(
        id=f"{source}-{next(NUMBERS)}",  # unique within a panel, as per-interviewer copies are
        title="Mail the thank-you letter",
        due=T(due),
        status="done" if done else ("skipped" if skipped else "pending"),
        done_at=T(done) if done else None,
        source=source,
        offset="+1bd",
    )


def interview(
    name: str, at: str, steps: list[Step], outcome: Outcome | None = None, closed: str | None = None
) -> Interview:
    return Interview(
        id=name,
        company=name.title(),
        role="Analyst",
        at=T(at),
        zone="Europe/Berlin",
        checklist="post-interview",
        outcome=outcome,
        closed_at=T(closed) if closed else None,
        created_at=T(at),
        steps=steps,
    )


def hand_made() -> list[Interview]:
    """Nine interviews, each a case of the definitions in followup.stats."""
    return [
        # on time (8 hours after the interview), then an offer
        interview(
            "a",
            "2026-11-02T10:00+01:00",
            [letter("2026-11-03T10:00+01:00", done="2026-11-02T18:00+01:00")],
            "offer",
            "2026-11-10T12:00+01:00",
        ),
        # late (4 days), rejected
        interview(
            "b",
            "2026-11-04T10:00+01:00",
            [letter("2026-11-06T10:00+01:00", done="2026-11-08T10:00+01:00")],
            "rejected",
            "2026-11-15T12:00+01:00",
        ),
        # an email, late (2 days), and an offer all the same
        interview(
            "c",
            "2026-11-10T10:00+01:00",
            [letter("2026-11-11T10:00+01:00", done="2026-11-12T10:00+01:00", source="email-letter")],
            "offer",
            "2026-11-20T12:00+01:00",
        ),
        # a panel: one letter on time (1 day), one never sent and past due when closed: late
        interview(
            "d",
            "2026-11-16T10:00+01:00",
            [
                letter("2026-11-17T10:00+01:00", done="2026-11-17T10:00+01:00"),
                letter("2026-11-18T10:00+01:00"),
                # a late letter *written* does not count: only sending does
                Step(
                    id="write-letter",
                    title="Write",
                    due=T("2026-11-17T10:00+01:00"),
                    status="done",
                    done_at=T("2026-11-25T10:00+01:00"),
                    source="write-letter",
                    offset="+1d",
                ),
            ],
            "withdrawn",
            "2026-11-25T12:00+01:00",
        ),
        # the letter skipped: no verdict, left out of the offer comparison
        interview(
            "e",
            "2026-11-18T10:00+01:00",
            [letter("2026-11-19T10:00+01:00", skipped=True)],
            "no-response",
            "2026-11-26T12:00+01:00",
        ),
        # open and overdue now: late
        interview("f", "2026-11-26T10:00+01:00", [letter("2026-11-27T10:00+01:00")]),
        # open and not due yet: not counted
        interview("g", "2026-11-27T10:00+01:00", [letter("2026-11-30T10:00+01:00")]),
        # open, done exactly at the due time: on time (1 day)
        interview("h", "2026-11-26T10:00+01:00", [letter("2026-11-27T10:00+01:00", done="2026-11-27T10:00+01:00")]),
        # closed before the letter was due: not late, not counted
        interview(
            "i", "2026-11-03T10:00+01:00", [letter("2026-11-06T10:00+01:00")], "rejected", "2026-11-05T12:00+01:00"
        ),
    ]


EXPECTED_JSON: dict[str, Any] = {
    "interviews": 9,
    "outcomes": {"offer": 2, "rejected": 2, "withdrawn": 1, "no-response": 1, "open": 3},
    "letters": {"on_time": 3, "counted": 7, "share": 0.4286, "late": 4, "median_days_to_letter": 1.0},
    "offers": {
        "after_on_time": {"offers": 1, "closed": 1, "share": 1.0},
        "after_late": {"offers": 1, "closed": 3, "share": 0.3333},
    },
}


def test_the_numbers_of_a_hand_made_set() -> None:
    stats = compute(hand_made(), T(NOW))
    assert stats.interviews == 9
    assert stats.outcomes == {"offer": 2, "rejected": 2, "withdrawn": 1, "no-response": 1, "open": 3}
    assert stats.letters_on_time == Ratio(3, 7)
    # done letters: 8h, 4d, 2d, 1d, 1d after the interview
    assert stats.median_days_to_letter == pytest.approx(1.0)
    assert stats.offers_after_on_time == Ratio(1, 1)
    assert stats.offers_after_late == Ratio(1, 3)
    assert stats.to_json() == EXPECTED_JSON


def test_lateness_is_judged_at_now_for_open_interviews() -> None:
    later = compute(hand_made(), T("2026-12-01T12:00+01:00"))
    assert later.letters_on_time == Ratio(3, 8)  # g's letter is now overdue too
    assert compute(hand_made()[:1], T(NOW)).median_days_to_letter == pytest.approx(1 / 3)


def test_nothing_to_count() -> None:
    stats = compute([], T(NOW))
    assert stats.interviews == 0
    assert stats.letters_on_time.share is None
    assert stats.median_days_to_letter is None
    assert stats.to_json()["letters"]["share"] is None


def import_hand_made(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "hand-made.json"
    data = {"version": 1, "interviews": [i.model_dump(mode="json") for i in hand_made()]}
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == 0, result.output


def test_stats_json_through_the_cli(run: Run, tmp_path: Path) -> None:
    import_hand_made(run, tmp_path)
    result = run("stats", "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert json.loads(result.stdout) == EXPECTED_JSON


def test_stats_as_text(run: Run, tmp_path: Path) -> None:
    import_hand_made(run, tmp_path)
    result = run("stats")
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert lines == [
        "interviews 9",
        "offer 2",
        "rejected 2",
        "withdrawn 1",
        "no response 1",
        "still open 3",
        "letters sent on time 3 of 7 (43%)",
        "days from interview to letter 1.0 (median)",
        "offers after on-time follow-up 1 of 1 closed (100%)",
        "offers after late follow-up 1 of 3 closed (33%)",
    ]


def test_stats_from_real_commands(run: Run) -> None:
    commands = [
        ("new", "--company", "Acme", "--role", "Analyst", "-i", "Ana", "--at", "2026-11-20 10:00"),
        ("done", "acme", "mail-letter", "--at", "2026-11-21 16:00"),
        ("close", "acme", "--outcome", "offer"),
        ("new", "--company", "Globex", "--role", "Engineer", "--at", "2026-11-25 10:00", "--flag", "video"),
    ]
    for args in commands:
        result = run(*args)
        assert result.exit_code == 0, result.output
    data = json.loads(run("stats", "--json").stdout)
    assert data["outcomes"] == {"offer": 1, "rejected": 0, "withdrawn": 0, "no-response": 0, "open": 1}
    # Acme's letter went a day and six hours later, before its due time (+1bd: Monday 10:00);
    # Globex's email was due on Thursday 10:00 and is still pending: late.
    assert data["letters"] == {"on_time": 1, "counted": 2, "share": 0.5, "late": 1, "median_days_to_letter": 1.25}
    assert data["offers"]["after_on_time"] == {"offers": 1, "closed": 1, "share": 1.0}


def test_no_data_is_said_plainly(run: Run) -> None:
    result = run("stats")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "No interviews yet, so no statistics. Start with `followup new`."
    data = json.loads(run("stats", "--json").stdout)
    assert data["interviews"] == 0
    assert data["letters"]["median_days_to_letter"] is None
