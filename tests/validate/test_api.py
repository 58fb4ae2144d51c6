"""Library behaviour beyond single rules: locations, local files, limits, known answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stationcast.inputs import STATE_FILE
from stationcast.validate import FeedSourceError, validate_bytes, validate_source
from stationcast.validate.content import check_artwork, check_chapters, check_srt, check_vtt
from stationcast.validate.podcast_ns import podcast_guid_for
from stationcast.validate.resources import LocalMap

from .bigfeed import big_feed
from .conftest import CHAPTERS, CLEAN, NOW, SRT, VTT, ids, run, write_image


def test_self_link_checked_against_the_location_url() -> None:
    """Given an http(s) location, the self link must equal it."""
    data = CLEAN.read_bytes()
    same = validate_bytes(data, location="https://station.example/show/feed.xml", now=NOW)
    assert ids(same) == set()
    other = validate_bytes(data, location="https://cdn.example/feed.xml", now=NOW)
    assert ids(other) == {"psp1.self.mismatch"}


def test_large_feed_warns_and_keeps_line_numbers() -> None:
    """A 10,000-item feed: only the size warning, and lines past 65,535 are right."""
    data = big_feed(10_000)
    report = validate_bytes(data, location="feed.xml", now=NOW)
    assert ids(report) == {"rss.feed.size"}
    assert report.items == 10_000
    broken = data.replace(b'length="1000001"', b'length="x"')
    [f] = [
        f
        for f in validate_bytes(broken, location="feed.xml", now=NOW).findings
        if f.rule.id == "rss.enclosure.length"
    ]
    lines = broken.split(b"\n")
    assert f.line is not None and f.line > 65_535
    assert b'length="x"' in lines[f.line - 1]


def test_profile_names() -> None:
    with pytest.raises(ValueError):
        validate_bytes(CLEAN.read_bytes(), location="x", profile="google")


def test_validate_source_file_uses_its_folder(site: Path) -> None:
    """A stationcast output's folder is its local root: enclosure sizes are checked."""
    (site / "feed.xml").write_bytes(CLEAN.read_bytes())
    (site / STATE_FILE).parent.mkdir()
    (site / STATE_FILE).write_text('{"episodes": []}', encoding="utf-8")
    assert ids(validate_source(str(site / "feed.xml"), now=NOW)) == set()
    (site / "slow-storm" / "audio.mp3").write_bytes(b"short")
    assert ids(validate_source(str(site / "feed.xml"), now=NOW)) == {"apple.enclosure.size"}


def test_a_saved_copy_of_a_feed_is_not_an_output_folder(tmp_path: Path) -> None:
    """A third-party feed saved to disk (its media under its self link's folder) is not
    checked against the files beside it, unless a local root is given."""
    (tmp_path / "feed.xml").write_bytes(CLEAN.read_bytes())
    assert ids(validate_source(str(tmp_path / "feed.xml"), now=NOW)) == set()
    given = validate_source(str(tmp_path / "feed.xml"), now=NOW, local_root=tmp_path)
    assert "local.file.missing" in ids(given)


def test_a_self_link_without_a_path_is_the_site_root(tmp_path: Path) -> None:
    """`https://host` (no path) has the base `https://host/`, not `https://`: only URLs on
    that host map to files."""
    m = LocalMap("https://www.giantbomb.com", tmp_path)
    assert m.base == "https://www.giantbomb.com/"
    assert m.path("https://www.giantbomb.com/a/b.mp3") == str(tmp_path / "a" / "b.mp3")
    assert m.path("https://cdn.example/a/b.mp3") is None
    assert LocalMap("https://host.example/show/", tmp_path).base == "https://host.example/show/"
    assert LocalMap("https://host.example?x=/a/b", tmp_path).base == "https://host.example/"
    assert LocalMap("feed.xml", tmp_path).path("https://host.example/a.mp3") is None
    feed = CLEAN.read_bytes().replace(
        b'href="https://station.example/show/feed.xml"', b'href="https://station.example"'
    )
    assert feed != CLEAN.read_bytes()
    report = validate_bytes(feed, location="feed.xml", local_root=tmp_path, now=NOW)
    missing = [f for f in report.findings if f.rule.id == "local.file.missing"]
    # Every URL is under https://station.example/show/, so each maps to a file under
    # show/ (absent here), and none to the bare scheme's "every URL" prefix.
    assert missing
    assert all("/show/" in f.message for f in missing)


def test_validate_source_refuses_non_files(tmp_path: Path) -> None:
    with pytest.raises(FeedSourceError):
        validate_source(str(tmp_path))
    with pytest.raises(FeedSourceError):
        validate_source(str(tmp_path / "missing.xml"))
    with pytest.raises(FeedSourceError):
        validate_source("file:///etc/passwd")


def test_local_map_stays_inside_the_root(tmp_path: Path) -> None:
    """URLs that climb out of the feed's folder never map to a file outside local_root."""
    m = LocalMap("https://station.example/show/feed.xml", tmp_path)
    assert m.path("https://station.example/show/a/b.mp3") == str(tmp_path / "a" / "b.mp3")
    assert m.path("https://station.example/show/a/") == str(tmp_path / "a" / "index.html")
    for url in (
        "https://station.example/show/../secret",
        "https://station.example/show/%2e%2e/x",
        "https://station.example/show/a/../../x",
        "https://station.example/other/x.mp3",
        "https://station.example/show//etc/passwd",
        "https://station.example/show/a%00b",
    ):
        p = m.path(url)
        assert p is None or Path(p).resolve().is_relative_to(tmp_path.resolve()), url


def test_podcast_guid_known_answers() -> None:
    """The spec's own examples (docs/tags/guid.md)."""
    assert podcast_guid_for("https://podnews.net/rss") == "9b024349-ccf0-5f69-a609-6b82873eab3c"
    assert podcast_guid_for("https://mp3s.nashownotes.com/pc20rss.xml/") == (
        "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    )


@pytest.mark.parametrize(
    ("size", "mode", "fmt", "name", "expected"),
    [
        ((1400, 1400), "RGB", "JPEG", "a.jpg", set()),
        ((3000, 3000), "RGB", "PNG", "a.png", set()),
        ((3001, 3001), "RGB", "JPEG", "a.jpeg", {"apple.image.size"}),
        ((1400, 1401), "RGB", "JPEG", "a.jpg", {"apple.image.size"}),
        ((1400, 1400), "L", "JPEG", "a.jpg", {"apple.image.colorspace"}),
        ((1400, 1400), "RGBA", "PNG", "a.png", {"apple.image.colorspace"}),
        ((1400, 1400), "RGB", "PNG", "a.jpg", {"apple.image.format"}),
        ((1400, 1400), "RGB", "GIF", "a.gif", {"apple.image.format", "apple.image.colorspace"}),
    ],
)
def test_artwork_rules(
    tmp_path: Path, size: tuple[int, int], mode: str, fmt: str, name: str, expected: set[str]
) -> None:
    path = tmp_path / name
    write_image(path, size=size, mode=mode, fmt=fmt)
    assert {r for r, _ in check_artwork(path.read_bytes(), "https://x/" + name)} == expected


def test_artwork_that_is_not_an_image() -> None:
    [(rule, message)] = check_artwork(b"<!doctype html><p>404", "https://x/a.jpg")
    assert rule == "apple.image.format" and "HTML page" in message


def test_transcript_and_chapter_checkers_accept_good_files() -> None:
    assert check_vtt(VTT.encode(), "t.vtt") == []
    assert check_srt(SRT.encode(), "t.srt") == []
    assert check_chapters(json.dumps(CHAPTERS).encode(), "c.json") == []


@pytest.mark.parametrize(
    "doc",
    [
        {"chapters": []},
        {"version": "1.2.0"},
        {"version": "1.2.0", "chapters": [{"title": "no start"}]},
        {"version": "1.2.0", "chapters": [{"startTime": True}]},
        {"version": "1.2.0", "chapters": [{"startTime": 5}, {"startTime": 1}]},
        {"version": "1.2.0", "chapters": [{"startTime": 5, "endTime": 2}]},
        {"version": "1.2.0", "chapters": [{"startTime": 0, "location": {"name": "x"}}]},
        [1, 2],
    ],
)
def test_chapters_problems(doc: object) -> None:
    assert check_chapters(json.dumps(doc).encode(), "c.json")


def test_vtt_long_lines_and_missing_header() -> None:
    long = VTT.replace("We found 58 of them.", "w" * 66)
    assert "longer than 65" in check_vtt(long.encode(), "t.vtt")[0][1]
    assert check_vtt(b"00:00.000 --> 00:01.000\nx\n", "t.vtt")


def test_item_persons_must_restate_the_host(clean_bytes: bytes) -> None:
    """Item-level persons replace the channel's: an item with only a guest drops the host."""
    data = clean_bytes.replace(b'<podcast:person role="host">Kelly McEvers</podcast:person>\n', b"")
    assert ids(run(data)) == {"podcast.person.host"}


def test_alternate_podcast_namespace_uri_is_accepted(clean_bytes: bytes) -> None:
    """docs/1.0.md: the GitHub URL of the spec is an accepted namespace URI."""
    data = clean_bytes.replace(
        b"https://podcastindex.org/namespace/1.0",
        b"https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",
    )
    assert ids(run(data)) == set()


def test_report_api(clean_bytes: bytes) -> None:
    report = run(clean_bytes.replace(b"<itunes:duration>95<", b"<itunes:duration>01:35<"))
    assert report.errors == [] and report.warnings == [] and len(report.infos) == 1
    assert report.ok(strict=True)
    d = report.to_dict()
    assert d["counts"] == {"error": 0, "warning": 0, "info": 1}


def test_podcast_urls_must_be_absolute(clean_bytes: bytes) -> None:
    data = clean_bytes.replace(b'url="https://station.example/donate"', b'url="/donate"')
    assert ids(run(data)) == {"podcast.value.invalid"}


def test_channel_description_html_is_checked(clean_bytes: bytes) -> None:
    data = clean_bytes.replace(b"<p>Interviews and reports", b"<p><script>x</script>Interviews")
    assert ids(run(data)) == {"apple.description.html"}


def test_content_encoded_has_no_length_limit(clean_bytes: bytes) -> None:
    data = clean_bytes.replace(b"<strong>Peter Neumann</strong> explains.", b"x" * 6000)
    assert ids(run(data)) == set()


def test_fifo_in_output_folder_does_not_block(site: Path, clean_bytes: bytes) -> None:
    """A FIFO where a transcript should be is reported missing instead of blocking the read."""
    import os

    vtt = site / "flooded-library" / "transcript.vtt"
    vtt.unlink()
    os.mkfifo(vtt)
    assert ids(run(clean_bytes, site)) == {"local.file.missing"}


def test_the_rss_profile_leaves_out_the_podcast_platforms() -> None:
    """--profile rss: RSS 2.0 alone (for comparing with a general feed validator)."""
    data = (
        CLEAN.read_bytes()
        .replace(b'<itunes:image href="https://station.example/show/artwork.jpg"/>', b"")
        .replace(b"<ttl>", b"<ttl>")
    )
    data = data.replace(b"<itunes:type>", b"<ttl>1h</ttl><itunes:type>")
    assert ids(run(data)) == {"apple.image.missing", "rss.ttl"}
    assert ids(run(data, profile="rss")) == {"rss.ttl"}


def test_enclosures_hosted_elsewhere_need_no_local_file(site: Path, clean_bytes: bytes) -> None:
    """`elsewhere` names enclosures under the self link's folder that are not output files
    (a build's remote audio): they are not looked for; every other one still is."""
    (site / "isis-defectors" / "audio.mp3").unlink()
    (site / "slow-storm" / "audio.mp3").unlink()
    remote = frozenset({"https://station.example/show/isis-defectors/audio.mp3"})
    missing = [f for f in run(clean_bytes, site, elsewhere=remote).findings]
    assert [(f.rule.id, "slow-storm" in f.message) for f in missing] == [
        ("local.file.missing", True)
    ]
    assert ids(run(clean_bytes, site)) == {"local.file.missing"}
    assert len(run(clean_bytes, site).findings) == 2
