"""Helpers shared by the timed formats (WebVTT, SRT): blocks, timestamps, wrapping."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ._text import squash, visible
from .model import Kind, Segment, Transcript


def blocks(lines: list[str], start: int = 0) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(index of first line, lines)`` for each run of non-blank lines.

    A line holding only spaces or tabs counts as blank.
    """
    block: list[str] = []
    first = start
    for index in range(start, len(lines)):
        line = lines[index]
        if line.strip(" \t"):
            if not block:
                first = index
            block.append(line)
        elif block:
            yield first, block
            block = []
    if block:
        yield first, block


def to_millis(hours: str | None, minutes: str, seconds: str, millis: str) -> int:
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(millis)


def format_timestamp(seconds: float, separator: str) -> str:
    """``hh:mm:ss.ttt`` (WebVTT) or ``hh:mm:ss,ttt`` (SRT), rounded to the millisecond."""
    total = round(seconds * 1000)
    hours, rest = divmod(total, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def wrap(text: str, width: int, first_width: int | None = None) -> list[str]:
    """Greedy word wrap on single spaces; a word longer than the width gets a line of its own.

    ``text`` is whitespace-normalised, so joining the lines with one space restores it exactly.
    """
    lines: list[str] = []
    current = ""
    limit = width if first_width is None else first_width
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > limit:
            lines.append(current)
            current = word
            limit = width
        else:
            current = f"{current} {word}" if current else word
    if current or not lines:
        lines.append(current)
    return lines


def split_cue(text: str, width: int, max_lines: int) -> list[str]:
    """`text` cut at word boundaries into pieces that wrap to at most `max_lines` lines of
    `width` (a word longer than a line is a piece's line of its own); joined with single
    spaces, the pieces are `text`."""
    words = text.split(" ")
    pieces: list[str] = []
    i = 0
    while i < len(words):
        used = fit(words, i, width, max_lines)
        pieces.append(" ".join(words[i : i + used]))
        i += used
    return pieces or [text]


def fit(words: list[str], i: int, width: int, max_lines: int, lead: Sequence[str] = ()) -> int:
    """How many of `words` from `i` fill one cue of `max_lines` lines of `width` after the
    words `lead` (a speaker's prefix): at least one, even a word longer than a line."""
    window = words[i : i + width * max_lines]  # (a line holds fewer words than characters)
    lines = wrap(" ".join([*lead, *window]), width)[:max_lines]
    return max(1, sum(line.count(" ") + 1 for line in lines) - len(lead))


def share(start: float, end: float, sizes: list[int]) -> list[tuple[float, float]]:
    """(start, end) of consecutive parts of the span from `start` to `end`, each lasting its
    share of `sizes`, on the millisecond; the first starts at `start`, the last ends at `end`."""
    total = sum(sizes) or 1
    times = []
    done = 0
    for n, size in enumerate(sizes):
        begin = start if n == 0 else round((start + (end - start) * done / total) * 1000) / 1000
        done += size
        last = n == len(sizes) - 1
        finish = end if last else round((start + (end - start) * done / total) * 1000) / 1000
        times.append((begin, finish))
    return times


#: How long the transcript's credit line shows, after the last words (SRT and JSON, whose
#: formats have no comments: apps that list a transcript show it at the end, as pages do).
CREDIT_SECONDS = 3.0


def credited(t: Transcript, kind: Kind = "speech") -> tuple[Segment, ...]:
    """`t`'s segments, and its credit line (if any) as a last segment of no speaker, from the
    end of the last one for CREDIT_SECONDS, or until the audio ends (`t.length`) when it ends
    sooner (`kind` "nonspeech": in brackets, for SRT, where a cue without a name would be
    read as the previous speaker's)."""
    if not t.credit or not visible(t.credit) or not t.segments:
        return t.segments
    end = max(seg.end for seg in t.segments if seg.end is not None)
    until = end + CREDIT_SECONDS
    if t.length is not None and end < t.length < until:
        until = t.length  # (after the audio, no player would show it)
    line = Segment(squash(t.credit), start=end, end=round(until, 3), kind=kind)
    return (*t.segments, line)
