"""WebVTT reader and writer.

Reading takes the cue timings, the speaker from a ``<v Name>`` voice span (a cue with several
voices becomes several segments sharing its timings), and the text with every other tag
(``<c>``, ``<i>``, ``<b>``, ``<lang>``, karaoke timestamps) removed and character references
(``&amp;``, ``&lt;``, ``&#x2014;``) decoded. NOTE, STYLE and REGION blocks and cue identifiers
and settings are skipped. A cue without a voice whose whole text is bracketed (``(LAUGHTER)``,
``[MUSIC]``) is non-speech.

Writing produces one cue per segment (never inventing timings), a ``<v Full Name>`` voice span
on every cue that has a speaker (so each cue stands alone when a player seeks), lines wrapped at
65 characters, ``&``, ``<`` and ``>`` escaped (so ``-->`` can never appear in cue text), and
no blank line inside a cue.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from stationcast.spec.media import VTT_LINE_CHARS

from ._names import display_name, require_timed
from ._text import clean_text, fail, is_whole_cue, prepare, squash, visible
from ._timed import blocks, format_timestamp, share, split_cue, to_millis, wrap
from .model import Segment, Transcript, mark_turns

LINE_WIDTH = VTT_LINE_CHARS
#: Lines a cue holds at most: a caption is read at a glance, and caption guides keep it to
#: two lines (the namespace's notes give WebVTT a line length only).
CUE_LINES = 2

_TS = r"(?:(\d{1,9}):)?(\d{2}):(\d{2})\.(\d{3})"
_TIMING = re.compile(rf"{_TS}[ \t]*-->[ \t]*{_TS}(?:[ \t].*)?")
_TAG = re.compile(r"<([^<>\n]{0,500})>")
_EXAMPLE = "'00:00:01.000 --> 00:00:04.000'"


def parse_vtt(text: str, *, source: str = "<transcript.vtt>") -> Transcript:
    """Parse WebVTT into a timed Transcript; InputError (with line and cue number) if malformed."""
    text = prepare(text, source, normalize=False)
    if not text.strip():
        return Transcript()
    lines = text.split("\n")
    head = lines[0]
    if not (head == "WEBVTT" or head.startswith(("WEBVTT ", "WEBVTT\t"))):
        raise fail(
            source, 1, f'expected "WEBVTT" at the start of the first line, got {head[:40]!r}'
        )
    index = 1
    while index < len(lines) and lines[index].strip(" \t"):
        if "-->" in lines[index]:
            raise fail(
                source,
                index + 1,
                "expected a blank line between the WEBVTT header and the first cue",
            )
        index += 1

    segments: list[Segment] = []
    cue = 0
    for first, block in blocks(lines, index):
        opening = block[0]
        if "-->" not in opening and _is_block(opening, ("NOTE", "STYLE", "REGION")):
            continue
        cue += 1
        if "-->" in opening:
            timing_at = 0
        elif len(block) > 1 and "-->" in block[1]:
            timing_at = 1
        else:
            raise fail(
                source,
                first + 1,
                f"cue {cue}: expected a timing line like {_EXAMPLE} (after an optional cue "
                f"identifier), got {opening[:60]!r}; a blank line inside a cue ends it",
            )
        line_no = first + timing_at + 1
        start, end = _timings(block[timing_at], source, line_no, cue)
        payload = block[timing_at + 1 :]
        for offset, line in enumerate(payload):
            if "-->" in line:
                raise fail(
                    source,
                    line_no + offset + 1,
                    f"cue {cue}: cue text must not contain '-->' (write it as '--&gt;'); "
                    "is the blank line before the next cue missing?",
                )
        segments.extend(_cue_segments("\n".join(payload), start, end))
    return Transcript(mark_turns(segments))


def _is_block(line: str, keywords: tuple[str, ...]) -> bool:
    return any(line == word or line.startswith((word + " ", word + "\t")) for word in keywords)


def _timings(line: str, source: str, line_no: int, cue: int) -> tuple[float, float]:
    m = _TIMING.fullmatch(line.strip(" \t"))
    if m is None:
        raise fail(
            source,
            line_no,
            f"cue {cue}: expected a timing line like {_EXAMPLE} (hours optional), "
            f"got {line[:60]!r}",
        )
    groups = m.groups()
    for value in (groups[1], groups[2], groups[5], groups[6]):
        if int(value) > 59:
            raise fail(
                source, line_no, f"cue {cue}: minutes and seconds must be 00-59, got {line!r}"
            )
    start_ms = to_millis(*groups[0:4])
    end_ms = to_millis(*groups[4:8])
    if end_ms < start_ms:
        raise fail(source, line_no, f"cue {cue}: the end time is before the start time in {line!r}")
    return start_ms / 1000, end_ms / 1000


def _cue_segments(payload: str, start: float, end: float) -> list[Segment]:
    """Split a cue's text at voice spans; drop other tags; decode character references."""
    parts: list[tuple[str | None, str]] = []
    voice: str | None = None
    pieces: list[str] = []
    position = 0
    for m in _TAG.finditer(payload):
        pieces.append(payload[position : m.start()])
        position = m.end()
        tag = m.group(1)
        if tag[:1] == "v" and (len(tag) == 1 or tag[1] in " \t."):
            parts.append((voice, "".join(pieces)))
            pieces = []
            annotation = re.split(r"[ \t]", tag, maxsplit=1)[1:]
            voice = clean_text(html.unescape(annotation[0])) if annotation else ""
            voice = voice or None
    pieces.append(payload[position:])
    parts.append((voice, "".join(pieces)))

    segments: list[Segment] = []
    for speaker, raw in parts:
        body = clean_text(html.unescape(raw))
        if not visible(body):
            continue
        if speaker is None and is_whole_cue(body):
            segments.append(Segment(body, start=start, end=end, kind="nonspeech"))
        else:
            segments.append(Segment(body, speaker=speaker, start=start, end=end))
    return segments


def write_vtt(t: Transcript, names: Mapping[str, str] | None = None) -> str:
    """Write ``t`` as WebVTT with ``<v Full Name>`` voice spans; ValueError if ``t`` is untimed.

    ``names`` maps speaker labels to full names (``resolve_speakers``); a label without an
    entry is written as it is; the transcript's credit line is a NOTE after the header. A
    segment too long for one cue of ``CUE_LINES`` lines of
    ``LINE_WIDTH`` characters is split at word boundaries into several, each with its voice,
    sharing the segment's time by their share of its characters.
    """
    require_timed(t.segments, "WebVTT")
    out = ["WEBVTT", ""]
    if t.credit and visible(t.credit):  # a comment block: kept with the file, never shown
        out += ["NOTE", squash(t.credit).replace("-->", "->"), ""]
    number = 0
    for seg in t.segments:
        assert seg.start is not None and seg.end is not None
        text = squash(seg.text)  # a hand-made segment must not put a blank line in a cue
        name = display_name(seg, names)
        if seg.kind == "nonspeech":
            if not is_whole_cue(text):
                text = f"({text})"  # keep it visibly marked as a sound, and read back as one
            pieces = _notes(text)
        else:
            pieces = split_cue(text, LINE_WIDTH, CUE_LINES)
            if not name:  # a piece alone in brackets would read back as a sound: keep it joined
                joined: list[str] = []
                for piece in pieces:
                    if joined and (is_whole_cue(piece) or is_whole_cue(joined[-1])):
                        joined[-1] = f"{joined[-1]} {piece}"
                    else:
                        joined.append(piece)
                pieces = joined
        times = share(seg.start, seg.end, [len(p) + 1 for p in pieces])
        for piece, (start, end) in zip(pieces, times, strict=True):
            lines = [escape(line) for line in wrap(piece, LINE_WIDTH)]
            if name:
                voice = escape(squash(name))
                if voice.endswith("-"):  # "<v A-->" would hold "-->"; annotation spaces are ignored
                    voice += " "
                lines[0] = f"<v {voice}>{lines[0]}"
            number += 1
            out.append(str(number))
            out.append(f"{format_timestamp(start, '.')} --> {format_timestamp(end, '.')}")
            out.extend(lines)
            out.append("")
    return "\n".join(out)


def _notes(text: str) -> list[str]:
    """A note in brackets as cues of at most CUE_LINES lines, each bracketed (when its words
    hold no brackets of their own; else as one cue)."""
    opening, closing, inner = text[0], text[-1], text[1:-1].strip(" ")
    if len(wrap(text, LINE_WIDTH)) <= CUE_LINES or any(b in inner for b in "()[]"):
        return [text]
    return [f"{opening}{piece}{closing}" for piece in split_cue(inner, LINE_WIDTH - 2, CUE_LINES)]


def escape(text: str) -> str:
    """Escape cue text (or a voice annotation) for WebVTT: ``&``, ``<`` and ``>``."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
