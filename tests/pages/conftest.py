"""Fixtures for the page tests: `make_show` builds a small show in tmp_path (see shows.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pages.shows import MakeShow, build_fixture_show, episode


@pytest.fixture
def make_show(tmp_path: Path) -> MakeShow:
    """Write a show and build it; returns the output folder.

    `transcripts` maps an episode's slug to (file name, text); `templates` maps a template
    name to its text, written to the show's templates/ folder.
    """
    counter = iter(range(1000))

    def make(
        episodes: list[dict[str, Any]] | None = None,
        *,
        transcripts: dict[str, tuple[str, str]] | None = None,
        templates: dict[str, str] | None = None,
        **show_fields: Any,
    ) -> Path:
        root = tmp_path / f"show{next(counter)}"
        return build_fixture_show(
            root,
            [episode()] if episodes is None else episodes,
            transcripts=transcripts or {},
            templates=templates or {},
            **show_fields,
        )

    return make
