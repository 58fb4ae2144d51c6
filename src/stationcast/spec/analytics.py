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
- Podtrac ("How to implement Podtrac measurement manually", podtrac.com/manual-feed-edit):
  `https://dts.podtrac.com/redirect.mp3/` (`redirect.m4a`, `redirect.mp4`... to match other
  media), followed by the media URL without `https://`; also in front of the website's
  download links and players.
- Blubrry ("How to implement a statistics redirect", blubrry.com/support/statistics-
  documentation/instructions-for-developers): a program's own `https://media.blubrry.com/
  <program>/`, followed by the media URL without `https://`; also on website players.
- Podsights (Spotify Ad Analytics; podsights.com/docs): `https://pdst.fm/e/`, followed by the
  media URL without its protocol.
- Chartable (closed in 2024; its prefixes still appear in feeds): `https://chtbl.com/track/
  <ID>/` (Simplecast's help on analytics prefixes), also seen as `https://chrt.fm/track/<ID>/`.
- Podcorn: `https://pdcn.co/e/` (Simplecast's help on analytics prefixes).

Triton Digital's Podcast Metrics is not a prefix service: it measures from the hosting CDN's
access logs and the show's RSS feed (help.tritondigital.com, "Implementation: log
collection" and "RSS matching"), so there is nothing to put in the feed for it.

A chain's length is limited by the redirects podcast apps follow: PRX advises at most four
prefixes, as Apple Podcasts supports only so many (help.prx.org, "How to add and remove
enclosure prefix URLs in Dovetail").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "ADVISED_CHAIN",
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
        re.compile(r"https?://(?:chtbl\.com|chrt\.fm)/track/[A-Za-z0-9]+/", re.I),
        "https://chtbl.com/track/ABC123/",
    ),
    Service("Podsights", re.compile(r"https?://pdst\.fm/e/", re.I), "https://pdst.fm/e/"),
    Service("Podcorn", re.compile(r"https?://pdcn\.co/e/", re.I), "https://pdcn.co/e/"),
    Service(
        "Blubrry",
        re.compile(r"https?://media\.blubrry\.com/[A-Za-z0-9_-]+/", re.I),
        "https://media.blubrry.com/myshow/",
    ),
)

#: The most prefixes a chain should have (see the module's sources).
ADVISED_CHAIN = 4

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
