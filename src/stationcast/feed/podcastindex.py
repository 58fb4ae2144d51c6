"""A feedgen extension for the Podcasting 2.0 namespace (``podcast:`` tags).

Spec: Podcastindex-org/podcast-namespace, ``docs/1.0.md`` and ``docs/tags/<tag>.md``.
Namespace URI ``https://podcastindex.org/namespace/1.0``, prefix ``podcast``.

Register it under a key other than ``podcast`` (feedgen's own iTunes extension uses that
key); the XML prefix is still ``podcast``::

    from feedgen.feed import FeedGenerator
    from stationcast.feed.podcastindex import PodcastIndexExtension, PodcastIndexEntryExtension

    fg = FeedGenerator()
    fg.register_extension("podcastindex", PodcastIndexExtension, PodcastIndexEntryExtension,
                          atom=False)
    fg.podcastindex.guid(podcast_guid("https://example.org/feed.xml"))
    fg.podcastindex.funding("https://example.org/donate", "Support the station")
    fe = fg.add_entry(order="append")
    fe.podcastindex.transcript("https://example.org/1/transcript.vtt", "text/vtt")

Conventions follow feedgen's extensions: one method per tag; called with its arguments it
sets (single tags) or adds (repeatable tags, ``replace=True`` clears first) and returns the
current value(s); called without arguments it only returns them. Adding to a repeatable tag
takes constant time however many values it has (a :class:`TagValues` snapshot is returned,
which copies nothing until read), so an item with 10,000 persons costs ten times one with
1,000. Every value is checked when it is set, against the spec's rules as
stationcast.spec.podcast records them (required attributes, enumerations, length limits,
``https:`` for web resources), and a bad one raises ValueError naming the tag and the rule:
the extension is safe to use on its own, with any FeedGenerator. (The build never relies on
that: the manifest models check the same facts first, with file and line.) Tags are written
in the order their methods were first called, so output is deterministic.

The setters shared with items live in stationcast.feed.podcast_tags, their argument checks in
stationcast.feed.podcast_values. Person roles and groups are checked against the Podcast
Taxonomy; set ``stationcast.feed.podcast_tags.person_check`` (a callable ``(role, group) ->
(role, group)``) to use another checker, or to ``None`` to write roles and groups unchecked
(lower-cased).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

# feedgen.util uses lxml.etree at import time without importing it.
import lxml.etree  # noqa: F401
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.util import xml_elem

from stationcast.feed import podcast_values as v
from stationcast.feed.podcast_tags import ItemOnlyTags, SharedSingles, Tags, remote_item
from stationcast.feed.podcast_values import TagValues
from stationcast.spec.namespaces import PODCAST, PODCAST_GITHUB
from stationcast.spec.podcast import (
    EMAIL,
    LIVE_STATUSES,
    MEDIUMS,
    RRULE_COUNT,
    RRULE_FREQ,
    podcast_guid,
)
from stationcast.spec.xml import UUID

__all__ = [
    "LiveItem",
    "PodcastIndexEntryExtension",
    "PodcastIndexExtension",
    "TagValues",
    "podcast_guid",
    "register_podcastindex",
]

EXTENSION_KEY = "podcastindex"


class LiveItem(ItemOnlyTags, SharedSingles):
    """A ``podcast:liveItem`` (docs/tags/live-item.md): a channel child holding item tags.

    Create it with :meth:`PodcastIndexExtension.live_item`; add podcast: children with the
    same methods as an item (person, location, funding, image, content_link,
    alternate_enclosure, transcript...). At least one content_link is required (checked when
    the feed is written).
    """

    def __init__(
        self,
        status: str,
        start: datetime | str,
        title: str,
        guid: str,
        end: datetime | str | None = None,
        guid_permalink: bool = False,
        enclosure: tuple[str, int, str] | None = None,
        link: str | None = None,
        description: str | None = None,
        require_https: bool = True,
    ) -> None:
        super().__init__()
        self._status = v.choice("liveItem", status, "status", LIVE_STATUSES)
        self._start = v.iso8601("liveItem", start, "start")
        self._end = None if end is None else v.iso8601("liveItem", end, "end")
        if isinstance(start, datetime) and isinstance(end, datetime) and end <= start:
            raise ValueError(
                f"podcast:liveItem: end ({self._end}) must be after start ({self._start})"
            )
        self._title = v.text("liveItem", title, "title", None)
        self._guid = v.text("liveItem", guid, "guid", None)
        self._guid_permalink = bool(guid_permalink)
        self.require_https = require_https
        self._link = None if link is None else self._url("liveItem", link, "link")
        self._description = v.optional_text("liveItem", description, "description", None)
        self._enclosure: tuple[str, str, str] | None = None
        if enclosure is not None:
            url, length, mime = enclosure
            self._enclosure = (
                v.uri("liveItem", url, "enclosure url"),
                v.integer("liveItem", length, "enclosure length", 0),
                v.mime("liveItem", mime, "enclosure type"),
            )
        for what, value in (
            ("title", self._title),
            ("guid", self._guid),
            ("description", self._description),
            ("link", self._link),
            ("enclosure url", url if enclosure else None),
        ):
            v.check_xml("liveItem", what, value)

    def status(self, status: str | None = None) -> str:
        """Get or set the stream status: 'pending', 'live' or 'ended'."""
        if status is not None:
            self._status = v.choice("liveItem", status, "status", LIVE_STATUSES)
        return self._status

    def _write(self, channel: Any, ns: str) -> None:
        if not self._has("contentLink"):
            raise ValueError(
                f"podcast:liveItem {self._guid!r}: needs at least one podcast:contentLink "
                "(a page where listeners can follow the stream); call content_link(href, text)"
            )
        element = xml_elem(f"{{{ns}}}liveItem", channel)
        element.attrib.update(v.attrs(status=self._status, start=self._start, end=self._end))
        xml_elem("title", element).text = self._title
        if self._description is not None:
            xml_elem("description", element).text = self._description
        if self._link is not None:
            xml_elem("link", element).text = self._link
        guid = xml_elem("guid", element)
        guid.text = self._guid
        guid.attrib["isPermaLink"] = "true" if self._guid_permalink else "false"
        if self._enclosure is not None:
            enclosure = xml_elem("enclosure", element)
            enclosure.attrib.update(zip(("url", "length", "type"), self._enclosure, strict=True))
        self._write_nodes(element, ns)


class PodcastIndexExtension(Tags, SharedSingles, BaseExtension):  # type: ignore[misc]
    """Channel-level Podcasting 2.0 tags."""

    namespace = PODCAST

    def __init__(self) -> None:
        super().__init__()
        self._live_items: list[LiveItem] = []

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": self.namespace}

    def extend_rss(self, rss_feed: Any) -> Any:
        channel = rss_feed[0]
        self._write_nodes(channel, self.namespace)
        for live in self._live_items:
            live._write(channel, self.namespace)
        return rss_feed

    def guid(self, guid: str | None = None) -> str | None:
        """Get or set ``podcast:guid`` (docs/tags/guid.md), a UUID.

        Derive it once with :func:`podcast_guid` from the feed URL and store it: it must
        not change when the feed moves.
        """
        if guid is None:
            value = self._get_single("guid")
            return None if value is None else str(value["guid"])
        if not isinstance(guid, str) or not UUID.fullmatch(guid.strip()):
            raise ValueError(
                "podcast:guid: must be a UUID like 917393e3-1b1e-5cef-ace4-edaa54e1f810 "
                f"(use podcast_guid(feed_url)), got {guid!r}"
            )
        guid = guid.strip().lower()
        self._single(v.Node("guid", {}, guid, value={"guid": guid}))
        return guid

    def locked(
        self, locked: bool | str | None = None, owner: str | None = None
    ) -> dict[str, Any] | None:
        """Set ``podcast:locked`` (docs/tags/locked.md): yes (other hosts must not import
        the feed) or no, with an optional *owner* email used to verify a move."""
        if locked is None and owner is None:
            return self._get_single("locked")
        text = v.yes_no("locked", locked)
        if owner is not None and not (isinstance(owner, str) and EMAIL.fullmatch(owner)):
            raise ValueError(f"podcast:locked: owner must be an email address, got {owner!r}")
        return self._single(
            v.Node(
                "locked",
                v.attrs(owner=owner),
                text,
                value=v.clean({"locked": text == "yes", "owner": owner}),
            )
        )

    def medium(self, medium: str | None = None) -> str | None:
        """Get or set ``podcast:medium`` (docs/tags/medium.md): podcast, music, video, film,
        audiobook, newsletter, blog, publisher, course, their "L" list forms, or mixed."""
        if medium is None:
            value = self._get_single("medium")
            return None if value is None else str(value["medium"])
        v.choice("medium", medium, "value", MEDIUMS)
        self._single(v.Node("medium", {}, medium, value={"medium": medium}))
        return medium

    def block(
        self, block: bool | str | None = None, id: str | None = None, replace: bool = False
    ) -> Sequence[dict[str, Any]]:
        """Add a ``podcast:block`` (docs/tags/block.md): yes/no, optionally for one
        platform *id* (a slug from the spec's serviceslugs.txt)."""
        node = None
        if (block, id) != (None, None):
            text = v.yes_no("block", block)
            id = v.optional_text("block", id, "id")
            node = v.Node(
                "block", v.attrs(id=id), text, value=v.clean({"block": text == "yes", "id": id})
            )
        return self._add(node, "block", replace)

    def remote_item(
        self,
        feed_guid: str | None = None,
        feed_url: str | None = None,
        item_guid: str | None = None,
        medium: str | None = None,
        title: str | None = None,
        replace: bool = False,
    ) -> Sequence[dict[str, Any]]:
        """Add a channel-level ``podcast:remoteItem`` (docs/tags/remote-item.md)."""
        node = None
        if (feed_guid, feed_url, item_guid, medium, title) != (None,) * 5:
            node = remote_item(
                "remoteItem", feed_guid, feed_url, item_guid, medium, title, self.require_https
            )
        return self._add(node, "remoteItem", replace)

    def podroll(self, items: Iterable[Mapping[str, Any]] | None = None) -> list[dict[str, Any]]:
        """Set ``podcast:podroll`` (docs/tags/podroll.md): recommended shows, each a mapping
        with ``feed_guid`` (required) and optional ``feed_url``, ``item_guid``, ``medium``,
        ``title``. Returns the remote items."""
        if items is None:
            value = self._get_single("podroll")
            return [] if value is None else list(value["items"])
        children = []
        for item in items:
            unknown = set(item) - {"feed_guid", "feed_url", "item_guid", "medium", "title"}
            if unknown:
                raise ValueError(
                    f"podcast:podroll: unknown remote item keys {sorted(unknown)!r}; use "
                    "feed_guid, feed_url, item_guid, medium, title"
                )
            children.append(
                remote_item(
                    "podroll",
                    item.get("feed_guid"),
                    item.get("feed_url"),
                    item.get("item_guid"),
                    item.get("medium"),
                    item.get("title"),
                    self.require_https,
                )
            )
        if not children:
            raise ValueError("podcast:podroll: needs at least one remote item")
        values = [dict(c.value) for c in children]
        self._single(v.Node("podroll", {}, children=children, value={"items": values}))
        return values

    def publisher(
        self, feed_guid: str | None = None, feed_url: str | None = None
    ) -> dict[str, Any] | None:
        """Set ``podcast:publisher`` (docs/tags/publisher.md): the one remote item, of medium
        ``publisher``, naming the publisher feed that lists this show (publishers/publishers.md
        calls it the child feed's link back to its parent). Returns the remote item."""
        if feed_guid is None and feed_url is None:
            value = self._get_single("publisher")
            return None if value is None else dict(value["item"])
        child = remote_item(
            "publisher", feed_guid, feed_url, None, "publisher", None, self.require_https
        )
        value = dict(child.value)
        self._single(v.Node("publisher", {}, children=[child], value={"item": value}))
        return value

    def update_frequency(
        self,
        text: str | None = None,
        complete: bool | None = None,
        dtstart: datetime | date | str | None = None,
        rrule: str | None = None,
    ) -> dict[str, Any] | None:
        """Set ``podcast:updateFrequency`` (docs/tags/update-frequency.md): a display text
        (≤128 characters), an RFC 5545 *rrule* ("FREQ=WEEKLY;BYDAY=MO"), *dtstart* (ISO
        8601; required when the rrule has COUNT) and *complete* (no more episodes)."""
        tag = "updateFrequency"
        if (text, complete, dtstart, rrule) == (None,) * 4:
            return self._get_single(tag)
        text = v.text(tag, text)
        complete_s = None if complete is None else v.boolean(tag, complete, "complete")
        dtstart_s = None if dtstart is None else v.iso8601(tag, dtstart, "dtstart")
        if rrule is not None:
            if not isinstance(rrule, str) or not RRULE_FREQ.search(rrule.upper()):
                raise ValueError(
                    f"podcast:{tag}: rrule must be an RFC 5545 recurrence rule with FREQ "
                    f"(like 'FREQ=WEEKLY;BYDAY=MO'), got {rrule!r}"
                )
            if RRULE_COUNT.search(rrule.upper()) and dtstart is None:
                raise ValueError(f"podcast:{tag}: dtstart is required when rrule has COUNT")
        return self._single(
            v.Node(
                tag,
                v.attrs(complete=complete_s, dtstart=dtstart_s, rrule=rrule),
                text,
                value=v.clean(
                    {"text": text, "complete": complete, "dtstart": dtstart_s, "rrule": rrule}
                ),
            )
        )

    def trailer(
        self,
        title: str | None = None,
        url: str | None = None,
        pubdate: datetime | None = None,
        length: int | None = None,
        type: str | None = None,
        season: int | None = None,
        replace: bool = False,
    ) -> Sequence[dict[str, Any]]:
        """Add a ``podcast:trailer`` (docs/tags/trailer.md): *title* (≤128 characters),
        https *url* and *pubdate* (a datetime with time zone) required; *length* (bytes),
        *type* (MIME) recommended; *season* optional."""
        node = None
        if (title, url, pubdate, length, type, season) != (None,) * 6:
            title = v.text("trailer", title, "title")
            url = self._url("trailer", url)
            pubdate_s = v.rfc2822("trailer", pubdate, "pubdate")
            length_s = None if length is None else v.integer("trailer", length, "length", 0)
            if type is not None:
                v.mime("trailer", type)
            season_s = None if season is None else v.integer("trailer", season, "season")
            node = v.Node(
                "trailer",
                v.attrs(url=url, pubdate=pubdate_s, length=length_s, type=type, season=season_s),
                title,
                value=v.clean(
                    {
                        "title": title,
                        "url": url,
                        "pubdate": pubdate,
                        "length": length,
                        "type": type,
                        "season": season,
                    }
                ),
            )
        return self._add(node, "trailer", replace)

    def live_item(
        self,
        status: str | None = None,
        start: datetime | str | None = None,
        title: str | None = None,
        guid: str | None = None,
        end: datetime | str | None = None,
        *,
        guid_permalink: bool = False,
        enclosure: tuple[str, int, str] | None = None,
        link: str | None = None,
        description: str | None = None,
        content_link: tuple[str, str] | None = None,
    ) -> Any:
        """Add a ``podcast:liveItem`` and return it (or, with no arguments, the list of them).

        *status* ('pending', 'live', 'ended'), *start* (ISO 8601 or an aware datetime),
        *title* and *guid* are required; *end* is recommended. *enclosure* is
        ``(url, length, type)``; *content_link* ``(href, text)`` adds the required
        podcast:contentLink (more with ``live.content_link(...)``). Changing the guid makes
        apps treat it as a new stream.
        """
        if (status, start, title, guid, end) == (None,) * 5:
            return list(self._live_items)
        for what, value in (("status", status), ("start", start), ("title", title), ("guid", guid)):
            if value is None:
                raise ValueError(f"podcast:liveItem: {what} is required")
        assert status is not None and start is not None and title is not None and guid is not None
        live = LiveItem(
            status,
            start,
            title,
            guid,
            end,
            guid_permalink=guid_permalink,
            enclosure=enclosure,
            link=link,
            description=description,
            require_https=self.require_https,
        )
        if content_link is not None:
            live.content_link(*content_link)
        self._live_items.append(live)
        return live


class PodcastIndexEntryExtension(
    ItemOnlyTags,
    SharedSingles,
    BaseEntryExtension,  # type: ignore[misc]
):
    """Item-level Podcasting 2.0 tags."""

    namespace = PODCAST

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": self.namespace}

    def extend_rss(self, entry: Any) -> Any:
        self._write_nodes(entry, self.namespace)
        return entry


def register_podcastindex(
    fg: Any,
    key: str = EXTENSION_KEY,
    namespace: str = PODCAST,
    require_https: bool = True,
) -> None:
    """Register the extension on a FeedGenerator as ``fg.<key>`` (RSS only).

    *namespace* is the spec's URI (default) or the older GitHub URI the spec declares
    identical, ``PODCAST_GITHUB``, which gPodder's podcastparser needs.
    *require_https* False lets ``http:`` web URLs through, for a local preview feed only:
    the spec requires https in published feeds.
    """
    if key == "podcast":
        raise ValueError(
            "register the Podcasting 2.0 extension under a key other than 'podcast': "
            "feedgen's iTunes extension uses that key"
        )
    if namespace not in (PODCAST, PODCAST_GITHUB):
        raise ValueError(f"namespace must be {PODCAST!r} or {PODCAST_GITHUB!r}, got {namespace!r}")
    feed_ext: type = PodcastIndexExtension
    entry_ext: type = PodcastIndexEntryExtension
    if namespace != PODCAST or not require_https:
        # feedgen instantiates extension classes without arguments, so settings travel as
        # class attributes of a subclass made for this feed.
        settings = {"namespace": namespace, "require_https": bool(require_https)}
        feed_ext = type(feed_ext.__name__, (feed_ext,), settings)
        entry_ext = type(entry_ext.__name__, (entry_ext,), settings)
    fg.register_extension(key, feed_ext, entry_ext, atom=False)
