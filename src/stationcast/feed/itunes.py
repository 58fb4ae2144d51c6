"""A small feedgen extension for the iTunes tags feedgen 1.0.0 gets wrong.

feedgen's own iTunes extension (registered as ``podcast``, ``feedgen/ext/podcast.py`` and
``podcast_entry.py``) is still used for everything else (author, owner, type, duration,
episode numbers, ...). This one writes only what feedgen cannot:

- ``itunes:explicit`` as ``true``/``false``: Apple's guide documents only these two values,
  while feedgen accepts only ``yes``/``no``/``clean``;
- channel ``itunes:image`` ending in ``.jpeg`` (feedgen rejects it) and a clear error for
  other endings (feedgen's channel setter builds a ValueError but never raises it, so a bad
  image silently disappears from the feed);
- ``itunes:category`` checked against Apple's 2019 list (feedgen carries the pre-2019 list
  and never uses it), subcategories nested in their category;
- ``itunes:block`` / ``itunes:complete`` from a bool, written as ``Yes`` or left out (feedgen
  writes ``yes`` for any truthy value, so ``itunes_block('no')`` blocks the show).

Use it beside feedgen's extension, registered after it::

    fg = FeedGenerator()
    register_apple(fg)               # loads feedgen's 'podcast' first if needed
    fg.apple.itunes_explicit(False)
    fg.apple.itunes_category("News", "Daily News")
    fe = fg.add_entry(order="append")
    fe.apple.itunes_explicit(True)

Both extensions use the prefix ``itunes`` and the same namespace URI, so lxml declares it once.
When both set the same tag, this extension's value wins and feedgen's copy is removed, so no
tag appears twice - provided this extension runs after feedgen's, which ``register_apple``
guarantees (feedgen runs extensions in registration order).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

# feedgen.util uses lxml.etree at import time without importing it.
import lxml.etree  # noqa: F401
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.util import xml_elem

from stationcast.spec.apple import ARTWORK_FORMATS, check_category
from stationcast.spec.namespaces import ITUNES

__all__ = [
    "AppleEntryExtension",
    "AppleExtension",
    "register_apple",
]

EXTENSION_KEY = "apple"

# Apple "A Podcaster's Guide to RSS": artwork must be JPEG or PNG with a matching extension.
_IMAGE_SUFFIXES = tuple(ext for exts in ARTWORK_FORMATS.values() for ext in exts)


def _tag(name: str) -> str:
    return f"{{{ITUNES}}}{name}"


def _as_bool(value: Any, tag: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ValueError(f"{tag} must be true or false, got {value!r}")


def _check_image(url: str) -> str:
    if not isinstance(url, str) or not url.strip():
        raise ValueError(f"itunes:image needs a URL, got {url!r}")
    path = urlsplit(url).path.lower()
    if not path.endswith(_IMAGE_SUFFIXES):
        raise ValueError(
            f"itunes:image URL must end in .jpg, .jpeg or .png (Apple accepts JPEG or PNG "
            f"artwork with a matching file extension), got {url!r}"
        )
    return url


def _replace_child(parent: Any, name: str) -> Any:
    """Drop *parent*'s existing ``itunes:<name>`` children; return a fresh one in their place."""
    old = parent.findall(_tag(name))
    if not old:
        return xml_elem(_tag(name), parent)
    index = parent.index(old[0])
    for element in old:
        parent.remove(element)
    new = xml_elem(_tag(name))
    parent.insert(index, new)
    return new


class _AppleCommon:
    """Setters shared by the channel and item extensions."""

    def __init__(self) -> None:
        self._explicit: bool | None = None
        self._image: str | None = None
        self._block: bool | None = None

    def itunes_explicit(self, explicit: bool | str | None = None) -> bool | None:
        """Get or set ``itunes:explicit``; written as ``true`` or ``false``.

        Accepts a bool or the strings ``"true"``/``"false"``. Apple shows an Explicit badge
        for true and treats false as clean.
        """
        if explicit is not None:
            self._explicit = _as_bool(explicit, "itunes:explicit")
        return self._explicit

    def itunes_image(self, url: str | None = None) -> str | None:
        """Get or set ``itunes:image href``; the URL path must end in .jpg, .jpeg or .png."""
        if url is not None:
            self._image = _check_image(url)
        return self._image

    def itunes_block(self, block: bool | None = None) -> bool | None:
        """Get or set ``itunes:block``. True writes ``Yes``; False leaves the tag out
        (Apple: any value other than Yes has no effect)."""
        if block is not None:
            self._block = _as_bool(block, "itunes:block")
        return self._block

    def _write_common(self, parent: Any) -> None:
        if self._image is not None:
            _replace_child(parent, "image").attrib["href"] = self._image
        if self._explicit is not None:
            _replace_child(parent, "explicit").text = "true" if self._explicit else "false"
        if self._block is not None:
            element = _replace_child(parent, "block")
            if self._block:
                element.text = "Yes"
            else:
                parent.remove(element)


class AppleExtension(_AppleCommon, BaseExtension):  # type: ignore[misc]
    """Channel-level iTunes tags that feedgen's ``podcast`` extension writes wrongly."""

    def __init__(self) -> None:
        super().__init__()
        self._categories: list[tuple[str, str | None]] = []
        self._complete: bool | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"itunes": ITUNES}

    def extend_rss(self, rss_feed: Any) -> Any:
        channel = rss_feed[0]
        self._write_common(channel)
        if self._categories:
            self._write_categories(channel)
        if self._complete is not None:
            element = _replace_child(channel, "complete")
            if self._complete:
                element.text = "Yes"
            else:
                channel.remove(element)
        return rss_feed

    def _write_categories(self, channel: Any) -> None:
        old = channel.findall(_tag("category"))
        index = channel.index(old[0]) if old else len(channel)
        for element in old:
            channel.remove(element)
        by_category: dict[str, Any] = {}
        for category, sub in self._categories:
            element = by_category.get(category)
            if element is None:
                element = xml_elem(_tag("category"))
                element.attrib["text"] = category
                channel.insert(index, element)
                index += 1
                by_category[category] = element
            if sub is not None:
                xml_elem(_tag("category"), element).attrib["text"] = sub

    def itunes_category(
        self, category: str | None = None, sub: str | None = None, replace: bool = False
    ) -> list[tuple[str, str | None]]:
        """Add an Apple category (and optional subcategory), checked against Apple's list.

        Call once per (category, subcategory); Apple reads the first one as the main
        category. Subcategories of the same category share one parent element. Unknown or
        misspelt names raise ValueError with the closest valid name. *replace* drops the
        categories added before. Returns the list of (category, subcategory) pairs.
        """
        if replace:
            self._categories = []
        if category is not None:
            check_category(category, sub)
            if (category, sub) not in self._categories:
                self._categories.append((category, sub))
        elif sub is not None:
            raise ValueError("itunes:category: a subcategory needs its category")
        return list(self._categories)

    def itunes_complete(self, complete: bool | None = None) -> bool | None:
        """Get or set ``itunes:complete``. True writes ``Yes``; False leaves the tag out."""
        if complete is not None:
            self._complete = _as_bool(complete, "itunes:complete")
        return self._complete


class AppleEntryExtension(_AppleCommon, BaseEntryExtension):  # type: ignore[misc]
    """Item-level iTunes tags that feedgen's ``podcast`` extension writes wrongly."""

    def extend_rss(self, entry: Any) -> Any:
        self._write_common(entry)
        return entry


def register_apple(fg: Any) -> None:
    """Register this extension on a FeedGenerator as ``fg.apple``, after feedgen's ``podcast``.

    Loads feedgen's iTunes extension first when it is not loaded yet, so that this one runs
    after it and its values replace feedgen's. RSS only (Apple no longer accepts Atom).
    """
    if not hasattr(fg, "podcast"):
        fg.load_extension("podcast")
    fg.register_extension(EXTENSION_KEY, AppleExtension, AppleEntryExtension, atom=False)
