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
