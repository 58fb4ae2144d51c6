"""The command line as a whole: every command is documented, errors never show tracebacks."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from stationcast import __version__
from stationcast.cli import cli
from support import REPO

COMMANDS = cli.list_commands(click.Context(cli))


def test_the_expected_commands_exist() -> None:
    """The verbs the README promises are all there."""
    assert set(COMMANDS) >= {"build", "new", "validate", "serve", "publish", "tag", "import"}


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_and_a_readme_entry(name: str) -> None:
    """`stationcast NAME -h` prints a summary, and the README's command table names it."""
    result = CliRunner().invoke(cli, [name, "-h"])
    assert result.exit_code == 0, result.output
    command = cli.get_command(click.Context(cli), name)
    assert command is not None and (command.help or "").strip()
    assert f"`stationcast {name}" in (REPO / "README.md").read_text(encoding="utf-8")


def test_version() -> None:
    """`stationcast --version` names the program and its version."""
    result = CliRunner().invoke(cli, ["--version"])
    assert result.output == f"stationcast, version {__version__}\n"


def test_unknown_command_is_a_usage_error() -> None:
    """A mistyped command exits 2 and suggests the right one (click's own message)."""
    result = CliRunner().invoke(cli, ["biuld"])
    assert result.exit_code == 2
    assert "Did you mean 'build'?" in result.stderr


def test_missing_episodes_folder_is_a_clear_error(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Running build where there is no show says so, without a traceback."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 1
    assert result.stderr == (
        "episodes: is not a folder; expected the episodes folder with show.yaml\n"
        "error: 1 problem in 1 file; nothing was written to feeds/\n"
    )
