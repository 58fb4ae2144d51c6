"""A publisher feed (podcast:medium publisher): the spec's requirements, not a show's."""

from __future__ import annotations

from pathlib import Path

from stationcast.validate.api import validate_source

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0"'
    ' xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
    "<title>WUNC</title><link>https://podcasts.example.org/</link>"
    "<description>The station's podcasts.</description><language>en</language>"
    '<atom:link href="https://podcasts.example.org/publisher.xml" rel="self"/>'
    "<podcast:guid>1870d559-649c-5800-92af-998adaf37662</podcast:guid>"
    "<podcast:medium>publisher</podcast:medium>"
)
ITEM = (
    '<podcast:remoteItem feedGuid="da9e302e-14a1-598e-9770-20e169035de7"'
    ' feedUrl="https://podcasts.example.org/segments/feed.xml" medium="podcast"/>'
)


def _errors(tmp_path: Path, body: str) -> list[str]:
    path = tmp_path / "publisher.xml"
    path.write_text(HEAD + body + "</channel></rss>", encoding="utf-8")
    return [f.rule.id for f in validate_source(str(path)).findings if f.severity == "error"]


def test_a_publisher_feed_listing_its_feeds_passes(tmp_path: Path) -> None:
    assert _errors(tmp_path, ITEM) == []


def test_a_publisher_feed_listing_nothing_fails(tmp_path: Path) -> None:
    assert _errors(tmp_path, "") == ["podcast.publisher.feeds"]
