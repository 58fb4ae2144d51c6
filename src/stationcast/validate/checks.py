"""Offline rules: RSS 2.0, Apple, PSP-1 and Podcasting 2.0, in one pass over the tree.

Per-item work is kept small (a 10,000-item feed must validate in well under a second): each
item's children are visited once and dispatched on their tag string; anything that needs the
network or the disk is only collected here (see `Resources`) and checked in resources.py.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from lxml import etree

from stationcast.spec import apple, namespaces, rss
from stationcast.spec.namespaces import ATOM as NS_ATOM
from stationcast.spec.namespaces import CONTENT as NS_CONTENT
from stationcast.spec.namespaces import ITUNES as NS_ITUNES
from stationcast.spec.namespaces import PODCAST as NS_PODCAST
from stationcast.spec.namespaces import PODCAST_GITHUB as NS_PODCAST_ALT
from stationcast.spec.podcast import TAGS

from .data import DESCRIPTION_HTML_TAGS, LOOSE_NAMESPACES, normalise_ns
from .podcast_ns import check_podcast_element, podcast_guid_for, podcast_local
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

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_ZONES = {
    "UT": 0,
    "GMT": 0,
    "Z": 0,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
}
_RFC2822 = re.compile(
    r"(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d{1,2}) "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) "
    r"(\d{2}):(\d{2})(?::(\d{2}))? ([+-]\d{4}|UT|GMT|Z|[ECMP][SD]T)"
)
_DURATION = re.compile(r"\d+(?:\.\d+)?|\d+:[0-5]\d(?::[0-5]\d)?")
_HTML_TAG = re.compile(r"<\s*/?\s*([A-Za-z][A-Za-z0-9]*)")
_BAD_HTML_TAG = re.compile(
    r"<\s*/?\s*(?!(?:"
    + "|".join(sorted(DESCRIPTION_HTML_TAGS, key=len, reverse=True))
    + r")(?![A-Za-z0-9]))[A-Za-z]",
    re.I,
)
_JS_URL = re.compile(r"""href\s*=\s*["']?\s*(?:j|&#x?0*(?:106|6a);?)\s*a\s*v\s*a\s*s""", re.I)
_TITLE_NUMBER = re.compile(
    r"\b(?:episode|ep\.?|season|folge|épisode)\s*#?\s*\d+\b|\bS\d{1,2}\s*E\d{1,3}\b|(?:^|\s)#\d+\b",
    re.I,
)
_COPYRIGHT = re.compile(r"copyright|©|\(c\)|\b(?:19|20)\d{2}\b", re.I)
_URL = re.compile(r"https?://[^\s/?#]+", re.I)
_TZ_CACHE: dict[str, timezone] = {}


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


def _is_http_url(value: str) -> bool:
    return bool(_URL.match(value))


def _url_ext(url: str) -> str:
    path = url.partition("#")[0].partition("?")[0]
    last = path.rpartition("/")[2]
    return last.rpartition(".")[2].lower() if "." in last else ""


def _zone(zone: str) -> timezone:
    tz = _TZ_CACHE.get(zone)
    if tz is None:
        if zone in _ZONES:
            offset = timedelta(hours=_ZONES[zone])
        else:
            sign = -1 if zone[0] == "-" else 1
            offset = sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5]))
        tz = timezone(offset)  # ValueError for offsets of a day or more
        if len(_TZ_CACHE) < 1000:
            _TZ_CACHE[zone] = tz
    return tz


def check_date(text: str | None, el: etree._Element, c: Collector, now: datetime | None) -> None:
    """RFC 2822 with a zone; weekday, if given, must match; not in the future at `now` (Apple's
    rule, stationcast.spec.apple.in_the_future) if given."""
    value = (text or "").strip()
    m = _RFC2822.fullmatch(value)
    if m is None:
        c.add(
            "rss.date.format",
            f"{quote(value)} is not an RFC 2822 date like 'Tue, 22 Sep 2015 17:35:00 -0400'",
            el,
        )
        return
    dow, day, mon, year, hh, mm, ss, zone = m.groups()
    try:
        when = datetime(
            int(year),
            _MONTHS[mon],
            int(day),
            int(hh),
            int(mm),
            int(ss or 0),
            tzinfo=_zone(zone),
        )
    except ValueError as e:
        c.add("rss.date.format", f"{quote(value)} is not a real date/time ({e})", el)
        return
    if dow and _DAYS[when.weekday()] != dow:
        c.add(
            "rss.date.format",
            f"{quote(value)}: that date is a {_DAYS[when.weekday()]}, not a {dow}",
            el,
        )
    if now is not None and apple.in_the_future(when, now):
        c.add("rss.date.future", f"pubDate {quote(value)} is in the future", el)


def _check_namespaces(root: etree._Element, channel: etree._Element, c: Collector) -> set[str]:
    declared: dict[str | None, str] = dict(root.nsmap)
    declared.update(channel.nsmap)
    uris = set(declared.values())
    for prefix, uri in declared.items():
        canonical = LOOSE_NAMESPACES.get(normalise_ns(uri))
        if canonical is not None and canonical != uri:
            c.add(
                "rss.namespace",
                f"xmlns:{prefix or ''}={quote(uri)} should be {quote(canonical)}",
                root,
            )
        elif (
            canonical is None
            and prefix is not None
            and prefix in namespaces.KNOWN
            and uri != namespaces.KNOWN[prefix]
            and not (prefix == "podcast" and uri == NS_PODCAST_ALT)
        ):
            c.add(
                "rss.namespace",
                f"xmlns:{prefix}={quote(uri)} is not the {prefix} "
                f"namespace {quote(namespaces.KNOWN[prefix])}",
                root,
            )
    missing = [
        p
        for p, uri in (("itunes", NS_ITUNES), ("podcast", NS_PODCAST), ("atom", NS_ATOM))
        if uri not in uris and not (p == "podcast" and NS_PODCAST_ALT in uris)
    ]
    if missing:
        c.add("psp1.namespace", "namespace(s) not declared: " + ", ".join(missing), root)
    return uris


def _check_image_href(el: etree._Element, c: Collector, res: Resources, where: str) -> None:
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
    if not _is_http_url(href):
        c.add("apple.image.url", f"artwork URL {quote(href)} is not an absolute http(s) URL", el)
        return
    if not href.isascii() or " " in href:
        c.add(
            "apple.url.ascii", f"artwork URL {quote(href)} has spaces or non-ASCII characters", el
        )
    if _url_ext(href) not in ("jpg", "jpeg", "png"):
        c.add(
            "apple.image.extension", f"artwork URL {quote(href)} does not end in .jpg or .png", el
        )
    res.artwork.append((href, line_of(el), where))


def _check_categories(cats: list[etree._Element], c: Collector) -> None:
    categories = apple.apple_categories()
    lower_top = {k.lower(): k for k in categories}
    sub_parent = {s: p for p, subs in categories.items() for s in subs}
    lower_sub = {s.lower(): s for s in sub_parent}
    for cat in cats:
        text = cat.get("text")
        if text is None:
            c.add("apple.category.invalid", "<itunes:category> has no text attribute", cat)
            continue
        if text not in categories:
            if text in sub_parent:
                c.add(
                    "apple.category.nesting",
                    f"{quote(text)} is a subcategory of "
                    f"{quote(sub_parent[text])}; nest it inside that category",
                    cat,
                )
            else:
                guess = lower_top.get(text.lower()) or lower_sub.get(text.lower())
                hint = f" (did you mean {quote(guess)}?)" if guess else ""
                c.add(
                    "apple.category.invalid", f"{quote(text)} is not an Apple category{hint}", cat
                )
            continue
        for sub in cat:
            if sub.tag != T_CATEGORY:
                continue
            stext = sub.get("text") or ""
            if stext not in categories[text]:
                if stext in sub_parent or stext in categories:
                    where = sub_parent.get(stext)
                    c.add(
                        "apple.category.nesting",
                        f"{quote(stext)} is not a subcategory of "
                        f"{quote(text)}" + (f" but of {quote(where)}" if where else ""),
                        sub,
                    )
                else:
                    guess = lower_sub.get(stext.lower())
                    hint = f" (did you mean {quote(guess)}?)" if guess else ""
                    c.add(
                        "apple.category.invalid",
                        f"{quote(stext)} is not an Apple subcategory of {quote(text)}{hint}",
                        sub,
                    )
            if any(x.tag == T_CATEGORY for x in sub):
                c.add("apple.category.nesting", "categories nest more than two levels deep", sub)


def check_tree(
    root: etree._Element,
    channel: etree._Element,
    c: Collector,
    *,
    fetched_from: list[str] | None = None,
    now: datetime | None = None,
) -> tuple[Resources, int]:
    """Run every offline rule. Returns the linked resources and the number of items."""
    res = Resources()
    _check_namespaces(root, channel, c)

    ch: dict[str, list[etree._Element]] = {}
    items: list[etree._Element] = []
    persons_channel: list[etree._Element] = []
    podcast_seen: dict[str, int] = {}
    for el in channel:
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if tag == "item":
            items.append(el)
            continue
        local = podcast_local(tag)
        if local is not None:
            podcast_seen[local] = podcast_seen.get(local, 0) + 1
            spec = TAGS.get(local)
            if spec is not None and spec.single and podcast_seen[local] == 2:
                c.add("podcast.count", f"<podcast:{local}> appears more than once in <channel>", el)
            check_podcast_element(el, local, "channel", c.add)
            if local == "person":
                persons_channel.append(el)
            elif local == "guid" and res.podcast_guid is None:
                res.podcast_guid = (el.text or "").strip()
            continue
        ch.setdefault(tag, []).append(el)

    def first(tag: str) -> etree._Element | None:
        found = ch.get(tag)
        return found[0] if found else None

    def text_of(tag: str) -> str:
        el = first(tag)
        return (el.text or "").strip() if el is not None else ""

    # Title, link, description, language.
    title_el = first("title")
    show_title = text_of("title")
    if not show_title:
        c.add(
            "rss.channel.title",
            "the channel has no <title>" if title_el is None else "the channel <title> is empty",
            title_el if title_el is not None else channel,
        )
    else:
        _check_text_value(title_el, c)
    link_el = first("link")
    link = text_of("link")
    if not link or not _is_http_url(link):
        c.add(
            "rss.channel.link",
            "the channel has no <link>"
            if not link
            else f"channel <link> {quote(link)} is not an absolute http(s) URL",
            link_el if link_el is not None else channel,
        )
    desc_el = first("description")
    desc = desc_el.text if desc_el is not None else None
    if not desc or not desc.strip():
        c.add(
            "rss.channel.description",
            "the channel has no <description>",
            desc_el if desc_el is not None else channel,
        )
    elif len(desc) > 1000 and len(desc.encode()) > 4000:
        c.add(
            "apple.description.length",
            f"the channel description is {len(desc.encode()):,} bytes; the limit is 4000",
            desc_el,
        )
    if desc_el is not None and desc:
        _check_description(desc_el, c, length=False)
    lang_el = first("language")
    lang = text_of("language")
    if not lang:
        c.add(
            "rss.channel.language",
            "the channel has no <language>",
            lang_el if lang_el is not None else channel,
        )
    else:
        if rss.LANGUAGE_TAG.fullmatch(lang) is None or rss.unknown_language(lang):
            fix = f" (write {quote(lang.replace('_', '-').lower())})" if "_" in lang else ""
            c.add(
                "rss.language.code", f"{quote(lang)} is not an ISO 639 language code{fix}", lang_el
            )

    # Artwork, categories, explicit.
    images = ch.get(T_IMAGE, [])
    if not images:
        c.add("apple.image.missing", "the channel has no <itunes:image>", channel)
    else:
        _check_image_href(images[0], c, res, "channel")
    cats = ch.get(T_CATEGORY, [])
    if not cats:
        c.add("apple.category.missing", "the channel has no <itunes:category>", channel)
    else:
        _check_categories(cats, c)
    explicit = first(T_EXPLICIT)
    if explicit is None:
        c.add("apple.explicit.missing", "the channel has no <itunes:explicit>", channel)
    else:
        _check_explicit(explicit, c)

    # atom:link rel=self.
    self_el = next((x for x in ch.get(T_ATOM_LINK, []) if x.get("rel") == "self"), None)
    if self_el is None or not (self_el.get("href") or "").strip():
        c.add(
            "psp1.self.missing",
            'the channel has no <atom:link rel="self" href=…>',
            self_el if self_el is not None else channel,
        )
    else:
        res.self_url = (self_el.get("href") or "").strip()
        if fetched_from and res.self_url not in fetched_from:
            c.add(
                "psp1.self.mismatch",
                f"self link {quote(res.self_url)} differs from the fetched "
                f"URL {quote(fetched_from[0])}",
                self_el,
            )

    # Recommended and informational channel tags.
    if not text_of(I + "author"):
        c.add("psp1.author.missing", "the channel has no <itunes:author>", channel)
    if "locked" not in podcast_seen:
        c.add("psp1.locked.missing", "the channel has no <podcast:locked>", channel)
    expected_guid = podcast_guid_for(res.self_url) if res.self_url else None
    if "guid" not in podcast_seen:
        c.add("psp1.guid.missing", "the channel has no <podcast:guid>", channel)
    elif (
        res.podcast_guid
        and expected_guid
        and _is_uuid5(res.podcast_guid)
        and res.podcast_guid.lower() != expected_guid
    ):
        c.add(
            "podcast.guid.url",
            f"<podcast:guid> is not the UUIDv5 of {quote(res.self_url)} ({expected_guid})",
            first_podcast(channel, "guid"),
        )
    copyright_el = first("copyright")
    if copyright_el is not None and _COPYRIGHT.search(copyright_el.text or ""):
        c.add(
            "psp1.copyright",
            f"<copyright> {quote(copyright_el.text)} contains 'Copyright', © or a year",
            copyright_el,
        )
    owner = first(I + "owner")
    if owner is not None:
        c.add("apple.owner", "<itunes:owner> is present; Apple no longer uses it", owner)
    type_el = first(I + "type")
    show_type = (type_el.text or "").strip() if type_el is not None else "episodic"
    if type_el is not None and show_type not in ("episodic", "serial"):
        c.add("apple.type.value", f"<itunes:type> is {quote(show_type)}", type_el)
    for tag in (I + "block", I + "complete"):
        for el in ch.get(tag, []):
            _check_flag(el, c)
    nfu = first(I + "new-feed-url")
    if nfu is not None and not _is_http_url((nfu.text or "").strip()):
        c.add("apple.new-feed-url", f"<itunes:new-feed-url> {quote(nfu.text)} is not a URL", nfu)
    for tag in ("pubDate", "lastBuildDate"):
        el = first(tag)
        if el is not None:
            check_date(el.text, el, c, None)
    for tag in (I + "author", "copyright", T_TITLE):
        el = first(tag)
        if el is not None:
            _check_text_value(el, c)

    _check_items(
        items,
        c,
        res,
        show_title=show_title,
        serial=show_type == "serial",
        channel_persons=persons_channel,
        now=now,
    )
    return res, len(items)


def _is_uuid5(value: str) -> bool:
    try:
        return uuid.UUID(value).version == 5 and len(value) == 36
    except ValueError:
        return False


def first_podcast(parent: etree._Element, local: str) -> etree._Element | None:
    for el in parent:
        if isinstance(el.tag, str) and podcast_local(el.tag) == local:
            return el
    return None


def _check_text_value(el: etree._Element, c: Collector) -> None:
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


def _check_explicit(el: etree._Element, c: Collector) -> None:
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


def _check_flag(el: etree._Element, c: Collector) -> None:
    value = (el.text or "").strip()
    if value.lower() != "yes":
        c.add(
            "apple.flag.value",
            f"<{display(el.tag)}> is {quote(value)}; only 'Yes' has an effect",
            el,
        )


def _check_description(el: etree._Element, c: Collector, length: bool = True) -> None:
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


def _check_items(
    items: list[etree._Element],
    c: Collector,
    res: Resources,
    *,
    show_title: str,
    serial: bool,
    channel_persons: list[etree._Element],
    now: datetime | None,
) -> None:
    add = c.add
    guids: dict[str, int | None] = {}
    enclosures: dict[str, int | None] = {}
    show_lower = show_title.lower() if len(show_title) >= 5 else None
    channel_hosts = any(
        (p.get("role") or "host").strip().lower() == "host" for p in channel_persons
    )
    hms_durations = 0
    hms_first: int | None = None
    no_pubdate = 0
    no_pubdate_first: int | None = None
    for item in items:
        title = guid = enc = None
        pub = duration = episode = None
        episode_type = "full"
        n_enclosures = 0
        persons: list[etree._Element] | None = None
        podcast_seen: dict[str, int] | None = None
        for el in item:
            tag = el.tag
            if tag == "title":
                title = el
            elif tag == "enclosure":
                n_enclosures += 1
                if enc is None:
                    enc = el
            elif tag == "guid":
                guid = el
            elif tag == "pubDate":
                pub = el
            elif tag == "description" or tag == T_CONTENT:
                if el.text:
                    _check_description(el, c)
            elif tag == T_DURATION:
                duration = el
            elif tag == T_EPISODE:
                episode = el
                v = (el.text or "").strip()
                if not v.isdigit() or int(v) == 0:
                    add("apple.episode.value", f"<itunes:episode> is {quote(v)}", el)
            elif tag == T_SEASON:
                v = (el.text or "").strip()
                if not v.isdigit() or int(v) == 0:
                    add("apple.season.value", f"<itunes:season> is {quote(v)}", el)
            elif tag == T_EPISODE_TYPE:
                episode_type = (el.text or "").strip()
                if episode_type not in ("full", "trailer", "bonus"):
                    add(
                        "apple.episodetype.value",
                        f"<itunes:episodeType> is {quote(episode_type)}",
                        el,
                    )
            elif tag == T_EXPLICIT:
                _check_explicit(el, c)
            elif tag == T_IMAGE:
                _check_image_href(el, c, res, "item")
            elif tag == T_BLOCK:
                _check_flag(el, c)
            elif tag == T_TITLE:
                _check_text_value(el, c)
            elif isinstance(tag, str) and tag[:1] == "{":
                local = podcast_local(tag)
                if local is None:
                    continue
                if podcast_seen is None:
                    podcast_seen = {}
                podcast_seen[local] = podcast_seen.get(local, 0) + 1
                spec = TAGS.get(local)
                if spec is not None and spec.single and podcast_seen[local] == 2:
                    add("podcast.count", f"<podcast:{local}> appears more than once in <item>", el)
                check_podcast_element(el, local, "item", add)
                if local == "transcript":
                    url = el.get("url")
                    if url:
                        res.transcripts.append(
                            (url.strip(), (el.get("type") or "").strip().lower(), line_of(el))
                        )
                elif local == "chapters":
                    url = el.get("url")
                    if url:
                        res.chapters.append(
                            (url.strip(), (el.get("type") or "").strip().lower(), line_of(el))
                        )
                elif local == "person":
                    if persons is None:
                        persons = []
                    persons.append(el)

        line = line_of(item)
        # Title.
        title_text = (title.text or "").strip() if title is not None else ""
        if not title_text:
            add(
                "rss.item.title",
                "an item has no <title>" if title is None else "an item's <title> is empty",
                title if title is not None else item,
            )
        elif title is not None:
            t = title.text or ""
            if len(t) > 255 or t != title_text:
                _check_text_value(title, c)
            if _TITLE_NUMBER.search(title_text):
                add(
                    "apple.title.numbers",
                    f"title {quote(title_text)} contains an episode or season number",
                    title,
                )
            if show_lower and show_lower in title_text.lower():
                add(
                    "apple.title.show-name",
                    f"title {quote(title_text)} repeats the show name",
                    title,
                )
        # GUID.
        guid_text = None
        if guid is None or not (guid.text or "").strip():
            add(
                "rss.item.guid",
                f"item {quote(title_text)} has no <guid>"
                if guid is None
                else f"item {quote(title_text)} has an empty <guid>",
                guid if guid is not None else item,
            )
        else:
            raw = guid.text or ""
            guid_text = raw.strip()
            if raw != guid_text:
                add(
                    "psp1.text.whitespace",
                    f"<guid> {quote(raw)} has leading or trailing whitespace",
                    guid,
                )
            first_line = guids.get(guid_text, -1)
            if first_line != -1:
                add(
                    "rss.guid.duplicate",
                    f"GUID {quote(guid_text)} is also used by the item at line {first_line}",
                    guid,
                )
            else:
                guids[guid_text] = line_of(guid)
            if guid.get("isPermaLink", "true") == "true" and not _is_http_url(guid_text):
                add(
                    "rss.guid.permalink",
                    f'GUID {quote(guid_text)} is not a URL; add isPermaLink="false"',
                    guid,
                )
        # Enclosure.
        enc_url = None
        if enc is None:
            add("rss.item.enclosure", f"item {quote(title_text)} has no <enclosure>", item)
        else:
            if n_enclosures > 1:
                add(
                    "rss.enclosure.multiple",
                    f"item {quote(title_text)} has {n_enclosures} enclosures",
                    enc,
                )
            enc_url = _check_enclosure(enc, c, res, enclosures)
        res.items.append((guid_text, enc_url, line))
        # Dates and durations.
        if pub is None:
            no_pubdate += 1
            if no_pubdate_first is None:
                no_pubdate_first = line
        else:
            check_date(pub.text, pub, c, now)
        if duration is not None:
            v = (duration.text or "").strip()
            if not _DURATION.fullmatch(v):
                add("apple.duration.format", f"<itunes:duration> is {quote(v)}", duration)
            elif ":" in v:
                hms_durations += 1
                if hms_first is None:
                    hms_first = line_of(duration)
        if serial and episode is None and episode_type == "full":
            add(
                "apple.type.serial",
                f"serial show: item {quote(title_text)} has no <itunes:episode>",
                item,
            )
        if (
            persons
            and channel_hosts
            and not any((p.get("role") or "host").strip().lower() == "host" for p in persons)
        ):
            add(
                "podcast.person.host",
                f"item {quote(title_text)} lists people but no host; "
                "item persons replace the channel's",
                persons[0],
            )

    if no_pubdate:
        c.add(
            "psp1.pubdate.missing", f"{no_pubdate} item(s) have no <pubDate>", line=no_pubdate_first
        )
    if hms_durations:
        c.add(
            "psp1.duration.seconds",
            f"{hms_durations} item(s) give <itunes:duration> as HH:MM:SS rather than seconds",
            line=hms_first,
        )


def _check_enclosure(
    enc: etree._Element, c: Collector, res: Resources, seen: dict[str, int | None]
) -> str | None:
    add = c.add
    attrib = dict(enc.items())
    url = (attrib.get("url") or "").strip()
    length_s = attrib.get("length")
    type_ = (attrib.get("type") or "").strip()
    if not (url and length_s and type_):
        missing = [a for a, v in (("url", url), ("length", length_s), ("type", type_)) if not v]
        add("rss.enclosure.attributes", "<enclosure> has no " + ", ".join(missing), enc)
    length: int | None = None
    if length_s is not None:
        s = length_s.strip()
        if s.isdigit():
            length = int(s)
            if length == 0:
                add("rss.enclosure.length-zero", "<enclosure length> is 0", enc)
        else:
            add(
                "rss.enclosure.length",
                f"<enclosure length> is {quote(length_s)}, not a byte count",
                enc,
            )
    if type_:
        t = type_.lower()
        canonical = apple.enclosure_type(t)
        if canonical is None:
            add(
                "apple.enclosure.type",
                f"enclosure type {quote(type_)} is not supported by Apple",
                enc,
            )
        elif canonical != t:
            add(
                "apple.enclosure.type-alias",
                f"enclosure type {quote(type_)}: write {canonical}",
                enc,
            )
    else:
        canonical = None
    if not url:
        return None
    if not _is_http_url(url):
        add("rss.enclosure.url", f"enclosure URL {quote(url)} is not an absolute http(s) URL", enc)
        return url
    if not url.isascii() or " " in url:
        add(
            "apple.url.ascii", f"enclosure URL {quote(url)} has spaces or non-ASCII characters", enc
        )
    ext = _url_ext(url)
    if ext not in apple.ENCLOSURE_EXTENSIONS:
        add(
            "apple.enclosure.extension",
            f"enclosure URL {quote(url)} does not end in a "
            "supported extension (.mp3 .m4a .mp4 .m4v .mov .pdf)",
            enc,
        )
    elif canonical is not None and ext not in apple.ENCLOSURE_TYPES[canonical]:
        add(
            "apple.enclosure.extension",
            f"enclosure URL ends in .{ext} but the type is {type_}",
            enc,
        )
    line = line_of(enc)
    first = seen.get(url, -1)
    if first != -1:
        add(
            "apple.enclosure.duplicate",
            f"enclosure URL {quote(url)} is also used at line {first}",
            enc,
        )
    else:
        seen[url] = line
    res.enclosures.append((url, length, type_.lower(), line))
    return url
