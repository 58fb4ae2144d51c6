"""Podcasting 2.0 (`podcast:`) tag rules: parents, counts, attributes, values, limits.

`check_podcast_element` applies the tag table of stationcast.spec.podcast (`TAGS`, transcribed
from the spec's docs/tags/*.md pages) to one element, and recurses into podcast: children such
as podcast:source.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from lxml import etree

from stationcast.spec import namespaces
from stationcast.spec.media import TRANSCRIPT_TYPE_ALIASES, TRANSCRIPT_TYPES
from stationcast.spec.podcast import CHAPTERS_TYPE, IMAGE_PURPOSES, TAGS, podcast_guid
from stationcast.spec.xml import URI_SCHEME, UUID

from .data import PERSON_ROLES, PERSON_TAXONOMY
from .text import quote

_PREFIXES = (f"{{{namespaces.PODCAST}}}", f"{{{namespaces.PODCAST_GITHUB}}}")

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
        elif not URI_SCHEME.match(value.strip()):
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
        if value is not None and not pattern.fullmatch(value.strip()):
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
    if spec.node_pattern is not None and text and not spec.node_pattern.fullmatch(text):
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
        if not UUID.fullmatch(text):
            add("podcast.guid.format", f"<podcast:guid> {quote(text)} is not a UUID", el)
        elif uuid.UUID(text).version != 5:
            add("podcast.guid.version", f"<podcast:guid> {quote(text)} is not a version 5 UUID", el)
    elif local == "image":
        for token in (attrib.get("purpose") or "").split():
            if token not in IMAGE_PURPOSES:
                add(
                    "podcast.image.purpose",
                    f"<podcast:image purpose> token {quote(token)} is not one the spec lists",
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


def podcast_guid_for(url: str) -> str | None:
    """The podcast:guid the spec derives from a feed URL (None for a URL without a host)."""
    try:
        return podcast_guid(url)
    except ValueError:
        return None
