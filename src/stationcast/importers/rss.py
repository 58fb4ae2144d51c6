"""Read an untrusted podcast feed (RSS 2.0 with iTunes and Podcasting 2.0 tags) into plain data.

The XML parser never loads a DTD, never touches the network, never expands entities and
keeps libxml2's size limits (huge_tree=False); a DOCTYPE declaring entities is refused
before parsing (XXE, "billion laughs").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from stationcast.errors import InputError, Problem
from stationcast.spec import namespaces
from stationcast.spec.namespaces import ITUNES
from stationcast.xmlsafe import hardened_parser

PODCAST = (namespaces.PODCAST, namespaces.PODCAST_GITHUB)

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)


@dataclass
class Node:
    """An element as data: its tag (Clark notation), attributes, text and line."""

    tag: str
    attrs: dict[str, str]
    text: str
    line: int
    children: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # (tag, attributes)


@dataclass
class FeedItem:
    line: int
    fields: dict[str, list[Node]] = field(default_factory=dict)  # by tag
    attrs: dict[str, str] = field(default_factory=dict)  # of the element itself

    def all(self, tag: str) -> list[Node]:
        return self.fields.get(tag, [])

    def first(self, *tags: str) -> Node | None:
        for tag in tags:
            nodes = self.fields.get(tag)
            if nodes:
                return nodes[0]
        return None

    def text(self, *tags: str) -> str:
        node = self.first(*tags)
        return node.text.strip() if node is not None else ""


@dataclass
class Feed:
    channel: FeedItem
    items: list[FeedItem]
    categories: list[tuple[str, str | None]]  # itunes:category as (category, subcategory)
    owner: dict[str, str]
    live: list[FeedItem] = field(default_factory=list)  # podcast:liveItem, read like items


def _fail(
    source: str, message: str, line: int | None = None, column: int | None = None
) -> InputError:
    return InputError([Problem(source, line, column, message=message)])


# The WHATWG Encoding Standard (encoding.spec.whatwg.org, "Encodings" table) maps these labels
# to windows-1252, as browsers do: feeds that say ISO-8859-1 are written in windows-1252
# (curly quotes and dashes at 0x80-0x9F), and read as ISO-8859-1 they would be C1 controls.
_LATIN1_LABELS = {
    b"iso-8859-1", b"iso8859-1", b"iso_8859-1", b"latin1", b"l1", b"us-ascii", b"ascii",
    b"cp819", b"ibm819", b"iso-ir-100", b"csisolatin1", b"windows-1252", b"cp1252",
    b"x-cp1252", b"iso_8859-1:1987", b"ansi_x3.4-1968",
}  # fmt: skip
_DECLARATION = re.compile(rb"""\A<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
# windows-1252 as WHATWG defines it: the five bytes cp1252 leaves undefined are the C1
# code points of the same number.
_W1252 = {
    byte: bytes([byte]).decode("cp1252", errors="ignore") or chr(byte) for byte in range(0x80, 0xA0)
}


def _windows_1252(data: bytes) -> bytes:
    """A feed declared ISO-8859-1 (or another label for windows-1252) as UTF-8, decoded as
    windows-1252; any other feed unchanged."""
    m = _DECLARATION.match(data)
    if not m or m.group(1).lower() not in _LATIN1_LABELS:
        return data
    rest = data[m.end() :].decode("latin-1").translate(_W1252)
    return b'<?xml version="1.0" encoding="UTF-8"' + rest.encode("utf-8")


def _check_doctype(data: bytes, source: str) -> None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            head = data.decode("utf-16")[:65536].encode("utf-8")
        except UnicodeDecodeError:
            raise _fail(source, "is not valid UTF-16") from None
    else:
        head = data[:65536]
    m = _DOCTYPE.search(head)
    if m and _ENTITY.search(head, m.start()):
        line = head.count(b"\n", 0, m.start()) + 1
        raise _fail(
            source,
            "declares XML entities in its DOCTYPE; feeds must not (refused: entity expansion and"
            " external entities are a security risk)",
            line,
        )


def parse_rss(data: bytes, source: str) -> Feed:
    """An untrusted RSS feed's bytes as plain data (a Feed).

    InputError (file, line, what) for anything unusable.
    """
    # Blank lines before the XML declaration (common from CMS templates) are not part of
    # the document for any feed reader; libxml2 refuses them.
    stripped = data.lstrip(b" \t\r\n")
    if stripped.startswith(b"<?xml") and stripped is not data:
        data = stripped
    data = _windows_1252(data)
    _check_doctype(data, source)
    parser = hardened_parser(remove_comments=True)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        position = exc.position if isinstance(exc.position, tuple) else None
        line, column = position if position else (None, None)
        message = (exc.msg or str(exc)).split(", line ")[0]
        raise _fail(source, f"is not well-formed XML: {message}", line, column) from None
    if root is None:
        raise _fail(source, "is empty; expected an RSS feed")
    tree = root.getroottree()
    dtd = tree.docinfo.internalDTD
    if dtd is not None and list(getattr(dtd, "iterentities", tuple)()):
        raise _fail(source, "declares XML entities in its DOCTYPE; feeds must not")
    if etree.QName(root).localname != "rss":
        kind = etree.QName(root).localname
        hint = (
            " (an Atom feed: podcasts use RSS 2.0; export the podcast's RSS feed)"
            if kind == "feed"
            else ""
        )
        raise _fail(source, f"is not an RSS feed: its root element is <{kind}>{hint}", _line(root))
    channel = root.find("channel")
    if channel is None:
        raise _fail(
            source, "has no <channel>; expected <rss><channel>...</channel></rss>", _line(root)
        )

    def node(element: Any) -> Node:
        text = "".join(element.itertext()) if len(element) else (element.text or "")
        children = [
            (c.tag, {str(k): str(v) for k, v in c.attrib.items()})
            for c in element
            if isinstance(c.tag, str)
        ]
        return Node(
            element.tag,
            {str(k): str(v) for k, v in element.attrib.items()},
            text,
            element.sourceline or 0,
            children,
        )

    def collect(element: Any) -> FeedItem:
        item = FeedItem(
            element.sourceline or 0, attrs={str(k): str(v) for k, v in element.attrib.items()}
        )
        for child in element:
            if not isinstance(child.tag, str) or child.tag == "item":
                continue
            item.fields.setdefault(child.tag, []).append(node(child))
        return item

    categories: list[tuple[str, str | None]] = []
    for cat in channel.findall(f"{{{ITUNES}}}category"):
        name = (cat.get("text") or "").strip()
        subs = [(s.get("text") or "").strip() for s in cat.findall(f"{{{ITUNES}}}category")]
        if not subs:
            categories.append((name, None))
        for sub in subs:
            categories.append((name, sub or None))
    owner: dict[str, str] = {}
    owner_element = channel.find(f"{{{ITUNES}}}owner")
    if owner_element is not None:
        for key in ("name", "email"):
            owner[key] = (owner_element.findtext(f"{{{ITUNES}}}{key}") or "").strip()
    items = [collect(element) for element in channel.iter("item")]
    live = [collect(element) for tag in podcast_tag("liveItem") for element in channel.iter(tag)]
    channel_data = collect(channel)
    return Feed(channel_data, items, categories, owner, live)


def podcast_tag(name: str) -> tuple[str, ...]:
    return tuple(f"{{{ns}}}{name}" for ns in PODCAST)


def itunes_tag(name: str) -> str:
    return f"{{{ITUNES}}}{name}"


def _line(element: Any) -> int | None:
    line = element.sourceline
    return line if isinstance(line, int) else None
