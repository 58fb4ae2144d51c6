"""Station transcript text (NPR style) -> Transcript.

The format is paragraphs. A paragraph that opens with a speaker label in capitals and a colon
(``PETER NEUMANN:``, ``ARI SHAPIRO, HOST:``, ``UNIDENTIFIED PERSON #1:``) starts a turn; a
paragraph without one continues the current turn; paragraphs before the first label are the
host's introduction; a paragraph that is wholly a bracketed note (``(SOUNDBITE OF MUSIC)``) is a
non-speech cue. The station's transcript credit, appended to the last paragraph or in its own
paragraphs at the end (or, pasted from npr.org, at the start), becomes ``Transcript.credit``.

Everything here is linear in the input: labels are checked on at most the first
``_MAX_LABEL_CHARS`` characters of a paragraph by a hand-written scanner, and the only regular
expressions are anchored or use bounded, non-nested repetition.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ._text import is_whole_cue, prepare, split_cues, squash, visible
from .model import Segment, Transcript

_MAX_LABEL_CHARS = 160  # "Mr. JOHN DOE (Former Director, Example Institute)" is 49
_MAX_NAME_WORDS = 6
_MAX_ROLE_WORDS = 4
_LABEL_PUNCTUATION = frozenset("'’-.#&")
# Older NPR transcripts: "MELISSA BLOCK, host:", "Mr. JOHN SMITH (Director, ...):".
_LOWER_ROLES = frozenset(
    """
    host co-host byline reporter correspondent announcer narrator anchor commentator guest
    """.split()  # noqa: SIM905 (a word list reads better as text)
) | {"guest host"}
_HONORIFICS = frozenset(
    """
    Mr. Mrs. Ms. Miss Dr. Prof. Rev. Sen. Rep. Gov. Gen. Pres. Sgt. Capt. Lt. Col. Sr. Sra.
    """.split()  # noqa: SIM905
)
# Combining marks (decomposed accents that NFC cannot compose) and invisible format characters
# (a stray U+200B or bidi mark from a pasted page): kept as written, ignored when matching.
_LABEL_CATEGORIES = frozenset(("Mn", "Mc", "Me", "Cf"))

_CREDIT_MARK = "Transcript provided by "
_MAX_CREDIT_CHARS = 300
# Whole paragraphs that are a station's copyright/credit notice, e.g. npr.org's
# "Copyright © 2015 NPR. All rights reserved. ..." and "NPR transcripts are created on a rush
# deadline by ... This text may not be in its final form ...".
_NOTICE = re.compile(
    r"(?:Copyright\s{0,3}(?:©|\([cC]\)|\d{4}\b|NPR\b)|©\s{0,3}\d{4}\b"
    r"|Transcript provided by\b|NPR transcripts are created\b"
    r"|This text may not be in its final form\b)"
)


__all__ = ["Label", "lowercase_labels", "match_label", "parse_station_text", "split_cues"]

# "Maria Ortega:" at the start of a paragraph: a label written in title case, which the format
# does not take as a label (so "The reason: money." stays text), 2-4 capitalised words.
_TITLE_LABEL = re.compile(r"([A-Z][a-z'’\-]+(?: [A-Z][a-z'’\-]+){1,3}):(?=\s|$)")


def lowercase_labels(text: str) -> list[tuple[int, str]]:
    """(line, name) of each paragraph that opens like a speaker label written in title case
    (``Maria Ortega: ...``): it is read as more of the previous speaker's turn, which is
    rarely what was meant. A paragraph starts after a blank line (or on every line, when the
    text has none)."""
    lines = text.split("\n")
    blank_inside = any(not line.strip() for line in lines[1:-1])
    found: list[tuple[int, str]] = []
    previous_blank = True
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        starts = previous_blank or not blank_inside
        previous_blank = not stripped
        if not stripped or not starts:
            continue
        match = _TITLE_LABEL.match(stripped)
        if match is not None and match_label(stripped) is None:
            found.append((number, match[1]))
    return found


@dataclass(frozen=True)
class Label:
    """A parsed speaker label: ``ARI SHAPIRO, HOST:`` -> name ``ARI SHAPIRO``, role ``HOST``."""

    name: str
    role: str | None
    rest: str  # the paragraph's text after the label, stripped


def parse_station_text(text: str, *, source: str = "<transcript>") -> Transcript:
    """Parse station transcript text into a Transcript (untimed).

    Raises InputError naming line, column and code point for characters XML 1.0 cannot carry.
    Empty or whitespace-only text gives an empty Transcript (the caller warns).
    """
    text = prepare(text, source)
    paragraphs = _paragraphs(text.split("\n"))
    paragraphs, credit = _take_credit(paragraphs)

    segments: list[Segment] = []
    speaker: str | None = None
    role: str | None = None
    seen_label = False
    # True when the next unlabelled paragraph starts a turn: at the top, and after a label that
    # stood alone ("MCEVERS:" on its own paragraph, its words in the next paragraph).
    start_turn = True
    for para in paragraphs:
        label = match_label(para)
        if label is not None:
            speaker, role, seen_label = label.name, label.role, True
            if not visible(label.rest):
                start_turn = True
                continue
            segments.append(Segment(label.rest, speaker=speaker, label_role=role))
            start_turn = False
        elif not visible(para):
            continue
        elif is_whole_cue(para):
            segments.append(Segment(para, kind="nonspeech"))
        else:
            segments.append(
                Segment(
                    para,
                    speaker=speaker,
                    label_role=role,
                    new_turn=start_turn,
                    intro=not seen_label,
                )
            )
            start_turn = False
    return Transcript(tuple(segments), credit)


def match_label(paragraph: str) -> Label | None:
    """The speaker label a (whitespace-normalised) paragraph opens with, or None.

    A label is a name, an optional role, a colon, then whitespace (or the end):

    - the name is 1-6 words with no lower-case letter and at least one upper-case one
      (Unicode aware: ``TOMÁS ECHEVERRÍA``), made of letters, digits, ``' ’ - . # &``,
      combining marks and invisible format characters (U+200B, bidi marks). Older NPR
      transcripts' forms are accepted too: an honorific before the name (``Mr. SMITH``,
      ``Dr. FAUCI``) and ``Unidentified Man #1``;
    - the role is ``, ROLE`` in capitals (``ARI SHAPIRO, HOST``), ``, host``-style with a
      known lower-case role word (``MELISSA BLOCK, host``), or a description in parentheses
      (``STEVE INSKEEP (Host)``, ``Mr. JOHN DOE (Director, Example Institute)``).

    So ``The reason is simple: money.``, ``At 5:30 we left`` and ``Note: ...`` are not labels.
    """
    simple = _SIMPLE_LABEL.match(paragraph)  # "NEUMANN:", "PETER NEUMANN:": most labels
    if simple is not None:
        return Label(simple[1], None, paragraph[simple.end() :].strip())
    colon = paragraph.find(":", 0, _MAX_LABEL_CHARS)
    if colon <= 0:
        return None
    after = paragraph[colon + 1 : colon + 2]
    if after and not after.isspace():
        return None
    name = paragraph[:colon]
    role: str | None = None
    if name.endswith(")") and " (" in name:
        name, _, role = name[:-1].partition(" (")
        role = role.strip()
        if not role or "(" in role or ")" in role or not visible(role):
            return None
    elif "," in name:
        name, _, role = name.partition(",")
        role = role.strip()
        if not (_is_caps_words(role, _MAX_ROLE_WORDS) or role in _LOWER_ROLES):
            return None
    if name != name.strip() or not name or not _is_name(name):
        return None
    return Label(name, role, paragraph[colon + 1 :].strip())


def _is_name(name: str) -> bool:
    if _is_caps_words(name, _MAX_NAME_WORDS):
        return True
    first, _, rest = name.partition(" ")
    if first in _HONORIFICS:  # "Mr. SMITH", "Dr. ANTHONY FAUCI"
        return bool(rest) and _is_caps_words(rest, _MAX_NAME_WORDS - 1)
    if first.casefold() == "unidentified" and rest:  # "Unidentified Man #1", older NPR
        words = rest.split(" ")
        return len(words) <= 4 and all(
            w[:1].isupper() or (w[:1] == "#" and w[1:].isdigit()) or w.isdigit() for w in words
        )
    return False


# The common label, 1-6 words of A-Z, that every rule below accepts as it is (no role); the
# bounds keep its colon within _MAX_LABEL_CHARS.
_SIMPLE_LABEL = re.compile(r"([A-Z]{1,20}(?: [A-Z]{1,20}){0,5}):(?=\s|$)")
_ASCII_LABEL = re.compile(r"[A-Z0-9'.#&-]+(?: [A-Z0-9'.#&-]+)*")  # no ambiguity: linear
_ASCII_WORD = re.compile(r"[A-Z0-9&]")


def _is_caps_words(text: str, max_words: int) -> bool:
    if text.isascii():  # fast path for the common case, same rules
        if _ASCII_LABEL.fullmatch(text) is None:
            return False
        words = text.split(" ")
        return (
            len(words) <= max_words
            and all(_ASCII_WORD.search(word) for word in words)
            and any("A" <= ch <= "Z" for ch in text)
        )
    words = text.split(" ")
    if not 1 <= len(words) <= max_words:
        return False
    has_upper = False
    for word in words:
        if not word or not any(ch.isalnum() or ch == "&" for ch in word):
            return False
        for ch in word:
            if ch.isalpha():
                if ch.islower():
                    return False
                has_upper = has_upper or ch.isupper()
            elif not (
                ch.isdigit()
                or ch in _LABEL_PUNCTUATION
                or unicodedata.category(ch) in _LABEL_CATEGORIES
            ):
                return False
    return has_upper


def _paragraphs(lines: list[str]) -> list[str]:
    """Split lines into whitespace-normalised paragraphs.

    Paragraphs are separated by blank lines. When the text has no blank line at all between
    its first and last non-blank lines, every line is a paragraph. Inside a blank-separated
    block, a line that opens with a speaker label starts a new paragraph too (pasted text often
    loses the blank line before a label).
    """
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    if not nonblank:
        return []
    first, last = nonblank[0], nonblank[-1]
    if len(nonblank) == last - first + 1:  # no blank line inside: one paragraph per line
        return [squash(lines[i]) for i in nonblank]
    paragraphs: list[str] = []
    block: list[str] = []
    for line in lines[first : last + 1]:
        stripped = squash(line)
        if not stripped:
            if block:
                paragraphs.append(" ".join(block))
                block = []
            continue
        if block and match_label(stripped) is not None:
            paragraphs.append(" ".join(block))
            block = []
        block.append(stripped)
    if block:
        paragraphs.append(" ".join(block))
    return paragraphs


def _take_credit(paragraphs: list[str]) -> tuple[list[str], str | None]:
    """Remove the station's credit/copyright notice from the end (and start) of the text."""
    paragraphs = list(paragraphs)
    head: list[str] = []
    tail: list[str] = []
    while paragraphs and _NOTICE.match(paragraphs[0]):
        head.append(paragraphs.pop(0))
    while paragraphs:
        last = paragraphs[-1]
        if _NOTICE.match(last):
            tail.insert(0, paragraphs.pop())
            continue
        at = last.rfind(_CREDIT_MARK)
        if at > 0 and len(last) - at <= _MAX_CREDIT_CHARS and last[at - 1] == " ":
            tail.insert(0, last[at:])
            rest = last[:at].rstrip()
            label = match_label(rest)
            if label is not None and not label.rest:  # "NEUMANN: Transcript provided by ..."
                paragraphs.pop()
            else:
                paragraphs[-1] = rest
        break
    parts = head + tail
    return paragraphs, (" ".join(parts) if parts else None)
