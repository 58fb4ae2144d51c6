"""Shared helpers for the feedgen extension tests: a minimal valid feed and an XML parser."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import lxml.etree  # noqa: F401  (feedgen.util uses lxml.etree without importing it)
from feedgen.feed import FeedGenerator
from lxml import etree

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
NS = {"itunes": ITUNES, "podcast": PODCAST}
FIXED = datetime(2015, 9, 22, 21, 35, tzinfo=UTC)


def new_feed() -> FeedGenerator:
    """A FeedGenerator with the RSS-required channel fields and a fixed build date."""
    fg = FeedGenerator()
    fg.title("Station Stories")
    fg.link(href="https://radio.example.org/stories/", rel="alternate")
    fg.link(href="https://radio.example.org/stories/feed.xml", rel="self")
    fg.description("Stories from the station.")
    fg.language("en")
    fg.lastBuildDate(FIXED)
    return fg


def add_item(fg: FeedGenerator, n: int = 1) -> Any:
    """Append an item with title, guid, date and enclosure."""
    fe = fg.add_entry(order="append")
    fe.title(f"Episode {n}")
    fe.guid(f"urn:uuid:00000000-0000-4000-8000-{n:012d}", permalink=False)
    fe.pubDate(FIXED)
    fe.enclosure(f"https://radio.example.org/stories/{n}.mp3", "1234", "audio/mpeg")
    return fe


def parse(fg: FeedGenerator) -> Any:
    """Serialise the feed to RSS and parse it back with a safe lxml parser."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.fromstring(fg.rss_str(), parser)
