"""`import feed` follows RFC 5005 archive pages: from files and URLs, with a cap and loops."""

from __future__ import annotations

import functools
import shutil
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from stationcast.build import build_show
from stationcast.importers import archive
from support import EXAMPLE, local_http

from .helpers import manifest, stationcast_cli

ATOM = 'xmlns:atom="http://www.w3.org/2005/Atom"'


def _page(items: range, *links: tuple[str, str]) -> str:
    """A feed page with items numbered as given and atom:links (rel, href)."""
    atom = "".join(f'<atom:link rel="{rel}" href="{href}"/>' for rel, href in links)
    body = "".join(
        f"<item><title>Episode {n}</title><guid>ep-{n}</guid>"
        f"<pubDate>Mon, {n:02d} Jan 2024 10:00:00 +0000</pubDate>"
        f"<description>Part {n}.</description>"
        f'<enclosure url="https://media.example.org/{n}.mp3" length="{1000 + n}"'
        ' type="audio/mpeg"/>'
        "</item>"
        for n in items
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" {ATOM}><channel>'
        f"<title>Paged Show</title><link>https://example.org/</link>"
        f"<description>A show.</description><language>en</language>{atom}{body}"
        "</channel></rss>"
    )


def _run(*args: str) -> Result:
    return CliRunner().invoke(stationcast_cli(), ["import", "feed", *args], catch_exceptions=False)


def _guids(episodes: Path) -> set[str]:
    return {
        str(manifest(f / "episode.yaml")["guid"])  # type: ignore[index]
        for f in episodes.iterdir()
        if f.is_dir()
    }


def test_stationcast_paged_output_imports_every_episode(tmp_path: Path) -> None:
    """A show stationcast built with `archive: {feed_items: 2}` (feed.xml and two archive
    pages, linked by absolute URLs) imports from its folder with all 6 episodes, and the new
    show.yaml pages the same way."""
    old = tmp_path / "old"
    (tmp_path / "one.xml").write_text(
        _page(range(6, 0, -1), ("self", "https://example.org/show/feed.xml"))
    )
    assert _run(str(tmp_path / "one.xml"), "--episodes", str(old)).exit_code == 0
    show = old / "show.yaml"
    show.write_text(show.read_text() + "archive: {feed_items: 2}\n")
    shutil.copy(EXAMPLE / "artwork.jpg", old / "artwork.jpg")
    build_show(old, tmp_path / "feeds")
    assert (tmp_path / "feeds" / "archive-2.xml").is_file()

    new = tmp_path / "new"
    result = _run(str(tmp_path / "feeds" / "feed.xml"), "--episodes", str(new))
    assert result.exit_code == 0, result.output
    assert _guids(new) == {f"ep-{n}" for n in range(1, 7)}
    assert manifest(new / "show.yaml")["archive"] == {"feed_items": 2}  # type: ignore[index]
    assert "from 3 feed pages (the feed and its archive)" in result.stdout
    assert "Round trip: 6 items read (3 pages): 6 imported" in result.stdout


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A folder served over HTTP on 127.0.0.1 (a random port), stopped after the test."""
    root = tmp_path / "site"
    root.mkdir()
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(root))
    with local_http(handler) as url:
        yield url, root


def test_archive_pages_are_fetched_from_a_url(served: tuple[str, Path], tmp_path: Path) -> None:
    """From a URL, relative prev-archive links are resolved against each page's URL and
    fetched with the same client; every page's items are imported."""
    base, root = served
    (root / "feed.xml").write_text(_page(range(4, 2, -1), ("prev-archive", "pages/2.xml")))
    (root / "pages").mkdir()
    (root / "pages" / "2.xml").write_text(_page(range(2, 1, -1), ("prev-archive", "1.xml")))
    (root / "pages" / "1.xml").write_text(_page(range(1, 0, -1)))
    episodes = tmp_path / "episodes"
    result = _run(base + "feed.xml", "--episodes", str(episodes), "--allow-private")
    assert result.exit_code == 0, result.output
    assert _guids(episodes) == {"ep-1", "ep-2", "ep-3", "ep-4"}
    assert manifest(episodes / "show.yaml")["archive"] == {"feed_items": 2}  # type: ignore[index]


def test_a_loop_of_archive_pages_stops_with_a_note(tmp_path: Path) -> None:
    """Pages linking back to a page already read stop the chain there, said so; each item is
    imported once."""
    (tmp_path / "feed.xml").write_text(_page(range(3, 2, -1), ("prev-archive", "a.xml")))
    (tmp_path / "a.xml").write_text(_page(range(2, 1, -1), ("prev-archive", "feed.xml")))
    episodes = tmp_path / "episodes"
    result = _run(str(tmp_path / "feed.xml"), "--episodes", str(episodes))
    assert result.exit_code == 0, result.output
    assert _guids(episodes) == {"ep-2", "ep-3"}
    assert (
        f"note: {tmp_path}/a.xml: its prev-archive link feed.xml leads back to a page already"
        " read (a loop); stopped there"
    ) in result.stderr.splitlines()


def test_a_file_never_reaches_the_network_for_its_archive(tmp_path: Path) -> None:
    """From a file, an archive page elsewhere on the web is not fetched: a note says how to get
    it, and the feed's own items are imported."""
    (tmp_path / "feed.xml").write_text(
        _page(range(2, 1, -1), ("prev-archive", "https://other.example.net/archive-1.xml"))
    )
    episodes = tmp_path / "episodes"
    result = _run(str(tmp_path / "feed.xml"), "--episodes", str(episodes))
    assert result.exit_code == 0, result.output
    assert _guids(episodes) == {"ep-2"}
    assert (
        f"note: {tmp_path}/feed.xml: the archive page https://other.example.net/archive-1.xml is"
        " not beside the file, so it was not read (nothing is fetched when importing a file);"
        " import from the feed's URL, or save the archive pages beside it"
    ) in result.stderr.splitlines()
    assert "archive" not in manifest(episodes / "show.yaml")  # type: ignore[operator]


def test_a_missing_archive_page_is_a_note(tmp_path: Path) -> None:
    """A prev-archive link to a file that is not there says so; the pages read are imported."""
    (tmp_path / "feed.xml").write_text(_page(range(2, 1, -1), ("prev-archive", "gone.xml")))
    result = _run(str(tmp_path / "feed.xml"), "--episodes", str(tmp_path / "episodes"))
    assert result.exit_code == 0, result.output
    assert (
        f"note: {tmp_path}/feed.xml: the archive page gone.xml is not there ({tmp_path}/gone.xml);"
        " the older items are not imported"
    ) in result.stderr.splitlines()


def test_the_page_cap_stops_a_chain_that_never_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More archive pages than the cap (lowered here to 2) stops before the next, said so."""
    monkeypatch.setattr(archive, "MAX_ARCHIVE_PAGES", 2)
    for n in range(5, 0, -1):
        links = [("prev-archive", f"p{n - 1}.xml")] if n > 1 else []
        (tmp_path / f"p{n}.xml").write_text(_page(range(n, n - 1, -1), *links))
    episodes = tmp_path / "episodes"
    result = _run(str(tmp_path / "p5.xml"), "--episodes", str(episodes))
    assert result.exit_code == 0, result.output
    assert _guids(episodes) == {"ep-5", "ep-4", "ep-3"}
    assert (
        f"note: {tmp_path}/p3.xml: more than 2 archive pages; stopped before p2.xml (the older"
        " items are not imported)"
    ) in result.stderr.splitlines()


def test_a_broken_archive_page_writes_nothing(tmp_path: Path) -> None:
    """An archive page that is not XML is an error naming it, and nothing is written."""
    (tmp_path / "feed.xml").write_text(_page(range(2, 1, -1), ("prev-archive", "bad.xml")))
    (tmp_path / "bad.xml").write_text("<rss><channel><item></channel>")
    episodes = tmp_path / "episodes"
    result = CliRunner().invoke(
        stationcast_cli(),
        ["import", "feed", str(tmp_path / "feed.xml"), "--episodes", str(episodes)],
    )
    assert result.exit_code == 1
    assert f"{tmp_path}/bad.xml:1:" in result.output and "is not well-formed XML" in result.output
    assert "Traceback" not in result.output
    assert not episodes.exists()
