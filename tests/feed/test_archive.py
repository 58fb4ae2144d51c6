"""Large archives: feed.xml keeps the newest N episodes, older ones go to RFC 5005 archive pages."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import feedparser
from click.testing import Result

from support import tree_digest

from .helpers import ATOM, BASE, GUID, SLUG, append, edit, parse
from .test_spec_rules import check_podcast_tags

HISTORY = "http://purl.org/syndication/history/1.0"


def _episodes(show: Path, count: int) -> list[str]:
    """`count` more episodes, one a day after the example's; returns all GUIDs, oldest first."""
    guids = [GUID]
    for day in range(1, count + 1):
        folder = show / f"day-{day}"
        shutil.copytree(show / SLUG, folder)
        guid = f"00000000-0000-4000-8000-{day:012d}"
        edit(folder / "episode.yaml", f"guid: {GUID}", f"guid: {guid}")
        edit(folder / "episode.yaml", "2015-09-22T17:35", f"2015-09-{22 + day}T17:35")
        guids.append(guid)
    return guids


def _links(path: Path) -> list[tuple[str, str]]:
    channel = parse(path).find("channel")
    return [(e.get("rel"), e.get("href")) for e in channel.findall(f"{{{ATOM}}}link")]


def _guids(path: Path) -> list[str]:
    return [g.text for g in parse(path).findall("channel/item/guid")]


def test_archive_pages(show: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    """5 episodes, 2 per feed: feed.xml has the newest 2, archive-1 the oldest 2, archive-2 one."""
    guids = _episodes(show, 4)
    append(show / "show.yaml", "archive: {feed_items: 2}\n")
    result = run("build")
    assert result.exit_code == 0, result.stderr
    out = tmp_path / "feeds"
    assert _guids(out / "feed.xml") == [guids[4], guids[3]]
    assert _guids(out / "archive-2.xml") == [guids[2]]
    assert _guids(out / "archive-1.xml") == [guids[1], guids[0]]
    assert _links(out / "feed.xml") == [
        ("self", f"{BASE}feed.xml"),
        ("prev-archive", f"{BASE}archive-2.xml"),
    ]
    assert _links(out / "archive-2.xml") == [
        ("self", f"{BASE}archive-2.xml"),
        ("current", f"{BASE}feed.xml"),
        ("prev-archive", f"{BASE}archive-1.xml"),
    ]
    assert _links(out / "archive-1.xml") == [
        ("self", f"{BASE}archive-1.xml"),
        ("current", f"{BASE}feed.xml"),
        ("next-archive", f"{BASE}archive-2.xml"),
    ]
    # fh:archive marks archive documents only (RFC 5005 section 4)
    assert parse(out / "archive-1.xml").find(f"channel/{{{HISTORY}}}archive") is not None
    assert parse(out / "feed.xml").find(f"channel/{{{HISTORY}}}archive") is None
    # every episode is still recorded as published
    state = json.loads((out / ".stationcast" / "state.json").read_text())
    assert sorted(e["guid"] for e in state["episodes"]) == sorted(guids)
    for name in ("feed.xml", "archive-1.xml", "archive-2.xml"):
        assert check_podcast_tags(out / name) == []
        parsed = feedparser.parse((out / name).read_bytes())
        assert not parsed.bozo


def test_full_archive_pages_do_not_change(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """A new episode moves one into the newest archive page; full pages stay byte-identical."""
    _episodes(show, 4)
    append(show / "show.yaml", "archive: {feed_items: 2}\n")
    assert run("build").exit_code == 0
    before = tree_digest(tmp_path / "feeds")
    _episodes_more = show / "day-5"
    shutil.copytree(show / "day-4", _episodes_more)
    edit(
        _episodes_more / "episode.yaml",
        "00000000-0000-4000-8000-000000000004",
        "00000000-0000-4000-8000-000000000005",
    )
    edit(_episodes_more / "episode.yaml", "2015-09-26T17:35", "2015-09-27T17:35")
    assert run("build").exit_code == 0
    after = tree_digest(tmp_path / "feeds")
    assert after["archive-1.xml"] == before["archive-1.xml"]
    assert after["archive-2.xml"] != before["archive-2.xml"]  # the newest page fills up
    assert _guids(tmp_path / "feeds" / "archive-2.xml") == [
        "00000000-0000-4000-8000-000000000003",
        "00000000-0000-4000-8000-000000000002",
    ]


def test_paging_is_off_by_default(show: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    """Without `archive:`, every episode is in feed.xml and there are no archive pages or links."""
    guids = _episodes(show, 4)
    assert run("build").exit_code == 0
    out = tmp_path / "feeds"
    assert sorted(_guids(out / "feed.xml")) == sorted(guids)
    assert not list(out.glob("archive-*.xml"))
    assert "prev-archive" not in (out / "feed.xml").read_text()
