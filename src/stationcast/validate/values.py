"""Checks on texts and small values that channel and items share: bad characters (C1
controls, Windows-1252 mojibake), markup in plain-text fields, active content in show notes,
itunes: text lengths, contact addresses and links.
"""

from __future__ import annotations

import re

from lxml import etree

from stationcast.spec import apple, podcast

from .elements import Collector, display, is_http_url
from .text import quote

#: How many elements each character rule names before it only counts.
MAX_CHARACTER_FINDINGS = 10

_C1 = re.compile("[\x80-\x9f]")
# A Latin-1 lead character of a two- to four-byte UTF-8 sequence, followed by what Windows-1252
# shows for a continuation byte: the fingerprint of UTF-8 decoded as Windows-1252.
_MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152-\u2122]")
_MOJIBAKE_WORD = re.compile("\\S*[\u00c2-\u00f4][\u0080-\u00bf\u0152-\u2122]\\S*")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s+[^<>]*)?/?>")
_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#[0-9]{2,6}|#x[0-9A-Fa-f]{2,5});")
_UNSAFE_TAG = re.compile(r"<\s*(script|iframe|object|embed|applet|meta|link|form|base)\b", re.I)
_UNSAFE_ATTR = re.compile(r"<[^>]*?\s(on[a-z]{3,}|style)\s*=", re.I)
_JS_LINK = re.compile(r"""\b(?:href|src)\s*=\s*["']?\s*(?:javascript|vbscript|data):""", re.I)
_WORD = re.compile(r"[\s<>()\[\],;\"']+")


def _unmojibake(word: str) -> str | None:
    try:
        fixed = word.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
    return fixed if fixed != word else None


def check_characters(root: etree._Element, c: Collector) -> None:
    """C1 control characters and UTF-8-read-as-Windows-1252 in any element's text."""
    counts = {"rss.text.control": 0, "rss.text.mojibake": 0}
    first: dict[str, int | None] = {}
    for el in root.iter(etree.Element):  # elements only, not comments
        text = el.text
        if not text or text.isascii():
            continue
        if _C1.search(text):
            n = counts["rss.text.control"] = counts["rss.text.control"] + 1
            if n <= MAX_CHARACTER_FINDINGS:
                chars = sorted(set(_C1.findall(text)))
                meant = ", ".join(
                    f"U+{ord(ch):04X} ({quote(bytes([ord(ch)]).decode('cp1252', 'replace'))} "
                    "in Windows-1252)"
                    for ch in chars[:3]
                )
                c.add(
                    "rss.text.control",
                    f"<{_name(el)}> holds C1 control characters: {meant}",
                    el,
                )
            elif n == MAX_CHARACTER_FINDINGS + 1:
                first["rss.text.control"] = el.sourceline
        if _MOJIBAKE.search(text):
            fixed = next(
                ((w, f) for w in _MOJIBAKE_WORD.findall(text) if (f := _unmojibake(w)) is not None),
                None,
            )
            if fixed is not None:
                n = counts["rss.text.mojibake"] = counts["rss.text.mojibake"] + 1
                if n <= MAX_CHARACTER_FINDINGS:
                    c.add(
                        "rss.text.mojibake",
                        f"<{_name(el)}>: {quote(fixed[0], 40)} looks like UTF-8 read as "
                        f"Windows-1252; it was probably {quote(fixed[1], 40)}",
                        el,
                    )
                elif n == MAX_CHARACTER_FINDINGS + 1:
                    first["rss.text.mojibake"] = el.sourceline
    for rule, n in counts.items():
        if n > MAX_CHARACTER_FINDINGS:
            c.add(
                rule,
                f"{n - MAX_CHARACTER_FINDINGS} more element(s) like the above",
                line=first.get(rule),
            )


def _name(el: etree._Element) -> str:
    tag = el.tag
    return display(tag) if isinstance(tag, str) else "?"


def check_plain_text(el: etree._Element, c: Collector) -> None:
    """A field apps show as plain text: no HTML tags or (double-escaped) entities."""
    text = el.text
    if not text or ("<" not in text and "&" not in text):
        return
    m = _TAG.search(text) or _ENTITY.search(text)
    if m is not None:
        c.add(
            "rss.text.html",
            f"<{_name(el)}> is plain text but contains markup {quote(m.group(), 40)}",
            el,
        )


def check_show_notes(el: etree._Element, c: Collector) -> None:
    """content:encoded: no active content."""
    text = el.text or ""
    if "<" not in text:
        return
    m = _UNSAFE_TAG.search(text)
    if m is not None:
        what = f"a <{m.group(1).lower()}> element"
    elif (m := _UNSAFE_ATTR.search(text)) is not None:
        what = f"a {m.group(1).lower()}= attribute"
    elif (m := _JS_LINK.search(text)) is not None:
        what = "a script link"
    else:
        return
    c.add("apple.description.unsafe", f"<{_name(el)}> contains {what}", el)


def check_itunes_length(el: etree._Element, local: str, c: Collector) -> None:
    limit = apple.ITUNES_TEXT_LIMITS.get(local)
    text = el.text or ""
    if limit is not None and len(text) > limit:
        c.add(
            "apple.text.length",
            f"<itunes:{local}> is {len(text):,} characters; the limit is {limit:,}",
            el,
        )


def check_email(value: str | None, el: etree._Element, c: Collector, what: str) -> None:
    """A contact: a bare address (itunes:email, podcast:locked owner), or RSS 2.0's
    'address (Name)' (managingEditor, webMaster, author), where 'Name <address>' and
    'Name (address)' are read too. A plain name with no @ in a field of the RSS kind is left
    alone: many feeds put a name there, and apps show it."""
    v = (value or "").strip()
    if not v:
        return
    if what in ("itunes:email", "podcast:locked owner"):
        ok = podcast.EMAIL.fullmatch(v) is not None
    else:
        if "@" not in v:
            return
        # Any of 'a@b.c (Name)', 'Name (a@b.c)', 'Name <a@b.c>', 'mailto:a@b.c' holds the
        # address as one word: apps find it there.
        words = [w.removeprefix("mailto:") for w in _WORD.split(v) if "@" in w]
        ok = any(podcast.EMAIL.fullmatch(w) for w in words)
    if not ok:
        c.add(
            "rss.contact.email",
            f"<{what}> {quote(v)} is not an e-mail address like podcasts@station.example",
            el,
        )


def check_url(value: str | None, el: etree._Element, c: Collector, what: str) -> None:
    v = (value or "").strip()
    if v and not is_http_url(v):
        c.add("rss.link.url", f"{what} {quote(v)} is not an absolute http(s) URL", el)
