"""What every check works with: the finding collector, the linked resources, element names
and lines, and the checks of one element that channel and items share (text values, flags,
descriptions, artwork links; dates are in dates.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from stationcast.spec import namespaces
from stationcast.spec.namespaces import ATOM as NS_ATOM
from stationcast.spec.namespaces import CONTENT as NS_CONTENT
from stationcast.spec.namespaces import ITUNES as NS_ITUNES

from .data import DESCRIPTION_HTML_TAGS
from .rules import RULES, Finding
from .text import quote

I = f"{{{NS_ITUNES}}}"  # noqa: E741 - short prefix keeps the dispatch table readable
T_IMAGE = I + "image"
T_CATEGORY = I + "category"
T_EXPLICIT = I + "explicit"
T_DURATION = I + "duration"
T_EPISODE = I + "episode"
T_SEASON = I + "season"
T_EPISODE_TYPE = I + "episodeType"
T_BLOCK = I + "block"
T_TITLE = I + "title"
T_CONTENT = f"{{{NS_CONTENT}}}encoded"
T_ATOM_LINK = f"{{{NS_ATOM}}}link"

_PREFIX = namespaces.PREFIXES

_HTML_TAG = re.compile(r"<\s*/?\s*([A-Za-z][A-Za-z0-9]*)")
_BAD_HTML_TAG = re.compile(
    r"<\s*/?\s*(?!(?:"
    + "|".join(sorted(DESCRIPTION_HTML_TAGS, key=len, reverse=True))
    + r")(?![A-Za-z0-9]))[A-Za-z]",
    re.I,
)
_JS_URL = re.compile(r"""href\s*=\s*["']?\s*(?:j|&#x?0*(?:106|6a);?)\s*a\s*v\s*a\s*s""", re.I)
_URL = re.compile(r"https?://[^\s/?#]+", re.I)


def line_of(el: etree._Element) -> int | None:
    """The element's line, corrected past line 65,535.

    libxml2 stores at most 65,535 per node; beyond that it borrows the line of a neighbouring
    text node, recorded where that text *ends*. Undo that for the usual whitespace text.
    """
    line: int | None = el.sourceline
    if line is None or line < 65535:
        return line
    text: str | None = el.text
    if text:
        return line - text.count("\n")
    if len(el):
        return line
    tail: str | None = el.tail
    if tail:
        return line - tail.count("\n")
    return line


def display(tag: str) -> str:
    """'itunes:image' for '{http://www.itunes.com/dtds/podcast-1.0.dtd}image'."""
    if tag[:1] != "{":
        return tag
    uri, _, local = tag[1:].partition("}")
    prefix = _PREFIX.get(uri)
    return f"{prefix}:{local}" if prefix else local


@dataclass
class Resources:
    """What the feed links to, for the file and network checks."""

    self_url: str | None = None
    podcast_guid: str | None = None
    artwork: list[tuple[str, int | None, str]] = field(default_factory=list)
    enclosures: list[tuple[str, int | None, str, int | None]] = field(default_factory=list)
    transcripts: list[tuple[str, str, int | None]] = field(default_factory=list)
    chapters: list[tuple[str, str, int | None]] = field(default_factory=list)
    items: list[tuple[str | None, str | None, int | None]] = field(default_factory=list)
    """(guid, enclosure url, line) per item, in feed order."""
    durations: dict[int, float] = field(default_factory=dict)
    """itunes:duration in seconds, by the index of its item's entry in `enclosures`."""


class Collector:
    """Accumulates findings; `add` is what every check calls."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def add(
        self, rule: str, message: str, el: etree._Element | None = None, line: int | None = None
    ) -> None:
        element = None
        if el is not None:
            if line is None:
                line = line_of(el)
            tag = el.tag
            element = display(tag) if isinstance(tag, str) else None
        self.findings.append(Finding(RULES[rule], message, line, element))


def is_http_url(value: str) -> bool:
    return bool(_URL.match(value))


def url_ext(url: str) -> str:
    path = url.partition("#")[0].partition("?")[0]
    last = path.rpartition("/")[2]
    return last.rpartition(".")[2].lower() if "." in last else ""


def check_image_href(el: etree._Element, c: Collector, res: Resources, where: str) -> None:
    href = el.get("href")
    if not href or not href.strip():
        text = (el.text or "").strip()
        extra = " (the URL is in the element text; Apple reads only href=)" if text else ""
        if where == "channel":
            c.add("apple.image.missing", f"<itunes:image> has no href attribute{extra}", el)
        else:
            c.add("apple.image.url", f"item <itunes:image> has no href attribute{extra}", el)
        return
    href = href.strip()
    if not is_http_url(href):
        c.add("apple.image.url", f"artwork URL {quote(href)} is not an absolute http(s) URL", el)
        return
    if not href.isascii() or " " in href:
        c.add(
            "apple.url.ascii", f"artwork URL {quote(href)} has spaces or non-ASCII characters", el
        )
    if url_ext(href) not in ("jpg", "jpeg", "png"):
        c.add(
            "apple.image.extension", f"artwork URL {quote(href)} does not end in .jpg or .png", el
        )
    res.artwork.append((href, line_of(el), where))


def check_text_value(el: etree._Element, c: Collector) -> None:
    text = el.text or ""
    if len(text) > 255:
        c.add(
            "psp1.text.length",
            f"<{display(el.tag)}> is {len(text)} characters; PSP-1 limits values to 255",
            el,
        )
    if text != text.strip():
        c.add(
            "psp1.text.whitespace",
            f"<{display(el.tag)}> {quote(text)} has leading or trailing whitespace",
            el,
        )


def check_explicit(el: etree._Element, c: Collector) -> None:
    value = (el.text or "").strip()
    if value not in ("true", "false"):
        fix = {"yes": "true", "no": "false", "clean": "false", "explicit": "true"}.get(
            value.lower()
        )
        c.add(
            "apple.explicit.value",
            f"<itunes:explicit> is {quote(value)}; write {fix or 'true or false'}",
            el,
        )


def check_flag(el: etree._Element, c: Collector) -> None:
    value = (el.text or "").strip()
    if value.lower() not in ("yes", "no"):
        c.add(
            "apple.flag.value",
            f"<{display(el.tag)}> is {quote(value)}; only 'Yes' has an effect ('No' is the "
            "default)",
            el,
        )


def check_description(el: etree._Element, c: Collector, length: bool = True) -> None:
    """Item <description> length (not content:encoded, which has no limit) and HTML."""
    text = el.text or ""
    if length and len(text) > 1000 and el.tag == "description" and len(text.encode()) > 4000:
        c.add(
            "apple.item.description.length",
            f"<{display(el.tag)}> is {len(text.encode()):,} bytes; the limit is 4000",
            el,
        )
    if "<" in text:
        if _BAD_HTML_TAG.search(text):
            bad = sorted({t.lower() for t in _HTML_TAG.findall(text)} - DESCRIPTION_HTML_TAGS)
            c.add(
                "apple.description.html",
                f"<{display(el.tag)}> uses "
                + ", ".join(f"<{quote(t, 20)[1:-1]}>" for t in bad[:8]),
                el,
            )
        if "ascript" in text.lower() and _JS_URL.search(text):
            c.add("apple.description.html", f"<{display(el.tag)}> has a javascript: link", el)
