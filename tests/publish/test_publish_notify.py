"""WebSub and Podping notifications against a local receiver on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner, Result

from stationcast.cli.publish import publish_command
from stationcast.publish import notify

from .conftest import GUIDS, Receiver, feed_xml, make_site, serve_receiver

SELF = "https://podcasts.example.org/feed.xml"


def publish(site: Path, dest: Path, *extra: str) -> Result:
    return CliRunner().invoke(
        publish_command, ["--to", str(dest), "--out", str(site), *extra], catch_exceptions=False
    )


def test_websub_publish_ping(tmp_path: Path, receiver: Receiver) -> None:
    """POST hub.mode=publish&hub.url=<self> to each hub, after the feed is in place."""
    site = make_site(tmp_path / "feeds", hub=receiver.url)
    dest = tmp_path / "www"
    receiver.read_feed = lambda: (
        (dest / "feed.xml").read_bytes() if (dest / "feed.xml").exists() else None
    )
    result = publish(site, dest)
    assert result.exit_code == 0, result.output
    assert len(receiver.pings) == 1
    ping = receiver.pings[0]
    assert ping.method == "POST"
    assert ping.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qs(ping.body.decode()) == {"hub.mode": ["publish"], "hub.url": [SELF]}
    assert ping.seen_feed == (site / "feed.xml").read_bytes()
    assert f"pinged websub {receiver.url}: HTTP 202" in result.output


def test_no_ping_when_feed_unchanged(tmp_path: Path, receiver: Receiver) -> None:
    """A publish that did not change the feed pings nobody."""
    site = make_site(tmp_path / "feeds", hub=receiver.url)
    dest = tmp_path / "www"
    assert publish(site, dest).exit_code == 0
    (site / "index.html").write_text("<p>changed page</p>", encoding="utf-8")
    assert publish(site, dest).exit_code == 0
    assert len(receiver.pings) == 1


def test_no_ping_option(tmp_path: Path, receiver: Receiver) -> None:
    """--no-ping uploads without notifying."""
    site = make_site(tmp_path / "feeds", hub=receiver.url)
    assert publish(site, tmp_path / "www", "--no-ping").exit_code == 0
    assert receiver.pings == []


def test_failed_hub_is_a_warning(tmp_path: Path, receiver: Receiver) -> None:
    """U6: a hub answering 500 is a warning with a retry command; the publish succeeds."""
    receiver.status = 500
    site = make_site(tmp_path / "feeds", hub=receiver.url)
    result = publish(site, tmp_path / "www")
    assert result.exit_code == 0
    assert f"warning: websub ping to {receiver.url} failed: HTTP 500" in result.stderr
    assert "to retry: curl -fsS -d hub.mode=publish" in result.stderr
    assert (tmp_path / "www" / "feed.xml").exists()


def test_unreachable_hub_is_a_warning(tmp_path: Path) -> None:
    """U6: nothing listening at the hub's port: warning, exit 0."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again before the ping: connection refused
    site = make_site(tmp_path / "feeds", hub=f"http://127.0.0.1:{port}/hub")
    result = publish(site, tmp_path / "www")
    assert result.exit_code == 0
    assert "warning: websub ping" in result.stderr


def test_podping_with_token(
    tmp_path: Path, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With STATIONCAST_PODPING_TOKEN set, GET <podping url>?url=<self> with the token."""
    monkeypatch.setenv("STATIONCAST_PODPING_TOKEN", "secret-token")
    monkeypatch.setenv("STATIONCAST_PODPING_URL", receiver.url)
    site = make_site(tmp_path / "feeds")
    result = publish(site, tmp_path / "www")
    assert result.exit_code == 0, result.output
    assert len(receiver.pings) == 1
    ping = receiver.pings[0]
    assert ping.method == "GET"
    assert ping.headers["Authorization"] == "secret-token"
    query = parse_qs(urlsplit(ping.path).query)
    assert query == {"url": [SELF], "reason": ["update"], "medium": ["podcast"]}
    assert "secret-token" not in result.output


@pytest.fixture
def second_receiver() -> Iterator[Receiver]:
    """Another receiver, on a port of its own: where a redirect points."""
    yield from serve_receiver()


def test_podping_redirect_is_not_followed(
    tmp_path: Path, receiver: Receiver, second_receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Podping endpoint answering with a redirect does not get the token sent on: the
    redirect is reported as a failed ping naming its target, and the target sees nothing."""
    monkeypatch.setenv("STATIONCAST_PODPING_TOKEN", "secret-token")
    monkeypatch.setenv("STATIONCAST_PODPING_URL", receiver.url)
    receiver.status = 302
    receiver.location = second_receiver.url + "steal"
    result = publish(make_site(tmp_path / "feeds"), tmp_path / "www")
    assert result.exit_code == 0, result.output
    assert len(receiver.pings) == 1
    assert second_receiver.pings == []
    assert (
        f"warning: podping ping to {receiver.url} failed: HTTP 302 Found, redirected to"
        f" {second_receiver.url}steal; pings do not follow redirects" in result.stderr
    )
    assert "secret-token" not in result.output


def test_no_podping_without_token(
    tmp_path: Path, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No token, no Podping, even when a Podping URL is configured."""
    monkeypatch.setenv("STATIONCAST_PODPING_URL", receiver.url)
    assert publish(make_site(tmp_path / "feeds"), tmp_path / "www").exit_code == 0
    assert receiver.pings == []


def test_feed_without_self_link() -> None:
    """Hubs but no self URL: nothing is sent, and the reason is reported."""
    feed = feed_xml("http://127.0.0.1:9/hub", GUIDS).replace(b'rel="self"', b'rel="alternate"')
    results = notify(feed)
    assert len(results) == 1 and not results[0].ok
    assert 'no <atom:link rel="self">' in results[0].detail


def test_non_http_hub_skipped() -> None:
    """A hub URL that is not http(s) is never contacted."""
    results = notify(feed_xml("file:///etc/passwd", GUIDS))
    assert [(r.ok, r.detail) for r in results] == [(False, "not an http(s) URL; skipped")]
