"""The Podcasting 2.0 tags shared by the channel, items and live items, as feedgen setters.

The classes here are the building blocks of stationcast.feed.podcastindex: ``Tags`` keeps the
ordered node list and the tags allowed everywhere (person, location, funding, image),
``ItemTags`` adds the item and liveItem tags, ``ItemOnlyTags`` the item-only ones, and
``SharedSingles`` the single tags of channel and item (license, txt).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from stationcast.feed import podcast_values as v
from stationcast.spec.media import TRANSCRIPT_TYPES
from stationcast.spec.podcast import (
    ASPECT_RATIO,
    CHAPTERS_TYPE,
    COUNTRY,
    GEO,
    INTEGRITY_TYPES,
    LOCATION_RELS,
    MEDIUMS,
    OSM,
    TAGS,
    TRANSCRIPT_RELS,
)
from stationcast.spec.rss import LANGUAGE_TAG
from stationcast.spec.taxonomy import check_person
from stationcast.spec.xml import UUID

__all__ = ["ItemOnlyTags", "ItemTags", "SharedSingles", "Tags", "person_check", "remote_item"]

PersonCheck = Callable[[str, "str | None"], "tuple[str, str]"]

#: Checks a podcast:person (role, group) and returns the canonical lower-case pair, raising
#: ValueError for values outside the Podcast Taxonomy. Replace it, or set it to None to
#: write roles and groups unchecked (lower-cased).
person_check: PersonCheck | None = check_person


class Tags:
    """An ordered list of podcast: elements with single/multiple bookkeeping.

    Every operation but ``replace=True`` is O(1): a feed item may carry thousands of
    persons, and adding each must not cost more than the one before.
    """

    #: docs/1.0.md requires https: for web resources; False lets http: through for a
    #: local preview (see register_podcastindex).
    require_https = True

    def __init__(self) -> None:
        self._nodes: list[v.Node] = []  # every tag, in the order it is written
        self._singles: dict[str, int] = {}  # single tag -> its index in _nodes
        self._repeated: dict[str, list[v.Node]] = {}  # repeatable tag -> its nodes, in order

    def _url(self, tag: str, value: Any, what: str = "url") -> str:
        return v.url(tag, value, what, self.require_https)

    def _single(self, node: v.Node) -> dict[str, Any]:
        index = self._singles.get(node.tag)
        if index is None:
            self._singles[node.tag] = len(self._nodes)
            self._nodes.append(node)
        else:
            self._nodes[index] = node
        return dict(node.value)

    def _get_single(self, tag: str) -> dict[str, Any] | None:
        index = self._singles.get(tag)
        return None if index is None else dict(self._nodes[index].value)

    def _add(self, node: v.Node | None, tag: str, replace: bool) -> Sequence[dict[str, Any]]:
        """Add *node* to the repeatable *tag* (None: only read); returns its values."""
        if node is None and not replace:
            return [dict(n.value) for n in self._repeated.get(tag, ())]
        if replace and self._repeated.get(tag):
            self._nodes = [n for n in self._nodes if n.tag != tag]
            self._singles = {n.tag: i for i, n in enumerate(self._nodes) if n.tag in self._singles}
            self._repeated[tag] = []
        nodes = self._repeated.setdefault(tag, [])
        if node is not None:
            self._nodes.append(node)
            nodes.append(node)
        return v.TagValues(nodes)

    def _has(self, tag: str) -> bool:
        return bool(self._repeated.get(tag))

    def _write_nodes(self, parent: Any, ns: str) -> None:
        for node in self._nodes:
            node.write(parent, ns)

    # Tags allowed in channel, item and liveItem ----------------------------------------

    def person(
        self,
        name: str | None = None,
        role: str | None = None,
        group: str | None = None,
        href: str | None = None,
        img: str | None = None,
        replace: bool = False,
    ) -> Sequence[dict[str, Any]]:
        """Add a ``podcast:person`` (docs/tags/person.md); returns all persons.

        *name* is required (≤128 characters). *role* and *group* come from the Podcast
        Taxonomy and are matched case-insensitively; both are written lower-case, and with
        a role the group is always written (the spec's default group is "cast"). Without
        either, apps assume host/cast. *href* and *img* must be https URLs. Item-level
        persons replace the channel's entirely, so restate the hosts on items.
        """
        node = None
        if (name, role, group, href, img) != (None,) * 5:
            name = v.text("person", name, "name")
            if role is None and group is None:
                role_out = group_out = None
            elif person_check is not None:
                role_out, group_out = person_check("host" if role is None else role, group)
            else:
                role_out = ("host" if role is None else role).strip().lower()
                group_out = None if group is None else group.strip().lower()
            href = None if href is None else self._url("person", href, "href")
            img = None if img is None else self._url("person", img, "img")
            node = v.Node(
                "person",
                v.attrs(role=role_out, group=group_out, img=img, href=href),
                name,
                value=v.clean(
                    {"name": name, "role": role_out, "group": group_out, "href": href, "img": img}
                ),
            )
        return self._add(node, "person", replace)

    def location(
        self,
        text: str | None = None,
        rel: str | None = None,
        geo: str | None = None,
        osm: str | None = None,
        country: str | None = None,
        replace: bool = False,
    ) -> Sequence[dict[str, Any]]:
        """Add a ``podcast:location`` (docs/tags/location.md); returns all locations.

        *text* is a human-readable place (≤128 characters). *rel* is "subject" (what the
        content is about, the default) or "creator" (where it was made); *geo* an RFC 5870
        geo URI ("geo:30.2672,-97.7431"); *osm* an OpenStreetMap type+id ("R113314");
        *country* an ISO 3166-1 alpha-2 code.
        """
        node = None
        if (text, rel, geo, osm, country) != (None,) * 5:
            text = v.text("location", text)
            if rel is not None:
                v.choice("location", rel, "rel", LOCATION_RELS)
            if geo is not None:
                match = GEO.fullmatch(geo) if isinstance(geo, str) else None
                if match is None or abs(float(match["lat"])) > 90 or abs(float(match["lon"])) > 180:
                    raise ValueError(
                        "podcast:location: geo must be an RFC 5870 geo URI with latitude "
                        f"-90..90 and longitude -180..180 (like 'geo:30.2672,-97.7431'), "
                        f"got {geo!r}"
                    )
            if osm is not None and not (isinstance(osm, str) and OSM.fullmatch(osm)):
                raise ValueError(
                    "podcast:location: osm must be N, W or R followed by the OpenStreetMap "
                    f"id (like 'R113314'), got {osm!r}"
                )
            if country is not None and not (
                isinstance(country, str) and COUNTRY.fullmatch(country)
            ):
                raise ValueError(
                    "podcast:location: country must be an ISO 3166-1 alpha-2 code "
                    f"(like 'us'), got {country!r}"
                )
            node = v.Node(
                "location",
                v.attrs(rel=rel, geo=geo, osm=osm, country=country),
                text,
                value=v.clean(
                    {"text": text, "rel": rel, "geo": geo, "osm": osm, "country": country}
                ),
            )
        return self._add(node, "location", replace)

    def funding(
        self, url: str | None = None, text: str | None = None, replace: bool = False
    ) -> Sequence[dict[str, Any]]:
        """Add a ``podcast:funding`` link (docs/tags/funding.md); returns all of them.

        *url* (https) is where listeners can give; *text* (≤128 characters) is shown
        beside it.
        """
        node = None
        if (url, text) != (None, None):
            url = self._url("funding", url)
            text = v.text("funding", text)
            node = v.Node("funding", {"url": url}, text, value={"url": url, "text": text})
        return self._add(node, "funding", replace)

    def image(
        self,
        href: str | None = None,
        alt: str | None = None,
        aspect_ratio: str | None = None,
        width: int | None = None,
        height: int | None = None,
        type: str | None = None,
        purpose: str | None = None,
        replace: bool = False,
    ) -> Sequence[dict[str, Any]]:
        """Add a ``podcast:image`` (docs/tags/image.md); returns all images.

        *href* (https) is required; *alt* is recommended for accessibility; *aspect_ratio*
        uses CSS syntax ("16/9"); *purpose* is space-separated tokens (≤128 characters).
        """
        node = None
        if (href, alt, aspect_ratio, width, height, type, purpose) != (None,) * 7:
            href = self._url("image", href, "href")
            alt = v.optional_text("image", alt, "alt", limit=None)
            if aspect_ratio is not None and not (
                isinstance(aspect_ratio, str) and ASPECT_RATIO.fullmatch(aspect_ratio)
            ):
                raise ValueError(
                    "podcast:image: aspect-ratio must use CSS syntax like '16/9', "
                    f"got {aspect_ratio!r}"
                )
            width_s = None if width is None else v.integer("image", width, "width", 1)
            height_s = None if height is None else v.integer("image", height, "height", 1)
            if type is not None:
                v.mime("image", type)
            purpose = v.optional_text("image", purpose, "purpose")
            node = v.Node(
                "image",
                v.attrs(
                    href=href,
                    alt=alt,
                    aspect_ratio=aspect_ratio,
                    width=width_s,
                    height=height_s,
                    type=type,
                    purpose=purpose,
                ),
                value=v.clean(
                    {
                        "href": href,
                        "alt": alt,
                        "aspect_ratio": aspect_ratio,
                        "width": width,
                        "height": height,
                        "type": type,
                        "purpose": purpose,
                    }
                ),
            )
        return self._add(node, "image", replace)


class ItemTags(Tags):
    """Tags allowed in ``<item>`` and ``<podcast:liveItem>``."""

    def transcript(
        self,
        url: str | None = None,
        type: str | None = None,
        language: str | None = None,
        rel: str | None = None,
        replace: bool = False,
    ) -> Sequence[dict[str, Any]]:
        """Add a ``podcast:transcript`` (docs/tags/transcript.md); returns all of them.

        *url* (https) and *type* are required; *type* is one of text/plain, text/html,
        text/vtt, application/json, application/x-subrip. *language* (BCP 47) defaults to
        the channel's. ``rel="captions"`` marks a timed closed-captions file.
        """
        node = None
        if (url, type, language, rel) != (None,) * 4:
            url = self._url("transcript", url)
            v.choice("transcript", type, "type", TRANSCRIPT_TYPES)
            if language is not None and not (
                isinstance(language, str) and LANGUAGE_TAG.fullmatch(language)
            ):
                raise ValueError(
                    f"podcast:transcript: language must be a BCP 47 tag like 'en' or 'es-MX', "
                    f"got {language!r}"
                )
            if rel is not None:
                v.choice("transcript", rel, "rel", TRANSCRIPT_RELS)
            node = v.Node(
                "transcript",
                v.attrs(url=url, type=type, language=language, rel=rel),
                value=v.clean({"url": url, "type": type, "language": language, "rel": rel}),
            )
        return self._add(node, "transcript", replace)

    def content_link(
        self, href: str | None = None, text: str | None = None, replace: bool = False
    ) -> Sequence[dict[str, Any]]:
        """Add a ``podcast:contentLink`` (docs/tags/content-link.md): where the content can
        also be found (an https page). Required at least once in a liveItem."""
        node = None
        if (href, text) != (None, None):
            href = self._url("contentLink", href, "href")
            text = v.text("contentLink", text, limit=None)
            node = v.Node("contentLink", {"href": href}, text, value={"href": href, "text": text})
        return self._add(node, "contentLink", replace)

    def alternate_enclosure(
        self,
        type: str | None = None,
        length: int | None = None,
        bitrate: float | None = None,
        height: int | None = None,
        lang: str | None = None,
        title: str | None = None,
        rel: str | None = None,
        codecs: str | None = None,
        default: bool | None = None,
        sources: Iterable[str | tuple[str, str | None]] | None = None,
        integrity: tuple[str, str] | None = None,
        replace: bool = False,
    ) -> Sequence[dict[str, Any]]:
        """Add a ``podcast:alternateEnclosure`` (docs/tags/alternate-enclosure.md, source.md,
        integrity.md); returns all of them.

        *type* (MIME) and at least one of *sources* are required; a source is a URI or a
        ``(uri, content_type)`` pair (any URI scheme: https, ipfs, magnet...). *integrity*
        is ``("sri" | "pgp-signature", value)``. *title* and *rel* are limited to 32
        characters; *default* marks the same file as the main enclosure.
        """
        tag = "alternateEnclosure"
        node = None
        given = (
            type,
            length,
            bitrate,
            height,
            lang,
            title,
            rel,
            codecs,
            default,
            sources,
            integrity,
        )
        if given != (None,) * 11:
            v.mime(tag, type)
            length_s = None if length is None else v.integer(tag, length, "length", 0)
            bitrate_s = (
                None if bitrate is None else v.number(tag, bitrate, "bitrate", positive=True)
            )
            height_s = None if height is None else v.integer(tag, height, "height", 1)
            if lang is not None and not (isinstance(lang, str) and LANGUAGE_TAG.fullmatch(lang)):
                raise ValueError(
                    f"podcast:{tag}: lang must be a BCP 47 tag like 'en', got {lang!r}"
                )
            title = v.optional_text(tag, title, "title", TAGS[tag].limits["title"])
            rel = v.optional_text(tag, rel, "rel", TAGS[tag].limits["rel"])
            codecs = v.optional_text(tag, codecs, "codecs", None)
            default_s = None if default is None else v.boolean(tag, default, "default")
            children: list[v.Node] = []
            source_values: list[dict[str, str]] = []
            for source in sources or ():
                if isinstance(source, str):
                    uri, content_type = source, None
                else:
                    uri, content_type = source
                uri = v.uri("source", uri, "uri")
                if content_type is not None:
                    v.mime("source", content_type, "contentType")
                children.append(v.Node("source", v.attrs(uri=uri, contentType=content_type)))
                source_values.append(v.clean({"uri": uri, "content_type": content_type}))
            if not children:
                raise ValueError(
                    f"podcast:{tag}: needs at least one podcast:source (sources=[uri, ...])"
                )
            integrity_value = None
            if integrity is not None:
                kind, digest = integrity
                v.choice("integrity", kind, "type", INTEGRITY_TYPES)
                digest = v.text("integrity", digest, "value", None)
                children.append(v.Node("integrity", {"type": kind, "value": digest}))
                integrity_value = (kind, digest)
            node = v.Node(
                tag,
                v.attrs(
                    type=type,
                    length=length_s,
                    bitrate=bitrate_s,
                    height=height_s,
                    lang=lang,
                    title=title,
                    rel=rel,
                    codecs=codecs,
                    default=default_s,
                ),
                children=children,
                value=v.clean(
                    {
                        "type": type,
                        "length": length,
                        "bitrate": bitrate,
                        "height": height,
                        "lang": lang,
                        "title": title,
                        "rel": rel,
                        "codecs": codecs,
                        "default": default,
                        "sources": source_values,
                        "integrity": integrity_value,
                    }
                ),
            )
        return self._add(node, tag, replace)


class ItemOnlyTags(ItemTags):
    """Item tags, plus the ones an item shares with the channel (license, txt)."""

    def chapters(self, url: str | None = None, type: str = CHAPTERS_TYPE) -> dict[str, Any] | None:
        """Set ``podcast:chapters`` (docs/tags/chapters.md): the https URL of a chapters
        file, by default JSON chapters (docs/examples/chapters/jsonChapters.md)."""
        if url is None:
            return self._get_single("chapters")
        url = self._url("chapters", url)
        v.mime("chapters", type)
        return self._single(
            v.Node("chapters", {"url": url, "type": type}, value={"url": url, "type": type})
        )

    def soundbite(
        self,
        start: float | str | None = None,
        duration: float | str | None = None,
        title: str | None = None,
        replace: bool = False,
    ) -> Sequence[dict[str, Any]]:
        """Add a ``podcast:soundbite`` (docs/tags/soundbite.md); returns all of them.

        *start* and *duration* are seconds (duration > 0; the spec recommends 15-120 s);
        *title* is optional (≤128 characters).
        """
        node = None
        if (start, duration, title) != (None,) * 3:
            start_s = v.number("soundbite", start, "startTime", minimum=0)
            duration_s = v.number("soundbite", duration, "duration", positive=True)
            title = v.optional_text("soundbite", title, "title")
            node = v.Node(
                "soundbite",
                {"startTime": start_s, "duration": duration_s},
                title,
                value=v.clean({"start": start, "duration": duration, "title": title}),
            )
        return self._add(node, "soundbite", replace)

    def season(self, number: int | None = None, name: str | None = None) -> dict[str, Any] | None:
        """Set ``podcast:season`` (docs/tags/season.md): an integer, optional *name*
        (≤128 characters)."""
        if number is None and name is None:
            return self._get_single("season")
        if number is None:
            raise ValueError("podcast:season: the season number is required")
        number_s = v.integer("season", number, "season number")
        name = v.optional_text("season", name, "name")
        return self._single(
            v.Node(
                "season",
                v.attrs(name=name),
                number_s,
                value=v.clean({"number": number, "name": name}),
            )
        )

    def episode(
        self, number: float | str | None = None, display: str | None = None
    ) -> dict[str, Any] | None:
        """Set ``podcast:episode`` (docs/tags/episode.md): a decimal (315.5 is fine),
        optional *display* text (≤32 characters)."""
        if number is None and display is None:
            return self._get_single("episode")
        if number is None:
            raise ValueError("podcast:episode: the episode number is required")
        number_s = v.number("episode", number, "episode number")
        display = v.optional_text("episode", display, "display", TAGS["episode"].limits["display"])
        return self._single(
            v.Node(
                "episode",
                v.attrs(display=display),
                number_s,
                value=v.clean({"number": number, "display": display}),
            )
        )


class SharedSingles:
    """``podcast:license`` and ``podcast:txt``: channel and item."""

    def license(
        self: Any, identifier: str | None = None, url: str | None = None
    ) -> dict[str, Any] | None:
        """Set ``podcast:license`` (docs/tags/license.md): a license identifier (SPDX-style,
        lower-case for well-known licenses, ≤128 characters), with the https *url* of the
        full text (required by the spec for custom licenses)."""
        if identifier is None and url is None:
            return self._get_single("license")  # type: ignore[no-any-return]
        identifier = v.text("license", identifier, "identifier")
        url = None if url is None else self._url("license", url)
        return self._single(  # type: ignore[no-any-return]
            v.Node(
                "license",
                v.attrs(url=url),
                identifier,
                value=v.clean({"identifier": identifier, "url": url}),
            )
        )

    def txt(
        self: Any, text: str | None = None, purpose: str | None = None, replace: bool = False
    ) -> Sequence[dict[str, Any]]:
        """Add a ``podcast:txt`` (docs/tags/txt.md): free text (≤4000 characters) with an
        optional *purpose* (≤128 characters, e.g. "verify", "applepodcastsverify")."""
        node = None
        if (text, purpose) != (None, None):
            text = v.text("txt", text, limit=TAGS["txt"].node_limit)
            purpose = v.optional_text("txt", purpose, "purpose")
            node = v.Node(
                "txt",
                v.attrs(purpose=purpose),
                text,
                value=v.clean({"text": text, "purpose": purpose}),
            )
        return self._add(node, "txt", replace)  # type: ignore[no-any-return]


def remote_item(
    tag: str,
    feed_guid: Any,
    feed_url: Any = None,
    item_guid: Any = None,
    medium: Any = None,
    title: Any = None,
    strict: bool = True,
) -> v.Node:
    """docs/tags/remote-item.md: feedGuid required; feedUrl, itemGuid, medium, title optional."""
    if not isinstance(feed_guid, str) or not UUID.fullmatch(feed_guid.strip()):
        raise ValueError(
            f"podcast:{tag}: feedGuid must be the remote feed's podcast:guid (a UUID), "
            f"got {feed_guid!r}"
        )
    feed_guid = feed_guid.strip()
    feed_url = None if feed_url is None else v.url(tag, feed_url, "feedUrl", strict)
    item_guid = v.optional_text(tag, item_guid, "itemGuid", None)
    if medium is not None:
        v.choice(tag, medium, "medium", MEDIUMS)
    title = v.optional_text(tag, title, "title", None)
    return v.Node(
        "remoteItem",
        v.attrs(
            feedGuid=feed_guid, feedUrl=feed_url, itemGuid=item_guid, medium=medium, title=title
        ),
        value=v.clean(
            {
                "feed_guid": feed_guid,
                "feed_url": feed_url,
                "item_guid": item_guid,
                "medium": medium,
                "title": title,
            }
        ),
    )
