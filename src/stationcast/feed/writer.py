"""The RSS feed: show and episodes -> feed.xml bytes, with feedgen.

feedgen writes RSS 2.0 and its iTunes extension writes most `itunes:` tags. What it gets
wrong for today's Apple Podcasts (explicit as true/false, the 2019 categories, block and
complete) is written by our extension in `stationcast.feed.itunes`, and the Podcasting 2.0
namespace by `stationcast.feed.podcastindex`. feedgen's RSS writer keeps only the
`rel="self"` atom link, so the WebSub hub and RFC 5005 archive links are written by a small
extension here (`_AtomLinks`).

Everything here is deterministic: entries are added in our own order (`order="append"`),
and lastBuildDate is the newest episode's date, never the wall clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from stationcast.errors import BuildError
from stationcast.feed.itunes import register_apple
from stationcast.feed.podcastindex import register_podcastindex
from stationcast.models import Address, Episode, License, LiveProgram, Location, Show
from stationcast.spec.namespaces import ATOM, HISTORY
from stationcast.spec.podcast import CHAPTERS_TYPE, NODE_LIMIT, is_https

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


def item_links(
    episode: Episode, transcripts: Sequence[TranscriptLink], chapters_url: str | None
) -> tuple[tuple[TranscriptLink, ...], str | None]:
    """An item's `podcast:transcript` links and `podcast:chapters` URL.

    `transcripts` and `chapters_url` are what the build wrote for the episode; the manifest's
    `transcripts:` (hosted elsewhere) follow the build's own links, and its `chapters_url:`
    is used when the episode has no chapters file of its own.
    """
    links = list(transcripts)
    seen = {link.url for link in links}
    for remote in episode.transcripts:
        if remote.url not in seen:
            seen.add(remote.url)
            links.append(TranscriptLink(remote.url, remote.type, remote.language, remote.rel))
    return tuple(links), chapters_url or episode.chapters_url


@dataclass(frozen=True)
class AlternateLink:
    """A `podcast:alternateEnclosure` with one `podcast:source`."""

    url: str
    type: str
    length: int | None = None
    bitrate: int | None = None  # bits per second
    title: str | None = None
    default: bool = False
    codecs: str | None = None  # RFC 6381, when the container does not say (Opus in Ogg)


@dataclass(frozen=True)
class SoundbiteLink:
    start: float
    duration: float
    title: str = ""


@dataclass(frozen=True)
class ImageLink:
    url: str
    alt: str = ""
    width: int | None = None
    height: int | None = None


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
    content_html: str = ""  # content:encoded (sanitised show notes)
    image: ImageLink | None = None
    chapters_url: str | None = None
    soundbites: Sequence[SoundbiteLink] = ()
    season_name: str | None = None
    location: Location | None = None
    alternates: Sequence[AlternateLink] = ()
    license: License | None = None


@dataclass(frozen=True)
class ArchiveLinks:
    """RFC 5005 links of one feed document (the current feed or an archive page)."""

    current: str  # the current feed's URL
    prev_archive: str | None = None  # the next older archive page
    next_archive: str | None = None  # the next newer archive page
    is_archive: bool = False  # this document is an archive page (fh:archive)


@dataclass(frozen=True)
class FeedChannel:
    show: Show
    feed_url: str  # this document's own URL (atom:link rel="self")
    link: str
    artwork_url: str
    persons: Sequence[Person] = field(default_factory=tuple)
    podcast_guid: str | None = None
    artwork_size: tuple[int, int] | None = None
    archive: ArchiveLinks | None = None
    live_defaults: tuple[str | None, str | None] = (None, None)  # (stream URL, page URL)


def address_place(address: Address) -> str:
    """The place an address names, as podcast:location's text: "Chapel Hill, NC"."""
    return address.locality + (f", {address.region}" if address.region else "")


def channel_location(show: Show) -> Location | None:
    """`show.location`, or the station's city from its address (rel="creator": made there)."""
    if show.location is not None:
        return show.location
    address = show.station.address
    if address is None:
        return None
    name = address_place(address)
    if len(name) > NODE_LIMIT:  # a problem at show.yaml's locality (build.show.show_problems)
        return None
    country = (
        address.country.upper() if len(address.country) == 2 and address.country.isalpha() else None
    )
    return Location(
        name=name, geo=show.station.geo, osm=show.station.osm, country=country, rel="creator"
    )


class _AtomLinks(BaseExtension):  # type: ignore[misc]
    """atom:link rel="hub" (WebSub) and RFC 5005 links, which feedgen's RSS writer drops."""

    def __init__(self) -> None:
        self.links: list[tuple[str, str]] = []  # (rel, href)
        self.archive = False

    def extend_ns(self) -> dict[str, str]:
        return {"atom": ATOM, "fh": HISTORY} if self.archive else {"atom": ATOM}

    def extend_rss(self, rss_feed: Any) -> Any:
        channel = rss_feed[0]
        selves = [e for e in channel.findall(f"{{{ATOM}}}link") if e.get("rel") == "self"]
        index = channel.index(selves[-1]) + 1 if selves else 0
        for rel, href in self.links:
            element = xml_elem(f"{{{ATOM}}}link")
            element.attrib["href"] = href
            element.attrib["rel"] = rel
            channel.insert(index, element)
            index += 1
        if self.archive:
            channel.insert(index, xml_elem(f"{{{HISTORY}}}archive"))
        return rss_feed


class _NoEntryExtension(BaseEntryExtension):  # type: ignore[misc]
    pass


def build_feed(
    channel: FeedChannel, items: Sequence[FeedItem], *, last_build: datetime | None = None
) -> bytes:
    """Serialise the feed. `items` must already be in feed order (newest first).

    `last_build` is the lastBuildDate when given (default: the newest item's date).
    Raises BuildError when a value breaks a rule of the feed's namespaces (the manifest
    models catch nearly all of these first, with file and line).
    """
    try:
        return _build_feed(channel, items, last_build)
    except ValueError as exc:
        raise BuildError(f"cannot write the feed: {exc}") from None


# Pretty-printed, every <item> is a direct child of <channel> and starts and ends its own
# line at this indentation; the items are the channel's last children (feedgen appends them
# after every channel tag and extension). So an item's bytes do not depend on the rest of the
# document, and a feed can be assembled from items serialised earlier (the build's cache).
_ITEM_OPEN = b"    <item>\n"
_ITEM_CLOSE = b"    </item>\n"
_CHANNEL_END = b"  </channel>\n</rss>\n"


def serialise_items(channel: FeedChannel, items: Sequence[FeedItem]) -> list[bytes]:
    """Each item's bytes exactly as `build_feed` writes it inside any document of this show."""
    if not items:
        return []
    data = build_feed(channel, items)
    start = data.find(b"\n" + _ITEM_OPEN) + 1
    parts = data[start : len(data) - len(_CHANNEL_END)].split(_ITEM_CLOSE)
    if (
        start == 0
        or not data.endswith(_CHANNEL_END)
        or len(parts) != len(items) + 1
        or parts[-1]
        or not all(p.startswith(_ITEM_OPEN) for p in parts[:-1])
    ):  # pragma: no cover - feedgen changed its layout; the tests compare with build_feed
        raise BuildError("internal error: cannot split the serialised feed into items")
    return [p + _ITEM_CLOSE for p in parts[:-1]]


def assemble_feed(channel: FeedChannel, items: Sequence[bytes], last_build: datetime) -> bytes:
    """The same bytes as `build_feed(channel, feed_items)` from `serialise_items` output."""
    head, end = feed_frame(channel, last_build)
    return b"".join([head, *items, end])


def feed_frame(channel: FeedChannel, last_build: datetime) -> tuple[bytes, bytes]:
    """The feed document around its items: (everything before the first item, the end)."""
    head = build_feed(channel, [], last_build=last_build)
    if not head.endswith(_CHANNEL_END):  # pragma: no cover - see serialise_items
        raise BuildError("internal error: unexpected end of the serialised feed")
    return head[: len(head) - len(_CHANNEL_END)], _CHANNEL_END


def _build_feed(
    channel: FeedChannel, items: Sequence[FeedItem], last_build: datetime | None = None
) -> bytes:
    show = channel.show
    fg = FeedGenerator()
    fg.load_extension("podcast")  # feedgen's iTunes extension
    register_apple(fg)  # after feedgen's: explicit true/false, 2019 categories
    register_podcastindex(fg)  # the Podcasting 2.0 namespace, as fg.podcastindex
    fg.register_extension("stationcast_atom", _AtomLinks, _NoEntryExtension, atom=False)

    fg.title(show.title)
    fg.link(href=channel.feed_url, rel="self")
    fg.link(href=channel.link, rel="alternate")  # feedgen's RSS <link> is the last link given
    links: list[tuple[str, str]] = [("hub", hub) for hub in show.websub_hubs]
    if channel.archive is not None:
        archive = channel.archive
        if archive.is_archive:
            links.append(("current", archive.current))
        if archive.prev_archive:
            links.append(("prev-archive", archive.prev_archive))
        if archive.next_archive:
            links.append(("next-archive", archive.next_archive))
        fg.stationcast_atom.archive = archive.is_archive
    fg.stationcast_atom.links = links
    fg.description(show.description)
    fg.language(show.language)
    if show.copyright:
        fg.copyright(show.copyright)
    # No version in the generator tag: a release must not change every published feed.
    fg.generator(GENERATOR, uri=GENERATOR_URI)
    if last_build is None:
        last_build = max((i.published for i in items), default=datetime(1970, 1, 1, tzinfo=UTC))
    fg.lastBuildDate(last_build)
    fg.image(url=channel.artwork_url, title=show.title, link=channel.link)

    author = show.author or show.station.name
    fg.podcast.itunes_author(author)
    fg.podcast.itunes_type(show.type)
    if show.owner is not None and show.itunes_owner:
        fg.podcast.itunes_owner(name=show.owner.name or author, email=show.owner.email)
    if show.new_feed_url:
        fg.podcast.itunes_new_feed_url(show.new_feed_url)
    fg.apple.itunes_explicit(show.explicit)
    fg.apple.itunes_image(channel.artwork_url)
    if show.block:
        fg.apple.itunes_block(True)
    if show.complete:
        fg.apple.itunes_complete(True)
    for category, sub in show.category_pairs():
        fg.apple.itunes_category(category, sub)
    _channel_podcast_tags(fg.podcastindex, channel)

    for item in items:
        _add_item(fg, item)
    data: bytes = fg.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return data


def _channel_podcast_tags(p: Any, channel: FeedChannel) -> None:
    show = channel.show
    station = show.station
    if channel.podcast_guid:
        p.guid(channel.podcast_guid)
    p.locked(show.locked, owner=show.owner.email if show.owner else None)
    if station.donate:
        p.funding(station.donate, show.funding_text or f"Support {station.name}"[:128])
    location = channel_location(show)
    if location is not None:
        _location(p, location)
    if show.license is not None:
        p.license(show.license.identifier, show.license.url)
    p.medium(show.medium)
    width, height = channel.artwork_size or (None, None)
    if is_https(channel.artwork_url):
        p.image(channel.artwork_url, alt=show.title, width=width, height=height, purpose="artwork")
    for person in channel.persons:
        p.person(
            person.name, role=person.role, group=person.group, href=person.href, img=person.img
        )
    for txt in show.txt:
        p.txt(txt.text, purpose=txt.purpose)
    if show.podroll:
        p.podroll(
            [
                {
                    k: v
                    for k, v in {
                        "feed_guid": r.feed_guid,
                        "feed_url": r.feed_url,
                        "title": r.title,
                        "medium": r.medium,
                    }.items()
                    if v is not None
                }
                for r in show.podroll
            ]
        )
    if show.publisher is not None:
        p.publisher(show.publisher.feed_guid, show.publisher.feed_url)
    if show.update_frequency is not None:
        u = show.update_frequency
        p.update_frequency(u.text, complete=u.complete, dtstart=u.dtstart, rrule=u.rrule)
    stream, page = channel.live_defaults
    for program in show.live:
        _live_item(p, program, stream, page)


def _live_item(p: Any, program: LiveProgram, stream: str | None, page: str | None) -> None:
    url = program.stream or stream
    link = program.page or page
    if url is None or link is None:  # build.py reports this with the manifest's location
        raise ValueError(f"podcast:liveItem {program.title!r} needs a stream URL and an https page")
    live = p.live_item(
        program.status or "pending",  # (the build passes each program's status at its clock)
        program.start,
        program.title,
        program.guid,
        program.end,
        enclosure=(url, 0, program.type),
        # No <link>: feedparser reads a liveItem's <link> as the channel's; contentLink has it.
        description=program.description or None,
        content_link=(link, program.title),
    )
    live.alternate_enclosure(type=program.type, sources=[url], default=True)


def _location(p: Any, location: Location) -> None:
    p.location(
        location.name,
        rel=location.rel,
        geo=location.geo,
        osm=location.osm,
        country=location.country,
    )


def _add_item(fg: FeedGenerator, item: FeedItem) -> None:
    entry = fg.add_entry(order="append")
    entry.guid(item.guid, permalink=False)
    entry.title(item.title)
    entry.link(href=item.link)
    entry.published(item.published)
    entry.description(item.description)
    if item.content_html:
        if "]]>" in item.content_html:  # cannot happen after sanitising; never break CDATA
            raise ValueError("show notes contain ']]>'")
        entry.content(item.content_html, type="CDATA")
    entry.enclosure(item.enclosure_url, str(item.enclosure_length), item.enclosure_type)
    if item.duration is not None:
        entry.podcast.itunes_duration(int(round(item.duration)))
    entry.apple.itunes_explicit(item.explicit)
    if item.image is not None:
        entry.apple.itunes_image(item.image.url)
    if item.episode is not None:
        entry.podcast.itunes_episode(item.episode)
    if item.season is not None:
        entry.podcast.itunes_season(item.season)
    entry.podcast.itunes_episode_type(item.episode_type)
    if item.author:
        entry.podcast.itunes_author(item.author)
    p = entry.podcastindex
    # The namespace requires https for these (and for alternateEnclosure sources, below); a
    # feed served over http (a local preview) goes without them rather than breaking the rule
    # (build.py warns, and `stationcast serve` says so when it starts).
    for link in item.transcripts:
        if is_https(link.url):
            p.transcript(link.url, link.type, language=link.language, rel=link.rel)
    if item.chapters_url and is_https(item.chapters_url):
        p.chapters(item.chapters_url, CHAPTERS_TYPE)
    for bite in item.soundbites:
        p.soundbite(_number(bite.start), _number(bite.duration), bite.title or None)
    for person in item.persons:
        p.person(
            person.name, role=person.role, group=person.group, href=person.href, img=person.img
        )
    if item.season is not None:
        p.season(item.season, item.season_name)
    if item.episode is not None:
        p.episode(item.episode)
    if item.location is not None:
        _location(p, item.location)
    if item.license is not None:
        p.license(item.license.identifier, item.license.url)
    for alt in item.alternates:
        # Each alternate has one podcast:source, which must be https too (the preview's own
        # files are http): the whole alternateEnclosure goes, as transcripts do above.
        if not is_https(alt.url):
            continue
        p.alternate_enclosure(
            type=alt.type,
            length=alt.length,
            bitrate=alt.bitrate,
            title=alt.title or None,
            codecs=alt.codecs,
            default=True if alt.default else None,
            sources=[alt.url],
        )
    if item.image is not None and is_https(item.image.url):
        p.image(
            item.image.url,
            alt=item.image.alt or None,
            width=item.image.width,
            height=item.image.height,
            purpose="artwork",
        )


def _number(value: float) -> int | float:
    """12.0 -> 12 (written "12"), 12.5 -> 12.5: no needless ".0" in attributes."""
    return int(value) if float(value).is_integer() else round(value, 3)


@dataclass(frozen=True)
class RemoteShow:
    """A feed a publisher feed lists (a `podcast:remoteItem`)."""

    feed_guid: str
    feed_url: str | None  # None when not https (a local preview): the namespace requires https
    title: str
    medium: str = "podcast"


def publisher_feed(
    *,
    title: str,
    link: str,
    description: str,
    language: str,
    feed_url: str,
    podcast_guid: str,
    shows: Sequence[RemoteShow],
    last_build: datetime,
    logo_url: str | None = None,
    copyright: str = "",
) -> bytes:
    """A publisher feed (publishers/publishers.md): podcast:medium `publisher`, its own
    podcast:guid, and a podcast:remoteItem for each of the publisher's feeds; no items.
    `last_build` is its lastBuildDate (the newest of its shows': never the wall clock)."""
    fg = FeedGenerator()
    register_podcastindex(fg)
    fg.register_extension("stationcast_atom", _AtomLinks, _NoEntryExtension, atom=False)
    fg.title(title)
    fg.link(href=feed_url, rel="self")
    fg.link(href=link, rel="alternate")
    fg.stationcast_atom.links = []
    fg.description(description)
    fg.language(language)
    if copyright:
        fg.copyright(copyright)
    fg.generator(GENERATOR, uri=GENERATOR_URI)
    fg.lastBuildDate(last_build)
    if logo_url:
        fg.image(url=logo_url, title=title, link=link)
    p = fg.podcastindex
    p.guid(podcast_guid)
    p.medium("publisher")
    if logo_url and is_https(logo_url):
        p.image(logo_url, alt=title, purpose="publisher")
    for show in shows:
        p.remote_item(show.feed_guid, show.feed_url, medium=show.medium, title=show.title)
    data: bytes = fg.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return data
