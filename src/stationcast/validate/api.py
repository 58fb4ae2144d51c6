"""validate_bytes / validate_source: the library entry points."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime
from pathlib import Path

from ..errors import StationcastError
from .checks import Collector, check_tree
from .fetch import DEFAULT_TIMEOUT, FetchError, Response, fetch, rule_of, url_host
from .resources import REMOTE_ITEMS, check_local, check_remote, check_served
from .rules import PROFILES, RULES, Finding, Report
from .safexml import MAX_FEED_BYTES, FeedRejected, parse_feed
from .state import check_state, is_stationcast_output
from .text import quote

#: Above this size the feed gets the rss.feed.size warning (readers cap at 2-7 MB).
FEED_SIZE_WARNING = 4 * 1024 * 1024


def size_finding(size: int) -> Finding | None:
    """The rss.feed.size warning for a feed document of `size` bytes, if it is that large."""
    if size <= FEED_SIZE_WARNING:
        return None
    return Finding(RULES["rss.feed.size"], f"the feed is {size / 1048576:.1f} MB", 1)


class FeedSourceError(StationcastError):
    """FEED is neither a readable file nor an http(s) URL (a usage problem)."""


def _is_url(s: str) -> bool:
    return s[:7].lower() == "http://" or s[:8].lower() == "https://"


def _finish(
    findings: list[Finding], location: str, profile: str, items: int, fatal: bool = False
) -> Report:
    """Keep the profile's findings (all of them when the feed could not be checked at all)."""
    platforms = PROFILES[profile]
    kept = [f for f in findings if fatal or platforms.intersection(f.rule.platforms)]
    kept.sort(key=lambda f: f.line or 0)
    return Report(findings=kept, location=location, profile=profile, items=items)


def _check_profile(profile: str) -> None:
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")


def validate_bytes(
    data: bytes,
    *,
    location: str,
    profile: str = "all",
    local_root: Path | None = None,
    previous_state: Path | None = None,
    remote: bool = False,
    allow_private: bool = False,
    fetched_from: list[str] | None = None,
    now: datetime | None = None,
    max_bytes: int = MAX_FEED_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    remote_items: int = REMOTE_ITEMS,
    elsewhere: frozenset[str] = frozenset(),
    apps: bool = False,
    audio: bool = False,
) -> Report:
    """Validate a feed held in memory. Never raises for anything wrong with the feed.

    location: shown in the report (a path or URL); when it is an http(s) URL, the feed's
        self link must equal it (or one of `fetched_from`, the URLs it was fetched through).
    local_root: the output folder; URLs under the self link's directory map to files there
        (enclosure sizes, artwork bytes, transcripts and chapters are checked offline).
    elsewhere: enclosure URLs under the self link's directory that are not files of
        local_root (the build passes the remote audio its manifests give by URL).
    previous_state: the build's state JSON; GUID changes and vanished episodes are errors.
    remote: also check linked files over HTTP (HEAD, Range, Content-Type, CORS).
    now: the time for the "pubDate in the future" rule (default: the current time).
    apps: also read the feed with the parsers podcast apps use (see validate/apps.py).
    audio: also probe the enclosures that are files of local_root (type and duration), and
        with remote, the first remote_items enclosures through Range requests (type from
        their first bytes, duration from the few blocks the probe reads).
    """
    _check_profile(profile)
    if fetched_from is None and _is_url(location):
        fetched_from = [location]
    try:
        root, channel, findings = parse_feed(data, max_bytes=max_bytes)
    except FeedRejected as e:
        return _finish([e.finding], location, profile, 0, fatal=True)
    c = Collector()
    c.findings.extend(findings)
    if (large := size_finding(len(data))) is not None:
        c.findings.append(large)
    resources, items = check_tree(
        root, channel, c, fetched_from=fetched_from, now=now or datetime.now(UTC)
    )
    raws = []
    if local_root is not None:
        raws += check_local(resources, Path(local_root), elsewhere, audio=audio)
    if previous_state is not None:
        raws += check_state(resources, Path(previous_state))
    if remote:
        # --allow-private vouches for the host the user named: the URL's, or for a file the
        # host of the feed's own self link.
        given = location if _is_url(location) else (resources.self_url or "")
        raws += check_remote(
            resources,
            allow_private=allow_private,
            timeout=timeout,
            given_host=url_host(given),
            remote_items=remote_items,
            audio=audio,
        )
    for rule, message, line, element in raws:
        c.findings.append(Finding(RULES[rule], message, line, element))
    if apps:
        from .apps import check_apps

        c.findings.extend(check_apps(root, data))
    return _finish(c.findings, location, profile, items)


def validate_source(
    feed: str,
    *,
    profile: str = "all",
    local_root: Path | None = None,
    previous_state: Path | None = None,
    remote: bool | None = None,
    allow_private: bool = False,
    now: datetime | None = None,
    max_bytes: int = MAX_FEED_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    remote_items: int = REMOTE_ITEMS,
    apps: bool = False,
    audio: bool = False,
) -> Report:
    """Validate a feed file or an http(s) URL.

    remote defaults to True for URLs and False for files. For a file, local_root defaults to
    the file's directory when that is a stationcast output (it holds the build's state
    file); a saved copy of someone else's feed has no files beside it to check. Raises
    FeedSourceError when `feed` is not a file or http(s) URL.
    """
    _check_profile(profile)
    if _is_url(feed):
        return _validate_url(
            feed,
            profile=profile,
            local_root=local_root,
            previous_state=previous_state,
            remote=True if remote is None else remote,
            allow_private=allow_private,
            now=now,
            max_bytes=max_bytes,
            timeout=timeout,
            remote_items=remote_items,
            apps=apps,
            audio=audio,
        )
    if "://" in feed:
        scheme = feed.split("://", 1)[0]
        raise FeedSourceError(
            f"unsupported URL scheme {quote(scheme)}: give a file or an http(s) URL"
        )
    path = Path(feed)
    try:
        st = os.stat(path)
    except OSError as e:
        raise FeedSourceError(f"cannot read {quote(feed)}: {e.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        raise FeedSourceError(f"{quote(feed)} is not a regular file")
    if st.st_size > max_bytes:
        f = Finding(
            RULES["xml.too-large"],
            f"feed is {st.st_size:,} bytes, larger than the {max_bytes:,}-byte limit",
            None,
            None,
        )
        return _finish([f], feed, profile, 0, fatal=True)
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as e:
        raise FeedSourceError(f"cannot read {quote(feed)}: {e.strerror}") from None
    return validate_bytes(
        data,
        location=feed,
        profile=profile,
        local_root=local_root
        if local_root is not None
        else (path.parent if is_stationcast_output(path.parent) else None),
        previous_state=previous_state,
        remote=bool(remote),
        allow_private=allow_private,
        now=now,
        max_bytes=max_bytes,
        timeout=timeout,
        remote_items=remote_items,
        apps=apps,
        audio=audio,
    )


def _validate_url(
    url: str,
    *,
    profile: str,
    remote: bool,
    allow_private: bool,
    timeout: float,
    max_bytes: int,
    **kw: object,
) -> Report:
    try:
        resp = fetch(
            url,
            max_bytes=max_bytes,
            given_host=url_host(url),
            allow_private=allow_private,
            timeout=timeout,
            headers={"Accept": "application/rss+xml, application/xml;q=0.9, */*;q=0.1"},
        )
    except FetchError as e:
        return _finish(
            [Finding(RULES[rule_of(e)], e.message, None, None)], url, profile, 0, fatal=True
        )
    if resp.status != 200:
        f = Finding(RULES["http.fetch"], f"HTTP {resp.status} for {quote(resp.url)}", None, None)
        return _finish([f], url, profile, 0, fatal=True)
    ctype = resp.content_type
    if ctype.startswith(("audio/", "video/", "image/")):
        f = Finding(RULES["http.feed.content-type"], f"not a feed ({ctype})", None, None)
        return _finish([f], url, profile, 0, fatal=True)
    report = validate_bytes(
        resp.body,
        location=url,
        profile=profile,
        remote=remote,
        allow_private=allow_private,
        fetched_from=[url, *resp.redirects],
        timeout=timeout,
        max_bytes=max_bytes,
        **kw,  # type: ignore[arg-type]
    )
    extra = _fetch_findings(url, resp, remote=remote and report.items > 0)
    if remote and report.items:
        extra += _feed_http_checks(
            resp, given_host=url_host(url), allow_private=allow_private, timeout=timeout
        )
    if extra:
        report = _finish(report.findings + extra, url, profile, report.items)
    return report


#: Redirects that say the resource moved for good (RFC 9110 15.4.2, 15.4.9): podcast apps
#: and directories update the subscription to the new URL; after any other, they ask the old
#: URL again next time.
PERMANENT = (301, 308)


def _fetch_findings(url: str, resp: Response, *, remote: bool) -> list[Finding]:
    """The feed fetch itself: a temporary redirect in the chain (a warning), and, with
    --remote, how the feed was fetched: each hop with its status, the time and the size."""
    out: list[Finding] = []
    chain = "".join(
        f" -> {status} -> {quote(target)}"
        for status, target in zip(resp.hops, resp.redirects, strict=True)
    )
    temporary = [s for s in resp.hops if s not in PERMANENT]
    if temporary:
        codes = ", ".join(str(s) for s in dict.fromkeys(temporary))
        out.append(
            Finding(RULES["http.redirect.temporary"], f"{quote(url)}{chain} ({codes})", None, None)
        )
    if remote:
        hops = len(resp.hops)
        through = f" through {hops} redirect{'s' if hops != 1 else ''}: {quote(url)}{chain}"
        out.append(
            Finding(
                RULES["http.fetch.summary"],
                f"fetched in {resp.seconds:.2f} s, {len(resp.body):,} bytes, HTTP {resp.status}"
                + (through if hops else f" from {quote(url)}"),
                None,
                None,
            )
        )
    return out


def _feed_http_checks(
    resp: Response, *, given_host: str, allow_private: bool, timeout: float
) -> list[Finding]:
    out: list[Finding] = []
    if not resp.header("ETag") and not resp.header("Last-Modified"):
        out.append(
            Finding(
                RULES["http.conditional"],
                f"{quote(resp.url)} sends neither ETag nor Last-Modified",
                None,
                None,
            )
        )

    def get(u: str, **kw: object) -> Response:
        return fetch(u, given_host=given_host, allow_private=allow_private, timeout=timeout, **kw)

    for rule, message, line, element in check_served(resp.url, "feed", None, None, get):
        out.append(Finding(RULES[rule], message, line, element))
    return out
