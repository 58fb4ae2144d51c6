"""Shell completion (click's): commands, options, and episode slugs for `tag`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from stationcast.cli import cli
from support import EXAMPLE_SLUG, add_episode


def _complete(words: str, monkeypatch: pytest.MonkeyPatch, cwd: Path) -> list[str]:
    monkeypatch.chdir(cwd)
    env = {
        "_STATIONCAST_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    result = CliRunner().invoke(cli, [], prog_name="stationcast", env=env)
    assert result.exit_code == 0, result.output
    return [line.partition(",")[2] for line in result.stdout.splitlines()]


def test_tag_completes_episode_slugs(
    show: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_episode(show, "island-news")
    (show / "is-not-an-episode").mkdir()  # no episode.yaml
    assert _complete("stationcast tag is", monkeypatch, tmp_path) == [EXAMPLE_SLUG, "island-news"]
    assert _complete("stationcast tag ", monkeypatch, tmp_path) == [EXAMPLE_SLUG, "island-news"]


def test_commands_complete(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _complete("stationcast in", monkeypatch, tmp_path) == ["init"]
