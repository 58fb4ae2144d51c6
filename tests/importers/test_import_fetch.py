"""`stationcast import page|feed URL` against hostile servers on 127.0.0.1: private addresses
refused unless --allow-private (and then only for the host given), redirects checked, one
total deadline, size caps. Every refusal exits 1 with one located line and writes nothing."""

from __future__ import annotations

import gzip
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from remote_server import FakeRemote, Route, serve

from .helpers import stationcast_cli

CLI = stationcast_cli()
GUARD = 15.0  # seconds; the dripping servers below keep sending for 40 s or more

FEED = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Night Shift</title><link>https://s.example/</link>
<description>Radio after dark.</description>
<item><title>One</title><guid>ep-1</guid><pubDate>Tue, 22 Sep 2015 17:35:00 -0400</pubDate>
<enclosure url="https://media.example/1.mp3" length="1000" type="audio/mpeg"/></item>
</channel></rss>
"""
PAGE = b"<!doctype html><html><head><title>Story</title></head><body><p>Text.</p></body></html>"
HINT = " (pass --allow-private to import from a server on your own network)"


@pytest.fixture
def remote() -> Iterator[FakeRemote]:
    with serve() as srv:
        srv.routes["/feed.xml"] = Route(FEED, "application/rss+xml")
        srv.routes["/story.html"] = Route(PAGE, "text/html; charset=utf-8")
        yield srv


def _run(command: str, url: str, episodes: Path, *args: str) -> Result:
    return CliRunner().invoke(
        CLI, ["import", command, url, "--episodes", str(episodes), *args], catch_exceptions=False
    )


def _refused(result: Result, episodes: Path) -> str:
    """The one error line of a refused import, after checking it wrote nothing."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert not episodes.exists()
    assert result.stdout == ""
    return result.stderr


@pytest.mark.parametrize(("command", "path"), [("page", "/story.html"), ("feed", "/feed.xml")])
def test_private_address_refused_by_default(
    remote: FakeRemote, tmp_path: Path, command: str, path: str
) -> None:
    """Without --allow-private a server on 127.0.0.1 is refused before any request, and the
    message says how to allow it."""
    url = remote.url(path)
    stderr = _refused(_run(command, url, tmp_path / "episodes"), tmp_path / "episodes")
    assert stderr == (
        f"error: {url}: cannot be fetched: 127.0.0.1 is a loopback address; refused{HINT}\n"
    )
    assert remote.requests == []


def test_allow_private_fetches_the_given_host(remote: FakeRemote, tmp_path: Path) -> None:
    """With --allow-private the feed on 127.0.0.1 is imported."""
    result = _run("feed", remote.url("/feed.xml"), tmp_path / "episodes", "--allow-private")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "episodes" / "one" / "episode.yaml").is_file()


_ONLY = " (private addresses are allowed only for 127.0.0.1)"
# (Location, the reason after "redirected to <Location>: "); {port}: the server's port.
REDIRECT_CASES = [
    ("http://10.0.0.1/feed.xml", "10.0.0.1 is a private address; refused" + _ONLY),
    (
        "http://169.254.169.254/latest/meta-data/",
        "169.254.169.254 is a cloud metadata address; refused" + _ONLY,
    ),
    (
        "http://localhost:{port}/feed.xml",
        "localhost resolves to 127.0.0.1, which is a loopback address; refused" + _ONLY,
    ),
    ("ftp://127.0.0.1/feed.xml", "unsupported URL scheme 'ftp'; only http and https"),
]


@pytest.mark.parametrize(("location", "reason"), REDIRECT_CASES)
def test_redirect_away_from_the_given_host_refused(
    remote: FakeRemote, tmp_path: Path, location: str, reason: str
) -> None:
    """--allow-private vouches for 127.0.0.1 only: its redirect to another private host, the
    metadata address, another name for loopback or another scheme is refused unfollowed."""
    target = location.format(port=remote.port)
    remote.routes["/old-feed"] = Route(status=301, headers={"Location": target})
    url = remote.url("/old-feed")
    episodes = tmp_path / "episodes"
    stderr = _refused(_run("feed", url, episodes, "--allow-private"), episodes)
    assert stderr == f"error: {url}: cannot be fetched: redirected to {target}: {reason}\n"
    assert [path for _, path, _ in remote.requests] == ["/old-feed"]


def test_redirect_loop_refused(remote: FakeRemote, tmp_path: Path) -> None:
    """A feed URL redirecting to itself is a loop, reported after one request."""
    remote.routes["/loop"] = Route(status=302, headers={"Location": "/loop"})
    url = remote.url("/loop")
    episodes = tmp_path / "episodes"
    stderr = _refused(_run("feed", url, episodes, "--allow-private"), episodes)
    assert stderr == (
        f"error: {url}: cannot be fetched: redirect loop: redirected to {url}, already requested\n"
    )


def test_dripping_feed_cut_off_at_the_timeout(remote: FakeRemote, tmp_path: Path) -> None:
    """A feed sent one byte every 0.2 s (60 s in all) stops the import at --timeout 1."""
    remote.routes["/drip.xml"] = Route(FEED, "application/rss+xml", drip=0.2)
    url = remote.url("/drip.xml")
    episodes = tmp_path / "episodes"
    start = time.monotonic()
    result = _run("feed", url, episodes, "--allow-private", "--timeout", "1")
    assert time.monotonic() - start < GUARD
    stderr = _refused(result, episodes)
    assert stderr.startswith(
        f"error: {url}: cannot be fetched: timed out: no complete answer within 1 s "
        "(reading the body, "
    )
    assert stderr.endswith(" bytes received)\n")


def test_slow_redirect_counts_against_the_same_timeout(remote: FakeRemote, tmp_path: Path) -> None:
    """The deadline covers redirects: the failing hop is named."""
    remote.routes["/old"] = Route(status=302, headers={"Location": "/feed.xml"}, delay=0.7)
    remote.routes["/feed.xml"].delay = 0.7
    url = remote.url("/old")
    episodes = tmp_path / "episodes"
    stderr = _refused(_run("feed", url, episodes, "--allow-private", "--timeout", "1"), episodes)
    assert stderr == (
        f"error: {url}: cannot be fetched: at {remote.url('/feed.xml')}: timed out: no complete "
        "answer within 1 s (waiting for the response headers)\n"
    )


def test_gzip_bomb_page_refused(remote: FakeRemote, tmp_path: Path) -> None:
    """A page of 11 KB gzip expanding to 11 MiB is refused at the 10 MiB page cap."""
    remote.routes["/bomb.html"] = Route(
        gzip.compress(b" " * (11 * 1024 * 1024)),
        "text/html",
        headers={"Content-Encoding": "gzip"},
    )
    url = remote.url("/bomb.html")
    episodes = tmp_path / "episodes"
    stderr = _refused(_run("page", url, episodes, "--allow-private"), episodes)
    assert stderr == (
        f"error: {url}: cannot be fetched: the gzip body expands to more than the "
        "10,485,760-byte limit; a story page may be at most 10,485,760 bytes\n"
    )


def test_oversized_feed_refused_unread(remote: FakeRemote, tmp_path: Path) -> None:
    """A feed announcing 70 MiB is refused from its Content-Length, before the body."""
    remote.routes["/huge.xml"] = Route(FEED, "application/rss+xml", declared_length=70 << 20)
    url = remote.url("/huge.xml")
    episodes = tmp_path / "episodes"
    stderr = _refused(_run("feed", url, episodes, "--allow-private"), episodes)
    assert stderr == (
        f"error: {url}: cannot be fetched: Content-Length 73,400,320 is larger than the "
        "67,108,864-byte limit; a podcast feed may be at most 67,108,864 bytes\n"
    )


def test_truncated_feed_refused(remote: FakeRemote, tmp_path: Path) -> None:
    """A connection that closes before Content-Length bytes came is an error: a cut feed would
    import fewer episodes without saying so."""
    remote.routes["/cut.xml"] = Route(FEED[:200], "application/rss+xml", declared_length=len(FEED))
    url = remote.url("/cut.xml")
    episodes = tmp_path / "episodes"
    stderr = _refused(_run("feed", url, episodes, "--allow-private"), episodes)
    assert stderr == (
        f"error: {url}: cannot be fetched: the connection closed after 200 of {len(FEED):,} bytes\n"
    )
