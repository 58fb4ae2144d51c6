"""Item tags: show notes, artwork, chapters, soundbites, persons, season/episode, location,
alternate enclosures; each read back with lxml, feedparser and podcastparser."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import feedparser
import podcastparser
import pytest
from click.testing import Result

from stationcast.spec.namespaces import PODCAST as PODCAST_NS
from stationcast.spec.namespaces import PODCAST_GITHUB as PODCAST_NS_GITHUB

from .conftest import AUDIO
from .helpers import BASE, GUID, MANIFEST, NS, SLUG, edit, parse

PAGE = f"{BASE}{SLUG}/"
NOTES_HTML = (
    "<p>Read <strong>the report</strong> and "
    '<a href="https://www.example.org/summary">its summary</a>.</p>\n'
    "<ul>\n"
    "<li>[bad link](javascript:alert(1))</li>\n"
    "<li>&lt;script&gt;alert(2)&lt;/script&gt;</li>\n"
    "</ul>"
)


@pytest.fixture
def out(rich: Path, run: Callable[..., Result], tmp_path: Path) -> Path:
    result = run("build")
    assert result.exit_code == 0, result.stderr
    return tmp_path / "feeds"


def _item(out: Path) -> object:
    item = parse(out / "feed.xml").find("channel/item")
    assert item is not None
    return item


def _attrs(element: object) -> dict[str, str]:
    return dict(element.attrib)  # type: ignore[attr-defined]


def test_show_notes_are_content_encoded(out: Path) -> None:
    """Markdown notes become content:encoded in CDATA, safe subset only; description stays plain."""
    item = _item(out)
    assert item.findtext("content:encoded", namespaces=NS) == NOTES_HTML
    assert b"<![CDATA[<p>Read <strong>" in (out / "feed.xml").read_bytes()
    assert item.findtext("description").startswith("What happens when you leave")


def test_itunes_item_tags(out: Path) -> None:
    """itunes:episode, season, episodeType and the episode's own image."""
    item = _item(out)
    assert item.findtext("itunes:episode", namespaces=NS) == "3"
    assert item.findtext("itunes:season", namespaces=NS) == "2"
    assert item.findtext("itunes:episodeType", namespaces=NS) == "full"
    assert item.find("itunes:image", NS).get("href") == f"{PAGE}cover.jpg"
    assert (out / SLUG / "cover.jpg").is_file()


def test_podcast_item_tags(out: Path) -> None:
    """Every Podcasting 2.0 item tag, exactly."""
    item = _item(out)
    tags = [
        (e.tag.split("}")[1], e.text.strip() if e.text and e.text.strip() else None, _attrs(e))
        for e in item
        if e.tag.startswith(f"{{{PODCAST_NS}}}") and not e.tag.endswith("alternateEnclosure")
    ]
    assert tags == [
        ("transcript", None, {"url": PAGE, "type": "text/html", "language": "en-us"}),
        (
            "transcript",
            None,
            {"url": f"{PAGE}transcript.txt", "type": "text/plain", "language": "en-us"},
        ),
        ("chapters", None, {"url": f"{PAGE}chapters.json", "type": "application/json+chapters"}),
        ("soundbite", "Why they left", {"startTime": "65", "duration": "30.5"}),
        (
            "person",
            "Kelly McEvers",
            {
                "role": "host",
                "group": "cast",
                "img": "https://www.example.org/kelly.jpg",
                "href": "https://www.example.org/kelly",
            },
        ),
        ("person", "Peter Neumann", {"role": "guest", "group": "cast"}),
        ("person", "Pat Producer", {"role": "producer", "group": "creative direction"}),
        ("season", "2", {"name": "Defectors"}),
        ("episode", "3", {}),
        ("location", "London", {"rel": "subject", "geo": "geo:51.5074,-0.1278", "country": "GB"}),
        ("license", "cc-by-nd-4.0", {}),
        (
            "image",
            None,
            {
                "href": f"{PAGE}cover.jpg",
                "alt": "A road in the desert",
                "width": "1400",
                "height": "1400",
                "purpose": "artwork",
            },
        ),
    ]


def test_alternate_enclosures(out: Path) -> None:
    """The MP3 (default), the probed Opus file beside it, a remote AAC copy: each with a source."""
    item = _item(out)
    mp3 = (out / SLUG / "audio.mp3").stat().st_size
    opus = (out / SLUG / "audio.opus").stat().st_size
    found = [
        (_attrs(e), [_attrs(s) for s in e.findall("podcast:source", NS)])
        for e in item.findall("podcast:alternateEnclosure", NS)
    ]
    assert found == [
        (
            {"type": "audio/mpeg", "length": str(mp3), "bitrate": "40000", "default": "true"},
            [{"uri": f"{PAGE}audio.mp3"}],
        ),
        (
            {
                "type": "audio/ogg",
                "length": str(opus),
                "bitrate": "16632",
                "title": "Opus",
                "codecs": "opus",
            },
            [{"uri": f"{PAGE}audio.opus"}],
        ),
        (
            {"type": "audio/x-m4a", "length": "1234567", "title": "AAC"},
            [{"uri": "https://media.example.org/isis.m4a"}],
        ),
    ]


def test_chapters_file_from_the_manifest(out: Path) -> None:
    """chapters.json follows the JSON chapters spec (version 1.2): startTime, title, url, toc."""
    data = json.loads((out / SLUG / "chapters.json").read_text(encoding="utf-8"))
    assert data == {
        "version": "1.2.0",
        "title": "Report Compiles Stories Of Islamic State Defectors",
        "podcastName": "WUNC Segments",
        "chapters": [
            {"startTime": 0, "title": "Introduction"},
            {
                "startTime": 65.5,
                "title": "Who the defectors are",
                "url": "https://www.example.org/report",
            },
            {"startTime": 150, "title": "Silent part", "toc": False},
        ],
    }


def test_chapters_from_the_audio_file(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """Without manifest chapters, the audio's embedded chapters (ID3 CHAP) are published."""
    shutil.copy(AUDIO / "chapters-cover-22050-mono.mp3", show / SLUG / "audio.mp3")
    result = run("build")
    assert result.exit_code == 0, result.stderr
    data = json.loads((tmp_path / "feeds" / SLUG / "chapters.json").read_text(encoding="utf-8"))
    assert data["chapters"] == [
        {"startTime": 0, "title": "Opening", "endTime": 1},
        {
            "startTime": 1,
            "title": "Interview",
            "endTime": 2,
            "url": "https://example.org/interview",
        },
        {"startTime": 2, "title": "Credits", "endTime": 3},
    ]
    assert (
        f'<podcast:chapters url="{PAGE}chapters.json"'
        in (tmp_path / "feeds" / "feed.xml").read_text()
    )


def test_no_chapters_no_tag(show: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    """The example's audio has no chapters: no chapters file and no tag."""
    assert run("build").exit_code == 0
    assert not (tmp_path / "feeds" / SLUG / "chapters.json").exists()
    assert "podcast:chapters" not in (tmp_path / "feeds" / "feed.xml").read_text()


def test_feedparser_reads_the_item(out: Path) -> None:
    """feedparser: content, image, season/episode, and the podcast: tags' attributes."""
    parsed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not parsed.bozo
    (entry,) = parsed.entries
    assert entry.id == GUID
    assert entry.content[0].value == NOTES_HTML
    assert entry.content[0].type == "text/html"
    assert entry.image == {"href": f"{PAGE}cover.jpg"}
    assert (entry.itunes_season, entry.itunes_episode, entry.itunes_episodetype) == (
        "2",
        "3",
        "full",
    )
    assert entry.podcast_chapters == {
        "url": f"{PAGE}chapters.json",
        "type": "application/json+chapters",
    }
    assert entry.podcast_soundbite == {"starttime": "65", "duration": "30.5"}
    assert entry.podcast_location["geo"] == "geo:51.5074,-0.1278"
    assert entry.podcast_image["alt"] == "A road in the desert"


def test_podcastparser_reads_the_item(out: Path) -> None:
    """gPodder's parser: notes HTML, art, season/number, transcript, chapters, persons."""
    data = (out / "feed.xml").read_bytes().replace(PODCAST_NS.encode(), PODCAST_NS_GITHUB.encode())
    (episode,) = podcastparser.parse(f"{BASE}feed.xml", io.BytesIO(data))["episodes"]
    assert episode["description_html"] == NOTES_HTML
    assert episode["episode_art_url"] == f"{PAGE}cover.jpg"
    assert (episode["season"], episode["number"], episode["type"]) == (2, 3, "full")
    assert episode["transcript_url"] == f"{PAGE}transcript.txt"
    assert episode["chapters_json_url"] == f"{PAGE}chapters.json"
    assert episode["persons"] == [
        {
            "name": "Kelly McEvers",
            "role": "host",
            "group": "cast",
            "href": "https://www.example.org/kelly",
            "img": "https://www.example.org/kelly.jpg",
        },
        {"name": "Peter Neumann", "role": "guest", "group": "cast", "href": None, "img": None},
        {
            "name": "Pat Producer",
            "role": "producer",
            "group": "creative direction",
            "href": None,
            "img": None,
        },
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "image: {file: cover.jpg, alt: A road in the desert}",
            "image: missing.jpg",
            (
                f"{MANIFEST}:29:8: image.file: episodes/{SLUG}/missing.jpg: file not found;"
                " expected the image beside episode.yaml"
            ),
        ),
        (
            "{start: 65, duration: 30.5, title: Why they left}",
            "{start: 65, duration: 0}",
            f"{MANIFEST}:35:27: soundbites.0.duration: expected a number greater than 0, got 0",
        ),
        (
            '{start: "1:05.5", title:',
            '{start: "1:x", title:',
            (
                f"{MANIFEST}:32:13: chapters.1.start: expected seconds (75) or a time"
                " (1:15, 0:01:15.5), got '1:x'"
            ),
        ),
        (
            "- {start: 150, title: Silent part, toc: false}",
            "- {start: 10, title: Early}",
            f"{MANIFEST}:31:3: chapters: chapters must be listed in order of their start times",
        ),
        (
            "- {file: audio.opus, title: Opus}",
            "- {file: gone.opus}",
            f"{MANIFEST}:38:12: alternates.0.file: episodes/{SLUG}/gone.opus: ",
        ),
        (
            (
                "- {url: https://media.example.org/isis.m4a, type: audio/x-m4a,"
                " length: 1234567, title: AAC}"
            ),
            "- {url: https://media.example.org/isis.m4a}",
            (
                f"{MANIFEST}:39:5: alternates.1: an alternate given by url needs its type"
                " and length too"
            ),
        ),
    ],
)
def test_bad_item_fields_are_manifest_errors(
    rich: Path, run: Callable[..., Result], tmp_path: Path, old: str, new: str, expected: str
) -> None:
    """Mistakes in the new episode fields are reported with file, line and field."""
    edit(rich / SLUG / "episode.yaml", old, new)
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr.startswith(expected), result.stderr


def test_two_rich_builds_are_byte_identical(
    rich: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """Every new file (chapters, state, feed with all tags) is deterministic."""
    from support import tree_digest

    assert run("build", "--out", "one").exit_code == 0
    assert run("build", "--out", "two").exit_code == 0
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")


def test_main_audio_is_not_an_alternate(
    rich: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """Listing the episode's own audio file as an alternate is a manifest error, not a clash."""
    edit(rich / SLUG / "episode.yaml", "- {file: audio.opus, title: Opus}", "- audio.mp3")
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr == (
        f"{MANIFEST}:38:5: alternates.0.file: audio.mp3 is the episode's audio;"
        " list only other files\n"
        "error: 1 problem in 1 file; nothing was written to feeds/\n"
    )


def test_show_hosts_resolve_transcript_speakers(
    show: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    """A host listed once in show.yaml (with a speaker label) need not be credited per episode."""
    edit(
        show / SLUG / "episode.yaml",
        "  - name: Kelly McEvers\n    role: host\n    speaker: MCEVERS\n",
        "",
    )
    unresolved = run("build", "--out", "before")
    assert "MCEVERS" in unresolved.stderr  # nobody claims the label
    edit(
        show / "show.yaml",
        "# hosts:\n#   - {name: A. Host, role: host, href: https://www.example.org/people/a-host}",
        "hosts:\n  - {name: Kelly McEvers, role: host, speaker: MCEVERS}",
    )
    result = run("build", "--out", "after")
    assert result.exit_code == 0
    assert result.stderr == ""
    persons = [
        e.text
        for e in parse(tmp_path / "after" / "feed.xml").findall("channel/item/podcast:person", NS)
    ]
    assert persons == ["Peter Neumann", "Kelly McEvers"]
    assert "Kelly McEvers" in (tmp_path / "after" / SLUG / "transcript.txt").read_text()
