"""Apple Podcasts' rules for a feed: categories, artwork, enclosures, descriptions, dates.

Sources: Apple, "A Podcaster's Guide to RSS" (help.apple.com/itc/podcasts_connect/#/itcb54353390)
and "Artwork requirements" (podcasters.apple.com/support/896-artwork-requirements); the
category list in ``data/apple_categories.json`` (its ``_source`` says where it was checked).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from types import MappingProxyType

from ._suggest import did_you_mean, listing

__all__ = [
    "ITUNES_TAGS",
    "ITUNES_TEXT_LIMITS",
    "ARTWORK_FORMATS",
    "ARTWORK_MAX_SIDE",
    "ARTWORK_MIN_SIDE",
    "DESCRIPTION_MAX_BYTES",
    "DESCRIPTION_TAGS",
    "ENCLOSURE_EXTENSIONS",
    "ENCLOSURE_TYPES",
    "ENCLOSURE_TYPE_ALIASES",
    "PUBDATE_TOLERANCE",
    "ArtworkFault",
    "apple_categories",
    "artwork_faults",
    "ascii_url",
    "check_category",
    "current_category",
    "enclosure_type",
    "in_the_future",
    "retired_categories",
]

# --- categories -------------------------------------------------------------------------


@cache
def apple_categories() -> Mapping[str, tuple[str, ...]]:
    """Apple's categories: top-level name -> its subcategories, in Apple's order (read-only)."""
    text = resources.files(__package__).joinpath("data/apple_categories.json").read_text("utf-8")
    table = json.loads(text)["categories"]
    return MappingProxyType({cat: tuple(subs) for cat, subs in table.items()})


def _split(text: str) -> tuple[str, str | None]:
    category, _, sub = text.partition(" > ")
    return category, sub or None


@cache
def retired_categories() -> Mapping[tuple[str, str | None], tuple[str, str | None]]:
    """The categories Apple retired in its August 2019 revision -> the current category that
    took over each one's name or subject ((category, subcategory or None), read-only); see
    ``_retired_source`` in ``data/apple_categories.json``."""
    text = resources.files(__package__).joinpath("data/apple_categories.json").read_text("utf-8")
    table = json.loads(text)["retired"]
    return MappingProxyType({_split(old): _split(new) for old, new in table.items()})


def current_category(category: str, sub: str | None = None) -> tuple[str, str | None] | None:
    """The current Apple category for what a feed gives: itself when Apple lists it; a category
    retired in 2019 as the one that replaced it (``Games & Hobbies > Video Games`` ->
    ``Leisure > Video Games``); a subcategory Apple does not list under a category it does (or
    under a renamed one) as that category alone. None when neither the category nor a
    successor is Apple's."""
    table = apple_categories()
    retired = retired_categories()
    if (category, sub) in retired:
        return retired[(category, sub)]
    parent = category if category in table else retired.get((category, None), (None, None))[0]
    if parent is None:
        return None
    if sub is not None and sub in table[parent]:
        return parent, sub
    return parent, None


def check_category(category: str, sub: str | None = None) -> None:
    """Raise ValueError unless *category* (and *sub*, when given) is in Apple's list.

    Spelling and case must match exactly (``Kids & Family``, ``Stand-Up``), because Apple
    treats tags and values case-sensitively. The message names the closest valid value.
    """
    table = apple_categories()
    if category not in table:
        parents = [cat for cat, subs in table.items() if category in subs]
        if parents:
            raise ValueError(
                f"{category!r} is a subcategory of {parents[0]!r}, not a category; "
                f"use category {parents[0]!r} with subcategory {category!r}"
            )
        raise ValueError(
            f"unknown Apple Podcasts category {category!r}{did_you_mean(category, table)} "
            f"Valid categories: {listing(table)}"
        )
    if sub is None:
        return
    subs = table[category]
    if not subs:
        raise ValueError(f"Apple Podcasts category {category!r} has no subcategories, got {sub!r}")
    if sub not in subs:
        raise ValueError(
            f"unknown subcategory {sub!r} of Apple Podcasts category {category!r}"
            f"{did_you_mean(sub, subs)} Valid subcategories of {category!r}: {listing(subs)}"
        )


# --- artwork ----------------------------------------------------------------------------

#: "JPEG or PNG format ... with appropriate file extensions (.jpg, .png)": the format as
#: Pillow names it -> the extensions that fit it, the usual one first.
ARTWORK_FORMATS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",)}
)
#: "a minimum size of 1400 x 1400 pixels and a maximum size of 3000 x 3000 pixels", square.
ARTWORK_MIN_SIDE = 1400
ARTWORK_MAX_SIDE = 3000


@dataclass(frozen=True)
class ArtworkFault:
    """One way an image breaks Apple's artwork rule; callers phrase it for their reader."""

    kind: str  # "format", "extension", "square", "size" or "colour"


def artwork_faults(
    fmt: str | None, width: int, height: int, mode: str, extension: str | None
) -> list[ArtworkFault]:
    """Every way an image breaks Apple's artwork rule, from what its header says.

    *fmt* and *mode* are Pillow's names (``image.format``, ``image.mode``); *extension* is the
    file's or URL's (``".png"``), or None when it is not known. The rule:

    - JPEG or PNG, named with a fitting extension;
    - square, 1400 to 3000 pixels on a side;
    - "in the RGB colorspace", and a show cover "should not contain an Alpha channel": only
      Pillow's mode ``RGB`` is that. An indexed-colour (palette, mode ``P``) PNG stores
      indexes into a palette, not RGB samples; ``RGBA``/``LA`` carry an alpha channel; ``L``
      is grey, ``CMYK`` is print colour. All are refused, as most feed validators refuse them.
    """
    faults: list[ArtworkFault] = []
    if fmt is None or fmt not in ARTWORK_FORMATS:
        faults.append(ArtworkFault("format"))
    elif extension is not None and extension.lower() not in ARTWORK_FORMATS[fmt]:
        faults.append(ArtworkFault("extension"))
    if width != height:
        faults.append(ArtworkFault("square"))
    if not ARTWORK_MIN_SIDE <= width <= ARTWORK_MAX_SIDE:
        faults.append(ArtworkFault("size"))
    if mode != "RGB":
        faults.append(ArtworkFault("colour"))
    return faults


# --- enclosures -------------------------------------------------------------------------

#: The <enclosure type> values Apple lists, each with the file extensions it accepts for it
#: (Apple decides whether an episode can play by the URL's extension).
ENCLOSURE_TYPES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "audio/x-m4a": ("m4a",),
        "audio/mpeg": ("mp3",),
        "video/quicktime": ("mov",),
        "video/mp4": ("mp4",),
        "video/x-m4v": ("m4v",),
        "application/pdf": ("pdf",),
    }
)
#: Types apps commonly accept for the same files, but that are not Apple's spelling.
ENCLOSURE_TYPE_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "audio/mp4": "audio/x-m4a",
        "audio/m4a": "audio/x-m4a",
        "audio/x-mp4": "audio/x-m4a",
        "audio/aac": "audio/x-m4a",
        "audio/mp3": "audio/mpeg",
        "audio/x-mp3": "audio/mpeg",
        "audio/mpeg3": "audio/mpeg",
        "audio/x-mpeg": "audio/mpeg",
        "video/m4v": "video/x-m4v",
    }
)
ENCLOSURE_EXTENSIONS = frozenset(ext for exts in ENCLOSURE_TYPES.values() for ext in exts)


def ascii_url(url: str) -> bool:
    """Apple, "Podcast RSS feed requirements" (podcasters.apple.com/support/823): media and
    artwork URLs hold only ASCII characters and no spaces (percent-encode anything else)."""
    return url.isascii() and " " not in url


def enclosure_type(mime: str) -> str | None:
    """Apple's spelling of the enclosure type *mime* (an alias gives its canonical type), or
    None when Apple does not accept that type."""
    t = mime.strip().lower()
    return t if t in ENCLOSURE_TYPES else ENCLOSURE_TYPE_ALIASES.get(t)


# --- text and dates ---------------------------------------------------------------------

#: <description> and <itunes:summary>: "up to 4000 characters"; feed validators count the
#: bytes of the UTF-8 text.
DESCRIPTION_MAX_BYTES = 4000
#: The HTML Apple allows in descriptions: "<p>, <ol>, <ul>, <li>, <a>".
DESCRIPTION_TAGS = frozenset({"p", "ol", "ul", "li", "a"})

#: An episode's <pubDate> must not be in the future ("A Podcaster's Guide to RSS": the date
#: the episode was released; apps show a future one at once or only on that date). Clocks
#: differ by seconds to minutes between the machine that writes a feed and the one that reads
#: it, so a date up to this much ahead is not yet "in the future".
PUBDATE_TOLERANCE = timedelta(minutes=10)


def in_the_future(published: datetime, now: datetime) -> bool:
    """True when an episode published at *published* is in the future at *now* (both aware)."""
    return published > now + PUBDATE_TOLERANCE


# --- the itunes: tags -----------------------------------------------------------------------
#: Every tag of the itunes: namespace Apple documents or documented ("A Podcaster's Guide to
#: RSS", help.apple.com/itc/podcasts_connect/#/itcb54353390, and its earlier editions for
#: summary, subtitle, keywords, order and isClosedCaptioned, which apps still read): the
#: elements each may sit in, and whether it may repeat there.
ITUNES_TAGS: Mapping[str, tuple[frozenset[str], bool]] = {
    "image": (frozenset({"channel", "item"}), False),
    "category": (frozenset({"channel", "itunes:category"}), True),
    "explicit": (frozenset({"channel", "item"}), False),
    "author": (frozenset({"channel", "item"}), False),
    "title": (frozenset({"channel", "item"}), False),
    "type": (frozenset({"channel"}), False),
    "owner": (frozenset({"channel"}), False),
    "name": (frozenset({"itunes:owner"}), False),
    "email": (frozenset({"itunes:owner"}), False),
    "new-feed-url": (frozenset({"channel"}), False),
    "block": (frozenset({"channel", "item"}), False),
    "complete": (frozenset({"channel"}), False),
    "applepodcastsverify": (frozenset({"channel"}), False),
    "summary": (frozenset({"channel", "item"}), False),
    "subtitle": (frozenset({"channel", "item"}), False),
    "keywords": (frozenset({"channel", "item"}), False),
    "episode": (frozenset({"item"}), False),
    "season": (frozenset({"item"}), False),
    "episodeType": (frozenset({"item"}), False),
    "duration": (frozenset({"item"}), False),
    "order": (frozenset({"item"}), False),
    "isClosedCaptioned": (frozenset({"item"}), False),
}
#: Lengths the feed validators hold these texts to (W3C Feed Validator, src/feedvalidator/
#: itunes.py: TooLong): subtitle and keywords 255 characters, summary 4000.
ITUNES_TEXT_LIMITS: Mapping[str, int] = {"subtitle": 255, "keywords": 255, "summary": 4000}
