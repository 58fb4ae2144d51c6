"""Channel tags: every show.yaml field reaches the feed, and two independent readers agree."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import feedparser
import podcastparser
import pytest
from click.testing import Result

from stationcast.spec.namespaces import PODCAST as PODCAST_NS
from stationcast.spec.namespaces import PODCAST_GITHUB as PODCAST_NS_GITHUB
from stationcast.spec.podcast import podcast_guid

from .helpers import ATOM, BASE, NS, PODCAST, SHOW_GUID, edit, parse


def _attrs(element: object) -> dict[str, str]:
    return dict(element.attrib)  # type: ignore[attr-defined]


@pytest.fixture
def rich_feed(rich: Path, run: Callable[..., Result], tmp_path: Path) -> Path:
    result = run("build")
    assert result.exit_code == 0, result.stderr
    return tmp_path / "feeds" / "feed.xml"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # docs/tags/guid.md examples
        ("https://mp3s.nashownotes.com/pc20rss.xml", "917393e3-1b1e-5cef-ace4-edaa54e1f810"),
        ("podnews.net/rss", "9b024349-ccf0-5f69-a609-6b82873eab3c"),
        ("https://podnews.net/rss/", "9b024349-ccf0-5f69-a609-6b82873eab3c"),
        ("http://podnews.net/rss//", "9b024349-ccf0-5f69-a609-6b82873eab3c"),
        (f"{BASE}feed.xml", SHOW_GUID),
    ],
)
def test_podcast_guid_known_answers(url: str, expected: str) -> None:
    """podcast:guid is UUIDv5 of the feed URL minus scheme and trailing slashes (spec examples)."""
    assert podcast_guid(url) == expected


def test_example_channel_tags(show: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    """The example show: podcast:guid, locked no with owner, funding, location, medium, image."""
    assert run("build").exit_code == 0
    channel = parse(tmp_path / "feeds" / "feed.xml").find("channel")
    assert channel is not None
    assert channel.findtext("podcast:guid", namespaces=NS) == SHOW_GUID
    locked = channel.find("podcast:locked", NS)
    assert (locked.text, _attrs(locked)) == ("no", {"owner": "podcasts@example.org"})
    funding = channel.find("podcast:funding", NS)
    assert (funding.text, _attrs(funding)) == (
        "Support WUNC North Carolina Public Radio",
        {"url": "https://www.example.org/donate"},
    )
    location = channel.find("podcast:location", NS)
    assert (location.text, _attrs(location)) == (
        "Chapel Hill, NC",
        {"rel": "creator", "geo": "geo:35.9131,-79.0558", "country": "US"},
    )
    assert channel.findtext("podcast:medium", namespaces=NS) == "podcast"
    image = channel.find("podcast:image", NS)
    assert _attrs(image) == {
        "href": f"{BASE}artwork.jpg",
        "alt": "WUNC Segments",
        "width": "1400",
        "height": "1400",
        "purpose": "artwork",
    }
    assert channel.find("itunes:owner", NS) is None  # only with itunes_owner: true


def test_rich_channel_podcast_tags(rich_feed: Path) -> None:
    """Every Podcasting 2.0 channel field, exactly as the spec spells it."""
    channel = parse(rich_feed).find("channel")
    assert channel is not None
    tags = [
        (e.tag.split("}")[1], e.text.strip() if e.text and e.text.strip() else None, _attrs(e))
        for e in channel
        if e.tag.startswith(f"{{{PODCAST}}}") and not e.tag.endswith("liveItem")
    ]
    assert tags == [
        ("guid", SHOW_GUID, {}),
        ("locked", "yes", {"owner": "podcasts@example.org"}),
        ("funding", "Become a member", {"url": "https://www.example.org/donate"}),
        (
            "location",
            "Chapel Hill, NC",
            {"rel": "creator", "geo": "geo:35.9131,-79.0558", "osm": "R2380133", "country": "US"},
        ),
        ("license", "cc-by-4.0", {"url": "https://creativecommons.org/licenses/by/4.0/"}),
        ("medium", "podcast", {}),
        (
            "image",
            None,
            {
                "href": f"{BASE}artwork.jpg",
                "alt": "WUNC Segments",
                "width": "1400",
                "height": "1400",
                "purpose": "artwork",
            },
        ),
        (
            "person",
            "Kelly McEvers",
            {
                "role": "host",
                "group": "cast",
                "img": "https://www.example.org/kelly.jpg",
                "href": "https://www.example.org/kelly",
            },
        ),
        ("person", "Pat Producer", {"role": "producer", "group": "creative direction"}),
        ("txt", "example-verify-token", {"purpose": "verify"}),
        ("txt", "Plain text note", {}),
        ("podroll", None, {}),
        (
            "updateFrequency",
            "Weekdays",
            {"dtstart": "2015-09-21T17:00:00-04:00", "rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"},
        ),
    ]
    remote = [_attrs(e) for e in channel.findall("podcast:podroll/podcast:remoteItem", NS)]
    assert remote == [
        {
            "feedGuid": "917393e3-1b1e-5cef-ace4-edaa54e1f810",
            "feedUrl": "https://mp3s.nashownotes.com/pc20rss.xml",
            "title": "Podcasting 2.0",
        },
        {"feedGuid": "9b024349-ccf0-5f69-a609-6b82873eab3c"},
    ]


def test_live_item(rich_feed: Path) -> None:
    """A scheduled live program becomes podcast:liveItem with enclosure, contentLink and guid."""
    (live,) = parse(rich_feed).find("channel").findall("podcast:liveItem", NS)
    assert _attrs(live) == {
        "status": "pending",
        "start": "2026-11-26T16:00:00-05:00",
        "end": "2026-11-26T18:00:00-05:00",
    }
    assert live.findtext("title") == "All Things Considered"
    assert live.findtext("guid") == "atc-2026-11-26"
    assert _attrs(live.find("enclosure")) == {
        "url": "https://stream.example.org/wunc.mp3",
        "length": "0",
        "type": "audio/mpeg",
    }
    link = live.find("podcast:contentLink", NS)
    assert (link.text, _attrs(link)) == (
        "All Things Considered",
        {"href": "https://www.example.org/live"},
    )


def test_live_program_needs_a_stream(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """A live program without its own stream or the station's live_stream is a show.yaml error."""
    with open(show / "show.yaml", "a", encoding="utf-8") as handle:
        handle.write(
            "live:\n  - {title: Morning Edition, guid: me-1, start: 2026-11-26T05:00:00-05:00}\n"
        )
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr == (
        "episodes/show.yaml:51:5: live.0.stream: a live program needs a stream URL; add `stream:"
        " https://...` or station.live_stream\n"
        "error: 1 problem in 1 file; nothing was written to feeds/\n"
    )


def test_itunes_and_atom_channel_tags(rich_feed: Path) -> None:
    """itunes:owner, new-feed-url, block, complete, type, and the WebSub hub link."""
    channel = parse(rich_feed).find("channel")
    assert (
        channel.findtext("itunes:owner/itunes:name", namespaces=NS)
        == "WUNC North Carolina Public Radio"
    )
    assert (
        channel.findtext("itunes:new-feed-url", namespaces=NS)
        == "https://feeds.example.org/wunc/feed.xml"
    )
    assert channel.findtext("itunes:block", namespaces=NS) == "Yes"
    assert channel.findtext("itunes:complete", namespaces=NS) == "Yes"
    assert channel.findtext("itunes:type", namespaces=NS) == "episodic"
    links = [(e.get("rel"), e.get("href")) for e in channel.findall(f"{{{ATOM}}}link")]
    assert links == [("self", f"{BASE}feed.xml"), ("hub", "https://hub.example.org/")]


def test_block_and_complete_are_left_out_when_false(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """Apple: any value but Yes has no effect, so false writes no tag at all."""
    assert run("build").exit_code == 0
    xml = (tmp_path / "feeds" / "feed.xml").read_text()
    assert "itunes:block" not in xml and "itunes:complete" not in xml and 'rel="hub"' not in xml


def test_feedparser_reads_the_channel(rich_feed: Path) -> None:
    """feedparser sees the channel's values, including the podcast: tags it does not know."""
    parsed = feedparser.parse(rich_feed.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    feed = parsed.feed
    assert feed.title == "WUNC Segments"
    assert feed.link == "https://www.example.org/segments/"
    assert feed.publisher_detail == {
        "name": "WUNC North Carolina Public Radio",
        "email": "podcasts@example.org",
    }
    assert feed["itunes_new-feed-url"] == "https://feeds.example.org/wunc/feed.xml"
    assert feed.itunes_block == 1
    assert feed.itunes_complete == "Yes"
    assert feed.podcast_guid == SHOW_GUID
    # feedparser keeps only the attributes of an unknown element that has any (not its text).
    assert feed.podcast_locked == {"owner": "podcasts@example.org"}
    assert feed.podcast_funding == {"url": "https://www.example.org/donate"}
    assert feed.podcast_medium == "podcast"
    assert feed.podcast_license == {"url": "https://creativecommons.org/licenses/by/4.0/"}
    assert feed.podcast_updatefrequency["rrule"] == "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    assert {"href": "https://hub.example.org/", "rel": "hub", "type": "text/html"} in feed.links
    assert [t.term for t in feed.tags] == ["News", "Daily News"]


def _podcastparser(path: Path) -> dict[str, object]:
    # podcastparser 0.6.11 knows the Podcasting 2.0 tags only under the namespace's older URI,
    # which docs/1.0.md declares identical; read our feed as such a client would see it.
    data = path.read_bytes().replace(PODCAST_NS.encode(), PODCAST_NS_GITHUB.encode())
    parsed: dict[str, object] = podcastparser.parse(f"{BASE}feed.xml", io.BytesIO(data))
    return parsed


def test_podcastparser_reads_the_channel(rich_feed: Path) -> None:
    """gPodder's parser agrees: owner, new URL, locked, funding, categories, type."""
    parsed = _podcastparser(rich_feed)
    assert parsed["itunes_owner"] == {
        "name": "WUNC North Carolina Public Radio",
        "email": "podcasts@example.org",
    }
    assert parsed["new_url"] == "https://feeds.example.org/wunc/feed.xml"
    assert parsed["import_prohibited"] is True
    assert parsed["funding_url"] == "https://www.example.org/donate"
    assert parsed["itunes_categories"] == [["News", "Daily News"]]
    assert parsed["type"] == "episodic"
    assert parsed["link"] == "https://www.example.org/segments/"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "podcast_guid: d490e970",
            "podcast_guid: x490e970",
            "episodes/show.yaml:38:15: podcast_guid: expected a UUID like",
        ),
        (
            "  email: podcasts@example.org",
            "  email: podcasts",
            "episodes/show.yaml:43:10: owner.email: expected an email address",
        ),
        (
            "  geo: geo:35.9131,-79.0558",
            "  geo: 35.9131,-79.0558",
            "episodes/show.yaml:32:8: station.geo: expected an RFC 5870 geo URI",
        ),
        ("medium: podcast", "medium: radio", "episodes/show.yaml:46:9: medium: expected one of"),
    ],
)
def test_bad_channel_fields_are_manifest_errors(
    show: Path, run: Callable[..., Result], tmp_path: Path, old: str, new: str, expected: str
) -> None:
    """New show.yaml fields are checked where they are written, with file:line:col."""
    edit(show / "show.yaml", old, new)
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr.startswith(expected), result.stderr


def test_http_preview_leaves_out_https_only_tags(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """An http base URL (local preview) builds, without the tags the namespace wants over https."""
    result = run("build", "--base-url", "http://127.0.0.1:8000/")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "warning: the base URL http://127.0.0.1:8000/ is not https, so the feed leaves out"
        " podcast:transcript, podcast:chapters and podcast:image (the Podcasting 2.0 namespace"
        " requires https)\n"
        "1 warning (--strict makes them errors)\n"
    )
    xml = (tmp_path / "feeds" / "feed.xml").read_text()
    assert "podcast:transcript" not in xml and "podcast:image" not in xml
    assert 'url="http://127.0.0.1:8000/islamic-state-defectors/audio.mp3"' in xml


def test_person_links_must_be_https(show: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    """podcast:person href/img must be https: an http one is a manifest error at its line."""
    edit(
        show / "islamic-state-defectors" / "episode.yaml",
        "    role: guest\n",
        "    role: guest\n    href: http://example.org/pn\n",
    )
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "episodes/islamic-state-defectors/episode.yaml:23:11: credits.1.href:"
        " expected an https:// URL"
    ), result.stderr


def test_live_programs_need_their_own_guids(
    rich: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """Two live programs with one guid would look like one stream to apps: an error at the
    second guid's line and column."""
    append_text = (
        "  - {title: Morning Edition, guid: atc-2026-11-26, start: 2026-11-27T05:00:00-05:00,"
        " stream: https://stream.example.org/wunc.mp3}\n"
    )
    with open(rich / "show.yaml", "a", encoding="utf-8") as handle:
        handle.write(append_text)
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "episodes/show.yaml:84:36: live.1.guid: duplicate guid 'atc-2026-11-26',"
        " also used by live.0;"
    ), result.stderr


def test_funding_link_must_be_https_at_its_line(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """An http:// donate link cannot be podcast:funding: a field error at show.yaml's line and
    column, before anything is rendered (it reached the feed writer, unlocated, before)."""
    edit(
        show / "show.yaml",
        "donate: https://www.example.org/donate",
        "donate: http://www.example.org/donate",
    )
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "episodes/show.yaml:33:11: station.donate: expected an https:// URL (the Podcasting 2.0"
        " namespace requires https), got 'http://www.example.org/donate'\n"
    ), result.stderr
    assert not (tmp_path / "feeds").exists()


def test_an_episodes_funding_link_must_be_https_too(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """An episode's station override is checked as show.yaml's is: at its own line."""
    with open(show / "islamic-state-defectors" / "episode.yaml", "a", encoding="utf-8") as f:
        f.write("station:\n  donate: http://www.example.org/give\n")
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "episodes/islamic-state-defectors/episode.yaml:35:11: station.donate: expected an"
        " https:// URL"
    ), result.stderr
    assert not (tmp_path / "feeds").exists()


def test_a_city_too_long_for_podcast_location_is_located(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """The station's city becomes podcast:location (at most 128 characters): a longer one is a
    problem at the address's locality line, not a failure inside the feed writer."""
    edit(show / "show.yaml", "locality: Chapel Hill", "locality: " + "Chapel Hill " * 11)
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "episodes/show.yaml:23:15: station.address.locality: the feed's podcast:location is the"
        " city and region from the address, 135 characters here, and the namespace allows 128;"
    ), result.stderr
    assert not (tmp_path / "feeds").exists()
    with open(show / "show.yaml", "a", encoding="utf-8") as handle:  # a place of its own
        handle.write("location: {name: 'Chapel Hill, NC'}\n")
    assert run("build").exit_code == 0


def test_live_program_must_end_after_it_starts(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """An end before the start is reported at the end's line."""
    with open(show / "show.yaml", "a", encoding="utf-8") as handle:
        handle.write(
            "live:\n"
            "  - title: Morning Edition\n"
            "    guid: me-1\n"
            "    start: 2026-11-26T05:00:00-05:00\n"
            "    end: 2026-11-26T04:00:00-05:00\n"
            "    stream: https://stream.example.org/wunc.mp3\n"
        )
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr == (
        "episodes/show.yaml:54:10: live.0.end: must be after start (2026-11-26T05:00:00-05:00),"
        " got 2026-11-26T04:00:00-05:00\n"
        "error: 1 problem in 1 file; nothing was written to feeds/\n"
    )
