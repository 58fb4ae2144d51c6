"""A feedgen extension for the Podcasting 2.0 namespace (``podcast:`` tags).

Spec: Podcastindex-org/podcast-namespace, ``docs/1.0.md`` and ``docs/tags/<tag>.md``.
Namespace URI ``https://podcastindex.org/namespace/1.0``, prefix ``podcast``.

Register it under a key other than ``podcast`` (feedgen's own iTunes extension uses that
key); the XML prefix is still ``podcast``::

    from feedgen.feed import FeedGenerator
    from stationcast.podcast_ns import PodcastIndexExtension, PodcastIndexEntryExtension

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
1,000. Every value is checked when
it is set, against the spec's rules (required attributes, enumerations, length limits,
``https:`` for web resources), and a bad one raises ValueError naming the tag and the rule.
Tags are written in the order their methods were first called, so output is deterministic.

This module depends only on feedgen and lxml. When ``stationcast.data`` is importable,
person roles and groups are checked against the Podcast Taxonomy; set the module attribute
``person_check`` (a callable ``(role, group) -> (role, group)``) to use another checker, or
to ``None`` to write roles and groups unchecked (lower-cased).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from email.utils import format_datetime
from typing import Any, overload
from urllib.parse import urlsplit

# feedgen.util uses lxml.etree at import time without importing it.
import lxml.etree  # noqa: F401
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.util import xml_elem

PersonCheck = Callable[[str, "str | None"], "tuple[str, str]"]


def _default_person_check() -> PersonCheck | None:
    """The Podcast Taxonomy check shipped with stationcast, when this module runs inside it."""
    try:
        from stationcast.data import check_person
    except ImportError:  # pragma: no cover - only when the module is lifted out of stationcast
        return None
    return check_person


#: Checks a podcast:person (role, group) and returns the canonical lower-case pair, raising
#: ValueError for values outside the Podcast Taxonomy. Replace it, or set it to None to
#: write roles and groups unchecked (lower-cased).
person_check: PersonCheck | None = _default_person_check()

__all__ = [
    "PODCAST_NS",
    "PODCAST_NS_GITHUB",
    "LiveItem",
    "PodcastIndexEntryExtension",
    "PodcastIndexExtension",
    "TagValues",
    "podcast_guid",
    "register_podcastindex",
]

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
# docs/1.0.md: clients "must also recognize" this older URI as identical. gPodder's
# podcastparser 0.6.11 recognises only this one, so it is offered as an option.
PODCAST_NS_GITHUB = "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"
EXTENSION_KEY = "podcastindex"

# docs/tags/guid.md
_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
_GUID_RE = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
# docs/tags/transcript.md
TRANSCRIPT_TYPES = (
    "text/plain",
    "text/html",
    "text/vtt",
    "application/json",
    "application/x-subrip",
)
# docs/tags/medium.md: each medium, its "L" list variant, and the list-only "mixed".
_BASE_MEDIUMS = (
    "podcast",
    "music",
    "video",
    "film",
    "audiobook",
    "newsletter",
    "blog",
    "publisher",
    "course",
)
MEDIUMS = _BASE_MEDIUMS + tuple(m + "L" for m in _BASE_MEDIUMS) + ("mixed",)
# docs/tags/live-item.md
LIVE_STATUSES = ("pending", "live", "ended")
# docs/tags/location.md
LOCATION_RELS = ("subject", "creator")
# docs/tags/integrity.md
INTEGRITY_TYPES = ("sri", "pgp-signature")

# docs/tags/*.md: "Please do not exceed 128 characters ... or it may be truncated".
_NODE_LIMIT = 128
_MIME_RE = re.compile(r"^[A-Za-z0-9][\w!#$&^.+-]*/[A-Za-z0-9][\w!#$&^.+-]*$")
_LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
# RFC 5870 geo URI: geo:lat,lon[,alt][;params]
_GEO_RE = re.compile(
    r"^geo:(?P<lat>-?\d+(\.\d+)?),(?P<lon>-?\d+(\.\d+)?)(,-?\d+(\.\d+)?)?(;[\w.=;-]*)?$"
)
# location.md: OSM type (Node, Way, Relation) + id, optional "#revision".
_OSM_RE = re.compile(r"^[NWR]\d+(#\d+)?$")
_COUNTRY_RE = re.compile(r"^[A-Za-z]{2}$")
_RRULE_FREQ_RE = re.compile(
    r"(^|;)FREQ=(SECONDLY|MINUTELY|HOURLY|DAILY|WEEKLY|MONTHLY|YEARLY)(;|$)"
)
# XML 1.0 Char production: no C0 controls except tab, LF, CR; no surrogates, FFFE, FFFF.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ASPECT_RE = re.compile(r"^\d+(\.\d+)?\s*/\s*\d+(\.\d+)?$|^\d+(\.\d+)?$")


def podcast_guid(feed_url: str) -> str:
    """UUIDv5 of *feed_url* without scheme and trailing slashes (docs/tags/guid.md)."""
    seed = re.sub(r"^[A-Za-z][A-Za-z0-9+.\-]*://", "", feed_url.strip()).rstrip("/")
    if not seed:
        raise ValueError(f"podcast:guid: cannot derive a GUID from feed URL {feed_url!r}")
    return str(uuid.uuid5(_GUID_NAMESPACE, seed))


# --- value checks ---------------------------------------------------------------------


def _text(tag: str, value: Any, what: str = "text", limit: int | None = _NODE_LIMIT) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"podcast:{tag}: {what} is required and cannot be blank, got {value!r}")
    text: str = value.strip()
    if limit is not None and len(text) > limit:
        raise ValueError(
            f"podcast:{tag}: {what} must not exceed {limit} characters, got {len(text)}"
        )
    return text


def _optional_text(tag: str, value: Any, what: str, limit: int | None = _NODE_LIMIT) -> str | None:
    return None if value is None else _text(tag, value, what, limit)


def _https(tag: str, value: Any, what: str = "url", strict: bool = True) -> str:
    """docs/1.0.md: "Anywhere the url of a hyper-text based resource is specified, it must
    be given as https: and not http:". With *strict* False (local previews), http: passes."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"podcast:{tag}: {what} is required, got {value!r}")
    parts = urlsplit(value.strip())
    allowed = ("https",) if strict else ("https", "http")
    if parts.scheme.lower() not in allowed or not parts.netloc:
        rule = (
            "an https: URL (the namespace requires https for web resources)"
            if strict
            else "an http: or https: URL"
        )
        raise ValueError(f"podcast:{tag}: {what} must be {rule}, got {value!r}")
    return value.strip()


def _uri(tag: str, value: Any, what: str) -> str:
    """Any absolute URI (https:, ipfs:, magnet:, ...), as podcast:source allows."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"podcast:{tag}: {what} is required, got {value!r}")
    if not urlsplit(value.strip()).scheme:
        raise ValueError(f"podcast:{tag}: {what} must be an absolute URI, got {value!r}")
    return value.strip()


def _choice(tag: str, value: Any, what: str, choices: Sequence[str]) -> str:
    if value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"podcast:{tag}: {what} must be one of {allowed}, got {value!r}")
    return str(value)


def _yes_no(tag: str, value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value in ("yes", "no"):
        return str(value)
    raise ValueError(f"podcast:{tag}: value must be 'yes' or 'no' (or a bool), got {value!r}")


def _bool(tag: str, value: Any, what: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value in ("true", "false"):
        return str(value)
    raise ValueError(f"podcast:{tag}: {what} must be true or false, got {value!r}")


def _mime(tag: str, value: Any, what: str = "type") -> str:
    if not isinstance(value, str) or not _MIME_RE.match(value):
        raise ValueError(
            f"podcast:{tag}: {what} must be a MIME type like 'audio/mpeg', got {value!r}"
        )
    return value


def _integer(tag: str, value: Any, what: str, minimum: int | None = None) -> str:
    if isinstance(value, bool) or not isinstance(value, int):
        if not (isinstance(value, str) and re.fullmatch(r"-?\d+", value)):
            raise ValueError(f"podcast:{tag}: {what} must be an integer, got {value!r}")
        value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"podcast:{tag}: {what} must be at least {minimum}, got {value!r}")
    return str(value)


def _number(
    tag: str, value: Any, what: str, minimum: float | None = None, positive: bool = False
) -> str:
    """A decimal number, written as given (73 -> "73", 73.0 -> "73.0", "42.25" -> "42.25")."""
    if isinstance(value, bool):
        raise ValueError(f"podcast:{tag}: {what} must be a number, got {value!r}")
    try:
        number = (
            Decimal(str(value).strip()) if isinstance(value, (int, float, str, Decimal)) else None
        )
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValueError(f"podcast:{tag}: {what} must be a number, got {value!r}")
    if positive and number <= 0:
        raise ValueError(f"podcast:{tag}: {what} must be greater than 0, got {value!r}")
    if minimum is not None and number < Decimal(str(minimum)):
        raise ValueError(f"podcast:{tag}: {what} must be at least {minimum}, got {value!r}")
    return format(number, "f")


def _iso8601(tag: str, value: Any, what: str) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"podcast:{tag}: {what} needs a time zone, got {value.isoformat()!r}")
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        text = value.strip()
        try:
            datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            return text
    raise ValueError(
        f"podcast:{tag}: {what} must be an ISO 8601 date-time "
        f"(like 2021-09-26T07:30:00-06:00), got {value!r}"
    )


def _rfc2822(tag: str, value: Any, what: str) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"podcast:{tag}: {what} needs a time zone, got {value.isoformat()!r}")
        return format_datetime(value)
    raise ValueError(f"podcast:{tag}: {what} must be a datetime with a time zone, got {value!r}")


# --- the node list --------------------------------------------------------------------


def _check_xml(tag: str, what: str, value: str | None) -> None:
    """Refuse now what lxml would refuse only when the feed is written."""
    bad = _XML_ILLEGAL.search(value or "")
    if bad:
        raise ValueError(
            f"podcast:{tag}: {what} contains U+{ord(bad.group()):04X}, "
            "a character XML 1.0 cannot hold"
        )


@dataclass
class _Node:
    """One ``podcast:`` element to write: tag, attributes in spec order, text, children."""

    tag: str
    attrs: dict[str, str]
    text: str | None = None
    children: list[_Node] = field(default_factory=list)
    value: dict[str, Any] = field(default_factory=dict)  # what the getter returns

    def __post_init__(self) -> None:
        for name, text in [("text", self.text), *self.attrs.items()]:
            _check_xml(self.tag, name, text)

    def write(self, parent: Any, ns: str) -> None:
        element = xml_elem(f"{{{ns}}}{self.tag}", parent)
        for name, val in self.attrs.items():
            element.attrib[name] = val
        if self.text is not None:
            element.text = self.text
        for child in self.children:
            child.write(element, ns)


def _attrs(**pairs: str | None) -> dict[str, str]:
    return {name.replace("_", "-"): val for name, val in pairs.items() if val is not None}


def _clean(value: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in value.items() if v is not None}


class TagValues(Sequence[dict[str, Any]]):
    """The values of a repeatable tag as a setter returns them: a read-only snapshot.

    Making one costs the same for the first value as for the ten-thousandth (nothing is
    copied until it is read), so adding n values costs O(n) in all. Items are fresh dicts;
    it compares equal to a list of the same dicts. Getters (no arguments) return a list.
    """

    __slots__ = ("_count", "_nodes")

    def __init__(self, nodes: list[_Node]) -> None:
        # The tag's node list is only ever appended to (replace=True starts a new list),
        # so its first _count nodes never change.
        self._nodes = nodes
        self._count = len(nodes)

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [dict(self._nodes[i].value) for i in range(self._count)[index]]
        return dict(self._nodes[range(self._count)[index]].value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, (str, bytes)):
            return len(other) == self._count and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(list(self))


class _Tags:
    """An ordered list of podcast: elements with single/multiple bookkeeping.

    Every operation but ``replace=True`` is O(1): a feed item may carry thousands of
    persons, and adding each must not cost more than the one before.
    """

    #: docs/1.0.md requires https: for web resources; False lets http: through for a
    #: local preview (see register_podcastindex).
    require_https = True

    def __init__(self) -> None:
        self._nodes: list[_Node] = []  # every tag, in the order it is written
        self._singles: dict[str, int] = {}  # single tag -> its index in _nodes
        self._repeated: dict[str, list[_Node]] = {}  # repeatable tag -> its nodes, in order

    def _url(self, tag: str, value: Any, what: str = "url") -> str:
        return _https(tag, value, what, self.require_https)

    def _single(self, node: _Node) -> dict[str, Any]:
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

    def _add(self, node: _Node | None, tag: str, replace: bool) -> Sequence[dict[str, Any]]:
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
        return TagValues(nodes)

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
            name = _text("person", name, "name")
            if role is None and group is None:
                role_out = group_out = None
            elif person_check is not None:
                role_out, group_out = person_check("host" if role is None else role, group)
            else:
                role_out = ("host" if role is None else role).strip().lower()
                group_out = None if group is None else group.strip().lower()
            href = None if href is None else self._url("person", href, "href")
            img = None if img is None else self._url("person", img, "img")
            node = _Node(
                "person",
                _attrs(role=role_out, group=group_out, img=img, href=href),
                name,
                value=_clean(
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
            text = _text("location", text)
            if rel is not None:
                _choice("location", rel, "rel", LOCATION_RELS)
            if geo is not None:
                match = _GEO_RE.match(geo) if isinstance(geo, str) else None
                if match is None or abs(float(match["lat"])) > 90 or abs(float(match["lon"])) > 180:
                    raise ValueError(
                        "podcast:location: geo must be an RFC 5870 geo URI with latitude "
                        f"-90..90 and longitude -180..180 (like 'geo:30.2672,-97.7431'), "
                        f"got {geo!r}"
                    )
            if osm is not None and not (isinstance(osm, str) and _OSM_RE.match(osm)):
                raise ValueError(
                    "podcast:location: osm must be N, W or R followed by the OpenStreetMap "
                    f"id (like 'R113314'), got {osm!r}"
                )
            if country is not None and not (
                isinstance(country, str) and _COUNTRY_RE.match(country)
            ):
                raise ValueError(
                    "podcast:location: country must be an ISO 3166-1 alpha-2 code "
                    f"(like 'us'), got {country!r}"
                )
            node = _Node(
                "location",
                _attrs(rel=rel, geo=geo, osm=osm, country=country),
                text,
                value=_clean(
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
            text = _text("funding", text)
            node = _Node("funding", {"url": url}, text, value={"url": url, "text": text})
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
            alt = _optional_text("image", alt, "alt", limit=None)
            if aspect_ratio is not None and not (
                isinstance(aspect_ratio, str) and _ASPECT_RE.match(aspect_ratio)
            ):
                raise ValueError(
                    "podcast:image: aspect-ratio must use CSS syntax like '16/9', "
                    f"got {aspect_ratio!r}"
                )
            width_s = None if width is None else _integer("image", width, "width", 1)
            height_s = None if height is None else _integer("image", height, "height", 1)
            if type is not None:
                _mime("image", type)
            purpose = _optional_text("image", purpose, "purpose")
            node = _Node(
                "image",
                _attrs(
                    href=href,
                    alt=alt,
                    aspect_ratio=aspect_ratio,
                    width=width_s,
                    height=height_s,
                    type=type,
                    purpose=purpose,
                ),
                value=_clean(
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


class _ItemTags(_Tags):
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
            _choice("transcript", type, "type", TRANSCRIPT_TYPES)
            if language is not None and not (
                isinstance(language, str) and _LANG_RE.match(language)
            ):
                raise ValueError(
                    f"podcast:transcript: language must be a BCP 47 tag like 'en' or 'es-MX', "
                    f"got {language!r}"
                )
            if rel is not None:
                _choice("transcript", rel, "rel", ("captions",))
            node = _Node(
                "transcript",
                _attrs(url=url, type=type, language=language, rel=rel),
                value=_clean({"url": url, "type": type, "language": language, "rel": rel}),
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
            text = _text("contentLink", text, limit=None)
            node = _Node("contentLink", {"href": href}, text, value={"href": href, "text": text})
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
            _mime(tag, type)
            length_s = None if length is None else _integer(tag, length, "length", 0)
            bitrate_s = None if bitrate is None else _number(tag, bitrate, "bitrate", positive=True)
            height_s = None if height is None else _integer(tag, height, "height", 1)
            if lang is not None and not (isinstance(lang, str) and _LANG_RE.match(lang)):
                raise ValueError(
                    f"podcast:{tag}: lang must be a BCP 47 tag like 'en', got {lang!r}"
                )
            title = _optional_text(tag, title, "title", 32)
            rel = _optional_text(tag, rel, "rel", 32)
            codecs = _optional_text(tag, codecs, "codecs", None)
            default_s = None if default is None else _bool(tag, default, "default")
            children: list[_Node] = []
            source_values: list[dict[str, str]] = []
            for source in sources or ():
                if isinstance(source, str):
                    uri, content_type = source, None
                else:
                    uri, content_type = source
                uri = _uri("source", uri, "uri")
                if content_type is not None:
                    _mime("source", content_type, "contentType")
                children.append(_Node("source", _attrs(uri=uri, contentType=content_type)))
                source_values.append(_clean({"uri": uri, "content_type": content_type}))
            if not children:
                raise ValueError(
                    f"podcast:{tag}: needs at least one podcast:source (sources=[uri, ...])"
                )
            integrity_value = None
            if integrity is not None:
                kind, digest = integrity
                _choice("integrity", kind, "type", INTEGRITY_TYPES)
                digest = _text("integrity", digest, "value", None)
                children.append(_Node("integrity", {"type": kind, "value": digest}))
                integrity_value = (kind, digest)
            node = _Node(
                tag,
                _attrs(
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
                value=_clean(
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


class _ItemOnlyTags(_ItemTags):
    """Item tags, plus the ones an item shares with the channel (license, txt)."""

    def chapters(
        self, url: str | None = None, type: str = "application/json+chapters"
    ) -> dict[str, Any] | None:
        """Set ``podcast:chapters`` (docs/tags/chapters.md): the https URL of a chapters
        file, by default JSON chapters (docs/examples/chapters/jsonChapters.md)."""
        if url is None:
            return self._get_single("chapters")
        url = self._url("chapters", url)
        _mime("chapters", type)
        return self._single(
            _Node("chapters", {"url": url, "type": type}, value={"url": url, "type": type})
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
            start_s = _number("soundbite", start, "startTime", minimum=0)
            duration_s = _number("soundbite", duration, "duration", positive=True)
            title = _optional_text("soundbite", title, "title")
            node = _Node(
                "soundbite",
                {"startTime": start_s, "duration": duration_s},
                title,
                value=_clean({"start": start, "duration": duration, "title": title}),
            )
        return self._add(node, "soundbite", replace)

    def season(self, number: int | None = None, name: str | None = None) -> dict[str, Any] | None:
        """Set ``podcast:season`` (docs/tags/season.md): an integer, optional *name*
        (≤128 characters)."""
        if number is None and name is None:
            return self._get_single("season")
        if number is None:
            raise ValueError("podcast:season: the season number is required")
        number_s = _integer("season", number, "season number")
        name = _optional_text("season", name, "name")
        return self._single(
            _Node(
                "season",
                _attrs(name=name),
                number_s,
                value=_clean({"number": number, "name": name}),
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
        number_s = _number("episode", number, "episode number")
        display = _optional_text("episode", display, "display", 32)
        return self._single(
            _Node(
                "episode",
                _attrs(display=display),
                number_s,
                value=_clean({"number": number, "display": display}),
            )
        )


class _SharedSingles:
    """``podcast:license`` and ``podcast:txt``: channel and item."""

    def license(
        self: Any, identifier: str | None = None, url: str | None = None
    ) -> dict[str, Any] | None:
        """Set ``podcast:license`` (docs/tags/license.md): a license identifier (SPDX-style,
        lower-case for well-known licenses, ≤128 characters), with the https *url* of the
        full text (required by the spec for custom licenses)."""
        if identifier is None and url is None:
            return self._get_single("license")  # type: ignore[no-any-return]
        identifier = _text("license", identifier, "identifier")
        url = None if url is None else self._url("license", url)
        return self._single(  # type: ignore[no-any-return]
            _Node(
                "license",
                _attrs(url=url),
                identifier,
                value=_clean({"identifier": identifier, "url": url}),
            )
        )

    def txt(
        self: Any, text: str | None = None, purpose: str | None = None, replace: bool = False
    ) -> Sequence[dict[str, Any]]:
        """Add a ``podcast:txt`` (docs/tags/txt.md): free text (≤4000 characters) with an
        optional *purpose* (≤128 characters, e.g. "verify", "applepodcastsverify")."""
        node = None
        if (text, purpose) != (None, None):
            text = _text("txt", text, limit=4000)
            purpose = _optional_text("txt", purpose, "purpose")
            node = _Node(
                "txt",
                _attrs(purpose=purpose),
                text,
                value=_clean({"text": text, "purpose": purpose}),
            )
        return self._add(node, "txt", replace)  # type: ignore[no-any-return]


def _remote_item(
    tag: str,
    feed_guid: Any,
    feed_url: Any = None,
    item_guid: Any = None,
    medium: Any = None,
    title: Any = None,
    strict: bool = True,
) -> _Node:
    """docs/tags/remote-item.md: feedGuid required; feedUrl, itemGuid, medium, title optional."""
    if not isinstance(feed_guid, str) or not _GUID_RE.fullmatch(feed_guid.strip()):
        raise ValueError(
            f"podcast:{tag}: feedGuid must be the remote feed's podcast:guid (a UUID), "
            f"got {feed_guid!r}"
        )
    feed_guid = feed_guid.strip()
    feed_url = None if feed_url is None else _https(tag, feed_url, "feedUrl", strict)
    item_guid = _optional_text(tag, item_guid, "itemGuid", None)
    if medium is not None:
        _choice(tag, medium, "medium", MEDIUMS)
    title = _optional_text(tag, title, "title", None)
    return _Node(
        "remoteItem",
        _attrs(
            feedGuid=feed_guid, feedUrl=feed_url, itemGuid=item_guid, medium=medium, title=title
        ),
        value=_clean(
            {
                "feed_guid": feed_guid,
                "feed_url": feed_url,
                "item_guid": item_guid,
                "medium": medium,
                "title": title,
            }
        ),
    )


class LiveItem(_ItemOnlyTags, _SharedSingles):
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
        self._status = _choice("liveItem", status, "status", LIVE_STATUSES)
        self._start = _iso8601("liveItem", start, "start")
        self._end = None if end is None else _iso8601("liveItem", end, "end")
        if isinstance(start, datetime) and isinstance(end, datetime) and end <= start:
            raise ValueError(
                f"podcast:liveItem: end ({self._end}) must be after start ({self._start})"
            )
        self._title = _text("liveItem", title, "title", None)
        self._guid = _text("liveItem", guid, "guid", None)
        self._guid_permalink = bool(guid_permalink)
        self.require_https = require_https
        self._link = None if link is None else self._url("liveItem", link, "link")
        self._description = _optional_text("liveItem", description, "description", None)
        self._enclosure: tuple[str, str, str] | None = None
        if enclosure is not None:
            url, length, mime = enclosure
            self._enclosure = (
                _uri("liveItem", url, "enclosure url"),
                _integer("liveItem", length, "enclosure length", 0),
                _mime("liveItem", mime, "enclosure type"),
            )
        for what, value in (
            ("title", self._title),
            ("guid", self._guid),
            ("description", self._description),
            ("link", self._link),
            ("enclosure url", url if enclosure else None),
        ):
            _check_xml("liveItem", what, value)

    def status(self, status: str | None = None) -> str:
        """Get or set the stream status: 'pending', 'live' or 'ended'."""
        if status is not None:
            self._status = _choice("liveItem", status, "status", LIVE_STATUSES)
        return self._status

    def _write(self, channel: Any, ns: str) -> None:
        if not self._has("contentLink"):
            raise ValueError(
                f"podcast:liveItem {self._guid!r}: needs at least one podcast:contentLink "
                "(a page where listeners can follow the stream); call content_link(href, text)"
            )
        element = xml_elem(f"{{{ns}}}liveItem", channel)
        element.attrib.update(_attrs(status=self._status, start=self._start, end=self._end))
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


class PodcastIndexExtension(_Tags, _SharedSingles, BaseExtension):  # type: ignore[misc]
    """Channel-level Podcasting 2.0 tags."""

    namespace = PODCAST_NS

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
        if not isinstance(guid, str) or not _GUID_RE.fullmatch(guid.strip()):
            raise ValueError(
                "podcast:guid: must be a UUID like 917393e3-1b1e-5cef-ace4-edaa54e1f810 "
                f"(use podcast_guid(feed_url)), got {guid!r}"
            )
        guid = guid.strip().lower()
        self._single(_Node("guid", {}, guid, value={"guid": guid}))
        return guid

    def locked(
        self, locked: bool | str | None = None, owner: str | None = None
    ) -> dict[str, Any] | None:
        """Set ``podcast:locked`` (docs/tags/locked.md): yes (other hosts must not import
        the feed) or no, with an optional *owner* email used to verify a move."""
        if locked is None and owner is None:
            return self._get_single("locked")
        text = _yes_no("locked", locked)
        if owner is not None and not (
            isinstance(owner, str) and re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", owner)
        ):
            raise ValueError(f"podcast:locked: owner must be an email address, got {owner!r}")
        return self._single(
            _Node(
                "locked",
                _attrs(owner=owner),
                text,
                value=_clean({"locked": text == "yes", "owner": owner}),
            )
        )

    def medium(self, medium: str | None = None) -> str | None:
        """Get or set ``podcast:medium`` (docs/tags/medium.md): podcast, music, video, film,
        audiobook, newsletter, blog, publisher, course, their "L" list forms, or mixed."""
        if medium is None:
            value = self._get_single("medium")
            return None if value is None else str(value["medium"])
        _choice("medium", medium, "value", MEDIUMS)
        self._single(_Node("medium", {}, medium, value={"medium": medium}))
        return medium

    def block(
        self, block: bool | str | None = None, id: str | None = None, replace: bool = False
    ) -> Sequence[dict[str, Any]]:
        """Add a ``podcast:block`` (docs/tags/block.md): yes/no, optionally for one
        platform *id* (a slug from the spec's serviceslugs.txt)."""
        node = None
        if (block, id) != (None, None):
            text = _yes_no("block", block)
            id = _optional_text("block", id, "id")
            node = _Node(
                "block", _attrs(id=id), text, value=_clean({"block": text == "yes", "id": id})
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
            node = _remote_item(
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
                _remote_item(
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
        self._single(_Node("podroll", {}, children=children, value={"items": values}))
        return values

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
        text = _text(tag, text)
        complete_s = None if complete is None else _bool(tag, complete, "complete")
        dtstart_s = None if dtstart is None else _iso8601(tag, dtstart, "dtstart")
        if rrule is not None:
            if not isinstance(rrule, str) or not _RRULE_FREQ_RE.search(rrule.upper()):
                raise ValueError(
                    f"podcast:{tag}: rrule must be an RFC 5545 recurrence rule with FREQ "
                    f"(like 'FREQ=WEEKLY;BYDAY=MO'), got {rrule!r}"
                )
            if re.search(r"(^|;)COUNT=", rrule.upper()) and dtstart is None:
                raise ValueError(f"podcast:{tag}: dtstart is required when rrule has COUNT")
        return self._single(
            _Node(
                tag,
                _attrs(complete=complete_s, dtstart=dtstart_s, rrule=rrule),
                text,
                value=_clean(
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
            title = _text("trailer", title, "title")
            url = self._url("trailer", url)
            pubdate_s = _rfc2822("trailer", pubdate, "pubdate")
            length_s = None if length is None else _integer("trailer", length, "length", 0)
            if type is not None:
                _mime("trailer", type)
            season_s = None if season is None else _integer("trailer", season, "season")
            node = _Node(
                "trailer",
                _attrs(url=url, pubdate=pubdate_s, length=length_s, type=type, season=season_s),
                title,
                value=_clean(
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
    _ItemOnlyTags,
    _SharedSingles,
    BaseEntryExtension,  # type: ignore[misc]
):
    """Item-level Podcasting 2.0 tags."""

    namespace = PODCAST_NS

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": self.namespace}

    def extend_rss(self, entry: Any) -> Any:
        self._write_nodes(entry, self.namespace)
        return entry


def register_podcastindex(
    fg: Any,
    key: str = EXTENSION_KEY,
    namespace: str = PODCAST_NS,
    require_https: bool = True,
) -> None:
    """Register the extension on a FeedGenerator as ``fg.<key>`` (RSS only).

    *namespace* is the spec's URI (default) or the older GitHub URI the spec declares
    identical, ``PODCAST_NS_GITHUB``, which gPodder's podcastparser needs.
    *require_https* False lets ``http:`` web URLs through, for a local preview feed only:
    the spec requires https in published feeds.
    """
    if key == "podcast":
        raise ValueError(
            "register the Podcasting 2.0 extension under a key other than 'podcast': "
            "feedgen's iTunes extension uses that key"
        )
    if namespace not in (PODCAST_NS, PODCAST_NS_GITHUB):
        raise ValueError(
            f"namespace must be {PODCAST_NS!r} or {PODCAST_NS_GITHUB!r}, got {namespace!r}"
        )
    feed_ext: type = PodcastIndexExtension
    entry_ext: type = PodcastIndexEntryExtension
    if namespace != PODCAST_NS or not require_https:
        # feedgen instantiates extension classes without arguments, so settings travel as
        # class attributes of a subclass made for this feed.
        settings = {"namespace": namespace, "require_https": bool(require_https)}
        feed_ext = type(feed_ext.__name__, (feed_ext,), settings)
        entry_ext = type(entry_ext.__name__, (entry_ext,), settings)
    fg.register_extension(key, feed_ext, entry_ext, atom=False)
