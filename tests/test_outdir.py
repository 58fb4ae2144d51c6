"""The output folder is replaced as a whole, so a build refuses any folder it must not replace."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from support import tree_digest


@pytest.mark.parametrize("out", ["episodes", "episodes/site", ".", ".."])
def test_output_over_the_sources_is_refused(
    out: str, show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """--out that is, is inside, or contains the episodes folder: refused, sources untouched."""
    before = tree_digest(show)
    result = run("build", "--out", out)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: --out {out} ")
    assert "Traceback" not in result.stderr
    assert tree_digest(show) == before


def test_a_folder_stationcast_did_not_build_is_refused(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """An existing non-empty folder without a build's state file is left alone."""
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "todo.txt").write_text("keep me", encoding="utf-8")
    result = run("build", "--out", "notes")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: --out notes is a folder stationcast did not build"
        " (it has no .stationcast/state.json); the build replaces its output folder as a whole,"
        " so give an empty or new folder\n"
    )
    assert (notes / "todo.txt").read_text(encoding="utf-8") == "keep me"


def test_an_empty_folder_and_an_earlier_build_are_accepted(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """An empty folder can become the output, and a previous build's output can be replaced."""
    (tmp_path / "site").mkdir()
    assert run("build", "--out", "site").exit_code == 0
    assert run("build", "--out", "site").exit_code == 0


def test_the_library_names_the_option_not_the_flag(
    show: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """build_show called from Python: the refusal names its `out` argument, not `--out`, and
    carries the option so that the command line can spell it as its flag."""
    from stationcast.build import build_show
    from stationcast.cli.report import describe
    from stationcast.errors import BuildError

    monkeypatch.chdir(tmp_path)
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "todo.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(BuildError) as refused:
        build_show(show, Path("notes"))
    reason = (
        " is a folder stationcast did not build (it has no .stationcast/state.json); the build"
        " replaces its output folder as a whole, so give an empty or new folder"
    )
    assert str(refused.value) == "out=notes" + reason
    assert describe(refused.value, None) == "--out notes" + reason
    assert (notes / "todo.txt").read_text(encoding="utf-8") == "keep me"
