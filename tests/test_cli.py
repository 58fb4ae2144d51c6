"""The command line as a whole: every command is documented, errors never show tracebacks."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from stationcast import __version__
from stationcast.cli import cli
from stationcast.cli.report import Command, Group, flag
from stationcast.errors import Option, StationcastError
from support import REPO, tree_digest

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


#: Every library the command line calls; none of them may load click (the CLI is the only
#: user of click, so a library caller never pays for it or depends on it).
LIBRARIES = [
    "stationcast.build",
    "stationcast.validate",
    "stationcast.publish",
    "stationcast.tagging",
    "stationcast.importers",
    "stationcast.serve",
]


@pytest.mark.parametrize("module", LIBRARIES)
def test_library_imports_do_not_load_click(module: str) -> None:
    """Importing the library in a fresh interpreter leaves click unloaded."""
    probe = (
        f"import sys, {module}; print(sorted(m for m in sys.modules if m.split('.')[0] == 'click'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout == "[]\n", done.stdout


def test_import_feed_is_offered_by_the_importers_package() -> None:
    """`from stationcast.importers import import_feed` works, as the package docstring says."""
    from stationcast.importers import import_feed
    from stationcast.importers.feed import import_feed as defined

    assert import_feed is defined


def _commands(group: click.Group) -> Iterator[tuple[str, click.Command]]:
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        yield name, command
        if isinstance(command, click.Group):
            yield from ((f"{name} {sub}", c) for sub, c in _commands(command))


@pytest.mark.parametrize("name", [name for name, _ in _commands(cli)])
def test_every_command_reports_errors_through_the_one_reporter(name: str) -> None:
    """Each command (import's subcommands too) is a report.Command, whose invoke reports
    stationcast's errors (a command made otherwise would print tracebacks), and each group
    a report.Group, whose commands are made as report.Commands."""
    command = dict(_commands(cli))[name]
    assert isinstance(command, Group if isinstance(command, click.Group) else Command)


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port on 127.0.0.1 that something is already listening on."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        yield listener.getsockname()[1]


# A stationcast error from each command: (arguments, stderr without --traceback). Run in an
# empty folder holding only site/ (an empty folder), so nothing exists that could be changed.
# validate is not here: its errors are findings in its report or usage errors (exit 2).
ERROR_CASES = [
    (
        ["build", "--episodes", "missing"],
        "missing: is not a folder; expected the episodes folder with show.yaml\n"
        "error: 1 problem in 1 file; nothing was written to feeds/\n",
    ),
    (
        ["new", "Title", "--episodes", "nowhere"],
        "error: nowhere/show.yaml not found; run this in a show's folder or pass --episodes\n",
    ),
    (["publish", "--to", "", "--out", "site"], "error: --to: empty destination\n"),
    (
        ["publish", "--to", "s3://", "--out", "site"],
        "error: --to s3://: expected s3://BUCKET/PREFIX (credentials come from the AWS"
        " environment variables or --profile, never from the URL)\n",
    ),
    (
        ["serve", "--port", "{port}", "--no-watch"],
        "error: cannot listen on 127.0.0.1:{port}: Address already in use; another program uses"
        " it: pass --port 0 to pick a free port, or another --port\n",
    ),
    (
        ["tag", "--episodes", "missing"],
        "missing: is not a folder; expected the episodes folder with show.yaml\n"
        "error: 1 problem in 1 file; no audio file was changed\n",
    ),
    (
        ["import", "page", "missing.txt"],
        "error: missing.txt: not found; expected a file holding the story page, or an http(s)"
        " URL\n",
    ),
    (
        ["import", "feed", "missing.xml"],
        "error: missing.xml: not found; expected a file holding the podcast feed, or an http(s)"
        " URL\n",
    ),
]

ERROR_IDS = [" ".join(args) for args, _ in ERROR_CASES]


@pytest.mark.parametrize(("args", "expected"), ERROR_CASES, ids=ERROR_IDS)
def test_an_error_is_one_message_and_exit_1(
    args: list[str],
    expected: str,
    busy_port: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without --traceback: the located message on stderr, exit 1, no traceback, no change."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "site").mkdir()
    args = [a.format(port=busy_port) for a in args]
    result = CliRunner().invoke(cli, args)
    assert (result.exit_code, result.stderr) == (1, expected.format(port=busy_port))
    assert "Traceback" not in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
    assert tree_digest(tmp_path) == {}


@pytest.mark.parametrize(("args", "expected"), ERROR_CASES, ids=ERROR_IDS)
def test_traceback_lets_the_error_through(
    args: list[str],
    expected: str,
    busy_port: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`stationcast --traceback COMMAND`: the same error is raised, not reported (every
    command, publish and serve included), and still nothing was written."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "site").mkdir()
    args = [a.format(port=busy_port) for a in args]
    result = CliRunner().invoke(cli, ["--traceback", *args])
    assert isinstance(result.exception, StationcastError), result.output
    assert result.stderr == ""
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
    assert tree_digest(tmp_path) == {}


# How the command line spells an option a library message names:
# (option, command it is spelled for, flag).
FLAG_CASES = [
    (Option("allow_removal"), "build", "--allow-removal"),
    (Option("out", "notes"), "build", "--out notes"),
    (Option("jobs"), "build", "--jobs"),  # the long flag, not -j
    (Option("dest"), "publish", "--to"),  # the flag the command declares for the parameter
    (Option("state"), "serve", "--state"),  # not a serve option: the name with dashes
    (Option("allow_guid_change"), None, "--allow-guid-change"),
]


@pytest.mark.parametrize(("option", "command", "expected"), FLAG_CASES, ids=str)
def test_flags_are_spelled_from_the_option_field(
    option: Option, command: str | None, expected: str
) -> None:
    """report.flag: the command's own declaration first, else the name in dashes."""
    declared = cli.get_command(click.Context(cli), command) if command else None
    assert flag(option, declared) == expected


def test_a_bad_base_url_names_the_flag(show: Path, run: Callable[..., Result]) -> None:
    """build --base-url ftp://x: the library's error names the option, the CLI prints its flag;
    exit 1, and the sources are untouched with nothing built."""
    before = tree_digest(show)
    result = run("build", "--episodes", str(show), "--base-url", "ftp://x")
    assert (result.exit_code, result.stderr) == (
        1,
        "error: --base-url: expected an http:// or https:// URL, got 'ftp://x'\n",
    )
    assert tree_digest(show) == before
    assert not (show.parent / "feeds").exists()
