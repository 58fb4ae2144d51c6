"""The build validates its own feed (offline) and refuses to publish one with errors."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

import stationcast.validate as validate
from stationcast.build import build_show
from stationcast.build import cache as build_cache
from stationcast.errors import BuildError
from support import add_episode, tree_digest


def test_the_example_feed_has_no_validation_errors(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """`stationcast validate` (every profile, offline, output files checked) finds no error."""
    assert run("build").exit_code == 0
    out = tmp_path / "feeds"
    report = validate.validate_bytes(
        (out / "feed.xml").read_bytes(), location="feed.xml", local_root=out
    )
    assert [report.describe(f) for f in report.errors] == []


def test_a_feed_with_validation_errors_is_not_published(
    show: Path, run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When validation finds an error in the staged feed, the build fails; feeds/ is untouched."""
    assert run("build").exit_code == 0
    before = tree_digest(tmp_path / "feeds")
    real = validate.validate_bytes
    seen: dict[str, Any] = {}

    def strict(data: bytes, **kwargs: Any) -> Any:
        seen.update(kwargs)
        report = real(data, **kwargs)
        rule = next(r for r in validate.RULES.values() if r.severity == "error")
        report.findings.append(validate.Finding(rule, "planted for this test", 7))
        return report

    monkeypatch.setattr(validate, "validate_bytes", strict)
    result = run("build")
    assert result.exit_code == 1
    rule_id = next(r for r in validate.RULES.values() if r.severity == "error").id
    assert result.stderr == (
        "error: the built feed fails validation (1 error), so it was not published and the previous"
        f" output is untouched:\n  feed.xml:7: {rule_id}: planted for this test\n"
    )
    assert tree_digest(tmp_path / "feeds") == before
    assert seen["location"] == "feed.xml" and seen["local_root"].name.startswith(".feeds.staging-")
    assert not [p for p in tmp_path.iterdir() if ".staging-" in p.name]


@pytest.fixture
def seven(show: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example show and six more episodes, built once into feeds/."""
    monkeypatch.chdir(tmp_path)
    for i in range(1, 7):
        add_episode(
            show,
            f"segment-{i}",
            title=f"Segment {i}",
            published=f"2016-01-0{i}T08:00:00-05:00",
            transcript=f"MCEVERS: Hello {i}.\n\nNEUMANN: Goodbye {i}.\n",
        )
    build_show(show, tmp_path / "feeds")
    return show


def recording(monkeypatch: pytest.MonkeyPatch, plant: str | None = None) -> list[int]:
    """Count the items of every document the build validates (the same validator as far as
    the build can tell); with `plant`, report an error in a document holding that text."""
    real = validate.validate_bytes
    items: list[int] = []

    @functools.wraps(real)
    def recorder(data: bytes, **kwargs: Any) -> Any:
        items.append(data.count(b"<item>"))
        report = real(data, **kwargs)
        if plant is not None and plant.encode() in data:
            rule = next(r for r in validate.RULES.values() if r.severity == "error")
            report.findings.append(validate.Finding(rule, "planted for this test", 7))
        return report

    monkeypatch.setattr(validate, "validate_bytes", recorder)
    return items


def test_an_edit_validates_the_channel_with_the_new_item_only(
    seven: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One edited episode of seven: the channel is unchanged, so only its item is revalidated."""
    items = recording(monkeypatch)
    (seven / "segment-3" / "transcript.txt").write_text("MCEVERS: Hullo 3.\n")
    assert build_show(seven, tmp_path / "feeds").built == 1
    assert items == [1]


def test_an_error_in_the_new_item_is_reported_from_the_whole_feed(
    seven: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error found in the partial validation fails the build, reported as a full validation
    of the staged feed reports it; the published output is untouched."""
    before = tree_digest(tmp_path / "feeds")
    items = recording(monkeypatch, plant="Segment 3 again")
    manifest = seven / "segment-3" / "episode.yaml"
    manifest.write_text(manifest.read_text().replace('"Segment 3"', '"Segment 3 again"'))
    with pytest.raises(
        BuildError, match=r"fails validation \(1 error\).*\n  feed.xml:7: .*planted for this test"
    ):
        build_show(seven, tmp_path / "feeds")
    assert items == [1, 7]
    assert tree_digest(tmp_path / "feeds") == before


def test_a_newer_episode_validates_the_channel_and_its_item(
    seven: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new newest episode changes only the channel's lastBuildDate, which no item rule reads:
    the channel (with its new date) is validated with the new item alone."""
    items = recording(monkeypatch)
    add_episode(seven, "segment-7", title="Segment 7", published="2016-01-07T08:00:00-05:00")
    assert build_show(seven, tmp_path / "feeds").built == 1
    add_episode(seven, "segment-0", title="Segment 0", published="2015-01-01T08:00:00-05:00")
    assert build_show(seven, tmp_path / "feeds").built == 1
    assert items == [1, 1]


def test_another_channel_validates_every_item(
    seven: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the last validated channel is not this one (here: the cache says so), every item is
    validated again, even after a one-episode edit."""
    cache = build_cache.default_location(tmp_path / "feeds")
    data = json.loads(cache.read_text())
    data["show"]["channel_sha"] = "0" * 64
    cache.write_text(json.dumps(data))
    items = recording(monkeypatch)
    (seven / "segment-3" / "transcript.txt").write_text("MCEVERS: Hullo 3.\n")
    assert build_show(seven, tmp_path / "feeds").built == 1
    assert items == [7]
