"""The RSS feed: show and episodes -> feed.xml bytes, with feedgen.

feedgen writes RSS 2.0 and its iTunes extension writes most `itunes:` tags. What it gets
wrong for today's Apple Podcasts (explicit as true/false, the 2019 categories) is written
by our `apple` extension, and the Podcasting 2.0 namespace by `podcast_ns`.

Everything here is deterministic: entries are added in our own order (`order="append"`),
and lastBuildDate is the newest episode's date, never the wall clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator

from stationcast.apple import register_apple
from stationcast.models import Show
from stationcast.podcast_ns import register_podcastindex

GENERATOR = "stationcast"
GENERATOR_URI = "https://pypi.org/project/stationcast/"


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    group: str | None = None
    href: str | None = None
    img: str | None = None


@dataclass(frozen=True)
class TranscriptLink:
    url: str
    type: str
    language: str | None = None
    rel: str | None = None


@dataclass(frozen=True)
class FeedItem:
    """Everything the feed says about one episode, already resolved to URLs and numbers."""

    guid: str
    title: str
    link: str
    published: datetime
    description: str
    enclosure_url: str
    enclosure_length: int
    enclosure_type: str
    duration: float | None
    explicit: bool
    episode: int | None = None
    season: int | None = None
    episode_type: str = "full"
    persons: Sequence[Person] = ()
    transcripts: Sequence[TranscriptLink] = ()
    author: str = ""


@dataclass(frozen=True)
class FeedChannel:
    show: Show
    feed_url: str
    link: str
    artwork_url: str
    persons: Sequence[Person] = field(default_factory=tuple)


def build_feed(channel: FeedChannel, items: Sequence[FeedItem]) -> bytes:
    """Serialise the feed. `items` must already be in feed order (newest first)."""
    show = channel.show
    fg = FeedGenerator()
    fg.load_extension("podcast")  # feedgen's iTunes extension
    register_apple(fg)  # after feedgen's: explicit true/false, 2019 categories
    register_podcastindex(fg)  # the Podcasting 2.0 namespace, as fg.podcastindex

    fg.title(show.title)
    fg.link(href=channel.feed_url, rel="self")
    fg.link(href=channel.link, rel="alternate")  # feedgen's RSS <link> is the last link given
    fg.description(show.description)
    fg.language(show.language)
    if show.copyright:
        fg.copyright(show.copyright)
    # No version in the generator tag: a release must not change every published feed.
    fg.generator(GENERATOR, uri=GENERATOR_URI)
    fg.lastBuildDate(max((i.published for i in items), default=datetime(1970, 1, 1, tzinfo=UTC)))
    fg.image(url=channel.artwork_url, title=show.title, link=channel.link)

    author = show.author or show.station.name
    fg.podcast.itunes_author(author)
    fg.podcast.itunes_type(show.type)
    fg.apple.itunes_explicit(show.explicit)
    fg.apple.itunes_image(channel.artwork_url)
    for category, sub in show.category_pairs():
        fg.apple.itunes_category(category, sub)
    for person in channel.persons:
        fg.podcastindex.person(person.name, role=person.role, group=person.group, href=person.href, img=person.img)

    for item in items:
        entry = fg.add_entry(order="append")
        entry.guid(item.guid, permalink=False)
        entry.title(item.title)
        entry.link(href=item.link)
        entry.published(item.published)
        entry.description(item.description)
        entry.enclosure(item.enclosure_url, str(item.enclosure_length), item.enclosure_type)
        if item.duration is not None:
            entry.podcast.itunes_duration(int(round(item.duration)))
        entry.apple.itunes_explicit(item.explicit)
        if item.episode is not None:
            entry.podcast.itunes_episode(item.episode)
        if item.season is not None:
            entry.podcast.itunes_season(item.season)
        entry.podcast.itunes_episode_type(item.episode_type)
        if item.author:
            entry.podcast.itunes_author(item.author)
        for link in item.transcripts:
            entry.podcastindex.transcript(link.url, link.type, language=link.language, rel=link.rel)
        for person in item.persons:
            entry.podcastindex.person(person.name, role=person.role, group=person.group, href=person.href, img=person.img)
    data: bytes = fg.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return data
