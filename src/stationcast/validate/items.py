"""The rules on items: title, GUID, enclosure, dates, durations, numbers, persons, and the
podcast: tags of each item, in one pass over each item's children.
"""

from __future__ import annotations

import re
from datetime import datetime

from lxml import etree

from stationcast.spec import analytics, apple, rss
from stationcast.spec.namespaces import ITUNES as NS_ITUNES
from stationcast.spec.podcast import TAGS

from .dates import check_date
from .elements import (
    T_BLOCK,
    T_CONTENT,
    T_DURATION,
    T_EPISODE,
    T_EPISODE_TYPE,
    T_EXPLICIT,
    T_IMAGE,
    T_SEASON,
    T_TITLE,
    Collector,
    Resources,
    check_description,
    check_explicit,
    check_flag,
    check_image_href,
    check_text_value,
    is_http_url,
    line_of,
    url_ext,
)
from .podcast_ns import check_podcast_element, podcast_local
from .structure import check_children
from .text import quote
from .values import check_email, check_itunes_length, check_plain_text, check_show_notes, check_url

_I = f"{{{NS_ITUNES}}}"
_ITUNES_TEXTS = {_I + local: local for local in apple.ITUNES_TEXT_LIMITS}
_PLAIN_ITUNES = frozenset({_I + "subtitle", _I + "keywords", _I + "author"})
#: An enclosure larger than this is surely a mistake (hours of 4K video are a few GB).
ABSURD_LENGTH = 20 * 1000**3
#: Audio or video smaller than this cannot hold an episode (a length in kilobytes?).
TINY_MEDIA = 1000
_DURATION = re.compile(r"\d+(?:\.\d+)?|\d+:[0-5]\d(?::[0-5]\d)?")
_TITLE_NUMBER = re.compile(
    r"\b(?:episode|ep\.?|season|folge|épisode)\s*#?\s*\d+\b|\bS\d{1,2}\s*E\d{1,3}\b|(?:^|\s)#\d+\b",
    re.I,
)


def check_items(
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
        check_children(item, "item", c)
        for el in item:
            tag = el.tag
            if tag == "title":
                title = el
                check_plain_text(el, c)
            elif tag == "link" or tag == "comments":
                check_url(el.text, el, c, f"item <{tag}>")
            elif tag == "author":
                check_email(el.text, el, c, "author")
                check_plain_text(el, c)
            elif tag == "category":
                check_plain_text(el, c)
            elif tag == "source":
                check_url(el.get("url"), el, c, "<source url>")
                check_plain_text(el, c)
            elif tag in _ITUNES_TEXTS:
                check_itunes_length(el, _ITUNES_TEXTS[tag], c)
                if tag in _PLAIN_ITUNES:
                    check_plain_text(el, c)
            elif tag in _PLAIN_ITUNES:
                check_plain_text(el, c)
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
                    check_description(el, c)
                    if tag == T_CONTENT:
                        check_show_notes(el, c)
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
                check_explicit(el, c)
            elif tag == T_IMAGE:
                check_image_href(el, c, res, "item")
            elif tag == T_BLOCK:
                check_flag(el, c)
                if (el.text or "").strip().lower() == "yes":
                    add("apple.hidden", "<itunes:block>Yes hides this episode", el)
            elif tag == T_TITLE:
                check_text_value(el, c)
                check_plain_text(el, c)
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
                check_text_value(title, c)
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
            permalink = guid.get("isPermaLink", "true")
            if permalink not in rss.PERMALINK_VALUES:
                add(
                    "rss.guid.ispermalink",
                    f"<guid isPermaLink={quote(permalink)}>: write true or false",
                    guid,
                )
            elif permalink == "true" and not is_http_url(guid_text):
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
            listed = len(res.enclosures)
            enc_url = _check_enclosure(enc, c, res, enclosures)
            if duration is not None and len(res.enclosures) > listed:
                seconds = _seconds((duration.text or "").strip())
                if seconds is not None:
                    res.durations[listed] = seconds
        res.items.append((guid_text, enc_url, line))
        # Dates and durations.
        if pub is None or not (pub.text or "").strip():
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


def _seconds(value: str) -> float | None:
    """An itunes:duration Apple accepts ("223", "3:43", "0:03:43"), in seconds."""
    if not _DURATION.fullmatch(value):
        return None
    total = 0.0
    for part in value.split(":"):
        total = total * 60 + float(part)
    return total


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
            elif length > ABSURD_LENGTH or (
                length < TINY_MEDIA and type_.lower().startswith(("audio/", "video/"))
            ):
                add(
                    "rss.enclosure.length-absurd",
                    f"<enclosure length> is {length:,} bytes; is that the file's size?",
                    enc,
                )
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
    if not is_http_url(url):
        add("rss.enclosure.url", f"enclosure URL {quote(url)} is not an absolute http(s) URL", enc)
        return url
    if not url.isascii() or " " in url:
        add(
            "apple.url.ascii", f"enclosure URL {quote(url)} has spaces or non-ASCII characters", enc
        )
    ext = url_ext(url)
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
    media = _check_prefixes(url, enc, c)
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
    # the file itself is behind any prefix analytics services (its size and type are checked)
    res.enclosures.append((media, length, type_.lower(), line))
    return url


def _check_prefixes(url: str, enc: etree._Element, c: Collector) -> str:
    """The media URL behind the known prefix analytics services at the start of `url`
    (stationcast.spec.analytics), reporting a chain that leads to no media URL."""
    media, services = analytics.strip_prefixes(url)
    if not services:
        return url
    add = c.add
    rest = url
    while (found := analytics.known_service(rest)) is not None:
        service, after = found
        if re.match(r"https?://", after, re.I):
            if not service.scheme_allowed:
                add(
                    "analytics.prefix.scheme",
                    f"enclosure URL {quote(url)}: the URL after the {service.name} prefix keeps"
                    f" its scheme; {service.name} expects it without (like {service.example}"
                    "media.example.org/ep1.mp3)",
                    enc,
                )
            rest = after
        else:
            rest = "https://" + after
    host, slash, path = analytics.without_scheme(media).partition("/")
    if "." not in host or not slash or not url_ext(media):
        names = " and ".join(s.name for s in services)
        add(
            "analytics.prefix.target",
            f"enclosure URL {quote(url)}: after the {names} prefix"
            f"{'es' if len(services) > 1 else ''} comes {quote(media.removeprefix('https://'))},"
            " not a media URL (a host, then a path ending in the file's extension)",
            enc,
        )
    return media
