"""Tell the world the feed changed: WebSub hubs named in the feed, and Podping if configured.

Runs only after the new feed is up (hubs fetch the feed as soon as they are pinged). A failed
ping is reported as a warning with the command that retries it; it never fails a publish.

- WebSub (W3C): for each `<atom:link rel="hub" href=HUB>` in the built feed, POST
  `hub.mode=publish&hub.url=SELF` (form-encoded) to HUB, SELF being the feed's
  `<atom:link rel="self">`.
- Podping: when `STATIONCAST_PODPING_TOKEN` is set, GET
  `$STATIONCAST_PODPING_URL?url=SELF&reason=REASON&medium=podcast` with the token in the
  `Authorization` header. `STATIONCAST_PODPING_URL` defaults to https://podping.cloud/.
  REASON is `live` when a `podcast:liveItem` went live since the feed at the destination,
  `liveEnd` when one that was live ended, else `update` (stationcast.spec.podcast).

Pings go to the endpoints configured, and only there: a redirect is not followed (urllib
would resend the headers, the Podping token among them, to wherever the redirect points) but
reported as a failed ping naming its target.
"""

from __future__ import annotations

import os
import shlex
import urllib.error
import urllib.request
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import urlencode, urlsplit

from lxml import etree

from stationcast.publish.plan import feed_links
from stationcast.spec import namespaces, podcast
from stationcast.xmlsafe import hardened_parser

__all__ = ["PODPING_TOKEN_ENV", "PODPING_URL_ENV", "PingResult", "notify", "podping_reason"]

PODPING_TOKEN_ENV = "STATIONCAST_PODPING_TOKEN"
PODPING_URL_ENV = "STATIONCAST_PODPING_URL"
PODPING_DEFAULT_URL = "https://podping.cloud/"
TIMEOUT = 15.0


@dataclass(frozen=True)
class PingResult:
    kind: str  # "websub" or "podping"
    endpoint: str
    ok: bool
    detail: str  # status line, or the error
    retry: str = ""  # a shell command that sends the same ping


def _user_agent() -> str:
    try:
        return f"stationcast/{version('stationcast')}"
    except PackageNotFoundError:  # running from a checkout without metadata
        return "stationcast"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Answer a redirect with the redirect itself (an HTTPError), never follow it."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def _send(request: urllib.request.Request) -> tuple[bool, str]:
    try:
        with _OPENER.open(request, timeout=TIMEOUT) as response:
            status = response.status
            reason = response.reason
    except urllib.error.HTTPError as exc:
        location = exc.headers.get("Location") if exc.headers is not None else None
        if 300 <= exc.code < 400 and location:
            return False, (
                f"HTTP {exc.code} {exc.reason}, redirected to {location}; pings do not follow"
                " redirects (configure the endpoint's final URL)"
            )
        return False, f"HTTP {exc.code} {exc.reason}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return False, f"{type(exc).__name__}: {reason}"
    return 200 <= status < 300, f"HTTP {status} {reason}"


def _http_url(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https")


def live_statuses(feed: bytes | None) -> dict[str, str]:
    """guid -> status of each `podcast:liveItem` of a feed (none when it cannot be read)."""
    if not feed:
        return {}
    try:
        root = etree.fromstring(feed, hardened_parser())
    except etree.XMLSyntaxError:
        return {}
    found = {}
    for item in root.iterfind(f"./channel/{{{namespaces.PODCAST}}}liveItem"):
        guid = (item.findtext("guid") or "").strip()
        if guid:
            found[guid] = item.get("status", "")
    return found


def podping_reason(before: bytes | None, after: bytes) -> str:
    """Podping's reason for the change from the feed `before` to `after`."""
    update, live, live_end = podcast.PODPING_REASONS
    old, new = live_statuses(before), live_statuses(after)
    if any(status == "live" and old.get(guid) != "live" for guid, status in new.items()):
        return live
    if any(status == "ended" and old.get(guid) == "live" for guid, status in new.items()):
        return live_end
    return update


def notify(feed: bytes, reason: str = "update") -> list[PingResult]:
    """Ping every hub the feed lists, then Podping (with `reason`) when a token is
    configured."""
    self_url, hubs = feed_links(feed)
    results: list[PingResult] = []
    token = os.environ.get(PODPING_TOKEN_ENV, "").strip()
    if self_url is None:
        if hubs or token:
            results.append(
                PingResult(
                    "websub", "", False, 'the feed has no <atom:link rel="self">; no pings sent'
                )
            )
        return results
    agent = _user_agent()
    for hub in hubs:
        if not _http_url(hub):
            results.append(PingResult("websub", hub, False, "not an http(s) URL; skipped"))
            continue
        body = urlencode({"hub.mode": "publish", "hub.url": self_url}).encode("ascii")
        request = urllib.request.Request(
            hub,
            data=body,
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "User-Agent": agent},
        )
        ok, detail = _send(request)
        retry = (
            f"curl -fsS -d hub.mode=publish --data-urlencode {shlex.quote('hub.url=' + self_url)} "
            f"{shlex.quote(hub)}"
        )
        results.append(PingResult("websub", hub, ok, detail, retry))
    if token:
        base = os.environ.get(PODPING_URL_ENV, "").strip() or PODPING_DEFAULT_URL
        query = urlencode({"url": self_url, "reason": reason, "medium": "podcast"})
        url = f"{base}{'&' if '?' in base else '?'}{query}"
        request = urllib.request.Request(
            url, method="GET", headers={"Authorization": token, "User-Agent": agent}
        )
        ok, detail = _send(request)
        retry = f'curl -fsS -H "Authorization: ${PODPING_TOKEN_ENV}" {shlex.quote(url)}'
        results.append(PingResult("podping", base, ok, detail, retry))
    return results
