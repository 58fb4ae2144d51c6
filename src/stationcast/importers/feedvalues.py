"""Values read from a feed's elements, as a manifest holds them (None when a value is unusable).

Feeds are untrusted: a number may be `inf`, `nan`, negative or text, and a URL anything.
Each reader here gives a value the manifest models can check, or None.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from pydantic import TypeAdapter, ValidationError

from stationcast.models import Url
from stationcast.spec.namespaces import ATOM, CONTENT, FOREIGN_PREFIXES, ITUNES
from stationcast.spec.taxonomy import check_person

from .rss import FeedItem, Node, podcast_tag

_URL = TypeAdapter(Url)


def short_tag(tag: str) -> str:
    """A tag in Clark notation as prefix:name: `{...podcast-1.0.dtd}image` -> `itunes:image`."""
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        prefix = {ITUNES: "itunes", CONTENT: "content", ATOM: "atom"}.get(
            ns
        ) or FOREIGN_PREFIXES.get(ns)
        if prefix is None and ("podcastindex" in ns or "podcast-namespace" in ns):
            prefix = "podcast"
        return f"{prefix or ns}:{local}"
    return tag


def podcast_nodes(item: FeedItem, name: str) -> list[Node]:
    """Every `podcast:<name>` element of the channel or item (either namespace URI)."""
    return [node for tag in podcast_tag(name) for node in item.all(tag)]


def number(text: str | None) -> float | int | None:
    """A finite number (an int when whole), or None."""
    try:
        value = float((text or "").strip())
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    return int(value) if value == int(value) else value


def parse_duration(text: str) -> float | None:
    """Seconds from `itunes:duration` (`1250.5`, `23:06`, `1:02:03`), or None."""
    text = text.strip()
    if not text:
        return None
    try:
        if ":" in text:
            parts = [float(p) for p in text.split(":")]
            if len(parts) > 3 or any(p < 0 for p in parts):
                return None
            seconds = 0.0
            for part in parts:
                seconds = seconds * 60 + part
            return seconds if math.isfinite(seconds) else None
        value = float(text)
        return value if value >= 0 and math.isfinite(value) else None
    except ValueError:
        return None


def explicit(text: str) -> bool | None:
    """`itunes:explicit` as true or false (yes/no, true/false, explicit/clean), or None."""
    value = text.strip().lower()
    if value in ("yes", "true", "explicit"):
        return True
    if value in ("no", "false", "clean"):
        return False
    return None


def positive_int(text: str) -> int | None:
    """A whole number above 0 (`12`, `12.0`), or None."""
    try:
        value = float(text.strip())
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    whole = int(value)
    return whole if whole > 0 else None


def url(text: str) -> str | None:
    """`text` (stripped) when the manifest accepts it as a URL, else None."""
    try:
        return _URL.validate_python(text.strip())
    except ValidationError:
        return None


def location(item: FeedItem) -> dict[str, Any] | None:
    """The first `podcast:location` as a manifest's location mapping, or None."""
    nodes = podcast_nodes(item, "location")
    if not nodes:
        return None
    node = nodes[0]
    out: dict[str, Any] = {"name": " ".join(node.text.split())}
    for key in ("geo", "osm", "rel"):
        if node.attrs.get(key):
            out[key] = node.attrs[key].strip()
    if node.attrs.get("country"):
        out["country"] = node.attrs["country"].strip()
    return out


def credit(
    node: Node, where: str, notes: list[str], dropped: Counter[str] | None = None
) -> dict[str, Any] | None:
    """A `podcast:person` as a credit (role and group checked against the Podcast Taxonomy).

    An unknown role becomes guest, with a note in `notes`; a nameless person is None. An
    href or img that is not https (which the namespace requires) is left out, with a note,
    and counted in `dropped`: the person is still credited.
    """
    name = " ".join(node.text.split())
    if not name:
        return None
    role = (node.attrs.get("role") or "host").strip()
    group = (node.attrs.get("group") or "").strip() or None
    try:
        role, group_checked = check_person(role, group)
    except ValueError as exc:
        notes.append(
            f"{where}:{node.line}: podcast:person {name!r}:"
            f" {str(exc).split(' Valid ')[0].rstrip('. ')}; credited as guest"
        )
        role, group_checked = "guest", "cast"
    found: dict[str, Any] = {"name": name, "role": role}
    if group and group.lower() != group_checked or group and role == "editor":
        found["group"] = group_checked
    for key in ("href", "img"):
        value = node.attrs.get(key, "").strip()
        if value and url(value) and value.lower().startswith("https://"):
            found[key] = value
        elif value:
            notes.append(
                f"{where}:{node.line}: podcast:person {name!r}: {key} {value!r} not carried over"
                " (podcast:person links must be https)"
            )
            if dropped is not None:
                dropped[f"podcast:person {key} (not https)"] += 1
    return found


def describe_node(node: Node) -> str:
    """A dropped element in a few words: its text (shortened) and the address it points at."""
    text = " ".join(node.text.split())[:80]
    address = node.attrs.get("url") or node.attrs.get("href") or node.attrs.get("uri")
    return " ".join(part for part in (text, address) if part)
