"""Files written outside the store (`letter --out`, `export --out`): only ever a
regular file or a new name, through a symlink to its target, never over a file
without --force or a yes; `-` is standard output, and a closed one is an error.

Every case runs for both commands, with real FIFOs and symlinks in a temporary
folder; the only device is /dev/null, reached through a link in that folder, so
that a broken check would replace the link, never the device.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from followup.outfiles import check, readable_text
from helpers import Run, add_interview, run_followup

Command = Callable[[Path], list[str]]


@pytest.fixture
def acme(run: Run) -> str:
    return add_interview(run, "Acme", "-i", "Ana López", "--note", "x")


@pytest.fixture(params=["letter", "export"])
def command(request: pytest.FixtureRequest, acme: str) -> Command:
    """`followup letter ACME --out PATH` or `followup export --out PATH`."""
    if request.param == "letter":
        return lambda path: ["letter", acme, "--out", str(path)]
    return lambda path: ["export", "--out", str(path)]


@pytest.fixture
def place(tmp_path: Path) -> Path:
    """A folder of its own for the files written (the store is in `tmp_path/home`)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def leftovers(folder: Path, *expected: str) -> list[str]:
    """What is in `folder` besides `expected`: a stray temp file, a new file."""
    return sorted(name for name in os.listdir(folder) if name not in expected)


def refused(run: Run, argv: list[str], *words: str) -> str:
    result = run(*argv)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot write"), result.stderr
    assert "nothing written" in lines[0]
    for word in words:
        assert word in lines[0]
    return lines[0]


# --- what is not a regular file is refused, and never opened ---------------------------------


def test_a_fifo_is_refused_without_being_opened(run: Run, command: Command, place: Path) -> None:
    fifo = place / "out.txt"
    os.mkfifo(fifo)
    refused(run, command(fifo), str(fifo), "FIFO")  # opening it to write would block for ever
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert leftovers(place, "out.txt") == []


def test_a_fifo_never_hangs_the_real_command(acme: str, home: Path, place: Path) -> None:
    fifo = place / "thanks.txt"
    os.mkfifo(fifo)
    for argv in (["letter", acme, "--out", str(fifo)], ["export", "--format", "csv", "-o", str(fifo)]):
        done = run_followup(home, *argv)  # its timeout is a guard against a hang: the check takes no time at all
        assert done.returncode == 1, done.stderr
        assert done.stderr.splitlines() == [
            f"error: cannot write {fifo}: it is a FIFO, not a regular file; nothing written"
        ]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_link_to_a_device_is_refused_and_stays_a_link(run: Run, command: Command, place: Path) -> None:
    link = place / "out.txt"
    link.symlink_to("/dev/null")
    refused(run, command(link), "a device", "/dev/null")
    assert os.readlink(link) == "/dev/null"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_folder_is_refused(run: Run, command: Command, place: Path) -> None:
    folder = place / "out.txt"
    folder.mkdir()
    refused(run, command(folder), "a folder")
    assert os.listdir(folder) == []


def test_a_dangling_link_is_refused_and_creates_nothing(run: Run, command: Command, place: Path) -> None:
    link = place / "out.txt"
    link.symlink_to(place / "elsewhere" / "gone.txt")
    refused(run, command(link), "does not exist")
    assert link.is_symlink()
    assert leftovers(place, "out.txt") == []


def test_a_link_loop_is_refused(run: Run, command: Command, place: Path) -> None:
    (place / "a").symlink_to(place / "out.txt")
    (place / "out.txt").symlink_to(place / "a")
    refused(run, command(place / "out.txt"), "loop")
    assert leftovers(place, "a", "out.txt") == []


def test_a_missing_folder_is_refused(run: Run, command: Command, place: Path) -> None:
    refused(run, command(place / "no" / "out.txt"), "no folder")
    assert leftovers(place) == []


def test_check_opens_nothing(place: Path) -> None:
    fifo = place / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(Exception, match="FIFO"):
        check(fifo)  # returns at once: a check that opened it would block here
    assert check(place / "new.txt").mode is None


# --- symlinks are written through, beside their target ---------------------------------------


def test_a_link_is_written_through_and_stays_a_link(run: Run, command: Command, place: Path) -> None:
    synced = place / "Dropbox"
    synced.mkdir()
    target = synced / "real.txt"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o644)
    link = place / "out.txt"
    link.symlink_to(target)
    result = run(*command(link), "--force")
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8") != "old\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644  # the replaced file's mode is kept
    assert leftovers(place, "out.txt", "Dropbox") == []
    assert leftovers(synced, "real.txt") == []  # the temp file was beside the target, and is gone


# --- an existing file is replaced only when the user says so ------------------------------------


def test_an_existing_file_is_kept_without_force(run: Run, command: Command, place: Path) -> None:
    out = place / "out.txt"
    out.write_text("my edited draft\n", encoding="utf-8")
    result = run(*command(out))
    assert result.exit_code == 1
    assert f"{out} already exists; nothing written" in result.stderr
    assert "--force" in result.stderr
    assert out.read_text(encoding="utf-8") == "my edited draft\n"


def test_force_replaces_an_existing_file_and_keeps_its_mode(run: Run, command: Command, place: Path) -> None:
    out = place / "out.txt"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o640)
    result = run(*command(out), "--force")
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") != "old\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert leftovers(place, "out.txt") == []


def test_a_new_file_is_owner_only(run: Run, command: Command, place: Path) -> None:
    out = place / "out.txt"
    assert run(*command(out)).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


@pytest.mark.parametrize(("answer", "replaced"), [("y\n", True), ("n\n", False), ("\n", False)])
def test_in_a_terminal_it_asks_before_replacing(
    run: Run, command: Command, place: Path, monkeypatch: pytest.MonkeyPatch, answer: str, replaced: bool
) -> None:
    monkeypatch.setattr("followup.cli.letter.interactive", lambda: True)
    monkeypatch.setattr("followup.cli.data.interactive", lambda: True)
    out = place / "out.txt"
    out.write_text("old\n", encoding="utf-8")
    result = run(*command(out), input=answer)
    assert f"{out} already exists; replace it? [y/N]" in result.stderr
    assert result.exit_code == (0 if replaced else 1), result.output
    assert (out.read_text(encoding="utf-8") != "old\n") is replaced


def test_a_panel_checks_every_file_before_writing_any(run: Run, place: Path) -> None:
    made = run("new", "--company", "Globex", "--role", "QA", "-i", "Ana", "-i", "Bo", "--note", "x", "--json")
    panel = json.loads(made.stdout)["id"]
    os.mkfifo(place / "thanks-bo.txt")
    refused(run, ["letter", panel, "--out", str(place / "thanks.txt")], "thanks-bo.txt", "FIFO")
    assert not (place / "thanks-ana.txt").exists()  # written first, had it not been checked
    os.unlink(place / "thanks-bo.txt")
    (place / "thanks-bo.txt").write_text("mine\n", encoding="utf-8")
    result = run("letter", panel, "--out", str(place / "thanks.txt"))
    assert result.exit_code == 1 and "thanks-bo.txt already exists" in result.stderr
    assert not (place / "thanks-ana.txt").exists()
    assert run("letter", panel, "--out", str(place / "thanks.txt"), "--force").exit_code == 0
    assert "Dear Bo" in (place / "thanks-bo.txt").read_text(encoding="utf-8")


# --- standard output ----------------------------------------------------------------------


def test_dash_is_standard_output(run: Run, acme: str, place: Path) -> None:
    assert run("export", "--out", "-").stdout == run("export").stdout
    assert run("letter", acme, "-o", "-").stdout == run("letter", acme).stdout
    assert not (Path.cwd() / "-").exists()


@pytest.mark.parametrize(
    "argv", [["export"], ["export", "--format", "csv"], ["letter", "acme"], ["letter", "acme", "--json"]]
)
def test_closed_standard_output_is_one_plain_line(acme: str, home: Path, argv: list[str]) -> None:
    done = run_followup(
        home,
        *argv,
        stdout=subprocess.DEVNULL,
        preexec_fn=lambda: os.close(1),  # as `followup ... >&-`
    )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "error: standard output is closed; nothing written",
        "redirect it to a file (letter and export take --out FILE)",
    ]


def test_readable_text_keeps_tabs_and_line_ends_only() -> None:
    assert readable_text("a\tb\nc\r\nd") == "a\tb\nc\r\nd"
    assert readable_text("\x1b[2J\x1bc\x00\x07\rx\x7f\x9b1m\x85") == "[2Jcx1m"
    assert readable_text("Ünïcødé 🎉 — ok") == "Ünïcødé 🎉 — ok"


@pytest.mark.parametrize("argv", [["export"], ["letter", "acme"]])
def test_a_reader_that_left_is_one_plain_line(acme: str, home: Path, argv: list[str]) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody reads: every write fails with EPIPE
    try:
        done = run_followup(home, *argv, stdout=write_end)
    finally:
        os.close(write_end)
    assert done.returncode == 1
    assert done.stderr.splitlines() == ["error: standard output was closed before everything was written"]
