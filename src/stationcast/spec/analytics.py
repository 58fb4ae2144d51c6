"""Prefix analytics: measurement services that sit in front of a podcast's media URLs.

A prefix service counts a download by receiving the request first and redirecting it to the
real file: the feed's enclosure URL is the service's prefix followed by the media URL. Each
service documents its prefix, and that what follows it is the media URL *without* its
`https://` (or `http://`) scheme. Several can be chained: each one's prefix is followed by the
next one's, scheme removed, and the last by the media URL (the listener's app asks the first,
which redirects to the second, ..., which redirects to the file).

Sources (each service's own set-up instructions for podcasters):
- OP3, the Open Podcast Prefix Project: prepend `https://op3.dev/e/` to the episode URLs in
  the feed (the project's README, github.com/skymethod/op3); it also accepts the URL that
  follows with its scheme.
- Podtrac: `https://dts.podtrac.com/redirect.mp3/` (`redirect.m4a`, `redirect.mp4`... for
  other media), followed by the media URL without `https://`.
- Chartable (closed in 2024; its prefixes still appear in feeds): `https://chrt.fm/track/<ID>/`.
- Podsights (Spotify Ad Analytics): `https://pdst.fm/e/`.
- Blubrry Podcast Statistics: `https://media.blubrry.com/<show>/`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "SERVICES",
    "Service",
    "apply_chain",
    "known_service",
    "strip_prefixes",
    "without_scheme",
]


@dataclass(frozen=True)
class Service:
    name: str
    # The prefix, as a pattern matched at the start of a URL (scheme, host, path, ending "/").
    pattern: re.Pattern[str]
    example: str
    scheme_allowed: bool = False  # may the URL that follows keep its scheme


SERVICES: tuple[Service, ...] = (
    Service("OP3", re.compile(r"https://op3\.dev/e/", re.I), "https://op3.dev/e/", True),
    Service(
        "Podtrac",
        re.compile(r"https?://dts\.podtrac\.com/redirect\.[a-z0-9]{2,4}/", re.I),
        "https://dts.podtrac.com/redirect.mp3/",
    ),
    Service(
        "Chartable",
        re.compile(r"https?://chrt\.fm/track/[A-Za-z0-9]+/", re.I),
        "https://chrt.fm/track/ABC123/",
    ),
    Service("Podsights", re.compile(r"https?://pdst\.fm/e/", re.I), "https://pdst.fm/e/"),
    Service(
        "Blubrry",
        re.compile(r"https?://media\.blubrry\.com/[A-Za-z0-9_-]+/", re.I),
        "https://media.blubrry.com/myshow/",
    ),
)

_SCHEME = re.compile(r"^https?://", re.I)


def without_scheme(url: str) -> str:
    """`media.example.org/a.mp3` for `https://media.example.org/a.mp3`."""
    return _SCHEME.sub("", url, count=1)


def known_service(url: str) -> tuple[Service, str] | None:
    """(the service whose prefix `url` starts with, the rest of `url`), or None."""
    for service in SERVICES:
        match = service.pattern.match(url)
        if match:
            return service, url[match.end() :]
    return None


def apply_chain(prefixes: tuple[str, ...] | list[str], url: str) -> str:
    """`url` behind the prefixes, in order: the first prefix as written, each later one and
    the media URL without its scheme (as every service's instructions write it)."""
    if not prefixes:
        return url
    return prefixes[0] + "".join(without_scheme(p) for p in [*prefixes[1:], url])


def strip_prefixes(url: str) -> tuple[str, list[Service]]:
    """The media URL behind the known prefix services `url` starts with (`https://` restored
    where the chain dropped the scheme), and those services in order. A URL behind no known
    prefix comes back as it is."""
    services: list[Service] = []
    rest = url
    while (found := known_service(rest)) is not None:
        service, rest = found
        services.append(service)
        if not _SCHEME.match(rest):
            rest = "https://" + rest
    return rest, services
