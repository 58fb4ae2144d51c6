"""The manners every command shares: -q, -v, --color/--no-color and NO_COLOR, the build's
named steps and its summary counts."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from stationcast.cli import cli
from support import EXAMPLE_SLUG

COMMANDS = cli.list_commands(click.Context(cli))


@pytest.mark.parametrize("name", [c for c in COMMANDS if c != "import"] + ["import page"])
def test_every_command_takes_quiet_verbose_and_color(name: str) -> None:
    result = CliRunner().invoke(cli, [*name.split(), "-h"])
    assert result.exit_code == 0, result.output
    for flag in ("-q, --quiet", "-v, --verbose", "--color / --no-color"):
        assert flag in result.stdout, (name, flag)


def _draft_and_warning(show: Path) -> None:
    (show / "later").mkdir()
    (show / "later" / "episode.yaml").write_text("draft: true\ntitle: Later\n", encoding="utf-8")
    transcript = show / EXAMPLE_SLUG / "transcript.txt"
    transcript.write_text(
        transcript.read_text(encoding="utf-8") + "\nSTRANGER: Hello.\n", encoding="utf-8"
    )


def test_the_summary_counts_warnings_and_drafts(show: Path, run: Callable[..., Result]) -> None:
    _draft_and_warning(show)
    result = run("build")
    assert result.exit_code == 0, result.output
    assert re.fullmatch(
        r"Built 1 episode into feeds/ in [0-9.]+ s \(1 rendered, 0 reused, 1 warning,"
        r" 1 draft skipped\); feed: feeds/feed.xml\n",
        result.stdout,
    )


def test_quiet_prints_errors_only(show: Path, run: Callable[..., Result]) -> None:
    _draft_and_warning(show)
    result = run("build", "-q")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    (show / "artwork.jpg").unlink()
    failed = run("build", "-q")
    assert failed.exit_code == 1
    assert failed.stderr.endswith("error: 1 problem in 1 file; nothing was written to feeds/\n")


def test_verbose_names_the_build_steps(show: Path, run: Callable[..., Result]) -> None:
    result = run("build", "-v", "--no-cache")
    assert result.exit_code == 0, result.output
    steps = re.findall(r"^(\w+)… \([0-9.]+ s\)$", result.stderr, re.M)
    assert steps == ["reading", "rendering", "writing", "validating"]


def test_color_is_asked_for_or_refused(
    show: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--color colours the error: prefix even off a terminal; NO_COLOR and --no-color never."""
    (show / "artwork.jpg").unlink()
    coloured = run("build", "--color")
    assert coloured.stderr.splitlines()[-1].startswith("\x1b[31m\x1b[1merror:\x1b[0m 1 problem")
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run("build").stderr
    assert "\x1b[" in run("build", "--color").stderr  # asked for in so many words
    monkeypatch.delenv("NO_COLOR")
    assert "\x1b[" not in run("build", "--no-color").stderr
