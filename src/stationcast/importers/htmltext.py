"""A feed's HTML descriptions as the plain text or Markdown a manifest holds.

Show notes are converted by html-to-markdown (a maintained converter with a Rust core),
after a pass over the notes' lxml tree reduces them to what the build renders back and
escapes their text: every text node keeps its place, the text after a link or an emphasis
stays where it was, lists stay lists. Only what the build renders back as a link becomes one (an
absolute http, https or mailto address); any other link keeps its text. Markup Markdown has no
form for here (tables, images) keeps its text; Markdown's own characters in the text are
escaped, so `stationcast build` shows the words the old feed showed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import html_to_markdown as html_to_markdown_lib
import lxml.html
from lxml import etree

from stationcast.cores import usable_cores

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
        text = " ".join(_text(a).split())
        if href.startswith(_LINK_SCHEMES) and href.removeprefix("mailto:") != text and href != text:
            a.tail = f" ({href})" + (a.tail or "")
    for bad in list(root.iter("script", "style")):
        bad.getparent().remove(bad)
    return _paragraphs(root)


#: Elements whose words stay and whose markup goes: show notes have no form for them, and
#: html-to-markdown's would add text (`==mark==`, an abbreviation's title, `~~del~~`).
_UNWRAP = (
    "del", "s", "strike", "sub", "sup", "u", "ins", "mark", "abbr", "acronym", "small", "big",
    "font", "span", "cite", "q", "dfn", "time", "label", "button", "details", "summary",
    "figure", "figcaption", "nav", "header", "footer", "aside", "section", "article", "main",
    "form", "center",
)  # fmt: skip
#: Blocks written as paragraphs: a heading (the build shows one as a paragraph; as Markdown
#: it would also lose the `#` signs that end its text), a table's rows (CommonMark has none).
_AS_PARAGRAPH = ("h1", "h2", "h3", "h4", "h5", "h6", "tr", "caption", "dt", "dd")
_BLOCKS = {"p", "div", "li", "blockquote", "ul", "ol", "pre"}
_AS_DIV = ("table", "thead", "tbody", "tfoot", "dl")
#: Removed with what they hold (scripts, styles, images), or keeping their words.
_DROPPED = ("script", "style", "img", "picture", "svg", "iframe", "object", "noscript")
_KEEP_WORDS = ("picture", "svg", "iframe", "object", "noscript")
_EMPHASIS = {"em": "em", "i": "em", "b": "strong", "strong": "strong"}
_OPTIONS = html_to_markdown_lib.ConversionOptions(
    heading_style="atx",
    bullets="-",
    strong_em_symbol="*",
    escape_asterisks=False,  # (the text is escaped before, see _escape)
    escape_underscores=False,
    escape_misc=False,
    newline_style="backslash",
    autolinks=False,
    expand_abbreviations=False,
    include_blockquote_citations=False,
    extract_metadata=False,
    skip_images=True,
    hidden_content="all",  # (a note's hidden words are still its words)
    preprocessing=html_to_markdown_lib.PreprocessingOptions(enabled=False),
)


def _prepared(root: Any, mark: str) -> str:
    """The notes' tree reduced to what they render back as, serialised for the converter:
    links only to absolute addresses, emphasis only where CommonMark reads it as such,
    headings and table rows as paragraphs, no images or scripts; the text escaped."""
    _reduce(root, inside_link=False, emphasis=frozenset())
    for el in reversed(list(root.iter(*_EMPHASIS, "a"))):  # (inner ones first)
        _breaks_outside(el)
    for br in list(root.iter("br")):  # a break opening a block breaks nothing
        parent = br.getparent()
        if parent.tag in _BLOCKS and br.getprevious() is None and not (parent.text or "").strip():
            br.drop_tree()
    _escape_tree(root, mark, code=False)
    return str(etree.tostring(root, encoding="unicode", method="html"))


def _reduce(el: Any, *, inside_link: bool, emphasis: frozenset[str]) -> None:
    """`el`'s descendants reduced (see _prepared), depth first; one walk, no ancestor search."""
    for child in list(el):
        tag = child.tag
        if not isinstance(tag, str):  # a comment or processing instruction: never shown
            child.drop_tree()
            continue
        if tag in _DROPPED:  # (lxml.html's own: drop_tag keeps the words, drop_tree not)
            if tag in _KEEP_WORDS:
                child.drop_tag()
            else:
                child.drop_tree()
            continue
        unwrap = tag in _UNWRAP
        kind = _EMPHASIS.get(tag)
        if tag == "a":
            href = (child.get("href") or "").strip()
            if (
                inside_link
                or not href.lower().startswith(_LINK_SCHEMES)
                or not _text(child).strip()
            ):
                unwrap = True  # no address the build links, no words, or a link in a link
            else:
                child.attrib.clear()
                child.set("href", href)
        elif kind is not None and (kind in emphasis or not _can_emphasise(child)):
            unwrap = True  # emphasised already, or CommonMark could not read it so
        elif tag in _AS_PARAGRAPH:
            child.tag = "p"
        elif tag in ("td", "th"):
            child.tag = "span"
            child.text = " " + (child.text or "")
            child.tail = " " + (child.tail or "")
        elif tag in _AS_DIV:
            child.tag = "div"
        _reduce(
            child,
            inside_link=inside_link or (tag == "a" and not unwrap),
            emphasis=emphasis | {kind} if kind is not None and not unwrap else emphasis,
        )
        if unwrap:
            child.drop_tag()


def _escape_tree(el: Any, mark: str, *, code: bool) -> None:
    code = code or el.tag in _CODE
    if el.text and not code:
        el.text = _escape(el.text, mark)
    for child in el:
        _escape_tree(child, mark, code=code)
        if child.tail and not code:
            child.tail = _escape(child.tail, mark)


def _text(el: Any) -> str:
    """The element's text (its descendants' too, not its tail)."""
    return "".join(el.itertext(with_tail=False)) if len(el) else el.text or ""


def _escape(text: str, mark: str) -> str:
    """Text as Markdown that shows it as written, with `mark` for each backslash (see
    html_to_markdown): a line break is a space; Markdown's characters are escaped where they
    could be read as markup (CommonMark's: any `*`, `_`, backslash, `&<[]>~=+|` and backtick;
    a `-` or up to six `#` standing alone; a `.` or `)` after up to nine digits)."""
    if "\n" in text or "\r" in text:
        text = _LINE_BREAK.sub(" ", text)
    if "\\" in text:
        text = text.replace("\\", mark + mark)  # (no backslash reaches the converter)
    text = _ALWAYS.sub(mark.replace("\\", "\\\\") + r"\g<0>", text)  # (a template)
    if "-" in text or "#" in text:
        text = _ALONE.sub(lambda m: m.group(1) + mark + m.group(2), text)
    if "." in text or ")" in text:
        text = _NUMBERED.sub(lambda m: m.group(1) + mark + m.group(2), text)
    return text


_LINE_BREAK = re.compile(r"[ \t\r\n\f]*[\r\n][ \t\r\n\f]*")
_ALWAYS = re.compile(r"[&<`\[\]>~=+|*_]")
_ALONE = re.compile(r"(\s|^)(-+(?:\s|$)|#{1,6}(?:\s|$))")
_NUMBERED = re.compile(r"((?:\s|^)[0-9]{1,9})([.)](?:\s|$))")
_CODE = ("pre", "code")


def _breaks_outside(el: Any) -> None:
    """Line breaks at the start or end of an emphasis moved out of it: inside, the break's
    backslash would escape the closing asterisk (`*words\\*`)."""
    while len(el) and el[-1].tag == "br" and not (el[-1].tail or "").strip():
        br = el[-1]
        space = br.tail or ""
        el.remove(br)
        br.tail = space + (el.tail or "")
        el.tail = None
        el.addnext(br)
    while len(el) and el[0].tag == "br" and not (el.text or "").strip():
        br = el[0]
        el.text = (el.text or "") + (br.tail or "")
        br.tail = None
        el.remove(br)
        el.addprevious(br)


#: Private-use characters, one of them not in a note, to carry its backslashes.
_MARKS = [chr(c) for c in range(0xE000, 0xE100)]
#: libxml2's HTML parser stops descending at 256 open elements, and drops what is deeper.
_MAX_DEPTH = 250


def _too_deep(root: Any) -> bool:
    """Whether the parsed tree reaches the depth where libxml2 stops (and loses words)."""
    return any(
        len(el) == 0 and sum(1 for _ in el.iterancestors()) >= _MAX_DEPTH for el in root.iter()
    )


def html_to_markdown(html: str) -> str:
    """Show notes: the HTML as Markdown (paragraphs, emphasis, lists, links as `[text](url)`)."""
    if "<" not in html:
        paragraphs = html_to_text(html).split("\n\n")
        return "\n\n".join(_escape_text(p) for p in paragraphs)
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
        if html.count("<") > _MAX_DEPTH and _too_deep(root):
            raise ValueError("nested deeper than libxml2 reads")
        # The text is escaped here, each backslash written as a character the converter
        # leaves alone (html-to-markdown escapes every hyphen, or misses a backslash in a
        # list item): `mark`, a private-use character the note does not have.
        mark = next((c for c in _MARKS if c not in html), None)
        if mark is None:
            raise ValueError("every private-use mark is in the note")
        result = html_to_markdown_lib.convert(_prepared(root, mark), _OPTIONS)
    except (ValueError, lxml.etree.ParserError, html_to_markdown_lib.ConversionError):
        return _escape_text(_flat_text(html))  # (nesting deeper than parsers go: the words)
    markdown = str(result.content or "").replace(mark, "\\")
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


def _escape_text(text: str) -> str:
    """Plain text as Markdown that shows it as it is (Markdown's own characters escaped)."""
    return _escape(text, "\\")


def _punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def _word_char(char: str) -> bool:
    return bool(char) and not char.isspace() and not _punctuation(char)


def _can_emphasise(el: Any) -> bool:
    """Whether `*body*` in the element's place opens and closes (CommonMark's flanking rules):
    not when a word runs into emphasis that starts with punctuation (`today**!**`), or ends
    so, nor around no words at all."""
    text = _text(el)
    body = text.strip()
    if not body:
        return False
    before = "" if text[:1].isspace() else _before(el)
    after = "" if text[-1:].isspace() else (el.tail or "")[:1]
    return not (
        (_word_char(before) and _punctuation(body[0]))
        or (_word_char(after) and _punctuation(body[-1]))
    )


def _before(el: Any) -> str:
    """The character of text just before the element ("" at a block's start)."""
    previous = el.getprevious()
    if previous is not None:
        return (previous.tail or _text(previous))[-1:]
    parent = el.getparent()
    return (parent.text or "")[-1:] if parent is not None else ""


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


@dataclass(frozen=True)
class Converted:
    """A feed's HTML converted ahead of its items (see convert_ahead); what was not, is
    converted when asked for."""

    texts: dict[str, str] = field(default_factory=dict)
    markdowns: dict[str, str] = field(default_factory=dict)

    def to_text(self, html: str) -> str:
        done = self.texts.get(html)
        return html_to_text(html) if done is None else done

    def to_markdown(self, html: str) -> str:
        done = self.markdowns.get(html)
        return html_to_markdown(html) if done is None else done


#: Below this much HTML (characters) a feed is converted in this process: starting workers
#: would cost more than it saves.
AHEAD_MIN = 2_000_000


def convert_ahead(
    texts: Sequence[str], markdowns: Sequence[str], *, jobs: int | None = None
) -> Converted:
    """Every distinct HTML of `texts` as plain text and of `markdowns` as Markdown: in worker
    processes, one per core (at most `jobs`), when there is much of it (a long feed's show
    notes are most of an import's work); else an empty Converted (each is then converted as
    it is needed). The results are the same either way."""
    text_work = [h for h in dict.fromkeys(texts) if h and ("<" in h or "&" in h)]
    markdown_work = [h for h in dict.fromkeys(markdowns) if h and "<" in h]
    size = sum(map(len, text_work)) + sum(map(len, markdown_work))
    workers = min(jobs or usable_cores(), 8)
    if workers < 2 or size < AHEAD_MIN:
        return Converted()
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    work = [(True, h) for h in markdown_work] + [(False, h) for h in text_work]
    chunk = max(1, len(work) // (workers * 4))
    # (forkserver: workers do not inherit this process's threads, such as a download's)
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        results = list(pool.map(_convert_one, work, chunksize=chunk))
    markdown = dict(zip(markdown_work, results[: len(markdown_work)], strict=True))
    text = dict(zip(text_work, results[len(markdown_work) :], strict=True))
    return Converted(text, markdown)


def _convert_one(job: tuple[bool, str]) -> str:
    as_markdown, html = job
    return html_to_markdown(html) if as_markdown else html_to_text(html)
