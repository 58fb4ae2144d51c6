"""SRT (SubRip) reader and writer.

SRT has no speaker markup. Following the Podcasting 2.0 transcript notes, a cue whose text opens
with ``Name: `` starts that speaker's turn and a cue without one continues the current speaker.
A name is 1-6 words of letters, digits and ``' ’ - . # &`` whose words do not start with a
lower-case letter (particles such as "de", "van", "al" excepted), at most 60 characters.

Reading strips the formatting tags players understand (``<i>``, ``<b>``, ``<u>``, ``<s>``,
``<font ...>``) and ``{\\an8}`` position codes; a cue without a speaker whose whole text is
bracketed is non-speech. Writing produces one cue per segment (never inventing timings), the
``Name: `` prefix when the speaker changes (and whenever the text itself would read as a
prefix), lines wrapped at 32 characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from ._names import display_name, require_timed
from ._text import clean_text, fail, is_whole_cue, prepare, squash, visible
from ._timed import blocks, format_timestamp, to_millis, wrap
from .model import Segment, Transcript, mark_turns

LINE_WIDTH = 32  # the Podcasting 2.0 transcript notes' recommendation for SRT

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

    ``Name: `` opens a cue when the speaker changes, after a non-speech cue, and whenever the
    cue text alone would be read back as a speaker prefix or as a non-speech cue.
    """
    require_timed(t.segments, "SRT")
    out: list[str] = []
    previous: str | None = None
    for number, seg in enumerate(t.segments, start=1):
        assert seg.start is not None and seg.end is not None
        text = squash(seg.text)  # a hand-made segment must not put a blank line in a cue
        name = display_name(seg, names)
        if seg.kind == "nonspeech":
            if not is_whole_cue(text):
                text = f"({text})"
            previous = None
        elif name is not None:
            name = squash(name)
            if name != previous or split_speaker(text)[0] is not None or is_whole_cue(text):
                text = f"{name}: {text}"
            previous = name
        out.append(str(number))
        out.append(f"{format_timestamp(seg.start, ',')} --> {format_timestamp(seg.end, ',')}")
        out.extend(wrap(text, LINE_WIDTH))
        out.append("")
    return "\n".join(out)
