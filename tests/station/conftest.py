"""A station of three shows, made from the example station (examples/station): one with
archive paging, one serial, one with a live program."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from support import EXAMPLE_SLUG, add_episode

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_STATION = ROOT / "examples" / "station"
CLIP = "defectors-stories-could-help"

LIVE = """live:
  - title: Morning Edition
    guid: me-2026-12-03
    start: 2026-12-03T05:00:00-05:00
    end: 2026-12-03T09:00:00-05:00
    stream: https://stream.example.org/wunc.mp3
    page: https://www.example.org/live
"""


def copy_station(target: Path) -> Path:
    """A private copy of the example station (its sources only)."""
    shutil.copytree(EXAMPLE_STATION, target, ignore=shutil.ignore_patterns("alignment.json"))
    return target


def three_shows(target: Path) -> Path:
    """The example station, plus: `segments` pages its archive (two items a feed page, three
    episodes), `short-cuts` is serial (numbered episodes), and a third show `live-desk` has
    a live program and one episode."""
    station = copy_station(target)
    segments = station / "segments"
    with (segments / "show.yaml").open("a", encoding="utf-8") as f:
        f.write("archive:\n  feed_items: 2\n")
    add_episode(segments, "second-segment", published="2015-09-23T08:00:00-04:00")
    add_episode(segments, "third-segment", published="2015-09-24T08:00:00-04:00")
    cuts = station / "short-cuts"
    with (cuts / "show.yaml").open("a", encoding="utf-8") as f:
        f.write("type: serial\n")
    clip = cuts / CLIP / "episode.yaml"
    clip.write_text(clip.read_text(encoding="utf-8") + "episode: 1\n", encoding="utf-8")
    desk = station / "live-desk"
    desk.mkdir()
    shutil.copy2(station / "logo.jpg", desk / "artwork.jpg")
    (desk / "show.yaml").write_text(
        "title: WUNC Live Desk\n"
        "description: The station's live specials, and what they leave behind.\n"
        "artwork: artwork.jpg\n"
        "podcast_guid: 0b6a3f55-3f0e-5d8c-9d55-2f5a1c0d7e21\n" + LIVE,
        encoding="utf-8",
    )
    episode = desk / EXAMPLE_SLUG
    episode.mkdir()
    os.link(segments / EXAMPLE_SLUG / "audio.mp3", episode / "audio.mp3")
    (episode / "episode.yaml").write_text(
        "title: Special Coverage, Recorded\n"
        "guid: 5d7e1c2a-8b7f-4f0e-a3c1-9e2d4b6f8a10\n"
        "published: 2015-09-25T08:00:00-04:00\n"
        "summary: The special, as it went out.\n"
        "audio: audio.mp3\n",
        encoding="utf-8",
    )
    return station


@pytest.fixture
def station(tmp_path: Path) -> Path:
    return three_shows(tmp_path / "station")
