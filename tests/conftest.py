"""Every test runs in its own FOLLOWUP_HOME, at a fixed time, in a fixed zone and width."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from followup.cli.app import app
from helpers import NOW, Run


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary home, a fixed clock and zone, and a stable terminal for every test."""
    home = tmp_path / "home"
    monkeypatch.setenv("FOLLOWUP_HOME", str(home))
    monkeypatch.setenv("FOLLOWUP_NOW", NOW)
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    return home


@pytest.fixture
def home(isolated: Path) -> Path:
    return isolated


@pytest.fixture
def run() -> Run:
    """Run `followup ARGS` as a user would; unexpected exceptions fail the test.

    `result.stdout` is the data, `result.stderr` the messages.
    """
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False)

    return invoke


# --- the CalDAV server of the sync tests -----------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Radicale on 127.0.0.1 for one test module, stopped by its process at the end."""
    from radicale_server import radicale

    with radicale(tmp_path_factory.mktemp("radicale")) as url:
        yield url


@pytest.fixture
def no_outer_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """No CalDAV settings (nor a CA bundle) from the environment the tests run in."""
    for name in list(os.environ):
        if name.startswith("FOLLOWUP_CALDAV_") or name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
            monkeypatch.delenv(name)
