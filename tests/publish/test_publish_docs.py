"""Every option of `serve` and `publish` has help text and appears in docs/serve-publish.md."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from stationcast.cli.publish import publish_command
from stationcast.cli.report import SHARED_OPTIONS
from stationcast.cli.serve import serve_command

DOCS = Path(__file__).resolve().parents[2] / "docs" / "serve-publish.md"


@pytest.mark.parametrize("command", [serve_command, publish_command], ids=lambda c: c.name)
def test_options_documented(command: click.Command) -> None:
    """Each long option has help and is named in the docs section the README takes."""
    text = DOCS.read_text(encoding="utf-8")
    assert command.help
    assert f"stationcast {command.name}" in text
    for param in command.params:
        if param.name in SHARED_OPTIONS:  # every command's, documented once in the README
            continue
        if isinstance(param, click.Option) and param.name != "help":
            assert param.help, param.opts
            for opt in param.opts:
                if opt.startswith("--"):
                    assert opt in text, f"{opt} is not in {DOCS.name}"
