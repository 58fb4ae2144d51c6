"""Incremental builds: whatever the build cache reuses, the output is byte-identical to a
cold build (no cache) of the same inputs, and a cache that is stale or damaged is never
trusted."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from stationcast.build import BuildResult, build_show
from stationcast.build import cache as build_cache
from stationcast.build import pipeline as build_module
from support import EXAMPLE_SLUG, add_episode, tree_digest

SLUGS = [f"segment-{i}" for i in range(1, 7)]


@pytest.fixture
def big(show: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example show with six more episodes, built once (cache filled)."""
    monkeypatch.chdir(tmp_path)
    for i, slug in enumerate(SLUGS, start=1):
        add_episode(
            show,
            slug,
            title=f"Segment {i}",
            published=f"2016-01-0{i}T08:00:00-05:00",
            transcript=f"MCEVERS: Hello {i}.\n\nNEUMANN: Goodbye {i}.\n\n(LAUGHTER)\n",
        )
    build_show(show, tmp_path / "feeds")
    return show


def incremental_equals_cold(show: Path, tmp_path: Path) -> BuildResult:
    """Build incrementally into feeds/ and cold into cold/; assert identical bytes."""
    result = build_show(show, tmp_path / "feeds")
    cold = tmp_path / "cold"
    build_show(show, cold, cache=False)
    assert tree_digest(tmp_path / "feeds") == tree_digest(cold)
    return result


def test_nothing_changed_writes_nothing(big: Path, tmp_path: Path) -> None:
    """A rebuild with nothing changed renders nothing and leaves every output file in place."""
    feed = tmp_path / "feeds" / "feed.xml"
    before = os.stat(feed)
    result = build_show(big, tmp_path / "feeds")
    assert (result.built, result.reused) == (0, 7)
    after = os.stat(feed)
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)


def test_edited_transcript(big: Path, tmp_path: Path) -> None:
    """Editing one transcript renders that episode only; output identical to a cold build."""
    path = big / "segment-3" / "transcript.txt"
    path.write_text(path.read_text().replace("Hello", "Hullo"))
    result = incremental_equals_cold(big, tmp_path)
    assert (result.built, result.reused) == (1, 6)
    assert "Hullo 3" in (tmp_path / "feeds" / "segment-3" / "index.html").read_text()


def test_added_episode(big: Path, tmp_path: Path) -> None:
    """A new episode is rendered alone; the feed and show page list it."""
    add_episode(big, "segment-new", title="Brand New", published="2017-01-01T08:00:00Z")
    result = incremental_equals_cold(big, tmp_path)
    assert (result.built, result.reused) == (1, 7)
    assert "Brand New" in (tmp_path / "feeds" / "feed.xml").read_text()


def test_removed_episode_is_still_refused(big: Path, tmp_path: Path) -> None:
    """The state checks run on incremental builds too: a vanished episode stops the build."""
    import shutil

    from stationcast.errors import InputError

    shutil.rmtree(big / "segment-2")
    with pytest.raises(InputError):
        build_show(big, tmp_path / "feeds")
    incremental_equals_cold_allowed = build_show(big, tmp_path / "feeds", allow_removal=True)
    assert incremental_equals_cold_allowed.episodes == 6
    assert not (tmp_path / "feeds" / "segment-2").exists()


def test_changed_show_yaml(big: Path, tmp_path: Path) -> None:
    """show.yaml is in every page: a change re-renders everything."""
    path = big / "show.yaml"
    path.write_text(
        path.read_text().replace("title: WUNC Segments", "title: WUNC Segments Archive")
    )
    result = incremental_equals_cold(big, tmp_path)
    assert result.built == 7


def test_changed_template(big: Path, tmp_path: Path) -> None:
    """A template override re-renders every page."""
    (big / "templates").mkdir()
    (big / "templates" / "episode.html").write_text(
        '{% extends "stationcast/episode.html" %}'
        "{% block transcript %}<p>No transcript here.</p>{% endblock %}"
    )
    result = incremental_equals_cold(big, tmp_path)
    assert result.built == 7
    assert "No transcript here." in (tmp_path / "feeds" / "segment-1" / "index.html").read_text()


def test_other_code_version_drops_the_cache(big: Path, tmp_path: Path) -> None:
    """A cache written by other code (another version or fingerprint) is not used."""
    file = build_cache.default_location(tmp_path / "feeds")
    data = json.loads(file.read_text())
    data["code"] = "0" * 64
    file.write_text(json.dumps(data))
    result = incremental_equals_cold(big, tmp_path)
    assert result.built == 7


@pytest.mark.parametrize("damage", ["truncate", "garbage", "wrong-shape", "bad-entry"])
def test_damaged_cache_is_ignored(big: Path, tmp_path: Path, damage: str) -> None:
    """A damaged cache means a rebuild (of what it concerns), never a crash or wrong output."""
    file = build_cache.default_location(tmp_path / "feeds")
    text = file.read_text()
    if damage == "truncate":
        file.write_text(text[: len(text) // 2])
    elif damage == "garbage":
        file.write_bytes(b"\xff\x00not json")
    elif damage == "wrong-shape":
        data = json.loads(text)
        data["episodes"] = {slug: [1, 2, 3] for slug in data["episodes"]}
        file.write_text(json.dumps(data))
    else:
        data = json.loads(text)
        data["episodes"]["segment-4"]["files"] = {"../../etc/passwd": None}
        data["episodes"]["segment-5"]["item_sha"] = 42
        file.write_text(json.dumps(data))
    path = big / "segment-1" / "transcript.txt"
    path.write_text(path.read_text() + "\nMCEVERS: One more line.\n")
    incremental_equals_cold(big, tmp_path)


def test_changed_output_file_is_rendered_again(big: Path, tmp_path: Path) -> None:
    """An output file edited or deleted by hand is not reused: the build restores it."""
    page = tmp_path / "feeds" / "segment-2" / "index.html"
    page.write_text("defaced")
    (tmp_path / "feeds" / "segment-3" / "transcript.txt").unlink()
    result = incremental_equals_cold(big, tmp_path)
    assert result.built == 2


def test_touched_manifest_keeps_identical_output(big: Path, tmp_path: Path) -> None:
    """A manifest rewritten with the same bytes (a checkout) re-renders that episode identically."""
    path = big / "segment-1" / "episode.yaml"
    path.write_bytes(path.read_bytes())
    incremental_equals_cold(big, tmp_path)


def test_parallel_rendering_is_identical(
    show: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rendering in worker processes gives the same bytes as rendering in the build process."""
    monkeypatch.chdir(tmp_path)
    for i in range(12):
        add_episode(show, f"part-{i:02d}", published=f"2016-03-{i + 1:02d}T08:00:00Z")
    monkeypatch.setattr(build_module, "PARALLEL_MIN", 2)
    monkeypatch.setattr(build_module, "CHUNK", 5)
    build_show(show, tmp_path / "parallel", jobs=2, cache=False)
    build_show(show, tmp_path / "serial", jobs=1, cache=False)
    assert tree_digest(tmp_path / "parallel") == tree_digest(tmp_path / "serial")


def test_feed_assembled_from_items_equals_feedgen(show: Path, tmp_path: Path) -> None:
    """Splicing serialised items gives exactly feedgen's document, archive pages included."""
    path = show / "show.yaml"
    path.write_text(path.read_text() + "archive:\n  feed_items: 2\n")
    for i in range(4):
        add_episode(show, f"part-{i}", published=f"2016-03-0{i + 1}T08:00:00Z")
    build_show(show, tmp_path / "feeds", cache=False)
    from stationcast.build import pipeline as reference

    # the same show built by the pre-cache path: feedgen over FeedItems
    assert (tmp_path / "feeds" / "archive-1.xml").exists()
    from stationcast.feed import assemble_feed, build_feed, serialise_items
    from stationcast.models import Show  # noqa: F401  (imported for the fixture below)

    channel, items = _example_feed_inputs(show)
    whole = build_feed(channel, items)
    parts = serialise_items(channel, items)
    assert assemble_feed(channel, parts, max(i.published for i in items)) == whole
    assert reference.FEED_FILE == "feed.xml"


def _example_feed_inputs(show: Path) -> tuple[object, list[object]]:
    """FeedChannel and FeedItems of `show`, made the way the build makes them."""
    from stationcast.build.episode import Context, prepare, render
    from stationcast.manifest import load_show

    loaded = load_show(show)
    base = loaded.show.base_url
    ctx = Context(show=loaded.show, root=show, base=base, key="", stage_root=show.parent)
    items = []
    for item in loaded.episodes:
        prepared, problems = prepare(item, ctx)
        assert problems == []
        items.append(render(prepared, ctx).item)
    items.sort(key=lambda i: i.published, reverse=True)
    from stationcast.feed import FeedChannel

    channel = FeedChannel(
        show=loaded.show, feed_url=base + "feed.xml", link=base, artwork_url=base + "artwork.jpg"
    )
    return channel, items


def test_example_still_builds_with_one_episode(show: Path, tmp_path: Path) -> None:
    """The smallest show: reuse and summary counts are right."""
    first = build_show(show, tmp_path / "feeds")
    again = build_show(show, tmp_path / "feeds")
    assert (first.built, first.reused, again.built, again.reused) == (1, 0, 0, 1)
    assert (tmp_path / "feeds" / EXAMPLE_SLUG / "index.html").exists()


def test_recycled_staging_never_writes_through_a_link(big: Path, tmp_path: Path) -> None:
    """The replaced output is kept as the next build's staging folder and shares files with
    the published one; builds that re-render pages never modify a published file in place."""
    for round_ in range(3):
        (big / "templates").mkdir(exist_ok=True)
        (big / "templates" / "episode.html").write_text(
            '{% extends "stationcast/episode.html" %}'
            f"{{% block transcript %}}<p>Round {round_}.</p>{{% endblock %}}"
        )
        path = big / "segment-2" / "transcript.txt"
        path.write_text(path.read_text() + f"\nMCEVERS: Round {round_}.\n")
        before = tree_digest(tmp_path / "feeds")
        build_show(big, tmp_path / "feeds")
        # the replaced output, kept aside, still holds exactly the bytes it was published with
        assert tree_digest(tmp_path / ".feeds.previous") == before
        assert f"Round {round_}." in (tmp_path / "feeds" / "segment-1" / "index.html").read_text()
        incremental_equals_cold(big, tmp_path)


def test_failed_build_keeps_scratch_tree_and_recovers(big: Path, tmp_path: Path) -> None:
    """A build that fails after staging began (bad audio) leaves the output as it was; its
    staging folder becomes the scratch tree of the next build, which is still exact."""
    build_show(big, tmp_path / "feeds")  # a second build, so a previous output is kept
    before = tree_digest(tmp_path / "feeds")
    from stationcast.errors import InputError

    audio = big / "segment-4" / "audio.mp3"
    audio.unlink()
    audio.write_bytes(b"not audio at all" * 100)
    path = big / "segment-1" / "transcript.txt"
    path.write_text(path.read_text() + "\nMCEVERS: Edited.\n")
    with pytest.raises(InputError):
        build_show(big, tmp_path / "feeds")
    assert tree_digest(tmp_path / "feeds") == before
    assert not list(tmp_path.glob(".feeds.staging-*"))
    (big / "segment-4" / "audio.mp3").unlink()
    os.link(big / EXAMPLE_SLUG / "audio.mp3", big / "segment-4" / "audio.mp3")
    # plant a file where a folder must be, in the scratch tree
    scratch = tmp_path / ".feeds.previous"
    if scratch.is_dir():
        import shutil

        shutil.rmtree(scratch / "segment-5", ignore_errors=True)
        (scratch / "segment-5").write_text("in the way")
    incremental_equals_cold(big, tmp_path)


@pytest.mark.parametrize("mistake", ["manifest", "duplicate-guid", "audio"])
def test_parallel_build_reports_problems_like_a_serial_one(
    show: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mistake: str
) -> None:
    """Manifests read by the workers: the same problems, in the same order, as a serial build,
    and nothing is written."""
    from stationcast.errors import InputError

    monkeypatch.chdir(tmp_path)
    for i in range(12):
        add_episode(show, f"part-{i:02d}", published=f"2016-03-{i + 1:02d}T08:00:00Z")
    if mistake == "manifest":
        for name in ("part-03", "part-09"):
            path = show / name / "episode.yaml"
            path.write_text(path.read_text().replace("published: 2016", "published: Sept 2016"))
    elif mistake == "duplicate-guid":
        guid = (show / "part-01" / "episode.yaml").read_text().split("guid: ")[1].split("\n")[0]
        path = show / "part-10" / "episode.yaml"
        text = path.read_text()
        path.write_text(text.replace(text.split("guid: ")[1].split("\n")[0], guid))
    else:
        (show / "part-07" / "audio.mp3").unlink()
        (show / "part-07" / "audio.mp3").write_bytes(b"\0" * 4000)
    monkeypatch.setattr(build_module, "CHUNK", 4)
    reports = []
    for parallel_min, jobs in ((2, 2), (10_000, 1)):
        monkeypatch.setattr(build_module, "PARALLEL_MIN", parallel_min)
        with pytest.raises(InputError) as caught:
            build_show(show, tmp_path / "feeds", jobs=jobs)
        reports.append((type(caught.value).__name__, [str(p) for p in caught.value.problems]))
    assert reports[0] == reports[1]
    assert reports[0][1]
    assert not (tmp_path / "feeds").exists()


@pytest.mark.parametrize("damage", ["missing", "garbage", "wrong-item"])
def test_damaged_items_file_means_a_full_build(big: Path, tmp_path: Path, damage: str) -> None:
    """The feed items are kept in a file of their own; if it does not hold what the cache's
    entries say, the build starts over without the cache, and the output is still exact."""
    items = build_cache.items_location(build_cache.default_location(tmp_path / "feeds"))
    assert items.is_file()
    if damage == "missing":
        items.unlink()
    elif damage == "garbage":
        items.write_bytes(b"[1, 2")
    else:
        data = json.loads(items.read_text())
        data["segment-3"] = data["segment-3"].replace("Segment 3", "Segment Three")
        items.write_text(json.dumps(data))
    add_episode(
        big, "segment-new", title="Brand New", published="2017-01-01T08:00:00Z"
    )  # the feed must be assembled
    result = incremental_equals_cold(big, tmp_path)
    assert "Segment Three" not in (tmp_path / "feeds" / "feed.xml").read_text()
    assert result.episodes == 8


def test_first_build_leaves_a_mirror_for_the_next_to_recycle(show: Path, tmp_path: Path) -> None:
    """A first build replaces no output, so it keeps a tree of hard links of what it made as
    .feeds.previous: the first edit after it recycles that tree (creating and linking only what
    changed) like every later edit, and its output is still that of a cold build."""
    out = tmp_path / "feeds"
    build_show(show, out)
    mirror = tmp_path / ".feeds.previous"
    files = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert files and files == sorted(
        p.relative_to(mirror) for p in mirror.rglob("*") if p.is_file()
    )
    for rel in files:
        assert os.stat(out / rel).st_ino == os.stat(mirror / rel).st_ino
    page = out / EXAMPLE_SLUG / "index.html"
    mirrored = os.stat(page).st_ino
    path = show / EXAMPLE_SLUG / "transcript.txt"
    path.write_text(path.read_text() + "\nMCEVERS: One more line.\n")
    incremental_equals_cold(show, tmp_path)
    assert os.stat(tmp_path / "feeds" / EXAMPLE_SLUG / "index.html").st_ino != mirrored
    assert os.stat(mirror / EXAMPLE_SLUG / "index.html").st_ino == mirrored  # the old output
