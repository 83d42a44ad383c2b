"""Letter templates within bounds, built on the built-in ones and checked for `doctor`;
letters only to those still to be written to, each with its own note.

The caps are passed in small, so that a template that would run for minutes or
fill the memory is stopped at once; nothing here asserts how long anything took.
"""

from __future__ import annotations

import json
import os
import signal
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from followup.letter_sandbox import Caps
from followup.letters import HIRING_TEAM, TemplateError, TemplateFile, check_templates, draft
from followup.models import Interview
from followup.store import Store
from helpers import Run, add_interview

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 28, 15, tzinfo=BERLIN)
SMALL = Caps(max_chars=1000, seconds=5)
QUICK = Caps(max_chars=64 * 1024, seconds=0.2)


def interview(**extra: object) -> Interview:
    values: dict[str, object] = {
        "id": "acme-1127",
        "company": "Acme",
        "role": "Analyst",
        "interviewers": ["Ana López", "Bo Chen"],
        "at": datetime(2026, 11, 27, 10, tzinfo=BERLIN),
        "zone": "Europe/Berlin",
        "checklist": "post-interview",
        "notes": "Thanks for the tour.",
        "created_at": NOW,
    }
    return Interview.model_validate({**values, **extra})


def template(folder: Path, text: str, name: str = "mine") -> TemplateFile:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.txt.j2"
    path.write_text(text, encoding="utf-8")
    return TemplateFile(name, path, "user")


def render(folder: Path, text: str, caps: Caps = SMALL, name: str = "mine") -> str:
    found = template(folder, text, name)
    [letter] = draft(
        interview(), found, ["Ana López"], note="Thanks for the tour.", your_name="Sam", now=NOW, zone=BERLIN, caps=caps
    )
    return letter.text


def refused(folder: Path, text: str, caps: Caps = SMALL) -> str:
    with pytest.raises(TemplateError) as caught:
        render(folder, text, caps)
    message = caught.value.message
    assert str(folder / "mine.txt.j2") in message  # the error names the template
    return message


# --- values, output and time are bounded -------------------------------------------------------


@pytest.mark.parametrize(
    "expression",
    [
        "'x' * 10**9",
        "10**9 * 'x'",
        "['x'] * 10**9",
        "'x' * 1001",
        "10 ** 1000000",
        "'%999999999s' % 'x'",
        "'%*s' % (10**9, 'x')",
        "'x' | center(10**9)",
        "'x'.ljust(10**9)",
        "'{:>999999999}'.format('x')",
        "('x' * 600) + ('x' * 600)",
        "('x' * 600) ~ ('x' * 600)",
        "range(10**9) | list",
    ],
)
def test_an_expression_that_would_fill_the_memory_is_refused_before_it_runs(tmp_path: Path, expression: str) -> None:
    message = refused(tmp_path, f"Dear {{{{ interviewer }}}}, {{{{ {expression} }}}}\n")
    assert "a letter" in message


def test_doubling_a_text_in_a_loop_stops_at_the_cap(tmp_path: Path) -> None:
    text = "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}"
    assert "longer than 1000 characters" in refused(tmp_path, text)


def test_a_letter_longer_than_the_cap_is_refused(tmp_path: Path) -> None:
    assert "longer than" in refused(tmp_path, "{% for i in range(100) %}{{ 'x' * 20 }}{% endfor %}")
    assert "longer than" in refused(tmp_path, "{% for i in range(100) %}twenty characters...{% endfor %}")


def test_text_kept_in_a_block_counts_too(tmp_path: Path) -> None:
    text = "{% set page %}{% for i in range(1000) %}{{ 'x' * 900 }}{% endfor %}{% endset %}{{ page | length }}"
    assert "longer than" in refused(tmp_path, text)


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="the memory cap needs Linux's /proc")
def test_what_the_checks_do_not_foresee_is_stopped_by_the_memory_cap(tmp_path: Path) -> None:
    # Each piece is within the caps; joined, they would take 3.6 GB.
    import resource

    before = resource.getrlimit(resource.RLIMIT_AS)
    caps = Caps(max_chars=64 * 1024, seconds=5, memory=64 * 1024 * 1024)
    message = refused(tmp_path, "{{ (('x' * 60000,) * 60000) | join | length }}", caps)
    assert "needs more memory than a letter does" in message
    assert resource.getrlimit(resource.RLIMIT_AS) == before


def test_a_template_that_runs_for_ever_is_stopped_by_the_clock(tmp_path: Path) -> None:
    loops = "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}{% endfor %}{% endfor %}{% endfor %}"
    assert "took longer than 0.2 seconds" in refused(tmp_path, loops, QUICK)


def test_a_silent_loop_is_stopped_by_the_timer_which_is_then_put_back(tmp_path: Path) -> None:
    # No range, no output: only the timer can stop it (4 * 10**8 turns).
    before = signal.getsignal(signal.SIGALRM)
    loops = "{% set s = 'x' * 20000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}"
    assert "took longer than 0.2 seconds" in refused(tmp_path, loops, QUICK)
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_an_ordinary_template_is_untouched_by_the_caps(tmp_path: Path) -> None:
    text = "{% for name in interviewers %}{{ loop.index }}. {{ name | upper }}{{ ' ' * 3 }}{% endfor %}{{ 2 ** 10 }}"
    assert render(tmp_path, text) == "1. ANA LÓPEZ   2. BO CHEN   1024\n"


def test_the_cli_names_the_template_and_fails_cleanly(run: Run, home: Path) -> None:
    template(home / "letters", "{{ 'x' * 10**9 }}", "huge")
    add_interview(run, "Acme", "--note", "x", at="2026-11-27 10:00")
    result = run("letter", "acme", "--template", "huge")
    assert result.exit_code == 1
    assert str(home / "letters" / "huge.txt.j2") in result.stderr
    assert "a letter is a page" in result.stderr
    assert result.stdout == ""


# --- building on the built-in templates --------------------------------------------------------------


def test_a_user_template_extends_a_built_in_one_and_replaces_a_block(tmp_path: Path) -> None:
    text = '{% extends "builtin:mail.txt.j2" %}{% block note %}PS: {{ note }}{% endblock %}'
    letter = render(tmp_path, text)
    assert "Dear Ana López,\n\nThank you for taking the time" in letter
    assert "\nPS: Thanks for the tour.\n" in letter
    assert letter.rstrip().endswith("Sam")


def test_a_user_mail_template_can_extend_the_built_in_mail(tmp_path: Path) -> None:
    text = '{% extends "builtin:mail.txt.j2" %}{% block signature %}Cheers, {{ your_name }}{% endblock %}'
    letter = render(tmp_path, text, name="mail")
    assert letter.endswith("\nCheers, Sam\n")


def test_a_user_template_includes_a_built_in_one_and_its_neighbours(tmp_path: Path) -> None:
    template(tmp_path, "from the folder: {{ company }}", "part")
    letter = render(tmp_path, '{% include "part.txt.j2" %}\n{% include "builtin:email.txt.j2" %}')
    assert letter.startswith("from the folder: Acme\nSubject: Thank you for the Analyst interview\n")


# --- checking the user's templates, for `doctor` -------------------------------------------------------


def test_check_templates_reports_every_file_and_what_is_wrong(tmp_path: Path) -> None:
    folder = tmp_path / "letters"
    template(folder, "Dear {{ interviewer }}, {{ note }}", "good")
    template(folder, "{% if video %}{{ zoom_link }}{% endif %}Dear {{ interviewer }}", "undefined")
    template(folder, "{% if %}", "syntax")
    template(folder, "{{ 'x' * 2000 }}", "huge")
    template(folder, "fine", "two words")
    found = {check.path.name: check for check in check_templates(folder, now=NOW, caps=SMALL)}
    assert found["good.txt.j2"].problem is None
    assert "zoom_link" in (found["undefined.txt.j2"].problem or "")
    assert "line 1" in (found["syntax.txt.j2"].problem or "")
    assert "a letter is a page" in (found["huge.txt.j2"].problem or "")
    assert "--template" in (found["two words.txt.j2"].problem or "")
    assert all(check.hint for check in found.values() if check.problem)
    assert check_templates(tmp_path / "none", now=NOW) == []


# --- who gets a letter -----------------------------------------------------------------------------


def letter_steps(run: Run, acme: str, who: str) -> list[str]:
    steps = json.loads(run("show", acme, "--json").stdout)["steps"]
    return [step["id"] for step in steps if "letter" in step["source"] and step["interviewer"] == who]


def test_no_letter_to_an_interviewer_whose_letter_steps_were_skipped(run: Run) -> None:
    acme = add_interview(run, "Acme", "-i", "Ana López", "-i", "Bo Chen", "--note", "x", at="2026-11-27 10:00")
    assert run("skip", acme, *letter_steps(run, acme, "Bo Chen")).exit_code == 0
    result = run("letter", acme, "--json")
    assert result.exit_code == 0, result.output
    assert [letter["interviewer"] for letter in json.loads(result.stdout)] == ["Ana López"]
    assert "no letter to Bo Chen: the letter steps are skipped" in result.stderr


def test_to_drafts_a_skipped_letter_and_says_why(run: Run) -> None:
    acme = add_interview(run, "Acme", "-i", "Ana López", "-i", "Bo Chen", "--note", "x", at="2026-11-27 10:00")
    assert run("skip", acme, *letter_steps(run, acme, "Bo Chen")).exit_code == 0
    result = run("letter", acme, "--to", "bo", "--json")
    assert result.exit_code == 0, result.output
    assert [letter["interviewer"] for letter in json.loads(result.stdout)] == ["Bo Chen"]
    assert "since --to names them" in result.stderr


def test_when_every_letter_step_is_skipped_it_says_so(run: Run) -> None:
    acme = add_interview(run, "Acme", "-i", "Ana López", "-i", "Bo Chen", "--note", "x", at="2026-11-27 10:00")
    skipped = letter_steps(run, acme, "Ana López") + letter_steps(run, acme, "Bo Chen")
    assert run("skip", acme, *skipped).exit_code == 0
    result = run("letter", acme)
    assert result.exit_code == 1
    assert f"every letter step of {acme} is skipped: no letter to draft" in result.stderr
    assert result.stdout == ""


def test_a_done_letter_step_still_gets_its_letter(run: Run) -> None:
    acme = add_interview(run, "Acme", "-i", "Ana López", "-i", "Bo Chen", "--note", "x", at="2026-11-27 10:00")
    assert run("done", acme, letter_steps(run, acme, "Bo Chen")[0]).exit_code == 0
    result = run("letter", acme, "--json")
    assert [letter["interviewer"] for letter in json.loads(result.stdout)] == ["Ana López", "Bo Chen"]


# --- a note per interviewer ------------------------------------------------------------------------


def test_each_interviewer_gets_their_own_note_or_else_the_interviews(run: Run) -> None:
    acme = add_interview(run, "Acme", "-i", "Ana López", "-i", "Bo Chen", "--note", "x", at="2026-11-27 10:00")
    store = Store(Path(os.environ["FOLLOWUP_HOME"]))
    assert '"interviewer_notes"' not in store.path.read_text(encoding="utf-8")  # the stored format is unchanged
    with store.change() as document:
        notes = {"Ana López": "Good luck with the move to Lisbon."}
        document.put(document.open[acme].model_copy(update={"interviewer_notes": notes}))
    letters = {item["interviewer"]: item["text"] for item in json.loads(run("letter", acme, "--json").stdout)}
    assert "\nGood luck with the move to Lisbon.\n" in letters["Ana López"]
    assert "Lisbon" not in letters["Bo Chen"] and "\nx\n" in letters["Bo Chen"]
    assert store.read().open[acme].interviewer_notes == {"Ana López": "Good luck with the move to Lisbon."}


def test_the_note_falls_back_to_the_placeholder_for_the_hiring_team(tmp_path: Path) -> None:
    found = template(tmp_path, "{{ note }}|{{ has_note }}")
    plain = interview(interviewer_notes={"Ana López": "Own note."}, notes=None)
    texts = [
        letter.text
        for letter in draft(plain, found, ["Ana López", HIRING_TEAM], note=None, your_name="", now=NOW, zone=BERLIN)
    ]
    assert texts == ["Own note.|True\n", "[add a personal note: something you talked about]|False\n"]
