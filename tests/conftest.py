"""Shared fixtures: the example show copied into a temporary folder, and a CLI runner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from stationcast.cli import cli
from support import copy_example


@pytest.fixture
def show(tmp_path: Path) -> Path:
    """A private copy of the example show (episodes/), safe to edit."""
    target = tmp_path / "episodes"
    copy_example(target)
    return target


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run the real CLI in `tmp_path` (so relative paths in messages are short and stable)."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke
