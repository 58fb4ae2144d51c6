"""`import feed` keeps what feeds say, or lists it: no element disappears without a word."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from stationcast.importers.dates import parse_date

from .helpers import manifest, stationcast_cli

NS = (
    'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"'
    ' xmlns:podcast="https://podcastindex.org/namespace/1.0"'
    ' xmlns:atom="http://www.w3.org/2005/Atom"'
)
ENCLOSURE = '<enclosure url="https://media.example.org/1.mp3" length="1000" type="audio/mpeg"/>'


def _feed(channel: str = "", item: str = "", head: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" {NS}><channel>'
        "<title>Show</title><description>A show.</description><language>en</language>"
        f"{channel}<item><title>One</title><guid>ep-1</guid>"
        f"<pubDate>Mon, 01 Jan 2024 10:00:00 +0000</pubDate>{ENCLOSURE}{item}</item>"
        "</channel></rss>"
    )


def _import(tmp_path: Path, text: str | bytes, *extra: str) -> tuple[Result, Path]:
    feed = tmp_path / "feed.xml"
    if isinstance(text, str):
        feed.write_text(text, encoding="utf-8")
    else:
        feed.write_bytes(text)
    episodes = tmp_path / "episodes"
    result = CliRunner().invoke(
        stationcast_cli(),
        ["import", "feed", str(feed), "--episodes", str(episodes), *extra],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return result, episodes


# (what, channel elements, show.yaml field, its value as written)
CHANNEL_CASES: list[tuple[str, str, str, object]] = [
    (
        "itunes:owner also writes itunes:owner again",
        "<itunes:owner><itunes:name>Ana</itunes:name><itunes:email>ana@example.org</itunes:email>"
        "</itunes:owner>",
        "itunes_owner",
        True,
    ),
    (
        "a WebSub hub",
        '<atom:link rel="hub" href="https://pubsubhubbub.appspot.com/"/>',
        "websub_hubs",
        ["https://pubsubhubbub.appspot.com/"],
    ),
    (
        "podroll titles and media",
        '<podcast:podroll><podcast:remoteItem feedGuid="917393e3-1b1e-5cef-ace4-edaa54e1f810"'
        ' title="Other Show" medium="music"/></podcast:podroll>',
        "podroll",
        [
            {
                "feed_guid": "917393e3-1b1e-5cef-ace4-edaa54e1f810",
                "title": "Other Show",
                "medium": "music",
            }
        ],
    ),
    (
        "a live item",
        '<podcast:liveItem status="Pending" start="2024-03-01T18:00:00-05:00"'
        ' end="2024-03-01T19:00:00-05:00"><title>Live call-in</title><guid>live-1</guid>'
        '<enclosure url="https://stream.example.org/live" type="audio/mpeg" length="0"/>'
        "<link>https://example.org/live</link></podcast:liveItem>",
        "live",
        [
            {
                "title": "Live call-in",
                "guid": "live-1",
                "start": "2024-03-01T18:00:00-05:00",
                "end": "2024-03-01T19:00:00-05:00",
                "status": "pending",
                "stream": "https://stream.example.org/live",
                "type": "audio/mpeg",
                "page": "https://example.org/live",
            }
        ],
    ),
]


@pytest.mark.parametrize(
    ("channel", "key", "value"), [c[1:] for c in CHANNEL_CASES], ids=[c[0] for c in CHANNEL_CASES]
)
def test_channel_element_is_carried(tmp_path: Path, channel: str, key: str, value: object) -> None:
    """A channel element the show model has a field for is written to show.yaml."""
    _, episodes = _import(tmp_path, _feed(channel=channel))
    assert manifest(episodes / "show.yaml")[key] == value  # type: ignore[index]


def test_a_live_item_with_an_http_stream_is_listed(tmp_path: Path) -> None:
    """A live item the rebuilt feed could not carry (an http stream) is listed, not written."""
    live = (
        '<podcast:liveItem status="live" start="2024-03-01T18:00:00-05:00"><title>Live</title>'
        '<guid>l</guid><enclosure url="http://stream.example.org/live" type="audio/mpeg"'
        ' length="0"/></podcast:liveItem>'
    )
    result, episodes = _import(tmp_path, _feed(channel=live))
    assert "live" not in manifest(episodes / "show.yaml")  # type: ignore[operator]
    assert "its stream 'http://stream.example.org/live' is not https" in result.stderr
    assert "channel podcast:liveItem" in result.stdout


# (what, item elements, episode.yaml field, its value; None: left out)
ITEM_CASES: list[tuple[str, str, str, object]] = [
    (
        "the alternate that is the enclosure is not repeated",
        '<podcast:alternateEnclosure type="audio/mpeg" length="1000" default="true">'
        '<podcast:source uri="https://media.example.org/1.mp3"/></podcast:alternateEnclosure>'
        '<podcast:alternateEnclosure type="audio/opus" length="500" bitrate="32000.5"'
        ' codecs="opus"><podcast:source uri="https://media.example.org/1.opus"/>'
        "</podcast:alternateEnclosure>",
        "alternates",
        [
            {
                "url": "https://media.example.org/1.opus",
                "type": "audio/opus",
                "length": 500,
                "bitrate": 32000,
                "codecs": "opus",
            }
        ],
    ),
    (
        "an http person link is left out, the person kept",
        '<podcast:person role="host" href="http://ana.example.org">Ana</podcast:person>',
        "credits",
        [{"name": "Ana", "role": "host"}],
    ),
]


@pytest.mark.parametrize(
    ("item", "key", "value"), [c[1:] for c in ITEM_CASES], ids=[c[0] for c in ITEM_CASES]
)
def test_item_element_is_carried(tmp_path: Path, item: str, key: str, value: object) -> None:
    """An item element the episode model has a field for is written to episode.yaml."""
    _, episodes = _import(tmp_path, _feed(item=item))
    data = manifest(episodes / "one" / "episode.yaml")
    assert data[key] == value  # type: ignore[index]
    assert "draft" not in data  # type: ignore[operator]


def test_a_guid_with_spaces_is_kept_byte_for_byte(tmp_path: Path) -> None:
    """`160 at http://serialpodcast.org` (Drupal's guids) is kept, and the episode builds."""
    text = _feed().replace("<guid>ep-1</guid>", "<guid> 160 at http://serialpodcast.org </guid>")
    _, episodes = _import(tmp_path, text)
    data = manifest(episodes / "one" / "episode.yaml")
    assert data["guid"] == "160 at http://serialpodcast.org"  # type: ignore[index]
    assert "draft" not in data  # type: ignore[operator]


def test_an_itunes_title_that_differs_is_listed_and_counted(tmp_path: Path) -> None:
    """itunes:title unlike the title is listed in the manifest and counted in the round trip."""
    result, episodes = _import(tmp_path, _feed(item="<itunes:title>Uno</itunes:title>"))
    text = (episodes / "one" / "episode.yaml").read_text(encoding="utf-8")
    assert "#   itunes:title 'Uno' (the episode's title is 'One')" in text
    assert "  itunes:title (differs from <title>)  1" in result.stdout


def test_a_serial_show_without_numbers_imports_as_episodic_with_a_todo(tmp_path: Path) -> None:
    """A serial show whose items have no itunes:episode is episodic, with a TODO saying why, so
    the next build does not refuse it."""
    result, episodes = _import(tmp_path, _feed(channel="<itunes:type>serial</itunes:type>"))
    assert manifest(episodes / "show.yaml")["type"] == "episodic"  # type: ignore[index]
    assert "type: the old feed is a serial show, but 1 of its items have no" in result.stderr


def test_windows_1252_bytes_in_an_iso_8859_1_feed_are_read_as_meant(tmp_path: Path) -> None:
    """A feed declared ISO-8859-1 with a windows-1252 apostrophe (0x92) reads as ’, as in
    browsers (WHATWG), not as a control character."""
    text = _feed().replace("<title>One</title>", "<title>Today\x92s story</title>")
    data = text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("latin-1")
    _, episodes = _import(tmp_path, data)
    (folder,) = [f for f in episodes.iterdir() if f.is_dir()]
    assert manifest(folder / "episode.yaml")["title"] == "Today’s story"  # type: ignore[index]


def test_json_report_counts_the_round_trip(tmp_path: Path) -> None:
    """--json prints the report as one JSON document: counts and what was not carried over."""
    result, _ = _import(tmp_path, _feed(item="<itunes:keywords>a,b</itunes:keywords>"), "--json")
    report = json.loads(result.stdout)
    assert (report["items"], report["imported"], report["drafted"], report["not_imported"]) == (
        1,
        1,
        0,
        0,
    )
    assert report["not_carried_over"] == {"itunes:keywords": 1}


# (what, the pubDate, the date read as ISO 8601; None: a TODO)
DATE_CASES: list[tuple[str, str, str | None]] = [
    ("two-digit year", "Tue, 22 Sep 15 17:35:00 -0400", "2015-09-22T17:35:00-04:00"),
    ("lower-case names", "tue, 22 sep 2015 17:35:00 edt", "2015-09-22T17:35:00-04:00"),
    ("military zone Z", "Tue, 22 Sep 2015 17:35:00 Z", "2015-09-22T17:35:00+00:00"),
    ("military zone A: -0000", "Tue, 22 Sep 2015 17:35:00 A", "2015-09-22T17:35:00+00:00"),
    ("a comment after", "Tue, 22 Sep 2015 17:35:00 -0400 (EDT)", "2015-09-22T17:35:00-04:00"),
    ("a comment inside", "Tue (x), 22 Sep 2015 17:35 (y) EST", "2015-09-22T17:35:00-05:00"),
    ("no seconds, no weekday", "22 Sep 2015 17:35 GMT", "2015-09-22T17:35:00+00:00"),
    ("-0000", "Tue, 22 Sep 2015 17:35:00 -0000", "2015-09-22T17:35:00+00:00"),
    ("no zone at all", "Tue, 22 Sep 2015 17:35:00", None),
    ("no such day", "Tue, 31 Feb 2015 17:35:00 GMT", None),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in DATE_CASES], ids=[c[0] for c in DATE_CASES]
)
def test_rfc_822_dates_are_read_in_every_valid_form(text: str, expected: str | None) -> None:
    """Odd but valid RFC 822/5322 dates are read (an unknown zone as -0000, RFC 5322 4.3); one
    with no zone or no such day is a reason, never a guess."""
    found = parse_date(text)
    assert found is not None
    assert (found.value.isoformat() if found.value else None) == expected
    assert bool(found.problem) == (expected is None)


def test_an_odd_but_valid_date_does_not_make_a_draft(tmp_path: Path) -> None:
    """An item dated with a comment and a military zone is imported, not drafted."""
    text = _feed().replace("Mon, 01 Jan 2024 10:00:00 +0000", "mon, 01 jan 24 10:00 (morning) N")
    _, episodes = _import(tmp_path, text)
    data = manifest(episodes / "one" / "episode.yaml")
    assert data["published"] == "2024-01-01T10:00:00+00:00"  # type: ignore[index]
    assert "draft" not in data  # type: ignore[operator]
