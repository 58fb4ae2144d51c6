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


# -- the validator's warnings, printed by the build ----------------------------------------

WARNED = "episodes/second/episode.yaml:1:8: title: apple.title.numbers: title"


def _warnings(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("warning: ")]


def test_the_validators_warning_on_an_item_is_printed_at_the_manifest_line(
    show: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    """A title carrying an episode number (Apple's rule) is a warning of the build, at the
    title's line in episode.yaml; a build with nothing changed says it again, from the cache."""
    add_episode(show, "second", title="Episode 12: The Second Segment")
    first = run("build")
    assert first.exit_code == 0, first.output
    assert [w.removeprefix("warning: ")[: len(WARNED)] for w in _warnings(first)] == [WARNED]
    assert "1 warning" in first.stdout + first.stderr
    again = run("build")
    assert "(0 rendered, 2 reused, 1 warning)" in again.stdout
    assert _warnings(again) == _warnings(first)


def test_an_item_warning_survives_an_edit_of_another_episode_and_leaves_with_its_cause(
    show: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    """Validating only the edited item keeps the other items' warnings (they passed the same
    channel before); fixing the title takes its warning away."""
    add_episode(show, "second", title="Episode 12: The Second Segment")
    add_episode(show, "third", title="The Third Segment", published="2015-09-24T08:00:00-04:00")
    for i in range(1, 5):  # enough episodes that one edit validates its item alone
        add_episode(show, f"more-{i}", title=f"More {i}", published=f"2015-10-0{i}T08:00:00-04:00")
    assert run("build").exit_code == 0
    third = show / "third" / "transcript.txt"
    third.write_text("MCEVERS: Hello again.\n", encoding="utf-8")
    edited = run("build")
    assert "(1 rendered, 6 reused, 1 warning, " in edited.stdout  # (and a note: edited)
    assert [w.removeprefix("warning: ")[: len(WARNED)] for w in _warnings(edited)] == [WARNED]
    manifest = show / "second" / "episode.yaml"
    manifest.write_text(manifest.read_text().replace("Episode 12: ", ""), encoding="utf-8")
    fixed = run("build")
    assert fixed.exit_code == 0
    assert _warnings(fixed) == []
    assert _warnings(run("build")) == []


def test_strict_refuses_the_validators_warnings_and_leaves_the_output(
    show: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    assert run("build").exit_code == 0
    before = tree_digest(tmp_path / "feeds")
    add_episode(show, "second", title="Episode 12: The Second Segment")
    result = run("build", "--strict")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"error: 1 warning, and --strict makes warnings errors; nothing was written:\n  {WARNED}"
    )
    assert tree_digest(tmp_path / "feeds") == before
    assert run("build").exit_code == 0  # without --strict it builds, and warns
    assert run("build", "--strict").exit_code == 1  # nothing changed: the cached warning counts


def test_the_feeds_size_is_measured_on_the_real_file_when_one_item_is_validated(
    show: Path, tmp_path: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """rss.feed.size is about the whole document: the build reports it at feed.xml from the
    staged file's size, also when it validates only an edited item."""
    from stationcast.validate import api

    for i in range(1, 6):
        add_episode(show, f"more-{i}", title=f"More {i}", published=f"2015-10-0{i}T08:00:00-04:00")
    assert run("build").exit_code == 0
    whole = (tmp_path / "feeds" / "feed.xml").stat().st_size
    # above it only the whole feed (six items), not the channel with the edited item alone
    monkeypatch.setattr(api, "FEED_SIZE_WARNING", whole // 2)
    (show / "more-3" / "transcript.txt").write_text("MCEVERS: Hullo.\n", encoding="utf-8")
    edited = run("build")
    assert "(1 rendered, 5 reused" in edited.stdout
    size = [w for w in _warnings(edited) if "rss.feed.size" in w]
    assert size == ["warning: feed.xml:1: rss.feed.size: the feed is 0.0 MB"]
    assert [w for w in _warnings(run("build")) if "rss.feed.size" in w] == size  # (cached)
    monkeypatch.setattr(api, "FEED_SIZE_WARNING", 10 << 20)
    (show / "more-3" / "transcript.txt").write_text("MCEVERS: Hello.\n", encoding="utf-8")
    assert [w for w in _warnings(run("build")) if "rss.feed.size" in w] == []


def test_a_long_timed_turn_gives_srt_cues_the_validator_accepts(
    show: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    """The build's SRT keeps the namespace's layout (two lines of 32 characters), so a timed
    transcript with a long turn builds without a podcast.transcript.srt warning."""
    folder = add_episode(show, "second", title="The Second Segment", transcript=None)
    long_turn = " ".join(["and the segment went on"] * 12)
    (folder / "transcript.vtt").write_text(
        "WEBVTT\n\n00:00:00.000 --> 00:00:30.000\n"
        f"<v Kelly McEvers>{long_turn}.\n\n"
        "00:00:30.000 --> 00:00:31.000\n<v Peter Neumann>Yes.\n",
        encoding="utf-8",
    )
    manifest = folder / "episode.yaml"
    manifest.write_text(manifest.read_text() + "transcript:\n  file: transcript.vtt\n")
    result = run("build")
    assert result.exit_code == 0, result.output
    assert _warnings(result) == []
    srt = (tmp_path / "feeds" / "second" / "transcript.srt").read_text()
    blocks = srt.rstrip("\n").split("\n\n")
    assert len(blocks) > 3
    assert all(len(b.split("\n")) <= 4 and max(map(len, b.split("\n"))) <= 32 for b in blocks)
