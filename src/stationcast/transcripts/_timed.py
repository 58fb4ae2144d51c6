"""Helpers shared by the timed formats (WebVTT, SRT): blocks, timestamps, wrapping."""

from __future__ import annotations

from collections.abc import Iterator


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
