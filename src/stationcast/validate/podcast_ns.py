"""Podcasting 2.0 (`podcast:`) tag rules: parents, counts, attributes, values, limits.

One table, `TAGS`, transcribed from the spec's docs/tags/*.md pages; `check_podcast_element`
applies it to one element (and recurses into podcast: children such as podcast:source).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from .data import (
    CHAPTERS_TYPE,
    MEDIUMS,
    NS_PODCAST,
    NS_PODCAST_ALT,
    PERSON_ROLES,
    PERSON_TAXONOMY,
    PODCAST_GUID_NAMESPACE,
    TRANSCRIPT_TYPE_ALIASES,
    TRANSCRIPT_TYPES,
)
from .text import quote

_ITEMISH = frozenset({"item", "liveItem"})
_CH = frozenset({"channel"})
_CH_ITEM = frozenset({"channel"}) | _ITEMISH

_INT = re.compile(r"^\d+$")
_DECIMAL = re.compile(r"^\d+(\.\d+)?$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_BOOL = frozenset({"true", "false"})
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_ISO8601 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$")
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_IMAGE_PURPOSES = frozenset(
    {"artwork", "social", "canvas", "banner", "publisher", "circular", "poster"}
)


@dataclass(frozen=True)
class Tag:
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
    "locked": Tag(_CH, single=True, node_values=frozenset({"yes", "no"})),
    "funding": Tag(_CH_ITEM, required=("url",), node_limit=128, urls=("url",)),
    "chapters": Tag(_ITEMISH, single=True, required=("url", "type"), urls=("url",)),
    "soundbite": Tag(
        _ITEMISH,
        required=("startTime", "duration"),
        node_limit=128,
        patterns={"startTime": (_DECIMAL, "seconds"), "duration": (_DECIMAL, "seconds")},
    ),
    "person": Tag(_CH_ITEM, node="required", node_limit=128, urls=("img", "href")),
    "location": Tag(
        _CH_ITEM,
        node="required",
        node_limit=128,
        enums={"rel": frozenset({"subject", "creator"})},
        patterns={
            "geo": (re.compile(r"^geo:-?\d+(\.\d+)?,-?\d+(\.\d+)?"), "an RFC 5870 geo: URI"),
            "osm": (re.compile(r"^[NWR]\d+(#\d+)?$"), "N, W or R followed by an id"),
            "country": (re.compile(r"^[A-Za-z]{2}$"), "an ISO 3166-1 alpha-2 code"),
        },
    ),
    "season": Tag(
        _ITEMISH,
        single=True,
        node="required",
        node_pattern=_INT,
        node_pattern_what="a whole number",
        limits={"name": 128},
    ),
    "episode": Tag(
        _ITEMISH,
        single=True,
        node="required",
        node_pattern=_DECIMAL,
        node_pattern_what="a number such as 12 or 12.5",
        limits={"display": 32},
    ),
    "trailer": Tag(
        _CH,
        required=("url", "pubdate"),
        node="required",
        node_limit=128,
        urls=("url",),
        patterns={"length": (_INT, "a byte count"), "season": (_INT, "a whole number")},
    ),
    "license": Tag(_CH_ITEM, single=True, node="required", node_limit=128, urls=("url",)),
    "alternateEnclosure": Tag(
        _ITEMISH,
        required=("type",),
        patterns={
            "length": (_INT, "a byte count"),
            "bitrate": (_DECIMAL, "a number"),
            "height": (_INT, "a number of pixels"),
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
        enums={"type": frozenset({"sri", "pgp-signature"})},
    ),
    "guid": Tag(_CH, single=True, node="required"),
    "value": Tag(
        _CH_ITEM,
        required=("type", "method"),
        patterns={"suggested": (_DECIMAL, "a number")},
        children=("valueRecipient", "valueTimeSplit"),
    ),
    "valueRecipient": Tag(
        frozenset({"value"}),
        required=("type", "address", "split"),
        enums={"type": frozenset({"node", "lnaddress"}), "fee": _BOOL},
        patterns={"split": (_DECIMAL, "a number")},
    ),
    "valueTimeSplit": Tag(
        frozenset({"value"}),
        required=("startTime", "duration"),
        patterns={
            "startTime": (_DECIMAL, "seconds"),
            "duration": (_DECIMAL, "seconds"),
            "remoteStartTime": (_DECIMAL, "seconds"),
            "remotePercentage": (_DECIMAL, "a number"),
        },
        children=("remoteItem", "valueRecipient"),
    ),
    "medium": Tag(_CH, single=True, node_values=MEDIUMS),
    "liveItem": Tag(
        _CH,
        required=("status", "start"),
        enums={"status": frozenset({"pending", "live", "ended"})},
        patterns={
            "start": (_ISO8601, "an ISO 8601 date-time"),
            "end": (_ISO8601, "an ISO 8601 date-time"),
        },
        children=("contentLink",),
    ),
    "contentLink": Tag(_ITEMISH, required=("href",), urls=("href",)),
    "socialInteract": Tag(_CH_ITEM, required=("protocol",), urls=("uri", "accountUrl")),
    "block": Tag(_CH, node_values=frozenset({"yes", "no"})),
    "txt": Tag(_CH_ITEM, node="required", node_limit=4000, limits={"purpose": 128}),
    "remoteItem": Tag(
        frozenset({"channel", "podroll", "valueTimeSplit", "publisher"}),
        required=("feedGuid",),
        urls=("feedUrl",),
    ),
    "podroll": Tag(_CH, single=True, children=("remoteItem",)),
    "updateFrequency": Tag(_CH, single=True, node_limit=128, enums={"complete": _BOOL}),
    "podping": Tag(_CH, single=True, enums={"usesPodping": _BOOL}),
    "chat": Tag(_CH | _ITEMISH, single=True, required=("server", "protocol")),
    "publisher": Tag(_CH, single=True, children=("remoteItem",)),
    "image": Tag(_CH_ITEM, required=("href",), urls=("href",), limits={"purpose": 128}),
    "images": Tag(_CH_ITEM, single=True, required=("srcset",)),
}

_PREFIXES = (f"{{{NS_PODCAST}}}", f"{{{NS_PODCAST_ALT}}}")

Add = Callable[[str, str, "etree._Element"], None]


def podcast_local(tag: str) -> str | None:
    """'transcript' for a podcast: element tag (either namespace URI), else None."""
    for p in _PREFIXES:
        if tag.startswith(p):
            return tag[len(p) :]
    return None


def check_podcast_element(el: etree._Element, local: str, parent: str, add: Add) -> None:
    """Check one podcast: element found under `parent` ('channel', 'item', …)."""
    spec = TAGS.get(local)
    if spec is None:
        add(
            "podcast.unknown", f"<podcast:{local}> is not a tag of the Podcasting 2.0 namespace", el
        )
        return
    if parent not in spec.parents:
        where = " or ".join(sorted(spec.parents))
        add("podcast.parent", f"<podcast:{local}> belongs in <{where}>, not in <{parent}>", el)
    attrib = dict(el.items())
    for name in spec.required:
        value = attrib.get(name)
        if not value or value.isspace():
            if local == "socialInteract" and name == "uri":
                continue
            add("podcast.attribute.missing", f"<podcast:{local}> has no {name}= attribute", el)
    if local == "socialInteract" and attrib.get("protocol") != "disabled" and not attrib.get("uri"):
        add("podcast.attribute.missing", "<podcast:socialInteract> has no uri= attribute", el)
    for name in spec.urls:
        value = attrib.get(name)
        if not value:
            continue
        if value[:5].lower() == "http:":
            add("podcast.https", f"<podcast:{local} {name}> uses http: {quote(value)}", el)
        elif not _ABSOLUTE.match(value.strip()):
            add(
                "podcast.value.invalid",
                f"<podcast:{local} {name}={quote(value)}> is not an absolute URL",
                el,
            )
    for name, allowed in spec.enums.items():
        value = attrib.get(name)
        if value is not None and value not in allowed:
            add(
                "podcast.value.invalid",
                f"<podcast:{local} {name}={quote(value)}> is not one of "
                + ", ".join(sorted(allowed)),
                el,
            )
    for name, (pattern, what) in spec.patterns.items():
        value = attrib.get(name)
        if value is not None and not pattern.match(value.strip()):
            add(
                "podcast.value.invalid",
                f"<podcast:{local} {name}={quote(value)}> is not {what}",
                el,
            )
    for name, limit in spec.limits.items():
        value = attrib.get(name)
        if value is not None and len(value) > limit:
            add(
                "podcast.text.length",
                f"<podcast:{local} {name}> is {len(value)} characters; the limit is {limit}",
                el,
            )
    needs_text = (
        spec.node == "required"
        or spec.node_limit is not None
        or spec.node_values is not None
        or local == "guid"
    )
    text = (el.text or "").strip() if needs_text else ""
    if spec.node == "required" and not text:
        add("podcast.text.empty", f"<podcast:{local}> must not be empty", el)
    if spec.node_limit is not None and len(text) > spec.node_limit:
        add(
            "podcast.text.length",
            f"<podcast:{local}> text is {len(text)} characters; the limit is {spec.node_limit}",
            el,
        )
    if spec.node_values is not None and text not in spec.node_values:
        add(
            "podcast.value.invalid",
            f"<podcast:{local}> is {quote(text)}; expected one of "
            + ", ".join(sorted(spec.node_values)),
            el,
        )
    if spec.node_pattern is not None and text and not spec.node_pattern.match(text):
        add(
            "podcast.value.invalid",
            f"<podcast:{local}> is {quote(text)}, not {spec.node_pattern_what}",
            el,
        )

    # Tag-specific rules.
    if local == "transcript":
        t = (attrib.get("type") or "").strip().lower()
        if t and t not in TRANSCRIPT_TYPES:
            alias = TRANSCRIPT_TYPE_ALIASES.get(t)
            better = f" (write {alias})" if alias else ""
            add(
                "podcast.transcript.type",
                f"transcript type {quote(t)} is not a listed format{better}",
                el,
            )
    elif local == "chapters":
        t = (attrib.get("type") or "").strip().lower()
        if t and t != CHAPTERS_TYPE:
            add("podcast.chapters.type", f"chapters type is {quote(t)}, not {CHAPTERS_TYPE}", el)
    elif local == "person":
        _check_person(el, add)
    elif local == "guid" and text:
        if not _UUID.match(text):
            add("podcast.guid.format", f"<podcast:guid> {quote(text)} is not a UUID", el)
        elif uuid.UUID(text).version != 5:
            add("podcast.guid.version", f"<podcast:guid> {quote(text)} is not a version 5 UUID", el)
    elif local == "image":
        for token in (attrib.get("purpose") or "").split():
            if token not in _IMAGE_PURPOSES:
                add(
                    "podcast.value.invalid",
                    f"<podcast:image purpose> token {quote(token)} is unknown",
                    el,
                )
    elif local == "images":
        add("podcast.deprecated", "<podcast:images> is deprecated; use <podcast:image>", el)

    # Children: required ones, counts, and recursion into nested podcast: tags.
    if not spec.children and not len(el):
        return
    seen: dict[str, int] = {}
    for child in el:
        ctag = child.tag
        if not isinstance(ctag, str):
            continue
        clocal = podcast_local(ctag)
        if clocal is None:
            continue
        seen[clocal] = seen.get(clocal, 0) + 1
        cspec = TAGS.get(clocal)
        if cspec is not None and cspec.single and seen[clocal] == 2:
            add(
                "podcast.count",
                f"<podcast:{clocal}> appears more than once in <podcast:{local}>",
                child,
            )
        check_podcast_element(child, clocal, local, add)
    if spec.children and not any(c in seen for c in spec.children):
        wanted = " or ".join(f"<podcast:{c}>" for c in spec.children)
        add("podcast.children", f"<podcast:{local}> needs at least one {wanted}", el)


def _check_person(el: etree._Element, add: Add) -> None:
    role = (el.get("role") or "host").strip().lower()
    group = (el.get("group") or "").strip().lower()
    if role not in PERSON_ROLES:
        add(
            "podcast.person.role",
            f"person role {quote(el.get('role'))} is not in the Podcast Taxonomy",
            el,
        )
    if group:
        if group not in PERSON_TAXONOMY:
            add(
                "podcast.person.role",
                f"person group {quote(el.get('group'))} is not in the Podcast Taxonomy",
                el,
            )
        elif role in PERSON_ROLES and role not in PERSON_TAXONOMY[group]:
            add(
                "podcast.person.role",
                f"person role {quote(el.get('role'))} is not in group {quote(el.get('group'))}",
                el,
            )


def podcast_guid_for(url: str) -> str:
    """The podcast:guid the spec derives from a feed URL."""
    stripped = re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*://", "", url.strip()).rstrip("/")
    return str(uuid.uuid5(uuid.UUID(PODCAST_GUID_NAMESPACE), stripped))
