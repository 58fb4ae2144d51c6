"""Offline rules: RSS 2.0, Apple, PSP-1 and Podcasting 2.0, in one pass over the tree.

Per-item work is kept small (a 10,000-item feed must validate in well under a second): each
item's children are visited once and dispatched on their tag string; anything that needs the
network or the disk is only collected here (see `Resources`) and checked in resources.py.
This module checks the document and its channel; items.py checks each item, and elements.py
holds what both use.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime

from lxml import etree

from stationcast.spec import apple, namespaces, rss
from stationcast.spec.namespaces import ATOM as NS_ATOM
from stationcast.spec.namespaces import ITUNES as NS_ITUNES
from stationcast.spec.namespaces import PODCAST as NS_PODCAST
from stationcast.spec.namespaces import PODCAST_GITHUB as NS_PODCAST_ALT
from stationcast.spec.podcast import TAGS

from .data import LOOSE_NAMESPACES, normalise_ns
from .dates import check_date
from .elements import (
    T_ATOM_LINK,
    T_CATEGORY,
    T_EXPLICIT,
    T_IMAGE,
    T_TITLE,
    Collector,
    I,
    Resources,
    check_description,
    check_explicit,
    check_flag,
    check_image_href,
    check_text_value,
    is_http_url,
)
from .items import check_items
from .podcast_ns import check_podcast_element, podcast_guid_for, podcast_local
from .rss_parts import check_channel_parts
from .structure import check_children
from .text import quote
from .values import (
    check_characters,
    check_email,
    check_itunes_length,
    check_plain_text,
    check_url,
)

__all__ = ["Collector", "Resources", "check_tree", "first_podcast"]

_COPYRIGHT = re.compile(r"copyright|©|\(c\)|\b(?:19|20)\d{2}\b", re.I)


def _check_namespaces(
    root: etree._Element, channel: etree._Element, c: Collector, *, publisher: bool = False
) -> set[str]:
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
        if uri not in uris
        and not (p == "podcast" and NS_PODCAST_ALT in uris)
        and not (p == "itunes" and publisher)  # a publisher feed is no show for Apple
    ]
    if missing:
        c.add("psp1.namespace", "namespace(s) not declared: " + ", ".join(missing), root)
    return uris


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
    # A publisher feed (podcast:medium publisher, publishers/publishers.md) lists a
    # publisher's shows: no episodes, and nothing podcast directories ask of a show.
    publisher = any(
        podcast_local(el.tag) == "medium" and (el.text or "").strip() == "publisher"
        for el in channel
        if isinstance(el.tag, str)
    )
    _check_namespaces(root, channel, c, publisher=publisher)

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

    check_children(channel, "channel", c)
    check_channel_parts(ch, c)

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
        check_text_value(title_el, c)
    link_el = first("link")
    link = text_of("link")
    if not link or not is_http_url(link):
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
            "the channel has no <description>"
            if desc_el is None
            else "the channel <description> is empty",
            desc_el if desc_el is not None else channel,
        )
    elif len(desc) > 1000 and len(desc.encode()) > 4000:
        c.add(
            "apple.description.length",
            f"the channel description is {len(desc.encode()):,} bytes; the limit is 4000",
            desc_el,
        )
    if desc_el is not None and desc:
        check_description(desc_el, c, length=False)
    lang_el = first("language")
    lang = text_of("language")
    if not lang:
        c.add(
            "rss.channel.language",
            "the channel has no <language>"
            if lang_el is None
            else "the channel <language> is empty",
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
    if publisher:
        if "remoteItem" not in podcast_seen:
            c.add(
                "podcast.publisher.feeds",
                "the publisher feed lists no feed (no <podcast:remoteItem> in <channel>)",
                channel,
            )
    elif not images:
        c.add("apple.image.missing", "the channel has no <itunes:image>", channel)
    else:
        check_image_href(images[0], c, res, "channel")
    cats = ch.get(T_CATEGORY, [])
    if publisher and not cats:
        pass
    elif not cats:
        c.add("apple.category.missing", "the channel has no <itunes:category>", channel)
    else:
        _check_categories(cats, c)
    explicit = first(T_EXPLICIT)
    if explicit is None and publisher:
        pass
    elif explicit is None:
        c.add("apple.explicit.missing", "the channel has no <itunes:explicit>", channel)
    else:
        check_explicit(explicit, c)

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
        check_url(res.self_url, self_el, c, '<atom:link rel="self"> href')
        if fetched_from and res.self_url not in fetched_from:
            c.add(
                "psp1.self.mismatch",
                f"self link {quote(res.self_url)} differs from the fetched "
                f"URL {quote(fetched_from[0])}",
                self_el,
            )

    # Recommended and informational channel tags.
    if not text_of(I + "author") and not publisher:
        c.add("psp1.author.missing", "the channel has no <itunes:author>", channel)
    if "locked" not in podcast_seen and not publisher:
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
            check_flag(el, c)
            if (el.text or "").strip().lower() == "yes":
                what = (
                    "hides the show from Apple Podcasts"
                    if tag == I + "block"
                    else ("tells apps the show has ended: no new episodes will be fetched")
                )
                c.add("apple.hidden", f"<{tag.replace(I, 'itunes:')}>Yes {what}", el)
    block = first_podcast(channel, "block")
    if block is not None and (block.text or "").strip().lower() == "yes":
        who = block.get("id")
        c.add(
            "apple.hidden",
            "<podcast:block>yes hides the show from "
            + (quote(who) if who else "every platform that reads it"),
            block,
        )
    for tag in ("title", "category", I + "author", I + "subtitle", I + "keywords", I + "title"):
        for el in ch.get(tag, []):
            check_plain_text(el, c)
    for local in apple.ITUNES_TEXT_LIMITS:
        for el in ch.get(I + local, []):
            check_itunes_length(el, local, c)
    for tag in ("managingEditor", "webMaster"):
        for el in ch.get(tag, []):
            check_email(el.text, el, c, tag)
    for owner_el in ch.get(I + "owner", []):
        for el in owner_el:
            if el.tag == I + "email":
                check_email(el.text, el, c, "itunes:email")
            elif el.tag == I + "name":
                check_plain_text(el, c)
    locked = first_podcast(channel, "locked")
    if locked is not None and locked.get("owner") is not None:
        check_email(locked.get("owner"), locked, c, "podcast:locked owner")
    nfu = first(I + "new-feed-url")
    if nfu is not None and not is_http_url((nfu.text or "").strip()):
        c.add("apple.new-feed-url", f"<itunes:new-feed-url> {quote(nfu.text)} is not a URL", nfu)
    for tag in ("pubDate", "lastBuildDate"):
        el = first(tag)
        if el is not None and (el.text or "").strip():
            check_date(el.text, el, c, now, future=False)
    for tag in (I + "author", "copyright", T_TITLE):
        el = first(tag)
        if el is not None:
            check_text_value(el, c)

    check_items(
        items,
        c,
        res,
        show_title=show_title,
        serial=show_type == "serial",
        channel_persons=persons_channel,
        now=now,
    )
    check_characters(root, c)
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
