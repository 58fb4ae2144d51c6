"""The build's findings at the manifest: a finding inside one episode's item names its
episode.yaml (with the feed line beside it), not only feed.xml."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from stationcast import validate
from support import add_episode, tree_digest


def test_a_gate_finding_inside_an_item_names_the_episode_manifest(
    show: Path, tmp_path: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    add_episode(show, "second", title="The Second Segment")
    assert run("build").exit_code == 0
    before = tree_digest(tmp_path / "feeds")
    real = validate.validate_bytes
    rule = next(r for r in validate.RULES.values() if r.severity == "error")
    planted: list[int] = []

    def planting(data: bytes, **kwargs: Any) -> Any:
        report = real(data, **kwargs)
        lines = data.decode().splitlines()
        # inside the second episode's item, and on the channel
        line = next(i for i, text in enumerate(lines, 1) if "The Second Segment" in text)
        planted[:] = [line]
        report.findings.append(validate.Finding(rule, "planted in the item", line))
        report.findings.append(validate.Finding(rule, "planted on the channel", 3))
        return report

    monkeypatch.setattr(validate, "validate_bytes", planting)
    (show / "second" / "episode.yaml").write_text(
        (show / "second" / "episode.yaml").read_text().replace("Another", "A")
    )
    result = run("build")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert (
        f"  episodes/second/episode.yaml: {rule.id}: planted in the item (feed.xml:{planted[0]})"
        in lines
    )
    assert f"  feed.xml:3: {rule.id}: planted on the channel" in lines
    assert tree_digest(tmp_path / "feeds") == before


def test_strict_makes_warnings_errors_and_leaves_the_output(
    show: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    result = run("build", "--base-url", "http://127.0.0.1:8000/", "--strict")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error: 1 warning, and --strict makes warnings errors; nothing was written:\n"
        "  the base URL http://127.0.0.1:8000/ is not https"
    )
    assert not (tmp_path / "feeds").exists()
    plain = run("build", "--base-url", "http://127.0.0.1:8000/")
    assert plain.exit_code == 0
    assert plain.stderr.splitlines()[-1] == "1 warning (--strict makes them errors)"


def test_warnings_are_grouped_by_the_file_they_name() -> None:
    from stationcast.build.pipeline import sort_warnings

    warnings = [
        "episodes/a/episode.yaml:3:1: transcript: one",
        "the feed moved",
        "episodes/b/episode.yaml: two",
        "episodes/a/episode.yaml:9:1: chapters: three",
    ]
    assert sort_warnings(warnings) == [
        warnings[0],
        warnings[3],
        warnings[1],
        warnings[2],
    ]
