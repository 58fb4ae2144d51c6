"""The build cache's typed entries: what a build writes reads back as the same values, and an
entry of the wrong shape (or a cache of another format) costs a rebuild of what it concerns,
never a crash or a wrong output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stationcast.build import BuildResult, build_show
from stationcast.build import cache as build_cache
from stationcast.build.cache import DraftEntry, EpisodeEntry
from support import EXAMPLE_SLUG, add_episode, tree_digest

SLUGS = ["segment-1", "segment-2", "segment-3"]
DAMAGED = "segment-2"


@pytest.fixture
def built(show: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example show with three more episodes and a draft, built once (cache filled)."""
    monkeypatch.chdir(tmp_path)
    for i, slug in enumerate(SLUGS, start=1):
        add_episode(show, slug, title=f"Segment {i}", published=f"2016-01-0{i}T08:00:00-05:00")
    draft = add_episode(show, "segment-draft", published="2016-02-01T08:00:00-05:00")
    (draft / "episode.yaml").write_text((draft / "episode.yaml").read_text() + "draft: true\n")
    build_show(show, tmp_path / "feeds")
    return show


def cache_file(tmp_path: Path) -> Path:
    return build_cache.default_location(tmp_path / "feeds")


def rewrite(tmp_path: Path, change: Any) -> None:
    """Apply `change(data)` to the cache file's JSON."""
    file = cache_file(tmp_path)
    data = json.loads(file.read_text())
    change(data)
    file.write_text(json.dumps(data))


def rebuild_equals_cold(show: Path, tmp_path: Path) -> BuildResult:
    """Rebuild into feeds/ and cold into cold/; assert identical bytes."""
    result = build_show(show, tmp_path / "feeds")
    build_show(show, tmp_path / "cold", cache=False)
    assert tree_digest(tmp_path / "feeds") == tree_digest(tmp_path / "cold")
    return result


def test_entries_read_back_as_written(built: Path, tmp_path: Path) -> None:
    """Saving the loaded cache and loading it again gives equal entries, of each kind."""
    data = build_cache.load(cache_file(tmp_path))
    assert data.show is not None
    assert isinstance(data.episodes[EXAMPLE_SLUG], EpisodeEntry)
    assert isinstance(data.episodes["segment-draft"], DraftEntry)
    assert set(data.episodes) == {EXAMPLE_SLUG, *SLUGS, "segment-draft"}
    again = tmp_path / "again.json"
    build_cache.save(again, data)
    assert build_cache.load(again) == data


def test_the_file_says_its_format(built: Path, tmp_path: Path) -> None:
    """The cache file names its format (4) and the code that wrote it."""
    data = json.loads(cache_file(tmp_path).read_text())
    assert data["format"] == build_cache.FORMAT == 4
    assert data["code"] == build_cache.code_fingerprint()


def test_a_cache_of_an_earlier_format_is_ignored(built: Path, tmp_path: Path) -> None:
    """A cache written in format 2 (the dict layout before typed entries) is not read:
    every episode is rendered again, and the output is a cold build's."""

    def older(data: dict[str, Any]) -> None:
        data["format"] = 2
        data["global"] = data.pop("show")

    rewrite(tmp_path, older)
    assert rebuild_equals_cold(built, tmp_path).built == 1 + len(SLUGS)


# (field of segment-2's entry, value of the wrong shape): each costs that episode a rebuild.
ENTRY_CASES: list[tuple[str, object]] = [
    ("key", 5),
    ("deps", "episode.yaml"),
    ("deps", [["../segment-1/episode.yaml", "text", None]]),
    ("deps", [["episode.yaml", "other", None]]),
    ("deps", [["episode.yaml", "text"]]),
    ("files", {"segment-1/index.html": None}),
    ("files", {"segment-2/../../etc/passwd": None}),
    ("files", {"segment-2/index.html": "big"}),
    ("files", ["segment-2/index.html"]),
    ("listing", {"href": "segment-2/"}),
    ("listing", dict.fromkeys(build_cache.LISTING_KEYS, 1)),
    ("guid", None),
    ("published", 7),
    ("ts", "now"),
    ("enclosure", []),
    ("item_sha", 42),
    ("probes", [1, 2]),
    ("probes", {"audio.mp3": [None]}),
    ("probes", {"audio.mp3": [None, "not an object"]}),
    ("warnings", [1]),
    ("warnings", "one warning"),
]


@pytest.mark.parametrize(("field", "value"), ENTRY_CASES)
def test_an_entry_of_the_wrong_shape_rebuilds_its_episode(
    built: Path, tmp_path: Path, field: str, value: object
) -> None:
    """An episode entry with one field of the wrong type is left out when the cache is read:
    that episode alone is rendered again, and the output is a cold build's."""

    def damage(data: dict[str, Any]) -> None:
        data["episodes"][DAMAGED][field] = value

    rewrite(tmp_path, damage)
    assert DAMAGED not in build_cache.load(cache_file(tmp_path)).episodes
    result = rebuild_equals_cold(built, tmp_path)
    assert (result.built, result.reused) == (1, len(SLUGS))


def test_an_entry_missing_a_field_rebuilds_its_episode(built: Path, tmp_path: Path) -> None:
    """An episode entry without its item_sha is left out: that episode is rendered again."""
    rewrite(tmp_path, lambda data: data["episodes"][DAMAGED].pop("item_sha"))
    result = rebuild_equals_cold(built, tmp_path)
    assert (result.built, result.reused) == (1, len(SLUGS))


def test_a_damaged_draft_entry_is_read_again(built: Path, tmp_path: Path) -> None:
    """A draft entry of the wrong shape is left out; the draft stays a draft, nothing is
    rendered, and the next cache records it again."""
    rewrite(tmp_path, lambda data: data["episodes"]["segment-draft"].update(deps=None))
    result = rebuild_equals_cold(built, tmp_path)
    assert (result.built, result.reused) == (0, 1 + len(SLUGS))
    assert isinstance(build_cache.load(cache_file(tmp_path)).episodes["segment-draft"], DraftEntry)


# (field of the show entry, value of the wrong shape): each costs a full rebuild.
SHOW_CASES: list[tuple[str, object]] = [
    ("inputs", None),
    ("artwork_stat", "yesterday"),
    ("feed_guid", 3),
    ("warnings", [None]),
    ("top", ["feed.xml"]),
    ("keys", {"feed": 1}),
    ("validator", 0),
]


@pytest.mark.parametrize(("field", "value"), SHOW_CASES)
def test_a_show_entry_of_the_wrong_shape_rebuilds_everything(
    built: Path, tmp_path: Path, field: str, value: object
) -> None:
    """A show entry with one field of the wrong type is not used: every episode is rendered
    again (their entries are keyed by it), and the output is a cold build's."""
    rewrite(tmp_path, lambda data: data["show"].update({field: value}))
    assert build_cache.load(cache_file(tmp_path)).show is None
    assert rebuild_equals_cold(built, tmp_path).built == 1 + len(SLUGS)
