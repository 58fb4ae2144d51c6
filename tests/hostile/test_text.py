"""Any text in any field: the feed stays well-formed and says exactly that text; the pages
show it escaped, never as markup.

Documented normalisation: leading and trailing whitespace of a manifest value is removed and
line breaks become LF (as every XML parser does); transcript text is normalised to NFC;
characters XML 1.0 forbids are refused with an error (tests/hostile/test_manifests.py).
"""

from __future__ import annotations

import io
import re
import shutil
import unicodedata
from pathlib import Path

import feedparser
import lxml.etree
import lxml.html
import podcastparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stationcast.build import build_show
from stationcast.models import invisible
from support import add_episode, copy_example

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

# Text a producer could type or paste: any legal character, biased towards the dangerous ones.
dangerous = st.sampled_from(
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "]]>",
        "&amp;",
        "&nbsp;",
        "javascript:alert(1)",
        "\u202eevil",
        "e\u0301",
        "👩🏽‍🚀",
        "مرحبا",
        "שלום",
        "{{ 7*7 }}",
        "{% raw %}",
        "\x85",
        "\u2028",
        "-->",
        "\r\n",
        "\t",
        "'",
        '"',
        "\\",
    ]
)
text = st.lists(st.one_of(st.text(min_size=1, max_size=20), dangerous), min_size=1, max_size=6).map(
    "".join
)
# (Text that shows nothing, only zero-width or control characters, is refused as empty.)
clean_text = text.map(lambda s: _ILLEGAL.sub("", s)).filter(lambda s: not invisible(s.strip()))


def _normalised(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("text")


def _fresh_show(workdir: Path) -> Path:
    show = workdir / "episodes"
    shutil.rmtree(show, ignore_errors=True)
    copy_example(show)
    return show


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=clean_text, summary=clean_text, words=clean_text)
def test_any_text_round_trips_through_the_feed(
    workdir: Path, title: str, summary: str, words: str
) -> None:
    """Title, summary and transcript text come back equal (after stripping) from three parsers."""
    show = _fresh_show(workdir)
    add_episode(
        show,
        "hostile",
        title=title,
        summary=summary,
        transcript=f"MCEVERS: {words}\n",
        published="2020-01-01T00:00:00Z",
    )
    out = workdir / "feeds"
    build_show(show, out)
    data = (out / "feed.xml").read_bytes()

    root = lxml.etree.fromstring(data)
    item = next(i for i in root.iter("item") if i.findtext("link", "").endswith("/hostile/"))
    assert item.findtext("title") == _normalised(title)
    assert item.findtext("description") == _normalised(summary)

    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    titles = {e.title for e in parsed.entries}
    assert len(titles) == 2

    pod = podcastparser.parse("https://podcasts.example.org/wunc/feed.xml", io.BytesIO(data))
    assert len(pod["episodes"]) == 2

    page = lxml.html.fromstring((out / "hostile" / "index.html").read_bytes())
    assert page.findtext(".//h1") == _normalised(title)
    assert not page.xpath("//script"), "text became a <script> element"
    assert not page.xpath("//img[@onerror]"), "text became markup"
    transcript = " ".join(t.text_content() for t in page.xpath("//section[@class='transcript']//p"))
    # Transcripts are normalised to NFC (so a label typed with combining accents still matches).
    assert " ".join(unicodedata.normalize("NFC", words).split()) in " ".join(transcript.split())


def test_script_in_every_field_is_escaped(show: Path, tmp_path: Path) -> None:
    """The classic payloads appear as text in the page source, never as tags."""
    payload = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
    add_episode(
        show,
        "xss",
        title=payload,
        summary=payload,
        transcript=f"MCEVERS: {payload}\n\n{payload.upper()}: hi\n",
    )
    build_show(show, tmp_path / "out")
    html = (tmp_path / "out" / "xss" / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    feed = (tmp_path / "out" / "feed.xml").read_text(encoding="utf-8")
    assert "<script>" not in feed
