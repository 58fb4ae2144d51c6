"""The real build pipeline into a preview folder, served over HTTP: every URL in the feed works."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree

from stationcast.serve import PreviewServer
from support import EXAMPLE, copy_example

from .conftest import get

AUDIO = Path(__file__).resolve().parents[1] / "data" / "audio"


def test_preview_of_example_show(tmp_path: Path) -> None:
    """Build the example show with the server's URL; the feed and every URL in it resolve."""
    from stationcast.build import build_show

    if not (EXAMPLE / "show.yaml").is_file():
        pytest.skip("the example show is not in this checkout")
    episodes = tmp_path / "episodes"
    copy_example(episodes)
    out = tmp_path / "preview"
    server = PreviewServer(out, port=0)
    try:
        build_show(episodes, out, base_url=server.url)
        server.start()
        feed = get(server.port, "/feed.xml")
        assert feed.status == 200
        assert feed.header("content-type") == "application/rss+xml"
        root = etree.fromstring(feed.body)
        urls = [e.get("url") for e in root.iter("enclosure")]
        urls += [e.get("url") for e in root.iter("{*}transcript")]
        urls += [e.text for e in root.iter("link")]
        assert urls
        for url in urls:
            assert url.startswith(server.url), url
            reply = get(server.port, urlsplit(url).path, {"Range": "bytes=0-0"})
            assert reply.status in (200, 206), url
    finally:
        server.stop()


def test_preview_of_show_with_alternate_enclosures(tmp_path: Path) -> None:
    """A show with alternates (a local Opus file and a remote https AAC) builds for an http
    preview: alternateEnclosures whose source would be http are left out, like transcripts,
    and the https one stays; every URL in the feed resolves."""
    from stationcast.build import build_show

    if not (EXAMPLE / "show.yaml").is_file():
        pytest.skip("the example show is not in this checkout")
    episodes = tmp_path / "episodes"
    copy_example(episodes)
    slug = "islamic-state-defectors"
    shutil.copy(AUDIO / "opus-48000-mono.opus", episodes / slug / "audio.opus")
    with (episodes / slug / "episode.yaml").open("a", encoding="utf-8") as f:
        f.write(
            "alternates:\n"
            "  - {file: audio.opus, title: Opus}\n"
            "  - {url: https://media.example.org/isis.m4a, type: audio/x-m4a, length: 1234567,"
            " title: AAC}\n"
        )
    out = tmp_path / "preview"
    server = PreviewServer(out, port=0)
    try:
        result = build_show(episodes, out, base_url=server.url)
        assert any("is not https" in w for w in result.warnings)
        server.start()
        feed = get(server.port, "/feed.xml")
        root = etree.fromstring(feed.body)
        sources = [e.get("uri") for e in root.iter("{*}source")]
        assert sources == ["https://media.example.org/isis.m4a"]
        assert (out / slug / "audio.opus").is_file()  # still published, just not in the feed
        for url in [e.get("url") for e in root.iter("enclosure")]:
            assert get(server.port, urlsplit(url).path, {"Range": "bytes=0-0"}).status == 206
    finally:
        server.stop()


def test_serve_previews_a_whole_station(tmp_path: Path) -> None:
    """`stationcast serve` run in a station folder: the real build and server in a subprocess;
    the station page at the root, each show under /<show>/ with every URL in its feed on this
    server, the station's files too, and an edit to one show rebuilt."""
    import os
    import re
    import subprocess
    import sys
    import time

    from station.conftest import copy_station

    station = copy_station(tmp_path / "station")
    proc = subprocess.Popen(
        [sys.executable, "-m", "stationcast", "serve", "--port", "0", "--out", "../preview"],
        cwd=station,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    try:
        assert proc.stdout is not None
        lines: list[str] = []
        while not any("Subscribe to short-cuts:" in line for line in lines) and len(lines) < 12:
            lines.append(proc.stdout.readline())
        found = re.search(r"Station page: (http://127\.0\.0\.1:(\d+)/)index\.html", "".join(lines))
        assert found, lines
        base, port = found.group(1), int(found.group(2))
        page = get(port, "/index.html")
        assert page.status == 200 and b'href="segments/index.html"' in page.body
        opml = get(port, "/podcasts.opml").body
        assert f'xmlUrl="{base}short-cuts/feed.xml"'.encode() in opml
        publisher = etree.fromstring(get(port, "/publisher.xml").body)
        remote = list(publisher.iter("{*}remoteItem"))
        # an http preview: the remote items keep their feed GUIDs, not an http feedUrl
        assert remote and all(r.get("feedGuid") and r.get("feedUrl") is None for r in remote)
        for show in ("segments", "short-cuts"):
            feed = etree.fromstring(get(port, f"/{show}/feed.xml").body)
            urls = [e.get("url") for e in feed.iter("enclosure")]
            urls += [e.text for e in feed.iter("link")]
            assert urls
            for url in urls:
                assert url.startswith(f"{base}{show}/"), url
                assert get(port, urlsplit(url).path, {"Range": "bytes=0-0"}).status in (200, 206)
        yaml = station / "short-cuts" / "show.yaml"
        yaml.write_text(yaml.read_text().replace("title: WUNC Short Cuts", "title: Cuts, renamed"))
        deadline = time.monotonic() + 30
        # the station page is written after the shows: once it names the new title, so does
        # the show's feed
        while b"Cuts, renamed" not in get(port, "/index.html").body:
            assert time.monotonic() < deadline, "the edit was not rebuilt"
            time.sleep(0.1)
        assert b"Cuts, renamed" in get(port, "/short-cuts/feed.xml").body
        assert not (station / "feeds").exists()  # the preview is not the published output
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
