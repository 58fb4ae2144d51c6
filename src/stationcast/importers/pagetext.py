"""A story page -> its parts: title, date, body paragraphs, station details.

Two inputs give the same :class:`PageDoc`: text saved from a browser (the seed page) and the
page's HTML. Navigation and player text ("Play Live Radio", "Next Up:", "0:00 0:00",
"Available On Air Stations") is dropped, and everything from "More Stories" on is the site's
list of other stories, not this one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stationcast.transcripts import match_label
from stationcast.transcripts._text import prepare, squash

from .dates import FoundDate, parse_date
from .station import StationInfo, classify, read_header

# Lines a station site's player and menus put on every page (compared case-insensitively).
NAV_LINES = frozenset(
    s.casefold()
    for s in (
        "Play Live Radio",
        "Next Up:",
        "Available On Air Stations",
        "On Air Now",
        "Listen Live",
        "All Streams",
        "Skip to main content",
        "Skip to content",
        "Donate",
        "Menu",
        "Search",
        "Close",
        "Share",
        "Facebook",
        "Twitter",
        "X",
        "Email",
        "LinkedIn",
        "Reddit",
        "Flipboard",
        "Print",
        "Playlist",
        "Loading...",
        "Sponsor Message",
        "Become a sponsor",
        "Listen",
        "Listen · 0:00",
        "Download",
        "Embed",
        "Transcript",
        "Toggle more options",
        "Show Search",
        "Hide Search",
        "Site Menu",
        "Donate Now",
        "Newsletters",
        "Schedule",
        "Station Schedule",
    )
)
# Player text that cannot be a paragraph of a transcript, dropped anywhere on the page.
PLAYER_LINES = frozenset(
    s.casefold() for s in ("Play Live Radio", "Next Up:", "Available On Air Stations")
)
_CLOCKS = re.compile(
    r"^(?:Listen\s*[·•-]?\s*)?\d{1,2}:\d{2}(?::\d{2})?(?:\s*/?\s*\d{1,2}:\d{2}(?::\d{2})?)?$"
)
# Where the page's own story ends and the site's lists of other stories begin.
END_LINES = frozenset(
    s.casefold()
    for s in (
        "More Stories",
        "Related Stories",
        "Related Content",
        "More from NPR",
        "You May Also Like",
        "Trending",
    )
)
_META = re.compile(
    r"^(?:By\s|Published\b|Updated\b|Heard on\b|Originally published\b|Listen\b|Photo:"
    r"|Credit:|Hosted by\b|Host:|\S+ \| )",
    re.IGNORECASE,
)
_MAX_TITLE_WORDS = 30


@dataclass
class PageDoc:
    """What a story page holds, before it becomes manifests."""

    source: str
    title: str = ""
    date: FoundDate | None = None
    paragraphs: list[str] = field(default_factory=list)  # intro, turns, cues, credit
    station: StationInfo = field(default_factory=StationInfo)
    language: str = ""
    audio_url: str = ""
    description: str = ""  # the page's own summary (HTML meta description), if any
    bylines: list[str] = field(default_factory=list)
    meta_lines: list[str] = field(default_factory=list)  # between title and body, as printed


def is_nav(line: str) -> bool:
    folded = line.casefold()
    return folded in NAV_LINES or bool(_CLOCKS.match(line))


def is_player(line: str) -> bool:
    return line.casefold() in PLAYER_LINES or bool(_CLOCKS.match(line))


def split_paragraphs(lines: list[str]) -> list[str]:
    """Blank-line separated paragraphs, whitespace squashed; a line opening with a speaker
    label starts a paragraph even without a blank line before it (pasted text loses them)."""
    paragraphs: list[str] = []
    block: list[str] = []
    for raw in lines:
        line = squash(raw)
        if not line:
            if block:
                paragraphs.append(" ".join(block))
                block = []
            continue
        if block and match_label(line) is not None:
            paragraphs.append(" ".join(block))
            block = []
        block.append(line)
    if block:
        paragraphs.append(" ".join(block))
    return paragraphs


def read_text_page(text: str, source: str) -> PageDoc:
    """Text saved from a station's story page (like the seed page)."""
    text = prepare(text, source)
    lines = [squash(line) for line in text.split("\n")]
    # The site's other stories start at "More Stories": the story ends there.
    tail: list[str] = []
    for index, line in enumerate(lines):
        if line.casefold() in END_LINES:
            lines, tail = lines[:index], lines[index + 1 :]
            break
    lines = [line for line in lines if not is_player(line)]
    doc = PageDoc(source)

    # The header: station lines and menu/player lines at the top, with at most two other
    # short lines among them (the slogan, the station's name).
    nonblank = [i for i, line in enumerate(lines) if line]
    header_end = -1
    others = 0
    for i in nonblank[:40]:
        line = lines[i]
        if classify(line) is not None or is_nav(line):
            header_end = i
        elif len(line.split()) <= 12 and match_label(line) is None:
            others += 1
            if others > 2:
                break
        else:
            break
    if header_end >= 0:
        doc.station = read_header(
            [line for line in lines[: header_end + 1] if line and not is_nav(line)]
        )
        lines = lines[header_end + 1 :]
    else:
        # Station details in a footer at the end of the saved page instead.
        footer = [line for line in tail if line and not is_nav(line)]
        found = read_header(footer[-12:]) if footer else StationInfo()
        if found.found():
            doc.station = found

    # Title, then the story's date and byline lines, then the body.
    rest = list(lines)
    while rest and not rest[0]:
        rest.pop(0)
    # The first line is the title when it stands alone: a blank line, or the story's date or
    # byline, follows it.
    if (
        rest
        and match_label(rest[0]) is None
        and len(rest[0].split()) <= _MAX_TITLE_WORDS
        and (len(rest) == 1 or not rest[1] or _is_meta(rest[1]))
    ):
        doc.title = rest.pop(0)
    while rest:
        line = rest[0]
        if not line:
            rest.pop(0)
            continue
        if is_nav(line):
            rest.pop(0)
            continue
        found_date = parse_date(line) if len(line) <= 80 else None
        if found_date is not None or _is_meta(line):
            doc.meta_lines.append(line)
            if found_date is not None and doc.date is None:
                doc.date = found_date
            if line.lower().startswith("by "):
                doc.bylines.extend(
                    n.strip() for n in re.split(r",\s*|\s+and\s+", line[3:]) if n.strip()
                )
            rest.pop(0)
            continue
        break
    body = [line for line in rest if not is_nav(line) or not line]
    doc.paragraphs = split_paragraphs(body)
    _take_bylines(doc)
    # A station footer left at the very end (no "More Stories" line): take it off.
    while doc.paragraphs and _is_footer(doc.paragraphs[-1]):
        doc.paragraphs.pop()
    return doc


def _is_footer(paragraph: str) -> bool:
    if len(paragraph) > 80 or "NPR" in paragraph or "ranscript" in paragraph:
        return False
    return classify(paragraph) is not None


def _take_bylines(doc: PageDoc) -> None:
    """Names standing alone above the transcript ("June Okafor" on npr.org) are the page's
    bylines, not the introduction: a paragraph before the first speaker label that is exactly
    the name of someone who speaks later."""
    labels = set()
    for paragraph in doc.paragraphs:
        label = match_label(paragraph)
        if label is not None:
            labels.add(" ".join(label.name.split()).casefold())
    while (
        doc.paragraphs
        and match_label(doc.paragraphs[0]) is None
        and doc.paragraphs[0].casefold() in labels
    ):
        doc.bylines.append(doc.paragraphs[0])
        doc.meta_lines.append(doc.paragraphs.pop(0))


def _is_meta(line: str) -> bool:
    """A date, byline or "Heard on" line under a story's headline."""
    if len(line) > 120:
        return False
    return bool(_META.match(line)) or (len(line) <= 80 and parse_date(line) is not None)
