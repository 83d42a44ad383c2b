"""`followup letter --format eml|pdf`, `--paper`, `--open`: the letter as a draft or a page,
addressed from the interview's contacts and signed from the profile."""

from __future__ import annotations

import email
import email.policy
import json
import os
import shutil
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest

from helpers import Run

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="poppler's pdftotext and pdfinfo are not installed (Debian: apt-get install poppler-utils; CI has them)",
)


@pytest.fixture
def panel(run: Run) -> str:
    """A panel of two with emails and a title, the company's address, a note, and the sender's profile."""
    result = run(
        "new", "-c", "Zoë & Co", "-r", "Data analyst", "--at", "2026-11-27 10:00", "--note", "the tour of the lab",
        "-i", "Ana López <ana@zoe.example>", "-i", "Łukasz Nguyễn <lukasz@zoe.example>",
        "--address", "Zoë & Co GmbH\\nHauptstraße 1\\n10115 Berlin",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert run("edit", "zoe", "--title", "Ana=Head of Data").exit_code == 0
    assert run("profile", "--name", "Sam Okafor", "--email", "sam@example.com", "--address", "1 High St").exit_code == 0
    return "zoe-co-1127"


def _read_eml(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def _texts(run: Run, *args: str) -> dict[str, dict[str, str]]:
    result = run("letter", "zoe", "--json", *args)
    assert result.exit_code == 0, result.output
    return {item["interviewer"]: item for item in json.loads(result.stdout)}


def test_a_panel_gives_one_eml_draft_each_that_parses_back(run: Run, panel: str, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "thanks.eml"
    result = run("letter", "zoe", "--format", "eml", "--template", "email", "--out", str(out))
    assert result.exit_code == 0, result.output
    expected = _texts(run, "--template", "email")
    files = {"Ana López": out.with_name("thanks-ana.eml"), "Łukasz Nguyễn": out.with_name("thanks-lukasz.eml")}
    assert sorted(out.parent.iterdir()) == sorted(files.values())
    for name, path in files.items():
        assert b"\r\n" in path.read_bytes() and path.read_bytes().isascii()  # RFC 5322: CRLF, encoded words
        message = _read_eml(path)
        (to,) = message["To"].addresses
        assert to.display_name.replace(" ", "") == name.replace(" ", "")  # a folded name: see letter_eml
        assert to.addr_spec == {"Ana López": "ana@zoe.example", "Łukasz Nguyễn": "lukasz@zoe.example"}[name]
        assert email.utils.parseaddr(str(message["From"])) == ("Sam Okafor", "sam@example.com")
        assert message["Subject"] == expected[name]["subject"]
        assert message["X-Unsent"] == "1" and message["Date"]
        body = message.get_content().replace("\r\n", "\n")
        assert body.strip() == expected[name]["text"].strip()
        assert "the tour of the lab" in body


def test_non_ascii_names_round_trip_exactly(run: Run, panel: str, tmp_path: Path) -> None:
    out = tmp_path / "one.eml"
    assert run("letter", "zoe", "--to", "łuk", "--format", "eml", "--template", "email", "-o", str(out)).exit_code == 0
    message = _read_eml(out)
    from email.header import decode_header, make_header

    assert str(make_header(decode_header(str(message["To"])))).startswith("Łukasz Nguyễn")
    assert "Dear Łukasz Nguyễn" in message.get_content() or "Łukasz" in message.get_content()


def test_without_out_the_draft_goes_to_a_file_in_the_current_folder_and_out_dash_is_stdout(
    run: Run, panel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    assert run("letter", "zoe", "--format", "eml").exit_code == 0
    assert sorted(p.name for p in (tmp_path / "cwd").iterdir()) == [
        "letter-zoe-co-1127-ana.eml",
        "letter-zoe-co-1127-lukasz.eml",
    ]
    again = run("letter", "zoe", "--format", "eml")
    assert again.exit_code == 1 and "already exist" in again.stderr and "--force" in again.stderr
    single = run("letter", "zoe", "--to", "ana", "--format", "eml", "--out", "-")
    assert single.exit_code == 0
    assert "X-Unsent: 1" in single.stdout
    both = run("letter", "zoe", "--format", "eml", "--out", "-")
    assert both.exit_code == 2 and "standard output" in both.stderr


def test_an_interviewer_without_an_email_stops_the_draft_and_says_how_to_add_one(
    run: Run, home: Path, tmp_path: Path
) -> None:
    assert run("new", "-c", "Acme", "-r", "Analyst", "-i", "Bo Chen", "--at", "2026-11-27 10:00").exit_code == 0
    result = run("letter", "acme", "--format", "eml", "--out", str(tmp_path / "x.eml"))
    assert result.exit_code == 1
    assert "no email address for Bo Chen" in result.stderr and "Traceback" not in result.output
    assert 'followup edit acme-1127 --contact "Bo Chen <name@example.com>"' in result.stderr
    assert not (tmp_path / "x.eml").exists()
    # What the hint says to do works.
    assert run("edit", "acme-1127", "--contact", "Bo Chen <bo@acme.example>").exit_code == 0
    assert run("letter", "acme", "--format", "eml", "--out", str(tmp_path / "x.eml")).exit_code == 0
    assert b"bo@acme.example" in (tmp_path / "x.eml").read_bytes()


def test_usage_errors_of_format_and_paper(run: Run, panel: str) -> None:
    for args, words in (
        (["--format", "docx"], "--format: 'docx' is not a letter format"),
        (["--paper", "a4"], "--paper is for printed letters"),
        (["--format", "pdf", "--paper", "a5"], "--paper: 'a5' is not a paper size"),
        (["--format", "eml", "--json"], "--json prints the letters' text"),
    ):
        result = run("letter", "zoe", *args)
        assert result.exit_code == 2, (args, result.output)
        assert words in result.stderr, (args, result.stderr)


def test_format_and_paper_are_taken_in_any_case(run: Run, panel: str, tmp_path: Path) -> None:
    out = tmp_path / "a.pdf"
    result = run("letter", "zoe", "--to", "ana", "--format", "PDF", "--paper", "A4", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-")


def test_the_profile_and_the_contacts_fill_template_variables(run: Run, panel: str, home: Path) -> None:
    letters = home / "letters"
    letters.mkdir()
    (letters / "card.txt.j2").write_text(
        "{{ interviewer }} / {{ title }} / {{ email }}\n{{ address }}\n--\n{{ your_name }} {{ your_email }}\n"
        "{{ your_address }} {{ your_phone or 'no phone' }}\n",
        encoding="utf-8",
    )
    text = _texts(run, "--template", "card", "--to", "ana")["Ana López"]["text"]
    assert text == (
        "Ana López / Head of Data / ana@zoe.example\nZoë & Co GmbH\nHauptstraße 1\n10115 Berlin\n--\n"
        "Sam Okafor sam@example.com\n1 High St no phone\n"
    )
    named = run("letter", "zoe", "--template", "card", "--to", "ana", "--json", env={"FOLLOWUP_NAME": "S. O."})
    assert "S. O. sam@example.com" in json.loads(named.stdout)[0]["text"]


def _fake_opener(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, status: int = 0) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "opened.txt"
    opener = bin_dir / "xdg-open"
    opener.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{log}"\nexit {status}\n', encoding="utf-8")
    opener.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    return log


def test_open_hands_each_draft_to_the_mail_program(
    run: Run, panel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = _fake_opener(tmp_path, monkeypatch)
    out = tmp_path / "t.eml"
    assert run("letter", "zoe", "--format", "eml", "--out", str(out), "--open").exit_code == 0
    assert log.read_text(encoding="utf-8").splitlines() == [str(tmp_path / "t-ana.eml"), str(tmp_path / "t-lukasz.eml")]
    log.unlink()
    assert run("letter", "zoe", "--to", "ana", "--template", "email", "--open").exit_code == 0
    (link,) = log.read_text(encoding="utf-8").splitlines()
    assert link.startswith("mailto:ana@zoe.example?subject=") and "L%C3%B3pez" in link


def test_open_without_a_mail_program_or_with_a_failing_one_is_a_plain_error(
    run: Run, panel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = run("letter", "zoe", "--to", "ana", "--format", "eml", "--out", str(tmp_path / "a.eml"), "--open")
    assert result.exit_code == 1 and "no program to open it with" in result.stderr
    assert (tmp_path / "a.eml").exists()  # the draft is written; only the opening failed
    _fake_opener(tmp_path, monkeypatch, status=3)
    result = run("letter", "zoe", "--to", "ana", "--open")
    assert result.exit_code == 1 and "could not open" in result.stderr


@needs_poppler
@pytest.mark.parametrize(("paper", "size"), [("a4", "(A4)"), ("letter", "(letter)")])
def test_a_pdf_per_interviewer_with_every_name_the_company_the_address_and_the_body(
    run: Run, panel: str, tmp_path: Path, paper: str, size: str
) -> None:
    out = tmp_path / "thanks.pdf"
    result = run("letter", "zoe", "--format", "pdf", "--paper", paper, "--out", str(out))
    assert result.exit_code == 0, result.output
    expected = _texts(run)
    for name, path in (("Ana López", "thanks-ana.pdf"), ("Łukasz Nguyễn", "thanks-lukasz.pdf")):
        pdf = tmp_path / path
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert size in info
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        flat = " ".join(text.split())
        for piece in (
            name,
            "Zoë & Co",
            "Hauptstraße 1",
            "10115 Berlin",
            "Sam Okafor",
            "1 High St",
            "the tour of the lab",
        ):
            assert piece in flat, (piece, flat)
        if name == "Ana López":
            assert "Head of Data" in flat
        body = expected[name]["text"]
        assert " ".join(body.split("Yours")[0].split()[-12:]) in flat  # the end of the last paragraph


def test_the_default_paper_follows_the_locale(run: Run, panel: str, tmp_path: Path) -> None:
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo is not installed")
    for lang, size in (("en_US.UTF-8", "(letter)"), ("de_DE.UTF-8", "(A4)")):
        out = tmp_path / f"{lang}.pdf"
        env = {"LC_ALL": "", "LC_PAPER": "", "LANG": lang}
        assert run("letter", "zoe", "--to", "ana", "--format", "pdf", "-o", str(out), env=env).exit_code == 0
        info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
        assert size in info


def test_a_program_called_open_is_never_run_outside_macos(
    run: Run, panel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Linux `open` is often openvt, which starts a program on a virtual console."""
    log = _fake_opener(tmp_path, monkeypatch)
    (tmp_path / "bin" / "xdg-open").rename(tmp_path / "bin" / "open")
    monkeypatch.setattr(sys, "platform", "linux")
    result = run("letter", "zoe", "--to", "ana", "--format", "eml", "--out", str(tmp_path / "a.eml"), "--open")
    assert result.exit_code == 1 and "looked for xdg-open)" in result.stderr
    assert not log.exists()
    monkeypatch.setattr(sys, "platform", "darwin")
    assert run("letter", "zoe", "--to", "ana", "--template", "email", "--open").exit_code == 0
    assert log.read_text(encoding="utf-8").startswith("mailto:")


def test_open_without_an_address_stops_before_the_editor_and_a_failing_opener_loses_nothing(
    run: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("new", "-c", "Acme", "-r", "Analyst", "-i", "Bo Chen", "--at", "2026-11-27 10:00").exit_code == 0
    edited = tmp_path / "edited"
    monkeypatch.setenv("EDITOR", f"touch {edited}")
    monkeypatch.setattr("followup.cli.letter.interactive", lambda: True)
    result = run("letter", "acme", "--edit", "--open", input="a note\n")
    assert result.exit_code == 1 and "no email address for Bo Chen" in result.stderr
    assert not edited.exists() and "Personal note" not in result.stderr  # nothing asked, nothing edited
    assert run("edit", "acme", "--contact", "Bo Chen <bo@acme.example>").exit_code == 0
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no program to open the link with
    result = run("letter", "acme", "--open", input="We talked about sailing.\n")
    assert "We talked about sailing." in result.stdout  # the letter is printed
    assert "no program to open it with" in result.stderr
    shown = json.loads(run("show", "acme", "--json").stdout)
    assert shown["notes"] == "We talked about sailing."  # and the note typed is kept
