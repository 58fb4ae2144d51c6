"""The Podcasting 2.0 namespace (``podcast:`` tags): the tag table and the values it allows.

Source: Podcastindex-org/podcast-namespace, docs/1.0.md and docs/tags/<tag>.md. ``TAGS``
says, for every tag: where it may appear, how often, which attributes it requires, which
attribute holds a web URL (https required), which values are enumerated, and the text limits.
The feed writer (stationcast.feed.podcastindex) reads its limits and value lists from here,
the manifest models read the same values, and the validator applies the table to anyone's
feed, so the three cannot disagree.

Adding a tag: a row in ``TAGS`` (and a constant below for a value list the writer or the
models need); the validator then checks it in every feed.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

__all__ = [
    "CHAPTERS_TYPE",
    "GUID_NAMESPACE",
    "IMAGE_PURPOSES",
    "INTEGRITY_TYPES",
    "LIVE_STATUSES",
    "LOCATION_RELS",
    "MEDIUMS",
    "NODE_LIMIT",
    "TAGS",
    "Tag",
    "is_https",
    "podcast_guid",
]

# --- value lists ------------------------------------------------------------------------

#: docs/tags/medium.md: each medium, its "L" list variant, and the list-only "mixed".
BASE_MEDIUMS = (
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
MEDIUMS = BASE_MEDIUMS + tuple(m + "L" for m in BASE_MEDIUMS) + ("mixed",)
#: docs/tags/live-item.md
LIVE_STATUSES = ("pending", "live", "ended")
#: docs/tags/location.md
LOCATION_RELS = ("subject", "creator")
#: docs/tags/integrity.md
INTEGRITY_TYPES = ("sri", "pgp-signature")
#: docs/tags/image.md: the purpose tokens.
IMAGE_PURPOSES = ("artwork", "social", "canvas", "banner", "publisher", "circular", "poster")
#: docs/tags/transcript.md: rel="captions" marks a timed closed-captions file.
TRANSCRIPT_RELS = ("captions",)
#: docs/tags/chapters.md: the type of a JSON chapters file (docs/examples/chapters).
CHAPTERS_TYPE = "application/json+chapters"
#: docs/tags/*.md: "Please do not exceed 128 characters ... or it may be truncated".
NODE_LIMIT = 128
#: The namespace's other recommendations: HTML apps typically support in descriptions beyond
#: Apple's and PSP-1's tags.
DESCRIPTION_TAGS = frozenset({"br"})

# --- value shapes -----------------------------------------------------------------------

#: A whole number, and a decimal number ("12.5"), as attributes and node values spell them.
INTEGER = re.compile(r"\d+")
DECIMAL = re.compile(r"\d+(\.\d+)?")
#: docs/tags/live-item.md start/end: ISO 8601 date-time with a zone.
ISO8601 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})")
#: docs/tags/location.md geo: an RFC 5870 geo URI, geo:lat,lon[,alt][;params].
GEO = re.compile(
    r"geo:(?P<lat>-?\d+(?:\.\d+)?),(?P<lon>-?\d+(?:\.\d+)?)(?:,-?\d+(?:\.\d+)?)?(?:;[\w.=;-]*)?"
)
#: docs/tags/location.md osm: the OpenStreetMap type (Node, Way, Relation), id and revision.
OSM = re.compile(r"[NWR]\d+(#\d+)?")
#: docs/tags/location.md country: an ISO 3166-1 alpha-2 code.
COUNTRY = re.compile(r"[A-Za-z]{2}")
#: docs/tags/update-frequency.md rrule: an RFC 5545 recurrence rule, which needs a FREQ. Use
#: ``search`` on the upper-cased rule.
RRULE_FREQ = re.compile(r"(^|;)FREQ=(SECONDLY|MINUTELY|HOURLY|DAILY|WEEKLY|MONTHLY|YEARLY)(;|$)")
#: docs/tags/update-frequency.md: "dtstart ... is required if the rrule contains COUNT".
RRULE_COUNT = re.compile(r"(^|;)COUNT=")
#: docs/tags/locked.md owner: an email address.
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
#: docs/tags/image.md aspect-ratio: CSS syntax, "16/9" or one number.
ASPECT_RATIO = re.compile(r"\d+(\.\d+)?\s*/\s*\d+(\.\d+)?|\d+(\.\d+)?")


def is_https(url: str) -> bool:
    """docs/1.0.md: "Anywhere the url of a hyper-text based resource is specified, it must be
    given as https: and not http:". True for an https URL with a host."""
    parts = urlsplit(url.strip())
    return parts.scheme.lower() == "https" and bool(parts.netloc)


# --- podcast:guid -----------------------------------------------------------------------

#: docs/tags/guid.md: the "podcast" namespace UUID of the UUIDv5 the GUID is made with.
GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")


def podcast_guid(feed_url: str) -> str:
    """The ``podcast:guid`` for a feed URL, as docs/tags/guid.md defines it.

    UUIDv5 in the namespace ``ead4c236-bf58-58c6-a2c6-a6b28d128cb6`` of the URL with its
    scheme (``https://``) and trailing slashes removed. Compute it once and store it: the
    spec says the GUID stays with the podcast when the feed URL later changes.
    """
    seed = _SCHEME.sub("", feed_url.strip()).rstrip("/")
    if not seed:
        raise ValueError(f"cannot derive a podcast:guid from feed URL {feed_url!r}")
    return str(uuid.uuid5(GUID_NAMESPACE, seed))


# --- the tag table ----------------------------------------------------------------------

_ITEMISH = frozenset({"item", "liveItem"})
_CH = frozenset({"channel"})
_CH_ITEM = frozenset({"channel"}) | _ITEMISH
_BOOL = frozenset({"true", "false"})
_YES_NO = frozenset({"yes", "no"})


@dataclass(frozen=True)
class Tag:
    """One ``podcast:`` tag: where it goes, what it needs, what its values may be."""

    parents: frozenset[str]
    single: bool = False
    required: tuple[str, ...] = ()
    node: str = "any"  # "any", "required" (non-blank text), "none"
    node_limit: int | None = None
    node_values: frozenset[str] | None = None
    node_pattern: re.Pattern[str] | None = None
    node_pattern_what: str = ""
    urls: tuple[str, ...] = ()  # attributes holding hyper-text URLs (must be https)
    enums: dict[str, frozenset[str]] = field(default_factory=dict)
    patterns: dict[str, tuple[re.Pattern[str], str]] = field(default_factory=dict)
    limits: dict[str, int] = field(default_factory=dict)
    children: tuple[str, ...] = ()  # at least one of these podcast: children is required


TAGS: dict[str, Tag] = {
    "transcript": Tag(_ITEMISH, required=("url", "type"), urls=("url",)),
    "locked": Tag(_CH, single=True, node_values=_YES_NO),
    "funding": Tag(_CH_ITEM, required=("url",), node_limit=NODE_LIMIT, urls=("url",)),
    "chapters": Tag(_ITEMISH, single=True, required=("url", "type"), urls=("url",)),
    "soundbite": Tag(
        _ITEMISH,
        required=("startTime", "duration"),
        node_limit=NODE_LIMIT,
        patterns={"startTime": (DECIMAL, "seconds"), "duration": (DECIMAL, "seconds")},
    ),
    "person": Tag(_CH_ITEM, node="required", node_limit=NODE_LIMIT, urls=("img", "href")),
    "location": Tag(
        _CH_ITEM,
        node="required",
        node_limit=NODE_LIMIT,
        enums={"rel": frozenset(LOCATION_RELS)},
        patterns={
            "geo": (GEO, "an RFC 5870 geo: URI"),
            "osm": (OSM, "N, W or R followed by an id"),
            "country": (COUNTRY, "an ISO 3166-1 alpha-2 code"),
        },
    ),
    "season": Tag(
        _ITEMISH,
        single=True,
        node="required",
        node_pattern=INTEGER,
        node_pattern_what="a whole number",
        limits={"name": NODE_LIMIT},
    ),
    "episode": Tag(
        _ITEMISH,
        single=True,
        node="required",
        node_pattern=DECIMAL,
        node_pattern_what="a number such as 12 or 12.5",
        limits={"display": 32},
    ),
    "trailer": Tag(
        _CH,
        required=("url", "pubdate"),
        node="required",
        node_limit=NODE_LIMIT,
        urls=("url",),
        patterns={"length": (INTEGER, "a byte count"), "season": (INTEGER, "a whole number")},
    ),
    "license": Tag(_CH_ITEM, single=True, node="required", node_limit=NODE_LIMIT, urls=("url",)),
    "alternateEnclosure": Tag(
        _ITEMISH,
        required=("type",),
        patterns={
            "length": (INTEGER, "a byte count"),
            "bitrate": (DECIMAL, "a number"),
            "height": (INTEGER, "a number of pixels"),
        },
        enums={"default": _BOOL},
        limits={"title": 32, "rel": 32},
        children=("source",),
    ),
    "source": Tag(frozenset({"alternateEnclosure"}), required=("uri",), urls=("uri",)),
    "integrity": Tag(
        frozenset({"alternateEnclosure"}),
        single=True,
        required=("type", "value"),
        enums={"type": frozenset(INTEGRITY_TYPES)},
    ),
    "guid": Tag(_CH, single=True, node="required"),
    "value": Tag(
        _CH_ITEM,
        required=("type", "method"),
        patterns={"suggested": (DECIMAL, "a number")},
        children=("valueRecipient", "valueTimeSplit"),
    ),
    "valueRecipient": Tag(
        frozenset({"value"}),
        required=("type", "address", "split"),
        enums={"type": frozenset({"node", "lnaddress"}), "fee": _BOOL},
        patterns={"split": (DECIMAL, "a number")},
    ),
    "valueTimeSplit": Tag(
        frozenset({"value"}),
        required=("startTime", "duration"),
        patterns={
            "startTime": (DECIMAL, "seconds"),
            "duration": (DECIMAL, "seconds"),
            "remoteStartTime": (DECIMAL, "seconds"),
            "remotePercentage": (DECIMAL, "a number"),
        },
        children=("remoteItem", "valueRecipient"),
    ),
    "medium": Tag(_CH, single=True, node_values=frozenset(MEDIUMS)),
    "liveItem": Tag(
        _CH,
        required=("status", "start"),
        enums={"status": frozenset(LIVE_STATUSES)},
        patterns={
            "start": (ISO8601, "an ISO 8601 date-time"),
            "end": (ISO8601, "an ISO 8601 date-time"),
        },
        children=("contentLink",),
    ),
    "contentLink": Tag(_ITEMISH, required=("href",), urls=("href",)),
    "socialInteract": Tag(_CH_ITEM, required=("protocol",), urls=("uri", "accountUrl")),
    "block": Tag(_CH, node_values=_YES_NO),
    "txt": Tag(_CH_ITEM, node="required", node_limit=4000, limits={"purpose": NODE_LIMIT}),
    "remoteItem": Tag(
        frozenset({"channel", "podroll", "valueTimeSplit", "publisher"}),
        required=("feedGuid",),
        urls=("feedUrl",),
    ),
    "podroll": Tag(_CH, single=True, children=("remoteItem",)),
    "updateFrequency": Tag(_CH, single=True, node_limit=NODE_LIMIT, enums={"complete": _BOOL}),
    "podping": Tag(_CH, single=True, enums={"usesPodping": _BOOL}),
    "chat": Tag(_CH | _ITEMISH, single=True, required=("server", "protocol")),
    "publisher": Tag(_CH, single=True, children=("remoteItem",)),
    "image": Tag(_CH_ITEM, required=("href",), urls=("href",), limits={"purpose": NODE_LIMIT}),
    "images": Tag(_CH_ITEM, single=True, required=("srcset",)),
}


#: Podping's `reason` for a notification (podping.cloud, github.com/Podcastindex-org/podping
#: docs): `update` (the feed changed), `live` (a podcast:liveItem went live), `liveEnd` (one
#: ended).
PODPING_REASONS = ("update", "live", "liveEnd")
