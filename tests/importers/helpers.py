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
    """The real `stationcast` group when it has `import` (the lead registers it in cli.py);
    until then a group with the same error handling holding only `import`, so the tests never
    change the shared `cli` object."""
    from stationcast.cli import _Group, cli
    from stationcast.cli.import_ import import_command

    if cli.get_command(click.Context(cli), "import") is not None:
        return cli
    return _Group(name="stationcast", commands={"import": import_command})
