"""Importer properties: manifests read back exactly; any input ends in a result or our error."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stationcast.errors import StationcastError
from stationcast.importers.page import import_page
from stationcast.manifest import read_document
from stationcast.manifest.write import Block, Draft, Entry, manifest_text
from stationcast.models import Episode

# Text a manifest can hold: anything but lone surrogates (no UTF-8 file can carry them).
_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
_WORDS = st.lists(
    st.sampled_from(
        [
            "MCEVERS:",
            "PETER NEUMANN:",
            "(LAUGHTER)",
            "That's",
            "Peter",
            "Neumann.",
            "O'BRIEN,",
            "HOST:",
            "\n",
            "\n\n",
            "Play Live Radio",
            "©",
            "2024",
            "More Stories",
            "é",
            "  ",
            "#",
            ":",
        ]
    ),
    max_size=60,
)


@given(_TEXT, _TEXT, st.lists(_TEXT, max_size=4))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_values_read_back_unchanged(title: str, summary: str, labels: list[str]) -> None:
    """Any text an importer writes (plain, quoted or folded; in TODO notes, and in the TODOs the
    writer adds for values the model refuses), stationcast reads back the same."""
    credits = [Block([Entry("name", summary, todo=title), Entry("speaker", labels)])]
    written = manifest_text(
        Episode,
        [
            Entry("title", title, todo=title.replace("\n", " ")),
            Entry("guid", "ep-1"),
            Entry("published", "2024-01-01T10:00:00+00:00"),
            Entry("summary", summary),
            Entry("audio", "audio.mp3"),
            Entry("transcript", {"file": "transcript.txt", "credit": title}),
            Entry("credits", credits),
        ],
        header=[title],
        draft=Draft(summary, only_with_todos=True),
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "episode.yaml"
        path.write_text(written.text, encoding="utf-8")
        problems: list[object] = []
        doc = read_document(path, problems)  # type: ignore[arg-type]
    assert doc is not None, (problems, written.text)
    assert doc.data == written.data
    assert {k: doc.data[k] for k in ("title", "summary")} == {"title": title, "summary": summary}
    assert doc.data["credits"] == [{"name": summary, "speaker": labels}]


@given(st.one_of(_TEXT, _WORDS.map(" ".join)))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_page_text_imports_or_fails_cleanly(text: str) -> None:
    """Any saved page gives an episode folder or a StationcastError, never another exception."""
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "page.txt"
        page.write_text(text, encoding="utf-8")
        try:
            report = import_page(str(page), Path(folder) / "episodes", slug="imported")
        except StationcastError:
            return
        assert (Path(folder) / "episodes" / "imported" / "transcript.txt").is_file()
        assert report.written


_TAGS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<div class='transcript'>",
        "</div>",
        "<br>",
        "<footer>",
        "</footer>",
        "<h1>",
        "</h1>",
        "<script>",
        "</script>",
        "<a href='x.mp3'>",
        "</a>",
        "<time datetime='2024-01-01'>",
        "&amp;",
        "&nbsp;",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
    ]
)


@given(st.lists(st.one_of(_TAGS, _TEXT, _WORDS.map(" ".join)), max_size=40))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_html_page_imports_or_fails_cleanly(parts: list[str]) -> None:
    """Any HTML page gives either an episode folder or a StationcastError."""
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "page.html"
        page.write_text("<!DOCTYPE html><html><body>" + "".join(parts), encoding="utf-8")
        try:
            import_page(str(page), Path(folder) / "episodes", slug="imported")
        except StationcastError:
            return


_FEED_PARTS = st.sampled_from(
    [
        "<rss version='2.0'>",
        "<channel>",
        "</channel>",
        "</rss>",
        "<item>",
        "</item>",
        "<title>",
        "</title>",
        "<guid>",
        "</guid>",
        "<pubDate>Mon, 01 Jan 2024 10:00:00 +0000</pubDate>",
        "<enclosure url='https://e.org/a.mp3' length='5' type='audio/mpeg'/>",
        "<enclosure url='x' length='-1'/>",
        "<itunes:duration xmlns:itunes='http://www.itunes.com/dtds/podcast-1.0.dtd'>1:2:3:4</itunes:duration>",
        "<description><![CDATA[<p>hi</p>]]></description>",
        "&amp;",
        "<!DOCTYPE rss>",
        "<pubDate>yesterday</pubDate>",
    ]
)


@given(st.lists(st.one_of(_FEED_PARTS, _TEXT), max_size=40))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_feed_imports_or_fails_cleanly(parts: list[str]) -> None:
    """Any document gives either episode folders or a StationcastError."""
    from stationcast.importers.feed import import_feed

    with tempfile.TemporaryDirectory() as folder:
        feed = Path(folder) / "feed.xml"
        feed.write_text("".join(parts), encoding="utf-8")
        try:
            import_feed(str(feed), Path(folder) / "episodes")
        except StationcastError:
            return
