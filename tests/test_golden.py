"""The example's built output is committed in feeds/ and must match a fresh build byte for byte.

When a change to stationcast changes the output on purpose, refresh it with
`uv run stationcast build` and review the diff of feeds/ like any other change.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from support import EXAMPLE, EXAMPLE_OUTPUT, EXAMPLE_SLUG, tree_digest


def test_committed_example_output_is_up_to_date(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """A fresh build of episodes/ equals the committed feeds/, file for file, byte for byte."""
    shutil.copy(EXAMPLE / EXAMPLE_SLUG / "alignment.json", show / EXAMPLE_SLUG)  # (as shipped)
    assert run("build").exit_code == 0
    fresh = tree_digest(tmp_path / "feeds")
    committed = tree_digest(EXAMPLE_OUTPUT)
    assert sorted(fresh) == sorted(committed), "files differ; run `uv run stationcast build`"
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert not stale, f"out of date: {stale}; run `uv run stationcast build` and review the diff"


def test_the_example_is_clean(run: Callable[..., Result]) -> None:
    """The shipped example's feed has no finding at all, not even an info: it is what a
    producer copies."""
    result = run("validate", str(EXAMPLE_OUTPUT / "feed.xml"))
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(": 0 errors, 0 warnings, 0 info (1 items, profile all)\n")
