"""Live programs on the build's clock: pending -> live -> ended, unless the manifest pins it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from stationcast.build import build_show

LIVE = """live:
  - title: Morning Edition
    guid: me-2026-12-03
    start: 2026-12-03T05:00:00-05:00
    end: 2026-12-03T09:00:00-05:00
    stream: https://stream.example.org/wunc.mp3
    page: https://www.example.org/live
  - title: Special Coverage
    guid: special-1
    start: 2026-12-03T05:00:00-05:00
    status: pending
    stream: https://stream.example.org/wunc.mp3
    page: https://www.example.org/live
"""


def statuses(feed: Path) -> list[str]:
    return re.findall(r'<podcast:liveItem status="([a-z]+)"', feed.read_text(encoding="utf-8"))


@pytest.fixture
def live(show: Path) -> Path:
    with (show / "show.yaml").open("a", encoding="utf-8") as f:
        f.write(LIVE)
    return show


def test_the_status_follows_the_clock_and_a_pinned_one_stays(live: Path, tmp_path: Path) -> None:
    out = tmp_path / "feeds"
    build_show(live, out, now="2026-12-03T09:00:00Z")  # 04:00 EST: before the start
    assert statuses(out / "feed.xml") == ["pending", "pending"]
    feed = (out / "feed.xml").stat()
    build_show(live, out, now="2026-12-03T09:59:00Z")  # nothing changed yet: nothing written
    assert (out / "feed.xml").stat().st_mtime_ns == feed.st_mtime_ns
    build_show(live, out, now="2026-12-03T10:00:00Z")  # 05:00 EST: on air
    assert statuses(out / "feed.xml") == ["live", "pending"]
    build_show(live, out, now="2026-12-03T14:00:00Z")  # 09:00 EST: over
    assert statuses(out / "feed.xml") == ["ended", "pending"]
    # the same bytes as a build that never saw the earlier states
    cold = tmp_path / "cold"
    build_show(live, cold, now="2026-12-03T14:00:00Z", cache=False)
    assert (cold / "feed.xml").read_bytes() == (out / "feed.xml").read_bytes()


def test_a_program_without_an_end_stays_live(live: Path, tmp_path: Path) -> None:
    text = (live / "show.yaml").read_text().replace("    status: pending\n", "")
    (live / "show.yaml").write_text(text)
    build_show(live, tmp_path / "feeds", now="2027-01-01T00:00:00Z")
    assert statuses(tmp_path / "feeds" / "feed.xml") == ["ended", "live"]
