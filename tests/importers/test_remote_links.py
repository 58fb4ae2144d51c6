"""Transcript and chapters links hosted elsewhere: manifest fields, feed tags, and `import feed`
keeping them (issue 8)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from stationcast.build import build_show
from stationcast.errors import ManifestError
from stationcast.feed import (
    FeedChannel,
    FeedItem,
    TranscriptLink,
    build_feed,
    item_links,
)
from stationcast.manifest import load_show
from stationcast.spec.podcast import CHAPTERS_TYPE
from support import EXAMPLE, EXAMPLE_SLUG, copy_example

from .helpers import DATA, stationcast_cli

PODCAST = "{https://podcastindex.org/namespace/1.0}"
SOURCE_GUID = "borderlands-2024-002"
CDN = "https://cdn.borderlands.example.org"


def _links(xml: bytes, guid: str) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The podcast:transcript and podcast:chapters attributes of the item with `guid`."""
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    for item in root.iter("item"):
        if (item.findtext("guid") or "").strip() == guid:
            return (
                [dict(e.attrib) for e in item.findall(f"{PODCAST}transcript")],
                [dict(e.attrib) for e in item.findall(f"{PODCAST}chapters")],
            )
    raise AssertionError(f"no item with guid {guid!r}")


def _import(episodes: Path) -> None:
    result = CliRunner().invoke(
        stationcast_cli(),
        ["import", "feed", str(DATA / "podcast20.xml"), "--episodes", str(episodes)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    shutil.copy(EXAMPLE / "artwork.jpg", episodes / "artwork.jpg")


def _feed_of(episodes: Path) -> bytes:
    """The feed of the loaded show, each item with item_links() applied (no local files)."""
    loaded = load_show(episodes)
    channel = FeedChannel(
        loaded.show, loaded.show.base_url + "feed.xml", loaded.show.base_url, "https://x.org/a.jpg"
    )
    items = []
    for e in loaded.episodes:
        transcripts, chapters_url = item_links(e.episode, (), None)
        items.append(
            FeedItem(
                guid=e.episode.guid,
                title=e.episode.title,
                link=loaded.show.base_url + e.slug + "/",
                published=e.episode.published,
                description=e.episode.summary,
                enclosure_url="https://x.org/a.mp3",
                enclosure_length=1,
                enclosure_type="audio/mpeg",
                duration=None,
                explicit=False,
                transcripts=transcripts,
                chapters_url=chapters_url,
            )
        )
    return build_feed(channel, items)


def test_import_then_feed_keeps_the_links(tmp_path: Path) -> None:
    """import feed, load the manifests, write the feed: the item's transcript and chapters links
    are the source item's, attribute for attribute."""
    episodes = tmp_path / "episodes"
    _import(episodes)
    source = (DATA / "podcast20.xml").read_bytes()
    assert _links(_feed_of(episodes), SOURCE_GUID) == _links(source, SOURCE_GUID)


def test_import_then_build_keeps_the_links(tmp_path: Path) -> None:
    """import feed, then `stationcast build`: the rebuilt feed links the same transcripts and
    chapters as the old one."""
    episodes = tmp_path / "episodes"
    _import(episodes)
    build_show(episodes, tmp_path / "feeds")
    rebuilt = (tmp_path / "feeds" / "feed.xml").read_bytes()
    source = (DATA / "podcast20.xml").read_bytes()
    assert _links(rebuilt, SOURCE_GUID) == _links(source, SOURCE_GUID)


def test_the_build_own_links_come_first_and_win() -> None:
    """The build's own transcript links come first, remote ones follow (a repeated URL once);
    the episode's own chapters file wins over chapters_url."""
    from stationcast.models import Episode

    episode = Episode.model_validate(
        {
            "title": "t",
            "guid": "g",
            "published": "2024-02-20T06:00:00-07:00",
            "summary": "s",
            "audio": "audio.mp3",
            "chapters_url": f"{CDN}/c.json",
            "transcripts": [
                {"url": f"{CDN}/t.vtt", "type": "text/vtt", "rel": "captions"},
                {"url": "https://x.org/ep/transcript.txt", "type": "text/plain"},
            ],
        }
    )
    own = (TranscriptLink("https://x.org/ep/transcript.txt", "text/plain", "en"),)
    links, chapters = item_links(episode, own, "https://x.org/ep/chapters.json")
    assert links == (*own, TranscriptLink(f"{CDN}/t.vtt", "text/vtt", None, "captions"))
    assert chapters == "https://x.org/ep/chapters.json"
    assert item_links(episode, (), None)[1] == f"{CDN}/c.json"
    assert CHAPTERS_TYPE == "application/json+chapters"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("yaml", "expected"),
    [
        (
            "transcripts: [{url: 'http://cdn.example.org/t.vtt', type: text/vtt}]",
            "transcripts.0.url: expected an https:// URL (the Podcasting 2.0 namespace requires"
            " https), got 'http://cdn.example.org/t.vtt'",
        ),
        (
            "transcripts: [{url: 'https://cdn.example.org/t.doc', type: application/msword}]",
            "transcripts.0.type: expected one of the transcript types podcast apps read:"
            " text/plain, text/html, text/vtt, application/json, application/x-subrip;"
            " got 'application/msword'",
        ),
        (
            "transcripts: [{url: 'https://cdn.example.org/t.vtt', type: text/vtt, rel: subtitles}]",
            "transcripts.0.rel: expected one of 'captions', got 'subtitles'",
        ),
        (
            "chapters_url: 'http://cdn.example.org/c.json'",
            "chapters_url: expected an https:// URL (the Podcasting 2.0 namespace requires https),"
            " got 'http://cdn.example.org/c.json'",
        ),
        (
            "chapters_url: 'https://cdn.example.org/c.json'\nchapters: [{start: 0, title: A}]",
            "chapters_url: give either chapters (listed in this manifest) or chapters_url"
            " (a chapters file hosted elsewhere), not both",
        ),
    ],
)
def test_bad_remote_links_are_manifest_problems(yaml: str, expected: str, tmp_path: Path) -> None:
    """Remote transcript and chapters links are checked like every other field."""
    show = tmp_path / "episodes"
    copy_example(show)
    _edit(show / EXAMPLE_SLUG / "episode.yaml", "audio: audio.mp3", f"audio: audio.mp3\n{yaml}")
    with pytest.raises(ManifestError) as caught:
        load_show(show)
    assert [f"{p.field}: {p.message}" for p in caught.value.problems] == [expected]


def test_import_keeps_the_good_links_and_lists_the_rest(tmp_path: Path) -> None:
    """A transcript link the manifest refuses (http) is listed with the reason; the item's other
    transcript link is still kept."""
    feed = tmp_path / "feed.xml"
    text = (DATA / "podcast20.xml").read_text(encoding="utf-8")
    text = text.replace(
        f'url="{CDN}/transcripts/2024-002.html"', 'url="http://old.example.org/t.html"'
    )
    feed.write_text(text, encoding="utf-8")
    episodes = tmp_path / "episodes"
    result = CliRunner().invoke(
        stationcast_cli(), ["import", "feed", str(feed), "--episodes", str(episodes)]
    )
    assert result.exit_code == 0, result.output
    assert (
        "podcast:transcript 'http://old.example.org/t.html' not carried over: url: expected an"
        " https:// URL" in result.stderr
    )
    manifest = (episodes / "el-puente-de-noche" / "episode.yaml").read_text(encoding="utf-8")
    assert f"url: {CDN}/transcripts/2024-002.vtt" in manifest
    assert "#   podcast:transcript http://old.example.org/t.html: url: expected" in manifest


def test_transcript_types_match_the_feed_writer() -> None:
    """The manifest accepts exactly the transcript types the podcast: tag writer accepts."""
    from pydantic import ValidationError

    from stationcast.feed.podcast_tags import ItemTags
    from stationcast.models import RemoteTranscript
    from stationcast.spec.media import TRANSCRIPT_TYPE_ALIASES, TRANSCRIPT_TYPES

    url = "https://media.example.org/t"
    for accepted in TRANSCRIPT_TYPES:
        assert RemoteTranscript(url=url, type=accepted).type == accepted
        assert ItemTags().transcript(url, accepted)[0]["type"] == accepted
    for refused in TRANSCRIPT_TYPE_ALIASES:
        with pytest.raises(ValidationError):
            RemoteTranscript(url=url, type=refused)
        with pytest.raises(ValueError, match="podcast:transcript: type must be one of"):
            ItemTags().transcript(url, refused)
