"""The RSS feed: serialisers. The rules values follow live in stationcast.spec; the manifest
models apply them (with file and line) before anything reaches a writer.

- ``writer``: show and episodes -> feed.xml bytes with feedgen (setup, order, assembly);
- ``itunes``: a feedgen extension for the ``itunes:`` tags feedgen writes wrongly;
- ``podcastindex`` (with ``podcast_tags`` and ``podcast_values``): a feedgen extension for the
  Podcasting 2.0 ``podcast:`` tags.

The two extensions work on their own with any FeedGenerator, so their setters check their
arguments too, against the same spec facts (never a copy of them). The writer is what the
build uses, and its names are the package's.
"""

from __future__ import annotations

from stationcast.feed.writer import (
    GENERATOR,
    GENERATOR_URI,
    AlternateLink,
    ArchiveLinks,
    FeedChannel,
    FeedItem,
    ImageLink,
    Person,
    SoundbiteLink,
    TranscriptLink,
    assemble_feed,
    build_feed,
    channel_location,
    feed_frame,
    item_links,
    serialise_items,
)

__all__ = [
    "GENERATOR",
    "GENERATOR_URI",
    "AlternateLink",
    "ArchiveLinks",
    "FeedChannel",
    "FeedItem",
    "ImageLink",
    "Person",
    "SoundbiteLink",
    "TranscriptLink",
    "assemble_feed",
    "build_feed",
    "channel_location",
    "feed_frame",
    "item_links",
    "serialise_items",
]
