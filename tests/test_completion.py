"""Shell completion that knows your data, through Typer's own mechanism: the
shell runs `followup` with `_FOLLOWUP_COMPLETE` and the words typed so far."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import Run, script
from followup.store.core import Store


def add(run: Run, company: str, at: str, *extra: str) -> str:
    result = run("new", "--company", company, "--role", "Analyst", "--at", at, "--json", *extra)
    assert result.exit_code == 0, result.output
    return str(json.loads(result.stdout)["id"])


def complete(run: Run, line: str, shell: str = "bash") -> list[str]:
    """What the shell would offer for the last word of `line` (empty after a trailing space)."""
    words = line.split()
    if shell == "bash":
        cword = len(words) if line.endswith(" ") else len(words) - 1
        env = {"_FOLLOWUP_COMPLETE": "complete_bash", "COMP_WORDS": line, "COMP_CWORD": str(cword)}
    else:
        env = {"_FOLLOWUP_COMPLETE": f"complete_{shell}", "_TYPER_COMPLETE_ARGS": line}
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    result = run(env=env)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return [item for item in result.stdout.splitlines() if item]


@pytest.fixture
def interviews(run: Run) -> dict[str, str]:
    """acme (Fri, open, a panel), beta (Thu, open) and acme in October (closed)."""
    ids = {
        "acme": add(run, "Acme", "2026-11-27 10:00", "-i", "Ana López", "-i", "Bo Chen"),
        "beta": add(run, "Beta", "2026-11-26 10:00"),
        "old": add(run, "Acme", "2026-10-01 10:00"),
    }
    assert run("close", ids["old"], "--outcome", "rejected").exit_code == 0
    assert ids == {"acme": "acme-1127", "beta": "beta-1126", "old": "acme-1001"}
    return ids


def test_interview_ids_open_ones_first_then_closed(run: Run, interviews: dict[str, str]) -> None:
    assert complete(run, "followup done ") == ["beta-1126", "acme-1127", "acme-1001"]
    assert complete(run, "followup done ac") == ["acme-1127", "acme-1001"]
    assert complete(run, "followup done acme-10") == ["acme-1001"]
    assert complete(run, "followup done x") == []


@pytest.mark.parametrize(
    "command", ["show", "edit", "close", "reopen", "rm", "done", "skip", "undo", "letter", "show --json"]
)
def test_every_id_argument_completes_ids(run: Run, interviews: dict[str, str], command: str) -> None:
    assert complete(run, f"followup {command} b") == ["beta-1126"]


def test_steps_of_the_interview_already_typed(run: Run, interviews: dict[str, str]) -> None:
    assert complete(run, "followup done acme-1127 ") == [
        "thank-interviewer",
        "shake-hands",
        "greet-staff",
        "write-letter-ana",
        "write-letter-bo",
        "mail-letter-ana",
        "mail-letter-bo",
    ]
    assert complete(run, "followup skip acme-1127 write") == ["write-letter-ana", "write-letter-bo"]
    # an unambiguous start of the id is enough, and steps already typed are not offered again
    assert complete(run, "followup done beta greet-staff ") == [
        "thank-interviewer",
        "shake-hands",
        "write-letter",
        "mail-letter",
    ]


def test_steps_done_are_not_offered_to_done_but_to_undo(run: Run, interviews: dict[str, str]) -> None:
    assert run("done", "beta", "thank-interviewer", "shake-hands").exit_code == 0
    assert complete(run, "followup done beta ") == ["greet-staff", "write-letter", "mail-letter"]
    assert complete(run, "followup undo beta ") == ["thank-interviewer", "shake-hands"]


def test_steps_of_a_closed_interview(run: Run, interviews: dict[str, str]) -> None:
    assert "thank-interviewer" in complete(run, "followup done acme-1001 ")


def test_no_steps_for_an_ambiguous_or_unknown_interview(run: Run, interviews: dict[str, str]) -> None:
    assert complete(run, "followup done acme ") == []
    assert complete(run, "followup done nope ") == []


def test_completion_reads_the_pending_index_not_the_whole_store(
    run: Run, interviews: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: Store) -> None:
        raise AssertionError("the whole store was read")

    monkeypatch.setattr(Store, "read", refuse)
    assert complete(run, "followup show ") == ["beta-1126", "acme-1127", "acme-1001"]
    assert complete(run, "followup done beta ")[0] == "thank-interviewer"


def test_checklist_names(run: Run, home: Path) -> None:
    assert complete(run, "followup new --checklist ") == ["post-interview", "pre-interview"]
    assert complete(run, "followup checklists show po") == ["post-interview"]
    mine = home / "checklists"
    mine.mkdir(parents=True)
    (mine / "phone-screen.yaml").write_text("name: phone-screen\n", encoding="utf-8")
    assert complete(run, "followup new --checklist ph") == ["phone-screen"]
    # a path is left to the shell's file completion
    assert complete(run, "followup new --checklist ./") == []


def test_outcomes(run: Run, interviews: dict[str, str]) -> None:
    assert complete(run, "followup close acme --outcome ") == ["offer", "rejected", "withdrawn", "no-response"]
    assert complete(run, "followup close acme -o w") == ["withdrawn"]
    assert complete(run, "followup close acme -o n", shell="fish") == ["no-response"]


def test_template_names(run: Run, home: Path, interviews: dict[str, str]) -> None:
    assert complete(run, "followup letter acme --template ") == ["checkin", "email", "mail"]
    (home / "letters").mkdir()
    (home / "letters" / "short.txt.j2").write_text("x\n", encoding="utf-8")
    assert complete(run, "followup letter acme -t s") == ["short"]


def test_zsh_and_fish_show_what_each_id_is(run: Run, interviews: dict[str, str]) -> None:
    zsh = complete(run, "followup show b", shell="zsh")
    assert '"beta-1126":"Beta · Analyst"' in "\n".join(zsh)
    assert complete(run, "followup show acme-10", shell="fish") == ["acme-1001\tclosed"]


def test_user_text_in_the_help_cannot_reach_the_shell(run: Run) -> None:
    # zsh evaluates what completion prints, and Typer reads help as rich markup.
    add(run, "Evil $(touch x) `y` [red]'\"; Corp", "2026-11-27 10:00")
    [line] = complete(run, "followup show ", shell="zsh")
    assert line == """_arguments '*: :(("evil-touch-x-1127":"Evil (touch x) y red Corp · Analyst"))'"""


def test_a_damaged_store_completes_nothing(run: Run, home: Path, interviews: dict[str, str]) -> None:
    (home / "followup.json").write_text("{", encoding="utf-8")
    assert complete(run, "followup show ") == []
    assert complete(run, "followup done beta ") == []


def test_no_store_and_a_bad_environment_complete_nothing(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    assert complete(run, "followup show ") == []
    monkeypatch.setenv("FOLLOWUP_NOW", "not a time")
    assert complete(run, "followup show ") == []


def test_commands_still_complete(run: Run) -> None:
    assert complete(run, "followup le") == ["letter"]


def test_show_completion_prints_the_script(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")  # read when the command is built
    result = run("--show-completion", "bash")
    assert result.exit_code == 0, result.output
    assert "_FOLLOWUP_COMPLETE=complete_bash" in result.stdout


def test_the_installed_script_completes_as_a_shell_runs_it(run: Run, home: Path, interviews: dict[str, str]) -> None:

    env = {
        **os.environ,
        "FOLLOWUP_HOME": str(home),
        "_FOLLOWUP_COMPLETE": "complete_bash",
        "COMP_WORDS": "followup done ac",
        "COMP_CWORD": "2",
    }
    done = subprocess.run([script()], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["acme-1127", "acme-1001"]
