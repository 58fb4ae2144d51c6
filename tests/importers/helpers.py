"""Helpers shared by the importer tests."""

from __future__ import annotations

from pathlib import Path

import click

from stationcast.manifest import read_document

DATA = Path(__file__).parent / "data"


def manifest(path: Path) -> object:
    """A manifest's values as stationcast reads them (dates stay text; aliases refused)."""
    problems: list[object] = []
    doc = read_document(path, problems)  # type: ignore[arg-type]
    assert doc is not None, problems
    return doc.data


def stationcast_cli() -> click.Group:
    """The real `stationcast` group (its `import` command, its error reporting)."""
    from stationcast.cli import cli

    return cli
