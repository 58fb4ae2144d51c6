"""Properties of build_feed: any text escapes and parses back unchanged; output is deterministic."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from stationcast.feed import FeedChannel, FeedItem, Person, build_feed
from stationcast.markdown import render_notes
from stationcast.models import Show

from .helpers import NS, parse_bytes

# What a manifest can hold: the models strip whitespace and refuse XML-illegal characters.
XML_TEXT = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff"),
        min_size=1,
        max_size=80,
    )
    .map(lambda s: "".join(c for c in s if c in "\t\n\r" or ord(c) >= 0x20))
    .map(str.strip)
    .filter(bool)
)

SHOW = Show.model_validate(
    {
        "title": "T",
        "description": "D",
        "language": "en",
        "base_url": "https://example.org/",
        "artwork": "artwork.jpg",
        "categories": ["News"],
        "station": {"name": "WUNC"},
        "podcast_guid": "d490e970-ce05-5115-8dd9-fdca9f82feda",
    }
)


def _feed(title: str, summary: str, notes: str, person: str) -> bytes:
    show = SHOW.model_copy(update={"title": title, "description": summary})
    channel = FeedChannel(
        show, "https://example.org/feed.xml", "https://example.org/", "https://example.org/a.jpg"
    )
    item = FeedItem(
        guid="g",
        title=title,
        link="https://example.org/e/",
        published=datetime(2024, 1, 1, tzinfo=UTC),
        description=summary,
        enclosure_url="https://example.org/e/a.mp3",
        enclosure_length=1,
        enclosure_type="audio/mpeg",
        duration=1.0,
        explicit=False,
        persons=[Person(person[:128].strip() or "x", "host", "cast")],
        content_html=render_notes(notes),
    )
    return build_feed(channel, [item])


@settings(max_examples=60, deadline=None)
@given(XML_TEXT, XML_TEXT, XML_TEXT, XML_TEXT)
def test_any_text_parses_back_unchanged(title: str, summary: str, notes: str, person: str) -> None:
    """Titles, summaries and person names come back exactly; notes are well-formed CDATA."""
    data = _feed(title, summary, notes, person)
    assert data == _feed(title, summary, notes, person)  # deterministic
    root = parse_bytes(data)
    assert root.findtext("channel/title") == title
    assert root.findtext("channel/item/title") == title
    assert root.findtext("channel/item/description") == summary
    assert root.findtext("channel/item/podcast:person", namespaces=NS) == (
        person[:128].strip() or "x"
    )
    assert root.findtext("channel/item/content:encoded", namespaces=NS) == (
        render_notes(notes) or None
    )
