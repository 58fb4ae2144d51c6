"""RFC 5005 archived feeds: the pages a feed's `atom:link rel="prev-archive"` chain leads to.

A large podcast keeps only its newest items in the feed and the older ones on archive pages,
each linking to the one before it. The import reads the chain to its end, so every episode
comes over. From a URL, each page is fetched with the same hardened client and checks as the
feed (relative links resolved against the page's final URL). From a file, a page is read only
from the same folder: a relative link, or an absolute one under the feed's own address (its
`rel="self"` link), maps to the file at the same path there; any other link is not followed
and says so, so importing a file never reaches the network. A link back to a page already read
stops the chain (a loop), and so does the cap on the number of pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from stationcast.spec.namespaces import ATOM

from .rss import Feed, parse_rss
from .source import is_url, read_source

MAX_ARCHIVE_PAGES = 500  # 500 pages of 300 items: larger than any podcast archive


@dataclass(frozen=True)
class Page:
    """One document of the feed: the feed itself (first) or an archive page."""

    name: str  # as notes name it: the path or URL
    feed: Feed


def _link(feed: Feed, rel: str) -> str:
    for node in feed.channel.all(f"{{{ATOM}}}link"):
        if (node.attrs.get("rel") or "").strip().lower() == rel and node.attrs.get("href"):
            return node.attrs["href"].strip()
    return ""


def _local(href: str, page: Path, self_url: str) -> Path | None:
    """The file in `page`'s folder that `href` names, or None when it names none there."""
    if not urlsplit(href).scheme:
        relative = unquote(urlsplit(href).path)
    elif self_url and href.startswith(self_url.rsplit("/", 1)[0] + "/"):
        relative = unquote(urlsplit(href[len(self_url.rsplit("/", 1)[0]) + 1 :]).path)
    else:
        return None
    if not relative or relative.startswith("/") or ".." in Path(relative).parts:
        return None
    return page.parent / relative


def read_archive(
    first: Page,
    first_url: str | None,
    notes: list[str],
    *,
    max_bytes: int,
    allow_private: bool,
    timeout: float,
) -> list[Page]:
    """The archive pages after `first` (fetched from `first_url`, its final URL, or read from
    the file `first.name`), newest first; what stopped the chain early is a note.

    allow_private: as for the feed, for the host of the URL the user gave (`first.name`) only.
    """
    pages: list[Page] = []
    self_url = _link(first.feed, "self")
    current, current_url = first, first_url
    seen = {first_url or str(Path(first.name).resolve())}
    while href := _link(current.feed, "prev-archive"):
        if len(pages) >= MAX_ARCHIVE_PAGES:
            notes.append(
                f"{current.name}: more than {MAX_ARCHIVE_PAGES} archive pages; stopped before"
                f" {href} (the older items are not imported)"
            )
            break
        if current_url is not None:
            where = urljoin(current_url, href)
            key = where.split("#")[0]
        else:
            local = _local(href, Path(current.name), self_url)
            if local is None:
                notes.append(
                    f"{current.name}: the archive page {href} is not beside the file, so it was"
                    " not read (nothing is fetched when importing a file); import from the"
                    " feed's URL, or save the archive pages beside it"
                )
                break
            where = str(local)
            key = str(local.resolve())
        if key in seen:
            notes.append(
                f"{current.name}: its prev-archive link {href} leads back to a page already read"
                " (a loop); stopped there"
            )
            break
        seen.add(key)
        if current_url is None and not Path(where).is_file():
            notes.append(
                f"{current.name}: the archive page {href} is not there ({where}); the older"
                " items are not imported"
            )
            break
        source = read_source(
            where,
            max_bytes=max_bytes,
            what="podcast feed archive page",
            allow_private=allow_private and _same_host(where, first.name),
            timeout=timeout,
        )
        current = Page(where, parse_rss(source.data, where))
        current_url = source.url if current_url is not None else None
        pages.append(current)
    return pages


def _same_host(where: str, given: str) -> bool:
    """Whether `where` is on the host the user named (only that host may be private)."""
    return not is_url(where) or urlsplit(where).hostname == urlsplit(given).hostname
