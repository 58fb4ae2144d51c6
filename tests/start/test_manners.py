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


def test_a_terminal_sees_the_step_running(show: Path, tmp_path: Path) -> None:
    """On a terminal, each step is shown on one line that the next replaces, and the line is
    cleared before the summary."""
    import os
    import pty
    import subprocess
    import sys

    controller, terminal = pty.openpty()
    try:
        build = subprocess.run(
            [sys.executable, "-m", "stationcast", "build", "--no-cache"],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=terminal,
            text=True,
            timeout=120,
            check=False,
        )
        os.close(terminal)
        terminal = -1
        seen = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the terminal's other end is closed: all read
                break
            if not chunk:
                break
            seen += chunk
    finally:
        if terminal >= 0:
            os.close(terminal)
        os.close(controller)
    assert build.returncode == 0
    text = seen.decode()
    assert re.findall(r"\r(\w+)…\x1b\[K", text) == ["reading", "rendering", "writing", "validating"]
    assert text.endswith("\r\x1b[K")
    assert build.stdout.startswith("Built 1 episode into feeds/")
