"""`import feed`, then `build` with no edit in between: what an old feed has that the build
would refuse is either turned into a value the build takes, or its episode is a draft whose
manifest says, in a TODO(import) line, what to fix. Each case end to end, in tmp."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from lxml import etree

from stationcast.build import build_show
from support import EXAMPLE

from .helpers import manifest, stationcast_cli

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"'
    ' xmlns:podcast="https://podcastindex.org/namespace/1.0"'
    ' xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
    "<title>Test Show</title><link>https://example.org/</link>"
    "<description>A show</description><language>en</language>"
)
# Where the old feed lived (its podcast:guid is computed from it): not a /feed.xml, so the
# import suggests a placeholder base_url, which the tests replace as a user would.
SELF = '<atom:link rel="self" href="https://example.org/pod/rss" type="application/rss+xml"/>'
NEW = "https://example.org/new/"


def _item(guid: str, day: int, enclosure: str = "", extra: str = "") -> str:
    enclosure = enclosure or (
        f'<enclosure url="https://media.example.org/{guid}.mp3" length="1234" type="audio/mpeg"/>'
    )
    return (
        f"<item><title>Episode {guid}</title><guid>{guid}</guid>"
        f"<pubDate>Mon, {day:02d} Jan 2023 10:00:00 +0000</pubDate>"
        f"<description>About {guid}.</description>{enclosure}{extra}</item>"
    )


def _import_and_build(
    tmp_path: Path, channel: str, items: str, *, base_url: str | None = None
) -> tuple[Result, Path, Any]:
    """Import the feed (channel tags, items) from a file, add the artwork, build: (the import's
    result, the episodes folder, the built feed's root element)."""
    feed = tmp_path / "old.xml"
    feed.write_text(HEAD + (channel or SELF) + items + "</channel></rss>", encoding="utf-8")
    episodes = tmp_path / "episodes"
    result = CliRunner().invoke(
        stationcast_cli(),
        ["import", "feed", str(feed), "--episodes", str(episodes)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    shutil.copy(EXAMPLE / "artwork.jpg", episodes / "artwork.jpg")
    build_show(episodes, tmp_path / "feeds", base_url=base_url)
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return result, episodes, etree.parse(str(tmp_path / "feeds" / "feed.xml"), parser).getroot()


def _guids(root: Any) -> list[str]:
    return [str(item.findtext("guid")) for item in root.iter("item")]


def _todos(path: Path) -> list[str]:
    return [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.lstrip().startswith("# TODO(import):")
    ]


def test_a_blocked_item_is_a_draft_with_its_reason(tmp_path: Path) -> None:
    """itunes:block Yes on an item: the old feed hid it from Apple Podcasts, so the import
    keeps it out of the new feed, as a draft with a TODO saying why; `No` blocks nothing."""
    result, episodes, root = _import_and_build(
        tmp_path,
        "",
        _item("a", 2, extra="<itunes:block>Yes</itunes:block>")
        + _item("b", 3, extra="<itunes:block>no</itunes:block>"),
        base_url=NEW,
    )
    assert _guids(root) == ["b"]
    hidden = manifest(episodes / "episode-a" / "episode.yaml")
    assert isinstance(hidden, dict) and hidden["draft"] is True
    (todo,) = _todos(episodes / "episode-a" / "episode.yaml")
    assert todo.startswith("# TODO(import): draft: the old feed hid this episode (itunes:block")
    assert "episode-a/episode.yaml:" in result.stderr and "draft: the old feed hid" in result.stderr
    shown = manifest(episodes / "episode-b" / "episode.yaml")
    assert isinstance(shown, dict) and "draft" not in shown


def test_retired_categories_keep_their_parent_or_successor(tmp_path: Path) -> None:
    """A category Apple retired in 2019 becomes its successor, a subcategory Apple does not
    list keeps its valid parent, each with a note; the placeholder News is not used."""
    result, episodes, root = _import_and_build(
        tmp_path,
        SELF + '<itunes:category text="Games &amp; Hobbies"><itunes:category text="Video Games"/>'
        '</itunes:category><itunes:category text="Technology"><itunes:category'
        ' text="Podcasting"/></itunes:category>',
        _item("a", 2),
        base_url=NEW,
    )
    show = manifest(episodes / "show.yaml")
    assert isinstance(show, dict)
    assert show["categories"] == ["Leisure > Video Games", "Technology"]
    assert "categories" not in "".join(_todos(episodes / "show.yaml"))
    assert (
        "itunes:category Games & Hobbies > Video Games is not in Apple's current list; imported"
        " as Leisure > Video Games" in result.stderr
    )
    itunes = "{http://www.itunes.com/dtds/podcast-1.0.dtd}category"
    built = [
        (c.get("text"), [s.get("text") for s in c.findall(itunes)])
        for c in root.find("channel").findall(itunes)
    ]
    assert built == [("Leisure", ["Video Games"]), ("Technology", [])]
