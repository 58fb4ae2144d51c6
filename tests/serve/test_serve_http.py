"""The preview server over real HTTP on 127.0.0.1: ranges, HEAD, 304, types, CORS, traversal.

Cases H1-H14 are the hostile-request catalogue of the reliability notes (§6.6).
"""

from __future__ import annotations

import http.client
from pathlib import Path

import pytest

from stationcast.serve import PreviewServer

from .conftest import AUDIO, get, raw_request

SIZE = len(AUDIO)
MP3 = "/isis-defectors/audio.mp3"


def test_whole_file(server: PreviewServer) -> None:
    """A plain GET returns the bytes, their length and Accept-Ranges."""
    r = get(server.port, MP3)
    assert r.status == 200
    assert r.body == AUDIO
    assert r.header("content-length") == str(SIZE)
    assert r.header("accept-ranges") == "bytes"


@pytest.mark.parametrize(
    ("spec", "start", "end"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=100-", 100, SIZE - 1),
        ("bytes=-500", SIZE - 500, SIZE - 1),
        ("bytes=10-10", 10, 10),
        ("bytes = 5 - 9", 5, 9),
        ("BYTES=1-2", 1, 2),
        ("bytes=0-18446744073709551615", 0, SIZE - 1),  # H3: clamp last-pos (MS15-034 shape)
        ("bytes=-18446744073709551615", 0, SIZE - 1),  # H5: suffix longer than the file
        (f"bytes={SIZE - 1}-{SIZE + 50}", SIZE - 1, SIZE - 1),
    ],
)
def test_single_range(server: PreviewServer, spec: str, start: int, end: int) -> None:
    """A satisfiable single range answers 206 with exactly those bytes and Content-Range."""
    r = get(server.port, MP3, {"Range": spec})
    assert r.status == 206
    assert r.header("content-range") == f"bytes {start}-{end}/{SIZE}"
    assert r.header("content-length") == str(end - start + 1)
    assert r.body == AUDIO[start : end + 1]


@pytest.mark.parametrize(
    "spec",
    [
        "bytes=-0",  # H1: zero-length suffix
        "bytes=18446744073709551616-",  # H4
        f"bytes={SIZE}-",  # H4
        f"bytes={SIZE + 10}-{SIZE + 20}",
    ],
)
def test_unsatisfiable_range(server: PreviewServer, spec: str) -> None:
    """Ranges that select nothing answer 416 with `Content-Range: bytes */SIZE`."""
    r = get(server.port, MP3, {"Range": spec})
    assert r.status == 416
    assert r.header("content-range") == f"bytes */{SIZE}"
    assert AUDIO[:20] not in r.body


@pytest.mark.parametrize(
    "spec",
    [
        "bytes=5-3",  # H6
        "bytes=abc",  # H6
        "items=0-5",  # H6
        "bytes=",
        "bytes=-",
        "bytes=1-2-3",
        "bytes=0x10-20",
        "bytes=\u00b9-\u00b2",  # superscript digits: str.isdigit() says yes
        "bytes=" + "9" * 5000 + "-",  # longer than int() converts by default
        ",".join(["bytes=0-0"] + ["0-0"] * 199),  # H2: 200 identical ranges
        "bytes=0-,0-,0-",  # H2
        "bytes=0-0,2-2,4-4,6-6",  # several disjoint ranges: no multipart
    ],
)
def test_range_ignored(server: PreviewServer, spec: str) -> None:
    """Malformed, foreign-unit and multi-range headers are ignored: 200 with one copy."""
    r = get(server.port, MP3, {"Range": spec})
    assert r.status == 200
    assert r.body == AUDIO
    assert r.header("content-range") is None


def test_two_range_headers_ignored(server: PreviewServer) -> None:
    """Two Range fields are one multi-range in disguise: ignored."""
    request = (
        f"GET {MP3} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        "Range: bytes=0-1\r\nRange: bytes=5-6\r\n\r\n"
    ).encode()
    r = raw_request(server.port, request)
    assert r.status == 200
    assert r.body == AUDIO


def test_head(server: PreviewServer) -> None:
    """H13: HEAD answers 200 with Content-Length, Accept-Ranges, ETag and no body."""
    r = get(server.port, MP3, method="HEAD")
    assert r.status == 200
    assert r.header("content-length") == str(SIZE)
    assert r.header("accept-ranges") == "bytes"
    assert r.header("etag")
    assert r.header("last-modified")
    assert r.body == b""


def test_head_with_range(server: PreviewServer) -> None:
    """HEAD with a range describes the 206 without sending bytes."""
    r = get(server.port, MP3, {"Range": "bytes=0-9"}, method="HEAD")
    assert r.status == 206
    assert r.header("content-range") == f"bytes 0-9/{SIZE}"
    assert r.body == b""


def test_if_none_match_304(server: PreviewServer) -> None:
    """A matching If-None-Match answers 304 with the ETag and no body."""
    etag = get(server.port, MP3).header("etag")
    assert etag
    r = get(server.port, MP3, {"If-None-Match": etag})
    assert r.status == 304
    assert r.header("etag") == etag
    assert r.body == b""
    assert get(server.port, MP3, {"If-None-Match": f'W/{etag}, "other"'}).status == 304
    assert get(server.port, MP3, {"If-None-Match": '"nope"'}).status == 200


def test_if_modified_since_304(server: PreviewServer) -> None:
    """If-Modified-Since at or after Last-Modified answers 304; earlier answers 200."""
    last_modified = get(server.port, MP3).header("last-modified")
    assert last_modified
    assert get(server.port, MP3, {"If-Modified-Since": last_modified}).status == 304
    old = "Mon, 01 Jan 1990 00:00:00 GMT"
    assert get(server.port, MP3, {"If-Modified-Since": old}).status == 200
    assert get(server.port, MP3, {"If-Modified-Since": "garbage"}).status == 200


def test_changed_file_gets_new_etag(site: Path) -> None:
    """After a rebuild rewrites a file, the old ETag no longer matches."""
    server = PreviewServer(site, port=0)
    server.start()
    try:
        etag = get(server.port, "/feed.xml").header("etag")
        (site / "feed.xml").write_bytes(b"<rss version='2.0'><channel/></rss>")
        assert get(server.port, "/feed.xml", {"If-None-Match": str(etag)}).status == 200
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/feed.xml", "application/rss+xml"),
        ("/isis-defectors/audio.mp3", "audio/mpeg"),
        ("/isis-defectors/audio.m4a", "audio/x-m4a"),
        ("/isis-defectors/audio.ogg", "audio/ogg"),
        ("/isis-defectors/audio.opus", "audio/ogg"),
        ("/isis-defectors/audio.flac", "audio/flac"),
        ("/isis-defectors/transcript.vtt", "text/vtt"),
        ("/isis-defectors/transcript.srt", "application/x-subrip"),
        ("/isis-defectors/transcript.json", "application/json"),
        ("/isis-defectors/transcript.txt", "text/plain; charset=utf-8"),
        ("/isis-defectors/chapters.json", "application/json+chapters"),
        ("/isis-defectors/", "text/html; charset=utf-8"),
        ("/isis-defectors/index.html", "text/html; charset=utf-8"),
        ("/", "text/html; charset=utf-8"),
        ("/artwork.jpg", "image/jpeg"),
        ("/logo.png", "image/png"),
    ],
)
def test_content_types(server: PreviewServer, path: str, expected: str) -> None:
    """Every file type stationcast writes gets its exact Content-Type from the fixed table."""
    r = get(server.port, path)
    assert r.status == 200
    assert r.header("content-type") == expected
    assert r.header("x-content-type-options") == "nosniff"


@pytest.mark.parametrize(
    ("path", "cors"),
    [
        ("/feed.xml", True),
        ("/isis-defectors/transcript.vtt", True),
        ("/isis-defectors/transcript.srt", True),
        ("/isis-defectors/transcript.json", True),
        ("/isis-defectors/transcript.txt", True),
        ("/isis-defectors/chapters.json", True),
        ("/isis-defectors/audio.mp3", False),
        ("/index.html", False),
    ],
)
def test_cors(server: PreviewServer, path: str, cors: bool) -> None:
    """Transcripts, chapters and the feed carry `Access-Control-Allow-Origin: *`."""
    r = get(server.port, path, {"Origin": "https://player.example"})
    assert (r.header("access-control-allow-origin") == "*") is cors


def test_cors_preflight(server: PreviewServer) -> None:
    """OPTIONS on a transcript answers a CORS preflight allowing Range."""
    r = get(server.port, "/isis-defectors/transcript.vtt", method="OPTIONS")
    assert r.status == 204
    assert r.header("access-control-allow-origin") == "*"
    assert "Range" in (r.header("access-control-allow-headers") or "")


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_other_methods_refused(server: PreviewServer, method: str) -> None:
    """Only GET, HEAD and OPTIONS are served."""
    r = get(server.port, "/feed.xml", {"Content-Length": "0"}, method=method)
    assert r.status == 405
    assert r.header("allow") == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize(
    "path",
    [
        "/../../etc/passwd",  # H7
        "/../secret.txt",
        "/isis-defectors/../../secret.txt",
        "/%2e%2e/%2e%2e/etc/passwd",  # H8
        "/%2E%2E/secret.txt",
        "/..%2f..%2fetc%2fpasswd",  # H8
        "/..%2fsecret.txt",
        "/%252e%252e/etc/passwd",  # H8 double-encoded: decoded once it is a literal name
        "/%252e%252e/secret.txt",
        "/x%5c..%5c..%5csecret.txt",  # H9
        "/..\\secret.txt",
        "/leak.txt",  # H12: symlink to a file outside
        "/leakdir/secret.txt",  # symlinked folder outside
        "/etc/passwd",
        "//etc/passwd",
        "/.stationcast/state.json",  # hidden files are not served
        "/%2estationcast/state.json",
        "/empty-dir/",  # no listing, no index.html
        "/feed.xml/",
        "/C:/Windows/win.ini",
    ],
)
def test_no_escape(server: PreviewServer, path: str) -> None:
    """Traversal attempts never return bytes from outside (or hidden files): 404/400."""
    r = get(server.port, path)
    assert r.status in (400, 404)
    assert b"TOP SECRET" not in r.body
    assert b"root:" not in r.body


def test_nul_byte_400(server: PreviewServer) -> None:
    """H10: an encoded NUL is a bad request."""
    assert get(server.port, "/feed.xml%00.html").status == 400


def test_absolute_form_target_refused(server: PreviewServer) -> None:
    """A request target that is not a path cannot name a file."""
    r = get(server.port, "http://127.0.0.1/etc/passwd")
    assert r.status in (400, 404)
    assert b"root:" not in r.body


def test_symlink_inside_served(server: PreviewServer) -> None:
    """A symlink that stays inside the folder is fine."""
    r = get(server.port, "/inside-link.mp3")
    assert r.status == 200
    assert r.body == AUDIO


def test_directory_redirect_is_local(server: PreviewServer) -> None:
    """A directory without its slash redirects to a path, never to `//host`."""
    r = get(server.port, "/isis-defectors")
    assert r.status == 301
    assert r.header("location") == "/isis-defectors/"


@pytest.mark.parametrize("path", ["//evil.example/%2e%2e", "//evil.example", "///evil.example/"])
def test_no_open_redirect(server: PreviewServer, path: str) -> None:
    """H11: no Location header starting with `//` (CVE-2021-28861)."""
    r = get(server.port, path)
    location = r.header("location")
    assert location is None or not location.startswith("//")
    assert r.status in (400, 404)


def test_long_path_414(server: PreviewServer) -> None:
    """H14: a 10 000-character path answers 414 and the server stays up."""
    r = get(server.port, "/" + "a" * 10_000)
    assert r.status == 414
    assert get(server.port, "/feed.xml").status == 200


def test_many_headers_431(server: PreviewServer) -> None:
    """H14: 1 000 header fields answer 431 (or 400 from h11's size cap); the server stays up."""
    r = get(server.port, "/feed.xml", {f"X-H{i}": "v" for i in range(1000)})
    assert r.status in (400, 431)
    assert get(server.port, "/feed.xml").status == 200


def test_huge_headers_refused(server: PreviewServer) -> None:
    """A 64 KiB header block is refused before the app; the server stays up."""
    r = get(server.port, "/feed.xml", {"X-Big": "a" * 65536})
    assert r.status in (400, 431)
    assert get(server.port, "/feed.xml").status == 200


def test_keep_alive_client(server: PreviewServer) -> None:
    """An ordinary HTTP client with a persistent connection: two ranges in a row."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        for start in (0, 1000):
            conn.request("GET", MP3, headers={"Range": f"bytes={start}-{start + 9}"})
            resp = conn.getresponse()
            assert resp.status == 206
            assert resp.read() == AUDIO[start : start + 10]
    finally:
        conn.close()


def test_ipv6_loopback(site: Path) -> None:
    """`--host ::1` listens on IPv6 loopback and prints a bracketed URL."""
    try:
        server = PreviewServer(site, host="::1", port=0)
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    server.start()
    try:
        assert server.url == f"http://[::1]:{server.port}/"
        conn = http.client.HTTPConnection("::1", server.port, timeout=5)
        conn.request("HEAD", "/feed.xml")
        assert conn.getresponse().status == 200
        conn.close()
    finally:
        server.stop()
