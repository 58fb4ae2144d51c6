"""A story page's HTML -> PageDoc.

Parsed with lxml.html (no network, no DTD). The story is taken from the page's transcript or
article body (by the class names station and NPR sites use), metadata from the standard
``<meta>`` tags, ``<time datetime>`` and schema.org JSON-LD, and the station details from
JSON-LD or the page's header and footer text.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from stationcast.errors import InputError
from stationcast.transcripts._text import illegal_char_problems

from .dates import parse_date
from .pagetext import END_LINES, PageDoc, _take_bylines, is_nav, split_paragraphs
from .source import ImportSourceError
from .station import StationInfo, read_header

_DROP = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "iframe",
    "form",
    "button",
    "nav",
    "aside",
    "figure",
    "select",
    "input",
    "video",
    "canvas",
    "dialog",
)
_SKIP_CLASSES = frozenset(
    [
        "ad",
        "ads",
        "advert",
        "advertisement",
        "sponsor",
        "sponsorship",
        "share",
        "sharing",
        "social",
        "related",
        "newsletter",
        "promo",
        "recirc",
        "recirculation",
        "breadcrumbs",
        "breadcrumb",
        "tags",
        "player",
        "audio-module",
        "caption",
        "credit-caption",
    ]
)
_BLOCKS = frozenset(
    [
        "p",
        "div",
        "blockquote",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "section",
        "article",
        "header",
        "footer",
        "main",
        "table",
        "tr",
        "td",
        "th",
        "dl",
        "dt",
        "dd",
        "address",
        "hr",
        "figcaption",
    ]
)
# Containers that hold the story, most specific first (class or id tokens, lower-case).
_BODY_HINTS = (
    "transcript",
    "storytext",
    "story-text",
    "article-body",
    "articlebody",
    "body-text",
    "bodytext",
    "richtextarticlebody",
    "story-body",
    "storybody",
    "entry-content",
    "post-content",
    "article-content",
)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_AUDIO_EXT = re.compile(r"\.(?:mp3|m4a|aac|ogg|oga|opus|mp4)(?:$|[?#])", re.IGNORECASE)


def read_html_page(
    data: bytes, source: str, base_url: str | None = None, charset: str = ""
) -> PageDoc:
    encoding = charset or "utf-8"
    m = _CHARSET.search(data[:4096])
    if m and not charset:  # the HTTP header wins over the page's own declaration
        encoding = m.group(1).decode("ascii").lower()
    try:
        text = data.decode(encoding)
    except (LookupError, UnicodeDecodeError) as exc:
        raise ImportSourceError(
            source, f"cannot be decoded as {encoding}: {exc}; save the page as UTF-8"
        ) from None
    if text.startswith("\ufeff"):
        data, text = data[3:] if data.startswith(b"\xef\xbb\xbf") else data, text[1:]
    # Characters XML cannot carry end up in no feed or page: named here, like in saved text.
    problems = illegal_char_problems(text.replace("\r\n", "\n").replace("\r", "\n"), source)
    if problems:
        raise InputError(problems)
    parser = lxml.html.HTMLParser(
        encoding=encoding, no_network=True, remove_comments=True, remove_pis=True, huge_tree=False
    )
    try:
        root: Any = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, LookupError, ValueError) as exc:
        raise ImportSourceError(source, f"cannot be read as HTML: {exc}") from None
    doc = PageDoc(source)
    doc.language = (root.get("lang") or root.get("xml:lang") or "").strip()
    ld = _json_ld(root)

    doc.title = (
        _meta(root, "og:title")
        or _first_text(root, "//h1")
        or _ld_value(ld, "headline")
        or _strip_site((root.findtext(".//title") or "").strip())
    )
    doc.description = _meta(root, "og:description") or _meta(root, "description")
    for candidate in (
        _meta(root, "article:published_time"),
        _meta(root, "date"),
        _meta(root, "datePublished"),
        _ld_value(ld, "datePublished"),
        *(t.get("datetime", "") for t in root.iter("time")),
        *(_squash(t.text_content()) for t in root.iter("time")),
    ):
        found = parse_date(candidate) if candidate else None
        if found is not None and (
            doc.date is None or (doc.date.value is None and found.value is not None)
        ):
            doc.date = found
        if doc.date is not None and doc.date.value is not None:
            break
    if doc.date is None or doc.date.value is None:
        # Station CMSs print "Published March 14, 2024 at 4:20 PM EDT" in a dateline element.
        for element in root.iter():
            if not isinstance(element.tag, str) or not any(
                "date" in token or "published" in token for token in _tokens(element)
            ):
                continue
            text = _squash(element.text_content())
            found = parse_date(text) if text and len(text) <= 120 else None
            if found is not None and (doc.date is None or found.value is not None):
                doc.date = found
                if found.value is not None:
                    break
    doc.audio_url = _audio(root, ld, base_url)
    doc.bylines = [
        _squash(e.text_content())
        for e in root.xpath(
            "//*[@rel='author'"
            " or contains(concat(' ', normalize-space(@class), ' '), ' byline__name ')]"
        )
    ]
    doc.station = _station(root, ld)

    for element in list(root.iter(*_DROP)):
        _remove(element)
    # The site's header and footer are the station's, not the story's (keep the article's own
    # header, the one holding its headline).
    for element in list(root.iter("footer", "header")):
        if element.getparent() is not None and not element.findall(".//h1"):
            _remove(element)
    body = _story_container(root)
    lines = text_lines(body)
    for index, line in enumerate(lines):
        if line.casefold() in END_LINES:
            lines = lines[:index]
            break
    lines = [line for line in lines if not is_nav(line)]
    paragraphs = split_paragraphs(lines)
    if doc.title and paragraphs and paragraphs[0] == doc.title:
        paragraphs.pop(0)
    # Byline and date lines at the top of the article are not part of the story.
    while (
        paragraphs
        and len(paragraphs[0]) <= 120
        and (
            parse_date(paragraphs[0]) is not None
            or re.match(r"^(?:By|Published|Updated|Heard on)\b", paragraphs[0])
        )
    ):
        doc.meta_lines.append(paragraphs.pop(0))
    doc.paragraphs = paragraphs
    _take_bylines(doc)
    return doc


def _squash(text: str) -> str:
    return " ".join(text.split())


def _meta(root: Any, name: str) -> str:
    for element in root.iter("meta"):
        if name in (element.get("property"), element.get("name"), element.get("itemprop")):
            return _squash(element.get("content") or "")
    return ""


def _first_text(root: Any, xpath: str) -> str:
    for element in root.xpath(xpath):
        text = _squash(element.text_content())
        if text:
            return text
    return ""


def _strip_site(title: str) -> str:
    return re.split(r"\s+[|:–-]\s+(?=[^|:–-]*$)", title)[0] if title else ""


def _json_ld(root: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for script in root.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                found.append(item)
                stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
    return found


def _ld_value(ld: list[dict[str, Any]], key: str) -> str:
    for item in ld:
        value = item.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _types(item: dict[str, Any]) -> set[str]:
    kind = item.get("@type")
    return set(kind) if isinstance(kind, list) else {kind} if isinstance(kind, str) else set()


def _audio(root: Any, ld: list[dict[str, Any]], base_url: str | None) -> str:
    candidates = [_meta(root, "og:audio"), _meta(root, "og:audio:url")]
    for element in root.iter("audio", "source"):
        candidates.append(element.get("src") or "")
    for item in ld:
        if "AudioObject" in _types(item) and isinstance(item.get("contentUrl"), str):
            candidates.append(item["contentUrl"])
    for element in root.iter("a"):
        href = element.get("href") or ""
        if _AUDIO_EXT.search(href):
            candidates.append(href)
    for candidate in candidates:
        candidate = candidate.strip()
        if candidate:
            url = urljoin(base_url, candidate) if base_url else candidate
            if url.startswith(("http://", "https://")):
                return url
    return ""


def _station(root: Any, ld: list[dict[str, Any]]) -> StationInfo:
    lines: list[str] = []
    for element in root.xpath("//footer | //header"):
        lines.extend(line for line in text_lines(element) if line and not is_nav(line))
    info = read_header(lines, slogan=False) if lines else StationInfo()
    if info.name.casefold() in ("npr", "national public radio", "npr.org"):
        info = StationInfo()  # npr.org's own footer: not a member station's details
    slogan = _first_text(
        root,
        "//*[contains(concat(' ', normalize-space(@class), ' '), ' tagline ')"
        " or contains(concat(' ', normalize-space(@class), ' '), ' slogan ')]",
    )
    if slogan:
        info.slogan = slogan
    for item in ld:
        if not _types(item) & {
            "RadioStation",
            "Organization",
            "NewsMediaOrganization",
            "BroadcastService",
        }:
            continue
        address = item.get("address")
        if isinstance(address, dict) and address.get("streetAddress") and not info.street:
            info.street = str(address.get("streetAddress", "")).strip()
            info.locality = str(address.get("addressLocality", "")).strip()
            info.region = str(address.get("addressRegion", "")).strip()
            info.postal_code = str(address.get("postalCode", "")).strip()
            info.country = (
                str(address.get("addressCountry", "")).strip()
                if isinstance(address.get("addressCountry"), str)
                else ""
            )
            info.country_inferred = False
        if isinstance(item.get("name"), str) and not info.name and address:
            info.name = item["name"].strip()
        phone = item.get("telephone")
        for number in (
            [phone] if isinstance(phone, str) else phone if isinstance(phone, list) else []
        ):
            if isinstance(number, str) and number.strip() and number.strip() not in info.phones:
                info.phones.append(number.strip())
        if isinstance(item.get("slogan"), str) and not info.slogan:
            info.slogan = item["slogan"].strip()
        if (
            isinstance(item.get("url"), str)
            and item["url"].startswith(("http://", "https://"))
            and not info.website
        ):
            info.website = item["url"].strip()
    return info


def _remove(element: Any) -> None:
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail and tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _tokens(element: Any) -> set[str]:
    return set(f"{element.get('class', '')} {element.get('id', '')}".lower().split())


def _story_container(root: Any) -> Any:
    for hint in _BODY_HINTS:
        for element in root.iter():  # document order: the outermost match comes first
            if not isinstance(element.tag, str) or element.find(".//p") is None:
                continue
            tokens = {token.replace("_", "-") for token in _tokens(element)}
            if any(
                token == hint or token.startswith(hint + "-") or token.endswith("-" + hint)
                for token in tokens
            ):
                return element
    for tag in ("article", "main", "body"):
        found = root.find(f".//{tag}")
        if found is not None:
            return found
    return root


def text_lines(element: Any) -> list[str]:
    """The element's text, one line per line break, blank lines between blocks."""
    out: list[str] = []
    current: list[str] = []

    def flush(blank: bool) -> None:
        if current:
            out.append("".join(current))
            current.clear()
        if blank and out and out[-1] != "":
            out.append("")

    def walk(node: Any) -> None:
        if not isinstance(node.tag, str):
            return
        tag = node.tag.lower()
        if (
            tag in _DROP
            or _tokens(node) & _SKIP_CLASSES
            or node.get("hidden") is not None
            or node.get("aria-hidden") == "true"
        ):
            return
        block = tag in _BLOCKS
        if block:
            flush(True)
        if tag == "br":
            if current:
                flush(False)
            elif out and out[-1] != "":
                out.append("")  # a second <br> in a row ends the paragraph
        if node.text:
            current.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                current.append(child.tail)
        if block:
            flush(True)

    walk(element)
    flush(False)
    return [" ".join(line.split()) for line in out]
