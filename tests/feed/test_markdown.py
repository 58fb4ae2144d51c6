"""Show notes: Markdown -> Apple's HTML subset; nothing hostile survives."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import html as lxml_html

from stationcast.markdown import ALLOWED_TAGS, render_notes


def test_the_subset() -> None:
    """Paragraphs, both list kinds, links, bold and italics survive as such."""
    assert render_notes("Hi **bold** _it_ [a](https://x.org/a)\n\n1. one\n\n- two\n") == (
        '<p>Hi <strong>bold</strong> <em>it</em> <a href="https://x.org/a">a</a></p>\n'
        "<ol>\n<li>one</li>\n</ol>\n<ul>\n<li>two</li>\n</ul>"
    )


def test_headings_become_paragraphs_and_images_their_alt_text() -> None:
    """Markup outside the subset keeps its text."""
    assert (
        render_notes("# Title\n\n![a photo](https://x.org/p.jpg) `code`")
        == "<p>Title</p>\n<p>a photo code</p>"
    )


@pytest.mark.parametrize(
    "notes",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](java&#x09;script:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:msgbox)",
        "<a href='javascript:alert(1)'>x</a>",
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "<p onclick='alert(1)'>x</p>",
        "<iframe src=https://evil.example></iframe>",
        "<https://ok.example/?a=<script>>",
    ],
)
def test_hostile_notes_are_defused(notes: str) -> None:
    """No script, event handler, frame or non-http(s)/mailto link gets through."""
    out = render_notes(notes)
    tree = lxml_html.fragment_fromstring(out, create_parent="div")
    for element in tree.iter():
        assert element.tag not in ("script", "iframe", "img"), out
        assert not [name for name in element.attrib if name.startswith("on")], out
        href = element.get("href")
        assert href is None or href.startswith(("http://", "https://", "mailto:")), out


def test_mailto_links_are_kept() -> None:
    assert (
        render_notes("[write](mailto:news@example.org)")
        == '<p><a href="mailto:news@example.org">write</a></p>'
    )


def test_blank_notes_give_nothing() -> None:
    assert render_notes("  \n") == ""


# What can reach render_notes: manifest text, from which the models refuse XML-illegal characters.
_MANIFEST_TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters=[
            chr(c) for c in (*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF)
        ],
    ),
    max_size=300,
)


@given(_MANIFEST_TEXT)
def test_any_text_gives_only_allowed_tags(text: str) -> None:
    """Whatever the Markdown, the output holds only allowed tags and attributes, and no ']]>'."""
    out = render_notes(text)
    assert "]]>" not in out
    if not out:
        return
    tree = lxml_html.fragment_fromstring(out, create_parent="div")
    for element in tree.iter():
        if element is tree:
            continue
        assert element.tag in ALLOWED_TAGS, element.tag
        assert set(element.attrib) <= ({"href"} if element.tag == "a" else set())
