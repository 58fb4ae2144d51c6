"""A feed's HTML descriptions as the plain text or Markdown a manifest holds.

Show notes are converted by markdownify (a maintained HTML -> Markdown converter on
BeautifulSoup): every text node keeps its place, the text after a link or an emphasis stays
where it was, lists stay lists. Only what the build renders back as a link becomes one (an
absolute http, https or mailto address); any other link keeps its text. Markup Markdown has no
form for here (tables, images) keeps its text; Markdown's own characters in the text are
escaped, so `stationcast build` shows the words the old feed showed.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from typing import Any

import lxml.html
from bs4 import Tag
from markdownify import MarkdownConverter

from .pagehtml import text_lines

_LINK_SCHEMES = ("http://", "https://", "mailto:")
# A line that starts a new block (blank, a list item, a heading, a quote): a line break
# before it, or at a block's start, breaks nothing, and CommonMark would show its backslash.
_BLOCK_START = re.compile(r"\s*(?:$|[-*+](?:\s|$)|\d+[.)](?:\s|$)|#|>)")


def html_to_text(html: str) -> str:
    """A description's HTML as plain paragraphs; a link's address follows its text in brackets."""
    if "<" not in html and "&" not in html:
        return "\n\n".join(p.strip() for p in re.split(r"\n\s*\n", html.strip()) if p.strip())
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return " ".join(html.split())
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        text = " ".join(a.text_content().split())
        if href.startswith(_LINK_SCHEMES) and href.removeprefix("mailto:") != text and href != text:
            a.tail = f" ({href})" + (a.tail or "")
    for bad in list(root.iter("script", "style")):
        bad.getparent().remove(bad)
    return _paragraphs(root)


class _NotesConverter(MarkdownConverter):
    """markdownify, limited to what show notes render back as: links only to absolute
    addresses, no images, headings and table rows as paragraphs (CommonMark has no tables)."""

    def escape(self, text: str, parent_tags: set[str]) -> str:
        # A line break in HTML text is a space; as a space, every list marker or heading
        # sign in the text is escaped, not only the first of two on neighbouring lines.
        spaced = re.sub(r"[ \t\r\n\f]*[\r\n][ \t\r\n\f]*", " ", text)
        return str(super().escape(spaced, parent_tags))  # type: ignore[misc]

    def convert_a(self, el: Any, text: str, parent_tags: set[str]) -> str:
        href = (el.get("href") or "").strip()
        if not href.lower().startswith(_LINK_SCHEMES) or not text.strip() or "a" in parent_tags:
            return text  # no address the build links, no words, or a link inside a link
        return self._inline("a", el, text, parent_tags)

    def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return ""

    def _inline(self, name: str, el: Any, text: str, parent_tags: set[str]) -> str:
        """Emphasis around the text; the spaces and line breaks at its ends kept outside it
        (`*a* b`, not `*a *b`, which CommonMark shows with both asterisks)."""
        lead = " " if text[:1].isspace() else ""
        after = " " if text[-1:].isspace() else ""
        body = text.strip()
        while body.startswith("\\\n"):
            body, lead = body[2:].lstrip(), "\\\n"
        while _hard_break(body):
            body, after = body[:-1].rstrip(), "\\\n"
        same = {"em", "i"} if name in ("em", "i") else {"b", "strong"} if name != "a" else set()
        if same & parent_tags:  # emphasis inside the same emphasis: it is emphasised already
            converted = body
        elif name != "a" and not _can_emphasise(el, body, lead, after):
            converted = body  # CommonMark could not read it as emphasis: keep the words
        else:
            converted = str(getattr(super(), f"convert_{name}")(el, body, parent_tags))
        return f"{lead}{converted}{after}" if converted else lead or after

    def convert_b(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return self._inline("b", el, text, parent_tags)

    def convert_strong(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return self._inline("strong", el, text, parent_tags)

    def convert_em(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return self._inline("em", el, text, parent_tags)

    def convert_i(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return self._inline("i", el, text, parent_tags)

    def convert_del(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return text  # show notes have no strike-through: keep the words

    convert_s = convert_sub = convert_sup = convert_del

    def convert_hN(self, n: int, el: Any, text: str, parent_tags: set[str]) -> str:
        # The build shows a heading as a paragraph; as Markdown, a heading would also lose
        # the `#` signs that end its text (CommonMark reads them as the closing sequence).
        return f"\n\n{text.strip()}\n\n"

    def convert_table(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return f"\n\n{text.strip()}\n\n"

    def convert_tr(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return f"\n\n{text.strip()}\n\n"

    def convert_td(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return f" {text.strip()} "

    convert_th = convert_td

    def convert_caption(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return f"\n\n{text.strip()}\n\n"


class _Tag(Tag):
    """A BeautifulSoup tag whose `find_parent(name)` walks up by name alone.

    markdownify asks every tag whether it lies inside a <pre>; BeautifulSoup answers through
    its general search (a filter built per call), which took a third of the conversion on
    long notes. Asked with anything more than a name, it answers as BeautifulSoup does."""

    def find_parent(self, name: Any = None, attrs: Any = None, **kwargs: Any) -> Any:
        if not isinstance(name, str) or attrs or kwargs:
            return super().find_parent(name, attrs, **kwargs)
        node = self.parent
        while node is not None:
            if node.name == name:
                return node
            node = node.parent
        return None


# markdownify passes a dict to BeautifulSoup as its options (its stub says only a parser name).
_BS4_OPTIONS: Any = {"features": "lxml", "element_classes": {Tag: _Tag}}
_CONVERTER = _NotesConverter(
    heading_style="ATX",
    bullets="-",
    escape_misc=True,
    newline_style="backslash",
    bs4_options=_BS4_OPTIONS,
)


def html_to_markdown(html: str) -> str:
    """Show notes: the HTML as Markdown (paragraphs, emphasis, lists, links as `[text](url)`)."""
    if "<" not in html:
        paragraphs = html_to_text(html).split("\n\n")
        return "\n\n".join(str(_CONVERTER.escape(p, set())) for p in paragraphs)
    try:
        markdown = str(_CONVERTER.convert(html))
    except RecursionError:  # nesting deeper than the converter walks: keep the words
        return str(_CONVERTER.escape(_flat_text(html), set()))
    # Blank lines between blocks, no trailing spaces, at most one blank line in a row; a line
    # break (a backslash at the end of the line) ending a block is dropped.
    lines = [line.rstrip() for line in markdown.splitlines()] + [""]
    for n in range(len(lines) - 2, -1, -1):  # from the end: a run of breaks ends together
        line = lines[n]
        if _hard_break(line) and (
            _BLOCK_START.match(lines[n + 1]) or _BLOCK_START.fullmatch(line[:-1])
        ):
            if line[:-1].strip():
                lines[n] = line[:-1].rstrip()
            else:  # a line that is only a break: no line at all (a blank one ends the block)
                del lines[n]
    markdown = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    # Two bold runs side by side (`<b>today</b><b>!</b>`) are one: `**today****!**` would show
    # its asterisks. Asterisks in the text are escaped, so four in a row are always markup.
    return re.sub(r"(?<!\\)\*\*\*\*", "", markdown)


def _punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def _word_char(char: str) -> bool:
    return bool(char) and not char.isspace() and not _punctuation(char)


def _can_emphasise(el: Any, body: str, lead: str, after: str) -> bool:
    """Whether `*body*` in its place opens and closes (CommonMark's flanking rules): not when
    a word runs into emphasis that starts with punctuation (`today**!**`), or ends so."""
    if not body:
        return False
    before = "" if lead else _edge(el.previous_sibling, last=True)
    following = "" if after else _edge(el.next_sibling, last=False)
    return not (
        (_word_char(before) and _punctuation(body[0]))
        or (_word_char(following) and _punctuation(body[-1]))
    )


def _edge(node: Any, *, last: bool) -> str:
    """The character of a neighbouring node next to the element ("" for none)."""
    if node is None:
        return ""
    text = str(node) if isinstance(node, str) else str(node.get_text())
    return (text[-1:] if last else text[:1]) if text else ""


def _hard_break(line: str) -> bool:
    """Whether the line ends in a Markdown hard line break (an unescaped backslash)."""
    return (len(line) - len(line.rstrip("\\"))) % 2 == 1


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _flat_text(html: str) -> str:
    """Every text node of `html` in order, markup and nesting ignored (never recursive)."""
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


def _paragraphs(root: Any) -> str:
    """The element's text lines as paragraphs, separated by blank lines."""
    paragraphs: list[str] = []
    block: list[str] = []
    for line in text_lines(root):
        if line:
            block.append(line)
        elif block:
            paragraphs.append("\n".join(block))
            block = []
    if block:
        paragraphs.append("\n".join(block))
    return "\n\n".join(paragraphs)
