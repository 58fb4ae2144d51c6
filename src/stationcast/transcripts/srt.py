"""SRT (SubRip) reader and writer.

SRT has no speaker markup. Following the Podcasting 2.0 transcript notes, a cue whose text opens
with ``Name: `` starts that speaker's turn and a cue without one continues the current speaker.
A name is 1-6 words of letters, digits and ``' ’ - . # &`` whose words do not start with a
lower-case letter (particles such as "de", "van", "al" excepted), at most 60 characters.

Reading strips the formatting tags players understand (``<i>``, ``<b>``, ``<u>``, ``<s>``,
``<font ...>``) and ``{\\an8}`` position codes; a cue without a speaker whose whole text is
bracketed is non-speech. Writing follows the caption layout the namespace's transcript notes
recommend (stationcast.spec.media.SRT_LINE_CHARS): cues of at most 2 lines of 32 characters,
a longer segment split at word boundaries into several cues that share its time by their
share of its characters (no other timing is invented), the ``Name: `` prefix when the speaker
changes (and whenever a cue's text itself would read as a prefix).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from stationcast.spec.media import SRT_CUE_LINES, SRT_LINE_CHARS

from ._names import display_name, require_timed
from ._text import clean_text, fail, is_whole_cue, prepare, squash, visible
from ._timed import blocks, credited, fit, format_timestamp, share, to_millis, wrap
from .model import Segment, Transcript, mark_turns

LINE_WIDTH = SRT_LINE_CHARS
CUE_LINES = SRT_CUE_LINES

_TS = r"(\d{1,9}):(\d{2}):(\d{2})[,.](\d{3})"
_TIMING = re.compile(rf"{_TS}[ \t]*-->[ \t]*{_TS}(?:[ \t].*)?")
_FORMATTING = re.compile(
    r"</?(?:[ibus]|font)(?:[ \t][^<>\n]{0,200})?>|\{\\an?\d{1,2}\}", re.IGNORECASE
)
_EXAMPLE = "'00:00:01,000 --> 00:00:04,000'"
_MAX_NAME_CHARS = 60
_NAME_PUNCTUATION = frozenset("'’-.#&")
_PARTICLES = frozenset(
    """
        al bin bint da das de del della der di do dos du el ibn la le van von y zu
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


def parse_srt(text: str, *, source: str = "<transcript.srt>") -> Transcript:
    """Parse SRT into a timed Transcript.

    Raises InputError naming the line and subtitle number when the input is malformed.
    """
    text = prepare(text, source, normalize=False)
    segments: list[Segment] = []
    current: str | None = None  # the speaker of the turn in progress
    for number, (first, block) in enumerate(blocks(text.split("\n")), start=1):
        timing_at = 0
        if "-->" not in block[0]:
            if not block[0].strip().isdigit():
                raise fail(
                    source,
                    first + 1,
                    f"subtitle {number}: expected a sequence number, then a timing line like "
                    f"{_EXAMPLE}, got {block[0][:60]!r}; a blank line inside a subtitle ends it",
                )
            timing_at = 1
        if timing_at >= len(block):
            raise fail(
                source,
                first + 2,
                f"subtitle {number}: expected a timing line like {_EXAMPLE} after the number",
            )
        line_no = first + timing_at + 1
        start, end = _timings(block[timing_at], source, line_no, number)
        body = clean_text(_FORMATTING.sub("", "\n".join(block[timing_at + 1 :])))
        if not visible(body):
            continue
        name, rest = split_speaker(body)
        if name is not None:
            current = name
            if visible(rest):
                segments.append(Segment(rest, speaker=name, start=start, end=end))
        elif is_whole_cue(body):
            segments.append(Segment(body, start=start, end=end, kind="nonspeech"))
        else:
            segments.append(Segment(body, speaker=current, start=start, end=end))
    return Transcript(mark_turns(segments))


def _timings(line: str, source: str, line_no: int, number: int) -> tuple[float, float]:
    m = _TIMING.fullmatch(line.strip(" \t"))
    if m is None:
        raise fail(
            source,
            line_no,
            f"subtitle {number}: expected a timing line like {_EXAMPLE}, got {line[:60]!r}",
        )
    groups = m.groups()
    for value in (groups[1], groups[2], groups[5], groups[6]):
        if int(value) > 59:
            raise fail(
                source,
                line_no,
                f"subtitle {number}: minutes and seconds must be 00-59, got {line!r}",
            )
    start_ms, end_ms = to_millis(*groups[0:4]), to_millis(*groups[4:8])
    if end_ms < start_ms:
        raise fail(
            source, line_no, f"subtitle {number}: the end time is before the start time in {line!r}"
        )
    return start_ms / 1000, end_ms / 1000


def split_speaker(text: str) -> tuple[str | None, str]:
    """Split a ``Name: `` prefix off cue text.

    ``("Kelly McEvers", "And who...")`` for ``"Kelly McEvers: And who..."``, else
    ``(None, text)``.
    """
    colon = text.find(":", 0, _MAX_NAME_CHARS + 1)
    if colon <= 0 or text[colon + 1 : colon + 2] not in ("", " "):
        return None, text
    name = text[:colon]
    if not is_speaker_name(name):
        return None, text
    return name, text[colon + 1 :].lstrip(" ")


def is_speaker_name(name: str) -> bool:
    """Whether ``name`` can be read back as an SRT ``Name: `` prefix."""
    words = name.split(" ")
    if not 1 <= len(words) <= 6 or len(name) > _MAX_NAME_CHARS:
        return False
    has_letter = False
    for word in words:
        if not word:
            return False
        if word[0].islower() and word not in _PARTICLES:
            return False
        for ch in word:
            if ch.isalpha():
                has_letter = True
            elif not (ch.isdigit() or ch in _NAME_PUNCTUATION or _is_mark(ch)):
                return False
    return has_letter


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


def write_srt(t: Transcript, names: Mapping[str, str] | None = None) -> str:
    """Write ``t`` as SRT; ValueError if ``t`` is untimed.

    A segment too long for one cue of ``CUE_LINES`` lines of ``LINE_WIDTH`` characters is
    split into several at word boundaries, its time shared among them by their share of its
    characters (the segment's own start and end are kept exactly). ``Name: `` opens a cue
    when the speaker changes, after a non-speech cue, and whenever the cue text alone would
    be read back as a speaker prefix or as a non-speech cue. The transcript's credit line is
    a last cue in brackets, after the last words (SRT has no comments).
    """
    require_timed(t.segments, "SRT")
    out: list[str] = []
    previous: str | None = None
    number = 0
    for seg in credited(t, "nonspeech"):
        assert seg.start is not None and seg.end is not None
        text = squash(seg.text)  # a hand-made segment must not put a blank line in a cue
        name = display_name(seg, names)
        if seg.kind == "nonspeech":
            if not is_whole_cue(text):
                text = f"({text})"
            cues = _nonspeech_cues(text)
            previous = None
        elif name is not None:
            name = squash(name)
            cues = _speech_cues(text, name, name != previous)
            previous = name
        else:
            cues = _speech_cues(text, None, False)
        times = share(seg.start, seg.end, [size for _, size in cues])
        for (lines, _), (start, end) in zip(cues, times, strict=True):
            number += 1
            out.append(str(number))
            out.append(f"{format_timestamp(start, ',')} --> {format_timestamp(end, ',')}")
            out.extend(lines)
            out.append("")
    return "\n".join(out)


def _misread(text: str) -> bool:
    """Whether cue text without a prefix would be read back as a speaker prefix or a note."""
    return split_speaker(text)[0] is not None or is_whole_cue(text)


def _fit(prefix: str, words: list[str], i: int) -> int:
    """How many of `words` from `i` fill one cue after `prefix` (see _timed.fit)."""
    return fit(words, i, LINE_WIDTH, CUE_LINES, prefix.split(" ") if prefix else [])


def _speech_cues(text: str, name: str | None, named: bool) -> list[tuple[list[str], int]]:
    """(lines, characters of `text` they hold) of each cue `text` is written as.

    `named`: the first cue opens with ``Name: `` (the speaker changed). A later cue gets the
    prefix when its text alone would be misread; without a name to give, the words that
    would be misread stay in the cue before instead (longer than the layout, read as said).
    """
    words = text.split(" ")
    spans: list[tuple[int, int, str]] = []  # first word, end word, prefix
    i = 0
    while i < len(words):
        prefix = f"{name}:" if named and name is not None else ""
        used = _fit(prefix, words, i)
        if not prefix and _misread(" ".join(words[i : i + used])):
            if name is not None:
                prefix = f"{name}:"
                used = _fit(prefix, words, i)
            elif spans:
                first, _, before = spans.pop()
                spans.append((first, i + used, before))
                i += used
                continue
            else:
                while i + used < len(words) and _misread(" ".join(words[i : i + used])):
                    used += 1
        spans.append((i, i + used, prefix))
        named = False
        i += used
    return [
        (
            wrap(" ".join([prefix, *words[a:b]] if prefix else words[a:b]), LINE_WIDTH),
            sum(len(word) + 1 for word in words[a:b]),
        )
        for a, b, prefix in spans
    ]


def _nonspeech_cues(text: str) -> list[tuple[list[str], int]]:
    """(lines, characters) of each cue a non-speech note is written as: each bracketed."""
    lines = wrap(text, LINE_WIDTH)
    if len(lines) <= CUE_LINES:
        return [(lines, len(text))]
    opening, closing = text[0], text[-1]
    words = text[1:-1].strip(" ").split(" ")
    cues = []
    i = 0
    while i < len(words):
        used = 1
        while i + used < len(words) and (
            len(wrap(_bracket(opening, words[i : i + used + 1], closing), LINE_WIDTH)) <= CUE_LINES
        ):
            used += 1
        part = _bracket(opening, words[i : i + used], closing)
        cues.append((wrap(part, LINE_WIDTH), len(part)))
        i += used
    return cues


def _bracket(opening: str, words: list[str], closing: str) -> str:
    return f"{opening}{' '.join(words)}{closing}"
