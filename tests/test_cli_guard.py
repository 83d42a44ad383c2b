"""Hostile set-ups every command must survive with one plain line, never a
traceback: standard input or output closed, a FOLLOWUP_HOME that cannot be
used, a lock timeout that makes no sense, and failures after a change was saved."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from followup.store import Store
from helpers import Run, add_interview, run_followup


def followup(
    home: Path, *argv: str, close: int | None = None, stdin: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """`followup ARGV` as a process of its own; `close` is a descriptor closed in it (`<&-`, `>&-`)."""
    preexec: Callable[[], None] | None = None
    if close is not None:
        fd = close

        def preexec() -> None:
            os.close(fd)

    return run_followup(
        home,
        *argv,
        input=stdin,
        stdin=None if close == 0 else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL if close == 1 else subprocess.PIPE,
        timeout=120,
        preexec_fn=preexec,
        **env,
    )


@pytest.fixture
def acme(run: Run) -> str:
    return add_interview(run, "Acme", "--at", "2026-11-27 10:00", "-i", "Ana López", "-i", "Bo Chen")


# --- standard input closed --------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["new", "--company", "Beta", "--role", "Analyst", "--at", "2026-11-27 10:00"],
        ["rm", "acme"],
        ["letter", "acme"],
    ],
)
def test_closed_stdin_means_no_terminal(acme: str, home: Path, argv: list[str]) -> None:
    done = followup(home, *argv, close=0)
    assert "Traceback" not in done.stderr
    if argv[0] == "rm":  # no terminal to confirm in: refused, as with stdin from /dev/null
        assert done.returncode == 2
        assert "add --yes" in done.stderr
    else:
        assert done.returncode == 0, done.stderr


def test_import_from_a_closed_stdin_is_a_plain_error(acme: str, home: Path) -> None:
    done = followup(home, "import", "-", "--yes", close=0)
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == "error: cannot read standard input: it is closed"
    assert list(Store(home).read().ids()) == [acme]


def test_interactive_is_false_without_a_usable_stdin(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import sys

    from followup.cli.context import interactive

    monkeypatch.setattr(sys, "stdin", None)
    assert not interactive()
    stream = (tmp_path / "f").open("w")
    stream.close()
    monkeypatch.setattr(sys, "stdin", stream)  # isatty on a closed file raises ValueError
    assert not interactive()


# --- standard output closed -------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["due"],
        ["due", "--json"],
        ["list"],
        ["list", "--json"],
        ["show", "acme"],
        ["show", "acme", "--json"],
        ["stats"],
        ["stats", "--json"],
        ["checklists"],
        ["done", "acme", "shake-hands"],
    ],
)
def test_closed_stdout_is_one_plain_line_and_a_failure(acme: str, home: Path, argv: list[str]) -> None:
    before = (home / "followup.json").read_bytes()
    done = followup(home, *argv, close=1)
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines()[0] == "error: standard output is closed; nothing written"
    assert len(done.stderr.splitlines()) == 2
    assert (home / "followup.json").read_bytes() == before  # checked before anything changes


def test_a_full_stdout_is_one_plain_line(acme: str, home: Path) -> None:
    if not Path("/dev/full").is_char_device():
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        done = run_followup(home, "list", "--json", stdout=full, timeout=120)
    assert done.returncode == 1
    assert done.stderr.startswith("error: cannot write to standard output")
    assert "Traceback" not in done.stderr


# --- after the change is saved ------------------------------------------------------------


def test_a_failure_after_saving_is_a_warning_and_status_0(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from followup.render import streams

    def broken(summary: str) -> None:  # every change prints its line through it
        raise UnicodeEncodeError("ascii", "é", 0, 1, "cannot encode")

    monkeypatch.setattr(streams, "changed_line", broken)
    result = run("new", "--company", "Acme", "--role", "Analyst", "--at", "2026-11-27 10:00")
    assert result.exit_code == 0
    assert result.stderr.startswith("warning: the change was saved, but then: UnicodeEncodeError")
    assert [i.company for i in Store(home).read().every()] == ["Acme"]

    def refused(summary: str) -> None:
        from followup.errors import FollowupError

        raise FollowupError("no")

    monkeypatch.setattr(streams, "changed_line", refused)
    result = run("close", "acme", "--outcome", "offer")
    assert result.exit_code == 0
    assert result.stderr == "warning: the change was saved, but then: no\n"
    assert Store(home).read().every()[0].outcome == "offer"


def test_a_failure_before_saving_is_still_a_failure(run: Run, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run("new", "--company", "Acme", "--role", "Analyst", "--at", "2026-11-27 10:00")  # saved: the flag is set
    result = run("close", "nowhere", "--outcome", "offer")  # the next command starts afresh
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no interview matches")


# --- FOLLOWUP_LOCK_TIMEOUT ------------------------------------------------------------------


@pytest.mark.parametrize("value", ["nan", "-1", "-inf", "ten"])
def test_a_lock_timeout_that_makes_no_sense_is_a_usage_error(run: Run, value: str) -> None:
    result = run("list", env={"FOLLOWUP_LOCK_TIMEOUT": value})
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == f"error: FOLLOWUP_LOCK_TIMEOUT: {value!r} is not a number of seconds"


@pytest.mark.parametrize(("value", "seconds"), [("inf", 3600.0), ("1e300", 3600.0), ("0", 0.0), ("2.5", 2.5)])
def test_a_huge_lock_timeout_is_capped(monkeypatch: pytest.MonkeyPatch, value: str, seconds: float) -> None:
    from followup.cli.context import current

    monkeypatch.setenv("FOLLOWUP_LOCK_TIMEOUT", value)
    assert current().lock_timeout == seconds


# --- FOLLOWUP_HOME that cannot be used -------------------------------------------------------


@pytest.mark.parametrize("argv", [[], ["due"], ["list"], ["doctor"], ["new", "-c", "Acme", "-r", "Analyst"]])
def test_a_home_that_is_a_file_is_named(run: Run, home: Path, argv: list[str]) -> None:
    home.write_text("not a folder")
    result = run(*argv)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"error: cannot use the folder {home}: it is a file, not a folder"
    assert home.read_text() == "not a folder"


def test_a_home_under_a_file_is_named(run: Run, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    home = tmp_path / "file" / "home"
    result = run("new", "-c", "Acme", "-r", "Analyst", env={"FOLLOWUP_HOME": str(home)})
    assert result.exit_code == 1
    assert (
        result.stderr.splitlines()[0]
        == f"error: cannot use the folder {home}: part of its path is a file, not a folder"
    )


def test_the_quick_path_names_a_home_that_is_a_file(home: Path) -> None:
    home.write_text("")
    done = followup(home, "due")
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == f"error: cannot use the folder {home}: it is a file, not a folder"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes folders of any mode")
@pytest.mark.parametrize("argv", [[], ["doctor"], ["list"], ["new", "-c", "Acme", "-r", "Analyst"]])
def test_an_unreadable_home_is_named(run: Run, home: Path, argv: list[str]) -> None:
    home.mkdir()
    home.chmod(0)
    try:
        result = run(*argv)
    finally:
        home.chmod(0o700)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"error: cannot read the folder {home}: permission denied"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes folders of any mode")
def test_a_read_only_home_refuses_changes_but_shows(run: Run, acme: str, home: Path) -> None:
    home.chmod(0o500)
    try:
        assert run("list").exit_code == 0
        result = run("done", acme, "shake-hands")
    finally:
        home.chmod(0o700)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"error: cannot save in the folder {home}: permission denied"
    assert json.loads(run("show", acme, "--json").stdout)["steps"][0]["status"] == "pending"


# --- a bare date for the start of an interview -------------------------------------------------


@pytest.mark.parametrize("when", ["yesterday", "in 3 weeks", "-1d", "2026-11-20", "friday"])
def test_a_bare_date_for_the_start_is_refused_without_a_terminal(run: Run, home: Path, when: str) -> None:
    result = run("new", "--company", "Acme", "--role", "Analyst", "--at", when)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: --at: {when!r} is a date without a time of day; an interview starts at a time",
        'give the time too, for example --at "yesterday 10:00"',
    ]
    assert not (home / "followup.json").exists()


def test_edit_refuses_a_bare_date_for_the_start_too(run: Run, acme: str) -> None:
    result = run("edit", acme, "--at", "yesterday")
    assert result.exit_code == 2
    assert "is a date without a time of day" in result.stderr


def test_a_bare_date_for_the_start_asks_for_the_time_in_a_terminal(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import followup.cli.interviews

    monkeypatch.setattr(followup.cli.interviews, "interactive", lambda: True)
    result = run("new", "-c", "Acme", "-r", "Analyst", "--at", "yesterday", "--json", input="25:00\n10:30\n")
    assert result.exit_code == 0, result.output
    assert "At what time did it start? (e.g. 10:00)" in result.stderr
    assert "cannot read '25:00' as a time of day" in result.stderr
    (interview,) = Store(home).read().every()  # stdout holds the typed answers too, under CliRunner
    assert interview.at.isoformat() == "2026-11-27T10:30:00+01:00"


def test_a_date_for_a_deadline_still_means_the_end_of_the_day(run: Run) -> None:
    result = run("new", "-c", "Acme", "-r", "Analyst", "--at", "2026-11-27 10:00", "--decision-by", "2026-12-04")
    assert result.exit_code == 0, result.output
    assert "decision by Fri 4 Dec 23:59" in result.stdout


# --- new echoes the dates it read from words -----------------------------------------------------


def test_new_echoes_dates_read_from_words(run: Run) -> None:
    result = run(
        "new", "-c", "Acme", "-r", "Analyst", "--at", "yesterday 10:00", "--decision-by", "next friday", "--json"
    )
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        'read --at "yesterday 10:00" as Fri 27 Nov 10:00; --decision-by "next friday" as Fri 4 Dec 23:59'
    )


def test_new_does_not_echo_iso_dates(run: Run) -> None:
    result = run("new", "-c", "Acme", "-r", "Analyst", "--at", "2026-11-27 10:00", "--decision-by", "2026-12-04")
    assert result.exit_code == 0, result.output
    assert not result.stderr.startswith("read ")


# --- the same interview twice ---------------------------------------------------------------------


def test_the_same_interview_twice_is_added_with_a_warning_without_a_terminal(run: Run, home: Path, acme: str) -> None:
    result = run("new", "-c", "ACME", "-r", "Other", "--at", "2026-11-27T09:00:00Z")  # the same instant
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == f"warning: {acme} is already an interview with Acme at Fri 27 Nov 10:00"
    assert len(Store(home).read().every()) == 2
    forced = run("new", "-c", "ACME", "-r", "Other", "--at", "2026-11-27 10:00", "--force")
    assert forced.exit_code == 0, forced.output
    assert "already" not in forced.stderr
    assert len(Store(home).read().every()) == 3
    other = run("new", "-c", "Acme", "-r", "Other", "--at", "2026-11-27 11:00")  # another start: not a twin
    assert other.exit_code == 0, other.output
    assert "already" not in other.stderr


@pytest.mark.parametrize(("answer", "count"), [("\n", 1), ("y\n", 2)])
def test_the_same_interview_twice_is_asked_in_a_terminal(
    run: Run, home: Path, acme: str, monkeypatch: pytest.MonkeyPatch, answer: str, count: int
) -> None:
    import followup.cli.interviews

    monkeypatch.setattr(followup.cli.interviews, "interactive", lambda: True)
    result = run("new", "-c", "acme", "-r", "Analyst", "--at", "2026-11-27 10:00", "--json", input=answer)
    assert f"warning: {acme} is already an interview with Acme at Fri 27 Nov 10:00" in result.stderr
    assert "Add another one anyway? [y/N]" in result.stderr
    assert result.exit_code == (0 if count == 2 else 1)
    assert len(Store(home).read().every()) == count


# --- show names the interview's zone when it is not the user's -------------------------------------


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        ("2026-11-27T10:00+09:00", "at Fri 27 Nov 10:00 UTC+09:00 (02:00 here, "),
        ("2026-11-27T08:00+09:00", "at Fri 27 Nov 08:00 UTC+09:00 (00:00 here, "),
        ("2026-11-27T07:00+09:00", "at Fri 27 Nov 07:00 UTC+09:00 (Thu 26 Nov 23:00 here, "),
        ("2026-11-27T10:00+01:00", "at Fri 27 Nov 10:00 (29h ago)"),  # the user's own zone (Berlin): said once
    ],
)
def test_show_names_the_zone_of_an_interview_elsewhere(run: Run, at: str, expected: str) -> None:
    interview = add_interview(run, "Acme", "--at", at)
    assert run("show", interview).stdout.splitlines()[1].startswith(expected)


def test_show_names_a_zone_by_its_city(run: Run, home: Path, acme: str) -> None:
    store = Store(home)
    with store.change() as document:
        document.put(document.open[acme].model_copy(update={"zone": "Asia/Tokyo"}))
    assert run("show", acme).stdout.splitlines()[1].startswith("at Fri 27 Nov 18:00 Tokyo time (10:00 here, ")


# --- a note per interviewer ---------------------------------------------------------------------


def test_note_for_on_new_and_edit(run: Run, home: Path) -> None:
    result = run(
        "new", "-c", "Acme", "-r", "Analyst", "--at", "2026-11-27 10:00", "-i", "Ana López", "-i", "Bo Chen",
        "--note", "About the team", "--note-for", "lóp=Her move to Lisbon",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    shown = run("show", "acme").stdout
    assert "note: About the team" in shown
    assert "note for Ana López: Her move to Lisbon" in shown
    assert run("edit", "acme", "--note-for", "bo=Chess", "--note-for", "Ana=").exit_code == 0
    data = json.loads(run("show", "acme", "--json").stdout)
    assert data["interviewer_notes"] == {"Bo Chen": "Chess"}
    letter = run("letter", "acme", "--to", "bo").stdout
    assert "Chess" in letter


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("nope", "error: --note-for: 'nope' is not NAME=TEXT"),
        ("Zed=x", "error: --note-for: acme-1127 has no interviewer 'Zed' (interviewers: Ana López, Bo Chen)"),
        ("=x", "error: --note-for: '=x' is not NAME=TEXT"),
    ],
)
def test_note_for_that_names_nobody_is_a_usage_error(run: Run, home: Path, acme: str, value: str, message: str) -> None:
    before = (home / "followup.json").read_bytes()
    result = run("edit", acme, "--note-for", value)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == message
    assert (home / "followup.json").read_bytes() == before


def test_note_for_an_ambiguous_start_is_refused(run: Run) -> None:
    result = run(
        "new", "-c", "Acme", "-r", "A", "--at", "2026-11-27 10:00", "-i", "Ana", "-i", "Anabel", "--note-for", "an=x"
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --note-for 'an' matches several interviewers: Ana, Anabel")


def test_new_asks_a_note_per_interviewer_of_a_panel(run: Run, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import followup.cli.interviews

    monkeypatch.setattr(followup.cli.interviews, "interactive", lambda: True)
    answers = "Acme\nAnalyst\nAna López, Bo Chen\n\n\n2026-11-27 10:00\nn\nn\n\nThe team\nLisbon\n\n"
    result = run("new", "--json", input=answers)
    assert result.exit_code == 0, result.output
    assert "Note for Ana López (Enter to use the interview's note)" in result.stderr
    assert "Note for Bo Chen (Enter to use the interview's note)" in result.stderr
    (interview,) = Store(home).read().every()
    assert interview.notes == "The team"
    assert interview.interviewer_notes == {"Ana López": "Lisbon"}


def denied(home: Path, mode: int) -> Callable[..., bool]:
    """os.access, as it answers a user who lacks the `mode` permission on `home` (root has them all)."""
    real = os.access

    def access(path: object, wanted: int, **kwargs: object) -> bool:
        if Path(str(path)) == home and wanted & mode:
            return False
        return real(path, wanted, **kwargs)  # type: ignore[arg-type]

    return access


@pytest.mark.parametrize("argv", [[], ["due"], ["list"], ["doctor"], ["new", "-c", "Acme", "-r", "Analyst"]])
def test_a_home_that_cannot_be_listed_is_named_for_any_user(
    run: Run, home: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    home.mkdir()
    monkeypatch.setattr(os, "access", denied(home, os.R_OK))
    result = run(*argv)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"error: cannot read the folder {home}: permission denied"


def test_a_home_that_cannot_be_written_refuses_changes_for_any_user(
    run: Run, home: Path, acme: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = (home / "followup.json").read_bytes()
    monkeypatch.setattr(os, "access", denied(home, os.W_OK))
    assert run("list").exit_code == 0
    result = run("done", acme, "shake-hands")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"error: cannot save in the folder {home}: permission denied"
    assert (home / "followup.json").read_bytes() == before
