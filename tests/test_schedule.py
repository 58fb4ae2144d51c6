"""Scheduled episodes: a `published:` later than the build's *now* is held back until then."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from stationcast import manifest as manifest_module
from stationcast.build import build_show
from stationcast.build import pipeline as build_module
from support import add_episode, tree_digest
from test_clock import set_timezone

BEFORE = "2026-12-02T22:00:00Z"  # 14 hours before the segment is due
AFTER = "2026-12-03T12:30:00Z"  # half an hour after
DUE = "2026-12-03T07:00:00"  # in the station's zone: 12:00 UTC


@pytest.fixture
def scheduled(show: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example show in America/New_York with tomorrow's segment prepared."""
    monkeypatch.chdir(tmp_path)
    set_timezone(show, "America/New_York")
    add_episode(show, "tomorrow", title="Tomorrow's Segment", published=DUE)
    return show


def held_back(out: Path) -> None:
    """Nothing of the scheduled episode is in the output."""
    assert not (out / "tomorrow").exists()
    for name in ("feed.xml", "index.html"):
        text = (out / name).read_text(encoding="utf-8")
        assert "Tomorrow" not in text and "tomorrow" not in text
    state = json.loads((out / ".stationcast" / "state.json").read_text(encoding="utf-8"))
    assert [e["slug"] for e in state["episodes"]] == ["islamic-state-defectors"]


def test_a_scheduled_episode_is_held_back_and_said_so(
    scheduled: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    result = run("build", "--now", BEFORE)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Built 1 episode into feeds/")
    assert lines[0].endswith(", 1 scheduled); feed: feeds/feed.xml")
    assert lines[1:] == [
        "scheduled: tomorrow goes live Thu 3 Dec 07:00 EST (in 14 h)",
        "Next episode due Thu 3 Dec 07:00 EST (in 14 h): a build from then on publishes it.",
    ]
    held_back(tmp_path / "feeds")


def test_it_goes_live_at_the_first_build_after_its_time_as_if_always_there(
    scheduled: Path, tmp_path: Path
) -> None:
    """Held, then due: the output is byte for byte a build that always had it."""
    out = tmp_path / "feeds"
    first = build_show(scheduled, out, now=BEFORE)
    assert first.episodes == 1 and [s for s, _ in first.scheduled] == ["tomorrow"]
    assert first.scheduled[0][1] == datetime(2026, 12, 3, 12, tzinfo=UTC)
    second = build_show(scheduled, out, now=AFTER)
    assert second.episodes == 2 and second.scheduled == () and second.built == 1
    assert "<title>Tomorrow's Segment</title>" in (out / "feed.xml").read_text()
    assert (out / "tomorrow" / "index.html").is_file()
    other = tmp_path / "other"
    shutil.copytree(scheduled, other)
    always = build_show(other, tmp_path / "always", now="2027-06-01T00:00:00Z", cache=False)
    assert always.episodes == 2
    assert tree_digest(out) == tree_digest(tmp_path / "always")


def test_builds_while_nothing_is_due_write_nothing(
    scheduled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cron loop: a build that finds only still-scheduled episodes reads no manifest
    again and leaves the output as it is; an edit to the held one is read."""
    out = tmp_path / "feeds"
    build_show(scheduled, out, now=BEFORE)
    feed = (out / "feed.xml").stat()
    reads: list[str] = []
    real = manifest_module.load_episode

    def counting(folder: Path, *args: Any, **kwargs: Any) -> Any:
        reads.append(folder.name)
        return real(folder, *args, **kwargs)

    monkeypatch.setattr(manifest_module, "load_episode", counting)
    again = build_show(scheduled, out, now="2026-12-03T11:59:00Z")
    assert again.built == 0 and [s for s, _ in again.scheduled] == ["tomorrow"]
    assert again.zone == "America/New_York" and reads == []
    after = (out / "feed.xml").stat()
    assert (after.st_ino, after.st_mtime_ns) == (feed.st_ino, feed.st_mtime_ns)
    manifest = scheduled / "tomorrow" / "episode.yaml"
    manifest.write_text(manifest.read_text().replace(DUE, "2026-12-04T07:00:00"))
    moved = build_show(scheduled, out, now=AFTER)
    assert reads == ["tomorrow"]
    assert moved.episodes == 1
    assert moved.scheduled == (("tomorrow", datetime(2026, 12, 4, 12, tzinfo=UTC)),)
    held_back(out)


def test_a_held_episode_counts_once_it_is_due_without_a_cache(
    scheduled: Path, tmp_path: Path
) -> None:
    out = tmp_path / "feeds"
    assert build_show(scheduled, out, now=BEFORE, cache=False).episodes == 1
    assert build_show(scheduled, out, now=AFTER, cache=False).episodes == 2


def test_worker_processes_hold_back_too(
    scheduled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When workers read the manifests (many changed episodes), they report held ones."""
    for i in range(4):
        add_episode(scheduled, f"later-{i}", published=f"2026-12-1{i}T07:00:00")
    monkeypatch.setattr(build_module, "PARALLEL_MIN", 2)
    monkeypatch.setattr(build_module, "CHUNK", 2)
    result = build_show(scheduled, tmp_path / "feeds", now=BEFORE, jobs=2)
    assert result.episodes == 1
    assert [s for s, _ in result.scheduled] == ["tomorrow", *(f"later-{i}" for i in range(4))]


def test_a_published_episode_moved_into_the_future_trips_the_removal_guard(
    scheduled: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    """Scheduling is for episodes not yet out: one already published does not quietly go."""
    assert run("build", "--now", AFTER).exit_code == 0
    result = run("build", "--now", BEFORE)
    assert result.exit_code == 1
    assert "published episode 'tomorrow'" in result.stderr
    assert "--allow-removal" in result.stderr


def test_validate_still_reports_future_dates_in_any_feed(
    scheduled: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    """The hold is the build's; `stationcast validate` keeps rss.date.future for every feed."""
    add_episode(scheduled, "far-ahead", published="2098-06-01T07:00:00")
    assert run("build", "--now", "2099-01-01T00:00:00Z").exit_code == 0
    result = run("validate", "feeds/feed.xml")
    assert "rss.date.future" in result.stdout + result.stderr


def test_the_cron_loop_publishes_once_due_and_uploads_nothing_before(
    scheduled: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    """`stationcast build --lock-timeout 0 && stationcast publish --to DEST`, as docs/feed.md
    runs it from cron: before the due time nothing is uploaded; after it, the episode is."""
    dest = tmp_path / "www"

    def loop(now: str) -> Result:
        built = run("build", "--lock-timeout", "0", "--now", now)
        assert built.exit_code == 0, built.stderr
        published = run("publish", "--to", str(dest), "--no-ping")
        assert published.exit_code == 0, published.stderr
        return published

    assert "uploaded islamic-state-defectors/audio.mp3" in loop(BEFORE).stdout
    assert not (dest / "tomorrow").exists()
    assert loop("2026-12-03T06:00:00Z").stdout.splitlines()[-1] == (
        "Nothing to upload: the destination is up to date."
    )
    out = loop(AFTER).stdout
    assert "uploaded tomorrow/audio.mp3" in out and "uploaded feed.xml" in out
    assert "Tomorrow's Segment" in (dest / "feed.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "damage",
    ["not json", '{"format": 1, "held": {"tomorrow": {"key": 1, "stat": "x", "due": "soon"}}}'],
)
def test_a_damaged_held_record_only_means_reading_again(
    scheduled: Path, tmp_path: Path, damage: str
) -> None:
    out = tmp_path / "feeds"
    build_show(scheduled, out, now=BEFORE)
    held = tmp_path / ".stationcast-cache" / "feeds.json.held"
    assert json.loads(held.read_text())["held"]["tomorrow"]["due"] == "2026-12-03T07:00:00-05:00"
    held.write_text(damage)
    again = build_show(scheduled, out, now=BEFORE)
    assert [s for s, _ in again.scheduled] == ["tomorrow"] and again.episodes == 1
    assert build_show(scheduled, out, now=AFTER).episodes == 2
    assert json.loads(held.read_text())["held"] == {}  # nothing held any more
