"""`stationcast build` on the example show: what a listener's podcast app sees."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import feedparser
import podcastparser
from click.testing import Result

from support import EXAMPLE_SLUG, tree_digest

BASE = "https://podcasts.example.org/wunc/"
GUID = "1f1f7b56-5cc3-4e34-9b0f-f02fdcc4a909"


def test_build_reports_what_it_wrote(show: Path, run: Callable[..., Result]) -> None:
    """The build exits 0 and says how many episodes it built and where the feed is."""
    result = run("build", "--episodes", "episodes", "--out", "feeds")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Built 1 episode into feeds/ in ")
    assert result.stdout.rstrip().endswith("feed: feeds/feed.xml")


def test_feedparser_reads_the_episode(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """feedparser (behind many apps and aggregators) sees title, enclosure, guid, date, duration."""
    assert run("build").exit_code == 0
    out = tmp_path / "feeds"
    parsed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title == "WUNC Segments"
    assert parsed.feed.language == "en-us"
    (entry,) = parsed.entries
    assert entry.title == "Report Compiles Stories Of Islamic State Defectors"
    assert entry.id == GUID
    assert entry.guidislink is False
    assert entry.published == "Tue, 22 Sep 2015 17:35:00 -0400"
    assert entry.link == f"{BASE}{EXAMPLE_SLUG}/"
    (enclosure,) = entry.enclosures
    audio = out / EXAMPLE_SLUG / "audio.mp3"
    assert enclosure.href == f"{BASE}{EXAMPLE_SLUG}/audio.mp3"
    assert int(enclosure.length) == audio.stat().st_size
    assert enclosure.type == "audio/mpeg"
    assert int(entry.itunes_duration) > 60
    # feedparser maps only yes/explicit/true to True and "clean" to False; "false" gives None.
    assert entry.itunes_explicit is None


def test_podcastparser_reads_the_episode(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """gPodder's podcastparser, an independent reader, agrees on every value an app shows."""
    assert run("build").exit_code == 0
    out = tmp_path / "feeds"
    with open(out / "feed.xml", "rb") as handle:
        parsed = podcastparser.parse(f"{BASE}feed.xml", handle)
    assert parsed["title"] == "WUNC Segments"
    assert parsed["cover_url"] == f"{BASE}artwork.jpg"
    (episode,) = parsed["episodes"]
    assert episode["title"] == "Report Compiles Stories Of Islamic State Defectors"
    assert episode["guid"] == GUID
    assert episode["published"] == 1442957700  # 2015-09-22T17:35:00-04:00
    assert episode["link"] == f"{BASE}{EXAMPLE_SLUG}/"
    (enclosure,) = episode["enclosures"]
    assert enclosure["url"] == f"{BASE}{EXAMPLE_SLUG}/audio.mp3"
    assert enclosure["file_size"] == (out / EXAMPLE_SLUG / "audio.mp3").stat().st_size
    assert enclosure["mime_type"] == "audio/mpeg"
    assert episode["total_time"] > 60
    assert episode["explicit"] is False
    assert "International Center for the Study of Radicalization" in episode["description"]


def test_base_url_option_overrides_show_yaml(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """--base-url changes every published URL (feed self link, enclosure, pages)."""
    assert run("build", "--base-url", "https://staging.example.net/radio").exit_code == 0
    xml = (tmp_path / "feeds" / "feed.xml").read_text()
    assert 'href="https://staging.example.net/radio/feed.xml" rel="self"' in xml
    assert f'url="https://staging.example.net/radio/{EXAMPLE_SLUG}/audio.mp3"' in xml
    assert "podcasts.example.org" not in xml


def test_two_builds_are_byte_identical(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """Building twice, at different times, gives exactly the same files."""
    assert run("build", "--out", "one").exit_code == 0
    os.utime(show / EXAMPLE_SLUG / "episode.yaml")  # a newer mtime must not matter
    assert run("build", "--out", "two").exit_code == 0
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")


def test_output_layout(show: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    """The output holds the feed, the show page, the episode page, transcript, audio and artwork."""
    assert run("build").exit_code == 0
    files = set(tree_digest(tmp_path / "feeds"))
    assert {
        "feed.xml",
        "index.html",
        "style.css",
        "artwork.jpg",
        f"{EXAMPLE_SLUG}/index.html",
        f"{EXAMPLE_SLUG}/audio.mp3",
        f"{EXAMPLE_SLUG}/transcript.txt",
    } <= files


def test_drafts_are_skipped(show: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    """`stationcast new` makes a draft; the build leaves it out until draft is false."""
    assert run("new", "A Second Segment", "--date", "2015-09-23T08:00:00-04:00").exit_code == 0
    result = run("build")
    assert result.exit_code == 0, result.stderr
    assert "a-second-segment" not in (tmp_path / "feeds" / "feed.xml").read_text()
