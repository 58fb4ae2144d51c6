"""Fixtures for the importer tests: a show folder with the example's show.yaml and artwork."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support import EXAMPLE

DATA = Path(__file__).parent / "data"


@pytest.fixture
def empty_show(tmp_path: Path) -> Path:
    """The example show without its episode: show.yaml and artwork.jpg only."""
    target = tmp_path / "episodes"
    target.mkdir()
    shutil.copy(EXAMPLE / "show.yaml", target / "show.yaml")
    shutil.copy(EXAMPLE / "artwork.jpg", target / "artwork.jpg")
    return target


def manifest(path: Path) -> object:
    """A manifest's values as stationcast reads them (dates stay text; aliases refused)."""
    from stationcast.manifest import read_document

    problems: list[object] = []
    doc = read_document(path, problems)  # type: ignore[arg-type]
    assert doc is not None, problems
    return doc.data
