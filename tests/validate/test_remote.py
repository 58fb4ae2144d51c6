"""Network checks against a real HTTP server on 127.0.0.1 whose answers the test controls."""

from __future__ import annotations

import gzip
import io
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from remote_server import FakeRemote, Route, serve
from stationcast.validate import Report, validate_source
from stationcast.validate.rules import RULES

from .conftest import CHAPTERS, CLEAN, NOW, SRT, TRANSCRIPT_JSON, VTT, ids


def _image(fmt: str, size: int = 1400) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (size, size), (10, 120, 200)).save(buf, fmt)
    return buf.getvalue()


JPEG = _image("JPEG")
PNG = _image("PNG")


def _site(remote: FakeRemote) -> None:
    feed = CLEAN.read_bytes().replace(
        b"https://station.example/show/", f"{remote.base}/show/".encode()
    )
    r = remote.routes
    r["/show/feed.xml"] = Route(feed, "application/rss+xml; charset=utf-8")
    r["/show/artwork.jpg"] = Route(JPEG, "image/jpeg")
    r["/show/isis-defectors/art.png"] = Route(PNG, "image/png")
    r["/show/isis-defectors/audio.mp3"] = Route(b"\0" * 12345, "audio/mpeg")
    r["/show/flooded-library/audio.m4a"] = Route(b"\0" * 23456, "audio/x-m4a")
    r["/show/slow-storm/audio.mp3"] = Route(b"\0" * 3456, "audio/mpeg")
    ep = "/show/isis-defectors/"
    r[ep + "transcript.vtt"] = Route(VTT.encode(), "text/vtt; charset=utf-8", cors=True)
    r[ep + "transcript.srt"] = Route(SRT.encode(), "application/x-subrip", cors=True)
    r[ep + "transcript.json"] = Route(
        json.dumps(TRANSCRIPT_JSON).encode(), "application/json", cors=True
    )
    r[ep] = Route(b"<!doctype html><title>t</title>", "text/html; charset=utf-8", cors=True)
    r[ep + "chapters.json"] = Route(
        json.dumps(CHAPTERS).encode(), "application/json+chapters", cors=True
    )
    r["/show/flooded-library/transcript.vtt"] = Route(VTT.encode(), "text/vtt", cors=True)


@pytest.fixture
def remote() -> Iterator[FakeRemote]:
    with serve() as remote:
        _site(remote)
        yield remote


def check(srv: FakeRemote, path: str = "/show/feed.xml", **kw: object) -> Report:
    kw.setdefault("allow_private", True)
    kw.setdefault("timeout", 5.0)
    return validate_source(srv.url(path), now=NOW, **kw)  # type: ignore[arg-type]


def network_ids(report: Report) -> set[str]:
    """Findings other than those caused by the test server's own address (plain http, and a
    podcast:guid derived from https://station.example/…), and the fetch's own summary."""
    return ids(report) - {"podcast.https", "podcast.guid.url", "http.fetch.summary"}


def test_well_behaved_server_passes(remote: FakeRemote) -> None:
    """HEAD, ranges, ETag, right types and CORS everywhere: no network findings."""
    report = check(remote)
    assert network_ids(report) == set(), [(f.rule.id, f.message) for f in report.findings]
    methods = {(m, p) for m, p, _ in remote.requests}
    assert ("HEAD", "/show/feed.xml") in methods
    assert ("HEAD", "/show/slow-storm/audio.mp3") in methods
    assert all("Range" in h for m, p, h in remote.requests if m == "GET" and p.endswith(".m4a"))


def test_missing_range_support(remote: FakeRemote) -> None:
    """A media host that ignores Range (answers 200) breaks Apple's requirement."""
    remote.routes["/show/slow-storm/audio.mp3"].ranges = False
    report = check(remote)
    assert network_ids(report) == {"http.range"}
    [f] = [f for f in report.findings if f.rule.id == "http.range"]
    assert "slow-storm/audio.mp3" in f.message and "answered 200, not 206" in f.message
    assert f.line is not None


def test_no_head_support(remote: FakeRemote) -> None:
    remote.routes["/show/artwork.jpg"].head = False
    assert network_ids(check(remote)) == {"http.head"}


def test_wrong_transcript_content_type(remote: FakeRemote) -> None:
    """A .vtt served as text/plain contradicts its declared type."""
    remote.routes["/show/isis-defectors/transcript.vtt"].content_type = "text/plain"
    report = check(remote)
    assert network_ids(report) == {"http.transcript.content-type"}
    [f] = [f for f in report.findings if f.rule.id == "http.transcript.content-type"]
    assert "'text/plain', declared 'text/vtt'" in f.message


def test_no_cors(remote: FakeRemote) -> None:
    remote.routes["/show/isis-defectors/transcript.json"].cors = False
    remote.routes["/show/isis-defectors/chapters.json"].cors = False
    report = check(remote)
    assert network_ids(report) == {"http.cors"}
    assert len([f for f in report.findings if f.rule.id == "http.cors"]) == 2


def test_no_etag_or_last_modified(remote: FakeRemote) -> None:
    remote.routes["/show/feed.xml"].etag = False
    assert network_ids(check(remote)) == {"http.conditional"}


def test_last_modified_is_enough(remote: FakeRemote) -> None:
    route = remote.routes["/show/feed.xml"]
    route.etag = False
    route.headers["Last-Modified"] = "Tue, 06 Oct 2015 22:00:00 GMT"
    assert network_ids(check(remote)) == set()


def test_enclosure_length_against_server(remote: FakeRemote) -> None:
    remote.routes["/show/flooded-library/audio.m4a"].content_length = 99
    report = check(remote)
    assert network_ids(report) == {"apple.enclosure.size"}


def test_enclosure_content_type(remote: FakeRemote) -> None:
    remote.routes["/show/flooded-library/audio.m4a"].content_type = "audio/mp4"
    assert network_ids(check(remote)) == {"http.enclosure.content-type"}


def test_missing_file_and_broken_artwork(remote: FakeRemote) -> None:
    del remote.routes["/show/slow-storm/audio.mp3"]
    remote.routes["/show/artwork.jpg"].body = _image("PNG", 600)
    report = check(remote)
    assert network_ids(report) == {"http.unreachable", "apple.image.size", "apple.image.format"}


def test_bad_chapters_and_transcript_content(remote: FakeRemote) -> None:
    remote.routes["/show/isis-defectors/chapters.json"].body = b'{"version": 1, "chapters": {}}'
    remote.routes["/show/isis-defectors/transcript.vtt"].body = b"not a vtt"
    assert network_ids(check(remote)) == {"podcast.chapters.json", "podcast.transcript.vtt"}


def test_self_link_must_match_fetched_url(remote: FakeRemote) -> None:
    remote.routes["/other.xml"] = remote.routes["/show/feed.xml"]
    report = check(remote, "/other.xml")
    assert "psp1.self.mismatch" in ids(report)


def test_redirect_is_followed_and_self_link_may_match_the_target(remote: FakeRemote) -> None:
    remote.routes["/old.xml"] = Route(status=301, headers={"Location": "/show/feed.xml"})
    assert network_ids(check(remote, "/old.xml")) == set()


@pytest.mark.parametrize("status", [302, 303, 307])
def test_a_temporary_redirect_is_a_warning_and_the_chain_is_reported(
    remote: FakeRemote, status: int
) -> None:
    """A feed moved with 302/303/307 keeps every app asking the old URL; --remote reports the
    chain, hop by hop with its status, the time and the size."""
    remote.routes["/older.xml"] = Route(status=308, headers={"Location": "/old.xml"})
    remote.routes["/old.xml"] = Route(status=status, headers={"Location": "/show/feed.xml"})
    report = check(remote, "/older.xml")
    assert network_ids(report) == {"http.redirect.temporary"}
    (warning,) = [f for f in report.findings if f.rule.id == "http.redirect.temporary"]
    chain = (
        f"'{remote.url('/older.xml')}' -> 308 -> '{remote.url('/old.xml')}' -> {status} ->"
        f" '{remote.url('/show/feed.xml')}'"
    )
    assert warning.message == f"{chain} ({status})"
    (summary,) = [f for f in report.findings if f.rule.id == "http.fetch.summary"]
    assert summary.rule.severity == "info"
    assert re.fullmatch(
        rf"fetched in \d+\.\d\d s, [\d,]+ bytes, HTTP 200 through 2 redirects: {re.escape(chain)}",
        summary.message,
    ), summary.message
    plain = check(remote, "/show/feed.xml", remote=False)
    assert "http.fetch.summary" not in ids(plain)  # (only with --remote)
    assert "http.redirect.temporary" in ids(check(remote, "/older.xml", remote=False))


def test_no_network_checks_with_remote_off(remote: FakeRemote) -> None:
    check(remote, remote=False)
    assert {p for _, p, _ in remote.requests} == {"/show/feed.xml"}


# --- the feed fetch itself ---------------------------------------------------------------


def only(report: Report) -> str:
    assert len(report.findings) == 1, [(f.rule.id, f.message) for f in report.findings]
    return report.findings[0].rule.id


def test_private_address_refused_without_allow_private(remote: FakeRemote) -> None:
    """127.0.0.1 is refused unless --allow-private, with a message saying how; nothing is sent."""
    report = check(remote, allow_private=False)
    assert only(report) == "http.address"
    assert report.findings[0].message == (
        "127.0.0.1 is a loopback address; refused "
        "(pass --allow-private to check a server on your own network)"
    )
    assert "--allow-private" not in RULES["http.address"].hint
    assert remote.requests == []


def test_redirect_to_another_private_host_refused(remote: FakeRemote) -> None:
    """--allow-private allows the host given (127.0.0.1), not a redirect to another private
    host (127.0.0.2, also loopback); that one is never connected to."""
    remote.routes["/go"] = Route(
        status=302, headers={"Location": f"http://127.0.0.2:{remote.port}/admin"}
    )
    report = check(remote, "/go")
    assert only(report) == "http.address"
    assert report.findings[0].message == (
        f"redirected to http://127.0.0.2:{remote.port}/admin: 127.0.0.2 is a loopback address; "
        "refused (private addresses are allowed only for 127.0.0.1)"
    )
    assert [p for _, p, _ in remote.requests] == ["/go"]


def test_link_to_another_private_host_refused(remote: FakeRemote) -> None:
    """An enclosure on another private host than the feed's is refused too: a feed on your
    network cannot make the check reach the rest of it."""
    feed = remote.routes["/show/feed.xml"]
    other = f"http://127.0.0.2:{remote.port}/show/slow-storm/audio.mp3"
    feed.body = feed.body.replace(remote.url("/show/slow-storm/audio.mp3").encode(), other.encode())
    report = check(remote)
    refused = [f for f in report.findings if f.rule.id == "http.address"]
    assert [f.message for f in refused] == [
        f"enclosure '{other}': 127.0.0.2 is a loopback address; refused "
        "(private addresses are allowed only for 127.0.0.1)"
    ]
    assert not any(p.endswith("slow-storm/audio.mp3") for _, p, _ in remote.requests)


def test_redirect_loop(remote: FakeRemote) -> None:
    """F18: a redirect back to a URL already requested is a loop, reported at once."""
    remote.routes["/loop"] = Route(status=302, headers={"Location": "/loop"})
    report = check(remote, "/loop")
    assert only(report) == "http.redirects"
    assert report.findings[0].message == (
        f"redirect loop: redirected to {remote.url('/loop')}, already requested"
    )
    assert len(remote.requests) == 1


def test_too_many_redirects(remote: FakeRemote) -> None:
    """F18: a chain of redirects stops after 5 hops."""
    for i in range(10):
        remote.routes[f"/r{i}"] = Route(status=302, headers={"Location": f"/r{i + 1}"})
    report = check(remote, "/r0")
    assert only(report) == "http.redirects"
    assert report.findings[0].message == (
        f"more than 5 redirects (the last one to {remote.url('/r6')})"
    )
    assert len(remote.requests) == 6


def test_slow_server_times_out(remote: FakeRemote) -> None:
    """F19: a server that never answers is cut off at the timeout."""
    remote.routes["/slow"] = Route(b"x", delay=3)
    start = time.perf_counter()
    report = check(remote, "/slow", timeout=0.5)
    assert time.perf_counter() - start < 2.5
    assert only(report) == "http.fetch"
    assert report.findings[0].message == (
        "timed out: no complete answer within 0.5 s (waiting for the response headers)"
    )


def test_dripping_body_times_out(remote: FakeRemote) -> None:
    """F19: a body trickling one byte at a time is cut off by the total deadline."""
    remote.routes["/drip"] = Route(b"<rss>" + b" " * 200, "application/rss+xml", drip=0.05)
    start = time.perf_counter()
    report = check(remote, "/drip", timeout=1.0)
    assert time.perf_counter() - start < 3
    assert only(report) == "http.fetch"
    assert report.findings[0].message.startswith(
        "timed out: no complete answer within 1 s (reading the body, "
    )


def test_huge_content_length_refused_unread(remote: FakeRemote) -> None:
    """F5: a Content-Length over the cap is refused before the body is read."""
    remote.routes["/big"] = Route(b"x" * 5000, "application/rss+xml")
    assert only(check(remote, "/big", max_bytes=1000)) == "xml.too-large"


def test_gzip_bomb_refused(remote: FakeRemote) -> None:
    """F6: the cap applies to decompressed bytes."""
    bomb = gzip.compress(b"\0" * (20 * 1024 * 1024))
    remote.routes["/bomb"] = Route(
        bomb, "application/rss+xml", headers={"Content-Encoding": "gzip"}
    )
    assert only(check(remote, "/bomb", max_bytes=1024 * 1024)) == "xml.too-large"


def test_gzip_feed_is_decoded(remote: FakeRemote) -> None:
    route = remote.routes["/show/feed.xml"]
    route.body = gzip.compress(route.body)
    route.headers["Content-Encoding"] = "gzip"
    assert network_ids(check(remote, remote=False)) == set()


def test_media_url_is_not_a_feed(remote: FakeRemote) -> None:
    """F20: an MP3 URL given by mistake is refused without parsing."""
    assert only(check(remote, "/show/slow-storm/audio.mp3")) == "http.feed.content-type"


def test_html_page_url(remote: FakeRemote) -> None:
    remote.routes["/page"] = Route(b"<!DOCTYPE html><html><body>x</body></html>", "text/html")
    assert only(check(remote, "/page")) == "xml.html"


def test_not_found(remote: FakeRemote) -> None:
    report = check(remote, "/nope.xml")
    assert only(report) == "http.fetch"
    assert "HTTP 404" in report.findings[0].message


@pytest.mark.parametrize(
    "target", ["file:///etc/passwd", "ftp://127.0.0.1/feed.xml", "gopher://127.0.0.1/"]
)
def test_redirect_to_another_scheme_refused(remote: FakeRemote, target: str) -> None:
    """F17: a redirect may only lead to http(s); the target is never opened."""
    remote.routes["/jump"] = Route(status=302, headers={"Location": target})
    report = check(remote, "/jump")
    assert only(report) == "http.scheme"
    scheme = target.split(":", 1)[0]
    assert report.findings[0].message == (
        f"redirected to {target}: unsupported URL scheme {scheme!r}; only http and https"
    )


def test_remote_checks_for_a_local_file(remote: FakeRemote, tmp_path: Path) -> None:
    """--remote on a file: the linked files are checked over HTTP too."""
    feed = tmp_path / "feed.xml"
    feed.write_bytes(remote.routes["/show/feed.xml"].body)
    remote.routes["/show/slow-storm/audio.mp3"].ranges = False
    report = validate_source(
        str(feed), remote=True, allow_private=True, now=NOW, timeout=5, local_root=tmp_path
    )
    assert "http.range" in ids(report)
    assert "http.conditional" not in ids(report)  # no HTTP response for the feed itself


def test_audio_checks_what_the_first_bytes_of_each_enclosure_are(remote: FakeRemote) -> None:
    """--remote --audio: a Range request for each enclosure's first bytes; an M4A announced as
    MP3 is an error, an HTML page in place of the audio too; a true type is not reported, but
    a wrong duration is."""
    audio = Path(__file__).resolve().parent.parent / "data" / "audio"
    m4a = (audio / "aac-44100-stereo.m4a").read_bytes()
    r = remote.routes
    r["/show/isis-defectors/audio.mp3"] = Route(m4a, "audio/mpeg")
    r["/show/flooded-library/audio.m4a"] = Route(m4a, "audio/x-m4a")
    r["/show/slow-storm/audio.mp3"] = Route(b"<!doctype html><h1>Not found</h1>", "audio/mpeg")
    report = check(remote, audio=True)
    found = sorted(
        (f.rule.id, f.message) for f in report.findings if f.rule.id.startswith("audio.")
    )
    assert found == [
        (  # the true type, and its length measured through the range read
            "audio.duration",
            f"enclosure '{remote.url('/show/flooded-library/audio.m4a')}': <itunes:duration> says"
            " 1832 s but the audio lasts 3.0 s (measured from the whole file)",
        ),
        (
            "audio.type",
            f"enclosure '{remote.url('/show/isis-defectors/audio.mp3')}' says type=audio/mpeg"
            " but its first bytes are MP4",
        ),
        (
            "audio.unreadable",
            f"enclosure '{remote.url('/show/slow-storm/audio.mp3')}': is not audio in a supported"
            " format (no MP3 frame sync, and no M4A/MP4, Ogg, FLAC or WAV header); it looks like"
            " HTML, perhaps an error page saved in place of the audio",
        ),
    ]
    ranged = [h for m, p, h in remote.requests if p.endswith("audio.m4a") and m == "GET"]
    assert any(h.get("Range") == "bytes=0-65535" for h in ranged)
    assert not [f for f in check(remote).findings if f.rule.id.startswith("audio.")]
