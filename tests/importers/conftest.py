"""Fixtures for the importer tests: a show folder with the example's show.yaml and artwork."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support import EXAMPLE


@pytest.fixture
def empty_show(tmp_path: Path) -> Path:
    """The example show without its episode: show.yaml and artwork.jpg only."""
    target = tmp_path / "episodes"
    target.mkdir()
    shutil.copy(EXAMPLE / "show.yaml", target / "show.yaml")
    shutil.copy(EXAMPLE / "artwork.jpg", target / "artwork.jpg")
    return target
