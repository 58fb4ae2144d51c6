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
    """The manifest's TODO(import) notes, each with its wrapped lines joined."""
    todos: list[str] = []
    inside = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("# TODO(import):"):
            todos.append(line.strip())
            inside = True
        elif inside and line.lstrip().startswith("# "):
            todos[-1] += " " + line.strip()[2:]
        else:
            inside = False
    return todos


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


def _enclosure(url: str, length: str = "1234", mime: str = "audio/mpeg") -> str:
    return f'<enclosure url="{url}" length="{length}" type="{mime}"/>'


def test_http_person_links_are_left_out_and_the_person_kept(tmp_path: Path) -> None:
    """podcast:person with http href and img (the namespace requires https): the person is
    credited without them, the report counts them, and the show builds."""
    result, episodes, root = _import_and_build(
        tmp_path,
        "",
        _item(
            "a",
            2,
            extra='<podcast:person href="http://example.org/ann" img="http://example.org/a.jpg">'
            "Ann</podcast:person>",
        ),
        base_url=NEW,
    )
    assert _guids(root) == ["a"]
    person = root.find("channel/item/{https://podcastindex.org/namespace/1.0}person")
    assert (person.text, person.get("href"), person.get("img")) == ("Ann", None, None)
    assert "podcast:person href (not https)  1" in result.output


def test_an_unknown_length_is_kept_as_zero(tmp_path: Path) -> None:
    """length="0" (or none): the size is unknown, as RSS lets a feed say; the episode is
    imported as it was (not a draft), with a comment and a count in the report, and the
    rebuilt enclosure says 0 too."""
    result, episodes, root = _import_and_build(
        tmp_path,
        "",
        _item("a", 2, _enclosure("https://media.example.org/a.mp3", "0"))
        + _item("b", 3, '<enclosure url="https://media.example.org/b.mp3" type="audio/mpeg"/>'),
        base_url=NEW,
    )
    assert sorted(_guids(root)) == ["a", "b"]
    assert [e.get("length") for e in root.iter("enclosure")] == ["0", "0"]
    data = manifest(episodes / "episode-a" / "episode.yaml")
    assert isinstance(data, dict) and "draft" not in data and data["audio"]["length"] == 0
    assert "# The old feed gives no size for this file (length='0')" in (
        episodes / "episode-a" / "episode.yaml"
    ).read_text(encoding="utf-8")
    assert "Enclosure size unknown (length 0, kept as the old feed had it): 2 episodes" in (
        result.output
    )


def test_a_length_that_is_not_a_number_is_a_draft(tmp_path: Path) -> None:
    """A length that is not a size (`-5`, `big`) is not "unknown": a TODO and a draft."""
    result, episodes, root = _import_and_build(
        tmp_path,
        "",
        _item("a", 2, _enclosure("https://media.example.org/a.mp3", "-5")),
        base_url=NEW,
    )
    assert _guids(root) == []
    (todo,) = _todos(episodes / "episode-a" / "episode.yaml")
    assert "audio: the feed's length '-5'" in todo


def test_a_type_apple_does_not_take_becomes_the_extensions(tmp_path: Path) -> None:
    """video/x-mp4 on a .mp4 URL: imported as video/mp4 (the extension's type, which Apple
    takes), with a note and a comment; the URL, and so the episode, is unchanged."""
    result, episodes, root = _import_and_build(
        tmp_path,
        "",
        _item("a", 2, _enclosure("https://media.example.org/a.mp4", mime="video/x-mp4")),
        base_url=NEW,
    )
    (enclosure,) = root.iter("enclosure")
    assert (enclosure.get("url"), enclosure.get("type")) == (
        "https://media.example.org/a.mp4",
        "video/mp4",
    )
    assert "enclosure type 'video/x-mp4' is not one Apple Podcasts takes; imported as" in (
        result.stderr
    )


def test_a_shared_enclosure_url_drafts_the_second_episode(tmp_path: Path) -> None:
    """Two items with one enclosure URL (the build refuses that): the first in the feed is
    imported, the second is a draft whose TODO names the first."""
    shared = _enclosure("https://media.example.org/rerun.mp3")
    result, episodes, root = _import_and_build(
        tmp_path, "", _item("new", 9, shared) + _item("old", 2, shared), base_url=NEW
    )
    assert _guids(root) == ["new"]
    (todo,) = _todos(episodes / "episode-old" / "episode.yaml")
    assert "audio: episode episode-new has the same enclosure URL" in todo


def test_a_url_already_in_the_show_drafts_the_new_episode(tmp_path: Path) -> None:
    """The same, against an episode imported earlier (a second import of a changed feed)."""
    _import_and_build(
        tmp_path, "", _item("a", 2, _enclosure("https://media.example.org/x.mp3")), base_url=NEW
    )
    result, episodes, root = _import_and_build(
        tmp_path,
        "",
        _item("a", 2, _enclosure("https://media.example.org/x.mp3"))
        + _item("b", 3, _enclosure("https://media.example.org/x.mp3")),
        base_url=NEW,
    )
    assert _guids(root) == ["a"]
    (todo,) = _todos(episodes / "episode-b" / "episode.yaml")
    assert "audio: episode episode-a has the same enclosure URL" in todo


def test_an_extensionless_media_url_is_a_draft(tmp_path: Path) -> None:
    """A URL with no file extension (Apple plays an episode by its extension, and the build
    refuses it): a draft whose TODO says so; the other episodes build."""
    result, episodes, root = _import_and_build(
        tmp_path,
        "",
        _item("a", 2, _enclosure("https://media.example.org/stream?id=4")) + _item("b", 3),
        base_url=NEW,
    )
    assert _guids(root) == ["b"]
    (todo,) = _todos(episodes / "episode-a" / "episode.yaml")
    assert "has no file extension, but the audio is MP3 (audio/mpeg)" in todo


def test_a_serial_show_without_numbers_builds_as_episodic(tmp_path: Path) -> None:
    """itunes:type serial with unnumbered items (the build refuses a serial show without
    episode numbers): show.yaml says episodic, with a TODO to number the episodes first."""
    result, episodes, root = _import_and_build(
        tmp_path,
        SELF + "<itunes:type>serial</itunes:type>",
        _item("a", 2) + _item("b", 3, extra="<itunes:episode>2</itunes:episode>"),
        base_url=NEW,
    )
    assert sorted(_guids(root)) == ["a", "b"]
    assert root.findtext("channel/{http://www.itunes.com/dtds/podcast-1.0.dtd}type") == "episodic"
    assert any(
        "type: the old feed is a serial show, but 1 of its items" in t
        for t in _todos(episodes / "show.yaml")
    )


def test_the_suggested_base_url_builds_a_self_hosted_show(tmp_path: Path) -> None:
    """A feed at .../pod/feed.xml whose media sit beside it (.../pod/media/a.mp3): the import
    suggests the old feed's folder as base_url (so the new feed.xml replaces the old one), and
    the build, with no edit, takes the media as hosted where they are instead of looking for
    them in feeds/ (one local.file.missing per episode before)."""
    old = "https://example.org/pod/"
    result, episodes, root = _import_and_build(
        tmp_path,
        f'<atom:link rel="self" href="{old}feed.xml" type="application/rss+xml"/>',
        _item("a", 2, _enclosure(f"{old}media/a.mp3"))
        + _item("b", 3, _enclosure(f"{old}episode-b/b.mp3")),  # even in a folder the build makes
    )
    show = manifest(episodes / "show.yaml")
    assert isinstance(show, dict) and show["base_url"] == old
    assert root.find("channel/{http://www.w3.org/2005/Atom}link").get("href") == f"{old}feed.xml"
    assert sorted(e.get("url") for e in root.iter("enclosure")) == [
        f"{old}episode-b/b.mp3",
        f"{old}media/a.mp3",
    ]
    assert not (tmp_path / "feeds" / "media").exists()
