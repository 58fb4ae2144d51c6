"""Show notes keep every word: HTML -> Markdown (import) -> HTML (build) shows the same text."""

from __future__ import annotations

from html import escape
from typing import Any

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stationcast.importers.htmltext import html_to_markdown
from stationcast.markdown import render_notes

_BLOCKS = {
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "blockquote", "br", "table", "tr", "td",
    "th", "pre", "hr",
}  # fmt: skip


def visible_words(html: str) -> list[str]:
    """The words a reader sees in `html`: its text nodes in order, blocks apart from each other."""
    if not html.strip():
        return []
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    parts: list[str] = []

    def walk(node: Any) -> None:
        block = isinstance(node.tag, str) and node.tag in _BLOCKS
        if block:
            parts.append(" ")
        if isinstance(node.tag, str) and node.tag not in ("script", "style"):
            parts.append(node.text or "")
            for child in node:
                walk(child)
        if block:
            parts.append(" ")
        parts.append(node.tail or "")

    walk(root)
    return "".join(parts).split()


def round_trip(html: str) -> list[str]:
    return visible_words(render_notes(html_to_markdown(html)))


# Real show-notes shapes, each a text loss the hand-written converter had.
CASES = [
    ("text after links", 'See <a href="https://a.example/">A</a> and <a href="/b">B</a> for more.'),
    ("emphasis ending in a space", "<p><em>1865 </em>is the year</p>"),
    ("bold with a link inside", '<p><b>Read <a href="https://x.example/">it</a> now</b>, then</p>'),
    ("a bulleted list", "<p>Topics:</p><ul><li>one</li><li>two <i>three</i></li></ul><p>End.</p>"),
    ("a numbered list", "<ol><li>first</li><li>second</li></ol>"),
    ("a relative link keeps its text", '<p>Go <a href="/about">here</a> today.</p>'),
    ("Markdown characters", "<p>5 * 3 = 15, snake_case, [brackets], #1 and 1. not a list</p>"),
    ("line breaks", "Host: Ana<br>Producer: Bo<br/><br/>Music: Cy"),
    ("a table", "<table><tr><th>Song</th><th>By</th></tr><tr><td>A</td><td>B</td></tr></table>"),
    ("a heading and a quote", "<h2>Credits</h2><blockquote>Quoted words</blockquote>"),
    ("emphasis a word runs into", "<p>today<strong>! </strong>Send <b>x</b>y a<em>.</em>b</p>"),
    ("entities", "<p>Tom &amp; Jerry &lt;3 &quot;quoted&quot; &#8217;</p>"),
]  # fmt: skip


@pytest.mark.parametrize(("html"), [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_real_note_shapes_keep_every_word(html: str) -> None:
    """Each shape of notes real feeds carry reads, once imported and rebuilt, word for word as
    the old feed's notes."""
    assert round_trip(html) == visible_words(html)


def test_link_keeps_its_address_and_the_text_after_it() -> None:
    """A link becomes `[text](url)` and the words after it stay after it."""
    notes = html_to_markdown('See <a href="https://a.example/x">A</a> and more.')
    assert notes == "See [A](https://a.example/x) and more."


def test_lists_stay_lists() -> None:
    """A list in the old notes is a Markdown list, which the build renders as a list again."""
    notes = html_to_markdown("<ul><li>one</li><li>two</li></ul>")
    assert notes == "- one\n- two"
    assert "<li>one</li>" in render_notes(notes)


def test_nesting_deeper_than_the_converter_walks_keeps_the_words() -> None:
    """Hostile nesting (5,000 open tags) still gives the words, as plain text."""
    assert html_to_markdown("<b>" * 5000 + "deep *words*") == "deep \\*words\\*"


def test_plain_text_notes_are_escaped() -> None:
    """Plain-text notes are not read as Markdown: `*a*` stays two asterisks, not emphasis."""
    notes = html_to_markdown("one *a* two\n\n1. three")
    assert visible_words(render_notes(notes)) == ["one", "*a*", "two", "1.", "three"]


_WORD = st.sampled_from(
    [
        "word",
        "Word",
        "1865",
        "*",
        "**",
        "_",
        "__x__",
        "1.",
        "2)",
        "#",
        "##",
        "-",
        "+",
        "[x]",
        "(y)",
        "a&b",
        "<",
        ">",
        "`",
        "\\",
        "~",
        "|",
        "!",
        "=",
        "é",
        "’",
        "http://x.example/",
        ":)",
        "...",
    ]  # fmt: skip
)
_SPACE = st.sampled_from([" ", "  ", "\n", " \n "])


@st.composite
def _inline(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["text", "text", "em", "strong", "a", "span", "br"]))
        if kind == "text" or depth > 2:
            words = draw(st.lists(_WORD, min_size=1, max_size=4))
            lead, trail = draw(_SPACE), draw(st.sampled_from(["", " ", "  "]))
            parts.append(lead + " ".join(escape(w, quote=False) for w in words) + trail)
        elif kind == "br":
            parts.append("<br>")
        elif kind == "a":
            href = draw(st.sampled_from(["https://a.example/p?q=1", "mailto:x@y.example", "/rel"]))
            parts.append(f'<a href="{href}">{draw(_inline(depth + 1))}</a>')
        else:
            parts.append(f"<{kind}>{draw(_inline(depth + 1))}</{kind}>")
    return "".join(parts)


@st.composite
def _notes(draw: st.DrawFn) -> str:
    blocks = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["p", "bare", "ul", "ol", "h3", "div"]))
        if kind in ("ul", "ol"):
            items = "".join(f"<li>{draw(_inline())}</li>" for _ in range(draw(st.integers(1, 3))))
            blocks.append(f"<{kind}>{items}</{kind}>")
        elif kind == "bare":
            blocks.append(draw(_inline()))
        else:
            blocks.append(f"<{kind}>{draw(_inline())}</{kind}>")
    return "".join(blocks)


@given(_notes())
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
def test_no_text_node_is_lost(html: str) -> None:
    """Any notes made of paragraphs, lists, headings, emphasis and links, with Markdown's own
    characters in the text: rendered back, the words are the source's words, in order."""
    assert round_trip(html) == visible_words(html)


def test_notes_converted_ahead_in_workers_are_the_ones_converted_one_by_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A long feed's notes are converted in worker processes: the same Markdown and text."""
    from stationcast.importers import htmltext

    monkeypatch.setattr(htmltext, "AHEAD_MIN", 0)
    notes = [html for _, html in CASES] + ["plain text, no markup", "", "a &amp; b"]
    converted = htmltext.convert_ahead(texts=notes, markdowns=notes, jobs=2)
    assert converted.markdowns and converted.texts  # (done ahead, in the workers)
    for html in notes:
        assert converted.to_markdown(html) == html_to_markdown(html)
        assert converted.to_text(html) == htmltext.html_to_text(html)
    assert htmltext.convert_ahead(texts=notes, markdowns=notes, jobs=1) == htmltext.Converted()
