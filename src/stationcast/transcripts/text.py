"""Plain-text writer: paragraphs, the speaker's full name at the start of each turn."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ._names import display_name
from .model import Transcript
from .model import paragraphs as paragraphs_of


def write_text(t: Transcript, names: Mapping[str, str] | None = None) -> str:
    """Write ``t`` as plain text, one paragraph per segment, blank lines between.

    A paragraph that starts a turn (``new_turn``) opens with ``Full Name: `` (the label as
    written when ``names`` has no entry; nothing when the speaker is unknown), continuation
    paragraphs do not, as in station text; non-speech cues stand alone,
    brackets and all; the transcript credit is the last paragraph.

    A timed transcript's segments are caption cues (or words), not paragraphs, so there each
    turn becomes one paragraph, its cues joined with spaces. Timings are not written.
    """
    if t.timed and any(seg.continues for seg in t.segments):
        # aligned station text: its own paragraphs again, written as they were
        t = replace(
            t,
            segments=tuple(
                replace(group[0], text=" ".join(s.text for s in group), start=None, end=None)
                for group in paragraphs_of(t.segments)
            ),
        )
    if t.timed:
        return _write_turns(t, names)
    paragraphs: list[str] = []
    previous: tuple[str | None, bool] | None = None  # (speaker, intro) of the last speech
    for seg in t.segments:
        name = None
        if seg.kind == "speech":
            current = (seg.speaker, seg.intro)
            if seg.new_turn or current != previous:
                name = display_name(seg, names)
            previous = current
        paragraphs.append(f"{name}: {seg.text}" if name else seg.text)
    if t.credit:
        paragraphs.append(t.credit)
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""


def _write_turns(t: Transcript, names: Mapping[str, str] | None) -> str:
    paragraphs: list[str] = []
    for turn in t.turns():
        text = " ".join(seg.text for seg in turn.segments)
        name = display_name(turn.segments[0], names)
        paragraphs.append(f"{name}: {text}" if name else text)
    if t.credit:
        paragraphs.append(t.credit)
    return "\n\n".join(paragraphs) + "\n"
