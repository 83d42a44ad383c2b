"""Usage errors are two plain lines with exit code 2, like every other error."""

from __future__ import annotations

import pytest

from helpers import Run


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["bogus"], "No such command 'bogus'"),
        (["lst"], "Did you mean 'list'?"),
        (["due", "--wihin", "3d"], "No such option: --wihin"),
        (["new", "--company"], "'--company' requires an argument"),
        (["show"], "Missing argument 'ID'"),
    ],
)
def test_usage_errors_are_two_plain_lines_and_exit_2(run: Run, args: list[str], expected: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 2, result.stderr
    assert lines[0].startswith("error: ") and expected in lines[0]
    assert "--help" in lines[1]
    assert "╭" not in result.stderr and "Traceback" not in result.stderr


def test_version(run: Run) -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("followup ")
