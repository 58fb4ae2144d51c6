"""How writers name a segment's speaker."""

from __future__ import annotations

import math
from collections.abc import Mapping

from .model import INTRO_KEY, Segment


def display_name(seg: Segment, names: Mapping[str, str] | None) -> str | None:
    """The full name to write for ``seg``: ``names[label]``, else the label as written.

    The introduction (``seg.intro``) is attributed to ``names[INTRO_KEY]`` (the host) when
    present. Non-speech cues have no speaker.
    """
    if seg.kind == "nonspeech":
        return None
    names = names or {}
    if seg.intro:
        return names.get(INTRO_KEY) or None
    if seg.speaker is None:
        return None
    return names.get(seg.speaker, seg.speaker)


def require_timed(segments: tuple[Segment, ...], fmt: str) -> None:
    """Raise ValueError unless every segment has a start and an end (never invent timings)."""
    for number, seg in enumerate(segments, start=1):
        if seg.start is None or seg.end is None:
            raise ValueError(
                f"{fmt} needs timings, but segment {number} has none; "
                "write untimed transcripts as HTML or plain text"
            )
        if not (0 <= seg.start <= seg.end and math.isfinite(seg.end)):
            raise ValueError(
                f"segment {number}: times must be finite and 0 <= start <= end, "
                f"got {seg.start} and {seg.end}"
            )
